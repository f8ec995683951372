package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/guideline"
)

// maxGuidelineFile caps what guideline validate reads of one file; the
// largest published guideline is under 200 KB.
const maxGuidelineFile = 32 << 20

func guidelineValidateCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "validate",
		Usage:     "check guideline files against strict schemas for their schema version",
		ArgsUsage: "FILE...",
		Description: "Checks each file against our JSON Schema for the version it declares (\"schema\" in 1.2-1.6,\n" +
			"\"metadata.schema\" in 2.0), which covers every capability and test entry, and that the\n" +
			"components list defined capabilities. Prints one line per problem:\n" +
			"  FILE:LINE:COL: POINTER: message\n" +
			"where POINTER is the JSON pointer of the offending value (left out for the whole document,\n" +
			"as for invalid JSON). Known quirks of the published guidelines (misspelled keys, both\n" +
			"spellings of required-since, bare idempotent ids, capabilities listed but not defined\n" +
			"and the reverse) are printed as \"warning: ...\" and do not make a file invalid.\n" +
			"Exits 0 when every file is valid, 1 when one is not, 3 when one cannot be read.\n" +
			"A FILE of - reads standard input.",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "no-warnings", DisableDefaultText: true, Usage: "print errors only"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() == 0 {
				return usageErrorf("%s: no FILE given", cmdPath(c))
			}
			v, err := guideline.NewValidator()
			if err != nil {
				return notFinished(err)
			}
			out := bufio.NewWriter(e.stdout)
			invalid, unreadable := false, false
			for _, name := range c.Args().Slice() {
				data, err := readGuidelineFile(e, name)
				if err != nil {
					unreadable = true
					fmt.Fprintf(e.stderr, "%s: %v\n", e.prog, err)
					continue
				}
				r := v.Validate(data)
				if !r.Valid() {
					invalid = true
				}
				for _, p := range r.Problems {
					if p.Warning && c.Bool("no-warnings") {
						continue
					}
					fmt.Fprintf(out, "%s:%s\n", name, p)
				}
				// Keep the lines of a file together with any error that
				// the next file writes to stderr.
				if err := out.Flush(); err != nil {
					return outputError(err)
				}
			}
			switch {
			case unreadable:
				return &ExitError{Code: CodeNotFinished}
			case invalid:
				return checkFailed()
			}
			return nil
		},
	}
}

// readGuidelineFile reads a file, or standard input for "-".
func readGuidelineFile(e *env, name string) ([]byte, error) {
	var r io.Reader = e.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxGuidelineFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxGuidelineFile {
		return nil, fmt.Errorf("%s: %w", name, errTooLarge)
	}
	return data, nil
}

var errTooLarge = errors.New("larger than 32 MiB: not a guideline")
