package submit

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DateFormat is how a RefStack server writes and reads dates: UTC, no zone.
const DateFormat = "2006-01-02 15:04:05"

// ListQuery selects the results Pages and List return. The zero value
// selects all the results the server shows.
type ListQuery struct {
	// Start and End bound the results' created_at, both inclusive, in
	// whole seconds; a zero time sets no bound. They are sent in UTC.
	Start, End time.Time
	// CPID keeps only the results of this cloud; "" keeps all.
	CPID string
}

// Page is one page of results, newest first.
type Page struct {
	Number     int // 1-based
	TotalPages int
	Results    []ListedResult
}

// ListedResult is a result as the server lists it. The server leaves out the
// CPID and, unless the caller owns the result, private metadata.
type ListedResult struct {
	ID                 string            `json:"id"`
	CreatedAt          string            `json:"created_at"` // in DateFormat, UTC
	DurationSeconds    int64             `json:"duration_seconds"`
	VerificationStatus int               `json:"verification_status"`
	Meta               map[string]string `json:"meta,omitempty"`
	ProductVersion     json.RawMessage   `json:"product_version,omitempty"`
	URL                string            `json:"url"`
}

// Pages returns an iterator over the pages of results: GET
// {base}/v1/results/?page=N, with start_date, end_date and cpid when the
// query sets them, from page 1 until page >= total_pages (so one request when
// the server has none). Each request is retried as Upload's are. An error
// (an *HTTPError for an unexpected answer) is yielded last.
func (c *Client) Pages(ctx context.Context, q ListQuery) iter.Seq2[*Page, error] {
	return func(yield func(*Page, error) bool) {
		for n := 1; ; n++ {
			p, err := c.page(ctx, q, n)
			if !yield(p, err) || err != nil || n >= p.TotalPages {
				return
			}
		}
	}
}

// List returns an iterator over the results of every page (see Pages).
func (c *Client) List(ctx context.Context, q ListQuery) iter.Seq2[*ListedResult, error] {
	return func(yield func(*ListedResult, error) bool) {
		for p, err := range c.Pages(ctx, q) {
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range p.Results {
				if !yield(&p.Results[i], nil) {
					return
				}
			}
		}
	}
}

// listURL is refstack-client's request: page first, then start_date,
// end_date and cpid when set, form-encoded.
func (c *Client) listURL(q ListQuery, page int) string {
	var b strings.Builder
	b.WriteString(c.resultsEndpoint())
	b.WriteString("?page=")
	b.WriteString(strconv.Itoa(page))
	add := func(key, value string) {
		if value != "" {
			b.WriteString("&" + key + "=" + url.QueryEscape(value))
		}
	}
	add("start_date", formatDate(q.Start))
	add("end_date", formatDate(q.End))
	add("cpid", q.CPID)
	return b.String()
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(DateFormat)
}

// page fetches page n.
func (c *Client) page(ctx context.Context, q ListQuery, n int) (*Page, error) {
	u := c.listURL(q, n)
	var ans struct {
		Results    []ListedResult `json:"results"`
		Pagination *struct {
			CurrentPage int `json:"current_page"`
			TotalPages  int `json:"total_pages"`
		} `json:"pagination"`
	}
	data, where, err := c.getJSON(ctx, u, &ans)
	if err != nil {
		return nil, err
	}
	if ans.Pagination == nil {
		return nil, fmt.Errorf("submit: GET %s: answer has no pagination: %q", where, truncate(data))
	}
	return &Page{Number: n, TotalPages: ans.Pagination.TotalPages, Results: ans.Results}, nil
}
