package webui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/refstack-go/refstack/adapters/storage"
)

// TestResultsList checks the public list: newest first, 20 a page, private
// results left out, no cloud id.
func TestResultsList(t *testing.T) {
	st := openStore(t)
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	var ids []string // oldest first
	for i := range 45 {
		meta := map[string]string{"guideline": "2020.06.json", "target": "compute"}
		if i%9 == 4 {
			meta = map[string]string{"user": "openid-x"} // private
		}
		r, err := st.CreateResult(context.Background(), storage.NewResult{CPID: secretCPID, CreatedAt: base.Add(time.Duration(i) * 24 * time.Hour), Meta: meta})
		if err != nil {
			t.Fatal(err)
		}
		if i%9 != 4 {
			ids = append(ids, r.ID)
		}
	}
	h, err := New(Config{Store: st, Guidelines: offlineGuidelines{}})
	if err != nil {
		t.Fatal(err)
	}
	// 40 public results: pages of 20 and 20.
	code, body := get(t, h, "/")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if got := attr(t, body, "summary", "data-total") + " " + attr(t, body, "summary", "data-pages"); got != "40 2" {
		t.Errorf("total and pages %q, want 40 2", got)
	}
	rows := rowIDs(body)
	if len(rows) != 20 || rows[0] != ids[39] || rows[19] != ids[20] {
		t.Errorf("page 1 rows %d, first %s last %s; want 20, %s … %s", len(rows), rows[0], rows[len(rows)-1], ids[39], ids[20])
	}
	mustNotContain(t, body, secretCPID)
	mustContain(t, body, `<a href="/?page=2" rel="next">`, `<span aria-current="page" class="current">1</span>`,
		"<td>2023-02-14 00:00:00 UTC</td>", "<td>OpenStack Powered Compute</td>", "<td>2020.06</td>",
		`<a href="/results/`+ids[39]+`" title="`+ids[39]+`"><code>`+shortID(ids[39])+`</code></a>`)

	code, body = get(t, h, "/?page=2")
	if code != http.StatusOK {
		t.Fatalf("page 2: status %d", code)
	}
	rows = rowIDs(body)
	if len(rows) != 20 || rows[0] != ids[19] || rows[19] != ids[0] {
		t.Errorf("page 2 rows %d", len(rows))
	}
	mustContain(t, body, `<a href="/" rel="prev">`, `<a href="/" rel="first">`)
	mustNotContain(t, body, `rel="next"`)
}

func rowIDs(body string) []string {
	var ids []string
	for _, m := range regexpAll(body, `<tr data-id="([^"]+)">`) {
		ids = append(ids, m[1])
	}
	return ids
}

// TestResultsDateFilter checks the upload-date filter: inclusive days, the
// paging links keep it, and bad input is shown with status 400.
func TestResultsDateFilter(t *testing.T) {
	st := openStore(t)
	base := time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := range 30 { // one a day from May 1, at 00:00 on even days, 23:59:59 on odd ones
		at := base.Add(time.Duration(i) * 24 * time.Hour)
		if i%2 == 1 {
			at = at.Add(24*time.Hour - time.Second)
		}
		if _, err := st.CreateResult(context.Background(), storage.NewResult{CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	h, err := New(Config{Store: st, Guidelines: offlineGuidelines{}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		code  int
		total string // data-total, "" for an error
		want  []string
	}{
		{"start_date=2023-05-02&end_date=2023-05-03", 200, "2", []string{`value="2023-05-02"`, `value="2023-05-03"`, `<a href="/">Clear</a>`}},
		{"start_date=2023-05-10", 200, "21", []string{`href="/?page=2&amp;start_date=2023-05-10" rel="next"`}},
		{"end_date=2023-05-01", 200, "1", nil},
		{"start_date=2023-05-02 00:00:00&end_date=2023-05-02 23:59:58", 200, "0", []string{"No results were uploaded in these dates."}},
		{"start_date=2024-01-01", 200, "0", nil},
		{"start_date=yesterday", 400, "", []string{"Start date: &#34;yesterday&#34;: expected a date as YYYY-MM-DD"}},
		{"end_date=2023-02-30", 400, "", []string{"End date: &#34;2023-02-30&#34;"}},
		{"start_date=2023-05-03&end_date=2023-05-02", 400, "", []string{"The start date is after the end date."}},
		{"page=two", 400, "", []string{"Page &#34;two&#34; is not a number."}},
		{"page=0", 400, "", []string{"The page number must be 1 or more."}},
		{"page=3", 404, "", []string{"There is no page 3: the results fill 2 page(s)."}},
		{"page=1&start_date=2030-01-01", 200, "0", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			code, body := get(t, h, "/?"+strings.ReplaceAll(tt.query, " ", "%20"))
			if code != tt.code {
				t.Errorf("status %d, want %d", code, tt.code)
			}
			if tt.total != "" {
				if got := attr(t, body, "summary", "data-total"); got != tt.total {
					t.Errorf("total %s, want %s", got, tt.total)
				}
			} else {
				mustContain(t, body, `id="errors"`)
				mustNotContain(t, body, `id="summary"`)
			}
			mustContain(t, body, tt.want...)
		})
	}
}

// failingStore fails every listing and read, as a database gone away.
type failingStore struct{ storage.Store }

var errDB = errors.New("database is locked")

func (failingStore) ListResults(context.Context, storage.ResultFilter) ([]storage.Result, int, error) {
	return nil, 0, errDB
}
func (failingStore) Result(context.Context, string) (storage.Result, error) {
	return storage.Result{}, errDB
}

func TestResultsStoreFailure(t *testing.T) {
	h, err := New(Config{Store: failingStore{}, Guidelines: offlineGuidelines{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/results/x"} {
		code, body := get(t, h, path)
		if code != http.StatusInternalServerError {
			t.Errorf("%s: status %d, want 500", path, code)
		}
		mustContain(t, body, "cannot be read from the database right now")
		mustNotContain(t, body, errDB.Error())
	}
}

func TestPager(t *testing.T) {
	tests := []struct {
		page, pages int
		want        string
	}{
		{1, 1, "[1*]"},
		{1, 9, "[1* 2 3 4 5]"},
		{3, 9, "[1 2 3* 4 5]"},
		{5, 9, "[3 4 5* 6 7]"},
		{9, 9, "[5 6 7 8 9*]"},
		{2, 3, "[1 2* 3]"},
	}
	for _, tt := range tests {
		d := resultsData{Page: tt.page, Pages: tt.pages}
		d.pager()
		var got []string
		for _, p := range d.Pager {
			s := fmt.Sprint(p.Number)
			if p.Current {
				s += "*"
			}
			got = append(got, s)
		}
		if s := fmt.Sprint(got); s != tt.want {
			t.Errorf("page %d of %d: %s, want %s", tt.page, tt.pages, s, tt.want)
		}
	}
}
