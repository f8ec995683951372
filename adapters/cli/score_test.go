package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/submit"
	"github.com/refstack-go/refstack/subunit"
)

const (
	scoreGuideline = "testdata/score-guideline.json"
	scoreRun       = "testdata/score-run.subunit1"
)

// scoreRunV2 is the run of score-run.subunit1 as a subunit v2 stream, and
// its passed tests as a results document.
func scoreRunV2(t *testing.T) (stream, results []byte) {
	t.Helper()
	data, err := os.ReadFile(scoreRun)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := subunit.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := subunit.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for ev, err := range rd.All() {
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	col, err := submit.CollectStream(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), col.Document("cpid", 7).File()
}

func TestScoreGolden(t *testing.T) {
	for _, format := range []string{"text", "json", "markdown", "junit"} {
		t.Run(format, func(t *testing.T) {
			r := run(t, "", "score", "--guideline", scoreGuideline, "--format", format, scoreRun)
			if r.code != CodeCheckFailed || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q; want 1 (not compliant) and nothing", r.code, r.stderr)
			}
			golden(t, "score-"+format+".golden", []byte(r.stdout))
			switch format {
			case "json":
				var doc struct {
					Compliant bool     `json:"compliant"`
					Percent   *float64 `json:"required_pass_percent"`
				}
				if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Compliant || doc.Percent == nil || *doc.Percent != 50 {
					t.Errorf("JSON: %+v, %v", doc, err)
				}
			case "junit":
				var doc struct {
					Tests    int `xml:"tests,attr"`
					Failures int `xml:"failures,attr"`
				}
				if err := xml.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Tests != 9 || doc.Failures != 2 {
					t.Errorf("JUnit: %+v, %v", doc, err)
				}
			}
		})
	}
}

// Every input form gives the same report.
func TestScoreInputs(t *testing.T) {
	v2, results := scoreRunV2(t)
	dir := t.TempDir()
	for name, data := range map[string][]byte{"run.subunit": v2, "results.json": results} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := run(t, "", "score", "-g", scoreGuideline, "-f", "json", "--match", "id", scoreRun)
	for _, tc := range []struct {
		name, stdin string
		args        []string
	}{
		{"v2 file", "", []string{filepath.Join(dir, "run.subunit")}},
		{"v2 stdin", string(v2), []string{"-"}},
		{"results file", "", []string{filepath.Join(dir, "results.json")}},
		{"results stdin", "\n  " + string(results), []string{"-"}},
		{"live v2", string(v2), []string{"--live", "--progress", "off", "-"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := run(t, tc.stdin, append([]string{"score", "-g", scoreGuideline, "-f", "json", "--match", "id"}, tc.args...)...)
			if got.code != want.code || got.stdout != want.stdout || got.stderr != "" {
				t.Errorf("exit %d, stderr %q, report differs: %v; want exit %d", got.code, got.stderr, got.stdout != want.stdout, want.code)
			}
		})
	}
}

func TestScoreCompliant(t *testing.T) {
	var b strings.Builder
	for _, n := range []string{
		"tempest.api.compute.servers.test_create.ServersTest.test_create",
		"tempest.api.compute.servers.test_list.ServersTest.test_list",
		"tempest.api.shared.Test.test_both",
		"tempest.api.object_storage.Put.test_put",
	} {
		fmt.Fprintf(&b, "test: %s\nsuccess: %s\n", n, n)
	}
	r := run(t, b.String(), "score", "-g", scoreGuideline, "-")
	if r.code != CodeOK || !strings.Contains(r.stdout, "Compliance with score-guideline: YES") {
		t.Errorf("exit %d, stdout %s", r.code, r.stdout)
	}
	// The compute program has no objectstore-put, the storage one nothing else.
	r = run(t, b.String(), "score", "-g", scoreGuideline, "--target", "object", "-")
	if r.code != CodeOK || !strings.Contains(r.stdout, "OpenStack Powered Object Storage program") {
		t.Errorf("object: exit %d, stdout %s", r.code, r.stdout)
	}
}

// fakeTerminal is a stderr that says it is a terminal.
type fakeTerminal struct{ bytes.Buffer }

func (*fakeTerminal) IsTerminal() bool { return true }

func TestScoreLiveProgress(t *testing.T) {
	v2, _ := scoreRunV2(t)
	// Lines: with no interval, a line per test record and a final one.
	r := run(t, string(v2), "score", "-g", scoreGuideline, "--live", "--progress", "lines", "--progress-interval", "0s", "-")
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if r.code != CodeCheckFailed || len(lines) != 8 || lines[7] != "required: 3/6 passed (50.0%), not flagged: 2/4, tests seen: 7" {
		t.Errorf("exit %d, progress:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "This cloud passes 50.0% (3/6)") {
		t.Errorf("no report: %s", r.stdout)
	}
	// Terminal (auto, on a terminal): one line rewritten with \r, ended once.
	var stderr fakeTerminal
	var stdout bytes.Buffer
	code := Run(context.Background(), []string{"refstack", "score", "-g", scoreGuideline, "--live", "-"}, bytes.NewReader(v2), &stdout, &stderr)
	s := stderr.String()
	if code != CodeCheckFailed || !strings.HasPrefix(s, "\r") || strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "tests seen: 7\n") {
		t.Errorf("exit %d, terminal progress %q", code, s)
	}
	// Auto on a pipe is lines, at most one per interval: the first and the last.
	r = run(t, string(v2), "score", "-g", scoreGuideline, "--live", "-")
	if n := strings.Count(r.stderr, "\n"); n != 2 || strings.Contains(r.stderr, "\r") {
		t.Errorf("auto on a pipe: %q", r.stderr)
	}
}

// liveReader hands out a stream in pieces and checks that each record is
// scored before the next piece is read.
type liveReader struct {
	pieces [][]byte
	stderr *bytes.Buffer
	t      *testing.T
	seen   int
}

func (l *liveReader) Read(p []byte) (int, error) {
	if len(l.pieces) == 0 {
		return 0, io.EOF
	}
	n := copy(p, l.pieces[0])
	l.pieces[0] = l.pieces[0][n:]
	if len(l.pieces[0]) == 0 {
		l.pieces = l.pieces[1:]
	}
	return n, nil
}

func TestScoreLiveIsIncremental(t *testing.T) {
	data, err := os.ReadFile(scoreRun)
	if err != nil {
		t.Fatal(err)
	}
	var pieces [][]byte
	for line := range bytes.Lines(data) {
		pieces = append(pieces, line)
	}
	var stderr, stdout bytes.Buffer
	lr := &liveReader{pieces: pieces, stderr: &stderr, t: t}
	// The reader checks progress as it goes: when the "success" line of the
	// first test has been read, a later read must find a progress line for it.
	checked := false
	rd := readerFunc(func(p []byte) (int, error) {
		if len(lr.pieces) == 5 && !checked { // after the first two tests
			checked = true
			if !strings.Contains(stderr.String(), "tests seen: 1") {
				t.Errorf("no progress while the stream is open: %q", stderr.String())
			}
		}
		return lr.Read(p)
	})
	code := Run(context.Background(), []string{"refstack", "score", "-g", scoreGuideline, "--live", "--progress", "lines", "--progress-interval", "0s", "-"}, rd, &stdout, &stderr)
	if code != CodeCheckFailed || !checked {
		t.Errorf("exit %d, checked %v", code, checked)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

func TestScoreServerResult(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/results/r1":
			io.WriteString(w, `{"id": "r1", "created_at": "2099-01-01 10:00:00", "duration_seconds": 7, "meta": {"target": "compute"},
				"results": ["tempest.api.compute.servers.test_create.ServersTest.test_create", "tempest.api.compute.servers.test_list.ServersTest.test_list", "tempest.api.shared.Test.test_both"], "user_role": "user"}`)
		default:
			w.WriteHeader(404)
			io.WriteString(w, `{"code": 404, "title": "Not Found", "detail": "Test result r2 not found"}`)
		}
	}))
	t.Cleanup(srv.Close)
	for _, u := range []string{srv.URL + "/api/v1/results/r1", srv.URL + "/#/results/r1"} {
		r := run(t, "", "score", "-g", scoreGuideline, u)
		// meta.target is compute: 3 of 3 required compute tests, one flagged not passed.
		if r.code != CodeOK || !strings.Contains(r.stdout, "(3/4) of the tests in the score-guideline required capabilities for the OpenStack Powered Compute program") {
			t.Errorf("%s: exit %d, stdout %s, stderr %s", u, r.code, r.stdout, r.stderr)
		}
	}
	r := run(t, "", "score", "-g", scoreGuideline, srv.URL+"/#/results/r2")
	if r.code != CodeUsage || !strings.Contains(r.stderr, "Test result r2 not found") {
		t.Errorf("missing result: exit %d, stderr %s", r.code, r.stderr)
	}
}

func TestScoreErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	text := write("notes.txt", "just some text\n")
	badJSON := write("bad.json", `{"cpid": "x", "duration_seconds": 1, "results": [{"name": 3}]}`)
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"no guideline", []string{scoreRun}, "", "missing --guideline"},
		{"no input", []string{"-g", scoreGuideline}, "", "want one input"},
		{"bad format", []string{"-g", scoreGuideline, "-f", "xml", scoreRun}, "", `--format "xml"`},
		{"bad match", []string{"-g", scoreGuideline, "--match", "uuid", scoreRun}, "", `--match "uuid"`},
		{"live file", []string{"-g", scoreGuideline, "--live", scoreRun}, "", "--live reads standard input"},
		{"bad progress", []string{"-g", scoreGuideline, "--live", "--progress", "fancy", "-"}, "", `--progress "fancy"`},
		{"unknown target", []string{"-g", scoreGuideline, "--target", "dns", scoreRun}, "", `--target "dns"`},
		{"missing file", []string{"-g", scoreGuideline, filepath.Join(dir, "nope")}, "", "no such file"},
		{"missing guideline", []string{"-g", filepath.Join(dir, "nope.json"), scoreRun}, "", "nope.json"},
		{"not a stream", []string{"-g", scoreGuideline, text}, "", "no test found"},
		{"empty stdin", []string{"-g", scoreGuideline, "-"}, "", "no test found"},
		{"bad results", []string{"-g", scoreGuideline, badJSON}, "", "bad.json"},
		{"bad URL", []string{"-g", scoreGuideline, "https://host/#/guidelines"}, "", "not a RefStack result URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.stdin, append([]string{"score"}, tc.args...)...)
			if r.code != CodeUsage || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", r.code, r.stdout, r.stderr, tc.want)
			}
		})
	}
}
