package server

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

// refstackClient runs the real refstack-client (Debian package
// refstack-client) with args, in a temporary directory (it writes a log
// there), with stdin, and returns its stdout and stderr.
func refstackClient(t *testing.T, stdin string, args ...string) (string, string) {
	t.Helper()
	testenv.Python(t, "refstack_client.refstack_client")
	bin := testenv.Tool(t, "/usr/bin/refstack-client")
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1", "HTTP_PROXY=", "http_proxy=")
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	_ = cmd.Run() // refstack-client exits 0 even when the server refuses; list ends with a traceback
	return stdout.String(), stderr.String()
}

// TestRefstackClient uploads with the real refstack-client, unsigned and
// signed with a registered key, and lists with it.
func TestRefstackClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t))
	alice := e.register("alice")
	dir := t.TempDir()
	file := filepath.Join(dir, "results.json")
	d := doc("cloud-rc", 3)
	if err := os.WriteFile(file, d.File(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut := refstackClient(t, "", "upload", file, "--url", e.ts.URL, "-y")
	if !strings.Contains(out, "Test results uploaded!\nURL: http://ui.example/#/results/") {
		t.Fatalf("unsigned upload: stdout %q stderr %q", out, errOut)
	}
	key, _ := filepath.Abs(filepath.Join("testdata", "keys", "alice.pem"))
	out, errOut = refstackClient(t, "", "upload", file, "--url", e.ts.URL, "-y", "-i", key)
	if !strings.Contains(out, "Test results uploaded!") {
		t.Fatalf("signed upload: stdout %q stderr %q", out, errOut)
	}
	l, _ := e.list("signed", e.auth(alice)...)
	if len(l.Results) != 1 {
		t.Fatalf("alice's results: %v", ids(l))
	}
	res, _ := e.store.Result(context.Background(), l.Results[0].ID)
	tests, _ := e.store.Tests(context.Background(), res.ID)
	if res.CPID != "cloud-rc" || res.DurationSeconds != 42 || len(tests) != 3 || tests[2].Name != d.Results[2].Name || tests[2].UUID != d.Results[2].UUID {
		t.Errorf("stored %+v %+v", res, tests)
	}
	// list prints "<created_at> - <url>" for the public results.
	for range 2 {
		e.mustUpload(doc("c", 1).Body(), nil)
	}
	pub, _ := e.list("")
	out, errOut = refstackClient(t, "\n\n\n", "list", "--url", e.ts.URL)
	for _, r := range pub.Results {
		if line := r.CreatedAt + " - " + r.URL; !strings.Contains(out, line) {
			t.Errorf("list output lacks %q:\n%s\n%s", line, out, errOut)
		}
	}
	if strings.Contains(out, l.Results[0].ID) {
		t.Errorf("list shows a private result: %s", out)
	}
}
