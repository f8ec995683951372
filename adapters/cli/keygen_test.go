package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/submit"
)

func TestKeygen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "refstack_key")
	r := run(t, "", "keygen", "--bits", "2048", "--comment", "vendor@example", path)
	if r.code != CodeOK || !strings.Contains(r.stdout, "Private key: "+path+"\nPublic key:  "+path+".pub\n") {
		t.Fatalf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	for p, mode := range map[string]os.FileMode{path: 0o600, path + ".pub": 0o644} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: %v, mode %v, want %v", p, err, fi.Mode().Perm(), mode)
		}
	}
	s, err := submit.LoadSigner(path)
	if err != nil || s.Bits() != 2048 {
		t.Fatalf("LoadSigner: %v", err)
	}
	pub, _ := os.ReadFile(path + ".pub")
	if string(pub) != s.PublicKey()+" vendor@example\n" {
		t.Errorf(".pub = %q", pub)
	}
	key, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(key), "-----BEGIN RSA PRIVATE KEY-----\n") {
		t.Errorf("private key is not PEM PKCS#1: %.40q", key)
	}
	// The pair is what sign expects.
	if r := run(t, "", "sign", path); r.code != CodeOK || !strings.Contains(r.stdout, s.PublicKey()) {
		t.Errorf("sign: code %d, stderr %q", r.code, r.stderr)
	}
	// Existing files are kept unless --force.
	r = run(t, "", "keygen", "--bits", "2048", path)
	if r.code != CodeNotFinished || !strings.Contains(r.stderr, path+" already exists: pass --force") {
		t.Errorf("existing: code %d, stderr %q", r.code, r.stderr)
	}
	if again, _ := os.ReadFile(path); string(again) != string(key) {
		t.Error("existing key overwritten without --force")
	}
	if r := run(t, "", "keygen", "--bits", "2048", "--force", path); r.code != CodeOK {
		t.Errorf("--force: code %d, stderr %q", r.code, r.stderr)
	}
	if again, _ := os.ReadFile(path); string(again) == string(key) {
		t.Error("--force did not write a new key")
	}
}

func TestKeygenFailures(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, CodeUsage, "keygen: missing argument"},
		{[]string{"--bits", "1024", filepath.Join(dir, "k")}, CodeUsage, "--bits 1024: want 2048 to 16384"},
		{[]string{"--bits", "2048", filepath.Join(dir, "no", "such", "dir", "k")}, CodeNotFinished, "no such file or directory"},
	}
	for _, tt := range tests {
		r := run(t, "", append([]string{"keygen"}, tt.args...)...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%q: code %d, stderr %q; want %d and %q", tt.args, r.code, r.stderr, tt.code, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "k")); err == nil {
		t.Error("a key was written for a bad --bits")
	}
}
