package score

import "github.com/refstack-go/refstack/guideline"

// Scorer scores a run incrementally, as its tests pass: Add each passed
// test, read Progress at any time, and Report at the end (or at any time).
// A Scorer is not safe for concurrent use.
type Scorer struct {
	c    *Card
	st   []slot
	prog Progress
}

// Progress is how far a run is against the required tests.
type Progress struct {
	RequiredPassed, RequiredTotal     int
	NonFlaggedPassed, NonFlaggedTotal int
}

// NewScorer prepares g for opts (see Prepare) and returns a Scorer with
// nothing passed yet.
func NewScorer(g *guideline.Guideline, opts Options) (*Scorer, error) {
	c, err := Prepare(g, opts)
	if err != nil {
		return nil, err
	}
	return c.NewScorer(), nil
}

// NewScorer returns a Scorer on the card with nothing passed yet.
func (c *Card) NewScorer() *Scorer {
	return &Scorer{c: c, st: c.newState(), prog: Progress{
		RequiredTotal:   c.requiredTotal,
		NonFlaggedTotal: c.requiredTotal - c.requiredFlagged,
	}}
}

// Add records a passed test.
func (s *Scorer) Add(p Passed) { s.c.add(s.st, &p, &s.prog) }

// Progress returns the required tests passed so far.
func (s *Scorer) Progress() Progress { return s.prog }

// Report returns the report for what was added so far.
func (s *Scorer) Report() *Report { return s.c.report(s.st) }
