package score

import (
	"errors"
	"fmt"
	"strings"

	"github.com/refstack-go/refstack/guideline"
)

// Match says how a passed test is matched with a guideline test.
type Match string

// The matchings.
const (
	// MatchName is RefStack's matching: a guideline test passed when its
	// exact name or one of its aliases is among the passed names (the
	// default).
	MatchName Match = "name"
	// MatchID also counts a guideline test as passed when a passed test
	// carries the test's idempotent id under another name, so that a test
	// Tempest renamed is not lost. Ids compare without their optional "id-"
	// prefix and without regard to case.
	MatchID Match = "id"
)

// ParseMatch reads a matching name: "name", "id", or "" for MatchName.
func ParseMatch(s string) (Match, error) {
	switch Match(s) {
	case "", MatchName:
		return MatchName, nil
	case MatchID:
		return MatchID, nil
	}
	return "", fmt.Errorf("score: unknown match %q: want %q or %q", s, MatchName, MatchID)
}

// Passed is one passed test of a run: its name (the test id without the
// [...] attributes, as RefStack stores it) and, when known, its idempotent
// id, with or without "id-".
type Passed struct{ Name, UUID string }

// Options say what to score against. The zero value scores the platform
// program with RefStack's name matching.
type Options struct {
	// Target is the program: "platform" (the default when empty),
	// "compute", "object", "dns" or "orchestration" as on RefStack's page,
	// or, beyond RefStack, an add-on's name ("DNS", any case) or a
	// platform's display name ("OpenStack Powered NFV Platform").
	Target string
	// Match is MatchName (the default when empty) or MatchID.
	Match Match
	// Name is the guideline's label in reports ("2020.06"); "" means the
	// guideline's id.
	Name string
}

// Score computes the report RefStack's result page shows for the passed
// tests (refstack-server.md §9.3). It builds the guideline's index for each
// call: to score many runs against one guideline, Prepare a Card once.
func Score(g *guideline.Guideline, passed []Passed, opts Options) (*Report, error) {
	c, err := Prepare(g, opts)
	if err != nil {
		return nil, err
	}
	return c.Score(passed), nil
}

// ErrUnsupportedSchema is wrapped by the error for a guideline whose schema
// RefStack's page does not score (anything but 1.2 to 1.6 and 2.0).
var ErrUnsupportedSchema = errors.New("schema not supported")

// SchemaError is a guideline schema RefStack's page does not score.
type SchemaError struct{ Schema string }

func (e *SchemaError) Error() string {
	return fmt.Sprintf("score: the schema version for the guideline file selected (%s) is currently not supported", e.Schema)
}

func (e *SchemaError) Unwrap() error { return ErrUnsupportedSchema }

// normID is an idempotent id as compared by MatchID: without "id-", lower
// case.
func normID(id string) string {
	return strings.TrimPrefix(strings.ToLower(id), "id-")
}
