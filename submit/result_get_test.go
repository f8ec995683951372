package submit

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestParseResultURL(t *testing.T) {
	for _, tc := range []struct{ in, base, id string }{
		{"https://refstack.openstack.org/api/v1/results/2a3b4c5d-0000-4000-8000-123456789abc", "https://refstack.openstack.org/api", "2a3b4c5d-0000-4000-8000-123456789abc"},
		{"https://refstack.openstack.org/api/v1/results/abc/", "https://refstack.openstack.org/api", "abc"},
		{"https://refstack.openstack.org/#/results/abc", "https://refstack.openstack.org/api", "abc"},
		{"https://refstack.openstack.org/#!/results/abc", "https://refstack.openstack.org/api", "abc"},
		{"http://127.0.0.1:8000/refstack/#/results/abc", "http://127.0.0.1:8000/refstack/api", "abc"},
		{"http://127.0.0.1:8000/refstack/index.html#/results/abc", "http://127.0.0.1:8000/refstack/api", "abc"},
		{"http://host/v1/results/a%20b", "http://host", "a b"},
	} {
		base, id, err := ParseResultURL(tc.in)
		if err != nil || base != tc.base || id != tc.id {
			t.Errorf("ParseResultURL(%q) = %q, %q, %v; want %q, %q", tc.in, base, id, err, tc.base, tc.id)
		}
	}
	for _, in := range []string{
		"", "refstack.openstack.org/#/results/abc", "ftp://host/api/v1/results/abc", "https:///api/v1/results/abc",
		"https://host/api/v1/results/", "https://host/#/results/", "https://host/#/results/a/b", "https://host/#/guidelines",
		"https://host/api/v1/guidelines/2020.06", "https://host/api/v1/results/abc?x=1", "https://host/api/v1/results/a%2Fb", "http://[::1",
	} {
		if base, id, err := ParseResultURL(in); err == nil {
			t.Errorf("ParseResultURL(%q) = %q, %q, want an error", in, base, id)
		} else if !strings.HasPrefix(err.Error(), "submit: ") {
			t.Errorf("ParseResultURL(%q): %v", in, err)
		}
	}
}

func TestResult(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			t.Errorf("method %s", r.Method)
		}
		switch r.URL.EscapedPath() {
		case "/api/v1/results/r1":
			io.WriteString(w, `{"id": "r1", "created_at": "2020-06-11 10:00:00", "duration_seconds": 42, "verification_status": 0,
				"meta": {"guideline": "2020.06.json", "target": "compute"}, "product_version": null, "user_role": "user",
				"results": ["t.b", "t.a"]}`)
		case "/api/v1/results/private":
			w.WriteHeader(401)
			io.WriteString(w, `{"code": 401, "title": "Unauthorized", "detail": "Only owner or foundation can see this result"}`)
		case "/api/v1/results/garbage":
			io.WriteString(w, `<html>`)
		case "/api/v1/results/noresults":
			io.WriteString(w, `{"id": "noresults"}`)
		default:
			w.WriteHeader(404)
			io.WriteString(w, `{"code": 404, "title": "Not Found", "detail": "Test result missing not found"}`)
		}
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL+"/api")
	ctx := context.Background()
	r, err := c.Result(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "r1" || r.Meta["target"] != "compute" || r.DurationSeconds != 42 || !slices.Equal(r.Results, []string{"t.b", "t.a"}) {
		t.Errorf("got %+v", r)
	}
	names, err := c.PassedTests(ctx, "r1")
	if err != nil || !slices.Equal(names, []string{"t.b", "t.a"}) {
		t.Errorf("PassedTests = %q, %v", names, err)
	}
	for id, code := range map[string]int{"private": 401, "missing": 404} {
		_, err := c.Result(ctx, id)
		var he *HTTPError
		if !errors.As(err, &he) || he.StatusCode != code || he.Message == "" {
			t.Errorf("%s: %v, want an *HTTPError %d with the server's message", id, err, code)
		}
	}
	for _, id := range []string{"garbage", "noresults"} {
		if _, err := c.Result(ctx, id); err == nil || !strings.Contains(err.Error(), "/api/v1/results/"+id) {
			t.Errorf("%s: %v, want an error naming the URL", id, err)
		}
	}
	if _, err := c.Result(ctx, "a/b"); err == nil {
		t.Error("id a/b: no error")
	}
}

func FuzzParseResultURL(f *testing.F) {
	for _, s := range []string{"https://refstack.openstack.org/#/results/abc", "https://h/api/v1/results/x", "http://h/p/#!/results/a%20b", "https://h/v1/results/%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		base, id, err := ParseResultURL(s)
		if err != nil {
			return
		}
		if id == "" || strings.ContainsAny(id, "/?#") {
			t.Fatalf("%q: id %q", s, id)
		}
		if _, err := NewClient(base); err != nil {
			t.Fatalf("%q: base %q does not make a client: %v", s, base, err)
		}
	})
}
