package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/refstack-go/refstack/adapters/storage"
)

// Defaults of a Server.
const (
	DefaultResultsPerPage  = 20       // RefStack's results_per_page
	DefaultMaxBodyBytes    = 16 << 20 // a JSON upload, a metadata value, a key
	DefaultMaxSubunitBytes = 1 << 30  // a subunit upload, read as a stream
	DefaultShutdownTimeout = 30 * time.Second
)

// Timeouts bound the time a connection may take. Zero fields take the
// defaults of DefaultTimeouts.
type Timeouts struct {
	ReadHeader time.Duration // reading a request's headers (default 10 s)
	Read       time.Duration // reading a whole request, body included (default 5 min)
	Write      time.Duration // from the end of the headers to the end of the answer (default 5 min)
	Idle       time.Duration // a kept-alive connection waiting for its next request (default 2 min)
	Shutdown   time.Duration // Serve's wait for requests in flight once its context is done (default 30 s)
}

// DefaultTimeouts are the timeouts of a Server made without WithTimeouts.
func DefaultTimeouts() Timeouts {
	return Timeouts{ReadHeader: 10 * time.Second, Read: 5 * time.Minute, Write: 5 * time.Minute, Idle: 2 * time.Minute, Shutdown: DefaultShutdownTimeout}
}

// Server serves RefStack's API v1 over a Store and a guideline cache. Make
// one with New; it is safe for concurrent use.
type Server struct {
	store      storage.Store
	guidelines *Guidelines
	log        *slog.Logger
	now        func() time.Time

	uiURL       string // base of result URLs; "" means from the request's Host
	perPage     int
	maxBody     int64
	maxSubunit  int64
	anonymous   bool
	openReg     bool
	admins      map[string]bool // admin key blobs (base64)
	adminKeys   []adminKey
	ui          http.Handler
	timeouts    Timeouts
	resultsPath string // UI path of a result: uiURL + resultsPath + id
	corsOrigins []string
	handler     http.Handler
}

type options struct {
	log         *slog.Logger
	now         func() time.Time
	uiURL       string
	perPage     int
	maxBody     int64
	maxSubunit  int64
	anonymous   bool
	openReg     bool
	adminKeys   []string
	ui          http.Handler
	timeouts    Timeouts
	corsOrigins []string
}

// Option configures a Server. Options are checked by New.
type Option func(*options) error

// WithLogger logs every request (Info), and internal errors (Error), to l
// (default: nothing is logged).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return errors.New("server: nil logger")
		}
		o.log = l
		return nil
	}
}

// WithClock sets the clock that stamps uploads and checks token expiry
// (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return errors.New("server: nil clock")
		}
		o.now = now
		return nil
	}
}

// WithUIURL sets the base URL of the web UI, which the url of each result
// is made from: <base>/#/results/<id>, as RefStack's (default: http://
// and the Host the request was sent to).
func WithUIURL(u string) Option {
	return func(o *options) error {
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			return fmt.Errorf("server: UI URL %q: want an http:// or https:// URL", u)
		}
		o.uiURL = strings.TrimRight(u, "/")
		return nil
	}
}

// WithResultsPerPage sets the page size of GET /v1/results (default
// DefaultResultsPerPage; 1 to 1000).
func WithResultsPerPage(n int) Option {
	return func(o *options) error {
		if n < 1 || n > 1000 {
			return fmt.Errorf("server: results per page %d: want 1 to 1000", n)
		}
		o.perPage = n
		return nil
	}
}

// WithMaxBodyBytes limits the body of a JSON upload, a metadata value and
// a key registration (default DefaultMaxBodyBytes); larger requests get 413.
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error {
		if n < 1024 {
			return fmt.Errorf("server: body limit %d bytes: want at least 1024", n)
		}
		o.maxBody = n
		return nil
	}
}

// WithMaxSubunitBytes limits the body of a subunit upload, which is read as
// a stream (default DefaultMaxSubunitBytes); larger uploads get 413.
func WithMaxSubunitBytes(n int64) Option {
	return func(o *options) error {
		if n < 1024 {
			return fmt.Errorf("server: subunit limit %d bytes: want at least 1024", n)
		}
		o.maxSubunit = n
		return nil
	}
}

// WithAnonymousUploads says whether uploads without a registered key's
// signature are stored (default true, RefStack's enable_anonymous_upload).
func WithAnonymousUploads(on bool) Option {
	return func(o *options) error { o.anonymous = on; return nil }
}

// WithOpenRegistration says whether POST /v1/profile/pubkeys without
// credentials registers a new user owning the key (default true). When
// false, only a signed-in user adds keys, and new users come from the
// admins (who register a key on behalf of anyone).
func WithOpenRegistration(on bool) Option {
	return func(o *options) error { o.openReg = on; return nil }
}

// WithAdminKeys names the foundation admins by their OpenSSH public keys,
// lines of the form "ssh-rsa AAAA... [comment]" (blank lines and lines
// starting with # are skipped). The users owning one of these keys have the
// foundation role, and so does a token signed by one of them whoever it
// names.
func WithAdminKeys(lines ...string) Option {
	return func(o *options) error {
		for _, l := range lines {
			if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			if _, err := parseAdminKey(l); err != nil {
				return fmt.Errorf("server: admin key %q: %w", abbrev(l, 40), err)
			}
			o.adminKeys = append(o.adminKeys, l)
		}
		return nil
	}
}

// WithUI serves h for every path outside /v1 and /api (default: a JSON 404).
func WithUI(h http.Handler) Option {
	return func(o *options) error {
		if h == nil {
			return errors.New("server: nil UI handler")
		}
		o.ui = h
		return nil
	}
}

// WithTimeouts sets the connection timeouts of Serve; zero fields keep
// their defaults (DefaultTimeouts).
func WithTimeouts(t Timeouts) Option {
	return func(o *options) error {
		for _, d := range []time.Duration{t.ReadHeader, t.Read, t.Write, t.Idle, t.Shutdown} {
			if d < 0 {
				return fmt.Errorf("server: negative timeout %v", d)
			}
		}
		o.timeouts = t
		return nil
	}
}

// New returns a Server storing results in store and answering guideline
// requests from g.
func New(store storage.Store, g *Guidelines, opts ...Option) (*Server, error) {
	if store == nil {
		return nil, errors.New("server: nil store")
	}
	if g == nil {
		return nil, errors.New("server: nil guidelines")
	}
	o := options{
		log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		now:        time.Now,
		perPage:    DefaultResultsPerPage,
		maxBody:    DefaultMaxBodyBytes,
		maxSubunit: DefaultMaxSubunitBytes,
		anonymous:  true,
		openReg:    true,
	}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	t := DefaultTimeouts()
	for _, p := range []struct{ dst, src *time.Duration }{
		{&t.ReadHeader, &o.timeouts.ReadHeader}, {&t.Read, &o.timeouts.Read}, {&t.Write, &o.timeouts.Write},
		{&t.Idle, &o.timeouts.Idle}, {&t.Shutdown, &o.timeouts.Shutdown},
	} {
		if *p.src > 0 {
			*p.dst = *p.src
		}
	}
	s := &Server{
		store: store, guidelines: g, log: o.log, now: o.now,
		uiURL: o.uiURL, perPage: o.perPage, maxBody: o.maxBody, maxSubunit: o.maxSubunit,
		anonymous: o.anonymous, openReg: o.openReg, admins: map[string]bool{},
		ui: o.ui, timeouts: t, resultsPath: "/#/results/", corsOrigins: o.corsOrigins,
	}
	for _, l := range o.adminKeys {
		k, _ := parseAdminKey(l) // checked by the option
		s.adminKeys = append(s.adminKeys, k)
		s.admins[k.blob] = true
	}
	s.handler = s.routes()
	return s, nil
}

// Handler returns the server's handler: the API at /v1 and /api/v1, the UI
// (WithUI) everywhere else.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully: it stops accepting connections, lets the requests in flight
// finish (up to the shutdown timeout, then closes them) and returns nil.
// It returns an error when ln fails. Serve closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.timeouts.ReadHeader,
		ReadTimeout:       s.timeouts.Read,
		WriteTimeout:      s.timeouts.Write,
		IdleTimeout:       s.timeouts.Idle,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		// Requests in flight keep going when ctx is done: shutdown waits
		// for them.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", slog.Duration("timeout", s.timeouts.Shutdown))
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeouts.Shutdown)
	defer cancel()
	err := hs.Shutdown(sctx)
	if err != nil {
		_ = hs.Close()
		err = fmt.Errorf("server: shutdown: %w", err)
	}
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = fmt.Errorf("server: %w", serr)
	}
	return err
}

// abbrev shortens s to n bytes for messages.
func abbrev(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
