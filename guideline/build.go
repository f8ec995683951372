package guideline

import "fmt"

var (
	topKeys1 = []string{"id", "schema", "reference", "source", "status", "replaces", "releases",
		"target_approval", "cutoff_score", "platform", "components", "capabilities",
		"designated-sections", "criteria", "test-repositories"}
	topKeys2      = []string{"metadata", "platforms", "add-ons", "components", "capabilities", "designated_sections", "test_repositories"}
	metadataKeys  = []string{"id", "schema", "reference", "source", "scoring", "os_trademark_approval"}
	approvalKeys  = []string{"target_approval", "replaces", "releases", "status"}
	scoringKeys   = []string{"cutoff_score", "criteria"}
	criterionKeys = []string{"name", "description", "weight"}
	statusKeys    = []string{string(Required), string(Advisory), string(Deprecated), string(Removed)}
	capKeys1      = []string{"achievements", "admin", "status", "guidelines", "project", "description", "flagged", "name", "tests", "required-since", "required_since"}
	capKeys2      = []string{"achievements", "admin", "description", "project", "required_since", "required-since", "tests"}
	testKeys      = []string{"idempotent_id", "aliases", "flagged"}
	testKeysFlag  = []string{"idempotent_id", "aliases", "flagged", "flag"}
	flagKeys      = []string{"reason", "action", "date"}
	platformKeys  = []string{"description", "components"}
	addOnKeys     = []string{"description", "components", "required_platform_components", "optional_platform_components"}
	compRefKeys   = []string{"name", "source"}
	component2    = []string{"capabilities", "designated_sections"}
	sectionKeys   = []string{"description", "designated", "comment"}
	dsKeys        = []string{"guidance", "comment", "sections"}
	repoKeys1     = []string{"git-sha", "url"}
	repoKeys2     = []string{"repository", "reference", "description"}
	dsStatusKeys  = []string{string(Required), string(Advisory), string(Deprecated), string(Removed), "informational"}
)

func (b *builder) build(root *node) error {
	g := b.g
	if root.kind != kindObject {
		return b.typeError("", root, "object")
	}
	md := root.get("metadata")
	v2 := md != nil && md.kind == kindObject
	g.v2 = v2
	var err error
	if v2 {
		b.checkKeys("", root, topKeys2)
		err = b.metadata(md)
	} else {
		b.checkKeys("", root, topKeys1)
		err = b.header1(root)
	}
	if err != nil {
		return err
	}
	g.compIndex = make(map[string]int)
	g.capIndex = make(map[string]int)
	steps := []func(*node) error{b.components, b.capabilities, b.designatedSections, b.testRepositories}
	if v2 {
		steps = append(steps, b.platforms, b.addOns)
	} else {
		steps = append(steps, b.platform1)
	}
	for _, step := range steps {
		if err := step(root); err != nil {
			return err
		}
	}
	b.crossCheck(root)
	return nil
}

func (b *builder) header1(root *node) error {
	g := b.g
	var err error
	for _, f := range []struct {
		key string
		dst *string
	}{{"id", &g.ID}, {"schema", &g.Schema}, {"reference", &g.Reference}, {"source", &g.Source},
		{"status", &g.Status}, {"replaces", &g.Replaces}, {"target_approval", &g.TargetApproval}} {
		if *f.dst, err = b.str("", f.key, root.get(f.key)); err != nil {
			return err
		}
	}
	if g.CutoffScore, err = b.scalar("/cutoff_score", "", root.get("cutoff_score")); err != nil {
		return err
	}
	if g.Releases, err = b.strings("/releases", "", root.get("releases")); err != nil {
		return err
	}
	g.Criteria, err = b.criteria("/criteria", root.get("criteria"), []string{"Description", "name", "weight"}, "Description")
	return err
}

func (b *builder) metadata(md *node) error {
	g := b.g
	if _, err := b.object("/metadata", md, metadataKeys...); err != nil {
		return err
	}
	var err error
	for _, f := range []struct {
		key string
		dst *string
	}{{"id", &g.ID}, {"schema", &g.Schema}, {"reference", &g.Reference}, {"source", &g.Source}} {
		if *f.dst, err = b.str("/metadata", f.key, md.get(f.key)); err != nil {
			return err
		}
	}
	if ap := md.get("os_trademark_approval"); ap != nil {
		const p = "/metadata/os_trademark_approval"
		if _, err := b.object(p, ap, approvalKeys...); err != nil {
			return err
		}
		for _, f := range []struct {
			key string
			dst *string
		}{{"target_approval", &g.TargetApproval}, {"replaces", &g.Replaces}, {"status", &g.Status}} {
			if *f.dst, err = b.str(p, f.key, ap.get(f.key)); err != nil {
				return err
			}
		}
		if g.Releases, err = b.strings(p, "releases", ap.get("releases")); err != nil {
			return err
		}
	}
	if sc := md.get("scoring"); sc != nil {
		const p = "/metadata/scoring"
		if _, err := b.object(p, sc, scoringKeys...); err != nil {
			return err
		}
		if g.CutoffScore, err = b.scalar(p, "cutoff_score", sc.get("cutoff_score")); err != nil {
			return err
		}
		if g.Criteria, err = b.criteria(p+"/criteria", sc.get("criteria"), criterionKeys, "description"); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) criteria(p string, n *node, known []string, descKey string) ([]Criterion, error) {
	if ok, err := b.object(p, n, nil...); !ok || err != nil {
		return nil, err
	}
	out := make([]Criterion, 0, len(n.members))
	for mi := range n.members {
		m := &n.members[mi]
		cp := ptr(p, m.key)
		if _, err := b.object(cp, m, known...); err != nil {
			return nil, err
		}
		c := Criterion{Key: m.key}
		var err error
		if c.Name, err = b.str(cp, "name", m.get("name")); err != nil {
			return nil, err
		}
		if c.Description, err = b.str(cp, descKey, m.get(descKey)); err != nil {
			return nil, err
		}
		if w := m.get("weight"); w != nil && w.kind != kindNull {
			if w.kind != kindNumber {
				return nil, b.typeError(cp+"/weight", w, "number")
			}
			var f float64
			if _, err := fmt.Sscan(w.str, &f); err != nil {
				return nil, b.typeError(cp+"/weight", w, "number")
			}
			c.Weight = int(f)
		}
		out = append(out, c)
	}
	return out, nil
}

// statusLists reads an object of status → array of names.
func (b *builder) statusLists(p string, n *node) (StatusLists, error) {
	if ok, err := b.object(p, n, statusKeys...); !ok || err != nil {
		return nil, err
	}
	out := make(StatusLists, len(n.members))
	for mi := range n.members {
		m := &n.members[mi]
		list, err := b.strings(p, m.key, m)
		if err != nil {
			return nil, err
		}
		out[Status(m.key)] = list // the last of duplicate keys wins
	}
	return out, nil
}

func (b *builder) platform1(root *node) error {
	var err error
	b.g.Platform, err = b.statusLists("/platform", root.get("platform"))
	return err
}

func (b *builder) components(root *node) error {
	n := root.get("components")
	if ok, err := b.object("/components", n); !ok || err != nil {
		return err
	}
	v2 := b.g.v2
	for mi := range n.members {
		m := &n.members[mi]
		p := ptr("/components", m.key)
		c := Component{Name: m.key}
		var err error
		if v2 {
			if _, err = b.object(p, m, component2...); err != nil {
				return err
			}
			if c.Capabilities, err = b.statusLists(p+"/capabilities", m.get("capabilities")); err != nil {
				return err
			}
			if c.DesignatedSections, err = b.statusLists(p+"/designated_sections", m.get("designated_sections")); err != nil {
				return err
			}
		} else if c.Capabilities, err = b.statusLists(p, m); err != nil {
			return err
		}
		b.g.compIndex[m.key] = len(b.g.Components) // the last of duplicate keys wins
		b.g.Components = append(b.g.Components, c)
	}
	return nil
}

func (b *builder) compRefs(p string, n *node) ([]ComponentRef, error) {
	if n == nil || n.kind == kindNull {
		return nil, nil
	}
	if n.kind != kindArray {
		return nil, b.typeError(p, n, "array of components")
	}
	out := make([]ComponentRef, 0, len(n.members))
	for i := range n.members {
		e := &n.members[i]
		ep := ptr(p, itoa(i))
		if _, err := b.object(ep, e, compRefKeys...); err != nil {
			return nil, err
		}
		var r ComponentRef
		var err error
		if r.Name, err = b.str(ep, "name", e.get("name")); err != nil {
			return nil, err
		}
		if r.Source, err = b.str(ep, "source", e.get("source")); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (b *builder) platforms(root *node) error {
	n := root.get("platforms")
	if ok, err := b.object("/platforms", n); !ok || err != nil {
		return err
	}
	for mi := range n.members {
		m := &n.members[mi]
		p := ptr("/platforms", m.key)
		if _, err := b.object(p, m, platformKeys...); err != nil {
			return err
		}
		pl := Platform{Name: m.key}
		var err error
		if pl.Description, err = b.str(p, "description", m.get("description")); err != nil {
			return err
		}
		if pl.Components, err = b.compRefs(p+"/components", m.get("components")); err != nil {
			return err
		}
		b.g.Platforms = append(b.g.Platforms, pl)
	}
	return nil
}

func (b *builder) addOns(root *node) error {
	n := root.get("add-ons")
	if ok, err := b.object("/add-ons", n); !ok || err != nil {
		return err
	}
	for mi := range n.members {
		m := &n.members[mi]
		p := ptr("/add-ons", m.key)
		if _, err := b.object(p, m, addOnKeys...); err != nil {
			return err
		}
		a := AddOn{Name: m.key}
		var err error
		if a.Description, err = b.str(p, "description", m.get("description")); err != nil {
			return err
		}
		for _, f := range []struct {
			key string
			dst *[]ComponentRef
		}{{"components", &a.Components}, {"required_platform_components", &a.RequiredPlatformComponents},
			{"optional_platform_components", &a.OptionalPlatformComponents}} {
			if *f.dst, err = b.compRefs(p+"/"+f.key, m.get(f.key)); err != nil {
				return err
			}
		}
		b.g.AddOns = append(b.g.AddOns, a)
	}
	return nil
}

// field returns the member key of obj, or, when it is absent, a member whose
// key is a misspelling of it ("acheivements"), whose value is then used.
func (b *builder) field(obj *node, key string, known []string) *node {
	if v := obj.get(key); v != nil {
		return v
	}
	for mi := range obj.members {
		m := &obj.members[mi]
		if !contains(known, m.key) && closest(m.key, known) == key {
			return m
		}
	}
	return nil
}

func (b *builder) capabilities(root *node) error {
	n := root.get("capabilities")
	if ok, err := b.object("/capabilities", n); !ok || err != nil {
		return err
	}
	g := b.g
	v2 := b.g.v2
	list := g.Schema == "1.2"
	known, since, otherSince := capKeys1, "required-since", "required_since"
	if v2 {
		known, since, otherSince = capKeys2, "required_since", "required-since"
	}
	g.Capabilities = make([]Capability, 0, len(n.members))
	total := 0
	for mi := range n.members {
		m := &n.members[mi]
		if t := m.get("tests"); t != nil && t.kind == kindObject {
			total += len(t.members)
		}
	}
	b.testSlab = make([]Test, total)
	for mi := range n.members {
		m := &n.members[mi]
		p := ptr("/capabilities", m.key)
		if _, err := b.object(p, m, known...); err != nil {
			return err
		}
		v := m
		c := Capability{Name: m.key}
		var err error
		for _, req := range []string{"achievements", "admin", "description", "project", "tests"} {
			if b.field(v, req, known) == nil {
				b.warn(p, v.off, "capability has no %q", req)
			}
		}
		if c.Achievements, err = b.strings(p, "achievements", b.field(v, "achievements", known)); err != nil {
			return err
		}
		if c.Admin, err = b.boolean(p, "admin", b.field(v, "admin", known)); err != nil {
			return err
		}
		if c.Description, err = b.str(p, "description", b.field(v, "description", known)); err != nil {
			return err
		}
		if c.Project, err = b.str(p, "project", b.field(v, "project", known)); err != nil {
			return err
		}
		rs := v.get(since)
		if rs == nil {
			if rs = v.get(otherSince); rs != nil {
				b.warn(ptr(p, otherSince), rs.off, "%q in a schema %s guideline; read as %q", otherSince, g.Schema, since)
			}
		}
		if c.RequiredSince, err = b.str(p, since, rs); err != nil {
			return err
		}
		if !v2 {
			var s string
			if s, err = b.str(p, "status", v.get("status")); err != nil {
				return err
			}
			c.Status = Status(s)
		}
		if c.Flagged, err = b.strings(p, "flagged", v.get("flagged")); err != nil {
			return err
		}
		if c.Tests, err = b.tests(p+"/tests", v.get("tests"), list, c.Flagged); err != nil {
			return err
		}
		g.capIndex[m.key] = len(g.Capabilities) // the last of duplicate keys wins
		g.Capabilities = append(g.Capabilities, c)
	}
	return nil
}

func (b *builder) tests(p string, n *node, list bool, flagged []string) ([]Test, error) {
	if n == nil || n.kind == kindNull {
		return nil, nil
	}
	if list {
		names, err := b.strings(p, "", n)
		if err != nil {
			return nil, err
		}
		out := make([]Test, len(names))
		for i, name := range names {
			out[i].Name = name
			if contains(flagged, name) {
				out[i].Flag = &Flag{}
			}
		}
		return out, nil
	}
	if n.kind != kindObject {
		return nil, b.typeError(p, n, "object of tests")
	}
	out := b.newTests(len(n.members))
	for mi := range n.members {
		m := &n.members[mi]
		v := m
		// The common case, {"idempotent_id": "...", "aliases": [...],
		// "flagged": {...}} with the right types, builds no JSON pointer.
		if v.kind != kindObject {
			if _, err := b.object(ptr(p, m.key), v, testKeys...); err != nil {
				return nil, err
			}
		}
		t := Test{Name: m.key}
		needCheck := false
		for i := range v.members {
			tm := &v.members[i]
			switch tm.key {
			case "idempotent_id", "aliases", "flagged":
				for previ := range v.members[:i] {
					prev := &v.members[previ]
					if prev.key == tm.key {
						needCheck = true
					}
				}
			case "flag":
				b.warn(ptr(ptr(p, m.key), "flag"), tm.keyOff, `"flag" (the 2.0 schema's spelling): RefStack reads only "flagged", so the test is not flagged`)
			default:
				needCheck = true
			}
		}
		if needCheck {
			b.checkKeys(ptr(p, m.key), v, testKeysFlag)
		}
		if id := v.get("idempotent_id"); id != nil && id.kind == kindString {
			t.IdempotentID = id.str
		} else {
			var err error
			if t.IdempotentID, err = b.str(ptr(p, m.key), "idempotent_id", id); err != nil {
				return nil, err
			}
		}
		if t.IdempotentID == "" {
			b.warn(ptr(p, m.key), v.off, "test has no idempotent_id")
		}
		if al := v.get("aliases"); al != nil {
			var ok bool
			if t.Aliases, ok = b.strList(al); !ok {
				_, err := b.strings(ptr(p, m.key), "aliases", al)
				return nil, err
			}
		}
		// RefStack treats a test as flagged when "flagged" is truthy.
		if f := v.get("flagged"); f.truthy() {
			fp := ptr(p, m.key) + "/flagged"
			t.Flag = b.newFlag()
			if f.kind == kindObject {
				b.checkKeys(fp, f, flagKeys)
				var err error
				if t.Flag.Reason, err = b.str(fp, "reason", f.get("reason")); err != nil {
					return nil, err
				}
				if t.Flag.Action, err = b.str(fp, "action", f.get("action")); err != nil {
					return nil, err
				}
				if t.Flag.Date, err = b.str(fp, "date", f.get("date")); err != nil {
					return nil, err
				}
			}
		}
		if i := indexTest(out, t.Name); i >= 0 {
			b.warn(ptr(p, m.key), m.keyOff, "key %q appears more than once; the last one is used", m.key)
			out[i] = t
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

// newTests returns an empty slice with room for n tests, cut from the slab.
func (b *builder) newTests(n int) []Test {
	if n > len(b.testSlab) {
		return make([]Test, 0, n)
	}
	out := b.testSlab[:0:n]
	b.testSlab = b.testSlab[n:]
	return out
}

func indexTest(tests []Test, name string) int {
	for i := range tests {
		if tests[i].Name == name {
			return i
		}
	}
	return -1
}

func (b *builder) designatedSections(root *node) error {
	if n := root.get("designated_sections"); n != nil {
		// 2.0: project → status → guidance.
		if ok, err := b.object("/designated_sections", n); !ok || err != nil {
			return err
		}
		for pmi := range n.members {
			pm := &n.members[pmi]
			pp := ptr("/designated_sections", pm.key)
			if _, err := b.object(pp, pm, dsStatusKeys...); err != nil {
				return err
			}
			for smi := range pm.members {
				sm := &pm.members[smi]
				if err := b.section(ptr(pp, sm.key), pm.key, sm.key, sm); err != nil {
					return err
				}
			}
		}
		return nil
	}
	n := root.get("designated-sections")
	if ok, err := b.object("/designated-sections", n, dsStatusKeys...); !ok || err != nil {
		return err
	}
	// 1.x: status → project → guidance.
	for smi := range n.members {
		sm := &n.members[smi]
		sp := ptr("/designated-sections", sm.key)
		if _, err := b.object(sp, sm); err != nil {
			return err
		}
		for pmi := range sm.members {
			pm := &sm.members[pmi]
			if err := b.section(ptr(sp, pm.key), pm.key, sm.key, pm); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *builder) section(p, project, status string, n *node) error {
	if _, err := b.object(p, n, dsKeys...); err != nil {
		return err
	}
	d := DesignatedSection{Project: project, Status: Status(status)}
	var err error
	if d.Guidance, err = b.str(p, "guidance", n.get("guidance")); err != nil {
		return err
	}
	if d.Comment, err = b.str(p, "comment", n.get("comment")); err != nil {
		return err
	}
	secs := n.get("sections")
	if ok, err := b.object(p+"/sections", secs); err != nil {
		return err
	} else if ok {
		for mi := range secs.members {
			m := &secs.members[mi]
			sp := ptr(p+"/sections", m.key)
			if _, err := b.object(sp, m, sectionKeys...); err != nil {
				return err
			}
			s := Section{Name: m.key}
			if s.Description, err = b.str(sp, "description", m.get("description")); err != nil {
				return err
			}
			if s.Designated, err = b.boolean(sp, "designated", m.get("designated")); err != nil {
				return err
			}
			if s.Comment, err = b.str(sp, "comment", m.get("comment")); err != nil {
				return err
			}
			d.Sections = append(d.Sections, s)
		}
	}
	b.g.DesignatedSections = append(b.g.DesignatedSections, d)
	return nil
}

func (b *builder) testRepositories(root *node) error {
	key, known, repoKey, refKey := "test_repositories", repoKeys2, "repository", "reference"
	n := root.get(key)
	if n == nil {
		key, known, repoKey, refKey = "test-repositories", repoKeys1, "url", "git-sha"
		n = root.get(key)
	}
	if ok, err := b.object("/"+key, n); !ok || err != nil {
		return err
	}
	for mi := range n.members {
		m := &n.members[mi]
		p := ptr("/"+key, m.key)
		if _, err := b.object(p, m, known...); err != nil {
			return err
		}
		r := TestRepository{Name: m.key}
		var err error
		if r.Repository, err = b.str(p, repoKey, m.get(repoKey)); err != nil {
			return err
		}
		if r.Reference, err = b.str(p, refKey, m.get(refKey)); err != nil {
			return err
		}
		if r.Description, err = b.str(p, "description", m.get("description")); err != nil {
			return err
		}
		b.g.TestRepositories = append(b.g.TestRepositories, r)
	}
	return nil
}

// crossCheck warns about references that do not resolve: capabilities listed
// but not defined and the reverse, platform components not defined, and
// tests in several capabilities.
func (b *builder) crossCheck(root *node) {
	g := b.g
	listed := make(map[string]bool, len(g.Capabilities))
	comps := root.get("components")
	v2 := b.g.v2
	for _, c := range g.Components {
		for _, st := range sortedStatuses(c.Capabilities) {
			for i, name := range c.Capabilities[st] {
				listed[name] = true
				if g.Capability(name) == nil {
					p := ptr(ptr("/components", c.Name), string(st))
					if v2 {
						p = ptr(ptr(ptr("/components", c.Name), "capabilities"), string(st))
					}
					off := -1
					if l := listNode(comps, c.Name, v2, st); l != nil && l.kind == kindArray && i < len(l.members) {
						off = l.members[i].off
					}
					b.warn(ptr(p, itoa(i)), off, "capability %q is listed but not defined; it is ignored", name)
				}
			}
		}
	}
	caps := root.get("capabilities")
	nTests := 0
	for i := range g.Capabilities {
		nTests += len(g.Capabilities[i].Tests)
	}
	seen := make(map[string]string, nTests)
	for i := range g.Capabilities {
		c := &g.Capabilities[i]
		var cn *node
		if caps != nil && i < len(caps.members) {
			cn = &caps.members[i]
		}
		off := func() int {
			if cn != nil {
				return cn.off
			}
			return -1
		}
		if !listed[c.Name] {
			b.warn(ptr("/capabilities", c.Name), off(), "capability %q is defined but listed in no component; it has no status", c.Name)
		}
		for _, t := range c.Tests {
			if other, ok := seen[t.Name]; ok && other != c.Name {
				b.warn(ptr(ptr("/capabilities", c.Name)+"/tests", t.Name), off(), "test is also in capability %q", other)
			} else if !ok {
				seen[t.Name] = c.Name
			}
		}
	}
	for _, pl := range g.Platforms {
		for i, r := range pl.Components {
			if r.Source == "" && g.Component(r.Name) == nil {
				b.warn(ptr(ptr(ptr("/platforms", pl.Name), "components"), itoa(i)), -1, "component %q is not defined", r.Name)
			}
		}
	}
	for _, name := range sortedStatuses(g.Platform) {
		for i, c := range g.Platform[name] {
			if g.Component(c) == nil {
				b.warn(ptr(ptr("/platform", string(name)), itoa(i)), -1, "component %q is not defined", c)
			}
		}
	}
}

func listNode(comps *node, comp string, v2 bool, st Status) *node {
	c := comps.get(comp)
	if v2 {
		c = c.get("capabilities")
	}
	return c.get(string(st))
}

// sortedStatuses returns the statuses of l: the four known ones in document
// order, then any others in byte order.
func sortedStatuses(l StatusLists) []Status {
	var out []Status
	for _, s := range Statuses() {
		if _, ok := l[s]; ok {
			out = append(out, s)
		}
	}
	var extra []Status
	for s := range l {
		if !contains(statusKeys, string(s)) {
			extra = append(extra, s)
		}
	}
	sortStatuses(extra)
	return append(out, extra...)
}
