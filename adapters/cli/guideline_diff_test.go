package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

func TestGuidelineDiff(t *testing.T) {
	old, new := diffFixture("diff-old.json"), diffFixture("diff-new.json")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string // a part of it
	}{
		{name: "platform", args: []string{old, new}, stdout: "2040.01 -> 2040.06, target platform\n" +
			"capabilities (4):\n" +
			"  moved      cap-adv: advisory -> required\n" +
			"  removed    cap-dropped (was required)\n" +
			"  moved      cap-moved: required -> deprecated\n" +
			"  added      cap-new (required)\n" +
			"tests (10):\n" +
			"  flagged    t.a1: [D402] flaky (flagged, 2040-06-01)\n" +
			"  unflagged  t.a2 (was: [D401] broken (flagged, 2040-01-01))\n" +
			"  added      t.b.added[id-00000000-0000-0000-0000-000000000011] (cap-b)\n" +
			"  removed    t.b.gone[id-00000000-0000-0000-0000-000000000005] (cap-b)\n" +
			"  renamed    t.b.idold -> t.b.idnew[00000000-0000-0000-0000-000000000006] (cap-b)\n" +
			"  flagged    t.b.new: [T101] renamed upstream (flagged, 2040-06-01)\n" +
			"  renamed    t.b.old -> t.b.new[id-00000000-0000-0000-0000-000000000004] (cap-b)\n" +
			"  removed    t.d[id-00000000-0000-0000-0000-000000000009] (cap-dropped)\n" +
			"  added      t.n[id-00000000-0000-0000-0000-000000000012] (cap-new)\n" +
			"  flagged    t.o: [D401] broken (flagged, 2040-06-01)\n"},
		{name: "object", args: []string{"--target", "object", old, new}, stdout: "2040.01 -> 2040.06, target object\n" +
			"tests (1):\n" +
			"  flagged    t.o: [D401] broken (flagged, 2040-06-01)\n"},
		{name: "same", args: []string{new, new}, stdout: "2040.06 -> 2040.06, target platform\nno changes\n"},
		{name: "invalid target", args: []string{"--target", "dns", old, new}, code: CodeCheckFailed, stderr: `guideline diff: guideline: invalid target "dns"`},
		{name: "one file", args: []string{old}, code: CodeUsage, stderr: "want two guidelines"},
		{name: "missing file", args: []string{old, "./nonexistent.json"}, code: CodeNotFinished, stderr: "nonexistent.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("REFSTACK_GUIDELINES", "")
			r := run(t, "", append([]string{"guideline", "diff"}, tt.args...)...)
			if r.code != tt.code || r.stdout != tt.stdout || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("code %d, stdout:\n%s\nstderr: %s\nwant code %d, stdout:\n%s\nstderr with %q", r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func TestGuidelineDiffJSON(t *testing.T) {
	r := run(t, "", "guideline", "diff", "--json", "--target", "object", diffFixture("diff-old.json"), diffFixture("diff-new.json"))
	want := "{\n" +
		"  \"old\": \"2040.01\",\n" +
		"  \"new\": \"2040.06\",\n" +
		"  \"target\": \"object\",\n" +
		"  \"capabilities\": [],\n" +
		"  \"tests\": [\n" +
		"    {\n" +
		"      \"name\": \"t.o\",\n" +
		"      \"kind\": \"flagged\",\n" +
		"      \"idempotent_id\": \"id-00000000-0000-0000-0000-000000000010\",\n" +
		"      \"capabilities\": [\n" +
		"        \"obj-1\"\n" +
		"      ],\n" +
		"      \"flagged\": {\n" +
		"        \"reason\": \"[D401] broken\",\n" +
		"        \"action\": \"flagged\",\n" +
		"        \"date\": \"2040-06-01\"\n" +
		"      }\n" +
		"    }\n" +
		"  ]\n" +
		"}\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("code %d, stdout:\n%s\nstderr: %s\nwant:\n%s", r.code, r.stdout, r.stderr, want)
	}
}

// TestGuidelineDiffInterop: names work through --source; 2019.11 and
// 2020.06 list the same capabilities at the same statuses on the platform
// (60 required compute capabilities, same storage ones).
func TestGuidelineDiffInterop(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	r := run(t, "", "guideline", "diff", "--json", "--source", dir, "2019.11", "2020.06.json")
	if r.code != 0 {
		t.Fatalf("code %d, stderr %s", r.code, r.stderr)
	}
	var d struct {
		Old, New     string
		Capabilities []json.RawMessage
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatal(err)
	}
	if d.Old != "2019.11" || d.New != "2020.06" || len(d.Capabilities) != 0 {
		t.Errorf("got %s -> %s with %d capability changes, want 2019.11 -> 2020.06 with none", d.Old, d.New, len(d.Capabilities))
	}
	r = run(t, "", "guideline", "diff", filepath.Join(dir, "2018.11.json"), filepath.Join(dir, "2019.06.json"))
	if r.code != 0 || !strings.Contains(r.stdout, "capabilities (17):\n") {
		t.Errorf("2018.11 -> 2019.06: code %d, stdout:\n%s", r.code, r.stdout)
	}
}
