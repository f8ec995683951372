package guideline

import (
	"bytes"
	"cmp"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// schemaFiles holds our strict JSON Schema documents, one per schema version.
// Unlike the published ones they check every capability, test, platform and
// designated section.
//
//go:embed schemas/*.json
var schemaFiles embed.FS

// schemaBaseURL is the $id prefix of the embedded schemas.
const schemaBaseURL = "https://refstack-go.invalid/guideline/schemas/"

// SchemaVersions returns the guideline schema versions that [Validate] checks,
// oldest first.
func SchemaVersions() []string { return []string{"1.2", "1.3", "1.4", "1.5", "1.6", "2.0"} }

// Schema returns the embedded JSON Schema document (draft-07) for a schema
// version such as "1.6" or "2.0".
func Schema(version string) ([]byte, error) {
	if !slices.Contains(SchemaVersions(), version) {
		return nil, fmt.Errorf("guideline: no schema for version %q", version)
	}
	return schemaFiles.ReadFile("schemas/" + version + ".json")
}

// Problem is one finding of [Validate]: an error that makes the document
// invalid, or a warning about a known data quirk that RefStack tolerates.
type Problem struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value; "" is the
	// whole document (and the pointer of syntax errors).
	Pointer string
	// Line and Column give the 1-based position of the offending value (for
	// a key that is not allowed, of the key); Column counts bytes.
	Line, Column int
	// Message says what is wrong and, for schema violations, what was
	// expected.
	Message string
	// Warning marks a tolerated quirk: it does not make the document invalid.
	Warning bool

	off int // byte offset, for ordering
}

// String formats p as "LINE:COL: POINTER: message", with "warning: " before
// the message of a warning and without the pointer for the whole document.
func (p Problem) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d:%d: ", p.Line, p.Column)
	if p.Pointer != "" {
		b.WriteString(p.Pointer)
		b.WriteString(": ")
	}
	if p.Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Report is the result of validating one document.
type Report struct {
	// Version is the schema version the document declares ("1.2" … "2.0"),
	// or "" when it could not be determined.
	Version string
	// Problems holds errors and warnings in document order.
	Problems []Problem
}

// Valid reports whether the document has no errors (warnings allowed).
func (r *Report) Valid() bool {
	for _, p := range r.Problems {
		if !p.Warning {
			return false
		}
	}
	return true
}

// Errors returns the problems that are not warnings.
func (r *Report) Errors() []Problem {
	return slices.DeleteFunc(slices.Clone(r.Problems), func(p Problem) bool { return p.Warning })
}

// Warnings returns the problems that are warnings.
func (r *Report) Warnings() []Problem {
	return slices.DeleteFunc(slices.Clone(r.Problems), func(p Problem) bool { return !p.Warning })
}

// Validator checks guideline documents against the embedded schemas. It is
// safe for concurrent use; build one with [NewValidator] to check many
// documents.
type Validator struct {
	schemas map[string]*jsonschema.Schema
	docs    map[string]any // the decoded schemas, to name allowed keys
}

// NewValidator compiles the embedded schemas.
func NewValidator() (*Validator, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	for _, v := range SchemaVersions() {
		data, err := Schema(v)
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(schemaBaseURL+v+".json", bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("guideline: schema %s: %w", v, err)
		}
	}
	val := &Validator{schemas: make(map[string]*jsonschema.Schema), docs: make(map[string]any)}
	for _, v := range SchemaVersions() {
		data, _ := Schema(v)
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("guideline: schema %s: %w", v, err)
		}
		val.docs[v] = doc
		s, err := c.Compile(schemaBaseURL + v + ".json")
		if err != nil {
			return nil, fmt.Errorf("guideline: schema %s: %w", v, err)
		}
		val.schemas[v] = s
	}
	return val, nil
}

// Validate checks one guideline document with a new [Validator]. The error
// is non-nil only if the embedded schemas fail to compile; everything wrong
// with data is in the report.
func Validate(data []byte) (*Report, error) {
	v, err := NewValidator()
	if err != nil {
		return nil, err
	}
	return v.Validate(data), nil
}

// Validate checks one guideline document: JSON syntax (one problem with the
// line and column), the schema version it declares (the top-level "schema"
// in 1.x, "metadata.schema" in 2.0), the strict schema of that version, and
// the consistency of the status lists with the capability definitions.
//
// Known quirks of the published guidelines are warnings: misspelled keys
// (acheivements, descriptin, idempotent-id), the other spelling of
// required-since / required_since, flag for flagged, idempotent ids without
// the id- prefix or with Tempest tags appended or empty, capabilities listed
// in a component but not defined and the reverse, achievements that name no
// criterion, criteria weights that do not add up to 100 (1.3 and later; the
// add-ons' add up to 75), and duplicate object keys. A misspelled key stands
// in for the correct one when that is absent.
func (v *Validator) Validate(data []byte) *Report {
	r := &Report{}
	c := &checker{data: data, report: r}
	if doc, ok := c.decode(); ok {
		c.loc = locate(data)
		for _, d := range c.loc.dups {
			c.warnKey(d, "duplicate key %q: the last value counts", lastSegment(d))
		}
		c.check(v, doc)
	}
	c.finish()
	return r
}

// checker holds the state of one Validate call.
type checker struct {
	data      []byte
	report    *Report
	loc       *locations
	renames   [][2]string // normalised pointer, pointer in the document
	schemaDoc any         // the decoded schema of the document's version
	doc       any         // the normalised document
	lines     []int       // offsets of line starts, built on demand
}

// decode parses data, reporting a syntax error with its position.
func (c *checker) decode() (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(c.data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		off := len(c.data)
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			off = max(int(se.Offset)-1, 0)
			c.addAt(off, "", false, "invalid JSON: %s", strings.TrimPrefix(se.Error(), "json: "))
		case errors.Is(err, io.EOF):
			c.addAt(off, "", false, "invalid JSON: empty document")
		default:
			c.addAt(off, "", false, "invalid JSON: %v", strings.TrimPrefix(err.Error(), "json: "))
		}
		return nil, false
	}
	end := skipSpace(c.data, int(dec.InputOffset()))
	if end < len(c.data) {
		c.addAt(end, "", false, "invalid JSON: data after the top-level value")
		return nil, false
	}
	return doc, true
}

// check detects the version, normalises known misspellings, validates and
// runs the consistency checks.
func (c *checker) check(v *Validator, doc any) {
	top, ok := doc.(map[string]any)
	if !ok {
		c.add("", false, "expected a JSON object (a guideline document), got %s", jsonType(doc))
		return
	}
	version, ptr, ok := c.version(top)
	if !ok {
		return
	}
	schema, known := v.schemas[version]
	if !known {
		c.add(ptr, false, "unsupported schema version %q: expected one of %s", version, strings.Join(SchemaVersions(), ", "))
		return
	}
	c.report.Version = version
	c.schemaDoc = v.docs[version]
	c.normalise(top, version)
	c.doc = doc
	if err := schema.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			c.schemaErrors(ve)
		} else {
			c.add("", false, "%v", err)
		}
	}
	c.consistency(top, version)
}

// version finds the declared schema version and its pointer.
func (c *checker) version(top map[string]any) (version, ptr string, ok bool) {
	if md, isObj := top["metadata"].(map[string]any); isObj {
		if s, has := md["schema"]; has {
			if str, isStr := s.(string); isStr {
				return str, "/metadata/schema", true
			}
			c.add("/metadata/schema", false, "expected a string (the schema version, e.g. \"2.0\"), got %s", jsonType(s))
			return "", "", false
		}
	}
	if s, has := top["schema"]; has {
		if str, isStr := s.(string); isStr {
			return str, "/schema", true
		}
		c.add("/schema", false, "expected a string (the schema version, e.g. \"1.6\"), got %s", jsonType(s))
		return "", "", false
	}
	c.add("", false, "no schema version: expected \"schema\" (1.x) or \"metadata\": {\"schema\": …} (2.0)")
	return "", "", false
}

// misspelling is a key the published files use in place of the one the
// schema defines.
type misspelling struct{ wrong, right, why string } // why: a format with the wrong and the right key

const misspelled = "misspelled key %q: read as %q"

// normalise renames known misspelled keys in capabilities and tests, with a
// warning for each, so that the schema checks the value under its right name.
func (c *checker) normalise(top map[string]any, version string) {
	capKeys := []misspelling{
		{"acheivements", "achievements", misspelled},
		{"descriptin", "description", misspelled},
	}
	if version == "2.0" {
		capKeys = append(capKeys, misspelling{"required-since", "required_since", "%q is the 1.x spelling: read as %q"})
	} else {
		capKeys = append(capKeys, misspelling{"required_since", "required-since", "%q is the 2.0 spelling: read as %q"})
	}
	testKeys := []misspelling{{"idempotent-id", "idempotent_id", misspelled}}
	if version == "2.0" {
		testKeys = append(testKeys, misspelling{"flag", "flagged", "%q (the published 2.0 schema's name) read as %q, the key RefStack reads"})
	}
	caps, _ := top["capabilities"].(map[string]any)
	for _, name := range sortedKeys(caps) {
		cp, ok := caps[name].(map[string]any)
		if !ok {
			continue
		}
		base := "/capabilities/" + escapePointer(name)
		c.rename(cp, base, capKeys)
		tests, _ := cp["tests"].(map[string]any)
		for _, tn := range sortedKeys(tests) {
			if t, ok := tests[tn].(map[string]any); ok {
				c.rename(t, base+"/tests/"+escapePointer(tn), testKeys)
			}
		}
	}
}

func (c *checker) rename(obj map[string]any, base string, keys []misspelling) {
	for _, m := range keys {
		val, has := obj[m.wrong]
		if !has {
			continue
		}
		wrongPtr := base + "/" + escapePointer(m.wrong)
		if _, both := obj[m.right]; both {
			continue // the schema reports the extra key
		}
		delete(obj, m.wrong)
		obj[m.right] = val
		c.renames = append(c.renames, [2]string{base + "/" + escapePointer(m.right), wrongPtr})
		c.warnKey(wrongPtr, m.why, m.wrong, m.right)
	}
}

// docPointer maps a pointer into the normalised document to the document.
func (c *checker) docPointer(p string) string {
	for _, rn := range c.renames {
		if p == rn[0] || strings.HasPrefix(p, rn[0]+"/") {
			return rn[1] + p[len(rn[0]):]
		}
	}
	return p
}

// additionalRE finds the quoted names in jsonschema's additionalProperties
// and required messages.
var additionalRE = regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`)

// schemaErrors turns the leaves of a validation error tree into problems.
func (c *checker) schemaErrors(ve *jsonschema.ValidationError) {
	if len(ve.Causes) > 0 {
		for _, cause := range ve.Causes {
			c.schemaErrors(cause)
		}
		return
	}
	loc := ve.InstanceLocation
	if u, err := url.PathUnescape(loc); err == nil {
		loc = u // jsonschema escapes the segments as in a URL
	}
	ptr := c.docPointer(loc)
	msg := ve.Message
	switch {
	case strings.HasSuffix(ve.KeywordLocation, "/additionalProperties") && strings.HasPrefix(msg, "additionalProperties "):
		// One problem per key that is not allowed, at the key.
		names := additionalRE.FindAllStringSubmatch(msg, -1)
		allowed := c.allowedProperties(ve)
		for _, n := range names {
			key := n[1]
			if uq, err := strconv.Unquote(`"` + key + `"`); err == nil {
				key = uq
			}
			kp := c.docPointer(loc + "/" + escapePointer(key))
			m := fmt.Sprintf("key %q is not allowed", key)
			if allowed != "" {
				m += "; expected one of " + allowed
			}
			c.addKey(kp, false, "%s", m)
		}
		return
	case strings.Contains(ve.KeywordLocation, "/propertyNames/"):
		// jsonschema reports the name's pointer; the name itself is the
		// offending value.
		if pat, ok := strings.CutPrefix(msg, "does not match pattern "); ok {
			msg = "expected a name matching " + pat
		}
		c.addKey(ptr, false, "name %q: %s", lastSegment(ptr), msg)
		return
	case strings.HasPrefix(msg, "missing properties: "):
		names := additionalRE.FindAllStringSubmatch(msg, -1)
		keys := make([]string, len(names))
		for i, n := range names {
			keys[i] = strconv.Quote(n[1])
		}
		word := "key"
		if len(keys) > 1 {
			word = "keys"
		}
		msg = fmt.Sprintf("missing required %s %s", word, strings.Join(keys, ", "))
	case strings.HasPrefix(msg, "does not match pattern "):
		got := ""
		if s, ok := resolvePointer(c.doc, loc).(string); ok {
			got = ", got " + strconv.Quote(s)
		}
		msg = "expected a string matching " + strings.TrimPrefix(msg, "does not match pattern ") + got
	}
	c.add(ptr, false, "%s", msg)
}

// resolvePointer returns the value at ptr in doc, or nil.
func resolvePointer(doc any, ptr string) any {
	if ptr == "" {
		return doc
	}
	for _, seg := range strings.Split(ptr[1:], "/") {
		seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
		switch v := doc.(type) {
		case map[string]any:
			doc = v[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			doc = v[i]
		default:
			return nil
		}
	}
	return doc
}

// allowedProperties lists the properties that the schema object holding the
// failing additionalProperties keyword defines, or "" when it defines none.
func (c *checker) allowedProperties(ve *jsonschema.ValidationError) string {
	_, frag, ok := strings.Cut(ve.AbsoluteKeywordLocation, "#")
	if !ok {
		return ""
	}
	var node any = c.schemaDoc
	for _, seg := range strings.Split(strings.TrimPrefix(strings.TrimSuffix(frag, "/additionalProperties"), "/"), "/") {
		m, isObj := node.(map[string]any)
		if !isObj || seg == "" {
			break
		}
		node = m[strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")]
	}
	obj, _ := node.(map[string]any)
	props, _ := obj["properties"].(map[string]any)
	if len(props) == 0 {
		return ""
	}
	names := sortedKeys(props)
	for i, n := range names {
		names[i] = strconv.Quote(n)
	}
	return strings.Join(names, ", ")
}

// consistency checks the status lists against the capability definitions
// and the achievements against the criteria.
func (c *checker) consistency(top map[string]any, version string) {
	caps, _ := top["capabilities"].(map[string]any)
	comps, _ := top["components"].(map[string]any)
	listed := map[string]bool{}
	statuses := []string{"required", "advisory", "deprecated", "removed"}
	for _, cn := range sortedKeys(comps) {
		comp, _ := comps[cn].(map[string]any)
		lists, base := comp, "/components/"+escapePointer(cn)
		if version == "2.0" {
			lists, _ = comp["capabilities"].(map[string]any)
			base += "/capabilities"
		}
		for _, st := range statuses {
			names, _ := lists[st].([]any)
			for i, n := range names {
				name, ok := n.(string)
				if !ok {
					continue
				}
				listed[name] = true
				if _, def := caps[name]; !def && caps != nil {
					c.warn(fmt.Sprintf("%s/%s/%d", base, st, i), "capability %q is listed but not defined in capabilities; RefStack ignores it", name)
				}
			}
		}
	}
	if version != "2.0" {
		plat, _ := top["platform"].(map[string]any)
		for _, st := range statuses {
			names, _ := plat[st].([]any)
			for i, n := range names {
				if name, ok := n.(string); ok && comps != nil {
					if _, def := comps[name]; !def {
						c.add(fmt.Sprintf("/platform/%s/%d", st, i), false, "component %q is not defined in components", name)
					}
				}
			}
		}
	} else {
		c.componentRefs(top, comps)
	}
	criteria := criteriaOf(top, version)
	if version != "1.2" && len(criteria) > 0 {
		c.weights(criteria, version)
	}
	for _, name := range sortedKeys(caps) {
		cp, _ := caps[name].(map[string]any)
		if cp == nil {
			continue
		}
		base := "/capabilities/" + escapePointer(name)
		if !listed[name] && comps != nil {
			c.warn(base, "capability %q is defined but listed in no component: it has no status", name)
		}
		if criteria != nil {
			achs, _ := cp["achievements"].([]any)
			for i, a := range achs {
				if s, ok := a.(string); ok {
					if _, def := criteria[s]; !def {
						c.warn(c.docPointer(fmt.Sprintf("%s/achievements/%d", base, i)), "achievement %q is not a criterion", s)
					}
				}
			}
		}
	}
	c.idempotentIDs(caps)
}

// componentRefs checks that the platform and add-on component references
// without a source name a component of this document.
func (c *checker) componentRefs(top, comps map[string]any) {
	for _, group := range []string{"platforms", "add-ons"} {
		g, _ := top[group].(map[string]any)
		for _, pn := range sortedKeys(g) {
			p, _ := g[pn].(map[string]any)
			refs, _ := p["components"].([]any)
			for i, ref := range refs {
				r, _ := ref.(map[string]any)
				name, _ := r["name"].(string)
				if _, hasSource := r["source"]; r == nil || name == "" || hasSource || comps == nil {
					continue
				}
				if _, def := comps[name]; !def {
					c.add(fmt.Sprintf("/%s/%s/components/%d/name", group, escapePointer(pn), i), false,
						"component %q is not defined in components (and the reference has no source)", name)
				}
			}
		}
	}
}

// weights warns when the criteria weights do not add up to 100, as schema
// 1.3 and later ask (the add-on guidelines' add up to 75).
func (c *checker) weights(criteria map[string]any, version string) {
	var sum int64
	for _, cr := range criteria {
		m, _ := cr.(map[string]any)
		n, ok := m["weight"].(json.Number)
		if !ok {
			return // the schema reports it
		}
		w, err := n.Int64()
		if err != nil {
			return
		}
		sum += w
	}
	if sum != 100 {
		ptr := "/criteria"
		if version == "2.0" {
			ptr = "/metadata/scoring/criteria"
		}
		c.warn(ptr, "criteria weights add up to %d, not 100", sum)
	}
}

func criteriaOf(top map[string]any, version string) map[string]any {
	if version != "2.0" {
		cr, _ := top["criteria"].(map[string]any)
		return cr
	}
	md, _ := top["metadata"].(map[string]any)
	sc, _ := md["scoring"].(map[string]any)
	cr, _ := sc["criteria"].(map[string]any)
	return cr
}

var (
	bareUUID   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	taggedUUID = regexp.MustCompile(`^(?:id-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(,.*)$`)
)

// idempotentIDs warns about empty and tagged ids, and once per document
// about ids without the id- prefix (all add-on guidelines write them so).
func (c *checker) idempotentIDs(caps map[string]any) {
	var bare, total int
	var first string
	for _, name := range sortedKeys(caps) {
		cp, _ := caps[name].(map[string]any)
		tests, _ := cp["tests"].(map[string]any)
		for _, tn := range sortedKeys(tests) {
			t, _ := tests[tn].(map[string]any)
			id, ok := t["idempotent_id"].(string)
			if !ok {
				continue
			}
			total++
			ptr := c.docPointer("/capabilities/" + escapePointer(name) + "/tests/" + escapePointer(tn) + "/idempotent_id")
			switch {
			case id == "":
				c.warn(ptr, "empty idempotent id: results can match this test by name only")
			case bareUUID.MatchString(id):
				bare++
				if first == "" || c.offset(ptr) < c.offset(first) {
					first = ptr
				}
			default:
				if m := taggedUUID.FindStringSubmatch(id); m != nil {
					c.warn(ptr, "idempotent id carries Tempest tags %q: only the UUID identifies the test", m[1])
				}
			}
		}
	}
	if bare > 0 {
		c.warn(first, "idempotent id without the \"id-\" prefix (%d of %d tests in this document); matched after removing an optional prefix", bare, total)
	}
}

// add records a problem at the value ptr points to.
func (c *checker) add(ptr string, warning bool, format string, args ...any) {
	c.addAt(c.offset(ptr), ptr, warning, format, args...)
}

// addKey records a problem at the key of the member ptr points to.
func (c *checker) addKey(ptr string, warning bool, format string, args ...any) {
	off, ok := c.loc.key[ptr]
	if !ok {
		off = c.offset(ptr)
	}
	c.addAt(off, ptr, warning, format, args...)
}

func (c *checker) warn(ptr string, format string, args ...any) { c.add(ptr, true, format, args...) }

func (c *checker) warnKey(ptr string, format string, args ...any) {
	c.addKey(ptr, true, format, args...)
}

func (c *checker) addAt(off int, ptr string, warning bool, format string, args ...any) {
	c.report.Problems = append(c.report.Problems, Problem{Pointer: ptr, Message: fmt.Sprintf(format, args...), Warning: warning, off: off})
}

// offset returns the byte offset of the value ptr points to, or of its
// nearest existing ancestor.
func (c *checker) offset(ptr string) int {
	if c.loc == nil {
		return 0
	}
	for {
		if off, ok := c.loc.val[ptr]; ok {
			return off
		}
		i := strings.LastIndexByte(ptr, '/')
		if i < 0 {
			return 0
		}
		ptr = ptr[:i]
	}
}

// finish orders the problems by position and fills in lines and columns.
func (c *checker) finish() {
	sort.SliceStable(c.report.Problems, func(i, j int) bool {
		return c.report.Problems[i].off < c.report.Problems[j].off
	})
	for i := range c.report.Problems {
		p := &c.report.Problems[i]
		p.Line, p.Column = c.lineColumn(p.off)
	}
}

// lineColumn returns the 1-based line and byte column of off.
func (c *checker) lineColumn(off int) (int, int) {
	if c.lines == nil {
		c.lines = []int{0}
		for i, b := range c.data {
			if b == '\n' {
				c.lines = append(c.lines, i+1)
			}
		}
	}
	off = min(max(off, 0), len(c.data))
	n := sort.SearchInts(c.lines, off+1) // lines starting at or before off
	return n, off - c.lines[n-1] + 1
}

// locations maps the JSON pointer of every value of a document to the byte
// offset where the value starts, and of every object member to the offset
// of its key. dups lists the pointers of keys seen twice in one object. The
// values under a duplicate key that a later one shadows keep their entries.
type locations struct {
	val, key map[string]int
	dups     []string
}

// locate walks a syntactically valid document, noting the offset of each
// value. It uses the tree Parse decodes into, allowing the nesting that
// encoding/json does, which has accepted data already; should the tree
// still refuse it, no positions are known and problems are placed at the
// start of the document.
func locate(data []byte) *locations {
	l := &locations{val: map[string]int{}, key: map[string]int{}}
	t, err := parseJSONDepth(data, maxLocateDepth)
	if err != nil {
		return l
	}
	defer t.release()
	l.walk(t, t.root, "")
	return l
}

// maxLocateDepth is the nesting encoding/json accepts.
const maxLocateDepth = 10000

func (l *locations) walk(t *tree, n *node, ptr string) {
	l.val[ptr] = int(n.off)
	ms := t.members(n)
	switch n.kind {
	case kindObject:
		for i := range ms {
			m := &ms[i]
			key := t.keyBytes(m)
			p := ptr + "/" + escapePointer(string(key))
			for j := range ms[:i] {
				if string(t.keyBytes(&ms[j])) == string(key) {
					l.dups = append(l.dups, p)
					break
				}
			}
			l.key[p] = int(m.keyOff)
			l.walk(t, m, p)
		}
	case kindArray:
		for i := range ms {
			l.walk(t, &ms[i], ptr+"/"+strconv.Itoa(i))
		}
	}
}

func skipSpace(data []byte, off int) int {
	for off < len(data) && (data[off] == ' ' || data[off] == '\t' || data[off] == '\r' || data[off] == '\n') {
		off++
	}
	return off
}

// escapePointer escapes one JSON pointer segment (RFC 6901).
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// lastSegment returns the unescaped last segment of a pointer.
func lastSegment(ptr string) string {
	s := ptr[strings.LastIndexByte(ptr, '/')+1:]
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp.Compare)
	return keys
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}
