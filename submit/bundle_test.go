package submit

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// testdata/sample.bundle is the bundle of the sample document signed with
// testdata/rsa2048.pem (PKCS#1 v1.5 signatures are deterministic).
func TestBundleGolden(t *testing.T) {
	b, err := NewBundle(sample.Body(), testSigner(t))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := b.WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("WriteTo = %d, %v (wrote %d)", n, err, buf.Len())
	}
	golden(t, "sample.bundle", buf.Bytes())
}

func TestBundleRoundTripUpload(t *testing.T) {
	// Made on one machine...
	s := testSigner(t)
	body := sample.Body()
	b, err := NewBundle(body, s)
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if _, err := b.WriteTo(&file); err != nil {
		t.Fatal(err)
	}
	// ...uploaded from another, with no key.
	got, err := ReadBundle(bytes.NewReader(file.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Body, body) || got.Signature != b.Signature {
		t.Fatalf("read back %+v, want %+v", got, b)
	}
	srv := newUploadServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { created(w) })
	if _, err := newTestClient(t, srv.srv.URL+"/api").Upload(context.Background(), got.Body, &got.Signature); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(srv.body, body) || srv.pubKey != s.PublicKey() || srv.sigHex != b.Signature.Hex {
		t.Errorf("server got %q with %q, %q", srv.body, srv.pubKey, srv.sigHex)
	}
}

func TestNewBundleChecks(t *testing.T) {
	s := testSigner(t)
	if _, err := NewBundle(sample.Body(), nil); err == nil {
		t.Error("nil signer accepted")
	}
	empty := (&Results{CPID: "c"}).Body()
	if _, err := NewBundle(empty, s); !errors.Is(err, ErrInvalidResults) {
		t.Errorf("no results: %v", err)
	}
	if _, err := NewBundle([]byte("not json"), s); !errors.Is(err, ErrInvalidResults) {
		t.Errorf("not JSON: %v", err)
	}
}

func TestReadBundleErrors(t *testing.T) {
	s := testSigner(t)
	good := bundleFields(t, s, sample.Body())
	other := sample.Body()
	other[len(other)-5] ^= 1
	tests := []struct {
		name   string
		edit   func(m map[string]any)
		raw    string // used instead when set
		is     error
		substr string
	}{
		{"results document", nil, string(sample.Body()), ErrNotBundle, "no \"format\" key"},
		{"not JSON", nil, "hello", ErrNotBundle, "not a JSON object"},
		{"array", nil, "[]", ErrNotBundle, "not a JSON object"},
		{"other format", func(m map[string]any) { m["format"] = "x" }, "", ErrInvalidBundle, `format "x"`},
		{"version 2", func(m map[string]any) { m["version"] = 2 }, "", ErrInvalidBundle, "version 2: this program reads version 1"},
		{"no version", func(m map[string]any) { delete(m, "version") }, "", ErrInvalidBundle, "version 0"},
		{"unknown key", func(m map[string]any) { m["cpid"] = "x" }, "", ErrInvalidBundle, `unknown field "cpid"`},
		{"wrong type", func(m map[string]any) { m["version"] = "1" }, "", ErrInvalidBundle, "version"},
		{"no signature", func(m map[string]any) { delete(m, "signature") }, "", ErrInvalidBundle, "no public_key or no signature"},
		{"no key", func(m map[string]any) { m["public_key"] = "" }, "", ErrInvalidBundle, "no public_key or no signature"},
		{"bad base64", func(m map[string]any) { m["body"] = "!!" }, "", ErrInvalidBundle, "body: illegal base64"},
		{"tampered body", func(m map[string]any) { m["body"] = base64.StdEncoding.EncodeToString(other) }, "", ErrSignatureVerification, "Signature verification failed"},
		{"bad signature hex", func(m map[string]any) { m["signature"] = "xyz" }, "", ErrMalformedSignature, "Malformed signature"},
		{"bad key", func(m map[string]any) { m["public_key"] = "ssh-rsa AAAA" }, "", ErrMalformedPublicKey, "Malformed public key"},
		{"signed non-results", func(m map[string]any) {
			body := []byte(`{"hello": 1}`)
			for k, v := range bundleFields(t, s, body) {
				m[k] = v
			}
		}, "", ErrInvalidResults, `body: submit: invalid results document: missing key "cpid"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []byte(tt.raw)
			if tt.edit != nil {
				m := map[string]any{}
				for k, v := range good {
					m[k] = v
				}
				tt.edit(m)
				var err error
				if raw, err = json.Marshal(m); err != nil {
					t.Fatal(err)
				}
			}
			b, err := ReadBundle(bytes.NewReader(raw))
			if b != nil || !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.substr) {
				t.Errorf("ReadBundle = %v, %v; want %v with %q", b, err, tt.is, tt.substr)
			}
			if tt.is != ErrNotBundle && !errors.Is(err, ErrInvalidBundle) {
				t.Errorf("%v does not wrap ErrInvalidBundle", err)
			}
		})
	}
}

// bundleFields returns the JSON fields of a bundle of body signed by s,
// without NewBundle's checks.
func bundleFields(t *testing.T, s *Signer, body []byte) map[string]any {
	t.Helper()
	sig, err := s.Sign(body)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{
		"format": BundleFormat, "version": BundleVersion,
		"public_key": sig.PublicKey, "signature": sig.Hex,
		"body": base64.StdEncoding.EncodeToString(body),
	}
}

// FuzzReadBundle: no panic; a bundle that loads has a body that verifies.
func FuzzReadBundle(f *testing.F) {
	f.Add([]byte(`{"format": "refstack-signed-results", "version": 1, "public_key": "ssh-rsa AAAA", "signature": "00", "body": "e30="}`))
	f.Add(sample.Body())
	f.Add([]byte(`{"format": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadBundle(bytes.NewReader(data))
		if err != nil {
			return
		}
		if err := Verify(b.Body, b.Signature.Hex, b.Signature.PublicKey); err != nil {
			t.Fatalf("loaded bundle does not verify: %v", err)
		}
	})
}
