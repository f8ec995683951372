package guideline_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/internal/testenv"
)

// counts are the figures of refstack-client-interop.md §B.2 for one file:
// capability definitions, status list lengths (summed over components),
// test entries and unique test names, flagged tests (1.2: the length of the
// capability-level flagged lists) and alias names.
type counts struct {
	id, schema, status           string
	caps                         int
	req, adv, dep, rem           int
	tests, unique, flag, aliases int
}

var interopCounts = map[string]counts{
	"2015.03.json":                       {"2015.03", "1.2", "superseded", 15, 10, 2, 0, 3, 127, 127, 9, 0},
	"2015.04.json":                       {"2015.04", "1.2", "superseded", 15, 10, 2, 0, 0, 127, 127, 51, 0},
	"2015.05.json":                       {"2015.05", "1.2", "superseded", 16, 11, 4, 0, 0, 128, 128, 33, 0},
	"2015.07.json":                       {"2015.07", "1.5", "superseded", 46, 48, 0, 0, 0, 129, 129, 31, 4},
	"2016.01.json":                       {"2016.01", "1.5", "superseded", 74, 45, 28, 3, 0, 306, 306, 51, 33},
	"2016.08.json":                       {"2016.08", "1.6", "superseded", 78, 57, 10, 9, 3, 306, 306, 49, 100},
	"2017.01.json":                       {"2017.01", "1.6", "superseded", 98, 64, 24, 0, 9, 380, 319, 51, 171},
	"2017.09.json":                       {"2017.09", "1.6", "superseded", 88, 69, 16, 2, 0, 347, 288, 45, 173},
	"2018.02.json":                       {"2018.02", "2.0", "superseded", 91, 85, 5, 0, 2, 350, 293, 20, 174},
	"2018.11.json":                       {"2018.11", "2.0", "approved", 93, 76, 4, 14, 0, 350, 291, 19, 172},
	"2019.06.json":                       {"2019.06", "2.0", "approved", 93, 80, 0, 0, 14, 350, 291, 19, 172},
	"2019.11.json":                       {"2019.11", "2.0", "approved", 79, 80, 0, 0, 0, 289, 287, 11, 104},
	"2020.06.json":                       {"2020.06", "2.0", "approved", 79, 80, 0, 0, 0, 289, 287, 11, 104},
	"next.json":                          {"next", "2.0", "draft", 79, 76, 4, 0, 14, 289, 287, 11, 104},
	"add-ons/dns.2018.02.json":           {"dns.2018.02", "2.0", "superseded", 2, 2, 0, 0, 0, 10, 10, 0, 0},
	"add-ons/dns.2018.11.json":           {"dns.2018.11", "2.0", "approved", 2, 2, 0, 0, 0, 10, 10, 0, 0},
	"add-ons/dns.2019.06.json":           {"dns.2019.06", "2.0", "approved", 2, 2, 0, 0, 0, 10, 10, 0, 0},
	"add-ons/dns.2019.11.json":           {"dns.2019.11", "2.0", "approved", 2, 2, 0, 0, 0, 10, 10, 0, 0},
	"add-ons/dns.2020.06.json":           {"dns.2020.06", "2.0", "approved", 2, 2, 0, 0, 0, 10, 10, 0, 0},
	"add-ons/dns.next.json":              {"dns.next", "2.0", "draft", 2, 0, 2, 0, 0, 10, 10, 0, 0},
	"add-ons/orchestration.2018.02.json": {"orchestration.next", "2.0", "superseded", 23, 16, 7, 0, 0, 60, 60, 0, 0},
	"add-ons/orchestration.2018.11.json": {"orchestration.2018.11", "2.0", "approved", 23, 23, 0, 0, 0, 60, 60, 0, 0},
	"add-ons/orchestration.2019.06.json": {"orchestration.2019.06", "2.0", "approved", 23, 23, 0, 0, 0, 60, 60, 0, 0},
	"add-ons/orchestration.2019.11.json": {"orchestration.2019.11", "2.0", "approved", 23, 23, 0, 0, 0, 60, 60, 0, 0},
	"add-ons/orchestration.2020.06.json": {"orchestration.2020.06", "2.0", "approved", 23, 23, 0, 0, 0, 60, 60, 0, 0},
	"add-ons/orchestration.next.json":    {"orchestration.next", "2.0", "draft", 18, 0, 16, 0, 0, 24, 24, 0, 0},
	"verticals/nfv.next.json":            {"nfv.next", "2.0", "draft", 6, 0, 6, 0, 0, 34, 34, 0, 0},
}

func countsOf(g *guideline.Guideline) counts {
	c := counts{id: g.ID, schema: g.Schema, status: g.Status, caps: len(g.Capabilities)}
	for _, comp := range g.Components {
		c.req += len(comp.Capabilities[guideline.Required])
		c.adv += len(comp.Capabilities[guideline.Advisory])
		c.dep += len(comp.Capabilities[guideline.Deprecated])
		c.rem += len(comp.Capabilities[guideline.Removed])
	}
	names := map[string]bool{}
	for _, cp := range g.Capabilities {
		c.tests += len(cp.Tests)
		if g.Schema == "1.2" {
			c.flag += len(cp.Flagged)
		}
		for _, t := range cp.Tests {
			names[t.Name] = true
			if t.Flagged() && g.Schema != "1.2" {
				c.flag++
			}
			c.aliases += len(t.Aliases)
		}
	}
	c.unique = len(names)
	return c
}

// TestLoadInterop loads every guideline of the interop repository and checks
// the counts of §B.2.
func TestLoadInterop(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"add-ons", "verticals"} {
		more, _ := filepath.Glob(filepath.Join(dir, sub, "*.json"))
		files = append(files, more...)
	}
	if len(files) != 27 {
		t.Fatalf("found %d guideline files, want 27", len(files))
	}
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		t.Run(rel, func(t *testing.T) {
			g, err := guideline.Load(f)
			if err != nil {
				t.Fatal(err)
			}
			want, ok := interopCounts[filepath.ToSlash(rel)]
			if !ok {
				t.Fatalf("no expected counts for %s", rel)
			}
			if got := countsOf(g); got != want {
				t.Errorf("counts\ngot  %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestLoadWarnings checks the quirks of §B.5–B.7 are reported.
func TestLoadWarnings(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	tests := []struct {
		file string
		want []string // substrings, each of which some warning must hold
		n    map[string]int
	}{
		{"2020.06.json", []string{
			`/capabilities/objectstore-slo-support/acheivements`,
			`/capabilities/objectstore-dlo-support/acheivements`,
			`/capabilities/identity-v3-tokens-delete/descriptin`,
			`"images-v2-import" is defined but listed in no component`,
			`ObjectTest.test_object_upload_in_segments`,
			`AccountTest.test_list_extensions`,
		}, map[string]int{"is listed but not defined": 0, "misspell": 3, "test is also in capability": 2}},
		{"next.json", nil, map[string]int{"is listed but not defined": 14}},
		{"2018.02.json", []string{`"volumes-v2-attach-detach" is listed but not defined`, `"volumes-v3-attach-detach" is listed but not defined`},
			map[string]int{`"required-since" in a schema 2.0 guideline`: 75}},
		{"add-ons/orchestration.2018.02.json", []string{`id "orchestration.next" does not match the file name`}, nil},
		{"2017.01.json", []string{`/tests/tempest.api.volume.NEED_TEST (line`}, map[string]int{"test has no idempotent_id": 1}},
		{"2015.03.json", []string{`/designated-sections/informational/heat/sections`}, nil},
		{"add-ons/dns.2020.06.json", nil, map[string]int{"": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			g, err := guideline.Load(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var all []string
			for _, w := range g.Warnings {
				all = append(all, w.String())
			}
			text := strings.Join(all, "\n")
			for _, s := range tt.want {
				if !strings.Contains(text, s) {
					t.Errorf("no warning holds %q; warnings:\n%s", s, text)
				}
			}
			for s, n := range tt.n {
				got := 0
				for _, w := range all {
					if strings.Contains(w, s) {
						got++
					}
				}
				if got != n {
					t.Errorf("%d warnings hold %q, want %d; warnings:\n%s", got, s, n, text)
				}
			}
		})
	}
}

func TestLoadMisspelledValuesUsed(t *testing.T) {
	g, err := guideline.Load(filepath.Join("testdata", "schema2.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := g.Capability("compute-x")
	if c == nil {
		t.Fatal("compute-x not found")
	}
	if len(c.Achievements) != 1 || c.Description != "x" || c.RequiredSince != "2017.01" {
		t.Errorf("compute-x = %+v, want the misspelled keys' values", c)
	}
	if got := c.Tests[0].UUID(); got != "00000000-0000-0000-0000-000000000002" {
		t.Errorf("UUID() = %q", got)
	}
	if y := g.Capability("compute-y"); y.Tests[0].UUID() != "00000000-0000-0000-0000-000000000004" {
		t.Errorf("bare UUID() = %q", y.Tests[0].UUID())
	}
	if g.CutoffScore != "74" || len(g.Criteria) != 1 || g.Criteria[0].Weight != 100 || g.Criteria[0].Description != "Atomic" {
		t.Errorf("scoring: cutoff %q criteria %+v", g.CutoffScore, g.Criteria)
	}
	if g.TargetApproval != "2030.01" || g.Replaces != "2029.06" || g.Status != "approved" || len(g.Releases) != 2 {
		t.Errorf("approval: %q %q %q %v", g.TargetApproval, g.Replaces, g.Status, g.Releases)
	}
	if len(g.Platforms) != 3 || len(g.Platforms[0].Components) != 2 || g.IsAddOn() {
		t.Errorf("platforms: %+v", g.Platforms)
	}
	if len(g.DesignatedSections) != 2 || !g.DesignatedSections[0].Sections[0].Designated {
		t.Errorf("designated sections: %+v", g.DesignatedSections)
	}
	if len(g.TestRepositories) != 1 || g.TestRepositories[0].Reference != "abc123" {
		t.Errorf("test repositories: %+v", g.TestRepositories)
	}
}

func TestLoadSchema12(t *testing.T) {
	g, err := guideline.Load(filepath.Join("testdata", "schema1.2.json"))
	if err != nil {
		t.Fatal(err)
	}
	a := g.Capability("compute-a")
	if a.Status != guideline.Required || len(a.Tests) != 2 || !a.Tests[0].Flagged() || a.Tests[1].Flagged() || a.Tests[0].IdempotentID != "" {
		t.Errorf("compute-a = %+v", a)
	}
	if got := g.Platform[guideline.Required]; len(got) != 1 || got[0] != "compute" {
		t.Errorf("platform = %v", g.Platform)
	}
	if len(g.Criteria) != 1 || g.Criteria[0].Description != "Stable" {
		t.Errorf("criteria = %+v", g.Criteria)
	}
	if len(g.DesignatedSections) != 2 || g.DesignatedSections[1].Status != "informational" {
		t.Errorf("designated sections = %+v", g.DesignatedSections)
	}
}

func TestLoadAddOn(t *testing.T) {
	g, err := guideline.Load(filepath.Join("testdata", "addon2.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The file name (addon2.0.json) is not the id.
	if len(g.Warnings) != 1 || !strings.Contains(g.Warnings[0].Message, "does not match the file name") {
		t.Errorf("warnings = %v", g.Warnings)
	}
	if !g.IsAddOn() || g.AddOns[0].Name != "DNS" || g.AddOns[0].RequiredPlatformComponents[0].Source == "" {
		t.Errorf("add-ons = %+v", g.AddOns)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in     string
		line, column int
		pointer      string
		msg          string
	}{
		{"empty", "", 1, 1, "", "unexpected end of JSON input"},
		{"truncated", "{\n  \"id\": \"x\",\n", 3, 1, "", "unexpected end of JSON input"},
		{"missing comma", "{\n  \"a\": 1\n  \"b\": 2}", 3, 3, "", `invalid character '"' after object key:value pair`},
		{"comment", "{\n// no\n}", 2, 1, "", `invalid character '/' looking for beginning of object key string`},
		{"trailing", "{} x", 1, 4, "", "after top-level value"},
		{"bad escape", `{"a": "\q"}`, 1, 9, "", "in string escape code"},
		{"top-level array", "[]", 1, 1, "", "expected object, found array"},
		{"capabilities array", "{\"schema\": \"1.5\",\n \"capabilities\": [1]}", 2, 18, "/capabilities", "expected object, found array"},
		{"tests number", `{"schema": "1.5", "capabilities": {"c": {"tests": 3}}}`, 1, 51, "/capabilities/c/tests", "expected object of tests, found number"},
		{"admin string", `{"metadata": {"schema": "2.0"}, "capabilities": {"c/x": {"admin": "no"}}}`, 1, 67, "/capabilities/c~1x/admin", "expected boolean, found string"},
		{"1.2 tests object", `{"schema": "1.2", "capabilities": {"c": {"tests": {}}}}`, 1, 51, "/capabilities/c/tests", "expected array of strings, found object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := guideline.Parse([]byte(tt.in))
			var pe *guideline.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a *ParseError", err)
			}
			if pe.Line != tt.line || pe.Column != tt.column || pe.Pointer != tt.pointer || !strings.Contains(pe.Error(), tt.msg) {
				t.Errorf("got %q (line %d, column %d, pointer %q), want line %d, column %d, pointer %q, %q",
					pe, pe.Line, pe.Column, pe.Pointer, tt.line, tt.column, tt.pointer, tt.msg)
			}
		})
	}
}

func TestParseFlagSpelling(t *testing.T) {
	in := `{"metadata": {"schema": "2.0"}, "platforms": {"OpenStack Powered Platform": {"components": [{"name": "c"}]}},
	"components": {"c": {"capabilities": {"required": ["a"]}}},
	"capabilities": {"a": {"tests": {"t1": {"idempotent_id": "id-1", "flag": {"reason": "[D401] x"}}}}}}`
	g, err := guideline.Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := g.TestListText(guideline.Query{Target: "platform"}); got != "t1[id-1]" {
		t.Errorf("flag=false test list %q, want t1[id-1]: RefStack ignores \"flag\"", got)
	}
	n := 0
	for _, w := range g.Warnings {
		if strings.Contains(w.Message, `RefStack reads only "flagged"`) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("warnings %v, want one about \"flag\"", g.Warnings)
	}
}

func TestParseDuplicateKeysLastWins(t *testing.T) {
	in := `{"schema": "1.5", "platform": {"required": ["c"]}, "components": {"c": {"required": ["a"]}},
	"capabilities": {"a": {"tests": {"t1": {"idempotent_id": "id-1"}}}, "a": {"tests": {"t2": {"idempotent_id": "id-2"}, "t2": {"idempotent_id": "id-3"}}}}}`
	g, err := guideline.Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	got := g.TestListText(guideline.DefaultQuery())
	if got != "t2[id-3]" {
		t.Errorf("test list %q, want %q (Python's json keeps the last of duplicate keys)", got, "t2[id-3]")
	}
	if len(g.Warnings) < 2 {
		t.Errorf("warnings = %v, want the duplicate keys reported", g.Warnings)
	}
}

// TestParseKeepsNoReference checks that a Guideline shares no memory with
// the bytes it was parsed from, nor with the buffers Parse reuses: both are
// overwritten, by hand and by parsing other documents, escaped strings
// included.
func TestParseKeepsNoReference(t *testing.T) {
	data := readFile(t, filepath.Join("testdata", generatedGuideline))
	// An escaped test name and alias use the decoded-text buffer.
	data = []byte(strings.Replace(string(data), `"tempest.api.compute.test_feature_00.Feature00TestJSON.test_operation_number_0"`,
		`"tempest.api.compute.test_feature_00.Feature00TestJSON.test_\u006Fperation_number_0"`, 1))
	g, err := guideline.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	want := g.TestListText(guideline.DefaultQuery())
	if !strings.Contains(want, ".test_operation_number_0[") {
		t.Fatal("escaped name not decoded")
	}
	for i := range data {
		data[i] = 'x'
	}
	for _, f := range []string{"schema2.0.json", "schema1.2.json", "addon2.0.json"} {
		if _, err := guideline.Parse(readFile(t, filepath.Join("testdata", f))); err != nil {
			t.Fatal(err)
		}
	}
	if got := g.TestListText(guideline.DefaultQuery()); got != want {
		t.Errorf("test list changed after the input was overwritten and other documents parsed")
	}
}
