package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

// guidelineRepo is the small interop layout of the guideline package's tests.
var guidelineRepo = filepath.Join("..", "..", "guideline", "testdata", "source")

const guidelineRepoJSON = `{"dns": [{"name": "2020.06.json", "file": "dns.2020.06.json"}, {"name": "next.json", "file": "dns.next.json"}], ` +
	`"orchestration": [{"name": "2020.06.json", "file": "orchestration.2020.06.json"}], ` +
	`"powered": [{"name": "2020.06.json", "file": "2020.06.json"}, {"name": "next.json", "file": "next.json"}]}`

const guidelineRepoText = `powered:
  2020.06.json
  next.json
dns:
  dns.2020.06.json
  dns.next.json
orchestration:
  orchestration.2020.06.json
`

func TestGuidelineList(t *testing.T) {
	tests := []struct {
		name   string
		env    string // REFSTACK_GUIDELINES
		args   []string
		code   int
		stdout string
		stderr string // a part of it
	}{
		{name: "text", args: []string{"--source", guidelineRepo}, stdout: guidelineRepoText},
		{name: "json", args: []string{"--json", "--source", guidelineRepo}, stdout: guidelineRepoJSON},
		{name: "env", env: guidelineRepo, args: []string{"--json"}, stdout: guidelineRepoJSON},
		{name: "flag beats env", env: "/nonexistent", args: []string{"--source", guidelineRepo, "--json"}, stdout: guidelineRepoJSON},
		{name: "offline dir", args: []string{"--offline", "--source", guidelineRepo}, stdout: guidelineRepoText},
		{name: "missing dir", args: []string{"--source", "/nonexistent/interop"}, code: CodeUsage, stderr: "--source"},
		{name: "argument", args: []string{"--source", guidelineRepo, "extra"}, code: CodeUsage, stderr: `unexpected argument "extra"`},
		{name: "raw-url with dir", args: []string{"--source", guidelineRepo, "--raw-url", "http://127.0.0.1/"}, code: CodeUsage, stderr: "needs a URL --source"},
		{name: "non-GitHub URL without raw", args: []string{"--source", "http://127.0.0.1:1/contents"}, code: CodeUsage, stderr: "give --raw-url"},
		{name: "offline empty cache", args: []string{"--offline", "--cache-dir", t.TempDir()}, code: CodeNotFinished, stderr: "not in the cache"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("REFSTACK_GUIDELINES", tt.env)
			r := run(t, "", append([]string{"guideline", "list"}, tt.args...)...)
			if r.code != tt.code || r.stdout != tt.stdout || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("code %d, stdout:\n%s\nstderr: %s\nwant code %d, stdout:\n%s\nstderr with %q", r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func TestGuidelineListHTTP(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		switch r.URL.Path {
		case "/repos/o/r/contents":
			fmt.Fprint(w, `[{"name": "2020.06.json", "path": "2020.06.json", "type": "file"}, {"name": "add-ons", "path": "add-ons", "type": "dir"}]`)
		case "/repos/o/r/contents/add-ons":
			fmt.Fprint(w, `[{"name": "dns.2020.06.json", "path": "add-ons/dns.2020.06.json", "type": "file"}]`)
		case "/broken/contents", "/broken/contents/add-ons":
			fmt.Fprint(w, `{"message": "Not Found"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	cache := t.TempDir()
	want := `{"dns": [{"name": "2020.06.json", "file": "dns.2020.06.json"}], "powered": [{"name": "2020.06.json", "file": "2020.06.json"}]}`
	args := []string{"guideline", "list", "--json", "--source", srv.URL + "/repos/o/r/contents", "--raw-url", srv.URL + "/raw/", "--cache-dir", cache}
	for _, extra := range [][]string{nil, nil, {"--offline"}} {
		before := requests.Load()
		r := run(t, "", append(args, extra...)...)
		if r.code != 0 || r.stdout != want {
			t.Fatalf("%v: code %d, stdout %s, stderr %s", extra, r.code, r.stdout, r.stderr)
		}
		if n := requests.Load() - before; (extra == nil && n != 2) || (extra != nil && n != 0) {
			t.Errorf("%v: %d requests", extra, n)
		}
	}
	r := run(t, "", "guideline", "list", "--source", srv.URL+"/broken/contents", "--raw-url", srv.URL, "--cache-dir", cache)
	if r.code != CodeNotFinished || !strings.Contains(r.stderr, "not a contents API array") {
		t.Errorf("bad listing: code %d, stderr %s", r.code, r.stderr)
	}
	r = run(t, "", "guideline", "list", "--source", srv.URL+"/missing/contents", "--raw-url", srv.URL, "--cache-dir", cache)
	if r.code != CodeNotFinished || !strings.Contains(r.stderr, "404") {
		t.Errorf("missing listing: code %d, stderr %s", r.code, r.stderr)
	}
}

func TestGuidelineListInterop(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	r := run(t, "", "guideline", "list", "--source", dir)
	if r.code != 0 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	want := "powered:\n"
	for _, d := range []string{"2015.03", "2015.04", "2015.05", "2015.07", "2016.01", "2016.08", "2017.01", "2017.09",
		"2018.02", "2018.11", "2019.06", "2019.11", "2020.06", "next"} {
		want += "  " + d + ".json\n"
	}
	for _, g := range []string{"dns", "orchestration"} {
		want += g + ":\n"
		for _, d := range []string{"2018.02", "2018.11", "2019.06", "2019.11", "2020.06", "next"} {
			want += "  " + g + "." + d + ".json\n"
		}
	}
	if r.stdout != want {
		t.Errorf("got:\n%s\nwant:\n%s", r.stdout, want)
	}
}
