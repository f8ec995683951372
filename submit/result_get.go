package submit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// StoredResult is a result as GET /v1/results/{id} answers it. The server
// returns the names of the passed tests only (never their uuids), and the
// CPID and private metadata only to the result's owner and the foundation.
type StoredResult struct {
	ID                 string            `json:"id"`
	CPID               string            `json:"cpid,omitempty"`
	CreatedAt          string            `json:"created_at"` // in DateFormat, UTC
	DurationSeconds    int64             `json:"duration_seconds"`
	VerificationStatus int               `json:"verification_status"`
	Meta               map[string]string `json:"meta,omitempty"` // "guideline": "2020.06.json", "target": "platform", ...
	ProductVersion     json.RawMessage   `json:"product_version,omitempty"`
	UserRole           string            `json:"user_role,omitempty"` // "foundation", "owner" or "user"
	// Results are the names of the passed tests, in the server's order.
	Results []string `json:"results"`
}

// ErrResultURL is wrapped by the error for a URL that names no result.
var ErrResultURL = errors.New("not a RefStack result URL")

// ParseResultURL splits the URL of a result on a RefStack server into the
// API base URL (for NewClient) and the result id. It accepts the API's form,
// https://host[/prefix]/api/v1/results/<id> (any path ending in
// /v1/results/<id>), and the web UI's, https://host[/prefix]/#/results/<id>,
// whose API is https://host[/prefix]/api (also with Angular's "#!/").
func ParseResultURL(s string) (apiBase, id string, err error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", "", fmt.Errorf("submit: result URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", "", fmt.Errorf("submit: result URL %q: %w: want an http or https URL", s, ErrResultURL)
	}
	root := u.Scheme + "://" + u.Host
	if u.Fragment != "" {
		// The UI: the route is in the fragment, the API beside the page.
		rest, ok := strings.CutPrefix(strings.TrimPrefix(u.Fragment, "!"), "/results/")
		if !ok || u.RawQuery != "" {
			return "", "", fmt.Errorf("submit: result URL %q: %w: want #/results/<id>", s, ErrResultURL)
		}
		if id, err = resultID(s, rest); err != nil {
			return "", "", err
		}
		path := strings.TrimSuffix(u.EscapedPath(), "/")
		path = strings.TrimSuffix(path, "/index.html")
		return root + path + "/api", id, nil
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	i := strings.LastIndex(path, "/v1/results/")
	if i < 0 || u.RawQuery != "" {
		return "", "", fmt.Errorf("submit: result URL %q: %w: want .../v1/results/<id> or .../#/results/<id>", s, ErrResultURL)
	}
	rest, err := url.PathUnescape(path[i+len("/v1/results/"):])
	if err != nil {
		return "", "", fmt.Errorf("submit: result URL %q: %w", s, err)
	}
	if id, err = resultID(s, rest); err != nil {
		return "", "", err
	}
	return root + path[:i], id, nil
}

// resultID checks the id part of a result URL.
func resultID(s, id string) (string, error) {
	switch {
	case id == "":
		return "", fmt.Errorf("submit: result URL %q: %w: no result id", s, ErrResultURL)
	case strings.ContainsAny(id, "/?#"):
		return "", fmt.Errorf("submit: result URL %q: %w: bad result id %q", s, ErrResultURL, id)
	}
	return id, nil
}

// Result fetches a stored result: GET {base}/v1/results/<id>, retried as
// Upload's requests are. An answer other than 200 (404 for an unknown id, 401
// for a private result) is an *HTTPError.
func (c *Client) Result(ctx context.Context, id string) (*StoredResult, error) {
	if id == "" || strings.ContainsAny(id, "/?#") {
		return nil, fmt.Errorf("submit: bad result id %q", id)
	}
	u := c.resultsEndpoint() + url.PathEscape(id)
	var r StoredResult
	data, where, err := c.getJSON(ctx, u, &r)
	if err != nil {
		return nil, err
	}
	if r.Results == nil {
		return nil, fmt.Errorf("submit: GET %s: answer has no \"results\": %q", where, truncate(data))
	}
	return &r, nil
}

// PassedTests fetches a stored result and returns the names of its passed
// tests (see Result).
func (c *Client) PassedTests(ctx context.Context, id string) ([]string, error) {
	r, err := c.Result(ctx, id)
	if err != nil {
		return nil, err
	}
	return r.Results, nil
}

// getJSON GETs u, retried as Upload's requests are, and decodes the answer,
// at most maxAnswer bytes, into v. An answer other than 200 is an
// *HTTPError. It returns the answer and the redacted URL that gave it, for
// the caller's checks of what v holds.
func (c *Client) getJSON(ctx context.Context, u string, v any) (data []byte, where string, err error) {
	resp, err := c.do(ctx, func() (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", userAgent)
		return req, nil
	})
	if err != nil {
		return nil, "", err
	}
	defer drainClose(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, "", newHTTPError(resp.Request, resp)
	}
	where = resp.Request.URL.Redacted()
	data, err = io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, "", fmt.Errorf("submit: GET %s: read answer: %w", where, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return nil, "", fmt.Errorf("submit: GET %s: bad answer: %v: %q", where, err, truncate(data))
	}
	return data, where, nil
}
