package tempest

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/refstack-go/refstack/subunit"
)

// Counts is the progress of a run at one moment.
type Counts struct {
	Done     int // tests finished, whatever their status
	Expected int // tests the run should have; 0 when unknown
	Passed   int // success and expected failures
	Failed   int // failures, unexpected successes, bad packets
	Skipped  int
	Elapsed  time.Duration
}

// ETA estimates the time left from the pace so far. It is false before the
// first test has finished and when Expected is unknown or reached.
func (c Counts) ETA() (time.Duration, bool) {
	if c.Done == 0 || c.Expected <= c.Done || c.Elapsed <= 0 {
		return 0, false
	}
	per := c.Elapsed / time.Duration(c.Done)
	return per * time.Duration(c.Expected-c.Done), true
}

// Tally counts finished tests as Follow hands them over. It is safe for
// concurrent use: Follow adds from one goroutine, a display reads from another.
type Tally struct {
	mu       sync.Mutex
	expected int
	c        Counts
}

// NewTally returns a Tally of a run of expected tests (0: unknown).
func NewTally(expected int) *Tally { return &Tally{expected: expected} }

// Add counts one record. Records of tests that did not finish and
// enumerations (status "exists") are not counted.
func (t *Tally) Add(rec *subunit.Record) {
	if !rec.Complete {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch rec.Status {
	case subunit.StatusSuccess, subunit.StatusXFail:
		t.c.Passed++
	case subunit.StatusFail, subunit.StatusUxSuccess:
		t.c.Failed++
	case subunit.StatusSkip:
		t.c.Skipped++
	default:
		return
	}
	t.c.Done++
}

// Counts returns the counts so far, with elapsed as the run's time.
func (t *Tally) Counts(elapsed time.Duration) Counts {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.c
	c.Expected, c.Elapsed = t.expected, elapsed
	return c
}

// BarWidth is the width of the bar, brackets included.
const BarWidth = 22

// FormatBar returns the one-line progress display for a terminal, without
// line end:
//
//	[=========>          ]  37/377  pass 30  fail 5  skip 2  1m02s  ETA 9m40s
//
// followed by extra (such as the live score) when not empty.
func FormatBar(c Counts, extra string) string {
	inner := BarWidth - 2
	fill := 0
	if c.Expected > 0 {
		fill = min(inner, c.Done*inner/c.Expected)
	}
	bar := strings.Repeat("=", fill)
	if fill < inner {
		bar += ">" + strings.Repeat(" ", inner-fill-1)
	}
	return "[" + bar + "] " + formatCounts(c, extra)
}

// FormatLine returns the progress as a log line, for output that is not a
// terminal:
//
//	progress: 37/377 tests (9%)  pass 30  fail 5  skip 2  elapsed 1m02s  ETA 9m40s
func FormatLine(c Counts, extra string) string {
	done := fmt.Sprintf("%d tests", c.Done)
	if c.Expected > 0 {
		done = fmt.Sprintf("%d/%d tests (%d%%)", c.Done, c.Expected, min(100, c.Done*100/c.Expected))
	}
	return withETA(fmt.Sprintf("progress: %s  pass %d  fail %d  skip %d  elapsed %s", done, c.Passed, c.Failed, c.Skipped, FormatDuration(c.Elapsed)), c, extra)
}

func formatCounts(c Counts, extra string) string {
	done := fmt.Sprintf("%d", c.Done)
	if c.Expected > 0 {
		done = fmt.Sprintf("%d/%d", c.Done, c.Expected)
	}
	return withETA(fmt.Sprintf("%s  pass %d  fail %d  skip %d  %s", done, c.Passed, c.Failed, c.Skipped, FormatDuration(c.Elapsed)), c, extra)
}

// withETA ends a progress text with the ETA, when there is one, and extra.
func withETA(s string, c Counts, extra string) string {
	if eta, ok := c.ETA(); ok {
		s += "  ETA " + FormatDuration(eta)
	}
	if extra != "" {
		s += "  " + extra
	}
	return s
}

// FormatDuration writes d in whole seconds: "42s", "3m07s", "2h05m09s".
func FormatDuration(d time.Duration) string {
	s := int64(d / time.Second)
	if s < 0 {
		s = 0
	}
	h, m, sec := s/3600, s/60%60, s%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm%02ds", h, m, sec)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, sec)
	}
	return fmt.Sprintf("%ds", sec)
}
