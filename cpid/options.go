package cpid

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// DefaultTimeout is how long Discover waits for Keystone unless WithTimeout
// says otherwise.
const DefaultTimeout = 30 * time.Second

// maxReply caps the bytes read from any Keystone reply (a large cloud's
// catalog is a few hundred KiB).
const maxReply = 16 << 20

// Option configures Discover. Options are checked when Discover is called; a
// bad one makes Discover return an error before any request.
type Option func(*options) error

type options struct {
	hc       *http.Client // nil: a client on a clone of http.DefaultTransport
	timeout  time.Duration
	insecure *bool
	roots    *x509.CertPool
}

func makeOptions(opts []Option) (*options, error) {
	o := &options{timeout: DefaultTimeout}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("cpid: nil Option")
		}
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// WithHTTPClient sends the requests with c (its Transport, Jar, redirect
// policy; c itself is not modified). TLS settings (WithInsecure, WithCAFile,
// Credentials.TLSConfig) are applied to a clone of its Transport, which must
// then be nil or an *http.Transport. Default: a client on a clone of
// http.DefaultTransport.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error {
		if c == nil {
			return errors.New("cpid: WithHTTPClient: nil client")
		}
		o.hc = c
		return nil
	}
}

// WithTimeout bounds the whole discovery (version discovery and token
// request). When it expires Discover falls back to HashURL, with a Fallback
// that wraps ErrTimeout. Zero means no limit. Default: DefaultTimeout.
func WithTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return fmt.Errorf("cpid: WithTimeout: negative duration %v", d)
		}
		o.timeout = d
		return nil
	}
}

// WithInsecure(true) skips TLS certificate verification (refstack-client's
// -k/--insecure); WithInsecure(false) turns it back on even when the
// Credentials' TLSConfig skips it. Default: as the Credentials say, else verify.
func WithInsecure(insecure bool) Option {
	return func(o *options) error {
		o.insecure = &insecure
		return nil
	}
}

// WithCAFile trusts the PEM certificates in path instead of the system roots
// (python-openstackclient's --os-cacert). The file is read when Discover is
// called; a missing file, or one without a PEM certificate, is an error.
// Default: the Credentials' TLSConfig roots, else the system roots.
func WithCAFile(path string) Option {
	return func(o *options) error {
		pool, err := loadCAFile(path)
		if err != nil {
			return fmt.Errorf("cpid: WithCAFile: %w", err)
		}
		o.roots = pool
		return nil
	}
}

// loadCAFile reads a PEM bundle into a new pool.
func loadCAFile(path string) (*x509.CertPool, error) {
	if path == "" {
		return nil, fmt.Errorf("CA file: %w: empty path", ErrBadValue)
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(bytes.TrimSpace(pem)) {
		return nil, fmt.Errorf("CA file %s: %w: no PEM certificate in it", path, ErrBadValue)
	}
	return pool, nil
}

// client builds the HTTP client for one Discover call from the options and
// the credentials' TLS settings. done releases what it created.
func (o *options) client(base *tls.Config) (hc *http.Client, done func(), err error) {
	c := http.Client{}
	if o.hc != nil {
		c = *o.hc
	}
	rt := c.Transport
	done = func() {}
	if base != nil || o.insecure != nil || o.roots != nil {
		var tr *http.Transport
		switch t := rt.(type) {
		case nil:
			tr = http.DefaultTransport.(*http.Transport).Clone()
		case *http.Transport:
			tr = t.Clone()
		default:
			return nil, nil, fmt.Errorf("cpid: TLS settings need an *http.Transport, and the HTTP client's Transport is a %T", rt)
		}
		cfg := tr.TLSClientConfig
		if base != nil {
			cfg = base
		}
		if cfg == nil {
			cfg = &tls.Config{}
		} else {
			cfg = cfg.Clone()
		}
		if o.insecure != nil {
			cfg.InsecureSkipVerify = *o.insecure
		}
		if o.roots != nil {
			cfg.RootCAs = o.roots
		}
		tr.TLSClientConfig = cfg
		rt = tr
		done = tr.CloseIdleConnections
	}
	if rt == nil {
		rt = http.DefaultTransport
	}
	c.Transport = limitTransport{rt: rt, max: maxReply}
	return &c, done, nil
}

// limitTransport makes every reply body fail once it passes max bytes.
type limitTransport struct {
	rt  http.RoundTripper
	max int64
}

func (t limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, left: t.max, max: t.max}
	return resp, nil
}

type limitedBody struct {
	rc        io.ReadCloser
	left, max int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, b.tooLarge()
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n + int(b.left), b.tooLarge()
	}
	return n, err
}

func (b *limitedBody) tooLarge() error {
	return fmt.Errorf("%w: reply larger than %d bytes", ErrBadReply, b.max)
}

func (b *limitedBody) Close() error { return b.rc.Close() }
