package guideline_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/internal/testenv"
)

func mustLoad(t testing.TB, path string) *guideline.Guideline {
	t.Helper()
	g, err := guideline.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func q(target, types string, alias, flag bool) guideline.Query {
	v := url.Values{"target": {target}, "type": {types}}
	v.Set("alias", fmt.Sprint(alias))
	v.Set("flag", fmt.Sprint(flag))
	return guideline.QueryFromValues(v)
}

// TestTestListRefStackExample is the example of RefStack's own unit tests
// (refstack-server.md §5.4).
func TestTestListRefStackExample(t *testing.T) {
	g := mustLoad(t, filepath.Join("testdata", "schema1.4-refstack.json"))
	if got, want := g.TestListText(guideline.DefaultQuery()),
		"test_1[id-1234]\ntest_2[id-5678]\ntest_2_1[id-5678]\ntest_3[id-1111]\ntest_4[id-1233]"; got != want {
		t.Errorf("default query:\n%s\nwant:\n%s", got, want)
	}
	if got, want := g.TestListText(q("compute", "", false, false)), "test_1[id-1234]\ntest_2[id-5678]"; got != want {
		t.Errorf("compute, alias=false, flag=false:\n%s\nwant:\n%s", got, want)
	}
}

// TestTestListFixtures checks the repo-local fixtures against answers worked
// out by hand from §5.4.
func TestTestListFixtures(t *testing.T) {
	const (
		id1 = "[id-00000000-0000-0000-0000-000000000001]"
		id2 = "[id-00000000-0000-0000-0000-000000000002]"
		id3 = "[id-00000000-0000-0000-0000-000000000003]"
		id4 = "[00000000-0000-0000-0000-000000000004]"
		id5 = "[id-00000000-0000-0000-0000-000000000005]"
	)
	lines := func(l ...string) string { return strings.Join(l, "\n") }
	tests := []struct {
		file  string
		query guideline.Query
		want  string
	}{
		// 2.0: platform = compute + storage; ghost-cap is listed but not
		// defined; unlisted-cap has no status; t.x.b is in two capabilities;
		// t.x.c has no idempotent_id; t.x.a is flagged.
		{"schema2.0.json", guideline.DefaultQuery(), lines(
			"a.x.b_older"+id2, "t.shared"+id1, "t.x.a"+id3, "t.x.a_old"+id3, "t.x.b"+id2, "t.x.b"+id2,
			"t.x.b_old"+id2, "t.x.c[]", "t.y"+id4, "t.z"+id5)},
		{"schema2.0.json", q("platform", "required", true, false), lines(
			"a.x.b_older"+id2, "t.shared"+id1, "t.x.b"+id2, "t.x.b"+id2, "t.x.b_old"+id2, "t.x.c[]", "t.z"+id5)},
		{"schema2.0.json", q("compute", "advisory", true, true), "t.y" + id4},
		{"schema2.0.json", q("object", "", false, true), lines("t.shared"+id1, "t.x.b"+id2, "t.z"+id5)},
		{"schema2.0.json", q("compute", "required,removed", false, true), lines("t.shared"+id1, "t.x.a"+id3, "t.x.b"+id2, "t.x.c[]")},
		{"schema2.0.json", q("platform", "bogus", true, true), ""},
		{"schema2.0.json", q("platform", "deprecated", true, true), ""},
		{"schema2.0.json", q("dns", "", true, true), "Invalid target: dns"},
		{"schema2.0.json", q("foo", "", true, true), "Invalid target: foo"},
		{"schema2.0.json", q("", "", true, true), "Invalid target: "},
		// Beyond RefStack: a platform's display name.
		{"schema2.0.json", q("OpenStack Powered Storage", "", false, true), lines("t.shared"+id1, "t.x.b"+id2, "t.z"+id5)},
		// Add-on: bare ids.
		{"addon2.0.json", guideline.Query{Target: "dns", Alias: true, Flag: true}, lines(
			"dns.record.create[00000000-0000-0000-0000-0000000000b1]",
			"dns.zone.create[00000000-0000-0000-0000-0000000000a1]",
			"dns.zone.delete[00000000-0000-0000-0000-0000000000a2]")},
		{"addon2.0.json", q("dns", "required", true, true), lines(
			"dns.zone.create[00000000-0000-0000-0000-0000000000a1]",
			"dns.zone.delete[00000000-0000-0000-0000-0000000000a2]")},
		{"addon2.0.json", q("platform", "", true, true), "Invalid target: platform"},
		{"addon2.0.json", q("orchestration", "", true, true), "Invalid target: orchestration"},
		// Beyond RefStack: the add-on's name, in any case.
		{"addon2.0.json", q("Dns", "required", true, true), lines(
			"dns.zone.create[00000000-0000-0000-0000-0000000000a1]",
			"dns.zone.delete[00000000-0000-0000-0000-0000000000a2]")},
		// 1.2: bare names; flagged from the capability's list; compute-gone
		// is listed but not defined.
		{"schema1.2.json", guideline.DefaultQuery(), lines("t.a.one", "t.a.two", "t.b.one")},
		{"schema1.2.json", q("platform", "", true, false), lines("t.a.one", "t.b.one")},
		{"schema1.2.json", q("compute", "advisory", false, true), "t.b.one"},
		{"schema1.2.json", q("object", "", true, true), "Invalid target: object"},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%d-%s-%s", i, tt.file, tt.query.Target), func(t *testing.T) {
			g := mustLoad(t, filepath.Join("testdata", tt.file))
			if got := g.TestListText(tt.query); got != tt.want {
				t.Errorf("query %+v:\n%s\nwant:\n%s", tt.query, got, tt.want)
			}
		})
	}
}

func TestTestListInvalidTargetError(t *testing.T) {
	g := mustLoad(t, filepath.Join("testdata", "schema2.0.json"))
	_, err := g.TestList(guideline.Query{Target: "nope"})
	te, ok := err.(*guideline.TargetError)
	if !ok || te.Target != "nope" || te.RefStackText() != "Invalid target: nope" {
		t.Errorf("error %v, want a *TargetError for nope", err)
	}
}

func TestQueryFromValues(t *testing.T) {
	tests := []struct {
		in   string
		want guideline.Query
	}{
		{"", guideline.Query{Target: "platform", Alias: true, Flag: true}},
		{"target=compute&type=required", guideline.Query{Target: "compute", Types: []guideline.Status{"required"}, Alias: true, Flag: true}},
		{"type=required,advisory&alias=0&flag=no", guideline.Query{Target: "platform", Types: []guideline.Status{"required", "advisory"}}},
		{"alias=YES&flag=True", guideline.Query{Target: "platform", Alias: true, Flag: true}},
		{"alias=&flag=&type=", guideline.Query{Target: "platform", Alias: true, Flag: true}},
		{"alias=maybe&flag=1", guideline.Query{Target: "platform", Flag: true}},
		{"target=", guideline.Query{Target: "", Alias: true, Flag: true}},
		{"target=a&target=b", guideline.Query{Target: "b", Alias: true, Flag: true}},
	}
	for _, tt := range tests {
		v, err := url.ParseQuery(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := guideline.QueryFromValues(v); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("QueryFromValues(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// TestTestListCounts checks the line counts of refstack-client-interop.md
// §B.6 (type=required; lines/unique lines).
func TestTestListCounts(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	type ab struct{ alias, flag bool }
	tests := []struct {
		file, target string
		counts       map[ab][2]int
	}{
		{"2020.06.json", "platform", map[ab][2]int{{true, true}: {390, 388}, {true, false}: {377, 375}, {false, true}: {286, 284}, {false, false}: {275, 273}}},
		{"2020.06.json", "compute", map[ab][2]int{{true, true}: {331, 331}, {true, false}: {318, 318}, {false, true}: {228, 228}, {false, false}: {217, 217}}},
		{"2020.06.json", "object", map[ab][2]int{{true, true}: {61, 59}, {true, false}: {61, 59}, {false, true}: {60, 58}, {false, false}: {60, 58}}},
		{"2019.11.json", "platform", map[ab][2]int{{true, true}: {390, 388}, {true, false}: {377, 375}, {false, true}: {286, 284}, {false, false}: {275, 273}}},
		{"2019.11.json", "compute", map[ab][2]int{{true, true}: {331, 331}, {true, false}: {318, 318}, {false, true}: {228, 228}, {false, false}: {217, 217}}},
		{"2019.11.json", "object", map[ab][2]int{{true, true}: {61, 59}, {true, false}: {61, 59}, {false, true}: {60, 58}, {false, false}: {60, 58}}},
		{"add-ons/dns.2020.06.json", "dns", map[ab][2]int{{true, true}: {10, 10}, {true, false}: {10, 10}, {false, true}: {10, 10}, {false, false}: {10, 10}}},
		{"add-ons/orchestration.2020.06.json", "orchestration", map[ab][2]int{{true, true}: {60, 60}, {true, false}: {60, 60}, {false, true}: {60, 60}, {false, false}: {60, 60}}},
		{"2018.02.json", "platform", map[ab][2]int{{true, true}: {509, 390}}},
	}
	for _, tt := range tests {
		g := mustLoad(t, filepath.Join(dir, tt.file))
		for k, want := range tt.counts {
			lines, err := g.TestList(guideline.Query{Target: tt.target, Types: []guideline.Status{guideline.Required}, Alias: k.alias, Flag: k.flag})
			if err != nil {
				t.Errorf("%s %s %+v: %v", tt.file, tt.target, k, err)
				continue
			}
			unique := map[string]bool{}
			for _, l := range lines {
				unique[l] = true
			}
			if got := [2]int{len(lines), len(unique)}; got != want {
				t.Errorf("%s target=%s type=required alias=%v flag=%v: %d lines (%d unique), want %d (%d)",
					tt.file, tt.target, k.alias, k.flag, got[0], got[1], want[0], want[1])
			}
		}
	}
	// The README/CI query, byte for byte: no trailing newline, sorted.
	g := mustLoad(t, filepath.Join(dir, "2020.06.json"))
	text := g.TestListText(q("platform", "required", true, false))
	if n := strings.Count(text, "\n") + 1; n != 377 || strings.HasSuffix(text, "\n") {
		t.Errorf("2020.06 platform/required/alias/no-flag: %d lines, trailing newline %v; want 377, false", n, strings.HasSuffix(text, "\n"))
	}
}

// TestTestListOracle compares every fixture, every target, every status
// filter and every alias/flag combination with an independent model of
// RefStack's algorithm (testdata/refstack_tests.py, written from §5.4).
func TestTestListOracle(t *testing.T) {
	py := testenv.Python(t)
	var files []string
	for _, f := range []string{"schema1.2.json", "schema1.4-refstack.json", "schema2.0.json", "addon2.0.json"} {
		files = append(files, filepath.Join("testdata", f))
	}
	if dir, ok := testenv.SharedPath("fixtures", "interop"); ok {
		for _, pat := range []string{"*.json", "add-ons/*.json", "verticals/*.json"} {
			more, _ := filepath.Glob(filepath.Join(dir, pat))
			files = append(files, more...)
		}
	}
	out, err := exec.Command(py, append([]string{filepath.Join("testdata", "refstack_tests.py")}, files...)...).Output()
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	var want map[string]map[string]string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		g := mustLoad(t, f)
		for key, body := range want[f] {
			parts := strings.Split(key, "|")
			v := url.Values{"target": {parts[0]}, "type": {parts[1]}, "alias": {parts[2]}, "flag": {parts[3]}}
			if got := g.TestListText(guideline.QueryFromValues(v)); got != body {
				t.Errorf("%s %s: got %d bytes, oracle %d bytes", f, key, len(got), len(body))
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
	t.Logf("%d files, %d queries checked", len(files), checked)
}

// The benchmarks time issue 3's "load 2020.06 + test list": Parse of the
// file's bytes, then the platform's required tests with their aliases.
// The Generated ones time the same on testdata/generated-2.0.json, a
// guideline of the same size, and run on a fresh clone.

func BenchmarkLoadAndTestList(b *testing.B) {
	benchLoadAndTestList(b, readFile(b, filepath.Join(testenv.Shared(b, "fixtures", "interop"), "2020.06.json")), 377)
}

func BenchmarkLoadAndTestListGenerated(b *testing.B) {
	_, sum := genGuideline()
	benchLoadAndTestList(b, readFile(b, filepath.Join("testdata", generatedGuideline)), sum.requiredLines)
}

func benchLoadAndTestList(b *testing.B, data []byte, lines int) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		g, err := guideline.Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		if l, err := g.TestList(requiredQuery); err != nil || len(l) != lines {
			b.Fatal(len(l), err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	benchParse(b, readFile(b, filepath.Join(testenv.Shared(b, "fixtures", "interop"), "2020.06.json")))
}

func BenchmarkParseGenerated(b *testing.B) {
	benchParse(b, readFile(b, filepath.Join("testdata", generatedGuideline)))
}

func benchParse(b *testing.B, data []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := guideline.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTestList(b *testing.B) {
	benchTestList(b, mustLoad(b, filepath.Join(testenv.Shared(b, "fixtures", "interop"), "2020.06.json")))
}

func BenchmarkTestListGenerated(b *testing.B) {
	benchTestList(b, mustLoad(b, filepath.Join("testdata", generatedGuideline)))
}

func benchTestList(b *testing.B, g *guideline.Guideline) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.TestList(requiredQuery); err != nil {
			b.Fatal(err)
		}
	}
}
