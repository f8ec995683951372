package guideline_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/internal/testenv"
)

// The performance of loading a guideline and listing its tests is measured
// on 2020.06 from ../shared and, so that it can be measured on a fresh
// clone, on testdata/generated/2099.01.json: a schema 2.0 guideline of the
// same shape and size (80 capabilities, 280 tests, aliases, flags,
// designated sections, 135 KB) that genGuideline writes. It lives in a
// directory of its own to stay out of the fuzz seeds, which take
// testdata/*.json.

var generatedGuideline = filepath.Join("generated", "2099.01.json")

// genSummary is what genGuideline wrote, counted as it wrote it.
type genSummary struct {
	caps, tests, aliases, flagged int
	// platformLines is the number of lines of the default test list of
	// target platform (every status, aliases and flagged tests).
	platformLines int
	// requiredLines is the same for the required capabilities only, with
	// aliases but without flagged tests.
	requiredLines int
}

type genTest struct {
	IdempotentID string   `json:"idempotent_id"`
	Aliases      []string `json:"aliases,omitempty"`
	Flagged      *genFlag `json:"flagged,omitempty"`
}

type genFlag struct {
	Reason string `json:"reason"`
	Action string `json:"action"`
	Date   string `json:"date"`
}

type genCapability struct {
	Achievements  []string           `json:"achievements"`
	Admin         bool               `json:"admin"`
	Description   string             `json:"description"`
	Project       string             `json:"project"`
	RequiredSince string             `json:"required_since"`
	Tests         map[string]genTest `json:"tests"`
}

type genSection struct {
	Description string `json:"description"`
	Designated  bool   `json:"designated"`
	Comment     string `json:"comment"`
}

type genGuidance struct {
	Guidance string                `json:"guidance"`
	Comment  string                `json:"comment"`
	Sections map[string]genSection `json:"sections"`
}

type genRepository struct {
	Repository string `json:"repository"`
	Reference  string `json:"reference"`
}

type genComponentRef struct {
	Name string `json:"name"`
}

type genDocument struct {
	Metadata struct {
		ID        string `json:"id"`
		Schema    string `json:"schema"`
		Reference string `json:"reference"`
		Source    string `json:"source"`
		Scoring   struct {
			CutoffScore int `json:"cutoff_score"`
			Criteria    map[string]struct {
				Description string `json:"description"`
				Name        string `json:"name"`
				Weight      int    `json:"weight"`
			} `json:"criteria"`
		} `json:"scoring"`
		Approval struct {
			TargetApproval string   `json:"target_approval"`
			Replaces       string   `json:"replaces"`
			Releases       []string `json:"releases"`
			Status         string   `json:"status"`
		} `json:"os_trademark_approval"`
	} `json:"metadata"`
	Platforms map[string]struct {
		Description string            `json:"description"`
		Components  []genComponentRef `json:"components"`
	} `json:"platforms"`
	Components map[string]struct {
		Capabilities       map[guideline.Status][]string `json:"capabilities"`
		DesignatedSections map[guideline.Status][]string `json:"designated_sections"`
	} `json:"components"`
	Capabilities       map[string]genCapability                    `json:"capabilities"`
	DesignatedSections map[string]map[guideline.Status]genGuidance `json:"designated_sections"`
	TestRepositories   map[string]genRepository                    `json:"test_repositories"`
}

// genUUID derives a stable UUID from s.
func genUUID(s string) string {
	h := sha256.Sum256([]byte(s))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// genGuideline returns a schema 2.0 guideline shaped like the published
// ones, and what it holds.
func genGuideline() ([]byte, genSummary) {
	var sum genSummary
	var d genDocument
	md := &d.Metadata
	md.ID, md.Schema = "2099.01", "2.0"
	md.Reference = "https://opendev.org/openstack/interop/raw/branch/master/doc/source/schema/2.0.json"
	md.Source = "https://opendev.org/openstack/interop/raw/branch/master/2099.01.json"
	md.Scoring.CutoffScore = 74
	criteria := []string{"atomic", "clients", "complete", "deployed", "documented", "foundation",
		"future", "industry", "proximity", "sticky", "tools", "discover"}
	md.Scoring.Criteria = map[string]struct {
		Description string `json:"description"`
		Name        string `json:"name"`
		Weight      int    `json:"weight"`
	}{}
	for i, c := range criteria {
		md.Scoring.Criteria[c] = struct {
			Description string `json:"description"`
			Name        string `json:"name"`
			Weight      int    `json:"weight"`
		}{fmt.Sprintf("Candidates meet the %s criterion: a sentence or two of the kind the published guidelines give to say what the criterion asks of a capability, %d.", c, i), "Criterion " + c, []int{8, 10, 8, 10, 8, 8, 8, 8, 8, 8, 8, 8}[i]}
	}
	md.Approval.TargetApproval, md.Approval.Replaces, md.Approval.Status = "2099.01", "2098.07", "approved"
	md.Approval.Releases = []string{"xena", "yoga", "zed"}

	projects := []struct{ name, api, component string }{
		{"nova", "compute", "os_powered_compute"}, {"keystone", "identity", "os_powered_compute"},
		{"glance", "image", "os_powered_compute"}, {"neutron", "network", "os_powered_compute"},
		{"cinder", "volume", "os_powered_compute"}, {"swift", "object_storage", "os_powered_storage"},
	}
	d.Capabilities = map[string]genCapability{}
	d.Components = map[string]struct {
		Capabilities       map[guideline.Status][]string `json:"capabilities"`
		DesignatedSections map[guideline.Status][]string `json:"designated_sections"`
	}{}
	comps := map[string]map[guideline.Status][]string{
		"os_powered_compute": {}, "os_powered_storage": {},
	}
	statuses := []guideline.Status{guideline.Required, guideline.Advisory, guideline.Deprecated, guideline.Removed}
	for i := range 80 {
		p := projects[i%len(projects)]
		name := fmt.Sprintf("%s-feature-%02d-operations", p.api, i)
		c := genCapability{
			Achievements:  criteria[i%5 : i%5+3+i%4],
			Admin:         i%9 == 0,
			Description:   fmt.Sprintf("Operations on %s resources of kind %d: create, list, show and delete them through the %s API.", p.api, i, p.name),
			Project:       p.name,
			RequiredSince: "2016.01",
			Tests:         map[string]genTest{},
		}
		st := guideline.Required
		if i%10 == 7 {
			st = statuses[1+i%3]
		}
		comps[p.component][st] = append(comps[p.component][st], name)
		if i%12 == 1 { // some identity capabilities are part of object storage too
			comps["os_powered_storage"][st] = append(comps["os_powered_storage"][st], name)
		}
		lines, required := 0, 0
		for j := range 2 + i%4 {
			tn := fmt.Sprintf("tempest.api.%s.test_feature_%02d.Feature%02dTestJSON.test_operation_number_%d", p.api, i, i, j)
			t := genTest{IdempotentID: "id-" + genUUID(tn)}
			n := 1
			if (i+j)%3 == 0 {
				t.Aliases = []string{fmt.Sprintf("tempest.api.%s.v2.test_feature_%02d.Feature%02dTest.test_operation_number_%d", p.api, i, i, j)}
				n++
			}
			if (i*7+j)%26 == 0 {
				t.Flagged = &genFlag{Reason: "[D401] The test needs a configuration most clouds do not have.", Action: "Remove after the next release.", Date: "2099-01-01"}
				sum.flagged++
			}
			c.Tests[tn] = t
			sum.tests++
			sum.aliases += len(t.Aliases)
			lines += n
			if t.Flagged == nil && st == guideline.Required {
				required += n
			}
		}
		d.Capabilities[name] = c
		sum.caps++
		sum.platformLines += lines
		sum.requiredLines += required
	}
	for name, lists := range comps {
		d.Components[name] = struct {
			Capabilities       map[guideline.Status][]string `json:"capabilities"`
			DesignatedSections map[guideline.Status][]string `json:"designated_sections"`
		}{lists, map[guideline.Status][]string{guideline.Required: {"nova", "keystone"}, guideline.Advisory: {}}}
	}
	d.Platforms = map[string]struct {
		Description string            `json:"description"`
		Components  []genComponentRef `json:"components"`
	}{
		"OpenStack Powered Platform": {"Compute and object storage.", []genComponentRef{{"os_powered_compute"}, {"os_powered_storage"}}},
		"OpenStack Powered Compute":  {"Compute.", []genComponentRef{{"os_powered_compute"}}},
		"OpenStack Powered Storage":  {"Object storage.", []genComponentRef{{"os_powered_storage"}}},
	}
	d.DesignatedSections = map[string]map[guideline.Status]genGuidance{}
	for _, p := range projects {
		g := genGuidance{Guidance: "API interfaces and the code behind them, as tested.", Comment: "The " + p.name + " sections.",
			Sections: map[string]genSection{}}
		for k := range 6 {
			g.Sections[fmt.Sprintf("%s-section-%d", p.api, k)] = genSection{
				Description: fmt.Sprintf("The %s section %d of %s, with a description of some length.", p.api, k, p.name),
				Designated:  k%4 != 3, Comment: "",
			}
		}
		d.DesignatedSections[p.name] = map[guideline.Status]genGuidance{guideline.Required: g}
	}
	d.TestRepositories = map[string]genRepository{
		"tempest": {"https://opendev.org/openstack/tempest", "26.0.0"},
	}
	data, err := json.MarshalIndent(&d, "", "    ")
	if err != nil {
		panic(err) // the document is made of plain values
	}
	return append(data, '\n'), sum
}

// TestGeneratedGuideline keeps testdata/generated-2.0.json what the
// generator writes and checks the guideline loads as written.
func TestGeneratedGuideline(t *testing.T) {
	data, sum := genGuideline()
	testenv.Golden(t, filepath.Join("testdata", generatedGuideline), data, *update, "go test ./guideline -run TestGeneratedGuideline -update")
	g, err := guideline.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Warnings) != 0 {
		t.Errorf("warnings: %v", g.Warnings)
	}
	tests, aliases, flagged := 0, 0, 0
	for _, c := range g.Capabilities {
		for _, tc := range c.Tests {
			tests++
			aliases += len(tc.Aliases)
			if tc.Flagged() {
				flagged++
			}
		}
	}
	if got, want := [4]int{len(g.Capabilities), tests, aliases, flagged}, [4]int{sum.caps, sum.tests, sum.aliases, sum.flagged}; got != want {
		t.Errorf("capabilities, tests, aliases, flagged = %v, generator wrote %v", got, want)
	}
	all, err := g.TestList(guideline.DefaultQuery())
	if err != nil || len(all) != sum.platformLines {
		t.Errorf("default test list: %d lines, %v; want %d", len(all), err, sum.platformLines)
	}
	if !slices.IsSorted(all) {
		t.Error("test list not sorted")
	}
	req, err := g.TestList(requiredQuery)
	if err != nil || len(req) != sum.requiredLines {
		t.Errorf("required test list: %d lines, %v; want %d", len(req), err, sum.requiredLines)
	}
}

// requiredQuery is the query the benchmarks time: the platform's required
// tests with their aliases, as refstack-client asks for them.
var requiredQuery = guideline.Query{Target: "platform", Types: []guideline.Status{guideline.Required}, Alias: true}
