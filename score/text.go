package score

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/refstack-go/refstack/guideline"
)

// statusTitle is a status as the page heads its group ("Required").
func statusTitle(s guideline.Status) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

// WriteText writes the report for a terminal: the page's sentence and
// compliance line, a table of the capabilities of each status that has
// any, and the required tests that did not pass.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Guideline: %s (schema %s)\n", r.Guideline, r.Schema)
	fmt.Fprintf(bw, "Program:   %s (target %s)\n", r.Program, r.Target)
	fmt.Fprintf(bw, "Matching:  %s\n\n", r.Match)
	fmt.Fprintf(bw, "%s\n%s\n", r.Sentence(), r.ComplianceLine())
	for _, st := range guideline.Statuses() {
		s := r.Statuses[st]
		if s == nil || len(s.Capabilities) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n%s (Total: %d capabilities, %d tests; passed %d; flagged: %d passed, %d not passed)\n",
			statusTitle(st), len(s.Capabilities), s.Tests, s.Passed, s.FlaggedPassed, s.FlaggedFailed)
		tw := tabwriter.NewWriter(bw, 0, 8, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "PASSED\tTOTAL\tFLAGGED\t  CAPABILITY\n")
		for i := range s.Capabilities {
			c := &s.Capabilities[i]
			name := c.Name
			if !c.Defined {
				name += " (not defined in the guideline)"
			}
			fmt.Fprintf(tw, "%d\t%d\t%d\t  %s\n", c.Passed, c.Total, c.Flagged, name)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if req := r.Statuses[guideline.Required]; req != nil && req.Passed < req.Tests {
		fmt.Fprintf(bw, "\nRequired tests not passed (%d):\n", req.Tests-req.Passed)
		for c, t := range req.notPassed() {
			fmt.Fprintf(bw, "  %s  %s", c.Name, t.Name)
			if t.Flagged {
				bw.WriteString("  [flagged")
				if t.FlagReason != "" {
					bw.WriteString(": " + t.FlagReason)
				}
				bw.WriteString("]")
			}
			bw.WriteString("\n")
		}
	}
	return bw.Flush()
}
