package server

import (
	"net/http"
	"strings"
	"testing"
)

func TestCORS(t *testing.T) {
	e := newEnv(t, sqliteStore(t), WithCORSOrigins("https://ui.example.org", "http://localhost:8080"))

	// An allowed origin gets RefStack's headers (plus DELETE), on answers
	// and on errors alike.
	for _, path := range []string{"/v1/results", "/api/v1/results/schema", "/v1/results/nope"} {
		a := e.do(http.MethodGet, path, nil, "Origin", "https://ui.example.org")
		if got := a.header.Get("Access-Control-Allow-Origin"); got != "https://ui.example.org" {
			t.Errorf("GET %s: Allow-Origin %q", path, got)
		}
		if got := a.header.Get("Access-Control-Allow-Credentials"); got != "true" {
			t.Errorf("GET %s: Allow-Credentials %q", path, got)
		}
		if got := a.header.Get("Access-Control-Allow-Methods"); !strings.Contains(got, "DELETE") || !strings.Contains(got, "POST") {
			t.Errorf("GET %s: Allow-Methods %q", path, got)
		}
	}
	if a := e.do(http.MethodGet, "/v1/results/nope", nil, "Origin", "https://ui.example.org"); a.status != http.StatusNotFound {
		t.Errorf("CORS changed the answer: %d", a.status)
	}

	// Other origins, near misses included, get none.
	for _, origin := range []string{"https://evil.example.org", "https://ui.example.org:443", "http://ui.example.org", ""} {
		a := e.do(http.MethodGet, "/v1/results", nil, "Origin", origin)
		if got := a.header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("origin %q got Allow-Origin %q", origin, got)
		}
		if a.status != http.StatusOK {
			t.Errorf("origin %q: status %d", origin, a.status)
		}
		if !strings.Contains(strings.Join(a.header.Values("Vary"), ","), "Origin") {
			t.Errorf("origin %q: no Vary: Origin", origin)
		}
	}

	// A preflight is answered for an allowed origin, without credentials.
	a := e.do(http.MethodOptions, "/v1/results/abc/meta/shared", nil,
		"Origin", "http://localhost:8080", "Access-Control-Request-Method", "DELETE",
		"Access-Control-Request-Headers", "authorization")
	if a.status != http.StatusNoContent || a.header.Get("Access-Control-Allow-Origin") != "http://localhost:8080" ||
		!strings.Contains(a.header.Get("Access-Control-Allow-Headers"), "authorization") {
		t.Errorf("preflight: %d %v", a.status, a.header)
	}
	// ... and not for another one.
	a = e.do(http.MethodOptions, "/v1/results", nil, "Origin", "https://evil.example.org", "Access-Control-Request-Method", "POST")
	if a.status == http.StatusNoContent || a.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another origin: %d %v", a.status, a.header)
	}
}

func TestCORSOriginsChecked(t *testing.T) {
	for _, bad := range []string{"ui.example.org", "https://ui.example.org/", "https://ui.example.org/app", "ftp://x", "https://u:p@x", "*"} {
		if err := WithCORSOrigins(bad)(&options{}); err == nil {
			t.Errorf("origin %q accepted", bad)
		}
	}
	var o options
	if err := WithCORSOrigins("https://a.example", "http://127.0.0.1:8000")(&o); err != nil || len(o.corsOrigins) != 2 {
		t.Errorf("good origins: %v %v", err, o.corsOrigins)
	}
}

// Without origins configured, no CORS header is ever sent (RefStack's
// default, an empty allowed_cors_origins).
func TestNoCORSByDefault(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	a := e.do(http.MethodGet, "/v1/results", nil, "Origin", "https://ui.example.org")
	if got := a.header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("Allow-Origin %q without configured origins", got)
	}
}
