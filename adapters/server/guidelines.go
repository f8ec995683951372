package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/refstack-go/refstack/guideline"
)

// DefaultGuidelinesTTL is how long a listing or a file is served from
// memory before the source is asked again, RefStack's 12 hours.
const DefaultGuidelinesTTL = 12 * time.Hour

// maxMissing bounds the remembered names of files a source does not have.
const maxMissing = 1024

// ErrNoGuideline is wrapped by the errors of Guidelines for a file the
// source does not have (with fs.ErrNotExist).
var ErrNoGuideline = errors.New("no such guideline")

// Guidelines keeps the listing and the parsed files of a guideline.Source
// in memory for a time, so that the API and the UI do not ask the source
// (GitHub, say) on every request. Concurrent requests for the same thing
// make one read. It implements the Guidelines interface of package webui.
type Guidelines struct {
	src   guideline.Source
	ttl   time.Duration
	now   func() time.Time
	group singleflight.Group

	mu      sync.Mutex
	listing *guideline.Listing
	listed  time.Time
	files   map[string]*cachedFile // by file name ("2020.06.json")
}

type cachedFile struct {
	data    []byte
	doc     *guideline.Guideline // nil when missing is set
	missing bool
	read    time.Time
}

// NewGuidelines returns a cache over src keeping what it reads for ttl
// (DefaultGuidelinesTTL when 0). Errors are not kept; a file the source
// does not have is remembered as missing for ttl.
func NewGuidelines(src guideline.Source, ttl time.Duration) (*Guidelines, error) {
	if src == nil {
		return nil, errors.New("server: nil guideline source")
	}
	if ttl < 0 {
		return nil, fmt.Errorf("server: negative guideline TTL %v", ttl)
	}
	if ttl == 0 {
		ttl = DefaultGuidelinesTTL
	}
	return &Guidelines{src: src, ttl: ttl, now: time.Now, files: map[string]*cachedFile{}}, nil
}

// List returns the listing RefStack's GET /v1/guidelines answers.
func (g *Guidelines) List(ctx context.Context) (*guideline.Listing, error) {
	g.mu.Lock()
	if g.listing != nil && g.now().Sub(g.listed) < g.ttl {
		l := g.listing
		g.mu.Unlock()
		return l, nil
	}
	g.mu.Unlock()
	v, err, _ := g.group.Do("\x00list", func() (any, error) {
		l, err := guideline.List(context.WithoutCancel(ctx), g.src)
		if err != nil {
			return nil, err
		}
		g.mu.Lock()
		g.listing, g.listed = l, g.now()
		g.mu.Unlock()
		return l, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*guideline.Listing), nil
}

// FileName returns the file name RefStack reads for a guideline named in a
// URL: "2020.06" and "2020.06.json" are "2020.06.json" (guideline.FileName).
// It fails for names that are not plain file names.
func FileName(name string) (string, error) {
	file, err := guideline.FileName(name)
	if err != nil {
		return "", fmt.Errorf("%q: %w", name, guideline.ErrBadName)
	}
	return file, nil
}

// Get returns a parsed guideline by file name ("2020.06.json",
// "dns.2020.06.json") or name ("2020.06"). A guideline the source does not
// have is an error wrapping ErrNoGuideline and fs.ErrNotExist.
func (g *Guidelines) Get(ctx context.Context, name string) (*guideline.Guideline, error) {
	f, _, err := g.file(ctx, name)
	if err != nil {
		return nil, err
	}
	return f.doc, nil
}

// Raw returns the content of a guideline file as the source has it, and its
// file name.
func (g *Guidelines) Raw(ctx context.Context, name string) ([]byte, string, error) {
	f, file, err := g.file(ctx, name)
	if err != nil {
		return nil, file, err
	}
	return f.data, file, nil
}

// file returns the cached file of a guideline name and its file name ("" for
// a name that is not a plain file name).
func (g *Guidelines) file(ctx context.Context, name string) (*cachedFile, string, error) {
	file, err := FileName(name)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrNoGuideline, err)
	}
	g.mu.Lock()
	f := g.files[file]
	g.mu.Unlock()
	if f == nil || g.now().Sub(f.read) >= g.ttl {
		v, err, _ := g.group.Do(file, func() (any, error) { return g.read(context.WithoutCancel(ctx), file) })
		if err != nil {
			return nil, file, err
		}
		f = v.(*cachedFile)
	}
	if f.missing {
		return nil, file, fmt.Errorf("guideline %s: %w (%w)", file, ErrNoGuideline, fs.ErrNotExist)
	}
	return f, file, nil
}

func (g *Guidelines) read(ctx context.Context, file string) (*cachedFile, error) {
	f := &cachedFile{read: g.now()}
	data, err := g.src.ReadFile(ctx, file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.missing = true
	case err != nil:
		return nil, fmt.Errorf("guideline %s: %w", file, err)
	default:
		doc, err := guideline.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("guideline %s: %w", file, err)
		}
		f.data, f.doc = data, doc
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if f.missing {
		n := 0
		for k, v := range g.files {
			if v.missing {
				n++
				if n >= maxMissing {
					delete(g.files, k)
				}
			}
		}
	}
	g.files[file] = f
	return f, nil
}

// listGuidelines is GET /v1/guidelines.
func (s *Server) listGuidelines(w http.ResponseWriter, r *http.Request) {
	l, err := s.guidelines.List(r.Context())
	if err != nil {
		// RefStack answers an empty listing; an error says what failed.
		s.log.Warn("guideline listing", "error", err)
		s.fail(w, r, failure(http.StatusBadGateway, "The server was unable to get a list of guidelines from the external source.", err.Error()))
		return
	}
	data, err := l.MarshalJSON() // RefStack's bytes, spacing included
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentJSON)
	_, _ = w.Write(data)
}

// getGuideline is GET /v1/guidelines/{file}: the file as the source has it.
func (s *Server) getGuideline(w http.ResponseWriter, r *http.Request) {
	const title = "The server was unable to get the JSON content for the specified guideline file."
	data, _, err := s.guidelines.Raw(r.Context(), r.PathValue("file"))
	switch {
	case errors.Is(err, ErrNoGuideline):
		s.fail(w, r, failure(http.StatusNotFound, title, err.Error()))
		return
	case err != nil:
		s.log.Warn("guideline file", "error", err)
		s.fail(w, r, failure(http.StatusBadGateway, title, err.Error()))
		return
	}
	w.Header().Set("Content-Type", contentJSON)
	_, _ = w.Write(data)
}

// guidelineTests is GET /v1/guidelines/{file}/tests: RefStack's plain-text
// test list, with its plain-text answers (status 200) for a guideline it
// cannot read and an unknown target.
func (s *Server) guidelineTests(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	g, err := s.guidelines.Get(r.Context(), name)
	if err != nil {
		if !errors.Is(err, ErrNoGuideline) {
			s.log.Warn("guideline file", "error", err)
		}
		_, _ = w.Write([]byte("Error getting JSON content for version: " + name))
		return
	}
	_, _ = w.Write([]byte(g.TestListText(guideline.QueryFromValues(r.URL.Query()))))
}
