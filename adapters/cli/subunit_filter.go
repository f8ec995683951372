package cli

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/subunit"
)

func subunitFilterCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "filter",
		Usage:     "keep the tests that match, as a subunit v2 stream",
		ArgsUsage: inputArgsUsage,
		Description: "Writes to standard output a subunit v2 stream holding every event of the tests whose id\n" +
			"matches --regex (and not --without-regex) and whose final status is one of --status.\n" +
			"Events are copied, not re-synthesised: timestamps, attachments, chunking, tags, route\n" +
			"codes and the runnable flag survive. With no flag every test is kept (subunit-filter\n" +
			"drops successes by default; this command does not). With --status, the events of a\n" +
			"test are held until its final status, so memory grows with the tests in progress.\n" +
			"Events outside any test are kept unless --no-passthrough; non-subunit text comes out\n" +
			"wrapped in v2 packets as the file \"stdout\".",
		Flags: []ucli.Flag{
			statusFlag("keep only tests whose final status is one of these"),
			&ucli.StringFlag{Name: "regex", Usage: "keep only tests whose id matches this regular expression (RE2 syntax, unanchored)"},
			&ucli.StringFlag{Name: "without-regex", Usage: "drop tests whose id matches this regular expression"},
			noPassthroughFlag(),
			strictFlag(),
		},
		Action: func(c *ucli.Context) error {
			statuses, err := parseStatuses(c.StringSlice("status"))
			if err != nil {
				return err
			}
			match, err := idMatcher(c.String("regex"), c.String("without-regex"))
			if err != nil {
				return err
			}
			in, err := openInput(e, c)
			if err != nil {
				return err
			}
			defer in.close()
			w, err := subunit.NewWriter(e.stdout)
			if err != nil {
				return notFinished(err)
			}
			f := newStreamFilter(w, statuses, match, !c.Bool("no-passthrough"))
			err = eachEvent(c.Context, e, in, readOptions{strict: c.Bool("strict")}, f.add,
				func(pe *subunit.PacketError) error {
					for _, ev := range parserErrorEvents(pe) {
						if err := f.add(ev); err != nil {
							return err
						}
					}
					return nil
				})
			if err == nil {
				err = f.finish()
			}
			if ferr := w.Flush(); err == nil && ferr != nil {
				err = outputError(ferr)
			}
			return err
		},
	}
}

// idMatcher compiles the --regex and --without-regex flags into a predicate on
// test ids. Empty patterns are not used.
func idMatcher(with, without string) (func(id []byte) bool, error) {
	var in, out *regexp.Regexp
	var err error
	if with != "" {
		if in, err = regexp.Compile(with); err != nil {
			return nil, usageErrorf("--regex: %w", err)
		}
	}
	if without != "" {
		if out, err = regexp.Compile(without); err != nil {
			return nil, usageErrorf("--without-regex: %w", err)
		}
	}
	return func(id []byte) bool {
		return (in == nil || in.Match(id)) && (out == nil || !out.Match(id))
	}, nil
}

// streamFilter copies the events of the selected tests to a Writer, in input
// order for each test. A test is selected when match accepts its id and its
// final status is in statuses (tests still open at the end of the stream have
// status inprogress, or unknown when they were never started). Events without
// a test id are copied when passthrough is on.
//
// Without a status filter the choice rests on the id alone and each event is
// written as it arrives. With one, the events of a test are cloned and held
// until its final status; tests are keyed by id and route code, as testtools
// keys its records, so memory is bounded by the tests in progress at once.
type streamFilter struct {
	w           *subunit.Writer
	statuses    statusSet
	match       func(id []byte) bool
	passthrough bool

	open map[recordKey]*heldTest
	seq  int
}

type heldTest struct {
	seq    int
	keep   bool           // the id matched: hold the events
	status subunit.Status // last status seen; StatusUnknown if none
	events []*subunit.Event
}

func newStreamFilter(w *subunit.Writer, statuses statusSet, match func([]byte) bool, passthrough bool) *streamFilter {
	return &streamFilter{w: w, statuses: statuses, match: match, passthrough: passthrough, open: map[recordKey]*heldTest{}}
}

func (f *streamFilter) add(ev *subunit.Event) error {
	if !ev.HasTestID() {
		if f.passthrough {
			return f.write(ev)
		}
		return nil
	}
	if f.statuses == nil {
		if f.match(ev.TestID) {
			return f.write(ev)
		}
		return nil
	}
	k := keyOf(ev)
	t := f.open[k]
	if t == nil {
		f.seq++
		t = &heldTest{seq: f.seq, keep: f.match(ev.TestID), status: subunit.StatusUnknown}
		f.open[k] = t
	}
	if ev.Status != subunit.StatusUndefined {
		t.status = ev.Status
	}
	if t.keep {
		t.events = append(t.events, ev.Clone())
	}
	if !ev.Status.Final() {
		return nil
	}
	delete(f.open, k)
	return f.release(t)
}

// finish writes the selected tests that never reached a final status, in the
// order they began.
func (f *streamFilter) finish() error {
	held := make([]*heldTest, 0, len(f.open))
	for _, t := range f.open {
		held = append(held, t)
	}
	clear(f.open)
	slices.SortFunc(held, func(a, b *heldTest) int { return cmp.Compare(a.seq, b.seq) })
	for _, t := range held {
		if err := f.release(t); err != nil {
			return err
		}
	}
	return nil
}

// release writes t's events if t is selected and lets them go.
func (f *streamFilter) release(t *heldTest) error {
	defer func() { t.events = nil }()
	if !t.keep || !f.statuses.has(t.status) {
		return nil
	}
	for _, ev := range t.events {
		if err := f.write(ev); err != nil {
			return err
		}
	}
	return nil
}

func (f *streamFilter) write(ev *subunit.Event) error {
	if err := f.w.Write(ev); err != nil {
		return writeEventError(ev, err)
	}
	return nil
}

// writeEventError wraps a Writer error. The Writer rejects events it cannot
// encode (an error wrapping one of the subunit.ErrWriter sentinels, which the
// Reader never produces) and reports failed writes to its output.
func writeEventError(ev *subunit.Event, err error) error {
	return notFinished(fmt.Errorf("write event at input byte %d: %w", ev.Offset, err))
}
