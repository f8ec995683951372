package guideline_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/internal/testenv"
)

func loadDiffFile(t testing.TB, path string) *guideline.Guideline {
	t.Helper()
	g, err := guideline.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// changeLines writes a delta as short lines, for comparing with a table.
func changeLines(d *guideline.Delta) []string {
	var out []string
	for _, c := range d.Capabilities {
		out = append(out, "cap "+c.Kind+" "+c.Name+" "+string(c.From)+">"+string(c.To))
	}
	for _, c := range d.Tests {
		s := "test " + c.Kind + " " + c.Name
		if c.OldName != "" {
			s += " from " + c.OldName
		}
		if c.Flag != nil {
			s += " " + c.Flag.Reason
		}
		out = append(out, s)
	}
	return out
}

func TestDiff(t *testing.T) {
	old := loadDiffFile(t, filepath.Join("testdata", "diff-old.json"))
	new := loadDiffFile(t, filepath.Join("testdata", "diff-new.json"))
	compute := []string{
		"cap moved cap-adv advisory>required",
		"cap removed cap-dropped required>",
		"cap moved cap-moved required>deprecated",
		"cap added cap-new >required",
		"test flagged t.a1 [D402] flaky",
		"test unflagged t.a2 [D401] broken",
		"test added t.b.added",
		"test removed t.b.gone",
		"test renamed t.b.idnew from t.b.idold", // same id, bare in the new file
		"test flagged t.b.new [T101] renamed upstream",
		"test renamed t.b.new from t.b.old", // an alias
		"test removed t.d",
		"test added t.n",
	}
	platform := append(slices.Clone(compute), "test flagged t.o [D401] broken")
	tests := []struct {
		name     string
		old, new *guideline.Guideline
		target   string
		want     []string
	}{
		{"platform", old, new, "platform", platform},
		{"compute", old, new, "compute", compute},
		{"object", old, new, "object", []string{"test flagged t.o [D401] broken"}},
		{"same", new, new, "platform", nil},
		{"reverse object", new, old, "object", []string{"test unflagged t.o [D401] broken"}},
		{"reverse compute", new, old, "compute", []string{
			"cap moved cap-adv required>advisory",
			"cap added cap-dropped >required",
			"cap moved cap-moved deprecated>required",
			"cap removed cap-new required>",
			"test unflagged t.a1 [D402] flaky",
			"test flagged t.a2 [D401] broken",
			"test removed t.b.added",
			"test added t.b.gone",
			"test renamed t.b.idold from t.b.idnew",
			"test renamed t.b.old from t.b.new", // same idempotent id
			"test unflagged t.b.old [T101] renamed upstream",
			"test added t.d",
			"test removed t.n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := guideline.Diff(tt.old, tt.new, tt.target)
			if err != nil {
				t.Fatal(err)
			}
			got := changeLines(d)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestDiffTarget(t *testing.T) {
	old := loadDiffFile(t, filepath.Join("testdata", "diff-old.json"))
	v14 := loadDiffFile(t, filepath.Join("testdata", "schema1.4-refstack.json"))
	for _, tc := range []struct {
		old, new *guideline.Guideline
		target   string
	}{{old, old, "dns"}, {old, v14, "dns"}, {v14, old, "nope"}} {
		_, err := guideline.Diff(tc.old, tc.new, tc.target)
		var te *guideline.TargetError
		if !errors.As(err, &te) || te.Target != tc.target {
			t.Errorf("Diff(%s, %s, %q): error %v, want a *TargetError", tc.old.ID, tc.new.ID, tc.target, err)
		}
	}
}

// TestDiffJSON pins the JSON encoding: field names, empty lists as [].
func TestDiffJSON(t *testing.T) {
	old := loadDiffFile(t, filepath.Join("testdata", "diff-old.json"))
	new := loadDiffFile(t, filepath.Join("testdata", "diff-new.json"))
	d, err := guideline.Diff(old, new, "object")
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"old":"2040.01","new":"2040.06","target":"object","capabilities":[],"tests":[` +
		`{"name":"t.o","kind":"flagged","idempotent_id":"id-00000000-0000-0000-0000-000000000010","capabilities":["obj-1"],` +
		`"flagged":{"reason":"[D401] broken","action":"flagged","date":"2040-06-01"}}]}`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	d, err = guideline.Diff(new, new, "object")
	if err != nil {
		t.Fatal(err)
	}
	got, _ = json.Marshal(d)
	if want := `{"old":"2040.06","new":"2040.06","target":"object","capabilities":[],"tests":[]}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// rawGuideline is the part of a 1.3+ file the real-data checks read, with
// encoding/json, independently of the package.
type rawGuideline struct {
	Platform     map[string][]string        `json:"platform"` // 1.x
	Components   map[string]json.RawMessage `json:"components"`
	Capabilities map[string]struct {
		Tests map[string]struct {
			Flagged json.RawMessage `json:"flagged"`
		} `json:"tests"`
	} `json:"capabilities"`
}

func readRaw(t *testing.T, path string) *rawGuideline {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r rawGuideline
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

var rawStatuses = []string{"required", "advisory", "deprecated", "removed"}

// statusOf maps each capability of the platform's components to its first
// status of required, advisory, deprecated, removed.
func (r *rawGuideline) statusOf(t *testing.T) map[string]string {
	comps := []string{"os_powered_compute", "os_powered_storage"}
	if r.Platform != nil {
		comps = r.Platform["required"]
	}
	out := map[string]string{}
	for _, comp := range comps {
		var lists map[string][]string
		var v2 struct {
			Capabilities map[string][]string `json:"capabilities"`
		}
		if r.Platform != nil {
			if err := json.Unmarshal(r.Components[comp], &lists); err != nil {
				t.Fatal(err)
			}
		} else {
			if err := json.Unmarshal(r.Components[comp], &v2); err != nil {
				t.Fatal(err)
			}
			lists = v2.Capabilities
		}
		for _, st := range rawStatuses {
			for _, n := range lists[st] {
				if _, ok := out[n]; !ok || slices.Index(rawStatuses, out[n]) > slices.Index(rawStatuses, st) {
					out[n] = st
				}
			}
		}
	}
	return out
}

// tests maps the test names of the listed capabilities to whether they are
// flagged.
func (r *rawGuideline) tests(caps map[string]string) map[string]bool {
	out := map[string]bool{}
	for name := range caps {
		for tn, tt := range r.Capabilities[name].Tests {
			out[tn] = out[tn] || (len(tt.Flagged) > 0 && string(tt.Flagged) != "null")
		}
	}
	return out
}

// TestDiffInterop checks pairs of published guidelines on the platform
// against what the two files say, read with encoding/json. The counts were
// read from the files with a separate script; 2019.11 to 2020.06 changes
// no capability's status on the platform (both list the same 60 required
// compute capabilities and nothing else).
func TestDiffInterop(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	for _, tc := range []struct {
		old, new              string
		moved, added, removed int // -1: not checked
	}{
		{"2019.11", "2020.06", 0, 0, 0},
		{"2019.06", "2019.11", 0, 0, 14},
		{"2018.11", "2019.06", 17, 0, 0},
		{"2018.02", "2018.11", 19, 3, 2},
		{"2017.09", "2018.02", -1, -1, -1},
		{"2016.08", "2017.01", -1, -1, -1},
	} {
		t.Run(tc.old+"-"+tc.new, func(t *testing.T) {
			oldPath, newPath := filepath.Join(dir, tc.old+".json"), filepath.Join(dir, tc.new+".json")
			d, err := guideline.Diff(loadDiffFile(t, oldPath), loadDiffFile(t, newPath), "platform")
			if err != nil {
				t.Fatal(err)
			}
			checkInteropDelta(t, d, readRaw(t, oldPath), readRaw(t, newPath))
			count := map[string]int{}
			for _, c := range d.Capabilities {
				count[c.Kind]++
			}
			if tc.moved >= 0 && (count[guideline.ChangeMoved] != tc.moved || count[guideline.ChangeAdded] != tc.added || count[guideline.ChangeRemoved] != tc.removed) {
				t.Errorf("capabilities moved/added/removed %d/%d/%d, want %d/%d/%d", count[guideline.ChangeMoved],
					count[guideline.ChangeAdded], count[guideline.ChangeRemoved], tc.moved, tc.added, tc.removed)
			}
		})
	}
}

func checkInteropDelta(t *testing.T, d *guideline.Delta, ro, rn *rawGuideline) {
	os, ns := ro.statusOf(t), rn.statusOf(t)
	var want []string
	for n, st := range ns {
		if o, ok := os[n]; !ok {
			want = append(want, "added "+n+" >"+st)
		} else if o != st {
			want = append(want, "moved "+n+" "+o+">"+st)
		}
	}
	for n, st := range os {
		if _, ok := ns[n]; !ok {
			want = append(want, "removed "+n+" "+st+">")
		}
	}
	var got []string
	for _, c := range d.Capabilities {
		got = append(got, c.Kind+" "+c.Name+" "+string(c.From)+">"+string(c.To))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("capability changes:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Tests: every name only in the new file is added or renamed, every
	// name only in the old one removed or renamed away; names in both are
	// flagged or unflagged exactly when their flag changed.
	ot, nt := ro.tests(os), rn.tests(ns)
	kinds := map[string][]string{}
	renamedFrom := map[string]bool{}
	for _, c := range d.Tests {
		kinds[c.Name] = append(kinds[c.Name], c.Kind)
		if c.Kind == guideline.ChangeRenamed {
			renamedFrom[c.OldName] = true
		}
	}
	for n, flagged := range nt {
		k := kinds[n]
		oflag, inOld := ot[n]
		switch {
		case !inOld && !slices.Contains(k, guideline.ChangeAdded) && !slices.Contains(k, guideline.ChangeRenamed):
			t.Errorf("new test %s: changes %v, want added or renamed", n, k)
		case inOld && flagged && !oflag && !slices.Equal(k, []string{guideline.ChangeFlagged}):
			t.Errorf("test %s flagged in the new file only: changes %v", n, k)
		case inOld && !flagged && oflag && !slices.Equal(k, []string{guideline.ChangeUnflagged}):
			t.Errorf("test %s flagged in the old file only: changes %v", n, k)
		case inOld && flagged == oflag && len(k) > 0:
			t.Errorf("unchanged test %s: changes %v", n, k)
		}
	}
	for n := range ot {
		if _, inNew := nt[n]; !inNew && !renamedFrom[n] && !slices.Equal(kinds[n], []string{guideline.ChangeRemoved}) {
			t.Errorf("old test %s: changes %v, want removed or renamed", n, kinds[n])
		}
	}
	for n := range renamedFrom {
		if _, inOld := ot[n]; !inOld {
			t.Errorf("renamed from %s, which the old file does not list", n)
		}
	}
	t.Logf("%d capability changes, %d test changes", len(d.Capabilities), len(d.Tests))
}
