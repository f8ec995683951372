package webui

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// pageNames are the templates that each make a page with layout.html.
var pageNames = []string{"results", "report", "guidelines", "error"}

// pages holds one template set per page: layout.html and the selector
// parts (selector.html) plus the page.
type pages struct {
	sets map[string]*template.Template
}

func parsePages(fsys fs.FS) (*pages, error) {
	p := &pages{sets: make(map[string]*template.Template, len(pageNames))}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(fsys, "templates/layout.html", "templates/selector.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		p.sets[name] = t
	}
	return p, nil
}

// funcs are the helpers the templates call.
var funcs = template.FuncMap{
	"pct":      percent,
	"shortID":  shortID,
	"utc":      func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") + " UTC" },
	"version":  func(s string) string { return strings.TrimSuffix(s, ".json") },
	"title":    title,
	"program":  programLabel,
	"join":     strings.Join,
	"inc":      func(i int) int { return i + 1 },
	"contains": func(list []string, s string) bool { return indexOf(list, s) >= 0 },
}

// page is what layout.html renders around a page's content.
type page struct {
	Title string // the <title> and the main heading
	Nav   string // the active navigation entry: "results" or "guidelines"
	Data  any    // the page's own data
}

// render writes a whole page with status, or a 500 page when the template
// fails: the page is rendered to a buffer first, so a failure never leaves
// half a page behind.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	var buf bytes.Buffer
	if err := s.pages.sets[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.ErrorContext(r.Context(), "webui: rendering failed", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error rendering the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// errorData is the content of error.html.
type errorData struct {
	Status  int
	Message string
	Links   []link
}

type link struct{ Href, Text string }

// errorPage answers status with a page stating message. err, when not nil,
// is logged (for 5xx answers) and not shown: it may hold internal details.
func (s *server) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, message string, err error) {
	if err != nil && status >= 500 {
		s.log.ErrorContext(r.Context(), "webui: "+heading, "path", r.URL.Path, "status", status, "err", err)
	}
	s.render(w, r, status, "error", page{Title: heading, Data: errorData{
		Status:  status,
		Message: message,
		Links:   []link{{"/", "Community results"}, {"/guidelines", "Guidelines"}},
	}})
}

// percent formats a percentage with one decimal as RefStack's page does;
// NaN (no tests to count) is "n/a".
func percent(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "n/a"
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + "%"
}

// shortID abbreviates a result id as RefStack's list does: the first and
// last 8 characters.
func shortID(id string) string {
	if len(id) <= 19 {
		return id
	}
	return id[:8] + "..." + id[len(id)-8:]
}

// title capitalises the first letter ("required" → "Required").
func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
