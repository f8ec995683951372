package submit

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/ssh"
)

// The RefStack server's answers (400) to a bad signature, in its words: a
// server built on this package can send err.Error() of the sentinel as the
// error title. A *VerifyError wraps one.
var (
	ErrMalformedSignature    = errors.New("Malformed signature")
	ErrMalformedPublicKey    = errors.New("Malformed public key")
	ErrSignatureVerification = errors.New("Signature verification failed")
	// ErrUnsupportedKeyFormat is for key registration only (VerifySelfSignature).
	ErrUnsupportedKeyFormat = errors.New("Public key has unsupported format")
)

// VerifyError is a failed signature check.
type VerifyError struct {
	Err    error  // one of ErrMalformedSignature, ErrMalformedPublicKey, ErrSignatureVerification, ErrUnsupportedKeyFormat
	Reason string // more detail, for logs; the RefStack server does not show it
}

func (e *VerifyError) Error() string {
	if e.Reason == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + " (" + e.Reason + ")"
}

func (e *VerifyError) Unwrap() error { return e.Err }

// Verify checks the signature of an upload as a RefStack server checks it,
// in its order: sigHex must be hex (either case; else
// ErrMalformedSignature), pubKey an OpenSSH public key line "TYPE BASE64
// [COMMENT]" whose blob is of TYPE (else ErrMalformedPublicKey), and the
// signature RSASSA-PKCS1-v1_5 with SHA-256 over the exact body bytes (else
// ErrSignatureVerification). A well-formed key that is not RSA fails
// verification (the RefStack server answers 500 there). Every failure is a
// *VerifyError.
func Verify(body []byte, sigHex, pubKey string) error {
	sig, err := hex.DecodeString(sigHex)
	if err != nil {
		return &VerifyError{Err: ErrMalformedSignature, Reason: err.Error()}
	}
	pub, err := parsePublicKeyLine(pubKey)
	if err != nil {
		return &VerifyError{Err: ErrMalformedPublicKey, Reason: err.Error()}
	}
	cpk, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return &VerifyError{Err: ErrSignatureVerification, Reason: pub.Type() + " key: only RSA signatures are checked"}
	}
	rk, ok := cpk.CryptoPublicKey().(*rsa.PublicKey)
	if !ok {
		return &VerifyError{Err: ErrSignatureVerification, Reason: pub.Type() + " key: only RSA signatures are checked"}
	}
	sum := sha256.Sum256(body)
	if err := rsa.VerifyPKCS1v15(rk, crypto.SHA256, sum[:], sig); err != nil {
		return &VerifyError{Err: ErrSignatureVerification, Reason: err.Error()}
	}
	return nil
}

// VerifySelfSignature checks a key's self-signature (the signature of the
// bytes "signature") as the RefStack server does when a key is registered:
// the key's type must be one it lists (else ErrUnsupportedKeyFormat), then
// as Verify.
func VerifySelfSignature(pubKey, sigHex string) error {
	// The first tokens the RefStack server accepts for a key it registers.
	switch typ, _, _ := strings.Cut(pubKey, " "); typ {
	case "ssh-dss", "ssh-rsa", "pgp-sign-rsa", "pgp-sign-dss":
	default:
		return &VerifyError{Err: ErrUnsupportedKeyFormat, Reason: fmt.Sprintf("key type %q", typ)}
	}
	return Verify([]byte(selfSignatureText), sigHex, pubKey)
}

// parsePublicKeyLine reads "TYPE BASE64 [COMMENT]" as an OpenSSH public key
// line: no options before the type, the blob's type must be TYPE.
func parsePublicKeyLine(line string) (ssh.PublicKey, error) {
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return nil, errors.New(`want "TYPE BASE64 [COMMENT]"`)
	}
	blob, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return nil, fmt.Errorf("key data: %v", err)
	}
	pub, err := ssh.ParsePublicKey(blob)
	if err != nil {
		return nil, err
	}
	if pub.Type() != fields[0] {
		return nil, fmt.Errorf("key type %q does not match its data (%s)", fields[0], pub.Type())
	}
	return pub, nil
}
