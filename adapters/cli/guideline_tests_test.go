package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

func TestGuidelineTests(t *testing.T) {
	example := filepath.Join("..", "..", "guideline", "testdata", "schema1.4-refstack.json")
	addon := filepath.Join("..", "..", "guideline", "testdata", "addon2.0.json")
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte("{\n  \"schema\": \"1.5\",\n  \"id\" \"x\"\n}"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A source directory laid out like the interop repository.
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, "add-ons"), 0o755); err != nil {
		t.Fatal(err)
	}
	for from, to := range map[string]string{"schema2.0.json": "2030.01.json", "addon2.0.json": filepath.Join("add-ons", "dns.2030.01.json")} {
		data, err := os.ReadFile(filepath.Join("..", "..", "guideline", "testdata", from))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		env    string // REFSTACK_GUIDELINES
		args   []string
		code   int
		stdout string
		stderr string // a part of it
	}{
		// RefStack's own example (refstack-server.md §5.4).
		{name: "defaults", args: []string{example},
			stdout: "test_1[id-1234]\ntest_2[id-5678]\ntest_2_1[id-5678]\ntest_3[id-1111]\ntest_4[id-1233]"},
		{name: "no alias no flag", args: []string{"--target", "compute", "--alias=false", "--flag=false", example},
			stdout: "test_1[id-1234]\ntest_2[id-5678]"},
		{name: "flags after the file", args: []string{example, "--target=compute", "--alias", "no", "--flag", "0"},
			stdout: "test_1[id-1234]\ntest_2[id-5678]"},
		{name: "type", args: []string{"--type", "advisory,deprecated", example}, stdout: ""},
		{name: "unknown type", args: []string{"--type", "requried", example}, stdout: "", stderr: `--type "requried": no capability has this status`},
		{name: "invalid target", args: []string{"--target", "dns", example}, code: CodeCheckFailed, stdout: "Invalid target: dns"},
		{name: "add-on", args: []string{"--target", "dns", "--type", "required", addon},
			stdout: "dns.zone.create[00000000-0000-0000-0000-0000000000a1]\ndns.zone.delete[00000000-0000-0000-0000-0000000000a2]"},
		{name: "add-on by name", args: []string{"--target", "DNS", "--type", "advisory", addon},
			stdout: "dns.record.create[00000000-0000-0000-0000-0000000000b1]"},
		{name: "bad alias", args: []string{"--alias=maybe", example}, code: CodeUsage, stderr: `--alias: want true or false, got "maybe"`},
		{name: "no file", args: nil, code: CodeUsage, stderr: "want one guideline"},
		{name: "two files", args: []string{example, example}, code: CodeUsage, stderr: "want one guideline"},
		{name: "missing file", args: []string{"./nonexistent.json"}, code: CodeNotFinished, stderr: "nonexistent.json"},
		{name: "bad JSON", args: []string{bad}, code: CodeNotFinished, stderr: "bad.json: guideline: line 3, column 8: invalid character '\"' after object key"},
		{name: "add-on name from source", args: []string{"--source", repo, "--target", "dns", "dns.2030.01"},
			stdout: "dns.record.create[00000000-0000-0000-0000-0000000000b1]\ndns.zone.create[00000000-0000-0000-0000-0000000000a1]\ndns.zone.delete[00000000-0000-0000-0000-0000000000a2]"},
		{name: "name.json from source", args: []string{"--source", repo, "--target", "compute", "--type", "advisory", "2030.01.json"},
			stdout: "t.y[00000000-0000-0000-0000-000000000004]"},
		{name: "name from env source", env: repo, args: []string{"--target", "compute", "--type", "advisory", "2030.01"},
			stdout: "t.y[00000000-0000-0000-0000-000000000004]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("REFSTACK_GUIDELINES", tt.env)
			r := run(t, "", append([]string{"guideline", "tests"}, tt.args...)...)
			if r.code != tt.code || r.stdout != tt.stdout || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("code %d, stdout:\n%s\nstderr: %s\nwant code %d, stdout:\n%s\nstderr with %q", r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

// TestGuidelineTestsInterop checks the README/CI query of refstack-client:
// 2020.06, platform, required, alias=true, flag=false is 377 lines.
func TestGuidelineTestsInterop(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	t.Setenv("REFSTACK_GUIDELINES", "")
	for _, args := range [][]string{
		{filepath.Join(dir, "2020.06.json"), "--type", "required", "--flag=false"},
		{"--source", dir, "2020.06", "--type", "required", "--flag=false"},
		{"--source", dir, "2020.06.json", "--target", "platform", "--type", "required", "--alias", "true", "--flag", "false"},
	} {
		r := run(t, "", append([]string{"guideline", "tests"}, args...)...)
		if r.code != 0 || strings.Count(r.stdout, "\n")+1 != 377 || strings.HasSuffix(r.stdout, "\n") {
			t.Errorf("%v: code %d, %d lines (trailing newline %v), stderr %s; want 377 lines, no trailing newline",
				args, r.code, strings.Count(r.stdout, "\n")+1, strings.HasSuffix(r.stdout, "\n"), r.stderr)
		}
	}
}
