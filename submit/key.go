package submit

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/crypto/ssh"
)

// Errors wrapped by a *KeyError.
var (
	// ErrEncryptedKey: the key is protected by a passphrase. RefStack
	// tooling reads only unencrypted keys.
	ErrEncryptedKey = errors.New("the key is encrypted; passphrases are not supported: sign with an unencrypted copy (ssh-keygen -p -N '' -f COPY removes the passphrase of a copy)")
	// ErrNotRSAKey: the key is of another algorithm. RefStack checks RSA
	// signatures only.
	ErrNotRSAKey = errors.New("not an RSA key; RefStack accepts only RSA keys (make one with: refstack keygen FILE, or ssh-keygen -t rsa -b 4096)")
	// ErrNotPrivateKey: the file holds a public key or a certificate.
	ErrNotPrivateKey = errors.New("not a private key")
	// ErrNoKey: nothing in the file looks like a private key.
	ErrNoKey = errors.New("no private key found (want a PEM PKCS#1, PEM PKCS#8 or OpenSSH private key)")
	// ErrBadKey: the file has the shape of a key of a known format whose
	// content does not parse.
	ErrBadKey = errors.New("malformed key")
)

// KeyError reports a private key that cannot be used to sign.
type KeyError struct {
	Path   string // the file read; "" when the key came from bytes
	Format string // the format found ("PEM PKCS#1", "OpenSSH", "PEM PKCS#8 (encrypted)", ...); "" when none
	Err    error  // wraps one of ErrEncryptedKey, ErrNotRSAKey, ErrNotPrivateKey, ErrNoKey, ErrBadKey, or an I/O error
}

func (e *KeyError) Error() string {
	where := "private key"
	if e.Path != "" {
		where += " " + e.Path
	}
	if e.Format != "" {
		where += " (" + e.Format + ")"
	}
	return "submit: " + where + ": " + e.Err.Error()
}

func (e *KeyError) Unwrap() error { return e.Err }

// maxKeyFile is the largest key file LoadSigner reads: a 16384-bit key in
// any format is well under it.
const maxKeyFile = 1 << 20

// LoadSigner reads an RSA private key from the file at path (see
// ParseSigner for the formats). Every failure is a *KeyError naming the
// file and the format found.
func LoadSigner(path string) (*Signer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &KeyError{Path: path, Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, &KeyError{Path: path, Err: err}
	}
	if len(data) > maxKeyFile {
		return nil, &KeyError{Path: path, Err: fmt.Errorf("%w: the file is larger than %d bytes", ErrNoKey, maxKeyFile)}
	}
	s, err := ParseSigner(data)
	if ke := (*KeyError)(nil); errors.As(err, &ke) {
		ke.Path = path
	}
	return s, err
}

// ParseSigner reads an unencrypted RSA private key: PEM PKCS#1 ("BEGIN RSA
// PRIVATE KEY", as ssh-keygen -m PEM and refstack keygen write it), PEM
// PKCS#8 ("BEGIN PRIVATE KEY", as openssl genpkey writes it) or OpenSSH
// ("BEGIN OPENSSH PRIVATE KEY", the ssh-keygen default). Only the first PEM
// block counts. An encrypted key, a key of another algorithm, a public key
// and anything else is a *KeyError saying what was found.
func ParseSigner(data []byte) (*Signer, error) {
	key, format, err := parsePrivateKey(data)
	if err != nil {
		return nil, &KeyError{Format: format, Err: err}
	}
	s, err := NewSigner(key)
	if err != nil {
		return nil, &KeyError{Format: format, Err: fmt.Errorf("%w: %v", ErrBadKey, err)}
	}
	return s, nil
}

// parsePrivateKey returns the RSA key in data and the name of its format.
func parsePrivateKey(data []byte) (*rsa.PrivateKey, string, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, noPEMFormat(data), noPEMError(data)
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		const format = "PEM PKCS#1"
		if isLegacyEncrypted(block) {
			return nil, format + " (encrypted)", ErrEncryptedKey
		}
		key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, format, fmt.Errorf("%w: %v", ErrBadKey, err)
		}
		return key, format, nil
	case "PRIVATE KEY":
		const format = "PEM PKCS#8"
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, format, fmt.Errorf("%w: %v", ErrBadKey, err)
		}
		return rsaKey(k, format)
	case "OPENSSH PRIVATE KEY":
		const format = "OpenSSH"
		k, err := ssh.ParseRawPrivateKey(pem.EncodeToMemory(block))
		var pm *ssh.PassphraseMissingError
		if errors.As(err, &pm) {
			return nil, format + " (encrypted)", ErrEncryptedKey
		}
		if err != nil {
			return nil, format, fmt.Errorf("%w: %v", ErrBadKey, err)
		}
		return rsaKey(k, format)
	case "ENCRYPTED PRIVATE KEY":
		return nil, "PEM PKCS#8 (encrypted)", ErrEncryptedKey
	case "EC PRIVATE KEY":
		return nil, "PEM SEC1 EC", ErrNotRSAKey
	case "DSA PRIVATE KEY":
		return nil, "PEM DSA", ErrNotRSAKey
	case "PUBLIC KEY", "RSA PUBLIC KEY":
		return nil, "PEM " + block.Type, fmt.Errorf("%w: this is a public key; give the private key", ErrNotPrivateKey)
	case "CERTIFICATE":
		return nil, "PEM certificate", fmt.Errorf("%w: this is a certificate; give the private key", ErrNotPrivateKey)
	}
	return nil, "PEM " + block.Type, fmt.Errorf("%w: unsupported PEM block %q", ErrNoKey, block.Type)
}

// isLegacyEncrypted reports an OpenSSL "Proc-Type: 4,ENCRYPTED" block.
func isLegacyEncrypted(b *pem.Block) bool {
	_, ok := b.Headers["DEK-Info"]
	return ok || b.Headers["Proc-Type"] == "4,ENCRYPTED"
}

// rsaKey checks that a parsed key is RSA.
func rsaKey(k any, format string) (*rsa.PrivateKey, string, error) {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return k, format, nil
	case *ecdsa.PrivateKey:
		return nil, format + ", ECDSA", ErrNotRSAKey
	case ed25519.PrivateKey, *ed25519.PrivateKey:
		return nil, format + ", Ed25519", ErrNotRSAKey
	default:
		return nil, fmt.Sprintf("%s, %T", format, k), ErrNotRSAKey
	}
}

// noPEMFormat names what a file without a PEM block holds, if it is known.
func noPEMFormat(data []byte) string {
	switch t := bytes.TrimSpace(data); {
	case len(t) == 0:
		return "empty"
	case bytes.HasPrefix(t, []byte("PuTTY-User-Key-File")):
		return "PuTTY"
	case bytes.HasPrefix(t, []byte("---- BEGIN SSH2 PUBLIC KEY")):
		return "SSH2 public key"
	}
	if _, _, _, _, err := ssh.ParseAuthorizedKey(data); err == nil {
		return "OpenSSH public key"
	}
	return ""
}

func noPEMError(data []byte) error {
	switch noPEMFormat(data) {
	case "OpenSSH public key", "SSH2 public key":
		return fmt.Errorf("%w: this is a public key; give the private key (the file without .pub)", ErrNotPrivateKey)
	case "PuTTY":
		return fmt.Errorf("%w: PuTTY keys are not supported; export an OpenSSH key with puttygen", ErrNoKey)
	}
	return ErrNoKey
}
