package submit

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Client talks to one RefStack API. It is safe for concurrent use.
type Client struct {
	base string // the API base URL as given: endpoints are base + "/v1/..."
	opts options
}

// Option configures a Client. Options are checked by NewClient.
type Option func(*options) error

type options struct {
	hc       *http.Client
	attempts int
	backoff  time.Duration
	signer   *Signer
	log      *slog.Logger
}

// Defaults of a Client.
const (
	DefaultAttempts = 3
	DefaultBackoff  = time.Second
	DefaultTimeout  = 2 * time.Minute
	// maxBackoff caps the wait between two attempts.
	maxBackoff = 30 * time.Second
)

func defaultOptions() options {
	return options{
		hc:       &http.Client{Timeout: DefaultTimeout},
		attempts: DefaultAttempts,
		backoff:  DefaultBackoff,
		log:      slog.New(slog.DiscardHandler),
	}
}

// WithHTTPClient sets the HTTP client (default: a client of its own with a
// DefaultTimeout of 2 minutes per request and the default transport). Set
// TLS options, proxies and timeouts on it.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error {
		if c == nil {
			return errors.New("submit: nil HTTP client")
		}
		o.hc = c
		return nil
	}
}

// WithRetry sets how many times a request is tried in all (attempts >= 1;
// default DefaultAttempts, 3) and the wait before the first retry (backoff >
// 0; default DefaultBackoff, 1 s). The wait doubles at every retry, up to 30
// s. Only network errors and 5xx answers are retried.
func WithRetry(attempts int, backoff time.Duration) Option {
	return func(o *options) error {
		if attempts < 1 {
			return fmt.Errorf("submit: retry attempts %d: want at least 1", attempts)
		}
		if backoff <= 0 {
			return fmt.Errorf("submit: retry backoff %v: want more than 0", backoff)
		}
		o.attempts, o.backoff = attempts, backoff
		return nil
	}
}

// WithSigner makes Upload sign every body it is not given a signature for
// (default: uploads are not signed).
func WithSigner(s *Signer) Option {
	return func(o *options) error {
		if s == nil {
			return errors.New("submit: nil Signer")
		}
		o.signer = s
		return nil
	}
}

// WithLogger logs each request and its answer at Debug level and each retry
// at Warn level (default: no logging).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return errors.New("submit: nil logger")
		}
		o.log = l
		return nil
	}
}

// NewClient returns a Client for the RefStack API at baseURL, such as
// https://refstack.openstack.org/api. baseURL must be an absolute http or
// https URL without query or fragment; it is used as a plain string prefix
// ("/v1/results/" is appended), as refstack-client uses it.
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	switch {
	case err != nil:
		return nil, fmt.Errorf("submit: API URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("submit: API URL %q: want an http or https URL", baseURL)
	case u.Host == "":
		return nil, fmt.Errorf("submit: API URL %q: no host", baseURL)
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, fmt.Errorf("submit: API URL %q: must have no query or fragment", baseURL)
	}
	o := defaultOptions()
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("submit: nil Option")
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	return &Client{base: baseURL, opts: o}, nil
}

// resultsEndpoint is refstack-client's '%s/v1/results/' % url.
func (c *Client) resultsEndpoint() string { return c.base + "/v1/results/" }
