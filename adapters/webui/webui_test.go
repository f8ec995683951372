package webui

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestNewConfig(t *testing.T) {
	st := openStore(t)
	g := testGuidelines(t)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no store", Config{Guidelines: g}, "Config.Store is nil"},
		{"no guidelines", Config{Store: st}, "Config.Guidelines is nil"},
		{"relative prefix", Config{Store: st, Guidelines: g, APIPrefix: "v1"}, `Config.APIPrefix "v1" is not an absolute path`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestRoutes checks the static files, unknown pages and methods, and the
// headers every page gets.
func TestRoutes(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, testGuidelines(t))
	tests := []struct {
		method, path string
		code         int
		ctype        string
		want         string
	}{
		{"GET", "/static/style.css", 200, "text/css; charset=utf-8", "--badge-yes"},
		{"GET", "/static/app.js", 200, "text/javascript; charset=utf-8", "#\\/results\\/"},
		{"GET", "/static/", 404, "", ""},
		{"GET", "/static/nothing.js", 404, "", ""},
		{"GET", "/about", 404, "text/html; charset=utf-8", "There is no page at /about."},
		{"GET", "/results/", 404, "text/html; charset=utf-8", "There is no page at /results/."},
		{"POST", "/", 405, "", ""},
		{"HEAD", "/guidelines", 200, "text/html; charset=utf-8", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.code {
				t.Errorf("status %d, want %d", rec.Code, tt.code)
			}
			if tt.ctype != "" {
				if got := rec.Header().Get("Content-Type"); got != tt.ctype {
					t.Errorf("content type %q, want %q", got, tt.ctype)
				}
			}
			if !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("body does not contain %q", tt.want)
			}
			if tt.method == "HEAD" && rec.Body.Len() != 0 {
				t.Error("HEAD answered with a body")
			}
			if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("content security policy %q", csp)
			}
		})
	}
}

// TestPagesAccessible checks a few structural points of every page: one
// main heading, a language, labelled form controls.
func TestPagesAccessible(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, testGuidelines(t))
	for _, path := range []string{"/", "/results/" + f.compliant, "/guidelines", "/nothing"} {
		_, body := get(t, h, path)
		if n := count(body, "<h1>"); n != 1 {
			t.Errorf("%s: %d h1 elements", path, n)
		}
		mustContain(t, body, `<html lang="en">`, `<main id="main"`)
		// Every select and text input sits in a label.
		if n, m := count(body, `<select`), count(body, `<label>[A-Za-z ]+\s*<select`); n != m {
			t.Errorf("%s: %d selects, %d labelled", path, n, m)
		}
		if n := count(body, ` style=`); n != 0 {
			t.Errorf("%s: %d inline styles (the content security policy blocks them)", path, n)
		}
	}
}
