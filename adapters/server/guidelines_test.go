package server

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/internal/testenv"
)

func TestGuidelineEndpoints(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	a := e.do("GET", "/v1/guidelines", nil)
	want := `{"dns": [{"name": "2020.06.json", "file": "dns.2020.06.json"}], "powered": [{"name": "2016.01.json", "file": "2016.01.json"}, {"name": "2020.06.json", "file": "2020.06.json"}]}`
	if a.status != 200 || string(a.body) != want {
		t.Errorf("listing: %d\n%s\nwant\n%s", a.status, a.body, want)
	}
	raw := readFile(t, "testdata/guidelines/2020.06.json")
	for _, p := range []string{"/v1/guidelines/2020.06", "/v1/guidelines/2020.06.json", "/api/v1/guidelines/2020.06.json/"} {
		if a := e.do("GET", p, nil); a.status != 200 || string(a.body) != string(raw) || a.header.Get("Content-Type") != contentJSON {
			t.Errorf("GET %s: %d %.80s", p, a.status, a.body)
		}
	}
	if a := e.do("GET", "/v1/guidelines/dns.2020.06", nil); a.status != 200 || string(a.body) != string(readFile(t, "testdata/guidelines/add-ons/dns.2020.06.json")) {
		t.Errorf("add-on: %d %.80s", a.status, a.body)
	}
	for _, p := range []string{"/v1/guidelines/2099.01", "/v1/guidelines/..%2F..%2Fserver.go", "/v1/guidelines/..%2Fkeys%2Falice.pem"} {
		a := e.do("GET", p, nil)
		if title, _ := a.err(t); a.status != 404 || title != "The server was unable to get the JSON content for the specified guideline file." {
			t.Errorf("GET %s: %d %s", p, a.status, a.body)
		}
	}

	// The test lists, byte for byte as RefStack answers them.
	for _, tc := range []struct{ path, want string }{
		{"/v1/guidelines/2016.01/tests", "tempest.api.compute.T.test_boot[id-aaaa0001]\ntempest.api.compute.T.test_flaky[id-aaaa0003]\ntempest.api.compute.T.test_list[id-aaaa0002]\ntempest.api.compute.T.test_list_old[id-aaaa0002]\ntempest.api.compute.T.test_resize[id-aaaa0004]\ntempest.api.object.O.test_put[id-bbbb0001]"},
		{"/v1/guidelines/2016.01.json/tests?type=required&alias=false&flag=false", "tempest.api.compute.T.test_boot[id-aaaa0001]\ntempest.api.compute.T.test_list[id-aaaa0002]\ntempest.api.object.O.test_put[id-bbbb0001]"},
		{"/v1/guidelines/2016.01/tests?target=object", "tempest.api.object.O.test_put[id-bbbb0001]"},
		{"/v1/guidelines/2020.06/tests?target=compute&type=advisory", "tempest.api.compute.T.test_resize[id-11111111-0000-0000-0000-000000000004]"},
		{"/v1/guidelines/dns.2020.06/tests?target=dns", "designate.api.Z.test_create_zone[id-33333333-0000-0000-0000-000000000001]"},
		{"/v1/guidelines/2020.06/tests?type=removed", ""},
		{"/v1/guidelines/2020.06/tests?target=nfv", "Invalid target: nfv"},
		{"/v1/guidelines/2099.01/tests", "Error getting JSON content for version: 2099.01"},
		{"/v1/guidelines/2099.01.json/tests", "Error getting JSON content for version: 2099.01.json"},
	} {
		a := e.do("GET", tc.path, nil)
		if a.status != 200 || string(a.body) != tc.want || a.header.Get("Content-Type") != "text/plain; charset=UTF-8" {
			t.Errorf("GET %s: %d %q\nwant %q", tc.path, a.status, a.body, tc.want)
		}
	}
}

// TestGuidelineTestsShared compares the endpoint with package guideline on
// the published guidelines.
func TestGuidelineTestsShared(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	st := newEnv(t, sqliteStore(t))
	src, err := guideline.NewDirSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := NewGuidelines(src, 0)
	srv, err := New(st.store, g)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	st = &testEnv{t: t, store: st.store, srv: srv, ts: ts}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, f := range files {
		doc, err := guideline.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		for _, q := range []string{"", "target=compute&type=required,advisory&alias=0", "target=object&flag=no", "target=dns"} {
			v, _ := url.ParseQuery(q)
			want := doc.TestListText(guideline.QueryFromValues(v))
			if a := st.do("GET", "/v1/guidelines/"+name+"/tests?"+q, nil); string(a.body) != want {
				t.Errorf("%s?%s: answer differs from TestListText (%d vs %d bytes)", name, q, len(a.body), len(want))
			}
		}
	}
}

func TestGuidelinesCache(t *testing.T) {
	dir := t.TempDir()
	data := readFile(t, "testdata/guidelines/2016.01.json")
	if err := os.WriteFile(filepath.Join(dir, "2016.01.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	src, _ := guideline.NewDirSource(dir)
	g, err := NewGuidelines(src, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := g.Get(ctx, "2016.01")
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "2016.01.json"))
	b, err := g.Get(ctx, "2016.01.json")
	if err != nil || a != b {
		t.Errorf("second Get: %v, same document %v", err, a == b)
	}
	if _, err := g.Get(ctx, "2099.01"); !strings.Contains(err.Error(), "no such guideline") {
		t.Errorf("missing: %v", err)
	}
	if _, err := g.Get(ctx, "../x"); err == nil {
		t.Error("../x accepted")
	}
	if _, err := NewGuidelines(nil, 0); err == nil {
		t.Error("nil source accepted")
	}
}
