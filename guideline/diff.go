package guideline

import (
	"slices"
	"strings"
)

// Delta is what changed from one guideline to another for a target: see
// [Diff]. It encodes to JSON with the keys of its fields' tags; lists are
// never null, and optional values are omitted when empty.
type Delta struct {
	Old          string             `json:"old"` // the old guideline's id
	New          string             `json:"new"`
	Target       string             `json:"target"`
	Capabilities []CapabilityChange `json:"capabilities"`
	Tests        []TestChange       `json:"tests"`
}

// The kinds of [CapabilityChange] and [TestChange].
const (
	ChangeAdded     = "added"     // listed only in the new guideline
	ChangeRemoved   = "removed"   // listed only in the old guideline
	ChangeMoved     = "moved"     // a capability listed at another status
	ChangeRenamed   = "renamed"   // a test under a new name
	ChangeFlagged   = "flagged"   // a test flagged in the new guideline only
	ChangeUnflagged = "unflagged" // a test flagged in the old guideline only
)

// CapabilityChange is a capability added to the target, removed from it (no
// longer listed at any status, which is not the same as listed as
// "removed"), or moved from one status to another.
type CapabilityChange struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // ChangeAdded, ChangeRemoved or ChangeMoved
	// From and To are the statuses in the old and the new guideline; From
	// is empty for an added capability, To for a removed one.
	From Status `json:"from,omitempty"`
	To   Status `json:"to,omitempty"`
}

// TestChange is a change of one test of the target's capabilities.
type TestChange struct {
	Name string `json:"name"` // the new name; the old one for a removed test
	Kind string `json:"kind"` // ChangeAdded, ChangeRemoved, ChangeRenamed, ChangeFlagged or ChangeUnflagged
	// OldName is the name in the old guideline of a renamed test.
	OldName      string `json:"old_name,omitempty"`
	IdempotentID string `json:"idempotent_id,omitempty"`
	// Capabilities are the capabilities that hold the test (in the old
	// guideline for a removed test, else in the new one), in byte order.
	Capabilities []string `json:"capabilities"`
	// Flag is the new flag of a flagged test, the old one of an unflagged
	// test.
	Flag *FlagSummary `json:"flagged,omitempty"`
}

// Diff compares what old and new say about target (as in [Show] and
// [Guideline.TestList]: target's components, every status).
//
// Capabilities: added when the new guideline lists them and the old does
// not, removed in the reverse case, moved when both list them at different
// statuses. A capability listed at several statuses is taken at the first of
// required, advisory, deprecated, removed.
//
// Tests are those of the listed, defined capabilities, compared by name. A
// test of the new guideline whose name the old one does not have is renamed
// when one of its aliases, or else an old test with the same idempotent id
// (with or without "id-"), is an old test that the new guideline no longer
// has under that name; otherwise it is added. Old tests left over are
// removed. A test present in both (or renamed) is flagged or unflagged when
// its flag appears or disappears. Changes are sorted by name, then kind.
//
// An unknown target in either guideline is a *TargetError. Diff does no I/O
// and does not modify old or new.
func Diff(old, new *Guideline, target string) (*Delta, error) {
	oldCaps, err := capabilityStatuses(old, target)
	if err != nil {
		return nil, err
	}
	newCaps, err := capabilityStatuses(new, target)
	if err != nil {
		return nil, err
	}
	d := &Delta{Old: old.ID, New: new.ID, Target: target, Capabilities: []CapabilityChange{}, Tests: []TestChange{}}
	for name, to := range newCaps {
		from, ok := oldCaps[name]
		switch {
		case !ok:
			d.Capabilities = append(d.Capabilities, CapabilityChange{Name: name, Kind: ChangeAdded, To: to})
		case from != to:
			d.Capabilities = append(d.Capabilities, CapabilityChange{Name: name, Kind: ChangeMoved, From: from, To: to})
		}
	}
	for name, from := range oldCaps {
		if _, ok := newCaps[name]; !ok {
			d.Capabilities = append(d.Capabilities, CapabilityChange{Name: name, Kind: ChangeRemoved, From: from})
		}
	}
	slices.SortFunc(d.Capabilities, func(a, b CapabilityChange) int { return strings.Compare(a.Name, b.Name) })

	oldTests := targetTests(old, oldCaps)
	newTests := targetTests(new, newCaps)
	byUUID := map[string]string{} // old uuid → old name, for old names gone from new
	for name, t := range oldTests {
		if _, ok := newTests[name]; !ok && t.uuid != "" {
			if prev, dup := byUUID[t.uuid]; !dup || name < prev {
				byUUID[t.uuid] = name
			}
		}
	}
	used := map[string]bool{} // old names taken by a rename
	newNames := namesOf(newTests)
	for _, name := range newNames {
		nt := newTests[name]
		if ot, ok := oldTests[name]; ok {
			d.addFlagChange(name, nt, ot)
			continue
		}
		oldName := ""
		for _, a := range nt.aliases {
			if _, inOld := oldTests[a]; inOld && !used[a] {
				if _, inNew := newTests[a]; !inNew {
					oldName = a
					break
				}
			}
		}
		if oldName == "" && nt.uuid != "" {
			if n, ok := byUUID[nt.uuid]; ok && !used[n] {
				oldName = n
			}
		}
		if oldName == "" {
			d.Tests = append(d.Tests, TestChange{Name: name, Kind: ChangeAdded, IdempotentID: nt.id, Capabilities: nt.caps})
			continue
		}
		used[oldName] = true
		d.Tests = append(d.Tests, TestChange{Name: name, Kind: ChangeRenamed, OldName: oldName, IdempotentID: nt.id, Capabilities: nt.caps})
		d.addFlagChange(name, nt, oldTests[oldName])
	}
	for _, name := range namesOf(oldTests) {
		if _, ok := newTests[name]; ok || used[name] {
			continue
		}
		ot := oldTests[name]
		d.Tests = append(d.Tests, TestChange{Name: name, Kind: ChangeRemoved, IdempotentID: ot.id, Capabilities: ot.caps})
	}
	slices.SortStableFunc(d.Tests, func(a, b TestChange) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Kind, b.Kind)
	})
	return d, nil
}

func (d *Delta) addFlagChange(name string, nt, ot *diffTest) {
	switch {
	case nt.flag != nil && ot.flag == nil:
		d.Tests = append(d.Tests, TestChange{Name: name, Kind: ChangeFlagged, IdempotentID: nt.id, Capabilities: nt.caps, Flag: flagSummary(nt.flag)})
	case nt.flag == nil && ot.flag != nil:
		d.Tests = append(d.Tests, TestChange{Name: name, Kind: ChangeUnflagged, IdempotentID: nt.id, Capabilities: nt.caps, Flag: flagSummary(ot.flag)})
	}
}

func flagSummary(f *Flag) *FlagSummary {
	return &FlagSummary{Reason: f.Reason, Action: f.Action, Date: f.Date}
}

// capabilityStatuses maps each capability name listed by the target's
// components to its first status in document order.
func capabilityStatuses(g *Guideline, target string) (map[string]Status, error) {
	comps, err := g.TargetComponents(target)
	if err != nil {
		return nil, err
	}
	out := map[string]Status{}
	for _, c := range comps {
		for st, names := range c.Capabilities {
			for _, n := range names {
				if prev, ok := out[n]; !ok || statusRank(st) < statusRank(prev) ||
					(statusRank(st) == statusRank(prev) && st < prev) {
					out[n] = st
				}
			}
		}
	}
	return out, nil
}

// diffTest is a test of the target, merged over the capabilities that hold
// it.
type diffTest struct {
	id, uuid string
	aliases  []string
	flag     *Flag
	caps     []string
}

func targetTests(g *Guideline, caps map[string]Status) map[string]*diffTest {
	out := map[string]*diffTest{}
	for i := range g.Capabilities {
		c := &g.Capabilities[i]
		if _, ok := caps[c.Name]; !ok || g.Capability(c.Name) != c {
			continue
		}
		for j := range c.Tests {
			t := &c.Tests[j]
			dt, ok := out[t.Name]
			if !ok {
				dt = &diffTest{id: t.IdempotentID, uuid: t.UUID()}
				out[t.Name] = dt
			}
			if dt.id == "" {
				dt.id, dt.uuid = t.IdempotentID, t.UUID()
			}
			for _, a := range t.Aliases {
				if !slices.Contains(dt.aliases, a) {
					dt.aliases = append(dt.aliases, a)
				}
			}
			if f := testFlag(c, t); f != nil && dt.flag == nil {
				dt.flag = f
			}
			if !slices.Contains(dt.caps, c.Name) {
				dt.caps = append(dt.caps, c.Name)
			}
		}
	}
	for _, dt := range out {
		slices.Sort(dt.caps)
	}
	return out
}

func namesOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
