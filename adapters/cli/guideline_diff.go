package cli

import (
	"bufio"
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/guideline"
)

func guidelineDiffCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "diff",
		Usage:     "print what changed between two guidelines: capabilities and tests",
		ArgsUsage: "OLD NEW",
		Description: "Compares the capabilities of the target's components in OLD and NEW (files or names):\n" +
			"capabilities added, removed (no longer listed) or moved from one status to another, and\n" +
			"their tests added, removed, renamed (a new test with the old name among its aliases, or\n" +
			"with the same idempotent id), flagged or unflagged. --target is as for \"guideline tests\"\n" +
			"and must exist in both. --json prints a JSON object (keys old, new, target, capabilities,\n" +
			"tests; see the guideline package's Delta). Exits 0 whether or not anything changed, 1\n" +
			"for an unknown target.\n\n" +
			guidelineSourceHelp,
		Flags: append([]ucli.Flag{
			targetFlag(),
			&ucli.BoolFlag{Name: "json", DisableDefaultText: true, Usage: "print JSON"},
		}, sourceFlags()...),
		Action: func(c *ucli.Context) error {
			if c.NArg() != 2 {
				return usageErrorf("%s: want two guidelines, OLD and NEW (files or names), got %d arguments", cmdPath(c), c.NArg())
			}
			old, err := loadGuideline(c, c.Args().Get(0))
			if err != nil {
				return err
			}
			new, err := loadGuideline(c, c.Args().Get(1))
			if err != nil {
				return err
			}
			d, err := guideline.Diff(old, new, c.String("target"))
			if err != nil {
				return targetFailure(c, err)
			}
			out := bufio.NewWriter(e.stdout)
			if c.Bool("json") {
				writeJSON(out, d)
			} else {
				writeDelta(out, d)
			}
			return outputError(out.Flush())
		},
	}
}

func writeDelta(w *bufio.Writer, d *guideline.Delta) {
	fmt.Fprintf(w, "%s -> %s, target %s\n", d.Old, d.New, d.Target)
	if len(d.Capabilities) == 0 && len(d.Tests) == 0 {
		fmt.Fprintln(w, "no changes")
		return
	}
	if len(d.Capabilities) > 0 {
		fmt.Fprintf(w, "capabilities (%d):\n", len(d.Capabilities))
		for _, c := range d.Capabilities {
			switch c.Kind {
			case guideline.ChangeAdded:
				fmt.Fprintf(w, "  added      %s (%s)\n", c.Name, c.To)
			case guideline.ChangeRemoved:
				fmt.Fprintf(w, "  removed    %s (was %s)\n", c.Name, c.From)
			default:
				fmt.Fprintf(w, "  %-10s %s: %s -> %s\n", c.Kind, c.Name, c.From, c.To)
			}
		}
	}
	if len(d.Tests) > 0 {
		fmt.Fprintf(w, "tests (%d):\n", len(d.Tests))
		for _, t := range d.Tests {
			caps := strings.Join(t.Capabilities, ", ")
			switch t.Kind {
			case guideline.ChangeRenamed:
				fmt.Fprintf(w, "  renamed    %s -> %s (%s)\n", t.OldName, testLine(t.Name, t.IdempotentID), caps)
			case guideline.ChangeFlagged:
				fmt.Fprintf(w, "  flagged    %s: %s\n", t.Name, flagText(t.Flag))
			case guideline.ChangeUnflagged:
				fmt.Fprintf(w, "  unflagged  %s (was: %s)\n", t.Name, flagText(t.Flag))
			default:
				fmt.Fprintf(w, "  %-10s %s (%s)\n", t.Kind, testLine(t.Name, t.IdempotentID), caps)
			}
		}
	}
}
