package submit

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// listServer serves total pages of 2 results each under /api/v1/results/
// and records the raw queries it got.
type listServer struct {
	mu      sync.Mutex
	queries []string
	srv     *httptest.Server
}

func newListServer(t *testing.T, total int, answer func(page int, w http.ResponseWriter) bool) *listServer {
	s := &listServer{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.queries = append(s.queries, r.URL.RawQuery)
		s.mu.Unlock()
		if r.Method != http.MethodGet || r.URL.Path != "/api/v1/results/" {
			t.Errorf("request %s %s", r.Method, r.URL)
		}
		var page int
		if _, err := fmt.Sscanf(r.URL.Query().Get("page"), "%d", &page); err != nil {
			t.Errorf("page %q", r.URL.Query().Get("page"))
		}
		if answer != nil && answer(page, w) {
			return
		}
		if page > max(total, 1) {
			w.WriteHeader(400)
			io.WriteString(w, `{"code": 400, "title": "Invalid page number: The page number is greater than the total number of pages."}`)
			return
		}
		var items []string
		for i := 1; i <= 2 && total > 0; i++ {
			id := fmt.Sprintf("r%d-%d", page, i)
			items = append(items, fmt.Sprintf(`{"id": %q, "created_at": "2015-04-2%d 01:23:5%d", "duration_seconds": %d, "verification_status": 0, "meta": {"shared": "true"}, "product_version": null, "url": "https://refstack.example/#/results/%s"}`, id, page, i, page*10+i, id))
		}
		fmt.Fprintf(w, `{"results": [%s], "pagination": {"current_page": %d, "total_pages": %d}}`, strings.Join(items, ", "), page, total)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func TestListPaging(t *testing.T) {
	srv := newListServer(t, 3, nil)
	c := newTestClient(t, srv.srv.URL+"/api")
	q := ListQuery{
		Start: time.Date(2015, 4, 24, 1, 23, 56, 0, time.UTC),
		End:   time.Date(2015, 4, 25, 3, 0, 0, 0, time.FixedZone("CEST", 2*3600)), // sent in UTC
		CPID:  "a7fd82e1",
	}
	var ids []string
	for r, err := range c.List(context.Background(), q) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
		if r.URL != "https://refstack.example/#/results/"+r.ID || r.Meta["shared"] != "true" || r.DurationSeconds == 0 || r.CreatedAt == "" {
			t.Errorf("result %+v", r)
		}
	}
	if want := "r1-1 r1-2 r2-1 r2-2 r3-1 r3-2"; strings.Join(ids, " ") != want {
		t.Errorf("ids %v, want %s", ids, want)
	}
	// refstack-client's order: page, start_date, end_date, cpid; form-encoded.
	var want []string
	for p := 1; p <= 3; p++ {
		want = append(want, fmt.Sprintf("page=%d&start_date=2015-04-24+01%%3A23%%3A56&end_date=2015-04-25+01%%3A00%%3A00&cpid=a7fd82e1", p))
	}
	if strings.Join(srv.queries, "\n") != strings.Join(want, "\n") {
		t.Errorf("queries\n%s\nwant\n%s", strings.Join(srv.queries, "\n"), strings.Join(want, "\n"))
	}
}

func TestListPages(t *testing.T) {
	tests := []struct {
		name     string
		total    int
		answer   func(page int, w http.ResponseWriter) bool
		pages    int    // pages yielded without error
		requests int    // requests made
		err      string // error yielded last
	}{
		{"no results", 0, nil, 1, 1, ""}, // total_pages 0: no request for page 2
		{"one page", 1, nil, 1, 1, ""},
		{"error on page 2", 3, func(page int, w http.ResponseWriter) bool {
			if page == 2 {
				w.WriteHeader(403)
				io.WriteString(w, `{"code": 403, "title": "Forbidden."}`)
				return true
			}
			return false
		}, 1, 2, "403 Forbidden: Forbidden."},
		{"5xx retried then ok", 2, func() func(int, http.ResponseWriter) bool {
			failed := false
			return func(page int, w http.ResponseWriter) bool {
				if page == 2 && !failed {
					failed = true
					w.WriteHeader(502)
					return true
				}
				return false
			}
		}(), 2, 3, ""},
		{"no pagination", 2, func(_ int, w http.ResponseWriter) bool {
			io.WriteString(w, `{"results": []}`)
			return true
		}, 0, 1, "answer has no pagination"},
		{"not JSON", 2, func(_ int, w http.ResponseWriter) bool {
			io.WriteString(w, `<html>`)
			return true
		}, 0, 1, "bad answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newListServer(t, tt.total, tt.answer)
			c := newTestClient(t, srv.srv.URL+"/api")
			pages := 0
			var last error
			for p, err := range c.Pages(context.Background(), ListQuery{}) {
				if err != nil {
					last = err
					continue
				}
				pages++
				if p.Number != pages || p.TotalPages != tt.total {
					t.Errorf("page %+v", p)
				}
			}
			if pages != tt.pages || len(srv.queries) != tt.requests {
				t.Errorf("%d pages in %d requests (%q), want %d in %d", pages, len(srv.queries), srv.queries, tt.pages, tt.requests)
			}
			if tt.err == "" && last != nil || tt.err != "" && (last == nil || !strings.Contains(last.Error(), tt.err)) {
				t.Errorf("error %v, want %q", last, tt.err)
			}
			if srv.queries[0] != "page=1" {
				t.Errorf("first query %q, want page=1", srv.queries[0])
			}
		})
	}
}

func TestListStopsEarly(t *testing.T) {
	srv := newListServer(t, 5, nil)
	c := newTestClient(t, srv.srv.URL+"/api")
	n := 0
	for _, err := range c.List(context.Background(), ListQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			break
		}
	}
	if len(srv.queries) != 2 {
		t.Errorf("%d requests for 3 results, want 2", len(srv.queries))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range c.List(ctx, ListQuery{}) {
		if err == nil || !strings.Contains(err.Error(), "context canceled") {
			t.Errorf("cancelled: %v", err)
		}
	}
}
