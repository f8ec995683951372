package webui

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/guideline"
)

// Guidelines is what the pages need of a guideline source. adapters/server
// implements it with its cache; tests build it on a guideline.Source.
type Guidelines interface {
	// List returns the guideline files by group, as GET /v1/guidelines.
	List(ctx context.Context) (*guideline.Listing, error)
	// Get returns a guideline by file name ("2020.06.json",
	// "dns.2020.06.json") or name ("2020.06").
	Get(ctx context.Context, file string) (*guideline.Guideline, error)
}

// Config is what New needs.
type Config struct {
	// Store holds the results. Required.
	Store storage.Store
	// Guidelines gives the guideline listing and documents. Required.
	Guidelines Guidelines
	// APIPrefix is where the API is mounted, for the test-list download
	// links ("/v1" when empty).
	APIPrefix string
	// Logger receives the errors the pages answer with a 5xx status
	// (discarded when nil).
	Logger *slog.Logger
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// server holds what the handlers share; it is read-only after New.
type server struct {
	store     storage.Store
	guides    Guidelines
	apiPrefix string
	log       *slog.Logger
	pages     *pages
}

// New returns the handler of the web pages. Mount it at "/": its links are
// absolute paths (/results/<id>, /guidelines, /static/...).
func New(cfg Config) (http.Handler, error) {
	if cfg.Store == nil {
		return nil, errors.New("webui: Config.Store is nil")
	}
	if cfg.Guidelines == nil {
		return nil, errors.New("webui: Config.Guidelines is nil")
	}
	prefix := strings.TrimRight(cfg.APIPrefix, "/")
	if prefix == "" {
		prefix = "/v1"
	}
	if !strings.HasPrefix(prefix, "/") {
		return nil, fmt.Errorf("webui: Config.APIPrefix %q is not an absolute path", cfg.APIPrefix)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p, err := parsePages(templateFS)
	if err != nil {
		return nil, fmt.Errorf("webui: %w", err)
	}
	s := &server{store: cfg.Store, guides: cfg.Guidelines, apiPrefix: prefix, log: log, pages: p}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("webui: %w", err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.resultsList)
	mux.HandleFunc("GET /results/{id}", s.report)
	mux.HandleFunc("GET /guidelines", s.guidelinesPage)
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler(static)))
	mux.HandleFunc("GET /", s.notFound)
	return secure(mux), nil
}

// staticHandler serves the embedded files with a cache lifetime of an hour:
// they change only with the binary.
func staticHandler(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// secure adds the headers every page gets. The content security policy
// allows only our own script and style sheet: even if user data ever
// escaped into the markup, no inline script or style would run.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "Page not found", "There is no page at "+r.URL.Path+".", nil)
}
