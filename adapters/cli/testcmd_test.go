package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/refstack-go/refstack/adapters/tempest"
	"github.com/refstack-go/refstack/adapters/tempest/tempesttest"
	"github.com/refstack-go/refstack/submit"
)

// The fake Tempest is built once, on first use, into fakeTempestDir, which
// TestMain removes.
var (
	fakeTempestDir  string
	fakeTempestOnce sync.Once
	fakeTempestExe  string
	fakeTempestErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "refstack-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fakeTempestDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func fakeTempest(t *testing.T) string {
	t.Helper()
	fakeTempestOnce.Do(func() {
		fakeTempestExe, fakeTempestErr = tempesttest.Build(context.Background(), fakeTempestDir)
	})
	if fakeTempestErr != nil {
		t.Fatal(fakeTempestErr)
	}
	return fakeTempestExe
}

// cloudTests are the tests of the fake Tempest.
var cloudTests = []string{
	"tempest.api.compute.servers.T.test_create[id-aaaaaaaa-0000-4000-8000-000000000001,smoke]",
	"tempest.api.compute.servers.T.test_new_name[id-aaaaaaaa-0000-4000-8000-000000000002]",
	"tempest.api.compute.servers.T.test_no_attrs",
	"tempest.api.image.T.test_fails[id-bbbbbbbb-0000-4000-8000-000000000003]",
	"tempest.api.image.T.test_skipped[id-bbbbbbbb-0000-4000-8000-000000000004]",
	"tempest.scenario.T.test_scenario[id-cccccccc-0000-4000-8000-000000000005]",
}

// tempestSetup is a fake Tempest workspace with a fake Keystone.
type tempestSetup struct {
	ws  *tempesttest.Workspace
	exe string
}

func newTempestSetup(t *testing.T, settings map[string]string) *tempestSetup {
	t.Helper()
	srv, _ := keystone(t, false, 201, v3TokenReply)
	base := map[string]string{"FAKE_TEMPEST_DELAY": "3ms", "FAKE_TEMPEST_FAIL": "test_fails", "FAKE_TEMPEST_SKIP": "test_skipped"}
	for k, v := range settings {
		base[k] = v
	}
	return &tempestSetup{ws: tempesttest.NewWorkspace(t, cloudTests, srv.URL+"/v3", base), exe: fakeTempest(t)}
}

// args returns the command line of "refstack test" for the setup, then more.
func (s *tempestSetup) args(more ...string) []string {
	args := []string{"test", "-c", s.ws.Conf, "--workdir", s.ws.Dir, "--tempest", s.exe}
	return append(args, more...)
}

func (s *tempestSetup) results(t *testing.T, name string) *submit.Results {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(s.ws.Dir, ".stestr", name))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := submit.ParseResults(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

func (s *tempestSetup) lastCall(t *testing.T) []string {
	t.Helper()
	calls := s.ws.Calls(t)
	if len(calls) == 0 {
		t.Fatal("tempest was not run")
	}
	c := calls[len(calls)-1]
	if c.TempestConfigDir != filepath.Dir(s.ws.Conf) || c.TempestConfig != "tempest.conf" || c.Cwd != s.ws.Dir {
		t.Errorf("tempest ran with TEMPEST_CONFIG_DIR=%q TEMPEST_CONFIG=%q in %q", c.TempestConfigDir, c.TempestConfig, c.Cwd)
	}
	return c.Args
}

func names(doc *submit.Results) []string {
	var out []string
	for _, r := range doc.Results {
		out = append(out, r.Name+"|"+r.UUID)
	}
	return out
}

// TestTestDefaultRun: no list, no arguments: the API tests, serially, with
// the results file named after next-stream and the CPID from Keystone.
func TestTestDefaultRun(t *testing.T) {
	s := newTempestSetup(t, nil)
	if err := os.MkdirAll(filepath.Join(s.ws.Dir, ".stestr"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.ws.Dir, ".stestr", "next-stream"), []byte("4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", s.args("-r", "my-tag")...)
	if r.code != CodeCheckFailed {
		t.Fatalf("code %d (a test failed: want 1)\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	if got := s.lastCall(t); !slices.Equal(got, []string{"run", "--subunit", "--serial", "--regex", "tempest.api"}) {
		t.Errorf("tempest %q", got)
	}
	doc := s.results(t, "my-tag-4.json")
	want := []string{
		"tempest.api.compute.servers.T.test_create|aaaaaaaa-0000-4000-8000-000000000001",
		"tempest.api.compute.servers.T.test_new_name|aaaaaaaa-0000-4000-8000-000000000002",
		"tempest.api.compute.servers.T.test_no_attrs|",
	}
	if doc.CPID != identityID || !slices.Equal(names(doc), want) || doc.DurationSeconds < 0 {
		t.Errorf("results: cpid %s, %q", doc.CPID, names(doc))
	}
	// The stream saved live holds what stestr saved as .stestr/4, and reads
	// back to the same results.
	saved := mustRead(t, filepath.Join(s.ws.Dir, ".stestr", "my-tag-4.subunit"))
	if !bytes.Equal(saved, mustRead(t, filepath.Join(s.ws.Dir, ".stestr", "4"))) {
		t.Error("my-tag-4.subunit differs from .stestr/4")
	}
	coll, err := submit.CollectStream(bytes.NewReader(saved))
	if err != nil || len(coll.Results()) != 3 {
		t.Errorf("saved stream: %v, %d passed", err, len(coll.Results()))
	}
	for _, want := range []string{"Ran 5 tests", "3 passed, 1 failed, 1 skipped", "my-tag-4.json (3 passed tests)", "my-tag-4.subunit"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, want := range []string{"CPID: " + identityID, "5 tests selected by: --regex tempest.api", "progress: 5/5 tests (100%)  pass 3  fail 1  skip 1", "1 of 5 tests failed"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

// TestTestList: a list with a renamed test, a test without attributes and a
// missing one; Tempest 25 gets --whitelist_file, -p runs in parallel, and
// arguments after -- that are flags go along.
func TestTestList(t *testing.T) {
	s := newTempestSetup(t, map[string]string{"FAKE_TEMPEST_VERSION": "25.0.0"})
	list := filepath.Join(t.TempDir(), "list.txt")
	os.WriteFile(list, []byte(strings.Join([]string{
		"tempest.api.compute.servers.T.test_create[id-aaaaaaaa-0000-4000-8000-000000000001]",
		"tempest.api.compute.servers.T.test_old_name[id-aaaaaaaa-0000-4000-8000-000000000002]",
		"tempest.api.compute.servers.T.test_no_attrs[]",
		"tempest.api.gone.T.test_gone[id-dddddddd-0000-4000-8000-000000000009]",
		"tempest.scenario.T.test_scenario[id-cccccccc-0000-4000-8000-000000000005]",
	}, "\n")), 0o644)
	r := run(t, "", s.args("--test-list", list, "-p", "--", "--concurrency", "2")...)
	if r.code != CodeOK {
		t.Fatalf("code %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	args := s.lastCall(t)
	if len(args) != 6 || !slices.Equal(args[:3], []string{"run", "--subunit", "--whitelist_file"}) || !slices.Equal(args[4:], []string{"--concurrency", "2"}) {
		t.Errorf("tempest %q", args)
	}
	doc := s.results(t, "0.json")
	if len(doc.Results) != 4 {
		t.Errorf("results %q, want the 4 tests found", names(doc))
	}
	for _, want := range []string{
		"Test list " + list + ": 5 tests, 4 found in this Tempest (3 by name, 1 renamed found by idempotent id, 0 by scenario): 4 tests to run",
		"warning: 1 of the 5 tests of the list are not in this Tempest, so they will not run: tempest.api.gone.T.test_gone",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

// TestTestListURLAndUpload: the list from RefStack's /tests endpoint, the
// upload signed after the confirmation on the terminal.
func TestTestListURLAndUpload(t *testing.T) {
	s := newTempestSetup(t, nil)
	lists := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/guidelines/2020.06/tests" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, cloudTests[0]+"\n"+cloudTests[1])
	}))
	t.Cleanup(lists.Close)
	refstack := newFakeRefStack(t)
	key, signer := writeTestKey(t)

	// A list URL that answers 404 stops before Tempest runs.
	r := run(t, "", s.args("--test-list", lists.URL+"/v1/guidelines/nope/tests")...)
	if r.code != CodeNotFinished || !strings.Contains(r.stderr, "404") {
		t.Fatalf("404 list: code %d, stderr %s", r.code, r.stderr)
	}

	var out bytes.Buffer
	stdin := fakeTTY{Reader: strings.NewReader("y\n")}
	var stderr bytes.Buffer
	code := Run(context.Background(), append([]string{"refstack"}, s.args("--test-list", lists.URL+"/v1/guidelines/2020.06/tests",
		"-u", "-i", key, "--url", refstack.url())...), stdin, &out, &stderr)
	if code != CodeOK {
		t.Fatalf("code %d\nstdout %s\nstderr %s", code, out.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "Test results will be uploaded to "+refstack.url()+". Ok? (yes/y)") {
		t.Errorf("no confirmation asked:\n%s", stderr.String())
	}
	got := refstack.requests()
	if len(got) != 1 {
		t.Fatalf("%d uploads", len(got))
	}
	doc := s.results(t, "0.json")
	if !bytes.Equal(got[0].body, doc.Body()) || got[0].pubKey != signer.PublicKey() {
		t.Errorf("uploaded %s\nresults file %s", got[0].body, doc.Body())
	}
	if !strings.Contains(out.String(), "URL: https://refstack.example/#/results/") {
		t.Errorf("stdout %s", out.String())
	}

	// Without a terminal and without -y the upload is refused before the run.
	before := len(s.ws.Calls(t))
	r = run(t, "", s.args("--test-list", lists.URL+"/v1/guidelines/2020.06/tests", "-u", "--url", refstack.url())...)
	if r.code != CodeUsage || len(s.ws.Calls(t)) != before {
		t.Errorf("-u without -y off a terminal: code %d, %d tempest calls", r.code, len(s.ws.Calls(t))-before)
	}
}

// TestTestGuideline: a guideline file as the list: its required tests for the
// target run, with the live score.
func TestTestGuideline(t *testing.T) {
	s := newTempestSetup(t, nil)
	g := filepath.Join(t.TempDir(), "2099.01.json")
	os.WriteFile(g, []byte(testGuideline), 0o644)
	var stderr ttyBuffer
	var stdout bytes.Buffer
	code := Run(context.Background(), append([]string{"refstack"}, s.args("--test-list", g)...), strings.NewReader(""), &stdout, &stderr)
	if code != CodeCheckFailed {
		t.Fatalf("code %d\nstdout %s\nstderr %s", code, stdout.String(), stderr.String())
	}
	// Required: test_create, test_new_name (renamed: listed under its old
	// name and id), test_fails. test_no_attrs is advisory.
	doc := s.results(t, "0.json")
	if len(doc.Results) != 2 {
		t.Errorf("results %q", names(doc))
	}
	// On a terminal the bar is drawn in place and ends with the live score.
	if !strings.Contains(stderr.String(), "\r[====================] 3/3  pass 2  fail 1  skip 0") ||
		!strings.Contains(stderr.String(), "required: 1/3 passed\x1b[K\n") {
		t.Errorf("stderr:\n%q", stderr.String())
	}
	if strings.Contains(stderr.String(), "progress:") {
		t.Error("log lines on a terminal")
	}
	if !strings.Contains(stdout.String(), "(1/3) of the tests in the 2099.01 required capabilities") {
		t.Errorf("stdout %s", stdout.String())
	}

	// --match id counts the renamed test.
	stderr.Reset()
	stdout.Reset()
	Run(context.Background(), append([]string{"refstack"}, s.args("--test-list", g, "--match", "id")...), strings.NewReader(""), &stdout, &stderr)
	if !strings.Contains(stderr.String(), "required: 2/3 passed\x1b[K\n") {
		t.Errorf("--match id: stderr:\n%q", stderr.String())
	}

	// A target the guideline does not have.
	r := run(t, "", s.args("--test-list", g, "--target", "dns")...)
	if r.code != CodeUsage || !strings.Contains(r.stderr, "--target") {
		t.Errorf("bad target: code %d, %s", r.code, r.stderr)
	}
}

// testGuideline is a schema 2.0 guideline over the fake's tests.
const testGuideline = `{
 "metadata": {"id": "2099.01", "schema": "2.0", "os_trademark_approval": {"status": "approved", "target_approval": "2099.01"}},
 "platforms": {"OpenStack Powered Platform": {"components": [{"name": "os_powered_compute"}]}},
 "components": {"os_powered_compute": {"capabilities": {
   "required": ["compute-servers", "image-fail"], "advisory": ["compute-extra"], "deprecated": [], "removed": []}}},
 "capabilities": {
  "compute-servers": {"achievements": [], "admin": false, "description": "d", "project": "nova", "tests": {
    "tempest.api.compute.servers.T.test_create": {"idempotent_id": "id-aaaaaaaa-0000-4000-8000-000000000001"},
    "tempest.api.compute.servers.T.test_old_name": {"idempotent_id": "id-aaaaaaaa-0000-4000-8000-000000000002"}}},
  "image-fail": {"achievements": [], "admin": false, "description": "d", "project": "glance", "tests": {
    "tempest.api.image.T.test_fails": {"idempotent_id": "id-bbbbbbbb-0000-4000-8000-000000000003"}}},
  "compute-extra": {"achievements": [], "admin": false, "description": "d", "project": "nova", "tests": {
    "tempest.api.compute.servers.T.test_no_attrs": {"idempotent_id": "id-aaaaaaaa-0000-4000-8000-00000000000f"}}}
 }
}`

// TestTestInterrupted: Ctrl-C in the middle of a run stops Tempest, keeps the
// stream and writes the results of the tests that finished; a Tempest that
// ignores SIGINT is killed after --kill-after.
func TestTestInterrupted(t *testing.T) {
	for _, ignore := range []bool{false, true} {
		t.Run(fmt.Sprintf("ignore SIGINT %v", ignore), func(t *testing.T) {
			hang := filepath.Join(t.TempDir(), "hanging")
			settings := map[string]string{"FAKE_TEMPEST_HANG_AFTER": "2", "FAKE_TEMPEST_HANG_FILE": hang}
			if ignore {
				settings["FAKE_TEMPEST_IGNORE_SIGINT"] = "1"
			}
			s := newTempestSetup(t, settings)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() {
				for ctx.Err() == nil {
					if _, err := os.Stat(hang); err == nil {
						cancel()
						return
					}
					time.Sleep(5 * time.Millisecond)
				}
			}()
			refstack := newFakeRefStack(t)
			r := runCtx(t, ctx, "", s.args("--kill-after", "100ms", "-u", "-y", "--url", refstack.url())...)
			if r.code != CodeNotFinished || !strings.Contains(r.stderr, "interrupted") {
				t.Fatalf("code %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
			}
			if want := map[bool]string{false: "Tempest was stopped", true: "Tempest was killed"}[ignore]; !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q: %s", want, r.stderr)
			}
			doc := s.results(t, "0.json")
			if len(doc.Results) != 2 {
				t.Errorf("results %q, want the 2 tests that finished", names(doc))
			}
			coll, err := submit.CollectStream(bytes.NewReader(mustRead(t, filepath.Join(s.ws.Dir, ".stestr", "0.subunit"))))
			if err != nil || coll.Records() != 3 {
				t.Errorf("saved stream: %v, %d records (2 done, 1 cut)", err, coll.Records())
			}
			if len(refstack.requests()) != 0 {
				t.Error("partial results were uploaded")
			}
		})
	}
}

// TestTestNoResults: Tempest fails before running any test (a tempest.conf it
// cannot read): no results file, nothing uploaded, its error shown.
func TestTestNoResults(t *testing.T) {
	s := newTempestSetup(t, map[string]string{"FAKE_TEMPEST_FAIL_START": "ConfigFileParseError: Failed to parse tempest.conf"})
	refstack := newFakeRefStack(t)
	r := run(t, "", s.args("-u", "-y", "--url", refstack.url())...)
	if r.code != CodeNotFinished {
		t.Fatalf("code %d\nstderr %s", r.code, r.stderr)
	}
	for _, want := range []string{"ConfigFileParseError: Failed to parse tempest.conf", "nothing to upload", "no results file written"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(s.ws.Dir, ".stestr"))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") || strings.HasSuffix(e.Name(), ".subunit") {
			t.Errorf("left %s", e.Name())
		}
	}
	if len(refstack.requests()) != 0 {
		t.Error("uploaded")
	}
}

// TestTestBadSetup: what is checked before Keystone is asked or Tempest run.
func TestTestBadSetup(t *testing.T) {
	s := newTempestSetup(t, nil)
	noAccounts := filepath.Join(t.TempDir(), "tempest.conf")
	os.WriteFile(noAccounts, []byte("[identity]\nuri_v3 = http://127.0.0.1:1/v3\n"), 0o644)
	notWorkspace := t.TempDir()
	key := filepath.Join(t.TempDir(), "key")
	os.WriteFile(key, []byte("not a key"), 0o600)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no -c", []string{"test", "--workdir", s.ws.Dir, "--tempest", s.exe}, "-c/--conf-file"},
		{"missing conf", []string{"test", "-c", filepath.Join(notWorkspace, "nope.conf"), "--workdir", s.ws.Dir}, "no such file"},
		{"conf is a directory", []string{"test", "-c", notWorkspace, "--workdir", s.ws.Dir}, "not a regular file"},
		{"conf without credentials", []string{"test", "-c", noAccounts, "--workdir", s.ws.Dir, "--tempest", s.exe}, "-c:"},
		{"not a workspace", []string{"test", "-c", s.ws.Conf, "--workdir", notWorkspace}, "tempest init"},
		{"no tempest", []string{"test", "-c", s.ws.Conf, "--workdir", s.ws.Dir, "--tempest", filepath.Join(notWorkspace, "tempest")}, "--tempest"},
		{"target without list", s.args("--target", "compute"), "--target applies to a guideline"},
		{"list and regex", s.args("--test-list", s.ws.Conf, "--", "tempest.api"), "give one or the other"},
		{"missing list", s.args("--test-list", filepath.Join(notWorkspace, "list.txt")), "no such file"},
		{"bad key", s.args("-u", "-y", "-i", key), "-i:"},
		{"-i without -u", s.args("-i", key), "give -u"},
		{"bad tag", s.args("-r", "a/b"), "path separator"},
		{"bad match", s.args("--match", "fuzzy"), "--match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(s.ws.Calls(t))
			r := run(t, "", tt.args...)
			if r.code != CodeUsage || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("code %d, stderr %s; want 2 and %q", r.code, r.stderr, tt.want)
			}
			for _, c := range s.ws.Calls(t)[before:] {
				if len(c.Args) > 1 && c.Args[1] == "--subunit" {
					t.Errorf("tempest ran: %q", c.Args)
				}
			}
		})
	}
}

// TestTestProgressLog: off a terminal the progress is logged every interval.
func TestTestProgressLog(t *testing.T) {
	s := newTempestSetup(t, map[string]string{"FAKE_TEMPEST_DELAY": "40ms"})
	r := run(t, "", s.args("--progress-interval", "20ms", "-p")...)
	lines := 0
	for _, l := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(l, "progress: ") {
			lines++
		}
	}
	// 5 tests of 40ms: several interval lines and the final one.
	if lines < 3 || strings.Contains(r.stderr, "\r") {
		t.Errorf("%d progress lines:\n%s", lines, r.stderr)
	}
	if slices.Contains(s.lastCall(t), "--serial") {
		t.Error("-p ran serially")
	}
}

func TestTestHelp(t *testing.T) {
	r := run(t, "", "test", "--help")
	if r.code != CodeOK || !strings.Contains(r.stdout, "--test-list") || !strings.Contains(r.stdout, "--kill-after") {
		t.Errorf("code %d\n%s", r.code, r.stdout)
	}
	_ = tempest.DefaultRegex
}

// TestTestResultsJSON checks the results file is refstack-client's format.
func TestTestResultsJSON(t *testing.T) {
	s := newTempestSetup(t, map[string]string{"FAKE_TEMPEST_FAIL": "^$"})
	if r := run(t, "", s.args()...); r.code != CodeOK {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	data := mustRead(t, filepath.Join(s.ws.Dir, ".stestr", "0.json"))
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || len(m) != 3 || bytes.HasSuffix(data, []byte("\n")) || !bytes.Contains(data, []byte("\n    \"cpid\"")) {
		t.Errorf("results file:\n%s", data)
	}
}
