package submit

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// uploadServer is a fake RefStack API under /api. Each POST is checked and
// recorded; answer decides the reply to the n-th request (1-based).
type uploadServer struct {
	t      *testing.T
	srv    *httptest.Server
	calls  atomic.Int32
	answer func(n int, w http.ResponseWriter, r *http.Request)
	// what the last request carried
	body           []byte
	sigHex, pubKey string
}

func newUploadServer(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request)) *uploadServer {
	s := &uploadServer{t: t, answer: answer}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.calls.Add(1))
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/results/" || r.URL.RawQuery != "" {
			t.Errorf("request %s %s, want POST /api/v1/results/", r.Method, r.URL)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		s.body, s.sigHex, s.pubKey = body, r.Header.Get(HeaderSignature), r.Header.Get(HeaderPublicKey)
		if s.sigHex != "" || s.pubKey != "" {
			// What the server checks: the signature over the raw body.
			if err := Verify(body, s.sigHex, s.pubKey); err != nil {
				http.Error(w, `{"title": "`+err.Error()+`", "code": 400}`, http.StatusBadRequest)
				return
			}
		}
		s.answer(n, w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func created(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(http.StatusCreated)
	io.WriteString(w, `{"test_id": "2b9c1f7e-0000-4000-8000-000000000001", "url": "https://refstack.example/#/results/2b9c1f7e-0000-4000-8000-000000000001"}`)
}

func refstackError(w http.ResponseWriter, code int, title string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	io.WriteString(w, `{"code": `+strconv.Itoa(code)+`, "title": "`+title+`"}`)
}

func newTestClient(t *testing.T, base string, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(base, append([]Option{WithRetry(3, time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestUploadSigned(t *testing.T) {
	s := testSigner(t)
	body := sample.Body()
	for _, mode := range []string{"WithSigner", "explicit signature", "unsigned"} {
		t.Run(mode, func(t *testing.T) {
			srv := newUploadServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { created(w) })
			var c *Client
			var sig *Signature
			switch mode {
			case "WithSigner":
				c = newTestClient(t, srv.srv.URL+"/api", WithSigner(s))
			case "explicit signature":
				c = newTestClient(t, srv.srv.URL+"/api", WithSigner(generateTestSigner(t))) // the given one wins
				sig, _ = s.Sign(body)
			default:
				c = newTestClient(t, srv.srv.URL+"/api")
			}
			res, err := c.Upload(context.Background(), body, sig)
			if err != nil {
				t.Fatal(err)
			}
			if res.ID != "2b9c1f7e-0000-4000-8000-000000000001" || res.URL != "https://refstack.example/#/results/2b9c1f7e-0000-4000-8000-000000000001" {
				t.Errorf("result %+v", res)
			}
			if !bytes.Equal(srv.body, body) {
				t.Errorf("server got body\n%s\nwant\n%s", srv.body, body)
			}
			if mode == "unsigned" {
				if srv.sigHex != "" || srv.pubKey != "" {
					t.Errorf("unsigned upload carried %q, %q", srv.sigHex, srv.pubKey)
				}
			} else if srv.pubKey != s.PublicKey() {
				t.Errorf("X-Public-Key %q, want %q", srv.pubKey, s.PublicKey())
			}
			if srv.calls.Load() != 1 {
				t.Errorf("%d requests", srv.calls.Load())
			}
		})
	}
}

func TestUploadBadSignatureIsServerError(t *testing.T) {
	srv := newUploadServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { created(w) })
	c := newTestClient(t, srv.srv.URL+"/api")
	sig, _ := testSigner(t).Sign([]byte("another body"))
	_, err := c.Upload(context.Background(), sample.Body(), sig)
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != 400 || !strings.Contains(he.Message, "Signature verification failed") {
		t.Errorf("err = %v, want a 400 *HTTPError with the server's message", err)
	}
}

func TestUploadRetries(t *testing.T) {
	tests := []struct {
		name      string
		answer    func(n int, w http.ResponseWriter, r *http.Request)
		wantCalls int32
		wantErr   string // "" for success
		status    int    // of the *HTTPError
	}{
		{"503 then 201", func(n int, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				refstackError(w, 503, "Service Unavailable")
				return
			}
			created(w)
		}, 2, "", 0},
		{"500 every time", func(_ int, w http.ResponseWriter, _ *http.Request) {
			refstackError(w, 500, "Internal Server Error")
		}, 3, "500 Internal Server Error: Internal Server Error (gave up after 3 attempts)", 500},
		{"400 not retried", func(_ int, w http.ResponseWriter, _ *http.Request) {
			refstackError(w, 400, "Request doesnt correspond to schema")
		}, 1, "400 Bad Request: Request doesnt correspond to schema", 400},
		{"401 not retried", func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(401)
			io.WriteString(w, `{"code": 401, "title": "User with specified key not found. Please log into the RefStack server to upload your key.", "detail": null}`)
		}, 1, "401 Unauthorized: User with specified key not found.", 401},
		{"plain text answer", func(_ int, w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "<html>\n  <body>forbidden\n by proxy</body></html>", 403)
		}, 1, "403 Forbidden: <html> <body>forbidden by proxy</body></html>", 403},
		{"empty answer", func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404) }, 1, "/api/v1/results/: 404 Not Found", 404},
		{"200 is not 201", func(_ int, w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{"test_id": "x"}`) }, 1, "200 OK", 200},
		{"201 without test_id", func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(201)
			io.WriteString(w, `{"url": "x"}`)
		}, 1, "result stored (201) but the answer has no test_id", 0},
		{"network error then 201", func(n int, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
				return
			}
			created(w)
		}, 2, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newUploadServer(t, tt.answer)
			var logs bytes.Buffer
			c := newTestClient(t, srv.srv.URL+"/api", WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			res, err := c.Upload(context.Background(), sample.Body(), nil)
			if got := srv.calls.Load(); got != tt.wantCalls {
				t.Errorf("%d requests, want %d", got, tt.wantCalls)
			}
			if tt.wantErr == "" {
				if err != nil || res.ID == "" {
					t.Errorf("Upload = %+v, %v", res, err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
			var he *HTTPError
			if tt.status != 0 && (!errors.As(err, &he) || he.StatusCode != tt.status || he.Method != "POST") {
				t.Errorf("err = %#v, want an *HTTPError with status %d", err, tt.status)
			}
			if tt.wantCalls > 1 && !strings.Contains(logs.String(), "level=WARN msg=retrying") {
				t.Errorf("no retry logged: %s", logs.String())
			}
			if !bytes.Equal(srv.body, sample.Body()) {
				t.Errorf("last attempt sent %q", srv.body)
			}
		})
	}
}

// A 302 turns the POST into a GET without body: say so, not "200 OK".
func TestUploadRedirected(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			http.Redirect(w, r, "/elsewhere/v1/results/", http.StatusFound)
			return
		}
		io.WriteString(w, `{"results": []}`)
	}))
	t.Cleanup(srv.Close)
	_, err := newTestClient(t, srv.URL+"/api").Upload(context.Background(), sample.Body(), nil)
	if err == nil || !strings.Contains(err.Error(), "was redirected to GET "+srv.URL+"/elsewhere/v1/results/") {
		t.Errorf("err = %v", err)
	}
}

func TestUploadNetworkDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	c := newTestClient(t, "http://"+addr+"/api")
	_, err = c.Upload(context.Background(), sample.Body(), nil)
	var ne net.Error
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), "gave up after 3 attempts") || !strings.Contains(err.Error(), addr) {
		t.Errorf("err = %v, want a network error after 3 attempts naming %s", err, addr)
	}
}

func TestUploadContextCancel(t *testing.T) {
	t.Run("during backoff", func(t *testing.T) {
		srv := newUploadServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { refstackError(w, 502, "Bad Gateway") })
		c, err := NewClient(srv.srv.URL+"/api", WithRetry(5, time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err = c.Upload(ctx, sample.Body(), nil)
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "502 Bad Gateway") {
			t.Errorf("err = %v, want context.Canceled mentioning the last failure", err)
		}
		if d := time.Since(start); d > 10*time.Second || srv.calls.Load() != 1 {
			t.Errorf("took %v and %d requests", d, srv.calls.Load())
		}
	})
	t.Run("during request", func(t *testing.T) {
		release := make(chan struct{})
		srv := newUploadServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		})
		defer close(release)
		c := newTestClient(t, srv.srv.URL+"/api")
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := c.Upload(ctx, sample.Body(), nil)
		if !errors.Is(err, context.DeadlineExceeded) || srv.calls.Load() != 1 {
			t.Errorf("err = %v after %d requests, want DeadlineExceeded after 1", err, srv.calls.Load())
		}
	})
}

func TestUploadEmptyBody(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1/api")
	if _, err := c.Upload(context.Background(), nil, nil); err == nil || !strings.Contains(err.Error(), "empty upload body") {
		t.Errorf("err = %v", err)
	}
}

func TestHTTPErrorRedactsPassword(t *testing.T) {
	srv := newUploadServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { refstackError(w, 400, "no") })
	base := strings.Replace(srv.srv.URL, "http://", "http://user:s3cret@", 1) + "/api"
	_, err := newTestClient(t, base).Upload(context.Background(), sample.Body(), nil)
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "user:xxxxx@") {
		t.Errorf("err = %v, want the password redacted", err)
	}
}

func TestServerMessage(t *testing.T) {
	long := strings.Repeat("é", 400)
	tests := []struct{ body, want string }{
		{`{"title": "Malformed request", "code": 400}`, "Malformed request"},
		{`{"title": "Bad", "detail": "more", "code": 400}`, "Bad: more"},
		{`{"detail": "only detail"}`, "only detail"},
		{`{"code": 400}`, `{"code": 400}`},
		{"", ""},
		{"a\n\tb  c", "a b c"},
		{"\xff", "\ufffd"},
		{long, long[:512] + "..."}, {"a" + long, "a" + long[:510] + "..."},
	}
	for _, tt := range tests {
		if got := serverMessage([]byte(tt.body)); got != tt.want {
			t.Errorf("serverMessage(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestNewClientOptions(t *testing.T) {
	bad := []struct {
		base string
		opts []Option
		want string
	}{
		{"refstack.openstack.org/api", nil, "want an http or https URL"},
		{"ftp://host/api", nil, "want an http or https URL"},
		{"http:///api", nil, "no host"},
		{"http://host/api?x=1", nil, "no query or fragment"},
		{"http://host/api#f", nil, "no query or fragment"},
		{"http://host/%zz", nil, "API URL"},
		{"http://host/api", []Option{nil}, "nil Option"},
		{"http://host/api", []Option{WithHTTPClient(nil)}, "nil HTTP client"},
		{"http://host/api", []Option{WithRetry(0, time.Second)}, "attempts 0"},
		{"http://host/api", []Option{WithRetry(1, 0)}, "backoff 0s"},
		{"http://host/api", []Option{WithSigner(nil)}, "nil Signer"},
		{"http://host/api", []Option{WithLogger(nil)}, "nil logger"},
	}
	for _, tt := range bad {
		if _, err := NewClient(tt.base, tt.opts...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewClient(%q) = %v, want %q", tt.base, err, tt.want)
		}
	}
	// Endpoints are a plain string join, as refstack-client makes them.
	for base, want := range map[string]string{
		"https://refstack.openstack.org/api":  "https://refstack.openstack.org/api/v1/results/",
		"https://refstack.openstack.org/api/": "https://refstack.openstack.org/api//v1/results/",
		"http://localhost:8000":               "http://localhost:8000/v1/results/",
	} {
		c, err := NewClient(base)
		if err != nil || c.resultsEndpoint() != want {
			t.Errorf("NewClient(%q): %v, endpoint %q, want %q", base, err, c.resultsEndpoint(), want)
		}
	}
	c, _ := NewClient("http://h", WithRetry(10, time.Second))
	var waits []time.Duration
	for a := 1; a <= 7; a++ {
		waits = append(waits, c.backoff(a))
	}
	if want := []time.Duration{1e9, 2e9, 4e9, 8e9, 16e9, 30e9, 30e9}; !equalDurations(waits, want) {
		t.Errorf("backoffs %v, want %v", waits, want)
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
