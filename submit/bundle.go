package submit

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Bundle is a signed upload kept for later: the off-line way to submit
// results. Made where the key is (NewBundle), written to a file (WriteTo),
// carried to a machine that can reach the server, read back (ReadBundle) and
// uploaded there: client.Upload(ctx, b.Body, &b.Signature) sends the body
// byte for byte as it was signed.
//
// The file is one JSON object (UTF-8, indented, a final newline):
//
//	{
//	  "format": "refstack-signed-results",
//	  "version": 1,
//	  "public_key": "ssh-rsa AAAA...",
//	  "signature": "<lowercase hex: X-Signature>",
//	  "body": "<standard base64 of the exact body bytes>"
//	}
//
// "format" identifies the file; "version" is 1, and a reader refuses any
// other; public_key and signature are the X-Public-Key and X-Signature
// headers; body is the upload, a results document, in base64 so that its
// bytes survive any JSON tool. No other key is allowed.
type Bundle struct {
	Body      []byte
	Signature Signature
}

// Bundle file identification.
const (
	BundleFormat  = "refstack-signed-results"
	BundleVersion = 1
)

// ErrNotBundle is returned by ReadBundle for a JSON object without the
// "format" key: not a bundle at all (perhaps a results document).
var ErrNotBundle = errors.New("not a RefStack bundle (no \"format\" key)")

// ErrInvalidBundle is wrapped by the errors of ReadBundle for a file that is
// a bundle but not a good one.
var ErrInvalidBundle = errors.New("invalid bundle")

// maxBundle is the largest bundle file ReadBundle reads.
const maxBundle = 256 << 20

// bundleFile is the JSON form of a Bundle.
type bundleFile struct {
	Format    string `json:"format"`
	Version   int    `json:"version"`
	PublicKey string `json:"public_key"`
	Signature string `json:"signature"`
	Body      string `json:"body"`
}

// NewBundle signs body with s and returns the bundle. body should be a valid
// results document (Results.Body); NewBundle checks it as ReadBundle will.
func NewBundle(body []byte, s *Signer) (*Bundle, error) {
	if s == nil {
		return nil, errors.New("submit: bundle: nil Signer")
	}
	if err := checkBody(body); err != nil {
		return nil, fmt.Errorf("submit: bundle: %w", err)
	}
	sig, err := s.Sign(body)
	if err != nil {
		return nil, err
	}
	return &Bundle{Body: append([]byte(nil), body...), Signature: *sig}, nil
}

// WriteTo writes the bundle file to w.
func (b *Bundle) WriteTo(w io.Writer) (int64, error) {
	data, err := json.MarshalIndent(bundleFile{
		Format:    BundleFormat,
		Version:   BundleVersion,
		PublicKey: b.Signature.PublicKey,
		Signature: b.Signature.Hex,
		Body:      base64.StdEncoding.EncodeToString(b.Body),
	}, "", "  ")
	if err != nil {
		return 0, fmt.Errorf("submit: bundle: %w", err)
	}
	n, err := w.Write(append(data, '\n'))
	return int64(n), err
}

// ReadBundle reads a bundle file and checks it: the format and version, the
// signature over the body (a *VerifyError, wrapped, when it does not
// verify), and the body as a results document the server would take. A JSON
// object without a "format" key gives ErrNotBundle; every other problem an
// error wrapping ErrInvalidBundle.
func ReadBundle(r io.Reader) (*Bundle, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBundle+1))
	if err != nil {
		return nil, fmt.Errorf("submit: read bundle: %w", err)
	}
	if len(data) > maxBundle {
		return nil, fmt.Errorf("submit: %w: larger than %d bytes", ErrInvalidBundle, maxBundle)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil || probe == nil {
		return nil, fmt.Errorf("submit: %w: not a JSON object", ErrNotBundle)
	}
	if _, ok := probe["format"]; !ok {
		return nil, fmt.Errorf("submit: %w", ErrNotBundle)
	}
	var f bundleFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("submit: %w: %v", ErrInvalidBundle, err)
	}
	switch {
	case f.Format != BundleFormat:
		return nil, fmt.Errorf("submit: %w: format %q, want %q", ErrInvalidBundle, f.Format, BundleFormat)
	case f.Version != BundleVersion:
		return nil, fmt.Errorf("submit: %w: version %d: this program reads version %d", ErrInvalidBundle, f.Version, BundleVersion)
	case f.PublicKey == "" || f.Signature == "":
		return nil, fmt.Errorf("submit: %w: no public_key or no signature", ErrInvalidBundle)
	}
	body, err := base64.StdEncoding.Strict().DecodeString(f.Body)
	if err != nil {
		return nil, fmt.Errorf("submit: %w: body: %v", ErrInvalidBundle, err)
	}
	if err := Verify(body, f.Signature, f.PublicKey); err != nil {
		return nil, fmt.Errorf("submit: %w: %w", ErrInvalidBundle, err)
	}
	if err := checkBody(body); err != nil {
		return nil, fmt.Errorf("submit: %w: body: %w", ErrInvalidBundle, err)
	}
	return &Bundle{Body: body, Signature: Signature{Hex: f.Signature, PublicKey: f.PublicKey}}, nil
}

// checkBody checks that body is a results document the server would store.
func checkBody(body []byte) error {
	r, err := ParseResults(body)
	if err != nil {
		return err
	}
	return r.Validate()
}
