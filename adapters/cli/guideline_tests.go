package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/guideline"
)

func guidelineTestsCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "tests",
		Usage:     "print a guideline's test list as RefStack's GET /v1/guidelines/{file}/tests does",
		ArgsUsage: "FILE|NAME",
		Description: "Prints the exact bytes RefStack's server answers for the same parameters: one line per\n" +
			"test of the selected capabilities, name[idempotent_id] (the bare name in schema 1.2),\n" +
			"sorted, duplicates kept (a test in two capabilities is listed twice), no trailing\n" +
			"newline. --target platform, compute or object picks a platform, dns or orchestration\n" +
			"an add-on component; the name of an add-on of the file (DNS) or of a platform\n" +
			"(\"OpenStack Powered Storage\") also works. --type keeps capabilities of the given\n" +
			"statuses (default: all). --alias adds the other names of renamed tests; --flag keeps\n" +
			"flagged tests; both default to true and take true, yes, 1, false, no or 0.\n" +
			"An unknown target prints RefStack's answer, \"Invalid target: T\", and exits 1.\n\n" +
			guidelineSourceHelp,
		Flags: append([]ucli.Flag{
			targetFlag(),
			&ucli.StringFlag{Name: "type", Usage: "keep capabilities of these statuses: `LIST` of required, advisory, deprecated, removed (default: all)"},
			&ucli.StringFlag{Name: "alias", Value: "true", Usage: "list the aliases of renamed tests too: `BOOL` = true or false"},
			&ucli.StringFlag{Name: "flag", Value: "true", Usage: "list flagged tests too: `BOOL` = true or false"},
		}, sourceFlags()...),
		Action: func(c *ucli.Context) error {
			q, err := testsQuery(e, c)
			if err != nil {
				return err
			}
			if c.NArg() != 1 {
				return usageErrorf("%s: want one guideline (a file or a name), got %d arguments", cmdPath(c), c.NArg())
			}
			g, err := loadGuideline(c, c.Args().First())
			if err != nil {
				return err
			}
			return writeTestList(e.stdout, g, q)
		},
	}
}

// testsQuery reads the query flags. Unlike RefStack, which reads any value
// other than true, yes or 1 as false, a boolean that is none of true, yes, 1,
// false, no, 0 is a usage error.
func testsQuery(e *env, c *ucli.Context) (guideline.Query, error) {
	q := guideline.Query{Target: c.String("target")}
	for _, name := range []string{"alias", "flag"} {
		v := c.String(name)
		switch strings.ToLower(v) {
		case "true", "yes", "1", "false", "no", "0":
		default:
			return q, usageErrorf("%s: --%s: want true or false, got %q", cmdPath(c), name, v)
		}
		if name == "alias" {
			q.Alias = guideline.ParseBool(v)
		} else {
			q.Flag = guideline.ParseBool(v)
		}
	}
	q.Types = statusList(e, c, "type")
	return q, nil
}

// loadGuideline reads and parses the guideline arg names: a file, or a name
// looked up in the source of the flags (which is only built for a name).
func loadGuideline(c *ucli.Context, arg string) (*guideline.Guideline, error) {
	var src guideline.Source
	if !guideline.IsFilePath(arg) {
		var err error
		if src, err = sourceFromFlags(c); err != nil {
			return nil, err
		}
	}
	data, name, err := guideline.Resolve(c.Context, src, arg)
	if err != nil {
		return nil, notFinished(err)
	}
	g, err := guideline.Parse(data)
	if err != nil {
		return nil, notFinished(fmt.Errorf("%s: %w", name, err))
	}
	return g, nil
}

// writeTestList prints the test list, or RefStack's answer for an unknown
// target and exit code 1.
func writeTestList(w io.Writer, g *guideline.Guideline, q guideline.Query) error {
	lines, err := g.TestList(q)
	var te *guideline.TargetError
	if errors.As(err, &te) {
		if _, err := io.WriteString(w, te.RefStackText()); err != nil {
			return outputError(err)
		}
		return checkFailed()
	}
	if err != nil {
		return notFinished(err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	for i, l := range lines {
		if i > 0 {
			bw.WriteByte('\n')
		}
		bw.WriteString(l)
	}
	return outputError(bw.Flush())
}
