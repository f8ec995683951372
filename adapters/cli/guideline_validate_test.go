package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

func TestGuidelineValidate(t *testing.T) {
	valid := filepath.Join("..", "..", "guideline", "testdata", "valid", "2.0.json")
	quirks := filepath.Join("..", "..", "guideline", "testdata", "valid", "2.0-quirks.json")
	invalid := filepath.Join("..", "..", "guideline", "testdata", "invalid", "2.0-admin-not-boolean.json")
	syntax := filepath.Join("..", "..", "guideline", "testdata", "invalid", "syntax-trailing-comma.json")
	missing := filepath.Join(t.TempDir(), "missing.json")
	validData, err := os.ReadFile(valid)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string // exact, unless prefix
		prefix bool
		stderr string // substring
	}{
		{name: "valid", args: []string{valid}, code: 0},
		{name: "stdin", stdin: string(validData), args: []string{"-"}, code: 0},
		{name: "schema error", args: []string{valid, invalid}, code: 1,
			stdout: invalid + ":65:16: /capabilities/compute-servers-create/admin: expected boolean, but got string\n"},
		{name: "syntax error", args: []string{syntax}, code: 1,
			stdout: syntax + ":5:3: invalid JSON: invalid character '}' looking for beginning of object key string\n"},
		{name: "warnings only", args: []string{quirks}, code: 0, prefix: true,
			stdout: quirks + ":24:39: /components/os_powered_dns/capabilities/required/1: warning: capability \"dns-record-crud\" is listed but not defined"},
		{name: "no warnings", args: []string{"--no-warnings", quirks, invalid}, code: 1,
			stdout: invalid + ":65:16: /capabilities/compute-servers-create/admin: expected boolean, but got string\n"},
		{name: "unreadable", args: []string{missing, invalid}, code: 3, stderr: "missing.json: no such file or directory",
			stdout: invalid + ":65:16: /capabilities/compute-servers-create/admin: expected boolean, but got string\n"},
		{name: "no file", args: nil, code: 2, stderr: "no FILE given"},
		{name: "bad flag", args: []string{"--bogus", valid}, code: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, tc.stdin, append([]string{"guideline", "validate"}, tc.args...)...)
			if res.code != tc.code {
				t.Errorf("exit code %d, want %d (stderr %q)", res.code, tc.code, res.stderr)
			}
			if tc.prefix && !strings.HasPrefix(res.stdout, tc.stdout) || !tc.prefix && res.stdout != tc.stdout {
				t.Errorf("stdout\n%s\nwant\n%s", res.stdout, tc.stdout)
			}
			if !strings.Contains(res.stderr, tc.stderr) {
				t.Errorf("stderr %q, want it to contain %q", res.stderr, tc.stderr)
			}
		})
	}
}

// TestGuidelineValidateInterop runs the command on the 27 published
// guidelines: all valid, so exit 0 with warnings only.
func TestGuidelineValidateInterop(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	var files []string
	for _, pat := range []string{"*.json", "add-ons/*.json", "verticals/*.json"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		files = append(files, m...)
	}
	if len(files) != 27 {
		t.Fatalf("%d guideline files, want 27", len(files))
	}
	res := run(t, "", append([]string{"guideline", "validate"}, files...)...)
	if res.code != 0 || res.stderr != "" {
		t.Fatalf("exit code %d, stderr %q", res.code, res.stderr)
	}
	for _, line := range strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n") {
		if !strings.Contains(line, ": warning: ") {
			t.Errorf("not a warning: %s", line)
		}
	}
	res = run(t, "", append([]string{"guideline", "validate", "--no-warnings"}, files...)...)
	if res.code != 0 || res.stdout != "" {
		t.Errorf("--no-warnings: exit code %d, stdout %q", res.code, res.stdout)
	}
}
