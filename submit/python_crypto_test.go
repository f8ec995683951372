package submit

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
	"golang.org/x/crypto/ssh"
)

// The check the RefStack server makes (python3-cryptography:
// load_ssh_public_key, verify with PKCS1v15 and SHA256 over the raw body)
// accepts what Go signs; what python3-cryptography signs from the same key
// files (as refstack-client signs: load_pem_private_key, PKCS1v15, SHA256)
// is byte for byte what Go signs, and Go's Verify accepts it.
func TestSignaturesAgainstPythonCryptography(t *testing.T) {
	py := testenv.Python(t, "cryptography")
	dir := t.TempDir()
	key := testKey(t)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	openssh, err := ssh.MarshalPrivateKey(key, "")
	if err != nil {
		t.Fatal(err)
	}
	fresh := generateTestSigner(t) // a key made by GenerateKey, as refstack keygen writes it
	keys := map[string][]byte{
		"pkcs1":   readTestdata(t, "rsa2048.pem"),
		"pkcs8":   pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}),
		"openssh": pem.EncodeToMemory(openssh),
		"keygen":  fresh.PrivateKeyPEM(),
	}
	bodies := []string{string(sample.Body()), "signature", `{"cpid": "caf\u00e9"}`}

	type job struct {
		Key, Format string
		Bodies      []string
		GoSigs      []string // hex, signed by Go
		GoPub       string
	}
	var jobs []job
	for name, data := range keys {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := LoadSigner(path)
		if err != nil {
			t.Fatal(err)
		}
		j := job{Key: path, Format: name, Bodies: bodies, GoPub: s.PublicKey()}
		for _, b := range bodies {
			sig, err := s.Sign([]byte(b))
			if err != nil {
				t.Fatal(err)
			}
			j.GoSigs = append(j.GoSigs, sig.Hex)
		}
		jobs = append(jobs, j)
	}
	script := `
import binascii, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
out = []
for job in json.load(sys.stdin):
    data = open(job["Key"], "rb").read()
    if job["Format"] == "openssh":
        priv = serialization.load_ssh_private_key(data, password=None)
    else:
        priv = serialization.load_pem_private_key(data, password=None)
    pub = priv.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    # The server's check of Go's signatures.
    server_key = serialization.load_ssh_public_key(job["GoPub"].encode())
    verified = []
    for body, sig in zip(job["Bodies"], job["GoSigs"]):
        try:
            server_key.verify(binascii.a2b_hex(sig), body.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
            verified.append(True)
        except Exception as e:
            verified.append(repr(e))
    sigs = [binascii.b2a_hex(priv.sign(b.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())).decode() for b in job["Bodies"]]
    out.append({"Pub": pub, "Sigs": sigs, "Verified": verified})
json.dump(out, sys.stdout)
`
	in, err := json.Marshal(jobs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(string(in))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	var got []struct {
		Pub      string
		Sigs     []string
		Verified []any
	}
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(jobs) {
		t.Fatalf("python output %s: %v", out, err)
	}
	for i, j := range jobs {
		g := got[i]
		if g.Pub != j.GoPub {
			t.Errorf("%s: python's OpenSSH public key %q, Go's %q", j.Format, g.Pub, j.GoPub)
		}
		for k, body := range j.Bodies {
			if g.Verified[k] != true {
				t.Errorf("%s: the server's check rejects Go's signature of %q: %v", j.Format, body, g.Verified[k])
			}
			if g.Sigs[k] != j.GoSigs[k] {
				t.Errorf("%s: python's signature of %q differs from Go's", j.Format, body)
			}
			if err := Verify([]byte(body), g.Sigs[k], g.Pub); err != nil {
				t.Errorf("%s: Go's Verify rejects python's signature of %q: %v", j.Format, body, err)
			}
		}
	}
}
