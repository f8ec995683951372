package webui

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// FuzzParseDate checks that any filter bound is read or refused with an
// error, and that a bare date bounds the whole day.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"", "2023-05-01", "2023-05-01 12:30:00", "2023-02-30", "yesterday", "2023-5-1", "9999-12-31", "0000-01-01 00:00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, errS := parseDate(s, false)
		end, errE := parseDate(s, true)
		if (errS == nil) != (errE == nil) {
			t.Fatalf("%q: start error %v, end error %v", s, errS, errE)
		}
		if errS != nil {
			if start != nil || end != nil {
				t.Fatalf("%q: a bound and an error", s)
			}
			return
		}
		if (start == nil) != (s == "") || (end == nil) != (s == "") {
			t.Fatalf("%q: bounds %v %v", s, start, end)
		}
		if start != nil && end.Before(*start) {
			t.Fatalf("%q: end %v before start %v", s, end, start)
		}
	})
}

// FuzzPages checks that no query makes a page fail with a server error.
func FuzzPages(f *testing.F) {
	fx := newFixture(f)
	h := fx.handler(f, testGuidelines(f))
	for _, s := range []string{"", "page=2", "page=-1", "start_date=2024-03-01&end_date=2024-03-01", "target=dns&guideline=next", "filter=flagged", "status=removed&opts=1&flag=1", "guideline=../../etc/passwd", "guideline=%00"} {
		f.Add("/", s)
		f.Add("/results/"+fx.compliant, s)
		f.Add("/guidelines", s)
	}
	f.Fuzz(func(t *testing.T, path, query string) {
		if path != "/" && path != "/guidelines" && path != "/results/"+fx.compliant {
			path = "/results/" + url.PathEscape(path)
		}
		req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1"+path+"?"+query, nil)
		if err != nil {
			t.Skip("not a request URL")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= http.StatusInternalServerError {
			t.Fatalf("%s?%s: status %d", path, query, rec.Code)
		}
	})
}
