// Package tempesttest builds and sets up a fake Tempest for tests: a real
// executable (internal/faketempest) that lists tests and writes a real subunit
// v2 stream, run in a workspace the test makes.
package tempesttest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakePackage is the import path of the fake Tempest's main package.
const fakePackage = "github.com/refstack-go/refstack/adapters/tempest/internal/faketempest"

// Build compiles the fake Tempest into dir/tempest and returns its path. Call
// it once from TestMain: it takes a second or so.
func Build(ctx context.Context, dir string) (string, error) {
	exe := filepath.Join(dir, "tempest")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	cmd := exec.CommandContext(ctx, gobin, "build", "-o", exe, fakePackage)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the fake tempest: %v\n%s", err, out)
	}
	return exe, nil
}

// Workspace is a Tempest workspace for the fake: a directory with a
// .stestr.conf, a tempest.conf beside it, the list of tests the fake has, and
// its settings.
type Workspace struct {
	Dir  string // the workspace
	Conf string // the tempest.conf
	Log  string // where the fake logs its calls
}

// NewWorkspace makes a workspace under t.TempDir whose fake Tempest has tests
// and the given settings (FAKE_TEMPEST_* = value; see the fake's doc). The
// tempest.conf points Keystone at authURL with a test account.
func NewWorkspace(t testing.TB, tests []string, authURL string, settings map[string]string) *Workspace {
	t.Helper()
	root := t.TempDir()
	w := &Workspace{
		Dir:  filepath.Join(root, "workspace"),
		Conf: filepath.Join(root, "etc", "tempest.conf"),
		Log:  filepath.Join(root, "calls.jsonl"),
	}
	for _, d := range []string{w.Dir, filepath.Dir(w.Conf)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	testsFile := filepath.Join(root, "tests.txt")
	write(t, testsFile, strings.Join(tests, "\n")+"\n")
	write(t, filepath.Join(w.Dir, ".stestr.conf"), "[DEFAULT]\ntest_path=./tempest/test_discover\ntop_dir=./\n")
	write(t, w.Conf, fmt.Sprintf("[identity]\nuri_v3 = %s\nauth_version = v3\n\n[auth]\ntest_accounts_file = %s\nuse_dynamic_credentials = false\n",
		authURL, filepath.Join(filepath.Dir(w.Conf), "accounts.yaml")))
	write(t, filepath.Join(filepath.Dir(w.Conf), "accounts.yaml"), "- username: demo\n  project_name: demo\n  password: secret\n")
	var b strings.Builder
	fmt.Fprintf(&b, "FAKE_TEMPEST_TESTS=%s\nFAKE_TEMPEST_LOG=%s\n", testsFile, w.Log)
	for k, v := range settings {
		fmt.Fprintf(&b, "%s=%s\n", k, v)
	}
	write(t, filepath.Join(w.Dir, ".faketempest"), b.String())
	return w
}

func write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Call is one command the fake ran.
type Call struct {
	Args             []string `json:"args"`
	Cwd              string   `json:"cwd"`
	TempestConfigDir string   `json:"TEMPEST_CONFIG_DIR"`
	TempestConfig    string   `json:"TEMPEST_CONFIG"`
}

// Calls returns the commands the fake ran in w, in order.
func (w *Workspace) Calls(t testing.TB) []Call {
	t.Helper()
	f, err := os.Open(w.Log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var calls []Call
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c Call
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s: %v", w.Log, err)
		}
		calls = append(calls, c)
	}
	return calls
}
