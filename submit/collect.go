package submit

import (
	"fmt"
	"io"
	"time"

	"github.com/refstack-go/refstack/subunit"
)

// Collector gathers the passed tests of a subunit stream from its records,
// in the order they are added: feed it the records of a subunit.Assembler or
// of subunit.Records. A record counts as passed when it is complete and its
// final status is success; failures, errors, skips, expected failures,
// unexpected successes, enumerated tests, tests that never finished and the
// "subunit.parser" records of bad packets do not count. This is
// refstack-client's rule.
//
// The zero Collector is ready to use.
type Collector struct {
	results     []Result
	first, last time.Time
	records     int
}

// Add adds one record.
func (c *Collector) Add(rec *subunit.Record) {
	c.records++
	if !rec.Start.IsZero() && (c.first.IsZero() || rec.Start.Before(c.first)) {
		c.first = rec.Start
	}
	if rec.Stop.After(c.last) {
		c.last = rec.Stop
	}
	if rec.Complete && rec.Status == subunit.StatusSuccess {
		c.results = append(c.results, ResultFor(rec.TestID))
	}
}

// Results returns the entries of the passed tests so far. The slice is the
// Collector's own; it grows with later calls to Add.
func (c *Collector) Results() []Result { return c.results }

// Records returns how many records were added.
func (c *Collector) Records() int { return c.records }

// Span returns the time from the earliest start to the latest stop of the
// records added, and false when the stream carried no timestamps. It is an
// estimate of the run's duration when the stream is the whole run.
func (c *Collector) Span() (time.Duration, bool) {
	if c.first.IsZero() || c.last.IsZero() || c.last.Before(c.first) {
		return 0, false
	}
	return c.last.Sub(c.first), true
}

// Document returns the results document for the passed tests so far.
func (c *Collector) Document(cpid string, durationSeconds int64) *Results {
	return &Results{CPID: cpid, DurationSeconds: durationSeconds, Results: append([]Result(nil), c.results...)}
}

// CollectStream reads a whole subunit stream (v1, v2 or both mixed) from src
// and returns a Collector holding its passed tests. Bad packets are skipped
// as python-subunit skips them (they become failed "subunit.parser"
// records); only an error reading src stops it. Attachments are not kept.
func CollectStream(src io.Reader) (*Collector, error) {
	rd, err := subunit.NewReader(src)
	if err != nil {
		return nil, fmt.Errorf("submit: %w", err)
	}
	var c Collector
	for rec, err := range subunit.Records(rd, subunit.WithAttachmentLimit(0), subunit.WithRecordReuse()) {
		if err != nil {
			return nil, fmt.Errorf("submit: read subunit stream: %w", err)
		}
		c.Add(rec)
	}
	return &c, nil
}
