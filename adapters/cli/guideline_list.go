package cli

import (
	"bufio"
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/guideline"
)

func guidelineListCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "list",
		Usage: "list the guidelines as RefStack's GET /v1/guidelines does",
		Description: "Prints the core (\"powered\") guideline files, then one group per add-on (dns,\n" +
			"orchestration), picked and grouped as RefStack's server does: files named\n" +
			"*YYYY.MM.json or *next.json at the root and under add-ons/, grouped by the part before\n" +
			"the first dot. What is printed is what the other guideline commands accept.\n" +
			"--json prints the exact bytes GET /v1/guidelines answers (add-on groups first, then\n" +
			"\"powered\"; no trailing newline).\n\n" + guidelineSourceHelp,
		Flags: append([]ucli.Flag{
			&ucli.BoolFlag{Name: "json", DisableDefaultText: true, Usage: "print the server's JSON answer"},
		}, sourceFlags()...),
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("%s: unexpected argument %q", cmdPath(c), c.Args().First())
			}
			src, err := sourceFromFlags(c)
			if err != nil {
				return err
			}
			l, err := guideline.List(c.Context, src)
			if err != nil {
				return notFinished(err)
			}
			out := bufio.NewWriter(e.stdout)
			if c.Bool("json") {
				data, _ := l.MarshalJSON()
				out.Write(data)
			} else {
				writeListing(out, l)
			}
			return outputError(out.Flush())
		},
	}
}

// writeListing prints the groups, "powered" first, one file per line.
func writeListing(out *bufio.Writer, l *guideline.Listing) {
	group := func(g *guideline.ListGroup) {
		fmt.Fprintf(out, "%s:\n", g.Name)
		for _, e := range g.Entries {
			fmt.Fprintf(out, "  %s\n", e.File)
		}
	}
	if p := l.Group("powered"); p != nil {
		group(p)
	}
	for i := range l.Groups {
		if l.Groups[i].Name != "powered" {
			group(&l.Groups[i])
		}
	}
}
