package score_test

import (
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/score"
)

func load(t testing.TB, name string) *guideline.Guideline {
	t.Helper()
	g, err := guideline.Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func names(ns ...string) []score.Passed {
	out := make([]score.Passed, len(ns))
	for i, n := range ns {
		out[i].Name = n
	}
	return out
}

// The two cases of RefStack's UI tests (refstack-server.md §9.3).
func TestRefStackUICases(t *testing.T) {
	t.Run("1.2", func(t *testing.T) {
		r, err := score.Score(load(t, "ui-1.2.json"), names("test_id_1"), score.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.RequiredPassPercent != 50 || r.NonFlaggedPassed != 0 || r.NonFlaggedTotal != 1 || r.Compliant {
			t.Errorf("got %v%%, non-flagged %d/%d, compliant %v; want 50%%, 0/1, NO", r.RequiredPassPercent, r.NonFlaggedPassed, r.NonFlaggedTotal, r.Compliant)
		}
		req := r.Required()
		if req.FlaggedPassed != 1 || req.FlaggedFailed != 0 || len(req.Capabilities) != 1 {
			t.Errorf("required: %+v", req)
		}
		if adv := r.Statuses[guideline.Advisory]; adv.Tests != 1 || adv.Passed != 0 {
			t.Errorf("advisory: %+v", adv)
		}
		if got, want := r.ComplianceLine(), "Compliance with 2015.03: NO"; got != want {
			t.Errorf("ComplianceLine = %q, want %q", got, want)
		}
	})
	t.Run("1.4", func(t *testing.T) {
		r, err := score.Score(load(t, "ui-1.4.json"), names("test_id_1", "test_id_2_alias", "test_id_3"), score.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.RequiredPassPercent != 75 || r.NonFlaggedPassed != 2 || r.NonFlaggedTotal != 3 || r.Compliant {
			t.Errorf("got %v%%, non-flagged %d/%d, compliant %v; want 75%%, 2/3, NO", r.RequiredPassPercent, r.NonFlaggedPassed, r.NonFlaggedTotal, r.Compliant)
		}
		got := r.Required().Capabilities[0].Tests[1]
		if !got.Passed || got.MatchedBy != score.MatchedByAlias || got.MatchedName != "test_id_2_alias" {
			t.Errorf("test_id_2: %+v, want passed through its alias", got)
		}
		flagged := r.Required().Capabilities[1].Tests[0]
		if !flagged.Flagged || flagged.FlagReason != "[D401] skipped upstream" {
			t.Errorf("test_id_3: %+v", flagged)
		}
		want := "This cloud passes 75.0% (3/4) of the tests in the 2016.01 required capabilities for the OpenStack Powered Platform program. Excluding flagged tests, this cloud passes 66.7% (2/3) of the required tests."
		if s := r.Sentence(); s != want {
			t.Errorf("Sentence:\n got %s\nwant %s", s, want)
		}
	})
}

func TestStatusPriorityAndUndefinedCapabilities(t *testing.T) {
	g := load(t, "mixed-2.0.json")
	r, err := score.Score(g, nil, score.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var req []string
	for _, c := range r.Required().Capabilities {
		req = append(req, c.Name)
		if c.Name == "ghost-cap" && (c.Defined || c.Total != 0) {
			t.Errorf("ghost-cap: %+v, want undefined with no tests", c)
		}
	}
	// shared-cap is required in compute and advisory in storage: required wins.
	want := []string{"compute-servers", "ghost-cap", "objectstore-put", "shared-cap"}
	if !equal(req, want) {
		t.Errorf("required capabilities %q, want %q", req, want)
	}
	if adv := r.Statuses[guideline.Advisory]; len(adv.Capabilities) != 1 || adv.Capabilities[0].Name != "compute-advisory" {
		t.Errorf("advisory: %+v", adv.Capabilities)
	}
	// The storage platform alone has shared-cap as advisory.
	r, err = score.Score(g, nil, score.Options{Target: "object"})
	if err != nil {
		t.Fatal(err)
	}
	if adv := r.Statuses[guideline.Advisory]; len(adv.Capabilities) != 1 || adv.Capabilities[0].Name != "shared-cap" {
		t.Errorf("object advisory: %+v", adv.Capabilities)
	}
	if r.Program != "OpenStack Powered Object Storage" {
		t.Errorf("Program = %q", r.Program)
	}
}

func TestNoRequiredTests(t *testing.T) {
	// The page divides 0 by 0; the report keeps the NaN and stays compliant.
	r, err := score.Score(load(t, "ui-1.2.json"), nil, score.Options{Target: "object"})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(r.RequiredPassPercent) || !math.IsNaN(r.NonFlaggedRequiredPassPercent) || !r.Compliant {
		t.Errorf("got %v, %v, compliant %v", r.RequiredPassPercent, r.NonFlaggedRequiredPassPercent, r.Compliant)
	}
}

func TestMatchByID(t *testing.T) {
	g := load(t, "mixed-2.0.json")
	run := []score.Passed{
		// Renamed, with the bare uuid as refstack-client writes it.
		{Name: "tempest.api.compute.servers.test_new.ServersTest.test_list_renamed", UUID: "5f5c2e3a-0000-4000-8000-000000000002"},
		// Renamed, with the prefix and in upper case.
		{Name: "tempest.api.object_storage.New.test_put", UUID: "ID-5F5C2E3A-0000-4000-8000-000000000007"},
		// Both an alias and the id: the alias is the better match.
		{Name: "tempest.api.compute.servers.test_old.ServersTest.test_create", UUID: "5f5c2e3a-0000-4000-8000-000000000001"},
	}
	byName, err := score.Score(g, run, score.Options{})
	if err != nil {
		t.Fatal(err)
	}
	byID, err := score.Score(g, run, score.Options{Match: score.MatchID})
	if err != nil {
		t.Fatal(err)
	}
	if byName.RequiredPassed != 1 || byID.RequiredPassed != 3 {
		t.Errorf("required passed: by name %d (want 1), by id %d (want 3)", byName.RequiredPassed, byID.RequiredPassed)
	}
	want := map[string][2]string{
		"tempest.api.compute.servers.test_create.ServersTest.test_create": {score.MatchedByAlias, "tempest.api.compute.servers.test_old.ServersTest.test_create"},
		"tempest.api.compute.servers.test_list.ServersTest.test_list":     {score.MatchedByID, "tempest.api.compute.servers.test_new.ServersTest.test_list_renamed"},
		"tempest.api.object_storage.Put.test_put":                         {score.MatchedByID, "tempest.api.object_storage.New.test_put"},
	}
	for _, c := range byID.Required().Capabilities {
		for _, o := range c.Tests {
			w, ok := want[o.Name]
			if got := [2]string{o.MatchedBy, o.MatchedName}; ok && got != w || !ok && o.Passed {
				t.Errorf("%s: matched %q, want %q", o.Name, got, w)
			}
		}
	}
	if byID.Match != score.MatchID {
		t.Errorf("Match = %q", byID.Match)
	}
}

func TestMatchIsOrderIndependent(t *testing.T) {
	g := load(t, "mixed-2.0.json")
	run := []score.Passed{
		{Name: "x.renamed.b", UUID: "5f5c2e3a-0000-4000-8000-000000000002"},
		{Name: "x.renamed.a", UUID: "5f5c2e3a-0000-4000-8000-000000000002"},
		{Name: "tempest.api.compute.servers.test_old.ServersTest.test_create"},
		{Name: "tempest.api.compute.servers.test_create.ServersTest.test_create"},
	}
	rev := []score.Passed{run[3], run[2], run[1], run[0]}
	a, _ := score.Score(g, run, score.Options{Match: score.MatchID})
	b, _ := score.Score(g, rev, score.Options{Match: score.MatchID})
	ta, tb := a.Required().Capabilities[0].Tests, b.Required().Capabilities[0].Tests
	for i := range ta {
		if ta[i].MatchedBy != tb[i].MatchedBy || ta[i].MatchedName != tb[i].MatchedName {
			t.Errorf("%s: %s/%s one way, %s/%s the other", ta[i].Name, ta[i].MatchedBy, ta[i].MatchedName, tb[i].MatchedBy, tb[i].MatchedName)
		}
	}
	if ta[0].MatchedBy != score.MatchedByName || ta[1].MatchedName != "x.renamed.a" {
		t.Errorf("got %+v", ta[:2])
	}
}

func TestTargets(t *testing.T) {
	dns := []byte(`{"metadata": {"id": "dns.2099.01", "schema": "2.0", "os_trademark_approval": {"status": "approved"}},
	 "add-ons": {"DNS": {"description": "d", "components": [{"name": "os_powered_dns"}]}},
	 "components": {"os_powered_dns": {"capabilities": {"required": ["dns-zones"]}}},
	 "capabilities": {"dns-zones": {"tests": {"t.a": {"idempotent_id": "u1"}, "t.b": {"idempotent_id": "u2"}}}}}`)
	g, err := guideline.Parse(dns)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		target, program string
		tests           int
	}{
		{"dns", "OpenStack with DNS", 2},
		{"DNS", "OpenStack with DNS", 2}, // the add-on's name, beyond RefStack
		{"dns ", "", 0},
		{"platform", "", 0}, // the page breaks: an add-on has no os_powered_platform
		{"orchestration", "", 0},
	} {
		r, err := score.Score(g, names("t.a"), score.Options{Target: tc.target})
		if tc.program == "" {
			var te *guideline.TargetError
			if !errors.As(err, &te) || te.Target != tc.target {
				t.Errorf("target %q: err %v, want a *guideline.TargetError", tc.target, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("target %q: %v", tc.target, err)
			continue
		}
		if r.Program != tc.program || r.RequiredTotal != tc.tests || r.RequiredPassed != 1 || r.Guideline != "dns.2099.01" {
			t.Errorf("target %q: %s %d/%d %s", tc.target, r.Program, r.RequiredPassed, r.RequiredTotal, r.Guideline)
		}
	}
	// 1.x: compute is the component's own lists, dns does not exist.
	g12 := load(t, "ui-1.2.json")
	if r, err := score.Score(g12, nil, score.Options{Target: "compute", Name: "label"}); err != nil || r.RequiredTotal != 2 || r.Guideline != "label" {
		t.Errorf("1.2 compute: %v %+v", err, r)
	}
	if _, err := score.Score(g12, nil, score.Options{Target: "dns"}); err == nil {
		t.Error("1.2 dns: no error")
	}
}

func TestPrepareErrors(t *testing.T) {
	g := load(t, "ui-1.4.json")
	if _, err := score.Prepare(g, score.Options{Match: "uuid"}); err == nil {
		t.Error("match uuid: no error")
	}
	if _, err := score.Prepare(nil, score.Options{}); err == nil {
		t.Error("nil guideline: no error")
	}
	for _, schema := range []string{"1.1", "1.7", "2.1", "3.0"} {
		g, err := guideline.Parse([]byte(`{"id": "x", "schema": "` + schema + `", "platform": {"required": []}, "components": {}, "capabilities": {}}`))
		if err != nil {
			t.Fatal(err)
		}
		_, err = score.Prepare(g, score.Options{})
		var se *score.SchemaError
		if !errors.As(err, &se) || se.Schema != schema || !errors.Is(err, score.ErrUnsupportedSchema) {
			t.Errorf("schema %s: %v", schema, err)
		}
	}
}

func TestParseMatch(t *testing.T) {
	for in, want := range map[string]score.Match{"": score.MatchName, "name": score.MatchName, "id": score.MatchID} {
		if got, err := score.ParseMatch(in); err != nil || got != want {
			t.Errorf("ParseMatch(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := score.ParseMatch("Name"); err == nil {
		t.Error("ParseMatch(Name): no error")
	}
}

func TestFormatPercent(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{100, "100.0"}, {0, "0.0"}, {75, "75.0"}, {12.25, "12.3"}, {12.35, "12.4"}, {99.95, "100.0"},
		{100.0 / 3, "33.3"}, {200.0 / 3, "66.7"}, {0.05, "0.1"}, {0.04999, "0.0"}, {9.96, "10.0"},
		{1e-7, "0.0"}, {math.NaN(), "n/a"}, {math.Inf(1), "n/a"}, {-2.25, "-2.3"},
	} {
		if got := score.FormatPercent(tc.in); got != tc.want {
			t.Errorf("FormatPercent(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestScorerProgress(t *testing.T) {
	s, err := score.NewScorer(load(t, "ui-1.4.json"), score.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := score.Progress{RequiredTotal: 4, NonFlaggedTotal: 3}
	if got := s.Progress(); got != want {
		t.Fatalf("start: %+v, want %+v", got, want)
	}
	for _, step := range []struct {
		name             string
		passed, nonFlagd int
	}{
		{"test_id_3", 1, 0},       // flagged
		{"test_id_2_alias", 2, 1}, // alias
		{"test_id_2", 2, 1},       // the same test again, by name
		{"unknown", 2, 1},
		{"test_id_4", 3, 2},
	} {
		s.Add(score.Passed{Name: step.name})
		if p := s.Progress(); p.RequiredPassed != step.passed || p.NonFlaggedPassed != step.nonFlagd {
			t.Errorf("after %s: %+v, want %d and %d", step.name, p, step.passed, step.nonFlagd)
		}
	}
	r := s.Report()
	if r.RequiredPassed != 3 || r.Required().Capabilities[0].Tests[1].MatchedBy != score.MatchedByName {
		t.Errorf("report: %d passed, test_id_2 %+v", r.RequiredPassed, r.Required().Capabilities[0].Tests[1])
	}
}
