package cli

import (
	"os"
	"os/exec"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

// refstack-client and refstack post the same requests for the same input:
// same path, same body bytes, same signature and public key headers (PKCS#1
// v1.5 signatures are deterministic).
func TestUploadSameAsRefstackClient(t *testing.T) {
	tool := testenv.Tool(t, "/usr/bin/refstack-client")
	key, _ := writeTestKey(t)
	results := writeTemp(t, "results.json", testDoc.File())
	v1 := writeTemp(t, "run.subunit", readFixture(t, "v1.txt"))
	for _, args := range [][]string{
		{"upload", "-y", "-i", key, results},
		{"upload", "-y", results},
		{"upload-subunit", "-y", "-i", key, "--keystone-endpoint", "http://0.0.0.0:35357/v2.0", v1},
	} {
		theirs, ours := newFakeRefStack(t), newFakeRefStack(t)
		cmd := exec.Command(tool, append(args[:1:1], append([]string{"--url", theirs.url()}, args[1:]...)...)...)
		cmd.Dir = t.TempDir() // its imports may write a log file there
		cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1", "PYTHONUTF8=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("refstack-client %q: %v\n%s", args, err, out)
		}
		if r := run(t, "", append(args[:1:1], append([]string{"--url", ours.url()}, args[1:]...)...)...); r.code != CodeOK {
			t.Fatalf("%q: code %d, stderr %q", args, r.code, r.stderr)
		}
		a, b := theirs.requests(), ours.requests()
		if len(a) != 1 || len(b) != 1 {
			t.Fatalf("%q: refstack-client made %d requests, refstack %d", args, len(a), len(b))
		}
		if a[0].path != b[0].path || string(a[0].body) != string(b[0].body) || a[0].sigHex != b[0].sigHex || a[0].pubKey != b[0].pubKey {
			t.Errorf("%q differ:\nrefstack-client: %s %s\n  %s\n  %.40s %.40s\nrefstack: %s %s\n  %s\n  %.40s %.40s", args,
				a[0].method, a[0].path, a[0].body, a[0].sigHex, a[0].pubKey,
				b[0].method, b[0].path, b[0].body, b[0].sigHex, b[0].pubKey)
		}
	}
}
