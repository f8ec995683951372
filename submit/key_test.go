package submit

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// testKey returns the 2048-bit key of testdata/rsa2048.pem.
func testKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	block, _ := pem.Decode(readTestdata(t, "rsa2048.pem"))
	k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func pemBytes(t *testing.T, typ string, der []byte, headers map[string]string) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der, Headers: headers})
}

func TestLoadSignerFormats(t *testing.T) {
	key := testKey(t)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	openssh, err := ssh.MarshalPrivateKey(key, "me@host")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"pkcs1":   readTestdata(t, "rsa2048.pem"),
		"pkcs8":   pemBytes(t, "PRIVATE KEY", pkcs8, nil),
		"openssh": pem.EncodeToMemory(openssh),
		"bag":     append([]byte("Bag Attributes\n    localKeyID: 01\n"), pemBytes(t, "PRIVATE KEY", pkcs8, nil)...),
		"crlf":    []byte(strings.ReplaceAll(string(readTestdata(t, "rsa2048.pem")), "\n", "\r\n")),
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := LoadSigner(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if s.PublicKey() != ref.PublicKey() || s.Bits() != 2048 {
			t.Errorf("%s: public key %q (%d bits), want %q", name, s.PublicKey(), s.Bits(), ref.PublicKey())
		}
	}
	if !strings.HasPrefix(ref.PublicKey(), "ssh-rsa AAAAB3NzaC1yc2E") || strings.ContainsAny(ref.PublicKey(), "\n") || strings.Count(ref.PublicKey(), " ") != 1 {
		t.Errorf("PublicKey() = %q, want one line 'ssh-rsa AAAA...' without comment", ref.PublicKey())
	}
}

func TestLoadSignerErrors(t *testing.T) {
	rsaKey := testKey(t)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der := func(k any) []byte {
		b, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ecSEC1, err := x509.MarshalECPrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	encOpenSSH, err := ssh.MarshalPrivateKeyWithPassphrase(rsaKey, "", []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	edOpenSSH, err := ssh.MarshalPrivateKey(edKey, "")
	if err != nil {
		t.Fatal(err)
	}
	rsaPub, err := ssh.NewPublicKey(&rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pkcs1 := readTestdata(t, "rsa2048.pem")
	tests := []struct {
		name   string
		data   []byte
		is     error
		format string // the format named in the message
		text   string // more of the message
	}{
		{"empty", nil, ErrNoKey, "(empty)", "no private key found"},
		{"garbage", []byte("hello world\n"), ErrNoKey, "", "no private key found"},
		{"binary", []byte{0x30, 0x82, 0x01, 0x00, 0xff}, ErrNoKey, "", "PEM PKCS#1, PEM PKCS#8 or OpenSSH"},
		{"truncated PEM", pkcs1[:len(pkcs1)/2], ErrNoKey, "", "no private key found"},
		{"bad DER", pemBytes(t, "RSA PRIVATE KEY", []byte("not DER"), nil), ErrBadKey, "(PEM PKCS#1)", "malformed key"},
		{"bad PKCS#8", pemBytes(t, "PRIVATE KEY", []byte("not DER"), nil), ErrBadKey, "(PEM PKCS#8)", "malformed key"},
		{"bad OpenSSH", pemBytes(t, "OPENSSH PRIVATE KEY", []byte("openssh-key-v1\x00junk"), nil), ErrBadKey, "(OpenSSH)", "malformed key"},
		{"encrypted OpenSSH", pem.EncodeToMemory(encOpenSSH), ErrEncryptedKey, "(OpenSSH (encrypted))", "passphrase"},
		{"encrypted PKCS#1", pemBytes(t, "RSA PRIVATE KEY", []byte("x"), map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00112233445566778899AABBCCDDEEFF"}), ErrEncryptedKey, "(PEM PKCS#1 (encrypted))", "encrypted"},
		{"encrypted PKCS#8", pemBytes(t, "ENCRYPTED PRIVATE KEY", []byte("x"), nil), ErrEncryptedKey, "(PEM PKCS#8 (encrypted))", "ssh-keygen -p"},
		{"EC PKCS#8", pemBytes(t, "PRIVATE KEY", der(ecKey), nil), ErrNotRSAKey, "(PEM PKCS#8, ECDSA)", "not an RSA key"},
		{"EC SEC1", pemBytes(t, "EC PRIVATE KEY", ecSEC1, nil), ErrNotRSAKey, "(PEM SEC1 EC)", "not an RSA key"},
		{"Ed25519 PKCS#8", pemBytes(t, "PRIVATE KEY", der(edKey), nil), ErrNotRSAKey, "(PEM PKCS#8, Ed25519)", "refstack keygen"},
		{"Ed25519 OpenSSH", pem.EncodeToMemory(edOpenSSH), ErrNotRSAKey, "(OpenSSH, Ed25519)", "not an RSA key"},
		{"DSA", pemBytes(t, "DSA PRIVATE KEY", []byte("x"), nil), ErrNotRSAKey, "(PEM DSA)", "not an RSA key"},
		{"OpenSSH public key", ssh.MarshalAuthorizedKey(rsaPub), ErrNotPrivateKey, "(OpenSSH public key)", "the file without .pub"},
		{"PEM public key", pemBytes(t, "PUBLIC KEY", pubDER, nil), ErrNotPrivateKey, "(PEM PUBLIC KEY)", "give the private key"},
		{"certificate", pemBytes(t, "CERTIFICATE", []byte("x"), nil), ErrNotPrivateKey, "(PEM certificate)", "certificate"},
		{"PuTTY", []byte("PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\n"), ErrNoKey, "(PuTTY)", "puttygen"},
		{"other PEM", pemBytes(t, "X509 CRL", []byte("x"), nil), ErrNoKey, "(PEM X509 CRL)", `unsupported PEM block "X509 CRL"`},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_"))
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := LoadSigner(path)
			var ke *KeyError
			if s != nil || !errors.As(err, &ke) || !errors.Is(err, tt.is) {
				t.Fatalf("LoadSigner = %v, %v; want a *KeyError wrapping %v", s, err, tt.is)
			}
			msg := err.Error()
			if ke.Path != path || !strings.Contains(msg, path) || !strings.Contains(msg, tt.format) || !strings.Contains(msg, tt.text) {
				t.Errorf("error %q: want the path %s, the format %q and %q", msg, path, tt.format, tt.text)
			}
			// ParseSigner says the same without a path.
			if _, err := ParseSigner(tt.data); !errors.Is(err, tt.is) || strings.Contains(err.Error(), path) {
				t.Errorf("ParseSigner: %v", err)
			}
		})
	}
}

func TestLoadSignerMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-key")
	_, err := LoadSigner(path)
	var ke *KeyError
	if !errors.As(err, &ke) || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v, want a *KeyError for the missing %s", err, path)
	}
	if _, err := LoadSigner(t.TempDir()); !errors.As(err, &ke) {
		t.Errorf("directory: err = %v, want a *KeyError", err)
	}
	big := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(big, make([]byte, 2<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSigner(big); !errors.Is(err, ErrNoKey) || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Errorf("2 MiB file: err = %v", err)
	}
}

func TestNewSignerRejects(t *testing.T) {
	if _, err := NewSigner(nil); err == nil {
		t.Error("nil key accepted")
	}
	k := testKey(t)
	k.E = 4 // even: not a valid RSA key
	if _, err := NewSigner(k); err == nil {
		t.Error("invalid key accepted")
	}
}
