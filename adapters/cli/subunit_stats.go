package cli

import (
	"bufio"
	"encoding/json"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/subunit"
)

func subunitStatsCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "stats",
		Usage:     "count the tests of a stream by outcome",
		ArgsUsage: inputArgsUsage,
		Description: "Prints what subunit-stats prints: the total, passed, failed and skipped counts and the\n" +
			"tags seen. Tests that never finished count as failed, xfail and uxsuccess as passed,\n" +
			"enumerated (exists) tests not at all. Output that belongs to no test is copied to\n" +
			"standard output first unless --no-passthrough or --json. Exits 1 when a test failed.",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "json", Usage: "print one JSON object: total, passed, failed, skipped, xfail, uxsuccess, tags", DisableDefaultText: true},
			noPassthroughFlag(),
			strictFlag(),
		},
		Action: func(c *ucli.Context) error {
			in, err := openInput(e, c)
			if err != nil {
				return err
			}
			defer in.close()
			asJSON := c.Bool("json")
			passthrough := !c.Bool("no-passthrough") && !asJSON
			out := bufio.NewWriterSize(e.stdout, 64<<10)
			var stats subunit.Stats
			a, err := subunit.NewAssembler(func(r *subunit.Record) error { stats.Add(r); return nil },
				subunit.WithExists(false), subunit.WithAttachmentLimit(0), subunit.WithRecordReuse())
			if err != nil {
				return notFinished(err)
			}
			err = eachEvent(c.Context, e, in, readOptions{strict: c.Bool("strict")},
				func(ev *subunit.Event) error {
					if passthrough && !ev.HasTestID() && ev.HasFile() {
						if _, err := out.Write(ev.FileContent); err != nil {
							return outputError(err)
						}
					}
					return a.Add(ev)
				},
				func(pe *subunit.PacketError) error { return a.AddError(pe) })
			if err == nil {
				err = a.Close()
			}
			if err == nil {
				if asJSON {
					err = writeStatsJSON(out, &stats)
				} else {
					_, err = stats.WriteTo(out)
				}
				err = outputError(err)
			}
			if ferr := out.Flush(); err == nil && ferr != nil {
				err = outputError(ferr)
			}
			if err != nil {
				return err
			}
			if !stats.Successful() {
				return checkFailed()
			}
			return nil
		},
	}
}

// statsJSON is the --json form of the counts.
type statsJSON struct {
	Total     int      `json:"total"`
	Passed    int      `json:"passed"`
	Failed    int      `json:"failed"`
	Skipped   int      `json:"skipped"`
	XFail     int      `json:"xfail"`
	UxSuccess int      `json:"uxsuccess"`
	Tags      []string `json:"tags"`
}

func writeStatsJSON(out *bufio.Writer, s *subunit.Stats) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(statsJSON{
		Total:     s.Total(),
		Passed:    s.Passed(),
		Failed:    s.Failed(),
		Skipped:   s.Skipped(),
		XFail:     s.Count(subunit.StatusXFail),
		UxSuccess: s.Count(subunit.StatusUxSuccess),
		Tags:      s.Tags(),
	})
}
