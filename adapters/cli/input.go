package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/subunit"
)

// inputArgsUsage is the ArgsUsage of every command that reads one stream.
const inputArgsUsage = "FILE|-"

// input is the stream a command reads: a file, or standard input for "-".
type input struct {
	name  string // the path as given, or "stdin"
	r     io.Reader
	close func() error
}

// openInput opens the single FILE|- argument of c. A missing or extra
// argument is a usage error; a file that cannot be opened stops the command.
func openInput(e *env, c *ucli.Context) (*input, error) {
	switch c.NArg() {
	case 0:
		return nil, usageErrorf("%s: missing input: give a subunit file, or - for standard input", cmdPath(c))
	case 1:
	default:
		return nil, usageErrorf("%s: want one input, got %d arguments: %q", cmdPath(c), c.NArg(), c.Args().Slice())
	}
	path := c.Args().First()
	if path == "-" {
		return &input{name: "stdin", r: e.stdin, close: func() error { return nil }}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, notFinished(err) // *fs.PathError names the path
	}
	return &input{name: path, r: f, close: f.Close}, nil
}

// readOptions are the reader settings every subunit command shares.
type readOptions struct {
	strict bool // --strict: the first bad packet stops the command
}

func strictFlag() ucli.Flag {
	return &ucli.BoolFlag{
		Name:               "strict",
		DisableDefaultText: true,
		Usage:              "stop at the first bad packet (exit code 3) instead of reporting it as the failed test \"subunit.parser\" and going on",
	}
}

func noPassthroughFlag() ucli.Flag {
	return &ucli.BoolFlag{
		Name:               "no-passthrough",
		DisableDefaultText: true,
		Usage:              "drop output that belongs to no test (non-subunit text, run-level attachments)",
	}
}

// eachEvent reads in to its end and calls handle for every event. A bad packet
// stops the command under --strict; otherwise it is reported on stderr and
// handed to onBad (as python-subunit turns it into a "subunit.parser" test).
// Events are only valid during the call (see subunit.Reader).
func eachEvent(ctx context.Context, e *env, in *input, o readOptions, handle func(*subunit.Event) error, onBad func(*subunit.PacketError) error) error {
	// Read-ahead decodes on a second core while this one assembles, counts
	// and writes: the whole command is about a third faster on two cores.
	opts := []subunit.ReaderOption{subunit.WithReadAhead()}
	if o.strict {
		opts = append(opts, subunit.WithStrict())
	}
	rd, err := subunit.NewReader(in.r, opts...)
	if err != nil {
		return notFinished(fmt.Errorf("%s: %w", in.name, err))
	}
	defer rd.Close()
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return notFinished(fmt.Errorf("%s: interrupted: %w", in.name, context.Cause(ctx)))
		}
		ev, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *subunit.PacketError
			if o.strict || !errors.As(err, &pe) {
				return notFinished(fmt.Errorf("%s: %w", in.name, err))
			}
			fmt.Fprintf(e.stderr, "%s: warning: %s: %v\n", e.prog, in.name, err)
			if err := onBad(pe); err != nil {
				return err
			}
			continue
		}
		if err := handle(ev); err != nil {
			return err
		}
	}
}
