package guideline

import (
	"slices"
	"strings"
)

// Summary is what a guideline says about one target: the capabilities of
// the target's components with their tests, and the scoring criteria. It is
// built by [Show] and encodes to JSON with the keys of its fields' tags;
// lists are never null, and optional values are omitted when empty.
type Summary struct {
	ID     string `json:"id"`
	Schema string `json:"schema"`
	// Status is the guideline's approval status (approved, superseded...).
	Status string `json:"status,omitempty"`
	Target string `json:"target"`
	// Statuses is the status filter given to Show; empty means every status.
	Statuses     []Status            `json:"statuses"`
	CutoffScore  string              `json:"cutoff_score,omitempty"`
	Criteria     []CriterionSummary  `json:"criteria"`
	Capabilities []CapabilitySummary `json:"capabilities"`
}

// CriterionSummary is a scoring criterion: the key that capabilities'
// achievements name, and its weight.
type CriterionSummary struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Weight      int    `json:"weight"`
}

// CapabilitySummary is one capability at one status. A capability listed
// under two statuses of the target's components appears twice.
type CapabilitySummary struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Components are the target's components that list the capability at
	// this status, in the order of the guideline.
	Components []string `json:"components"`
	// Defined is false for a capability that the components list but the
	// guideline does not define; it then has no project and no tests.
	Defined       bool          `json:"defined"`
	Project       string        `json:"project,omitempty"`
	Description   string        `json:"description,omitempty"`
	Admin         bool          `json:"admin,omitempty"`
	RequiredSince string        `json:"required_since,omitempty"`
	Achievements  []string      `json:"achievements"`
	Tests         []TestSummary `json:"tests"`
}

// TestSummary is one test of a capability.
type TestSummary struct {
	Name         string   `json:"name"`
	IdempotentID string   `json:"idempotent_id,omitempty"`
	Aliases      []string `json:"aliases"`
	// Flag is set for a flagged test (with empty fields in schema 1.2,
	// which gives no reason).
	Flag *FlagSummary `json:"flagged,omitempty"`
}

// FlagSummary says why a test is flagged.
type FlagSummary struct {
	Reason string `json:"reason,omitempty"`
	Action string `json:"action,omitempty"`
	Date   string `json:"date,omitempty"`
}

// Show summarizes the capabilities of target's components whose status is
// in statuses (every status when statuses is empty; unknown statuses match
// nothing). Capabilities are ordered by status (required, advisory,
// deprecated, removed, then any other status by byte order) and by name
// within a status; tests keep the order of the guideline. Criteria keep
// their order too. An unknown target is a *TargetError, as for
// [Guideline.TestList]. Show does no I/O and does not modify g.
func Show(g *Guideline, target string, statuses []Status) (*Summary, error) {
	comps, err := g.TargetComponents(target)
	if err != nil {
		return nil, err
	}
	s := &Summary{
		ID:           g.ID,
		Schema:       g.Schema,
		Status:       g.Status,
		Target:       target,
		Statuses:     append([]Status{}, statuses...),
		CutoffScore:  g.CutoffScore,
		Criteria:     make([]CriterionSummary, 0, len(g.Criteria)),
		Capabilities: []CapabilitySummary{},
	}
	for _, c := range g.Criteria {
		s.Criteria = append(s.Criteria, CriterionSummary{Key: c.Key, Name: c.Name, Description: c.Description, Weight: c.Weight})
	}
	type key struct {
		name   string
		status Status
	}
	index := map[key]int{}
	for _, c := range comps {
		for st, names := range c.Capabilities {
			if len(statuses) > 0 && !slices.Contains(statuses, st) {
				continue
			}
			for _, n := range names {
				k := key{n, st}
				i, ok := index[k]
				if !ok {
					i = len(s.Capabilities)
					index[k] = i
					s.Capabilities = append(s.Capabilities, summarizeCapability(g, n, st))
				}
				cs := &s.Capabilities[i]
				if !slices.Contains(cs.Components, c.Name) {
					cs.Components = append(cs.Components, c.Name)
				}
			}
		}
	}
	slices.SortFunc(s.Capabilities, func(a, b CapabilitySummary) int {
		if c := statusRank(a.Status) - statusRank(b.Status); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Status), string(b.Status)); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return s, nil
}

// statusRank orders the four statuses as the documents list them, then the
// others.
func statusRank(s Status) int {
	if i := slices.Index(Statuses(), s); i >= 0 {
		return i
	}
	return len(Statuses())
}

func summarizeCapability(g *Guideline, name string, st Status) CapabilitySummary {
	cs := CapabilitySummary{Name: name, Status: st, Components: []string{}, Achievements: []string{}, Tests: []TestSummary{}}
	c := g.Capability(name)
	if c == nil {
		return cs
	}
	cs.Defined = true
	cs.Project = c.Project
	cs.Description = c.Description
	cs.Admin = c.Admin
	cs.RequiredSince = c.RequiredSince
	cs.Achievements = append(cs.Achievements, c.Achievements...)
	for i := range c.Tests {
		t := &c.Tests[i]
		ts := TestSummary{Name: t.Name, IdempotentID: t.IdempotentID, Aliases: append([]string{}, t.Aliases...)}
		if f := testFlag(c, t); f != nil {
			ts.Flag = &FlagSummary{Reason: f.Reason, Action: f.Action, Date: f.Date}
		}
		cs.Tests = append(cs.Tests, ts)
	}
	return cs
}

// testFlag returns the test's flag, also for schema 1.2 where a flagged
// test is named in the capability's flagged list.
func testFlag(c *Capability, t *Test) *Flag {
	if t.Flag != nil {
		return t.Flag
	}
	if slices.Contains(c.Flagged, t.Name) {
		return &Flag{}
	}
	return nil
}
