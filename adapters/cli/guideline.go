package cli

import (
	ucli "github.com/urfave/cli/v2"
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
