package submit

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func testSigner(t *testing.T) *Signer {
	t.Helper()
	s, err := ParseSigner(readTestdata(t, "rsa2048.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignVerify(t *testing.T) {
	s := testSigner(t)
	body := sample.Body()
	sig, err := s.Sign(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(sig.Hex) != 512 || strings.ToLower(sig.Hex) != sig.Hex || sig.PublicKey != s.PublicKey() {
		t.Errorf("signature %q (%d hex digits), key %q: want 512 lowercase digits and the signer's key", sig.Hex, len(sig.Hex), sig.PublicKey)
	}
	again, _ := s.Sign(body)
	if again.Hex != sig.Hex {
		t.Error("PKCS#1 v1.5 signatures differ for the same body")
	}
	if err := Verify(body, sig.Hex, sig.PublicKey); err != nil {
		t.Errorf("Verify: %v", err)
	}
	// The server accepts upper-case hex and a comment after the key.
	if err := Verify(body, strings.ToUpper(sig.Hex), sig.PublicKey+" me@host"); err != nil {
		t.Errorf("Verify upper case with comment: %v", err)
	}

	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	edPub, _ := ssh.NewPublicKey(edPriv.Public())
	edLine := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(edPub)))
	blob := strings.Fields(sig.PublicKey)[1]
	tampered := append([]byte(nil), body...)
	tampered[len(tampered)-3] ^= 1
	tests := []struct {
		name         string
		body         []byte
		sigHex, pub  string
		want         error
		serverString string
	}{
		{"odd hex", body, sig.Hex[1:], sig.PublicKey, ErrMalformedSignature, "Malformed signature"},
		{"not hex", body, "zz" + sig.Hex[2:], sig.PublicKey, ErrMalformedSignature, "Malformed signature"},
		{"empty key", body, sig.Hex, "", ErrMalformedPublicKey, "Malformed public key"},
		{"type only", body, sig.Hex, "ssh-rsa", ErrMalformedPublicKey, "Malformed public key"},
		{"bad base64", body, sig.Hex, "ssh-rsa !!!", ErrMalformedPublicKey, "Malformed public key"},
		{"not a key", body, sig.Hex, "ssh-rsa " + base64.StdEncoding.EncodeToString([]byte("junk")), ErrMalformedPublicKey, "Malformed public key"},
		{"type mismatch", body, sig.Hex, "ssh-dss " + blob, ErrMalformedPublicKey, "Malformed public key"},
		{"options before key", body, sig.Hex, `from="x" ` + sig.PublicKey, ErrMalformedPublicKey, "Malformed public key"},
		{"tampered body", tampered, sig.Hex, sig.PublicKey, ErrSignatureVerification, "Signature verification failed"},
		{"empty signature", body, "", sig.PublicKey, ErrSignatureVerification, "Signature verification failed"},
		{"other key", body, sig.Hex, generateTestSigner(t).PublicKey(), ErrSignatureVerification, "Signature verification failed"},
		{"ed25519 key", body, sig.Hex, edLine, ErrSignatureVerification, "Signature verification failed"},
	}
	for _, tt := range tests {
		err := Verify(tt.body, tt.sigHex, tt.pub)
		var ve *VerifyError
		if !errors.Is(err, tt.want) || !errors.As(err, &ve) {
			t.Errorf("%s: Verify = %v, want a *VerifyError wrapping %v", tt.name, err, tt.want)
			continue
		}
		if ve.Err.Error() != tt.serverString || !strings.HasPrefix(err.Error(), tt.serverString) {
			t.Errorf("%s: %q does not carry the server's text %q", tt.name, err, tt.serverString)
		}
	}
}

// generateTestSigner makes a throwaway 2048-bit key.
func generateTestSigner(t *testing.T) *Signer {
	t.Helper()
	s, err := GenerateKey(2048)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSelfSignature(t *testing.T) {
	s := testSigner(t)
	hexSig, err := s.SelfSignature()
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := s.Sign([]byte("signature"))
	if hexSig != sig.Hex {
		t.Error("SelfSignature is not the signature of the bytes \"signature\"")
	}
	if err := VerifySelfSignature(s.PublicKey(), hexSig); err != nil {
		t.Errorf("VerifySelfSignature: %v", err)
	}
	if err := VerifySelfSignature(s.PublicKey()+" comment", hexSig); err != nil {
		t.Errorf("VerifySelfSignature with comment: %v", err)
	}
	if err := VerifySelfSignature(strings.Replace(s.PublicKey(), "ssh-rsa", "ecdsa-sha2-nistp256", 1), hexSig); !errors.Is(err, ErrUnsupportedKeyFormat) || !strings.HasPrefix(err.Error(), "Public key has unsupported format") {
		t.Errorf("unsupported type: %v", err)
	}
	if err := VerifySelfSignature(strings.Replace(s.PublicKey(), "ssh-rsa", "pgp-sign-rsa", 1), hexSig); !errors.Is(err, ErrMalformedPublicKey) {
		t.Errorf("pgp-sign-rsa with an ssh-rsa blob: %v, want Malformed public key", err)
	}
	other, _ := generateTestSigner(t).SelfSignature()
	if err := VerifySelfSignature(s.PublicKey(), other); !errors.Is(err, ErrSignatureVerification) {
		t.Errorf("another key's self-signature: %v", err)
	}
}

func TestGenerateKey(t *testing.T) {
	for _, bits := range []int{0, 1024, 2047, 16385} {
		if _, err := GenerateKey(bits); err == nil {
			t.Errorf("GenerateKey(%d) accepted", bits)
		}
	}
	if testing.Short() {
		t.Skip("4096-bit key generation is slow")
	}
	s, err := GenerateKey(DefaultKeyBits)
	if err != nil {
		t.Fatal(err)
	}
	if s.Bits() != 4096 {
		t.Errorf("Bits() = %d", s.Bits())
	}
	pemKey := s.PrivateKeyPEM()
	if !strings.HasPrefix(string(pemKey), "-----BEGIN RSA PRIVATE KEY-----\n") {
		t.Errorf("PrivateKeyPEM starts %q", pemKey[:40])
	}
	back, err := ParseSigner(pemKey)
	if err != nil || back.PublicKey() != s.PublicKey() {
		t.Errorf("ParseSigner(PrivateKeyPEM()) = %v; keys differ", err)
	}
	if got := s.AuthorizedKey(""); got != s.PublicKey()+"\n" {
		t.Errorf("AuthorizedKey(\"\") = %q", got)
	}
	if got := s.AuthorizedKey("me@host"); got != s.PublicKey()+" me@host\n" {
		t.Errorf("AuthorizedKey(comment) = %q", got)
	}
	// What ssh tooling reads back.
	pub, comment, _, _, err := ssh.ParseAuthorizedKey([]byte(s.AuthorizedKey("me@host")))
	if err != nil || comment != "me@host" || pub.Type() != "ssh-rsa" {
		t.Errorf("ParseAuthorizedKey: %v, %q, %v", pub, comment, err)
	}
	sig, _ := s.SelfSignature()
	if len(sig) != 1024 {
		t.Errorf("4096-bit self-signature has %d hex digits, want 1024", len(sig))
	}
}
