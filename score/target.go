package score

import "github.com/refstack-go/refstack/guideline"

// supportedSchemas are the schemas RefStack's page scores.
var supportedSchemas = map[string]bool{"1.2": true, "1.3": true, "1.4": true, "1.5": true, "1.6": true, "2.0": true}

// programLabels are the page's program names.
var programLabels = map[string]string{
	"platform":      "OpenStack Powered Platform",
	"compute":       "OpenStack Powered Compute",
	"object":        "OpenStack Powered Object Storage",
	"dns":           "OpenStack with DNS",
	"orchestration": "OpenStack with Orchestration",
}

// ProgramLabel returns the name RefStack's pages give the program of one of
// the five targets: "platform" is "OpenStack Powered Platform", "dns"
// "OpenStack with DNS".
func ProgramLabel(target string) (string, bool) {
	label, ok := programLabels[target]
	return label, ok
}

// priority is the page's status priority: lower wins, in the order of
// statusIndex. Statuses other than the four have none: they come last.
func priority(s guideline.Status) int {
	if i := statusIndex(s); i >= 0 {
		return i
	}
	return 4
}

// targetCaps resolves a target to capability name → status as the page's
// getTargetCapabilities does, and returns the program's label.
//
// Where the page would fail (a 2.0 platform or component that does not
// exist) or silently show nothing (a 1.x component that does not exist), it
// returns a *guideline.TargetError; a target that RefStack does not know but
// that names an add-on or a platform of the guideline resolves to its
// components.
func targetCaps(g *guideline.Guideline, target string) (map[string]guideline.Status, string, error) {
	old := g.Schema < "2.0" // RefStack compares the versions as strings
	var comps []string
	label := programLabels[target]
	switch {
	case target == "platform" || !old:
		var ok bool
		switch {
		case g.IsAddOn():
			comps, ok = []string{"os_powered_" + target}, true
		case !old:
			name, _ := guideline.PlatformName(target)
			comps, ok = platformComponents(g, name)
		default:
			comps, ok = g.Platform[guideline.Required]
			// The page skips listed components that do not exist.
			kept := comps[:0:0]
			for _, c := range comps {
				if g.Component(c) != nil {
					kept = append(kept, c)
				}
			}
			comps = kept
		}
		if ok {
			for _, c := range comps {
				if g.Component(c) == nil {
					ok = false
				}
			}
		}
		if !ok {
			if comps, label, ok = extraTarget(g, target); !ok {
				return nil, "", &guideline.TargetError{Target: target}
			}
		}
	default: // 1.x compute or object: the component's own lists
		if g.Component(target) == nil {
			return nil, "", &guideline.TargetError{Target: target}
		}
		comps = []string{target}
	}
	caps := make(map[string]guideline.Status, 256)
	for _, name := range comps {
		for st, list := range g.Component(name).Capabilities {
			for _, c := range list {
				if old, seen := caps[c]; !seen || priority(st) < priority(old) {
					caps[c] = st
				}
			}
		}
	}
	return caps, label, nil
}

// platformComponents returns the components of the platform with the
// display name (the last of duplicates, as JavaScript's JSON.parse keeps).
func platformComponents(g *guideline.Guideline, name string) ([]string, bool) {
	if p := g.PlatformNamed(name); name != "" && p != nil {
		return guideline.ComponentNames(p.Components), true
	}
	return nil, false
}

// extraTarget resolves the targets RefStack does not know: an add-on's name
// (any case) or a platform's display name.
func extraTarget(g *guideline.Guideline, target string) ([]string, string, bool) {
	if a := g.AddOnNamed(target); a != nil {
		return guideline.ComponentNames(a.Components), "OpenStack with " + a.Name, allDefined(g, a.Components)
	}
	if comps, ok := platformComponents(g, target); ok {
		for _, c := range comps {
			if g.Component(c) == nil {
				return nil, "", false
			}
		}
		return comps, target, true
	}
	return nil, "", false
}

func allDefined(g *guideline.Guideline, refs []guideline.ComponentRef) bool {
	for _, r := range refs {
		if g.Component(r.Name) == nil {
			return false
		}
	}
	return true
}
