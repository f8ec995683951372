package guideline

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// fakeGitHub serves a GitHub contents API listing under /contents and raw
// files under /raw/, with an ETag, a Last-Modified, or both, and answers
// conditional requests with 304. It records the requests it gets.
type fakeGitHub struct {
	mu       sync.Mutex
	files    map[string]string // path → content ("" key: unused)
	listings map[string]string // URL path → JSON answer
	etag     bool              // send ETag (else only Last-Modified)
	lastMod  bool
	status   int // when non-zero, answer every request with it
	requests []string
	conds    []string // conditional headers seen, "path If-None-Match If-Modified-Since"
}

func newFakeGitHub(t *testing.T) (*fakeGitHub, *httptest.Server) {
	g := &fakeGitHub{
		files: map[string]string{
			"2020.06.json":             `{"id": "2020.06"}`,
			"next.json":                `{"id": "next"}`,
			"add-ons/dns.2020.06.json": `{"id": "dns.2020.06"}`,
		},
		listings: map[string]string{
			"/repos/o/r/contents": `[{"name": "2020.06.json", "path": "2020.06.json", "type": "file"},
				{"name": "add-ons", "path": "add-ons", "type": "dir"},
				{"name": "next.json", "path": "next.json", "type": "file"},
				{"name": "README.md", "path": "README.md", "type": "file"}]`,
			"/repos/o/r/contents/add-ons": `[{"name": "dns.2020.06.json", "path": "add-ons/dns.2020.06.json", "type": "file"}]`,
		},
		etag:    true,
		lastMod: true,
	}
	srv := httptest.NewServer(g) // listens on 127.0.0.1
	t.Cleanup(srv.Close)
	return g, srv
}

func (g *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requests = append(g.requests, r.URL.Path)
	inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
	if inm != "" || ims != "" {
		g.conds = append(g.conds, r.URL.Path+" "+inm+" "+ims)
	}
	if g.status != 0 {
		http.Error(w, "failing on purpose", g.status)
		return
	}
	var body string
	var ok bool
	if p, isRaw := strings.CutPrefix(r.URL.Path, "/raw/"); isRaw {
		body, ok = g.files[p]
	} else {
		body, ok = g.listings[r.URL.Path]
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := etagOf(body)
	const lm = "Wed, 10 Jun 2020 12:00:00 GMT"
	if g.etag {
		w.Header().Set("ETag", etag)
	}
	if g.lastMod {
		w.Header().Set("Last-Modified", lm)
	}
	if (g.etag && inm == etag) || (!g.etag && g.lastMod && ims == lm) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	fmt.Fprint(w, body)
}

// etagOf is the ETag the fake server gives body.
func etagOf(body string) string { return fmt.Sprintf(`"%08x"`, crc32.ChecksumIEEE([]byte(body))) }

func (g *fakeGitHub) take() (requests, conds []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	requests, conds = g.requests, g.conds
	g.requests, g.conds = nil, nil
	return requests, conds
}

func newTestHTTPSource(t *testing.T, srv *httptest.Server, opts ...HTTPOption) *HTTPSource {
	t.Helper()
	listings, _, err := GitHubURLs(srv.URL + "/repos/o/r/contents")
	if err != nil {
		t.Fatal(err)
	}
	opts = append([]HTTPOption{WithListingURLs(listings...), WithRawBaseURL(srv.URL + "/raw/"), WithHTTPClient(srv.Client())}, opts...)
	s, err := NewHTTPSource(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHTTPSourceList(t *testing.T) {
	_, srv := newFakeGitHub(t)
	s := newTestHTTPSource(t, srv)
	l, err := List(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := l.MarshalJSON()
	want := `{"dns": [{"name": "2020.06.json", "file": "dns.2020.06.json"}], "powered": [{"name": "2020.06.json", "file": "2020.06.json"}, {"name": "next.json", "file": "next.json"}]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestHTTPSourceReadFile(t *testing.T) {
	g, srv := newFakeGitHub(t)
	s := newTestHTTPSource(t, srv)
	for name, want := range map[string]string{
		"2020.06.json":     `{"id": "2020.06"}`,
		"dns.2020.06.json": `{"id": "dns.2020.06"}`,
	} {
		got, err := s.ReadFile(context.Background(), name)
		if err != nil || string(got) != want {
			t.Errorf("ReadFile(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if reqs, _ := g.take(); !reflect.DeepEqual(reqs, []string{"/raw/2020.06.json", "/raw/add-ons/dns.2020.06.json"}) &&
		!reflect.DeepEqual(reqs, []string{"/raw/add-ons/dns.2020.06.json", "/raw/2020.06.json"}) {
		t.Errorf("requests %v", reqs)
	}
	_, err := s.ReadFile(context.Background(), "2019.11.json")
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != 404 || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := s.ReadFile(context.Background(), "../x.json"); !errors.Is(err, ErrBadName) {
		t.Errorf("bad name: %v", err)
	}
}

func TestHTTPSourceCache(t *testing.T) {
	for _, mode := range []string{"etag", "last-modified", "both", "neither"} {
		t.Run(mode, func(t *testing.T) {
			g, srv := newFakeGitHub(t)
			g.etag = mode == "etag" || mode == "both"
			g.lastMod = mode == "last-modified" || mode == "both"
			dir := t.TempDir()
			s := newTestHTTPSource(t, srv, WithCacheDir(dir))
			ctx := context.Background()
			first, err := s.ReadFile(ctx, "next.json")
			if err != nil {
				t.Fatal(err)
			}
			if _, conds := g.take(); len(conds) != 0 {
				t.Errorf("first request was conditional: %v", conds)
			}
			again, err := s.ReadFile(ctx, "next.json")
			if err != nil || string(again) != string(first) {
				t.Fatalf("second read = %q, %v; want %q", again, err, first)
			}
			reqs, conds := g.take()
			if len(reqs) != 1 {
				t.Errorf("second read made %d requests, want 1 (revalidation)", len(reqs))
			}
			var wantConds []string
			switch mode {
			case "etag":
				wantConds = []string{"/raw/next.json " + etagOf(string(first)) + " "}
			case "last-modified":
				wantConds = []string{"/raw/next.json  Wed, 10 Jun 2020 12:00:00 GMT"}
			case "both":
				wantConds = []string{"/raw/next.json " + etagOf(string(first)) + " Wed, 10 Jun 2020 12:00:00 GMT"}
			}
			if !reflect.DeepEqual(conds, wantConds) {
				t.Errorf("conditional headers %q, want %q", conds, wantConds)
			}

			// A changed file is fetched again and replaces the cached copy.
			g.mu.Lock()
			g.files["next.json"] = `{"id": "next", "changed": true}`
			g.mu.Unlock()
			changed, err := s.ReadFile(ctx, "next.json")
			if err != nil || string(changed) != `{"id": "next", "changed": true}` {
				if mode != "last-modified" { // same Last-Modified: the server says 304
					t.Errorf("after a change: %q, %v", changed, err)
				}
			}

			g.take()

			// Offline serves the cache without a request.
			off := newTestHTTPSource(t, srv, WithCacheDir(dir), WithOffline())
			got, err := off.ReadFile(ctx, "next.json")
			if err != nil || len(got) == 0 {
				t.Errorf("offline with cache: %q, %v", got, err)
			}
			if reqs, _ := g.take(); len(reqs) != 0 {
				t.Errorf("offline made requests %v", reqs)
			}
		})
	}
}

func TestHTTPSourceOffline(t *testing.T) {
	g, srv := newFakeGitHub(t)
	dir := t.TempDir()
	ctx := context.Background()
	off := newTestHTTPSource(t, srv, WithCacheDir(dir), WithOffline())
	if _, err := off.ReadFile(ctx, "next.json"); !errors.Is(err, ErrNotCached) {
		t.Errorf("offline without cache: %v", err)
	}
	if _, err := List(ctx, off); !errors.Is(err, ErrNotCached) {
		t.Errorf("offline list without cache: %v", err)
	}
	// Fill the cache online, then list offline.
	on := newTestHTTPSource(t, srv, WithCacheDir(dir))
	want, err := List(ctx, on)
	if err != nil {
		t.Fatal(err)
	}
	g.take()
	got, err := List(ctx, off)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("offline list = %v, %v; want %v", got, err, want)
	}
	if reqs, _ := g.take(); len(reqs) != 0 {
		t.Errorf("offline made requests %v", reqs)
	}
	if _, err := NewHTTPSource(WithOffline()); err == nil {
		t.Error("offline without a cache directory: no error")
	}
}

func TestHTTPSourceServerError(t *testing.T) {
	g, srv := newFakeGitHub(t)
	dir := t.TempDir()
	s := newTestHTTPSource(t, srv, WithCacheDir(dir))
	ctx := context.Background()
	if _, err := s.ReadFile(ctx, "next.json"); err != nil {
		t.Fatal(err)
	}
	g.mu.Lock()
	g.status = http.StatusInternalServerError
	g.mu.Unlock()
	for _, call := range []func() error{
		func() error { _, err := s.ReadFile(ctx, "next.json"); return err }, // cached, but the server fails
		func() error { _, err := List(ctx, s); return err },
	} {
		err := call()
		var he *HTTPError
		if !errors.As(err, &he) || he.StatusCode != 500 || !strings.Contains(he.Body, "failing on purpose") || errors.Is(err, fs.ErrNotExist) {
			t.Errorf("server error: %v", err)
		}
	}
}

func TestHTTPSourceBadListing(t *testing.T) {
	for _, body := range []string{`{"message": "API rate limit exceeded"}`, `[{"name": 1}]`, `not json`, ``} {
		g, srv := newFakeGitHub(t)
		g.listings["/repos/o/r/contents"] = body
		s := newTestHTTPSource(t, srv)
		_, err := List(context.Background(), s)
		var le *ListingError
		if !errors.As(err, &le) || !strings.HasSuffix(le.URL, "/repos/o/r/contents") {
			t.Errorf("listing %q: %v", body, err)
		}
	}
}

func TestHTTPSourceContext(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(block) })
	s, err := NewHTTPSource(WithListingURLs(srv.URL+"/contents"), WithRawBaseURL(srv.URL), WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := s.ReadFile(ctx, "next.json"); done <- err }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("canceled read: %v", err)
	}
	if _, err := s.Files(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled listing: %v", err)
	}
}

func TestHTTPSourceCacheCorrupt(t *testing.T) {
	g, srv := newFakeGitHub(t)
	dir := t.TempDir()
	s := newTestHTTPSource(t, srv, WithCacheDir(dir))
	ctx := context.Background()
	if _, err := s.ReadFile(ctx, "next.json"); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("cache holds %d files, want 1", len(entries))
	}
	if err := os.WriteFile(dir+"/"+entries[0].Name(), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	g.take()
	got, err := s.ReadFile(ctx, "next.json")
	if err != nil || string(got) != `{"id": "next"}` {
		t.Errorf("after corruption: %q, %v", got, err)
	}
	if _, conds := g.take(); len(conds) != 0 {
		t.Errorf("a corrupt entry was revalidated: %v", conds)
	}
}

func TestHTTPOptions(t *testing.T) {
	file := t.TempDir() + "/f"
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts []HTTPOption
		ok   bool
	}{
		{"defaults", nil, true},
		{"no listing", []HTTPOption{WithListingURLs()}, false},
		{"relative listing", []HTTPOption{WithListingURLs("/contents")}, false},
		{"ftp raw", []HTTPOption{WithRawBaseURL("ftp://example.org/")}, false},
		{"nil client", []HTTPOption{WithHTTPClient(nil)}, false},
		{"empty cache dir", []HTTPOption{WithCacheDir("")}, false},
		{"cache dir is a file", []HTTPOption{WithCacheDir(file)}, false},
		{"offline alone", []HTTPOption{WithOffline()}, false},
		{"offline with cache", []HTTPOption{WithOffline(), WithCacheDir(t.TempDir())}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewHTTPSource(tt.opts...)
			if (err == nil) != tt.ok {
				t.Errorf("NewHTTPSource: %v, want ok=%v", err, tt.ok)
			}
		})
	}
	s, _ := NewHTTPSource(WithListingURLs("https://a/x", "https://a/y", "https://a/x"))
	if !reflect.DeepEqual(s.listings, []string{"https://a/x", "https://a/y"}) {
		t.Errorf("listings %v", s.listings)
	}
	if got := s.FileURL("dns.next.json"); got != DefaultRawBaseURL+"add-ons/dns.next.json" {
		t.Errorf("FileURL = %s", got)
	}
}

func TestGitHubURLs(t *testing.T) {
	tests := []struct {
		in       string
		listings []string
		raw      string
		ok       bool
	}{
		{DefaultListingURL, []string{DefaultAddOnsListingURL, DefaultListingURL}, DefaultRawBaseURL, true},
		{"https://api.github.com/repos/openstack-archive/interop/contents/?ref=stable",
			[]string{"https://api.github.com/repos/openstack-archive/interop/contents/add-ons?ref=stable", "https://api.github.com/repos/openstack-archive/interop/contents?ref=stable"},
			"https://raw.githubusercontent.com/openstack-archive/interop/stable/", true},
		{"http://127.0.0.1:8080/api/v1/repos/o/r/contents",
			[]string{"http://127.0.0.1:8080/api/v1/repos/o/r/contents/add-ons", "http://127.0.0.1:8080/api/v1/repos/o/r/contents"}, "", true},
		{"/repos/o/r/contents", nil, "", false},
	}
	for _, tt := range tests {
		listings, raw, err := GitHubURLs(tt.in)
		if (err == nil) != tt.ok || !reflect.DeepEqual(listings, tt.listings) || raw != tt.raw {
			t.Errorf("GitHubURLs(%q) = %q, %q, %v", tt.in, listings, raw, err)
		}
	}
}
