package tempest

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealTempest lists the tests of the Tempest installed on this machine
// (Debian's "tempest" package) in a fresh "tempest init" workspace. Listing
// needs no cloud. It takes a few seconds.
func TestRealTempest(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: running the real Tempest takes seconds")
	}
	exe, err := exec.LookPath("tempest")
	if err != nil {
		t.Skip("Tempest is not installed (apt-get install tempest): ", err)
	}
	if ok, _ := filepath.Match("/tmp/*", exe); ok {
		t.Skipf("%s is not an installed Tempest", exe)
	}
	tmp := t.TempDir()
	ws := filepath.Join(tmp, "ws")
	// --workspace-path: the workspace is registered there, not in ~/.tempest.
	init := exec.Command(exe, "init", "--workspace-path", filepath.Join(tmp, "workspace.yaml"), ws)
	if out, err := init.CombinedOutput(); err != nil {
		t.Fatalf("tempest init: %v\n%s", err, out)
	}
	r, err := New(WithExecutable(exe), WithDir(ws), WithConfig(filepath.Join(ws, "etc", "tempest.conf")))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckWorkspace(ws); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	v, err := r.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Tempest %v takes %s", v, v.IncludeListFlag())
	args, _ := Select{}.ListArgs()
	ids, err := r.ListTests(ctx, args...)
	if err != nil {
		t.Fatal(err)
	}
	withID := 0
	for _, id := range ids {
		if !strings.HasPrefix(id, "tempest.api") {
			t.Fatalf("--regex %s listed %q", DefaultRegex, id)
		}
		if IdempotentID(id) != "" {
			withID++
		}
	}
	if len(ids) < 100 || withID != len(ids) {
		t.Errorf("%d API tests, %d with an idempotent id", len(ids), withID)
	}
	t.Logf("%d API tests", len(ids))
	run, err := NextRun(ws, "")
	if err != nil || run.N != 0 {
		t.Errorf("NextRun in a new workspace = %+v, %v", run, err)
	}
}
