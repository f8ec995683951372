package cli

import (
	"bufio"
	"cmp"
	"slices"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/subunit"
)

func subunitLsCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "ls",
		Usage:     "list the test ids of a stream, one per line",
		ArgsUsage: inputArgsUsage,
		Description: "Prints each test id when its final status arrives, in stream order, then the ids of\n" +
			"tests that never finished, as subunit-ls does (a test that finishes twice is listed\n" +
			"twice). Output that belongs to no test is copied to standard output unless\n" +
			"--no-passthrough. Exits 1 when a test failed or never finished.",
		Flags: []ucli.Flag{
			statusFlag("list only tests whose final status is one of these"),
			&ucli.BoolFlag{Name: "exists", Usage: "also list tests the stream only enumerates (status exists)", DisableDefaultText: true},
			noPassthroughFlag(),
			strictFlag(),
		},
		Action: func(c *ucli.Context) error {
			statuses, err := parseStatuses(c.StringSlice("status"))
			if err != nil {
				return err
			}
			in, err := openInput(e, c)
			if err != nil {
				return err
			}
			defer in.close()
			out := bufio.NewWriterSize(e.stdout, 64<<10)
			l := newLister(out, statuses, c.Bool("exists"), !c.Bool("no-passthrough"))
			err = eachEvent(c.Context, e, in, readOptions{strict: c.Bool("strict")}, l.add,
				func(pe *subunit.PacketError) error {
					for _, ev := range parserErrorEvents(pe) {
						if err := l.add(ev); err != nil {
							return err
						}
					}
					return nil
				})
			if err == nil {
				err = l.finish()
			}
			if ferr := out.Flush(); err == nil && ferr != nil {
				err = notFinished(ferr)
			}
			if err != nil {
				return err
			}
			if l.failed {
				return checkFailed()
			}
			return nil
		},
	}
}

// lister prints test ids the way subunit-ls (python-subunit's
// TestIdPrintingResult behind a CatFiles router) does:
//   - an event without a test id is output outside any test: with passthrough
//     on, the content of its file chunk is copied out raw;
//   - an event with an empty test id is ignored;
//   - an "exists" event prints its id when exists are listed;
//   - an interim event (no status, inprogress) marks the id active;
//   - a final event prints the id and clears it;
//   - at the end, ids still active print in the order they became active.
//
// Tests are keyed by id alone, as subunit-ls keys them. It also tracks what
// subunit-ls's exit code depends on (testtools' StreamSummary, keyed by id and
// route code): a test that failed, or that never finished.
type lister struct {
	out         *bufio.Writer
	statuses    statusSet // nil: every final status, inprogress and unknown; exists only with exists
	exists      bool
	passthrough bool

	active map[string]activeTest
	seq    int
	open   map[recordKey]subunit.Status // StreamSummary's view, for the exit code
	failed bool
}

type activeTest struct {
	seq    int            // insertion order
	status subunit.Status // StatusInProgress once started, else StatusUnknown
}

// recordKey identifies a test the way testtools does: id and route code
// (an absent route code differs from an empty one).
type recordKey struct {
	id, route string
	routed    bool
}

func keyOf(ev *subunit.Event) recordKey {
	if ev.Flags&subunit.FlagRouteCode == 0 {
		return recordKey{id: string(ev.TestID)}
	}
	return recordKey{id: string(ev.TestID), route: string(ev.RouteCode), routed: true}
}

func newLister(out *bufio.Writer, statuses statusSet, exists, passthrough bool) *lister {
	return &lister{
		out: out, statuses: statuses, exists: exists, passthrough: passthrough,
		active: map[string]activeTest{}, open: map[recordKey]subunit.Status{},
	}
}

func (l *lister) add(ev *subunit.Event) error {
	if !ev.HasTestID() {
		if l.passthrough && ev.HasFile() {
			_, err := l.out.Write(ev.FileContent)
			return outputError(err)
		}
		return nil
	}
	l.summarise(ev)
	if len(ev.TestID) == 0 {
		return nil
	}
	switch {
	case ev.Status == subunit.StatusExists:
		if l.exists || l.statuses != nil && l.statuses[subunit.StatusExists] {
			return l.print(ev.TestID)
		}
	case !ev.Status.Final():
		id := string(ev.TestID)
		a, ok := l.active[id]
		if !ok {
			l.seq++
			a = activeTest{seq: l.seq, status: subunit.StatusUnknown}
		}
		if ev.Status == subunit.StatusInProgress {
			a.status = subunit.StatusInProgress
		}
		l.active[id] = a
	default:
		delete(l.active, string(ev.TestID))
		if l.selects(ev.Status) {
			return l.print(ev.TestID)
		}
	}
	return nil
}

// finish prints the tests that never reached a final status.
func (l *lister) finish() error {
	if len(l.open) > 0 {
		l.failed = true // StreamSummary: "Test did not complete"
	}
	ids := make([]string, 0, len(l.active))
	for id := range l.active {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(l.active[a].seq, l.active[b].seq) })
	for _, id := range ids {
		if l.selects(l.active[id].status) {
			if err := l.print([]byte(id)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *lister) selects(st subunit.Status) bool {
	if l.statuses == nil {
		return st != subunit.StatusExists || l.exists
	}
	return l.statuses[st]
}

func (l *lister) print(id []byte) error {
	l.out.Write(id)
	return outputError(l.out.WriteByte('\n'))
}

// summarise follows testtools' StreamSummary: a record per (id, route code)
// that ends at its final status; fail, and records left open at the end, make
// the run unsuccessful. exists is ignored; uxsuccess does not count.
func (l *lister) summarise(ev *subunit.Event) {
	k := keyOf(ev)
	st, ok := l.open[k]
	if !ok {
		st = subunit.StatusUnknown
	}
	if ev.Status != subunit.StatusUndefined {
		st = ev.Status
	}
	if !st.Final() {
		l.open[k] = st
		return
	}
	delete(l.open, k)
	if st == subunit.StatusFail {
		l.failed = true
	}
}
