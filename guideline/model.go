package guideline

import "strings"

// Status is a capability's status in a component: one of the four constants
// below in every published guideline. Designated sections also use
// "informational".
type Status string

// The statuses of the guidelines, in the order the documents list them.
const (
	Required   Status = "required"
	Advisory   Status = "advisory"
	Deprecated Status = "deprecated"
	Removed    Status = "removed"
)

// Statuses returns the four capability statuses in document order.
func Statuses() []Status { return []Status{Required, Advisory, Deprecated, Removed} }

// Guideline is one interop guideline of any schema version. Fields that a
// version does not have are zero. Slices keep the order of the file.
type Guideline struct {
	// ID is the guideline's id ("2020.06", "next", "dns.2020.06"): the
	// top-level id in 1.x, metadata.id in 2.0.
	ID string
	// Schema is the schema version as written ("1.2", "1.5", "2.0"):
	// metadata.schema when metadata has one, else the top-level schema.
	Schema    string
	Reference string // URL of the schema document
	Source    string // URL of the guideline or its repository
	// Status is draft, review, advisory, approved or superseded (2.0:
	// metadata.os_trademark_approval.status).
	Status         string
	Replaces       string
	Releases       []string
	TargetApproval string // a date in 1.x, "YYYY.MM" in 2.0
	// CutoffScore is the score a capability needs to be required, as
	// written: a string in 1.x, a number in 2.0; "" when absent.
	CutoffScore string
	Criteria    []Criterion

	// Platform lists, in 1.x, the component names of the platform by status
	// ("required": ["compute", "object"]). Nil in 2.0.
	Platform StatusLists
	// Platforms are the 2.0 named platforms (bundles of components).
	Platforms []Platform
	// AddOns are the 2.0 add-on programs of an add-on guideline.
	AddOns []AddOn
	// Components hold the capability names by status. 1.x components are
	// "compute" and "object"; 2.0 ones "os_powered_compute" and so on.
	Components   []Component
	Capabilities []Capability

	DesignatedSections []DesignatedSection
	TestRepositories   []TestRepository

	// Warnings are the quirks found while loading: misspelled or unknown
	// keys, capabilities listed but not defined and the reverse, tests in
	// several capabilities, inconsistent ids. They never stop loading.
	Warnings []Warning

	v2        bool           // the document has a metadata object (2.0 layout)
	capIndex  map[string]int // capability name → index in Capabilities (the last of duplicates)
	compIndex map[string]int // component name → index in Components (the last of duplicates)
}

// Capability returns the capability named name, or nil.
func (g *Guideline) Capability(name string) *Capability {
	if i, ok := g.capIndex[name]; ok {
		return &g.Capabilities[i]
	}
	return nil
}

// Component returns the component named name, or nil.
func (g *Guideline) Component(name string) *Component {
	if i, ok := g.compIndex[name]; ok {
		return &g.Components[i]
	}
	return nil
}

// IsAddOn reports whether the guideline defines add-ons (a 2.0 add-on
// file, which has a top-level "add-ons" object).
func (g *Guideline) IsAddOn() bool { return len(g.AddOns) > 0 }

// Criterion is one scoring criterion.
type Criterion struct {
	Key         string // the key that capabilities' achievements use
	Name        string
	Description string // "Description" in 1.x, "description" in 2.0
	Weight      int
}

// StatusLists maps a status to a list of names, in file order. A status
// absent from the file is absent from the map.
type StatusLists map[Status][]string

// Platform is a 2.0 platform: a named bundle of components.
type Platform struct {
	Name        string // display name, "OpenStack Powered Platform"
	Description string
	Components  []ComponentRef
}

// ComponentRef names a component, defined in this guideline or, when Source
// is set, in the guideline at that URL.
type ComponentRef struct {
	Name   string
	Source string
}

// AddOn is a 2.0 add-on program ("DNS", "Orchestration").
type AddOn struct {
	Name                       string
	Description                string
	Components                 []ComponentRef
	RequiredPlatformComponents []ComponentRef
	OptionalPlatformComponents []ComponentRef
}

// Component holds capability names by status and, in 2.0, the projects of
// the designated sections by status.
type Component struct {
	Name               string
	Capabilities       StatusLists
	DesignatedSections StatusLists // 2.0 only
}

// Capability is one capability and its tests.
type Capability struct {
	Name         string
	Project      string
	Description  string
	Achievements []string // criteria keys
	Admin        bool
	// RequiredSince is "required-since" (1.x) or "required_since" (2.0).
	RequiredSince string
	// Status is the capability's own status field (1.2 only, a copy of
	// the component lists, which are authoritative).
	Status Status
	// Flagged is the 1.2 capability-level list of flagged test names.
	Flagged []string
	Tests   []Test
}

// Test is one test of a capability.
type Test struct {
	Name string
	// IdempotentID is the id as written: "id-<uuid>" in core guidelines,
	// the bare uuid in add-ons, "" in 1.2 and where absent.
	IdempotentID string
	Aliases      []string
	// Flag is set when the test is flagged: the 1.3+ "flagged" object, or
	// in 1.2 an empty Flag for a name in the capability's flagged list.
	Flag *Flag
}

// UUID returns the idempotent id without its optional "id-" prefix, the
// form results files use.
func (t *Test) UUID() string { return strings.TrimPrefix(t.IdempotentID, "id-") }

// Flagged reports whether the test is flagged (optional for now).
func (t *Test) Flagged() bool { return t.Flag != nil }

// Flag says why and since when a test is flagged.
type Flag struct {
	Reason string // starts with the code, "[D401] ..."
	Action string
	Date   string // YYYY-MM-DD
}

// DesignatedSection is the guidance for one project at one status.
type DesignatedSection struct {
	Project  string
	Status   Status // required, advisory, deprecated, removed, informational
	Guidance string
	Comment  string
	Sections []Section
}

// Section is one designated section of a project.
type Section struct {
	Name        string
	Description string
	Designated  bool
	Comment     string
}

// TestRepository is where the tests come from: 1.x test-repositories
// {git-sha, url}, 2.0 test_repositories {repository, reference,
// description}.
type TestRepository struct {
	Name        string
	Repository  string // url in 1.x
	Reference   string // git-sha in 1.x
	Description string
}

// Warning is a quirk of the document that loading tolerated.
type Warning struct {
	// Pointer is the JSON pointer of the value concerned
	// ("/capabilities/compute-foo/acheivements").
	Pointer string
	Line    int // 1-based position of the value; 0 when not from a file
	Column  int
	Message string
}

func (w Warning) String() string {
	if w.Line > 0 {
		return w.Pointer + " (line " + itoa(w.Line) + ", column " + itoa(w.Column) + "): " + w.Message
	}
	return w.Pointer + ": " + w.Message
}

func sortStatuses(s []Status) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
