package score

import (
	"iter"

	"github.com/refstack-go/refstack/guideline"
)

// Report is what RefStack's result page shows for a run against a
// guideline and target, plus how each test was matched.
type Report struct {
	Guideline string // the guideline's label ("2020.06")
	Target    string // as given in Options ("platform")
	Schema    string // the guideline's schema ("2.0")
	Program   string // "OpenStack Powered Platform"
	Match     Match

	// Compliant is the page's "Compliance with <guideline>: YES": every
	// non-flagged required test passed. Flagged failures and the other
	// statuses do not count.
	Compliant bool
	// RequiredPassPercent is RequiredPassed*100/RequiredTotal, computed in
	// float64 as the page does; NaN when there are no required tests.
	RequiredPassPercent float64
	// NonFlaggedRequiredPassPercent is NonFlaggedPassed*100/NonFlaggedTotal;
	// NaN when every required test is flagged or there are none.
	NonFlaggedRequiredPassPercent float64

	RequiredTotal    int // required tests (a test in two capabilities counts twice)
	RequiredPassed   int
	RequiredFailed   int // RequiredTotal − RequiredPassed
	RequiredFlagged  int // flagged required tests, passed or not
	NonFlaggedTotal  int // RequiredTotal − RequiredFlagged
	NonFlaggedPassed int

	// Statuses holds the four statuses, each present even when empty.
	Statuses map[guideline.Status]*StatusReport
}

// StatusReport is one status's capabilities and counts.
type StatusReport struct {
	Status       guideline.Status
	Capabilities []CapabilityReport // sorted by name
	// Tests is the number of tests of the capabilities (passed and not
	// passed), Passed those that passed, FlaggedPassed and FlaggedFailed
	// the flagged ones that passed and did not.
	Tests, Passed, FlaggedPassed, FlaggedFailed int
}

// CapabilityReport is one capability of a status.
type CapabilityReport struct {
	Name string
	// Defined is false for a capability a component lists but the
	// guideline does not define; the page shows it with no tests.
	Defined bool
	Tests   []TestOutcome // in the guideline's order
	Passed  int
	Total   int
	Flagged int // flagged tests, passed or not
}

// Matched-by values of TestOutcome.
const (
	MatchedByName  = "name"  // the test's own name passed
	MatchedByAlias = "alias" // one of its aliases passed
	MatchedByID    = "id"    // a test carrying its idempotent id passed (MatchID)
)

// TestOutcome is one guideline test and whether the run passed it.
type TestOutcome struct {
	Name         string
	IdempotentID string   // as the guideline writes it; "" in schema 1.2
	Aliases      []string // shared with the guideline: do not modify
	Passed       bool
	Flagged      bool
	FlagReason   string // "" when not flagged or no reason (schema 1.2)
	// MatchedBy says how it passed: MatchedByName, MatchedByAlias,
	// MatchedByID, or "" when it did not.
	MatchedBy string
	// MatchedName is the passed test's name that matched ("" when not
	// passed).
	MatchedName string
}

// Required returns the required status's report.
func (r *Report) Required() *StatusReport { return r.Statuses[guideline.Required] }

// notPassed yields the tests of s that did not pass, with their capability,
// in the report's order: the list the text and Markdown reports end with.
func (s *StatusReport) notPassed() iter.Seq2[*CapabilityReport, *TestOutcome] {
	return func(yield func(*CapabilityReport, *TestOutcome) bool) {
		for i := range s.Capabilities {
			c := &s.Capabilities[i]
			for j := range c.Tests {
				if t := &c.Tests[j]; !t.Passed && !yield(c, t) {
					return
				}
			}
		}
	}
}
