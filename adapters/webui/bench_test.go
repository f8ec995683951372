package webui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/internal/testenv"
)

// cachedGuidelines parses each guideline once, as the server's cache does,
// so that the benchmarks measure the pages and not the parsing.
type cachedGuidelines struct {
	Guidelines
	mu   sync.Mutex
	docs map[string]*guideline.Guideline
}

func (c *cachedGuidelines) Get(ctx context.Context, file string) (*guideline.Guideline, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if g, ok := c.docs[file]; ok {
		return g, nil
	}
	g, err := c.Guidelines.Get(ctx, file)
	if err == nil {
		c.docs[file] = g
	}
	return g, err
}

// benchPages serves the published interop guidelines of ../shared and one
// result that passed every test of 2020.06.
func benchPages(b *testing.B) (http.Handler, string) {
	dir := testenv.Shared(b, "fixtures", "interop")
	src, err := guideline.NewDirSource(dir)
	if err != nil {
		b.Fatal(err)
	}
	g := &cachedGuidelines{Guidelines: dirGuidelines{src}, docs: map[string]*guideline.Guideline{}}
	doc, err := g.Get(context.Background(), "2020.06.json")
	if err != nil {
		b.Fatal(err)
	}
	lines, err := doc.TestList(guideline.Query{Target: "platform", Flag: true})
	if err != nil {
		b.Fatal(err)
	}
	nr := storage.NewResult{Meta: map[string]string{"guideline": "2020.06.json", "target": "platform"}}
	seen := map[string]bool{}
	for _, l := range lines {
		name, _, _ := cutID(l)
		if !seen[name] { // a test in two capabilities is listed twice
			seen[name] = true
			nr.Tests = append(nr.Tests, storage.Test{Name: name})
		}
	}
	st := openStore(b)
	res, err := st.CreateResult(context.Background(), nr)
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(Config{Store: st, Guidelines: g})
	if err != nil {
		b.Fatal(err)
	}
	return h, res.ID
}

// cutID splits "name[id]" into its name and id.
func cutID(line string) (name, id string, ok bool) {
	for i := len(line) - 1; i >= 0; i-- {
		if line[i] == '[' {
			return line[:i], line[i+1 : len(line)-1], true
		}
	}
	return line, "", false
}

func benchPage(b *testing.B, h http.Handler, path string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: status %d", path, rec.Code)
	}
	b.SetBytes(int64(rec.Body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
	}
}

// BenchmarkReportPage renders the report of a full run against 2020.06.
func BenchmarkReportPage(b *testing.B) {
	h, id := benchPages(b)
	benchPage(b, h, "/results/"+id)
}

// BenchmarkGuidelinesPage renders 2020.06 with every status.
func BenchmarkGuidelinesPage(b *testing.B) {
	h, _ := benchPages(b)
	benchPage(b, h, "/guidelines?guideline=2020.06.json&opts=1&status=required&status=advisory&status=deprecated&status=removed&alias=1&flag=1")
}

// BenchmarkResultsPage renders the first page of the results list.
func BenchmarkResultsPage(b *testing.B) {
	h, _ := benchPages(b)
	benchPage(b, h, "/")
}
