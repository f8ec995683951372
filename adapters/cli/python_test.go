package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

// parityInputs are the streams the python-subunit comparisons run on: the
// repository's fixtures and, when present, the shared real streams.
func parityInputs(t *testing.T) []string {
	files := []string{fixture("clean.subunit"), fixture("mixed.subunit"), fixture("smoke.subunit")}
	dir, ok := testenv.SharedPath("fixtures", "subunit")
	var shared []string
	if ok {
		shared, _ = filepath.Glob(filepath.Join(dir, "*.subunit"))
	}
	if len(shared) == 0 {
		t.Logf("no shared fixtures in %s; comparing on testdata only", dir)
	}
	return append(files, shared...)
}

// TestMatchesPython runs refstack subunit stats and ls, and the python-subunit
// tools they copy, on the same streams: standard output and exit codes must be
// identical.
func TestMatchesPython(t *testing.T) {
	tests := []struct {
		tool  string
		args  []string
		mixed bool // run on mixed.subunit only: the other streams have no text or exists
	}{
		{"subunit-stats", nil, false},
		{"subunit-stats", []string{"--no-passthrough"}, true},
		{"subunit-ls", nil, false},
		{"subunit-ls", []string{"--exists"}, true},
		{"subunit-ls", []string{"--no-passthrough"}, true},
	}
	pythonTool(t, "subunit-ls")
	for _, in := range parityInputs(t) {
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			if tt.mixed && filepath.Base(in) != "mixed.subunit" {
				continue
			}
			cmd := tt.tool[len("subunit-"):]
			t.Run(filepath.Base(in)+"/"+cmd+fmtArgs(tt.args), func(t *testing.T) {
				t.Parallel() // python-subunit starts slowly; Run is safe for concurrent use
				want := runPython(t, data, tt.tool, tt.args...)
				got := run(t, "", append(append([]string{"subunit", cmd}, tt.args...), in)...)
				if got.stdout != want.stdout {
					t.Errorf("stdout differs from %s\ngot:\n%s\nwant:\n%s", tt.tool, got.stdout, want.stdout)
				}
				if got.code != want.code {
					t.Errorf("exit code %d, %s gives %d", got.code, tt.tool, want.code)
				}
			})
		}
	}
}

// TestV1MatchesPython lists a subunit v1 stream (refstack reads v1 directly)
// and compares with python-subunit converting it to v2 first.
func TestV1MatchesPython(t *testing.T) {
	pythonTool(t, "subunit-ls")
	to2 := pythonTool(t, "subunit-1to2")
	v1 := readFixture(t, "v1.txt")
	cmd := exec.Command(to2)
	cmd.Stdin = bytes.NewReader(v1)
	v2, err := cmd.Output()
	if err != nil {
		t.Fatalf("subunit-1to2: %v", err)
	}
	for _, tool := range []string{"subunit-ls", "subunit-stats"} {
		want := runPython(t, v2, tool)
		got := run(t, "", "subunit", tool[len("subunit-"):], fixture("v1.txt"))
		if got.stdout != want.stdout || got.code != want.code {
			t.Errorf("%s on v1: got %d %q, python (after subunit-1to2) %d %q", tool, got.code, got.stdout, want.code, want.stdout)
		}
	}
}

func fmtArgs(args []string) string {
	s := ""
	for _, a := range args {
		s += " " + a
	}
	return s
}
