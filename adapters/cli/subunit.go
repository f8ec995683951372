package cli

import (
	ucli "github.com/urfave/cli/v2"
)

// subunitCommand groups the commands that work on subunit streams. Adding one
// is a new file with a func(*env) *ucli.Command and one line here.
func subunitCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "subunit",
		Usage:     "read, filter and convert subunit streams (v1 or v2)",
		UsageText: e.prog + " subunit command [command options] FILE|-",
		Description: "Each command reads one subunit stream from FILE, or from standard input when FILE is -.\n" +
			"Version 2 packets and version 1 text may be mixed. Bad packets are reported on\n" +
			"standard error and counted as the failed test \"subunit.parser\", as python-subunit\n" +
			"does; --strict makes the first one stop the command.",
		Subcommands: []*ucli.Command{
			subunitStatsCommand(e),
			subunitLsCommand(e),
			subunitFilterCommand(e),
			subunitJUnitCommand(e),
		},
		Action: func(c *ucli.Context) error {
			return noCommand(c, "subunit ", ucli.ShowSubcommandHelp)
		},
	}
}
