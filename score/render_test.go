package score_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
	"github.com/refstack-go/refstack/score"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testenv.Golden(t, filepath.Join("testdata", name), got, *update, "go test ./score -update")
}

// mixedReport scores a run of mixed-2.0.json with every kind of outcome:
// passed by name, alias and id, flagged passed and not, undefined
// capability, capability in two components, other statuses.
func mixedReport(t *testing.T) *score.Report {
	t.Helper()
	r, err := score.Score(load(t, "mixed-2.0.json"), []score.Passed{
		{Name: "tempest.api.compute.servers.test_old.ServersTest.test_create"},
		{Name: "tempest.api.compute.servers.test_list_v2.ServersTest.test_list", UUID: "5f5c2e3a-0000-4000-8000-000000000002"},
		{Name: "tempest.api.compute.servers.test_resize.ServersTest.test_resize"},
		{Name: "tempest.api.shared.Test.test_both"},
		{Name: "tempest.api.compute.Old.test_old"},
	}, score.Options{Match: score.MatchID, Name: "2099.01"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRenderings(t *testing.T) {
	for _, tc := range []struct {
		file  string
		write func(*score.Report, *bytes.Buffer) error
	}{
		{"mixed.txt.golden", func(r *score.Report, b *bytes.Buffer) error { return r.WriteText(b) }},
		{"mixed.json.golden", func(r *score.Report, b *bytes.Buffer) error { return r.WriteJSON(b) }},
		{"mixed.md.golden", func(r *score.Report, b *bytes.Buffer) error { return r.WriteMarkdown(b) }},
		{"mixed.junit.golden", func(r *score.Report, b *bytes.Buffer) error { return r.WriteJUnit(b) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(mixedReport(t), &b); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.file, b.Bytes())
		})
	}
}

func TestJSONDocument(t *testing.T) {
	r := mixedReport(t)
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"format", "guideline", "target", "program", "schema", "match", "compliant",
		"required_pass_percent", "non_flagged_required_pass_percent", "sentence", "required", "statuses"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("no key %q", key)
		}
	}
	if doc["required_pass_percent"] != r.RequiredPassPercent || doc["compliant"] != false || doc["guideline"] != "2099.01" {
		t.Errorf("figures: %v %v %v", doc["required_pass_percent"], doc["compliant"], doc["guideline"])
	}
	statuses := doc["statuses"].(map[string]any)
	for _, st := range []string{"required", "advisory", "deprecated", "removed"} {
		s, ok := statuses[st].(map[string]any)
		if !ok {
			t.Fatalf("statuses.%s missing", st)
		}
		for _, key := range []string{"capabilities", "tests", "passed", "flagged_passed", "flagged_failed"} {
			if _, ok := s[key]; !ok {
				t.Errorf("statuses.%s.%s missing", st, key)
			}
		}
	}
	// MarshalJSON gives the same document.
	m, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var again map[string]any
	if err := json.Unmarshal(m, &again); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(doc)
	c, _ := json.Marshal(again)
	if !bytes.Equal(a, c) {
		t.Errorf("MarshalJSON differs from WriteJSON")
	}
	// A percentage of no tests is null, not an invalid NaN.
	empty, err := score.Score(load(t, "ui-1.2.json"), nil, score.Options{Target: "object"})
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := empty.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"required_pass_percent": null`) {
		t.Errorf("no null percent in %s", b.String())
	}
}

func TestJUnitParses(t *testing.T) {
	r := mixedReport(t)
	var b bytes.Buffer
	if err := r.WriteJUnit(&b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name      string    `xml:"name,attr"`
				Classname string    `xml:"classname,attr"`
				Failure   *struct{} `xml:"failure"`
				Skipped   *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	total, failures, skipped := 0, 0, 0
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			total++
			if c.Failure != nil {
				failures++
			}
			if c.Skipped != nil {
				skipped++
			}
		}
	}
	tests := 0
	for _, s := range r.Statuses {
		tests += s.Tests
	}
	// Failures are exactly the non-flagged required tests not passed.
	if total != tests || doc.Tests != tests || failures != r.NonFlaggedTotal-r.NonFlaggedPassed || doc.Failures != failures || doc.Skipped != skipped {
		t.Errorf("testcases %d (doc %d, want %d), failures %d (doc %d, want %d), skipped %d (doc %d)",
			total, doc.Tests, tests, failures, doc.Failures, r.NonFlaggedTotal-r.NonFlaggedPassed, skipped, doc.Skipped)
	}
	if len(doc.Suites) != 4 || doc.Suites[0].Name != "2099.01 required" {
		t.Errorf("suites: %+v", doc.Suites)
	}
}
