package guideline

import "strconv"

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
	md := b.get(root, "metadata")
	v2 := md != nil && md.kind == kindObject
	g.v2 = v2
	var err error
	if v2 {
		b.checkKeys(root, topKeys2)
		err = b.metadata(root, md)
	} else {
		b.checkKeys(root, topKeys1)
		err = b.header1(root)
	}
	if err != nil {
		return err
	}
	if err := b.components(root); err != nil {
		return err
	}
	if err := b.capabilities(root); err != nil {
		return err
	}
	if err := b.designatedSections(root); err != nil {
		return err
	}
	if err := b.testRepositories(root); err != nil {
		return err
	}
	if v2 {
		if err := b.platforms(root); err != nil {
			return err
		}
		if err := b.addOns(root); err != nil {
			return err
		}
	} else if err := b.platform1(root); err != nil {
		return err
	}
	b.crossCheck(root)
	return nil
}

// strField names a string member and where the model keeps it.
type strField struct {
	key string
	dst *string
}

func (b *builder) strFields(obj *node, fields []strField) error {
	for _, f := range fields {
		var err error
		if *f.dst, err = b.str(obj, f.key, b.get(obj, f.key)); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) header1(root *node) error {
	g := b.g
	err := b.strFields(root, []strField{{"id", &g.ID}, {"schema", &g.Schema}, {"reference", &g.Reference}, {"source", &g.Source},
		{"status", &g.Status}, {"replaces", &g.Replaces}, {"target_approval", &g.TargetApproval}})
	if err != nil {
		return err
	}
	if g.CutoffScore, err = b.scalar(root, "cutoff_score", b.get(root, "cutoff_score")); err != nil {
		return err
	}
	if g.Releases, err = b.strings(root, "releases", b.get(root, "releases")); err != nil {
		return err
	}
	g.Criteria, err = b.criteria(b.get(root, "criteria"), []string{"Description", "name", "weight"}, "Description")
	return err
}

func (b *builder) metadata(root, md *node) error {
	g := b.g
	if _, err := b.object(md, metadataKeys...); err != nil {
		return err
	}
	if err := b.strFields(md, []strField{{"id", &g.ID}, {"schema", &g.Schema}, {"reference", &g.Reference}, {"source", &g.Source}}); err != nil {
		return err
	}
	var err error
	if ap := b.get(md, "os_trademark_approval"); ap != nil {
		if _, err := b.object(ap, approvalKeys...); err != nil {
			return err
		}
		if err := b.strFields(ap, []strField{{"target_approval", &g.TargetApproval}, {"replaces", &g.Replaces}, {"status", &g.Status}}); err != nil {
			return err
		}
		if g.Releases, err = b.strings(ap, "releases", b.get(ap, "releases")); err != nil {
			return err
		}
	}
	if sc := b.get(md, "scoring"); sc != nil {
		if _, err := b.object(sc, scoringKeys...); err != nil {
			return err
		}
		if g.CutoffScore, err = b.scalar(sc, "cutoff_score", b.get(sc, "cutoff_score")); err != nil {
			return err
		}
		if g.Criteria, err = b.criteria(b.get(sc, "criteria"), criterionKeys, "description"); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) criteria(n *node, known []string, descKey string) ([]Criterion, error) {
	if ok, err := b.object(n); !ok || err != nil {
		return nil, err
	}
	ms := b.members(n)
	out := make([]Criterion, 0, len(ms))
	for mi := range ms {
		m := &ms[mi]
		if _, err := b.object(m, known...); err != nil {
			return nil, err
		}
		c := Criterion{Key: b.keyOf(m)}
		var err error
		if c.Name, err = b.str(m, "name", b.get(m, "name")); err != nil {
			return nil, err
		}
		if c.Description, err = b.str(m, descKey, b.get(m, descKey)); err != nil {
			return nil, err
		}
		if w := b.get(m, "weight"); w != nil && w.kind != kindNull {
			if w.kind != kindNumber {
				return nil, b.typeError(b.at(m, "weight"), w, "number")
			}
			f, err := strconv.ParseFloat(b.text(w), 64)
			if err != nil { // out of range
				return nil, b.typeError(b.at(m, "weight"), w, "number")
			}
			c.Weight = int(f)
		}
		out = append(out, c)
	}
	return out, nil
}

// statusLists reads an object of status → array of names.
func (b *builder) statusLists(n *node) (StatusLists, error) {
	if ok, err := b.object(n, statusKeys...); !ok || err != nil {
		return nil, err
	}
	ms := b.members(n)
	out := make(StatusLists, len(ms))
	for mi := range ms {
		m := &ms[mi]
		st := b.status(m)
		list, err := b.strings(n, string(st), m)
		if err != nil {
			return nil, err
		}
		out[st] = list // the last of duplicate keys wins
	}
	return out, nil
}

// status returns the key of member m as a Status, without a copy for the
// statuses of the documents.
func (b *builder) status(m *node) Status {
	k := b.t.keyBytes(m)
	for _, st := range dsStatuses {
		if string(k) == string(st) {
			return st
		}
	}
	return Status(b.keyOf(m))
}

var dsStatuses = []Status{Required, Advisory, Deprecated, Removed, "informational"}

func (b *builder) platform1(root *node) error {
	var err error
	b.g.Platform, err = b.statusLists(b.get(root, "platform"))
	return err
}

func (b *builder) components(root *node) error {
	g := b.g
	n := b.get(root, "components")
	ok, err := b.object(n)
	if g.compIndex = make(map[string]int, n.count()); !ok || err != nil {
		return err
	}
	ms := b.members(n)
	if len(ms) > 0 { // nil when there are none, as for an absent list
		g.Components = make([]Component, 0, len(ms))
	}
	for mi := range ms {
		m := &ms[mi]
		c := Component{Name: b.keyOf(m)}
		var err error
		if g.v2 {
			if _, err = b.object(m, component2...); err != nil {
				return err
			}
			if c.Capabilities, err = b.statusLists(b.get(m, "capabilities")); err != nil {
				return err
			}
			if c.DesignatedSections, err = b.statusLists(b.get(m, "designated_sections")); err != nil {
				return err
			}
		} else if c.Capabilities, err = b.statusLists(m); err != nil {
			return err
		}
		g.compIndex[c.Name] = len(g.Components) // the last of duplicate keys wins
		g.Components = append(g.Components, c)
	}
	return nil
}

func (b *builder) compRefs(n *node) ([]ComponentRef, error) {
	if n == nil || n.kind == kindNull {
		return nil, nil
	}
	if n.kind != kindArray {
		return nil, b.typeError(b.pointer(n), n, "array of components")
	}
	ms := b.members(n)
	out := make([]ComponentRef, 0, len(ms))
	for i := range ms {
		e := &ms[i]
		if _, err := b.object(e, compRefKeys...); err != nil {
			return nil, err
		}
		var r ComponentRef
		var err error
		if r.Name, err = b.str(e, "name", b.get(e, "name")); err != nil {
			return nil, err
		}
		if r.Source, err = b.str(e, "source", b.get(e, "source")); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (b *builder) platforms(root *node) error {
	n := b.get(root, "platforms")
	if ok, err := b.object(n); !ok || err != nil {
		return err
	}
	ms := b.members(n)
	if len(ms) > 0 {
		b.g.Platforms = make([]Platform, 0, len(ms))
	}
	for mi := range ms {
		m := &ms[mi]
		if _, err := b.object(m, platformKeys...); err != nil {
			return err
		}
		pl := Platform{Name: b.keyOf(m)}
		var err error
		if pl.Description, err = b.str(m, "description", b.get(m, "description")); err != nil {
			return err
		}
		if pl.Components, err = b.compRefs(b.get(m, "components")); err != nil {
			return err
		}
		b.g.Platforms = append(b.g.Platforms, pl)
	}
	return nil
}

func (b *builder) addOns(root *node) error {
	n := b.get(root, "add-ons")
	if ok, err := b.object(n); !ok || err != nil {
		return err
	}
	ms := b.members(n)
	for mi := range ms {
		m := &ms[mi]
		if _, err := b.object(m, addOnKeys...); err != nil {
			return err
		}
		a := AddOn{Name: b.keyOf(m)}
		var err error
		if a.Description, err = b.str(m, "description", b.get(m, "description")); err != nil {
			return err
		}
		for _, f := range []struct {
			key string
			dst *[]ComponentRef
		}{{"components", &a.Components}, {"required_platform_components", &a.RequiredPlatformComponents},
			{"optional_platform_components", &a.OptionalPlatformComponents}} {
			if *f.dst, err = b.compRefs(b.get(m, f.key)); err != nil {
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
	if v := b.get(obj, key); v != nil {
		return v
	}
	ms := b.members(obj)
	for mi := range ms {
		m := &ms[mi]
		if k := b.t.keyBytes(m); !containsKey(known, k) && closest(string(k), known) == key {
			return m
		}
	}
	return nil
}

// capabilityFields are the members every capability should have, in the
// order capabilities reads the first four.
var capabilityFields = [...]string{"achievements", "admin", "description", "project", "tests"}

func (b *builder) capabilities(root *node) error {
	g := b.g
	n := b.get(root, "capabilities")
	ok, err := b.object(n)
	if g.capIndex = make(map[string]int, n.count()); !ok || err != nil {
		return err
	}
	v2 := g.v2
	list := g.Schema == "1.2"
	known, since, otherSince := capKeys1, "required-since", "required_since"
	if v2 {
		known, since, otherSince = capKeys2, "required_since", "required-since"
	}
	ms := b.members(n)
	g.Capabilities = make([]Capability, 0, len(ms))
	total := 0
	for mi := range ms {
		if t := b.get(&ms[mi], "tests"); t != nil && t.kind == kindObject {
			total += int(t.n)
		}
	}
	b.testSlab = make([]Test, total)
	for mi := range ms {
		v := &ms[mi]
		if _, err := b.object(v, known...); err != nil {
			return err
		}
		c := Capability{Name: b.keyOf(v)}
		var fields [len(capabilityFields)]*node
		for i, req := range capabilityFields {
			if fields[i] = b.field(v, req, known); fields[i] == nil {
				b.warn(b.pointer(v), int(v.off), "capability has no %q", req)
			}
		}
		var err error
		if c.Achievements, err = b.strings(v, "achievements", fields[0]); err != nil {
			return err
		}
		if c.Admin, err = b.boolean(v, "admin", fields[1]); err != nil {
			return err
		}
		if c.Description, err = b.str(v, "description", fields[2]); err != nil {
			return err
		}
		if c.Project, err = b.str(v, "project", fields[3]); err != nil {
			return err
		}
		rs := b.get(v, since)
		if rs == nil {
			if rs = b.get(v, otherSince); rs != nil {
				b.warn(b.pointer(rs), int(rs.off), "%q in a schema %s guideline; read as %q", otherSince, g.Schema, since)
			}
		}
		if c.RequiredSince, err = b.str(v, since, rs); err != nil {
			return err
		}
		if !v2 {
			var s string
			if s, err = b.str(v, "status", b.get(v, "status")); err != nil {
				return err
			}
			c.Status = Status(s)
		}
		if c.Flagged, err = b.strings(v, "flagged", b.get(v, "flagged")); err != nil {
			return err
		}
		if c.Tests, err = b.tests(v, b.get(v, "tests"), list, c.Flagged); err != nil {
			return err
		}
		g.capIndex[c.Name] = len(g.Capabilities) // the last of duplicate keys wins
		g.Capabilities = append(g.Capabilities, c)
	}
	return nil
}

// count returns the number of members of n; 0 for nil.
func (n *node) count() int {
	if n == nil {
		return 0
	}
	return int(n.n)
}

// tests reads the tests n of capability c.
func (b *builder) tests(c, n *node, list bool, flagged []string) ([]Test, error) {
	if n == nil || n.kind == kindNull {
		return nil, nil
	}
	if list {
		names, err := b.strings(c, "tests", n)
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
		return nil, b.typeError(b.pointer(n), n, "object of tests")
	}
	ms := b.members(n)
	out := b.newTests(len(ms))
	for mi := range ms {
		v := &ms[mi]
		// The common case, {"idempotent_id": "...", "aliases": [...],
		// "flagged": {...}} with the right types, builds no JSON pointer.
		if v.kind != kindObject {
			if _, err := b.object(v, testKeys...); err != nil {
				return nil, err
			}
		}
		t := Test{Name: b.keyOf(v)}
		var id, al, fl *node // the last of each, as get returns
		needCheck := false
		tms := b.members(v)
		for i := range tms {
			tm := &tms[i]
			var seen **node
			switch string(b.t.keyBytes(tm)) {
			case "idempotent_id":
				seen = &id
			case "aliases":
				seen = &al
			case "flagged":
				seen = &fl
			case "flag":
				b.warn(b.pointer(tm), int(tm.keyOff), `"flag" (the 2.0 schema's spelling): RefStack reads only "flagged", so the test is not flagged`)
				continue
			default:
				needCheck = true
				continue
			}
			if *seen != nil {
				needCheck = true // a key given twice
			}
			*seen = tm
		}
		if needCheck {
			b.checkKeys(v, testKeysFlag)
		}
		if id != nil && id.kind == kindString {
			t.IdempotentID = b.text(id)
		} else {
			var err error
			if t.IdempotentID, err = b.str(v, "idempotent_id", id); err != nil {
				return nil, err
			}
		}
		if t.IdempotentID == "" {
			b.warn(b.pointer(v), int(v.off), "test has no idempotent_id")
		}
		if al != nil {
			var ok bool
			if t.Aliases, ok = b.strList(al); !ok {
				_, err := b.strings(v, "aliases", al)
				return nil, err
			}
		}
		// RefStack treats a test as flagged when "flagged" is truthy.
		if b.t.truthy(fl) {
			t.Flag = b.newFlag()
			if fl.kind == kindObject {
				b.checkKeys(fl, flagKeys)
				if err := b.strFields(fl, []strField{{"reason", &t.Flag.Reason}, {"action", &t.Flag.Action}, {"date", &t.Flag.Date}}); err != nil {
					return nil, err
				}
			}
		}
		if i := indexTest(out, t.Name); i >= 0 {
			b.warn(b.pointer(v), int(v.keyOff), "key %q appears more than once; the last one is used", t.Name)
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
	if n := b.get(root, "designated_sections"); n != nil {
		// 2.0: project → status → guidance.
		if ok, err := b.object(n); !ok || err != nil {
			return err
		}
		pms := b.members(n)
		for pmi := range pms {
			pm := &pms[pmi]
			if _, err := b.object(pm, dsStatusKeys...); err != nil {
				return err
			}
			project := b.keyOf(pm)
			sms := b.members(pm)
			for smi := range sms {
				sm := &sms[smi]
				if err := b.section(project, b.status(sm), sm); err != nil {
					return err
				}
			}
		}
		return nil
	}
	n := b.get(root, "designated-sections")
	if ok, err := b.object(n, dsStatusKeys...); !ok || err != nil {
		return err
	}
	// 1.x: status → project → guidance.
	sms := b.members(n)
	for smi := range sms {
		sm := &sms[smi]
		if _, err := b.object(sm); err != nil {
			return err
		}
		pms := b.members(sm)
		for pmi := range pms {
			pm := &pms[pmi]
			if err := b.section(b.keyOf(pm), b.status(sm), pm); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *builder) section(project string, status Status, n *node) error {
	if _, err := b.object(n, dsKeys...); err != nil {
		return err
	}
	d := DesignatedSection{Project: project, Status: status}
	if err := b.strFields(n, []strField{{"guidance", &d.Guidance}, {"comment", &d.Comment}}); err != nil {
		return err
	}
	secs := b.get(n, "sections")
	if ok, err := b.object(secs); err != nil {
		return err
	} else if ok {
		ms := b.members(secs)
		if len(ms) > 0 {
			d.Sections = make([]Section, 0, len(ms))
		}
		for mi := range ms {
			m := &ms[mi]
			if _, err := b.object(m, sectionKeys...); err != nil {
				return err
			}
			s := Section{Name: b.keyOf(m)}
			if s.Description, err = b.str(m, "description", b.get(m, "description")); err != nil {
				return err
			}
			if s.Designated, err = b.boolean(m, "designated", b.get(m, "designated")); err != nil {
				return err
			}
			if s.Comment, err = b.str(m, "comment", b.get(m, "comment")); err != nil {
				return err
			}
			d.Sections = append(d.Sections, s)
		}
	}
	b.g.DesignatedSections = append(b.g.DesignatedSections, d)
	return nil
}

func (b *builder) testRepositories(root *node) error {
	known, repoKey, refKey := repoKeys2, "repository", "reference"
	n := b.get(root, "test_repositories")
	if n == nil {
		known, repoKey, refKey = repoKeys1, "url", "git-sha"
		n = b.get(root, "test-repositories")
	}
	if ok, err := b.object(n); !ok || err != nil {
		return err
	}
	ms := b.members(n)
	for mi := range ms {
		m := &ms[mi]
		if _, err := b.object(m, known...); err != nil {
			return err
		}
		r := TestRepository{Name: b.keyOf(m)}
		if err := b.strFields(m, []strField{{repoKey, &r.Repository}, {refKey, &r.Reference}, {"description", &r.Description}}); err != nil {
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
	// listed marks, by index, the capabilities a component lists (the
	// last of duplicate names, which capIndex gives for any of them).
	listed := make([]bool, len(g.Capabilities))
	comps := b.get(root, "components")
	v2 := b.g.v2
	for _, c := range g.Components {
		for _, st := range sortedStatuses(c.Capabilities) {
			for i, name := range c.Capabilities[st] {
				if ci, ok := g.capIndex[name]; ok {
					listed[ci] = true
					continue
				}
				p := ptr(ptr("/components", c.Name), string(st))
				if v2 {
					p = ptr(ptr(ptr("/components", c.Name), "capabilities"), string(st))
				}
				off := -1
				if l := b.listNode(comps, c.Name, v2, st); l != nil && l.kind == kindArray && i < int(l.n) {
					off = int(b.members(l)[i].off)
				}
				b.warn(ptr(p, itoa(i)), off, "capability %q is listed but not defined; it is ignored", name)
			}
		}
	}
	caps := b.members(b.get(root, "capabilities"))
	nTests := 0
	for i := range g.Capabilities {
		nTests += len(g.Capabilities[i].Tests)
	}
	seen := make(map[string]string, nTests)
	for i := range g.Capabilities {
		c := &g.Capabilities[i]
		off := -1
		if i < len(caps) {
			off = int(caps[i].off)
		}
		if !listed[g.capIndex[c.Name]] {
			b.warn(ptr("/capabilities", c.Name), off, "capability %q is defined but listed in no component; it has no status", c.Name)
		}
		for _, t := range c.Tests {
			if other, ok := seen[t.Name]; ok && other != c.Name {
				b.warn(ptr(ptr("/capabilities", c.Name)+"/tests", t.Name), off, "test is also in capability %q", other)
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

func (b *builder) listNode(comps *node, comp string, v2 bool, st Status) *node {
	c := b.get(comps, comp)
	if v2 {
		c = b.get(c, "capabilities")
	}
	return b.get(c, string(st))
}

// sortedStatuses returns the statuses of l: the four known ones in document
// order, then any others in byte order.
func sortedStatuses(l StatusLists) []Status {
	out := make([]Status, 0, len(l))
	for _, s := range Statuses() {
		if _, ok := l[s]; ok {
			out = append(out, s)
		}
	}
	if len(out) == len(l) {
		return out
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
