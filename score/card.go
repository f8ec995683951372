package score

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/refstack-go/refstack/guideline"
)

// Card is a guideline prepared for scoring against one target: the target's
// tests laid out in report order and indexed by name, alias and idempotent
// id. Prepare it once and score any number of runs with it; a Card is
// read-only and safe for concurrent use.
type Card struct {
	label, target, schema, program string
	match                          Match

	tests []cardTest
	caps  [4][]cardCap // per status, in the order of guideline.Statuses
	// byName maps a test name or alias to the tests it passes.
	byName *strIndex[nameRef]
	// byUUID and byID map an idempotent id to the tests carrying it
	// (MatchID only): a UUID as 128 bits, any other id as normID gives it.
	byUUID *uuidIndex
	byID   *strIndex[int32]

	requiredTotal, requiredFlagged int
}

// cardTest is one test of one capability of the target.
type cardTest struct {
	t       *guideline.Test
	status  uint8 // index in guideline.Statuses()
	flagged bool
}

// cardCap is one capability: its tests are tests[first:end].
type cardCap struct {
	name       string
	defined    bool
	first, end int32
}

// nameRef is a test a name passes, and how: rank 0 is the test's own name,
// 1+i its alias i.
type nameRef struct {
	test int32
	rank int32
}

// Ranks of a match, best first: the name (0), the aliases in their order,
// the idempotent id, none.
const (
	rankID   = math.MaxInt32 - 1
	rankNone = math.MaxInt32
)

// slot is the state of one test while scoring: its best match so far.
type slot struct {
	rank int32
	name string // the passed name that matched
}

// Prepare resolves the target and indexes the guideline's tests for
// scoring. It fails with a *SchemaError for a schema RefStack's page does
// not score (not 1.2–1.6 or 2.0), a *guideline.TargetError for a target
// that resolves to nothing, or an error for a bad Options.Match.
func Prepare(g *guideline.Guideline, opts Options) (*Card, error) {
	if g == nil {
		return nil, errors.New("score: nil guideline")
	}
	match, err := ParseMatch(string(opts.Match))
	if err != nil {
		return nil, err
	}
	if !supportedSchemas[g.Schema] {
		return nil, &SchemaError{Schema: g.Schema}
	}
	target := opts.Target
	if target == "" {
		target = "platform"
	}
	caps, program, err := targetCaps(g, target)
	if err != nil {
		return nil, fmt.Errorf("score: %w", err)
	}
	c := &Card{
		label: opts.Name, target: target, schema: g.Schema, program: program, match: match,
	}
	if c.label == "" {
		c.label = g.ID
	}
	byStatus := [4][]string{}
	for name, st := range caps {
		if i := statusIndex(st); i >= 0 {
			byStatus[i] = append(byStatus[i], name)
		}
	}
	list12 := g.Schema == "1.2"
	for si := range byStatus {
		names := byStatus[si]
		slices.Sort(names)
		c.caps[si] = make([]cardCap, len(names))
		for ci, name := range names {
			cc := &c.caps[si][ci]
			cc.name, cc.first = name, int32(len(c.tests))
			if cp := g.Capability(name); cp != nil {
				cc.defined = true
				c.addTests(cp, uint8(si), list12)
			}
			cc.end = int32(len(c.tests))
		}
	}
	keys := 0
	for i := range c.tests {
		keys += 1 + len(c.tests[i].t.Aliases)
	}
	c.byName = newStrIndex[nameRef](keys)
	if match == MatchID {
		c.byUUID, c.byID = newUUIDIndex(len(c.tests)), newStrIndex[int32](len(c.tests))
	}
	for i := range c.tests {
		ct := &c.tests[i]
		idx := int32(i)
		c.byName.add(ct.t.Name, nameRef{test: idx})
		if !list12 {
			for ai, a := range ct.t.Aliases {
				c.byName.add(a, nameRef{test: idx, rank: int32(ai + 1)})
			}
		}
		if match == MatchID && ct.t.IdempotentID != "" {
			if k, ok := parseUUID(ct.t.IdempotentID); ok {
				c.byUUID.add(k, idx)
			} else {
				c.byID.add(normID(ct.t.IdempotentID), idx)
			}
		}
		if ct.status == 0 {
			c.requiredTotal++
			if ct.flagged {
				c.requiredFlagged++
			}
		}
	}
	return c, nil
}

// addTests appends a capability's tests. In the 1.3+ map form a test name
// written twice is one test, with the last value at the first place, as
// JavaScript's JSON.parse reads an object.
func (c *Card) addTests(cp *guideline.Capability, status uint8, list12 bool) {
	start := len(c.tests)
	for j := range cp.Tests {
		t := &cp.Tests[j]
		if !list12 {
			if k := slices.IndexFunc(c.tests[start:], func(ct cardTest) bool { return ct.t.Name == t.Name }); k >= 0 {
				c.tests[start+k].t, c.tests[start+k].flagged = t, t.Flagged()
				continue
			}
		}
		c.tests = append(c.tests, cardTest{t: t, status: status, flagged: t.Flagged()})
	}
}

// statusIndex is a status's place in the order required, advisory,
// deprecated, removed; -1 for any other.
func statusIndex(s guideline.Status) int {
	switch s {
	case guideline.Required:
		return 0
	case guideline.Advisory:
		return 1
	case guideline.Deprecated:
		return 2
	case guideline.Removed:
		return 3
	}
	return -1
}

// Target returns the target the card scores ("platform" when Options left
// it empty).
func (c *Card) Target() string { return c.target }

// Tests returns the number of test entries the card scores, over all
// statuses (a test in two capabilities counts twice).
func (c *Card) Tests() int { return len(c.tests) }

// Score scores one run: the tests that passed, in any order; duplicates do
// no harm.
func (c *Card) Score(passed []Passed) *Report {
	st := c.newState()
	for i := range passed {
		c.add(st, &passed[i], nil)
	}
	return c.report(st)
}

func (c *Card) newState() []slot {
	st := make([]slot, len(c.tests))
	for i := range st {
		st[i].rank = rankNone
	}
	return st
}

// add records one passed test in st, counting newly passed required tests
// in p when it is not nil.
func (c *Card) add(st []slot, p *Passed, prog *Progress) {
	for _, r := range c.byName.get(p.Name) {
		c.mark(st, r.test, r.rank, p.Name, prog)
	}
	if c.byID != nil && p.UUID != "" {
		var tests []int32
		if k, ok := parseUUID(p.UUID); ok {
			tests = c.byUUID.get(k)
		} else {
			tests = c.byID.get(normID(p.UUID))
		}
		for _, i := range tests {
			c.mark(st, i, rankID, p.Name, prog)
		}
	}
}

// mark keeps the best match of test i: the better rank, then the smaller
// name, so that the outcome does not depend on the order of the run.
func (c *Card) mark(st []slot, i, rank int32, name string, prog *Progress) {
	s := &st[i]
	if s.rank == rankNone && prog != nil && c.tests[i].status == 0 {
		prog.RequiredPassed++
		if !c.tests[i].flagged {
			prog.NonFlaggedPassed++
		}
	}
	if rank < s.rank || (rank == s.rank && name < s.name) {
		s.rank, s.name = rank, name
	}
}

// report builds the report for st.
func (c *Card) report(st []slot) *Report {
	r := &Report{
		Guideline: c.label, Target: c.target, Schema: c.schema, Program: c.program, Match: c.match,
		Statuses: make(map[guideline.Status]*StatusReport, 4),
	}
	outs := make([]TestOutcome, len(c.tests))
	statuses := make([]StatusReport, 4)
	for si, status := range guideline.Statuses() {
		sr := &statuses[si]
		sr.Status = status
		r.Statuses[status] = sr
		sr.Capabilities = make([]CapabilityReport, len(c.caps[si]))
		for ci := range c.caps[si] {
			cc := &c.caps[si][ci]
			cr := &sr.Capabilities[ci]
			cr.Name, cr.Defined = cc.name, cc.defined
			cr.Tests = outs[cc.first:cc.end:cc.end]
			cr.Total = int(cc.end - cc.first)
			for i := cc.first; i < cc.end; i++ {
				ct, s, o := &c.tests[i], &st[i], &outs[i]
				o.Name, o.IdempotentID, o.Aliases, o.Flagged = ct.t.Name, ct.t.IdempotentID, ct.t.Aliases, ct.flagged
				if ct.flagged && ct.t.Flag != nil {
					o.FlagReason = ct.t.Flag.Reason
				}
				if s.rank != rankNone {
					o.Passed, o.MatchedName = true, s.name
					switch s.rank {
					case 0:
						o.MatchedBy = MatchedByName
					case rankID:
						o.MatchedBy = MatchedByID
					default:
						o.MatchedBy = MatchedByAlias
					}
					cr.Passed++
				}
				if ct.flagged {
					cr.Flagged++
					if o.Passed {
						sr.FlaggedPassed++
					} else {
						sr.FlaggedFailed++
					}
				}
			}
			sr.Tests += cr.Total
			sr.Passed += cr.Passed
		}
	}
	req := &statuses[0]
	// The page's figures, computed as resultsReportController.js does.
	r.RequiredTotal = req.Tests
	r.RequiredPassed = req.Passed
	r.RequiredFailed = req.Tests - req.Passed
	r.RequiredFlagged = req.FlaggedPassed + req.FlaggedFailed
	r.NonFlaggedTotal = req.Tests - r.RequiredFlagged
	r.NonFlaggedPassed = r.NonFlaggedTotal - (r.RequiredFailed - req.FlaggedFailed)
	r.RequiredPassPercent = percent(r.RequiredPassed, r.RequiredTotal)
	r.NonFlaggedRequiredPassPercent = percent(r.NonFlaggedPassed, r.NonFlaggedTotal)
	r.Compliant = r.NonFlaggedPassed == r.NonFlaggedTotal
	return r
}

// percent is JavaScript's n*100/d: NaN for 0/0.
func percent(n, d int) float64 {
	if d == 0 {
		return math.NaN()
	}
	return float64(n*100) / float64(d)
}
