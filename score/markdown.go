package score

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/refstack-go/refstack/guideline"
)

// mdEscape makes text safe in a Markdown table cell.
var mdEscape = strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`")

// WriteMarkdown writes the report as GitHub-flavoured Markdown, for a CI
// job summary: a heading with the verdict, the page's sentence, a table of
// the statuses, a table of the required capabilities and, folded, the
// required tests that did not pass.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	verdict := "✅ compliant"
	if !r.Compliant {
		verdict = "❌ not compliant"
	}
	fmt.Fprintf(bw, "## RefStack score: %s, %s: %s\n\n", mdEscape.Replace(r.Guideline), mdEscape.Replace(r.Program), verdict)
	fmt.Fprintf(bw, "%s\n\n**%s**\n\n", mdEscape.Replace(r.Sentence()), mdEscape.Replace(r.ComplianceLine()))
	fmt.Fprintf(bw, "Schema %s, target `%s`, matching by %s.\n\n", mdEscape.Replace(r.Schema), strings.ReplaceAll(r.Target, "`", "'"), r.Match)
	bw.WriteString("| Status | Capabilities | Tests | Passed | Flagged passed | Flagged not passed |\n")
	bw.WriteString("|---|---:|---:|---:|---:|---:|\n")
	for _, st := range guideline.Statuses() {
		s := r.Statuses[st]
		if s == nil {
			continue
		}
		fmt.Fprintf(bw, "| %s | %d | %d | %d | %d | %d |\n", statusTitle(st), len(s.Capabilities), s.Tests, s.Passed, s.FlaggedPassed, s.FlaggedFailed)
	}
	req := r.Statuses[guideline.Required]
	if req != nil && len(req.Capabilities) > 0 {
		bw.WriteString("\n### Required capabilities\n\n| | Capability | Passed | Total | Flagged |\n|---|---|---:|---:|---:|\n")
		for i := range req.Capabilities {
			c := &req.Capabilities[i]
			mark := "🟡"
			switch {
			case c.Total == 0:
				mark = "⚪"
			case c.Passed == c.Total:
				mark = "🟢"
			case c.Passed == 0:
				mark = "🔴"
			}
			fmt.Fprintf(bw, "| %s | %s | %d | %d | %d |\n", mark, mdEscape.Replace(c.Name), c.Passed, c.Total, c.Flagged)
		}
	}
	if req != nil && req.Passed < req.Tests {
		fmt.Fprintf(bw, "\n<details><summary>Required tests not passed (%d)</summary>\n\n", req.Tests-req.Passed)
		for c, t := range req.notPassed() {
			fmt.Fprintf(bw, "- %s: `%s`", mdEscape.Replace(c.Name), strings.ReplaceAll(t.Name, "`", "'"))
			if t.Flagged {
				bw.WriteString(" (flagged")
				if t.FlagReason != "" {
					bw.WriteString(": " + mdEscape.Replace(t.FlagReason))
				}
				bw.WriteString(")")
			}
			bw.WriteString("\n")
		}
		bw.WriteString("\n</details>\n")
	}
	return bw.Flush()
}
