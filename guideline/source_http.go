package guideline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
)

// RefStack's defaults for its guideline sources (refstack.conf [api]
// additional_capability_urls, github_api_capabilities_url and
// github_raw_base_url). The repository has since moved to
// openstack-archive/interop; GitHub redirects the old URLs.
const (
	DefaultAddOnsListingURL = "https://api.github.com/repos/openstack/interop/contents/add-ons"
	DefaultListingURL       = "https://api.github.com/repos/openstack/interop/contents"
	DefaultRawBaseURL       = "https://raw.githubusercontent.com/openstack/interop/master/"
)

// HTTPSource is a [Source] fetching guidelines over HTTP as RefStack's server
// does: each listing URL answers a GitHub contents API array of {name, path,
// type} and files are fetched from the raw base URL joined with their path.
//
// With a cache directory ([WithCacheDir]) every successful response is kept
// on disk with its ETag and Last-Modified, and later requests for the same
// URL are conditional (If-None-Match, If-Modified-Since): a 304 answer serves
// the cached copy. Offline ([WithOffline]) the cache alone answers, and a URL
// it does not hold fails with [ErrNotCached]. Unlike RefStack, which keeps
// answers in memory for 12 hours and treats failures as empty listings, an
// HTTPSource always revalidates when online and reports every failure. A
// cache directory that cannot be written is not an error: the answer is
// served, just not kept.
type HTTPSource struct {
	listings []string
	raw      string
	hc       *http.Client
	cache    *cache
	offline  bool
}

// HTTPOption configures an [HTTPSource].
type HTTPOption func(*httpOptions) error

type httpOptions struct {
	listings []string
	raw      string
	hc       *http.Client
	cacheDir string
	offline  bool
}

// WithListingURLs sets the GitHub contents API URLs listed, in order (the
// default is RefStack's: [DefaultAddOnsListingURL], then [DefaultListingURL]).
// Repeated URLs are read once. Each must be an absolute http or https URL.
func WithListingURLs(urls ...string) HTTPOption {
	return func(o *httpOptions) error {
		if len(urls) == 0 {
			return errors.New("guideline: no listing URL")
		}
		o.listings = o.listings[:0]
		for _, u := range urls {
			if err := checkURL(u); err != nil {
				return err
			}
			dup := false
			for _, v := range o.listings {
				dup = dup || v == u
			}
			if !dup {
				o.listings = append(o.listings, u)
			}
		}
		return nil
	}
}

// WithRawBaseURL sets the URL that file paths are joined to (default
// [DefaultRawBaseURL]); a trailing slash is optional.
func WithRawBaseURL(u string) HTTPOption {
	return func(o *httpOptions) error {
		if err := checkURL(u); err != nil {
			return err
		}
		o.raw = u
		return nil
	}
}

// WithHTTPClient sets the client making the requests (default
// http.DefaultClient).
func WithHTTPClient(c *http.Client) HTTPOption {
	return func(o *httpOptions) error {
		if c == nil {
			return errors.New("guideline: nil HTTP client")
		}
		o.hc = c
		return nil
	}
}

// WithCacheDir keeps responses in dir, created when needed (default: no
// cache).
func WithCacheDir(dir string) HTTPOption {
	return func(o *httpOptions) error {
		if dir == "" {
			return errors.New("guideline: empty cache directory")
		}
		if err := cacheDirOK(dir); err != nil {
			return fmt.Errorf("guideline: cache: %w", err)
		}
		o.cacheDir = dir
		return nil
	}
}

// WithOffline makes the source answer from its cache only, without any
// request. It needs [WithCacheDir].
func WithOffline() HTTPOption {
	return func(o *httpOptions) error {
		o.offline = true
		return nil
	}
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("guideline: bad URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("guideline: %q is not an http or https URL", u.Redacted())
	}
	return nil
}

// NewHTTPSource returns an HTTP source. Bad or conflicting options (offline
// without a cache directory) fail here.
func NewHTTPSource(opts ...HTTPOption) (*HTTPSource, error) {
	o := httpOptions{
		listings: []string{DefaultAddOnsListingURL, DefaultListingURL},
		raw:      DefaultRawBaseURL,
		hc:       http.DefaultClient,
	}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.offline && o.cacheDir == "" {
		return nil, errors.New("guideline: offline needs a cache directory")
	}
	s := &HTTPSource{listings: o.listings, raw: o.raw, hc: o.hc, offline: o.offline}
	if o.cacheDir != "" {
		s.cache = &cache{dir: o.cacheDir}
	}
	return s, nil
}

// GitHubURLs returns the listing URLs and raw base URL RefStack would use for
// the repository whose GitHub contents API URL is contentsURL
// ("https://api.github.com/repos/OWNER/REPO/contents", with an optional
// ?ref=BRANCH): the add-ons/ listing, then the root listing, and
// https://raw.githubusercontent.com/OWNER/REPO/BRANCH/ (BRANCH defaults to
// master). For another host, such as a GitHub-compatible mirror, raw is ""
// and the caller must give one.
func GitHubURLs(contentsURL string) (listings []string, raw string, err error) {
	if err := checkURL(contentsURL); err != nil {
		return nil, "", err
	}
	u, _ := url.Parse(contentsURL)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	addOns := *u
	addOns.Path += "/add-ons"
	listings = []string{addOns.String(), u.String()}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if u.Host == "api.github.com" && len(parts) == 4 && parts[0] == "repos" && parts[3] == "contents" {
		ref := u.Query().Get("ref")
		if ref == "" {
			ref = "master"
		}
		raw = "https://raw.githubusercontent.com/" + parts[1] + "/" + parts[2] + "/" + ref + "/"
	}
	return listings, raw, nil
}

// String describes the source, for messages.
func (s *HTTPSource) String() string {
	return strings.Join(s.listings, ", ") + " (raw: " + s.raw + ")"
}

// listingEntry is one element of a GitHub contents API array.
type listingEntry struct {
	Name string `json:"name"`
	Path string `json:"path"`
	Type string `json:"type"`
}

// Files fetches every listing URL in order and returns the entries of type
// "file". A listing that is not a JSON array of objects fails with a
// [*ListingError].
func (s *HTTPSource) Files(ctx context.Context) ([]SourceFile, error) {
	var files []SourceFile
	for _, u := range s.listings {
		data, err := s.get(ctx, u)
		if err != nil {
			return nil, err
		}
		var entries []listingEntry
		if err := json.Unmarshal(data, &entries); err != nil {
			return nil, &ListingError{URL: redact(u), Err: err}
		}
		for _, e := range entries {
			if e.Type == "file" {
				files = append(files, SourceFile{Name: e.Name, Path: e.Path})
			}
		}
	}
	return files, nil
}

// ReadFile fetches the raw base URL joined with [GuidelinePath](name).
func (s *HTTPSource) ReadFile(ctx context.Context, name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	return s.get(ctx, s.FileURL(name))
}

// FileURL returns the URL ReadFile fetches for name.
func (s *HTTPSource) FileURL(name string) string {
	p := GuidelinePath(name)
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		segs[i] = url.PathEscape(seg)
	}
	return strings.TrimRight(s.raw, "/") + "/" + strings.Join(segs, "/")
}

// get returns the body of u, through the cache when there is one.
func (s *HTTPSource) get(ctx context.Context, u string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var (
		cached cacheEntry
		body   []byte
		hit    bool
	)
	if s.cache != nil {
		cached, body, hit = s.cache.get(u)
	}
	if s.offline {
		if !hit {
			return nil, fmt.Errorf("guideline: %s: %w", redact(u), ErrNotCached)
		}
		return body, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("guideline: %w", err)
	}
	req.Header.Set("User-Agent", "refstack-go")
	if hit {
		if cached.ETag != "" {
			req.Header.Set("If-None-Match", cached.ETag)
		}
		if cached.LastModified != "" {
			req.Header.Set("If-Modified-Since", cached.LastModified)
		}
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("guideline: %w", err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && hit:
		return body, nil
	case resp.StatusCode != http.StatusOK:
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, &HTTPError{URL: redact(u), StatusCode: resp.StatusCode, Body: string(snippet)}
	}
	data, err := readCapped(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("guideline: %s: %w", redact(u), err)
	}
	if s.cache != nil {
		// A cache that cannot be written costs a later request, not this one.
		_ = s.cache.put(cacheEntry{URL: u, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}, data)
	}
	return data, nil
}

// redact hides the password of a URL.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return u.Redacted()
}

// HTTPError is the error of an HTTP source request answered with a status
// other than 200 (or 304 for a cached copy). A 404 satisfies
// errors.Is(err, fs.ErrNotExist).
type HTTPError struct {
	URL        string // the URL requested, password hidden
	StatusCode int
	Body       string // the start of the answer, at most 512 bytes
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("guideline: GET %s: %d %s", e.URL, e.StatusCode, http.StatusText(e.StatusCode))
}

// Unwrap returns fs.ErrNotExist for a 404, nil otherwise.
func (e *HTTPError) Unwrap() error {
	if e.StatusCode == http.StatusNotFound {
		return fs.ErrNotExist
	}
	return nil
}

// ListingError is the error of a listing URL whose answer is not a GitHub
// contents API array.
type ListingError struct {
	URL string // the listing URL, password hidden
	Err error  // the JSON decoding error
}

func (e *ListingError) Error() string {
	return fmt.Sprintf("guideline: listing %s: not a contents API array: %v", e.URL, e.Err)
}

func (e *ListingError) Unwrap() error { return e.Err }
