package cpid

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// writeCA writes the test server's certificate as a PEM file.
func writeCA(t *testing.T, k *fakeKeystone) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.Certificate().Raw})
	if err := os.WriteFile(path, block, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDiscoverTLS(t *testing.T) {
	k := newTLSKeystone(t, reply(201, fixture(t, "v3-token.json")))
	ca := writeCA(t, k)
	pool := x509.NewCertPool()
	pool.AddCert(k.Certificate())
	creds := v3Creds(k.URL)
	withTLS := func(cfg *tls.Config) Credentials { c := creds; c.TLSConfig = cfg; return c }

	tests := []struct {
		name   string
		creds  Credentials
		opts   []Option
		wantOK bool
	}{
		{"system roots reject the test CA", creds, nil, false},
		{"--insecure", creds, []Option{WithInsecure(true)}, true},
		{"CA file", creds, []Option{WithCAFile(ca)}, true},
		{"credentials skip verification", withTLS(&tls.Config{InsecureSkipVerify: true}), nil, true},
		{"credentials carry the CA", withTLS(&tls.Config{RootCAs: pool}), nil, true},
		{"WithInsecure(false) overrides the credentials", withTLS(&tls.Config{InsecureSkipVerify: true}), []Option{WithInsecure(false)}, false},
		{"CA file on an HTTP client without transport", creds, []Option{WithHTTPClient(&http.Client{}), WithCAFile(ca)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Discover(context.Background(), tt.creds, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantOK {
				if res.Method != KeystoneV3Catalog || res.CPID != "4d57b1c8e6a14f2b9d3e0c7a5f8b2e61" {
					t.Errorf("got %v %q, fallback %v", res.Method, res.CPID, res.Fallback)
				}
				return
			}
			var cve *tls.CertificateVerificationError
			if res.Method != URLHash || !errors.As(res.Fallback, &cve) {
				t.Errorf("got %v, fallback %v; want url-hash for a certificate error", res.Method, res.Fallback)
			}
		})
	}
	if creds.TLSConfig != nil {
		t.Error("credentials changed")
	}
}

// TLS options go on a clone: the caller's transport and TLS config stay as
// they were.
func TestDiscoverTLSDoesNotModifyCaller(t *testing.T) {
	k := newTLSKeystone(t, reply(201, fixture(t, "v3-token.json")))
	cfg := &tls.Config{ServerName: "caller"}
	tr := &http.Transport{TLSClientConfig: cfg}
	hc := &http.Client{Transport: tr}
	c := v3Creds(k.URL)
	c.TLSConfig = &tls.Config{}
	res, err := Discover(context.Background(), c, WithHTTPClient(hc), WithInsecure(true))
	if err != nil || res.Method != KeystoneV3Catalog {
		t.Fatalf("got %+v, %v", res, err)
	}
	if hc.Transport != tr || tr.TLSClientConfig != cfg || cfg.InsecureSkipVerify || c.TLSConfig.InsecureSkipVerify {
		t.Error("the caller's client, transport or TLS config was modified")
	}
}
