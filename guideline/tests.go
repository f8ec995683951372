package guideline

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Query selects tests from a guideline, with the parameters of RefStack's
// GET /v1/guidelines/{file}/tests.
type Query struct {
	// Target names what is tested. Schema 2.0: "platform", "compute" and
	// "object" are the platforms "OpenStack Powered Platform", "... Compute"
	// and "... Storage"; "dns" and "orchestration" the components
	// os_powered_dns and os_powered_orchestration. Schema 1.x: "platform"
	// is the components of platform.required, anything else the component
	// of that name ("compute", "object").
	//
	// Beyond RefStack, a target that RefStack rejects but that names one of
	// the guideline's add-ons ("DNS", "Orchestration", compared without
	// regard to case) or one of its platforms by display name resolves to
	// their components.
	//
	// An empty Target is invalid, as in RefStack: start from DefaultQuery.
	Target string
	// Types keeps only capabilities of these statuses. Nil or empty means
	// every status; unknown statuses match nothing.
	Types []Status
	// Alias adds a line for each alias of every test listed.
	Alias bool
	// Flag includes flagged tests.
	Flag bool
}

// DefaultQuery returns RefStack's defaults: target platform, every status,
// aliases and flagged tests included.
func DefaultQuery() Query {
	return Query{Target: "platform", Alias: true, Flag: true}
}

// QueryFromValues reads a query from URL parameters as RefStack does: target
// (absent means platform), type (a comma-separated list; absent or empty
// means every status), alias and flag (true when "true", "yes" or "1" in any
// case, false for any other non-empty value, true when absent or empty).
// When a parameter is given twice the last one counts.
func QueryFromValues(v url.Values) Query {
	last := func(key string) (string, bool) {
		vs := v[key]
		if len(vs) == 0 {
			return "", false
		}
		return vs[len(vs)-1], true
	}
	q := DefaultQuery()
	if t, ok := last("target"); ok {
		q.Target = t
	}
	if t, _ := last("type"); t != "" {
		for s := range strings.SplitSeq(t, ",") {
			q.Types = append(q.Types, Status(s))
		}
	}
	if a, _ := last("alias"); a != "" {
		q.Alias = ParseBool(a)
	}
	if f, _ := last("flag"); f != "" {
		q.Flag = ParseBool(f)
	}
	return q
}

// ParseBool is RefStack's reading of a boolean parameter: true for "true",
// "yes" and "1" in any case, false for anything else.
func ParseBool(s string) bool {
	switch strings.ToLower(s) {
	case "true", "yes", "1":
		return true
	}
	return false
}

// TargetError is a query target that resolves to nothing in the guideline.
type TargetError struct {
	Target string
}

func (e *TargetError) Error() string {
	return fmt.Sprintf("guideline: invalid target %q", e.Target)
}

// RefStackText is the body RefStack answers for the target: "Invalid
// target: <target>".
func (e *TargetError) RefStackText() string { return "Invalid target: " + e.Target }

// platformNames maps RefStack's 2.0 platform targets to platform names.
var platformNames = map[string]string{
	"platform": "OpenStack Powered Platform",
	"compute":  "OpenStack Powered Compute",
	"object":   "OpenStack Powered Storage",
}

// PlatformName returns the name of the 2.0 platform RefStack reads for a
// platform target: "platform", "compute" and "object" are "OpenStack Powered
// Platform", "OpenStack Powered Compute" and "OpenStack Powered Storage".
func PlatformName(target string) (string, bool) {
	name, ok := platformNames[target]
	return name, ok
}

// PlatformNamed returns the 2.0 platform named name (the last of
// duplicates), or nil.
func (g *Guideline) PlatformNamed(name string) *Platform {
	for i := len(g.Platforms) - 1; i >= 0; i-- {
		if p := &g.Platforms[i]; p.Name == name {
			return p
		}
	}
	return nil
}

// AddOnNamed returns the add-on whose name equals name ignoring case ("dns"
// finds "DNS"; the last of duplicates), or nil.
func (g *Guideline) AddOnNamed(name string) *AddOn {
	for i := len(g.AddOns) - 1; i >= 0; i-- {
		if a := &g.AddOns[i]; strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

// ComponentNames returns the names of refs, in order.
func ComponentNames(refs []ComponentRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Name
	}
	return out
}

// TargetComponents returns the components a target resolves to, in the
// order of the guideline, or a *TargetError. A component must be defined in
// this guideline; one that is not (a platform component with a source in
// another guideline) makes the target invalid, as in RefStack.
func (g *Guideline) TargetComponents(target string) ([]*Component, error) {
	names, ok := g.refstackTarget(target)
	if !ok {
		names, ok = g.extraTarget(target)
	}
	if !ok {
		return nil, &TargetError{Target: target}
	}
	out := make([]*Component, 0, len(names))
	for _, n := range names {
		c := g.Component(n)
		if c == nil {
			return nil, &TargetError{Target: target}
		}
		out = append(out, c)
	}
	return out, nil
}

// refstackTarget resolves a target the way RefStack does, to component
// names that may not exist.
func (g *Guideline) refstackTarget(target string) ([]string, bool) {
	if g.v2 && g.Schema >= "2.0" { // RefStack compares the versions as strings
		if target == "dns" || target == "orchestration" {
			return []string{"os_powered_" + target}, true
		}
		name, ok := platformNames[target]
		if !ok {
			return nil, false
		}
		return g.platformComponents(name)
	}
	if target != "platform" {
		return []string{target}, true
	}
	if g.Platform == nil {
		return nil, false
	}
	req, ok := g.Platform[Required]
	return req, ok
}

func (g *Guideline) platformComponents(name string) ([]string, bool) {
	if p := g.PlatformNamed(name); p != nil {
		return ComponentNames(p.Components), true
	}
	return nil, false
}

// extraTarget resolves add-on names and platform display names.
func (g *Guideline) extraTarget(target string) ([]string, bool) {
	if a := g.AddOnNamed(target); a != nil {
		return ComponentNames(a.Components), true
	}
	return g.platformComponents(target)
}

// TargetCapabilities returns the names of the capabilities of the target's
// components whose status is in types (every status when types is empty),
// in byte order without duplicates. Names listed but not defined are
// included; the test list ignores them.
func (g *Guideline) TargetCapabilities(target string, types []Status) ([]string, error) {
	set, err := g.capabilitySet(target, types)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(set))
	for name := range set {
		out = append(out, name)
	}
	slices.Sort(out)
	return out, nil
}

func (g *Guideline) capabilitySet(target string, types []Status) (map[string]struct{}, error) {
	comps, err := g.TargetComponents(target)
	if err != nil {
		return nil, err
	}
	set := make(map[string]struct{}, 128)
	for _, c := range comps {
		for st, names := range c.Capabilities {
			if len(types) > 0 && !slices.Contains(types, st) {
				continue
			}
			for _, n := range names {
				set[n] = struct{}{}
			}
		}
	}
	return set, nil
}

// TestList returns the lines of RefStack's test list for q: for each test of
// each selected capability, "name[idempotent_id]" (the bare name in schema
// 1.2), flagged tests only when q.Flag, then with q.Alias one line
// "alias[idempotent_id]" per alias of each test listed. The lines are sorted
// by byte value (Python's code-point order) and duplicates are kept: a test
// in two selected capabilities is listed twice. An unknown target is a
// *TargetError.
func (g *Guideline) TestList(q Query) ([]string, error) {
	selected, err := g.selectedCapabilities(q.Target, q.Types)
	if err != nil {
		return nil, err
	}
	list12 := g.Schema == "1.2"
	// One pass counts the lines and their bytes, a second writes them one
	// after another into chunks of text they are cut from: a few
	// allocations in all, and no line copied twice.
	var lines []string
	var text strings.Builder
	size, count := 0, 0 // of the lines, from the first pass
	for pass := range 2 {
		add := func(name, id string) {
			n := len(name)
			if !list12 {
				n += len(id) + 2
			}
			if pass == 0 {
				size += n
				count++
				return
			}
			if text.Cap()-text.Len() < n {
				text = strings.Builder{} // leave the full chunk to its lines
				text.Grow(max(n, min(size, maxChunk)))
			}
			size -= n
			start := text.Len()
			text.WriteString(name)
			if !list12 {
				text.WriteByte('[')
				text.WriteString(id)
				text.WriteByte(']')
			}
			lines = append(lines, text.String()[start:])
		}
		for i := range g.Capabilities {
			if !selected[i] {
				continue
			}
			c := &g.Capabilities[i]
			for j := range c.Tests {
				t := &c.Tests[j]
				if list12 {
					if q.Flag || !slices.Contains(c.Flagged, t.Name) {
						add(t.Name, "")
					}
					continue
				}
				if t.Flag != nil && !q.Flag {
					continue
				}
				add(t.Name, t.IdempotentID)
				if q.Alias {
					for _, a := range t.Aliases {
						add(a, t.IdempotentID)
					}
				}
			}
		}
		if pass == 0 {
			lines = make([]string, 0, count)
		}
	}
	slices.Sort(lines)
	return lines, nil
}

// selectedCapabilities marks, by index, the capabilities of the target's
// components whose status is in types (every status when types is empty).
// Of capabilities defined twice only the last counts; names listed but not
// defined are ignored.
func (g *Guideline) selectedCapabilities(target string, types []Status) ([]bool, error) {
	comps, err := g.TargetComponents(target)
	if err != nil {
		return nil, err
	}
	selected := make([]bool, len(g.Capabilities))
	for _, c := range comps {
		for st, names := range c.Capabilities {
			if len(types) > 0 && !slices.Contains(types, st) {
				continue
			}
			for _, n := range names {
				if i, ok := g.capIndex[n]; ok {
					selected[i] = true
				}
			}
		}
	}
	return selected, nil
}

// TestListText returns the body RefStack answers for q: the lines of
// [Guideline.TestList] joined by "\n" without a trailing newline ("" when
// nothing is selected), or "Invalid target: <target>" for an unknown target.
func (g *Guideline) TestListText(q Query) string {
	lines, err := g.TestList(q)
	if te := (*TargetError)(nil); errors.As(err, &te) {
		return te.RefStackText()
	}
	return strings.Join(lines, "\n")
}
