package cli

import (
	"fmt"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/guideline"
)

// guidelineCommand groups the commands that work on interop guidelines.
// Adding one is a new file with a func(*env) *ucli.Command and one line here.
func guidelineCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "guideline",
		Usage:     "read interop guidelines: list, show, diff, test lists, validation",
		UsageText: e.prog + " guideline command [command options] [arguments...]",
		Description: "Interop guidelines are the JSON documents of the OpenStack Interop Working Group that\n" +
			"say which capabilities and Tempest tests a cloud must pass. Every schema version (1.2 to\n" +
			"2.0) is read. Where a command takes a guideline, give a file path, or a name such as\n" +
			"2020.06, dns.2020.06 or 2020.06.json, looked up in --source.",
		Subcommands: []*ucli.Command{
			guidelineTestsCommand(e),
			guidelineListCommand(e),
			guidelineValidateCommand(e),
			guidelineShowCommand(e),
			guidelineDiffCommand(e),
		},
		Action: func(c *ucli.Context) error {
			return noCommand(c, "guideline ", ucli.ShowSubcommandHelp)
		},
	}
}

// targetFlag is the --target of the guideline commands that select the
// capabilities of a program.
func targetFlag() ucli.Flag {
	return &ucli.StringFlag{Name: "target", Value: "platform", Usage: "what is tested: `T` = platform, compute, object, dns, orchestration or an add-on name"}
}

// statusList reads the comma list of statuses in flag (nil when unset). A
// status no capability has is kept, matching nothing as in RefStack, with a
// warning on standard error.
func statusList(e *env, c *ucli.Context, flag string) []guideline.Status {
	v := c.String(flag)
	if v == "" {
		return nil
	}
	var out []guideline.Status
	for s := range strings.SplitSeq(v, ",") {
		if !slices.Contains(guideline.Statuses(), guideline.Status(s)) {
			fmt.Fprintf(e.stderr, "%s: warning: --%s %q: no capability has this status; it matches nothing\n", e.prog, flag, s)
		}
		out = append(out, guideline.Status(s))
	}
	return out
}
