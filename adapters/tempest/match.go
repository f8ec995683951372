package tempest

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/refstack-go/refstack/submit"
)

// How a test of a list was found among the installed tests.
type MatchKind uint8

const (
	MatchNone     MatchKind = iota // not installed
	MatchName                      // same name (the id without its [attributes])
	MatchID                        // same idempotent id under another name: a renamed test
	MatchScenario                  // the list names a test whose installed ids carry (scenario) suffixes
)

func (k MatchKind) String() string {
	switch k {
	case MatchName:
		return "name"
	case MatchID:
		return "id"
	case MatchScenario:
		return "scenario"
	}
	return "none"
}

// Selection is the result of matching a test list with the installed tests.
type Selection struct {
	// Tests are the installed test ids selected, each once, in the order
	// Tempest listed them.
	Tests []string
	// Listed is the number of distinct tests in the list (by name).
	Listed int
	// Found counts the tests of the list by how they were found; Found[MatchNone]
	// is len(Missing).
	Found [4]int
	// Missing are the names of the tests of the list that are not installed,
	// in list order.
	Missing []string
}

// TestName returns the name of a test id, as RefStack records it: the id
// without its bracketed attributes, a (scenario) suffix kept.
func TestName(id string) string { return submit.ResultFor(id).Name }

// IdempotentID returns the idempotent id among a test id's attributes, lower
// case and without "id-": the first attribute "id-<x>", or else the first
// that is a bare UUID (add-on guidelines write those). "" when there is none.
func IdempotentID(id string) string {
	if u := submit.ResultFor(id).UUID; u != "" {
		return strings.ToLower(u)
	}
	_, attrs, ok := strings.Cut(id, "[")
	if !ok {
		return ""
	}
	attrs, _, _ = strings.Cut(attrs, "]")
	for a := range strings.SplitSeq(attrs, ",") {
		if a = strings.TrimSpace(a); uuidRE.MatchString(a) {
			return strings.ToLower(a)
		}
	}
	return ""
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// withoutScenario cuts a "(scenario)" suffix from a test name.
func withoutScenario(name string) string {
	if i := strings.IndexByte(name, '('); i > 0 && strings.HasSuffix(name, ")") {
		return name[:i]
	}
	return name
}

// Match finds the tests of list among the installed ones (the lines of
// "tempest run --list-tests"). A test of the list is found, in this order:
//
//  1. by name: installed ids with the same name (the id without its
//     [attributes]), so an installed test without attributes is kept;
//  2. by idempotent id: installed ids carrying the same id under another
//     name, a test renamed since the list was made;
//  3. by scenario: the list names "t.test_x" and Tempest lists
//     "t.test_x(scenario)" ids, which are all selected (refstack-client's
//     include-list prefix "t.test_x\[" selects them too).
//
// Lines of the list with the same name count once.
func Match(list, installed []string) *Selection {
	byName := make(map[string][]int)
	byID := make(map[string][]int)
	byBase := make(map[string][]int)
	for i, id := range installed {
		name := TestName(id)
		byName[name] = append(byName[name], i)
		if u := IdempotentID(id); u != "" {
			byID[u] = append(byID[u], i)
		}
		if b := withoutScenario(name); b != name {
			byBase[b] = append(byBase[b], i)
		}
	}
	sel := &Selection{}
	chosen := make([]bool, len(installed))
	seen := make(map[string]bool)
	for _, line := range list {
		name := TestName(line)
		if seen[name] {
			continue
		}
		seen[name] = true
		sel.Listed++
		kind, hits := MatchName, byName[name]
		if len(hits) == 0 {
			kind, hits = MatchID, nil
			if u := IdempotentID(line); u != "" {
				hits = byID[u]
			}
		}
		if len(hits) == 0 {
			kind, hits = MatchScenario, byBase[name]
		}
		if len(hits) == 0 {
			kind = MatchNone
			sel.Missing = append(sel.Missing, name)
		}
		sel.Found[kind]++
		for _, i := range hits {
			chosen[i] = true
		}
	}
	for i, ok := range chosen {
		if ok {
			sel.Tests = append(sel.Tests, installed[i])
		}
	}
	return sel
}

// MissingSummary returns one line about the tests of the list that are not
// installed, naming at most max of them, or "" when all were found.
func (s *Selection) MissingSummary(max int) string {
	n := len(s.Missing)
	if n == 0 {
		return ""
	}
	shown := s.Missing
	if len(shown) > max {
		shown = shown[:max]
	}
	more := ""
	if n > len(shown) {
		more = fmt.Sprintf(" and %d more", n-len(shown))
	}
	return fmt.Sprintf("%d of the %d tests of the list are not in this Tempest, so they will not run: %s%s",
		n, s.Listed, strings.Join(shown, ", "), more)
}

// WriteIncludeList writes the include list for the selected tests: one
// regular expression per test, anchored at both ends, so that the run has
// exactly these tests (refstack-client's prefixes "name\[" also selected
// longer ids and dropped tests without attributes). stestr reads a "#" as the
// start of a comment and trims each line, so "#" and spaces are written as
// \x23 and \x20.
func (s *Selection) WriteIncludeList(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, id := range s.Tests {
		bw.WriteString(IncludeRegexp(id))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// IncludeRegexp returns the include-list line that selects exactly id: a
// Python regular expression matching id alone.
func IncludeRegexp(id string) string {
	q := regexp.QuoteMeta(id)
	q = strings.ReplaceAll(q, "#", `\x23`)
	q = strings.ReplaceAll(q, " ", `\x20`)
	q = strings.ReplaceAll(q, "\t", `\t`)
	return "^" + q + "$"
}
