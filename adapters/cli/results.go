package cli

import (
	"errors"
	"fmt"
	"io"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/cpid"
)

func resultsCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "results",
		Usage:     "write the RefStack results JSON of a subunit stream",
		ArgsUsage: inputArgsUsage,
		Description: "Reads FILE (subunit v1 or v2; - for standard input) and writes the results document\n" +
			"RefStack takes: the cloud's CPID, the run's duration and every test whose final status\n" +
			"is success, in stream order, named and tagged with its uuid as refstack-client does.\n" +
			"The JSON is byte for byte what refstack-client writes after a run (indent 4), to -o\n" +
			"FILE or standard output. Upload it with: refstack upload FILE.\n\n" +
			"The CPID is --cpid as given, or the md5 of --keystone-endpoint's host name (as\n" +
			"refstack-client upload-subunit makes it), or else asked of Keystone with the cloud\n" +
			"credentials (see refstack cpid). The duration is --duration, or else the time from the\n" +
			"first to the last timestamp of the stream.",
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "cpid", Usage: "the cloud's `CPID`, as is"},
			&ucli.StringFlag{Name: "keystone-endpoint", Usage: "take the CPID from the host name of this Keystone `URL` (md5), without contacting it"},
			&ucli.Int64Flag{Name: "duration", DefaultText: "from the stream's timestamps", Usage: "the run's duration in `SECONDS`"},
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"},
			strictFlag(),
		}, cloudFlags()...),
		Action: func(c *ucli.Context) error {
			if c.IsSet("cpid") && c.IsSet("keystone-endpoint") {
				return usageErrorf("results: give --cpid or --keystone-endpoint, not both")
			}
			if c.IsSet("duration") && c.Int64("duration") < 0 {
				return usageErrorf("results: --duration %d: want 0 or more", c.Int64("duration"))
			}
			in, err := openInput(e, c)
			if err != nil {
				return err
			}
			defer in.close()
			id, err := resultsCPID(c, e)
			if err != nil {
				return err
			}
			col, err := collectPassed(c.Context, e, in, c.Bool("strict"))
			if err != nil {
				return err
			}
			duration := c.Int64("duration")
			if !c.IsSet("duration") {
				span, _ := col.Span()
				duration = int64(span / time.Second)
			}
			doc := col.Document(id, duration)
			fmt.Fprintf(e.stderr, "Number of passed tests: %d\n", len(doc.Results))
			if len(doc.Results) == 0 {
				fmt.Fprintf(e.stderr, "%s: warning: no test passed in %s: RefStack will refuse these results\n", e.prog, in.name)
			}
			if out := c.String("output"); out != "" {
				if err := writeFileAtomic(out, 0o644, func(w io.Writer) error { _, err := w.Write(doc.File()); return err }); err != nil {
					return notFinished(err)
				}
				fmt.Fprintf(e.stderr, "JSON results saved in: %s\n", out)
				return nil
			}
			_, err = e.stdout.Write(append(doc.File(), '\n'))
			return outputError(err)
		},
	}
}

// resultsCPID finds the CPID from --cpid, --keystone-endpoint or the cloud
// credentials, and says on standard error how it was found.
func resultsCPID(c *ucli.Context, e *env) (string, error) {
	switch {
	case c.IsSet("cpid"):
		if c.String("cpid") == "" {
			return "", usageErrorf("results: --cpid is empty")
		}
		return c.String("cpid"), nil
	case c.IsSet("keystone-endpoint"):
		id, err := cpid.HashURL(c.String("keystone-endpoint"))
		if err != nil {
			return "", usageErrorf("results: --keystone-endpoint: %v", err)
		}
		return id, nil
	}
	creds, opts, err := credentialsFromFlags(c)
	if ee := (*ExitError)(nil); errors.As(err, &ee) && ee.Code == CodeUsage {
		return "", usageErrorf("results: no CPID: give --cpid C, --keystone-endpoint URL or the cloud's credentials: %v", ee.Err)
	}
	if err != nil {
		return "", err
	}
	res, err := cpid.Discover(c.Context, creds, opts...)
	if err != nil {
		return "", notFinished(err)
	}
	if res.Fallback != nil {
		fmt.Fprintf(e.stderr, "%s: warning: CPID from the host name of %s, not from Keystone: %v\n", e.prog, res.AuthURL, res.Fallback)
	}
	fmt.Fprintf(e.stderr, "CPID %s (%v)\n", res.CPID, res.Method)
	return res.CPID, nil
}
