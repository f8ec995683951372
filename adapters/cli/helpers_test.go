package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and fixtures under testdata")

// golden compares got with testdata/name, rewriting the file under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (run go test ./adapters/cli -update to create it)", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: golden mismatch (run go test ./adapters/cli -update and review the diff)\ngot:\n%s", path, got)
	}
}

// result is what one run of the command line gave.
type result struct {
	code           int
	stdout, stderr string
}

// run runs the command line with args (without the program name) and stdin.
func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return runCtx(t, context.Background(), stdin, args...)
}

func runCtx(t *testing.T, ctx context.Context, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(ctx, append([]string{"refstack"}, args...), strings.NewReader(stdin), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// sharedFixtures returns the real streams under ../shared/fixtures/subunit
// (relative to the module root), or skips the test when they are absent.
func sharedFixtures(t *testing.T) []string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "fixtures", "subunit")
	files, _ := filepath.Glob(filepath.Join(dir, "*.subunit"))
	if len(files) == 0 {
		t.Skipf("no shared fixtures in %s (they live beside the checkout, in ../shared)", dir)
	}
	return files
}

// pythonTool returns the path of a python-subunit tool (subunit-ls, ...), or
// skips the test when python-subunit is not installed.
func pythonTool(t *testing.T, name string) string {
	t.Helper()
	path := "/usr/bin/" + name
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not installed (Debian package subunit): %v", path, err)
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import subunit").Run(); err != nil {
		t.Skipf("/usr/bin/python3 cannot import subunit (Debian package python3-subunit): %v", err)
	}
	return path
}

// runPython runs a python-subunit tool and returns its stdout and exit code.
func runPython(t *testing.T, stdin []byte, tool string, args ...string) result {
	t.Helper()
	cmd := exec.Command(pythonTool(t, tool), args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
