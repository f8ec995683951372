package guideline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestGuidelinePath(t *testing.T) {
	tests := map[string]string{
		"2020.06.json":     "2020.06.json",
		"next.json":        "next.json",
		"dns.2020.06.json": "add-ons/dns.2020.06.json",
		"dns.next.json":    "add-ons/dns.next.json",
		"2015.next.json":   "add-ons/2015.next.json", // a search, as upstream
		"latest.json":      "latest.json",
		"DNS.2020.06.json": "add-ons/DNS.2020.06.json", // [a-z]* may match nothing before the dot
	}
	for name, want := range tests {
		if got := GuidelinePath(name); got != want {
			t.Errorf("GuidelinePath(%q) = %q, want %q", name, got, want)
		}
	}
}

func ExampleGuidelinePath() {
	fmt.Println(GuidelinePath("2020.06.json"))
	fmt.Println(GuidelinePath("dns.2020.06.json"))
	// Output:
	// 2020.06.json
	// add-ons/dns.2020.06.json
}

func ExampleGitHubURLs() {
	listings, raw, err := GitHubURLs("https://api.github.com/repos/openstack-archive/interop/contents")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Join(listings, "\n"))
	fmt.Println(raw)
	// Output:
	// https://api.github.com/repos/openstack-archive/interop/contents/add-ons
	// https://api.github.com/repos/openstack-archive/interop/contents
	// https://raw.githubusercontent.com/openstack-archive/interop/master/
}

func ExampleNewHTTPSource() {
	// A stand-in for GitHub: two contents API listings and the raw files.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/contents":
			fmt.Fprint(w, `[{"name": "2020.06.json", "path": "2020.06.json", "type": "file"}]`)
		case "/contents/add-ons":
			fmt.Fprint(w, `[{"name": "dns.2020.06.json", "path": "add-ons/dns.2020.06.json", "type": "file"}]`)
		case "/raw/add-ons/dns.2020.06.json":
			fmt.Fprint(w, `{"metadata": {"id": "dns.2020.06"}}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	listings, _, _ := GitHubURLs(srv.URL + "/contents")
	src, err := NewHTTPSource(WithListingURLs(listings...), WithRawBaseURL(srv.URL+"/raw/"))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	l, err := List(ctx, src)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := l.MarshalJSON()
	fmt.Println(string(out))
	data, name, err := Resolve(ctx, src, "dns.2020.06")
	fmt.Println(name, string(data), err)
	// Output:
	// {"dns": [{"name": "2020.06.json", "file": "dns.2020.06.json"}], "powered": [{"name": "2020.06.json", "file": "2020.06.json"}]}
	// dns.2020.06.json {"metadata": {"id": "dns.2020.06"}} <nil>
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestReadCapped(t *testing.T) {
	if data, err := readCapped(io.LimitReader(zeros{}, MaxFileSize)); err != nil || len(data) != MaxFileSize {
		t.Errorf("at the limit: %d bytes, %v", len(data), err)
	}
	if _, err := readCapped(io.LimitReader(zeros{}, MaxFileSize+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("past the limit: %v", err)
	}
}

func TestHTTPErrorRedacts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusForbidden)
	}))
	defer srv.Close()
	u := strings.Replace(srv.URL, "http://", "http://user:secret@", 1)
	s, err := NewHTTPSource(WithListingURLs(u+"/contents"), WithRawBaseURL(u))
	if err != nil {
		t.Fatal(err)
	}
	for _, call := range []func() error{
		func() error { _, err := s.ReadFile(context.Background(), "next.json"); return err },
		func() error { _, err := s.Files(context.Background()); return err },
	} {
		err := call()
		var he *HTTPError
		if !errors.As(err, &he) || he.StatusCode != 403 || strings.Contains(err.Error(), "secret") ||
			!strings.Contains(err.Error(), "403 Forbidden") || !strings.Contains(err.Error(), "user:xxxxx@") {
			t.Errorf("error %v", err)
		}
	}
}
