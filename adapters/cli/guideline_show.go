package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/guideline"
)

func guidelineShowCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "print a guideline's capabilities, tests, flags and criteria",
		ArgsUsage: "FILE|NAME",
		Description: "Prints the capabilities of the target's components, by status (required, advisory,\n" +
			"deprecated, removed) and name: project, components, achievements, then each test as\n" +
			"name[idempotent_id] with its aliases and, when flagged, the reason, action and date. A\n" +
			"capability listed but not defined is marked so. The scoring criteria and their weights\n" +
			"come first. --target is as for \"guideline tests\"; --status keeps capabilities of the\n" +
			"given statuses (default: all). --json prints the same as a JSON object (keys id, schema,\n" +
			"status, target, statuses, cutoff_score, criteria, capabilities; see the guideline\n" +
			"package's Summary). An unknown target exits 1.\n\n" +
			guidelineSourceHelp,
		Flags: append([]ucli.Flag{
			targetFlag(),
			&ucli.StringFlag{Name: "status", Usage: "keep capabilities of these statuses: `LIST` of required, advisory, deprecated, removed (default: all)"},
			&ucli.BoolFlag{Name: "json", DisableDefaultText: true, Usage: "print JSON"},
		}, sourceFlags()...),
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usageErrorf("%s: want one guideline (a file or a name), got %d arguments", cmdPath(c), c.NArg())
			}
			statuses := statusList(e, c, "status")
			g, err := loadGuideline(c, c.Args().First())
			if err != nil {
				return err
			}
			s, err := guideline.Show(g, c.String("target"), statuses)
			if err != nil {
				return targetFailure(c, err)
			}
			out := bufio.NewWriter(e.stdout)
			if c.Bool("json") {
				writeJSON(out, s)
			} else {
				writeSummary(out, s)
			}
			return outputError(out.Flush())
		},
	}
}

// targetFailure reports an unknown target (exit code 1) or another error.
func targetFailure(c *ucli.Context, err error) error {
	var te *guideline.TargetError
	if errors.As(err, &te) {
		return &ExitError{Code: CodeCheckFailed, Err: fmt.Errorf("%s: %w", cmdPath(c), err)}
	}
	return notFinished(err)
}

// writeJSON prints v indented, with a final newline.
func writeJSON(w io.Writer, v any) {
	data, _ := json.MarshalIndent(v, "", "  ") // the models always encode
	w.Write(append(data, '\n'))
}

// testLine is a test as the test list prints it: name[idempotent_id], or
// the bare name without an id.
func testLine(name, id string) string {
	if id == "" {
		return name
	}
	return name + "[" + id + "]"
}

func flagText(f *guideline.FlagSummary) string {
	var parts []string
	for _, p := range []string{f.Action, f.Date} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	s := f.Reason
	if s == "" {
		s = "(no reason given)"
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

func writeSummary(w *bufio.Writer, s *guideline.Summary) {
	fmt.Fprintf(w, "%s (schema %s", s.ID, s.Schema)
	if s.Status != "" {
		fmt.Fprintf(w, ", %s", s.Status)
	}
	fmt.Fprintf(w, "), target %s\n", s.Target)
	if s.CutoffScore != "" {
		fmt.Fprintf(w, "cutoff score: %s\n", s.CutoffScore)
	}
	if len(s.Criteria) > 0 {
		fmt.Fprintln(w, "criteria:")
		width := 0
		for _, c := range s.Criteria {
			width = max(width, len(c.Key))
		}
		for _, c := range s.Criteria {
			fmt.Fprintf(w, "  %-*s  weight %3d  %s\n", width, c.Key, c.Weight, c.Name)
		}
	}
	if len(s.Capabilities) == 0 {
		fmt.Fprintln(w, "no capabilities")
		return
	}
	var status guideline.Status = "\x00"
	for _, c := range s.Capabilities {
		if c.Status != status {
			status = c.Status
			n := 0
			for _, d := range s.Capabilities {
				if d.Status == status {
					n++
				}
			}
			fmt.Fprintf(w, "%s (%d):\n", status, n)
		}
		if !c.Defined {
			fmt.Fprintf(w, "  %s (%s; listed but not defined)\n", c.Name, strings.Join(c.Components, ", "))
			continue
		}
		info := []string{c.Project}
		info = append(info, c.Components...)
		if c.Admin {
			info = append(info, "admin")
		}
		if c.RequiredSince != "" {
			info = append(info, "required since "+c.RequiredSince)
		}
		fmt.Fprintf(w, "  %s (%s)\n", c.Name, strings.Join(info, "; "))
		if len(c.Achievements) > 0 {
			fmt.Fprintf(w, "    achievements: %s\n", strings.Join(c.Achievements, ", "))
		}
		for _, t := range c.Tests {
			fmt.Fprintf(w, "    %s\n", testLine(t.Name, t.IdempotentID))
			for _, a := range t.Aliases {
				fmt.Fprintf(w, "      alias: %s\n", a)
			}
			if t.Flag != nil {
				fmt.Fprintf(w, "      flagged: %s\n", flagText(t.Flag))
			}
		}
	}
}
