package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/submit"
)

func listCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "list",
		Usage: "list the results a RefStack server shows, newest first",
		Description: "Pages through GET URL/v1/results/ and prints \"<created_at> - <url>\" per result, as\n" +
			"refstack-client list does, pausing after each page only when standard input and\n" +
			"output are both a terminal. Dates are UTC, \"YYYY-MM-DD HH:MM:SS\" or \"YYYY-MM-DD\"\n" +
			"(the whole day), and both bounds are inclusive. --json prints one JSON array instead.",
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "start-date", Usage: "only results created at or after `DATE`"},
			&ucli.StringFlag{Name: "end-date", Usage: "only results created at or before `DATE`"},
			&ucli.StringFlag{Name: "cpid", Usage: "only results of the cloud `CPID`"},
			&ucli.BoolFlag{Name: "json", DisableDefaultText: true, Usage: "print the results as one JSON array, with every field the server gives"},
		}, networkFlags()...),
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("list: unexpected argument %q", c.Args().First())
			}
			var q submit.ListQuery
			var err error
			if q.Start, err = parseListDate(c.String("start-date"), false); err != nil {
				return usageErrorf("list: --start-date: %v", err)
			}
			if q.End, err = parseListDate(c.String("end-date"), true); err != nil {
				return usageErrorf("list: --end-date: %v", err)
			}
			if !q.Start.IsZero() && !q.End.IsZero() && q.Start.After(q.End) {
				return usageErrorf("list: --start-date is after --end-date")
			}
			q.CPID = c.String("cpid")
			client, _, err := newSubmitClient(c, e)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return listJSON(c, e, client, q)
			}
			pause := isTerminal(e.stdin) && isTerminal(e.stdout)
			answers := bufio.NewReader(e.stdin)
			out := bufio.NewWriter(e.stdout)
			for p, err := range client.Pages(c.Context, q) {
				if err != nil {
					out.Flush()
					return notFinished(err)
				}
				for _, r := range p.Results {
					fmt.Fprintf(out, "%s - %s\n", r.CreatedAt, r.URL)
				}
				if p.Number < p.TotalPages && pause {
					fmt.Fprint(out, "Press Enter to go to next page...")
					if err := out.Flush(); err != nil {
						return outputError(err)
					}
					if _, err := readLine(c.Context, answers); err != nil {
						return nil // end of input or interrupt: stop listing, as refstack-client does
					}
				}
			}
			return outputError(out.Flush())
		},
	}
}

// listJSON prints every result as one JSON array.
func listJSON(c *ucli.Context, e *env, client *submit.Client, q submit.ListQuery) error {
	all := []*submit.ListedResult{}
	for r, err := range client.List(c.Context, q) {
		if err != nil {
			return notFinished(err)
		}
		all = append(all, r)
	}
	data, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return notFinished(err)
	}
	_, err = e.stdout.Write(append(data, '\n'))
	return outputError(err)
}

// parseListDate reads a --start-date or --end-date: "" is no bound; a date
// alone is the start of that day, or its last second for an end.
func parseListDate(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(submit.DateFormat, s, time.UTC); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want \"YYYY-MM-DD HH:MM:SS\" or \"YYYY-MM-DD\" (UTC)", s)
	}
	if end {
		t = t.Add(24*time.Hour - time.Second)
	}
	return t, nil
}
