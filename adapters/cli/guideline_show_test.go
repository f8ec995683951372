package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

func diffFixture(name string) string {
	return filepath.Join("..", "..", "guideline", "testdata", name)
}

func TestGuidelineShow(t *testing.T) {
	old, new := diffFixture("diff-old.json"), diffFixture("diff-new.json")
	header := "2040.01 (schema 2.0, approved), target %s\ncutoff score: 74\ncriteria:\n" +
		"  atomic    weight  60  Atomic\n  deployed  weight  40  Widely Deployed\n"
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string // a part of it
	}{
		{name: "advisory", args: []string{"--status", "advisory", old},
			stdout: strings.Replace(header, "%s", "platform", 1) + "advisory (2):\n" +
				"  cap-adv (neutron; os_powered_compute; admin)\n" +
				"    t.adv[id-00000000-0000-0000-0000-000000000008]\n" +
				"  cap-ghost (os_powered_compute; listed but not defined)\n"},
		{name: "compute required", args: []string{"--target", "compute", "--status", "required", old},
			stdout: strings.Replace(header, "%s", "compute", 1) + "required (4):\n" +
				"  cap-a (nova; os_powered_compute; required since 2039.01)\n" +
				"    achievements: atomic, deployed\n" +
				"    t.a1[id-00000000-0000-0000-0000-000000000001]\n" +
				"    t.a2[id-00000000-0000-0000-0000-000000000002]\n" +
				"      flagged: [D401] broken (flagged, 2040-01-01)\n" +
				"    t.a3[id-00000000-0000-0000-0000-000000000003]\n" +
				"      alias: t.a3_old\n" +
				"  cap-b (nova; os_powered_compute)\n" +
				"    achievements: atomic\n" +
				"    t.b.old[id-00000000-0000-0000-0000-000000000004]\n" +
				"    t.b.gone[id-00000000-0000-0000-0000-000000000005]\n" +
				"    t.b.idold[id-00000000-0000-0000-0000-000000000006]\n" +
				"  cap-dropped (glance; os_powered_compute)\n" +
				"    t.d[id-00000000-0000-0000-0000-000000000009]\n" +
				"  cap-moved (cinder; os_powered_compute)\n" +
				"    t.m[id-00000000-0000-0000-0000-000000000007]\n"},
		{name: "object in new", args: []string{"--target=object", new},
			stdout: strings.Replace(strings.Replace(header, "%s", "object", 1), "2040.01", "2040.06", 1) + "required (1):\n" +
				"  obj-1 (swift; os_powered_storage)\n" +
				"    achievements: deployed\n" +
				"    t.o[id-00000000-0000-0000-0000-000000000010]\n" +
				"      flagged: [D401] broken (flagged, 2040-06-01)\n"},
		{name: "nothing", args: []string{"--status", "removed", old},
			stdout: strings.Replace(header, "%s", "platform", 1) + "no capabilities\n"},
		{name: "unknown status", args: []string{"--status", "requried", old},
			stdout: strings.Replace(header, "%s", "platform", 1) + "no capabilities\n", stderr: `--status "requried": no capability has this status`},
		{name: "invalid target", args: []string{"--target", "dns", old}, code: CodeCheckFailed, stderr: `guideline show: guideline: invalid target "dns"`},
		{name: "no file", code: CodeUsage, stderr: "want one guideline"},
		{name: "missing file", args: []string{"./nonexistent.json"}, code: CodeNotFinished, stderr: "nonexistent.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("REFSTACK_GUIDELINES", "")
			r := run(t, "", append([]string{"guideline", "show"}, tt.args...)...)
			if r.code != tt.code || r.stdout != tt.stdout || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("code %d, stdout:\n%s\nstderr: %s\nwant code %d, stdout:\n%s\nstderr with %q", r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func TestGuidelineShowJSON(t *testing.T) {
	r := run(t, "", "guideline", "show", "--json", "--target", "object", diffFixture("diff-new.json"))
	if r.code != 0 || !strings.HasSuffix(r.stdout, "}\n") {
		t.Fatalf("code %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	var got struct {
		ID           string `json:"id"`
		Target       string `json:"target"`
		Capabilities []struct {
			Name  string `json:"name"`
			Tests []struct {
				Name    string `json:"name"`
				Flagged struct {
					Reason string `json:"reason"`
				} `json:"flagged"`
			} `json:"tests"`
		} `json:"capabilities"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != "2040.06" || got.Target != "object" || len(got.Capabilities) != 1 || got.Capabilities[0].Name != "obj-1" ||
		len(got.Capabilities[0].Tests) != 1 || got.Capabilities[0].Tests[0].Flagged.Reason != "[D401] broken" {
		t.Errorf("got %+v", got)
	}
}

// TestGuidelineShowInterop: 2020.06 platform required lists 377 lines of
// RefStack's test list with alias=true, flag=false; in show's output that
// is the test lines and alias lines of tests without a "flagged:" line.
func TestGuidelineShowInterop(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	r := run(t, "", "guideline", "show", "--status", "required", filepath.Join(dir, "2020.06.json"))
	if r.code != 0 {
		t.Fatalf("code %d, stderr %s", r.code, r.stderr)
	}
	lines := strings.Split(r.stdout, "\n")
	count := 0
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "    ") || strings.HasPrefix(lines[i], "     ") || strings.HasPrefix(lines[i], "    achievements:") {
			continue
		}
		n, flagged := 1, false
		for j := i + 1; j < len(lines) && strings.HasPrefix(lines[j], "      "); j++ {
			if strings.HasPrefix(lines[j], "      alias: ") {
				n++
			} else if strings.HasPrefix(lines[j], "      flagged: ") {
				flagged = true
			}
		}
		if !flagged {
			count += n
		}
	}
	if count != 377 {
		t.Errorf("2020.06 platform required: %d unflagged test and alias lines, want 377", count)
	}
}
