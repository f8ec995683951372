package cli

import (
	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/subunit"
)

func subunitJUnitCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "junit",
		Usage:     "convert a stream to JUnit XML for Jenkins and GitLab",
		ArgsUsage: inputArgsUsage,
		Description: "Writes one <testsuites> holding one <testsuite> with a <testcase> per test: fail and\n" +
			"uxsuccess give a <failure> (the traceback as text), skip a <skipped> with the reason,\n" +
			"a test that never finished an <error>; the stdout and stderr attachments become\n" +
			"<system-out> and <system-err>. The classname is the test id up to its last '.' before\n" +
			"any '['; the name is the rest. Enumerated (exists) tests are left out. Attachments are\n" +
			"cut at 1 MiB. Exits 1 when the suite has failures or errors.",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "suite-name", Value: "refstack", Usage: "the name of the <testsuite>"},
			strictFlag(),
		},
		Action: func(c *ucli.Context) error {
			in, err := openInput(e, c)
			if err != nil {
				return err
			}
			defer in.close()
			report := newJUnitReport(c.String("suite-name"), "")
			defer report.cases.Close()
			a, err := subunit.NewAssembler(report.add, subunit.WithExists(false))
			if err != nil {
				return notFinished(err)
			}
			err = eachEvent(c.Context, e, in, readOptions{strict: c.Bool("strict")}, a.Add,
				func(pe *subunit.PacketError) error { return a.AddError(pe) })
			if err == nil {
				err = a.Close()
			}
			if err != nil {
				return err
			}
			if err := report.finish(e.stdout); err != nil {
				return outputError(err)
			}
			if report.failures+report.errors > 0 {
				return checkFailed()
			}
			return nil
		},
	}
}
