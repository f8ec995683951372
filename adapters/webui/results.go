package webui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/refstack-go/refstack/adapters/storage"
)

// perPage is RefStack's page size of the results list.
const perPage = 20

// pagerWidth is how many page links the pager shows, as RefStack's.
const pagerWidth = 5

// resultsData is the content of results.html.
type resultsData struct {
	StartDate, EndDate string // as typed, to refill the form
	Errors             []string
	Rows               []resultRow
	Total              int
	Page, Pages        int
	Pager              []pageLink
	Prev, Next         string // hrefs, "" when there is none
	First, Last        string
	Filtered           bool
}

type resultRow struct {
	ID        string
	CreatedAt time.Time
	Guideline string // meta guideline, "" when not set
	Target    string // meta target
	Verified  bool
}

type pageLink struct {
	Number  int
	Href    string
	Current bool
}

// resultsList serves the community results: the public results, newest
// first, 20 a page, with an inclusive upload-date filter. Bad parameters
// are shown on the page with status 400.
func (s *server) resultsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := resultsData{StartDate: strings.TrimSpace(q.Get("start_date")), EndDate: strings.TrimSpace(q.Get("end_date"))}
	f := storage.ResultFilter{Visibility: storage.Public, Limit: perPage}

	start, err := parseDate(d.StartDate, false)
	if err != nil {
		d.Errors = append(d.Errors, "Start date: "+err.Error())
	}
	end, err := parseDate(d.EndDate, true)
	if err != nil {
		d.Errors = append(d.Errors, "End date: "+err.Error())
	}
	if start != nil && end != nil && start.After(*end) {
		d.Errors = append(d.Errors, "The start date is after the end date.")
	}
	f.Start, f.End = start, end
	d.Filtered = start != nil || end != nil

	d.Page = 1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			d.Errors = append(d.Errors, fmt.Sprintf("Page %q is not a number.", v))
		case n <= 0:
			d.Errors = append(d.Errors, "The page number must be 1 or more.")
		default:
			d.Page = n
		}
	}
	if len(d.Errors) > 0 {
		d.Page = 0
		s.render(w, r, http.StatusBadRequest, "results", page{Title: "Community test results", Nav: "results", Data: d})
		return
	}

	f.Offset = (d.Page - 1) * perPage
	list, total, err := s.store.ListResults(r.Context(), f)
	if err != nil {
		s.errorPage(w, r, http.StatusInternalServerError, "Results unavailable", "The results cannot be read from the database right now.", err)
		return
	}
	d.Total = total
	d.Pages = max(1, (total+perPage-1)/perPage)
	if d.Page > d.Pages {
		d.Errors = append(d.Errors, fmt.Sprintf("There is no page %d: the results fill %d page(s).", d.Page, d.Pages))
		d.Page = 0
		s.render(w, r, http.StatusNotFound, "results", page{Title: "Community test results", Nav: "results", Data: d})
		return
	}
	for _, res := range list {
		d.Rows = append(d.Rows, resultRow{
			ID:        res.ID,
			CreatedAt: res.CreatedAt,
			Guideline: res.Meta["guideline"],
			Target:    res.Meta["target"],
			Verified:  res.VerificationStatus == 1,
		})
	}
	d.pager()
	s.render(w, r, http.StatusOK, "results", page{Title: "Community test results", Nav: "results", Data: d})
}

// pager fills the page links: a window of pagerWidth pages around the
// current one, and first, previous, next and last.
func (d *resultsData) pager() {
	href := func(n int) string {
		v := url.Values{}
		if d.StartDate != "" {
			v.Set("start_date", d.StartDate)
		}
		if d.EndDate != "" {
			v.Set("end_date", d.EndDate)
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return "/"
		}
		return "/?" + v.Encode()
	}
	lo := max(1, d.Page-pagerWidth/2)
	hi := min(d.Pages, lo+pagerWidth-1)
	lo = max(1, hi-pagerWidth+1)
	for n := lo; n <= hi; n++ {
		d.Pager = append(d.Pager, pageLink{Number: n, Href: href(n), Current: n == d.Page})
	}
	if d.Page > 1 {
		d.Prev, d.First = href(d.Page-1), href(1)
	}
	if d.Page < d.Pages {
		d.Next, d.Last = href(d.Page+1), href(d.Pages)
	}
}

// Date forms accepted by the filter: the date of the form's date inputs,
// and RefStack's API format.
const (
	dateLayout     = "2006-01-02"
	dateTimeLayout = "2006-01-02 15:04:05"
)

var errDate = errors.New("expected a date as YYYY-MM-DD")

// parseDate reads a filter bound. A bare date covers the whole day: it is
// the day's first second as a start and its last second as an end, as
// RefStack's page sends them. "" is no bound.
func parseDate(s string, end bool) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(dateTimeLayout, s); err == nil {
		return &t, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", s, errDate)
	}
	if end {
		t = t.Add(24*time.Hour - time.Second)
	}
	return &t, nil
}
