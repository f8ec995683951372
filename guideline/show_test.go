package guideline_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/internal/testenv"
)

func TestShow(t *testing.T) {
	old := loadDiffFile(t, filepath.Join("testdata", "diff-old.json"))
	tests := []struct {
		target   string
		statuses []guideline.Status
		want     []string // status name components
	}{
		{"platform", nil, []string{
			"required cap-a os_powered_compute", "required cap-b os_powered_compute", "required cap-dropped os_powered_compute",
			"required cap-moved os_powered_compute", "required obj-1 os_powered_storage",
			"advisory cap-adv os_powered_compute", "advisory cap-ghost os_powered_compute"}},
		{"compute", []guideline.Status{guideline.Required}, []string{
			"required cap-a os_powered_compute", "required cap-b os_powered_compute", "required cap-dropped os_powered_compute",
			"required cap-moved os_powered_compute"}},
		{"platform", []guideline.Status{guideline.Advisory, guideline.Removed}, []string{
			"advisory cap-adv os_powered_compute", "advisory cap-ghost os_powered_compute"}},
		{"object", []guideline.Status{"requried"}, nil},
	}
	for _, tt := range tests {
		s, err := guideline.Show(old, tt.target, tt.statuses)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range s.Capabilities {
			got = append(got, string(c.Status)+" "+c.Name+" "+strings.Join(c.Components, ","))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Show(%s, %v):\n%s\nwant\n%s", tt.target, tt.statuses, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
	if _, err := guideline.Show(old, "dns", nil); !errors.As(err, new(*guideline.TargetError)) {
		t.Errorf("Show(dns): error %v, want a *TargetError", err)
	}
}

// TestShowJSON pins the JSON encoding of a summary: a capability with a
// flagged test and an alias, one listed but not defined, and the criteria.
func TestShowJSON(t *testing.T) {
	g := loadDiffFile(t, filepath.Join("testdata", "diff-old.json"))
	s, err := guideline.Show(g, "compute", []guideline.Status{guideline.Advisory})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"2040.01","schema":"2.0","status":"approved","target":"compute","statuses":["advisory"],"cutoff_score":"74",` +
		`"criteria":[{"key":"atomic","name":"Atomic","description":"Atomic capability","weight":60},` +
		`{"key":"deployed","name":"Widely Deployed","description":"Deployed","weight":40}],` +
		`"capabilities":[` +
		`{"name":"cap-adv","status":"advisory","components":["os_powered_compute"],"defined":true,"project":"neutron","description":"Adv","admin":true,` +
		`"achievements":[],"tests":[{"name":"t.adv","idempotent_id":"id-00000000-0000-0000-0000-000000000008","aliases":[]}]},` +
		`{"name":"cap-ghost","status":"advisory","components":["os_powered_compute"],"defined":false,"achievements":[],"tests":[]}]}`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	s, err = guideline.Show(g, "compute", []guideline.Status{guideline.Required})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(s.Capabilities[0])
	want = `{"name":"cap-a","status":"required","components":["os_powered_compute"],"defined":true,"project":"nova","description":"A",` +
		`"required_since":"2039.01","achievements":["atomic","deployed"],"tests":[` +
		`{"name":"t.a1","idempotent_id":"id-00000000-0000-0000-0000-000000000001","aliases":[]},` +
		`{"name":"t.a2","idempotent_id":"id-00000000-0000-0000-0000-000000000002","aliases":[],"flagged":{"reason":"[D401] broken","action":"flagged","date":"2040-01-01"}},` +
		`{"name":"t.a3","idempotent_id":"id-00000000-0000-0000-0000-000000000003","aliases":["t.a3_old"]}]}`
	if string(a) != want {
		t.Errorf("got\n%s\nwant\n%s", a, want)
	}
}

// TestShowInterop checks the summary of 2020.06 against RefStack's count
// for platform, required, alias=true, flag=false: 377 lines (each test not
// flagged and each of its aliases, per capability), and, for every
// fixture and target, that the summary lists exactly the capabilities the
// test-list query selects.
func TestShowInterop(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	g := loadDiffFile(t, filepath.Join(dir, "2020.06.json"))
	s, err := guideline.Show(g, "platform", []guideline.Status{guideline.Required})
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	for _, c := range s.Capabilities {
		for _, tt := range c.Tests {
			if tt.Flag == nil {
				lines += 1 + len(tt.Aliases)
			}
		}
	}
	if lines != 377 {
		t.Errorf("2020.06 platform required: %d unflagged tests and aliases, want 377", lines)
	}
	if len(s.Criteria) == 0 || s.CutoffScore == "" {
		t.Errorf("2020.06: criteria %v, cutoff %q", s.Criteria, s.CutoffScore)
	}

	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	more, _ := filepath.Glob(filepath.Join(dir, "add-ons", "*.json"))
	for _, f := range append(files, more...) {
		g := loadDiffFile(t, f)
		for _, target := range []string{"platform", "compute", "object", "dns", "orchestration"} {
			want, err := g.TargetCapabilities(target, nil)
			s, serr := guideline.Show(g, target, nil)
			if (err == nil) != (serr == nil) {
				t.Errorf("%s %s: Show error %v, TargetCapabilities error %v", filepath.Base(f), target, serr, err)
				continue
			}
			if err != nil {
				continue
			}
			var got []string
			for _, c := range s.Capabilities {
				if !slices.Contains(got, c.Name) {
					got = append(got, c.Name)
				}
				if d := g.Capability(c.Name); (d != nil) != c.Defined || (d != nil && len(d.Tests) != len(c.Tests)) {
					t.Errorf("%s %s %s: defined %v, %d tests", filepath.Base(f), target, c.Name, c.Defined, len(c.Tests))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s %s: capabilities %v, want %v", filepath.Base(f), target, got, want)
			}
		}
	}
}

// TestShow12 covers schema 1.2: flagged tests come from the capability's
// flagged list and have no reason; tests have no ids.
func TestShow12(t *testing.T) {
	g := loadDiffFile(t, filepath.Join("testdata", "schema1.2.json"))
	s, err := guideline.Show(g, "platform", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range s.Capabilities {
		line := string(c.Status) + " " + c.Name
		if !c.Defined {
			line += " undefined"
		}
		for _, tt := range c.Tests {
			line += " " + tt.Name + tt.IdempotentID
			if tt.Flag != nil {
				line += " flagged" + tt.Flag.Reason
			}
		}
		got = append(got, line)
	}
	want := []string{"required compute-a t.a.two flagged t.a.one", "advisory compute-b t.b.one", "removed compute-gone undefined"}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(s.Criteria) != 1 || s.Criteria[0].Key != "stable" || s.Criteria[0].Weight != 100 {
		t.Errorf("criteria %+v", s.Criteria)
	}
}
