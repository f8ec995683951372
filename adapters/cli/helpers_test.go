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

	"github.com/refstack-go/refstack/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite golden files and fixtures under testdata")

// golden compares got with testdata/name, rewriting the file under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testenv.Golden(t, filepath.Join("testdata", name), got, *update, "go test ./adapters/cli -update")
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
// (beside the module root), or skips the test when there are none.
func sharedFixtures(t *testing.T) []string {
	t.Helper()
	dir := testenv.Shared(t, "fixtures", "subunit")
	files, _ := filepath.Glob(filepath.Join(dir, "*.subunit"))
	if len(files) == 0 {
		t.Skipf("no shared fixtures in %s", dir)
	}
	return files
}

// pythonTool returns the path of a python-subunit tool (subunit-ls, ...), or
// skips the test when it or python-subunit is not installed.
func pythonTool(t *testing.T, name string) string {
	t.Helper()
	path := testenv.Tool(t, "/usr/bin/"+name)
	testenv.Python(t, "subunit")
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
