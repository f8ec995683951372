package cli

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
	"github.com/refstack-go/refstack/submit"
)

func TestSign(t *testing.T) {
	key, signer := writeTestKey(t)
	self, err := signer.SelfSignature()
	if err != nil {
		t.Fatal(err)
	}
	want := "Public key:\n" + signer.PublicKey() + "\n\nSelf signature:\n" + self + "\n\n"
	r := run(t, "", "sign", key)
	if r.code != CodeOK || r.stdout != want {
		t.Fatalf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if err := submit.VerifySelfSignature(signer.PublicKey(), self); err != nil {
		t.Error(err)
	}
	// A matching .pub (with its comment) changes nothing.
	if err := os.WriteFile(key+".pub", []byte(signer.AuthorizedKey("me@host")), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", "sign", key); r.code != CodeOK || r.stdout != want {
		t.Errorf("with .pub: code %d, stdout %q", r.code, r.stdout)
	}
}

func TestSignFailures(t *testing.T) {
	key, _ := writeTestKey(t)
	other, otherSigner := writeTestKey(t)
	if err := os.WriteFile(other+".pub", []byte(strings.Replace(otherSigner.AuthorizedKey(""), "AAAA", "AAAB", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	garbagePub, _ := writeTestKey(t)
	if err := os.WriteFile(garbagePub+".pub", []byte("nonsense"), 0o644); err != nil {
		t.Fatal(err)
	}
	pubOnly := writeTemp(t, "id_rsa.pub", []byte(otherSigner.AuthorizedKey("x")))
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, CodeUsage, "sign: missing argument: give the private key file"},
		{[]string{key, key}, CodeUsage, "want one argument, got 2"},
		{[]string{"/no/such/key"}, CodeNotFinished, "private key /no/such/key: open /no/such/key: no such file"},
		{[]string{pubOnly}, CodeNotFinished, "private key " + pubOnly + " (OpenSSH public key): not a private key"},
		{[]string{other}, CodeNotFinished, other + ".pub is not the public half of the private key"},
		{[]string{garbagePub}, CodeNotFinished, garbagePub + ".pub: not an OpenSSH public key"},
	}
	for _, tt := range tests {
		r := run(t, "", append([]string{"sign"}, tt.args...)...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
			t.Errorf("%q: code %d, stdout %q, stderr %q; want %d and %q", tt.args, r.code, r.stdout, r.stderr, tt.code, tt.want)
		}
	}
}

// refstack-client sign prints the same for a key with a commented .pub.
func TestSignSameAsRefstackClient(t *testing.T) {
	tool := testenv.Tool(t, "/usr/bin/refstack-client")
	key, signer := writeTestKey(t)
	if err := os.WriteFile(key+".pub", []byte(signer.AuthorizedKey("me@host")), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tool, "sign", key)
	cmd.Dir = t.TempDir() // its imports may write a log file there
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s sign: %v", tool, err)
	}
	if r := run(t, "", "sign", key); r.code != CodeOK || r.stdout != string(want) {
		t.Errorf("ours:\n%q\nrefstack-client:\n%q", r.stdout, want)
	}
}
