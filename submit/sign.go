package submit

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Signer signs upload bodies with an RSA private key.
type Signer struct {
	key *rsa.PrivateKey
	pub string
}

// Signature is what goes with a signed body: the X-Signature and
// X-Public-Key headers.
type Signature struct {
	// Hex is RSASSA-PKCS1-v1_5 with SHA-256 over the body, in lowercase hex
	// (512 characters for a 2048-bit key, 1024 for 4096).
	Hex string
	// PublicKey is the signer's OpenSSH public key on one line, "ssh-rsa"
	// and the base64 key, without comment or newline.
	PublicKey string
}

// Header names of a signed upload.
const (
	HeaderSignature = "X-Signature"
	HeaderPublicKey = "X-Public-Key"
)

// selfSignatureText is what a key signs to prove it is held (RefStack's key
// registration).
const selfSignatureText = "signature"

// NewSigner returns a Signer for key, after checking it.
func NewSigner(key *rsa.PrivateKey) (*Signer, error) {
	if key == nil {
		return nil, errors.New("submit: nil RSA key")
	}
	if err := key.Validate(); err != nil {
		return nil, fmt.Errorf("submit: invalid RSA key: %w", err)
	}
	pub, err := ssh.NewPublicKey(&key.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("submit: RSA public key: %w", err)
	}
	return &Signer{key: key, pub: strings.TrimSuffix(string(ssh.MarshalAuthorizedKey(pub)), "\n")}, nil
}

// PublicKey returns the OpenSSH public key on one line ("ssh-rsa AAAA..."),
// without comment or newline, as X-Public-Key carries it.
func (s *Signer) PublicKey() string { return s.pub }

// Bits returns the size of the key's modulus.
func (s *Signer) Bits() int { return s.key.N.BitLen() }

// Sign signs body, which must be exactly the bytes that will be sent.
// PKCS#1 v1.5 signatures are deterministic: the same key and body always give
// the same signature.
func (s *Signer) Sign(body []byte) (*Signature, error) {
	sum := sha256.Sum256(body)
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, sum[:])
	if err != nil {
		return nil, fmt.Errorf("submit: sign: %w", err)
	}
	return &Signature{Hex: hex.EncodeToString(sig), PublicKey: s.pub}, nil
}

// SelfSignature signs the nine bytes "signature" and returns the hex, which
// the RefStack web UI asks for, beside the public key, to register a key (as
// refstack-client sign prints it).
func (s *Signer) SelfSignature() (string, error) {
	sig, err := s.Sign([]byte(selfSignatureText))
	if err != nil {
		return "", err
	}
	return sig.Hex, nil
}

// PrivateKeyPEM returns the private key as PEM PKCS#1 ("BEGIN RSA PRIVATE
// KEY"), the format every RefStack client reads.
func (s *Signer) PrivateKeyPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(s.key)})
}

// AuthorizedKey returns the public key as a line of an OpenSSH .pub file:
// the public key, then " " and comment unless comment is empty, then a
// newline.
func (s *Signer) AuthorizedKey(comment string) string {
	if comment == "" {
		return s.pub + "\n"
	}
	return s.pub + " " + comment + "\n"
}

// DefaultKeyBits is the size of the keys GenerateKey makes by default.
const DefaultKeyBits = 4096

// GenerateKey makes a new RSA key of the given size, from 2048 to 16384 bits
// (DefaultKeyBits is a good choice), and returns its Signer. Write
// PrivateKeyPEM to the key file and AuthorizedKey to the .pub beside it.
func GenerateKey(bits int) (*Signer, error) {
	if bits < 2048 || bits > 16384 {
		return nil, fmt.Errorf("submit: RSA key size %d out of range [2048, 16384]", bits)
	}
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return nil, fmt.Errorf("submit: generate RSA key: %w", err)
	}
	return NewSigner(key)
}
