package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/submit"
)

// role is what a caller may do with a result, RefStack's result roles.
type role int

const (
	roleNone       role = iota
	roleUser            // may see it: anonymous upload, shared, or own
	roleOwner           // uploaded it with a key of theirs
	roleFoundation      // foundation admin
)

func (r role) String() string {
	switch r {
	case roleUser:
		return "user"
	case roleOwner:
		return "owner"
	case roleFoundation:
		return "foundation"
	}
	return ""
}

// roleFor returns the caller's role on a result.
func (c *caller) roleFor(res storage.Result) role {
	if c.admin {
		return roleFoundation
	}
	user, hasUser := res.Meta[metaUser]
	if c.authenticated() && hasUser && user == c.openid {
		return roleOwner
	}
	if _, shared := res.Meta[metaShared]; !hasUser || shared {
		return roleUser
	}
	return roleNone
}

// Metadata keys: user is set at upload; the others are writable by the
// owner (RefStack's rw_access_keys).
const (
	metaUser      = "user"
	metaShared    = "shared"
	metaGuideline = "guideline"
	metaTarget    = "target"
)

func writableKey(k string) bool {
	return k == metaShared || k == metaGuideline || k == metaTarget
}

// visibleMeta returns the metadata a role sees: all for owners and admins,
// the writable keys for others.
func visibleMeta(m map[string]string, r role) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if r >= roleOwner || writableKey(k) {
			out[k] = v
		}
	}
	return out
}

// loadResult returns a stored result, 404 when there is none.
func (s *Server) loadResult(ctx context.Context, id string) (storage.Result, error) {
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		return storage.Result{}, failure(http.StatusNotFound, fmt.Sprintf("Test result %s not found", id), "")
	}
	res, err := s.store.Result(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return res, failure(http.StatusNotFound, fmt.Sprintf("Test result %s not found", id), "")
	}
	return res, err
}

// visibleResult loads a stored result (404 when there is none) with the
// caller's role in it. A caller who may not see it gets an error answering
// private: RefStack says 401 for the result and its score, 403 for its
// metadata.
func (s *Server) visibleResult(r *http.Request, id string, private int) (storage.Result, role, error) {
	res, err := s.loadResult(r.Context(), id)
	if err != nil {
		return res, roleNone, err
	}
	rl := callerOf(r).roleFor(res)
	if rl == roleNone {
		return res, rl, abortf(private, msgPrivate)
	}
	return res, rl, nil
}

// ownedResult loads a stored result (404 when there is none) for a caller
// who owns it or is an admin, with the caller's role (see ownerOf).
func (s *Server) ownedResult(r *http.Request, id string) (storage.Result, role, error) {
	res, err := s.loadResult(r.Context(), id)
	if err != nil {
		return res, roleNone, err
	}
	rl, err := ownerOf(callerOf(r), res)
	return res, rl, err
}

// resultURL is where the UI shows a result.
func (s *Server) resultURL(r *http.Request, id string) string {
	base := s.uiURL
	if base == "" {
		base = "http://" + r.Host
	}
	return base + s.resultsPath + id
}

func formatTime(t time.Time) string { return t.UTC().Format(submit.DateFormat) }

// listItem is a result in GET /v1/results.
type listItem struct {
	ID                 string            `json:"id"`
	CreatedAt          string            `json:"created_at"`
	DurationSeconds    int64             `json:"duration_seconds"`
	VerificationStatus int               `json:"verification_status"`
	Meta               map[string]string `json:"meta"`
	ProductVersion     *struct{}         `json:"product_version"` // always null: no products here
	URL                string            `json:"url"`
}

type pagination struct {
	CurrentPage int `json:"current_page"`
	TotalPages  int `json:"total_pages"`
}

type listAnswer struct {
	Results    []listItem `json:"results"`
	Pagination pagination `json:"pagination"`
}

// pythonDateFormat is how RefStack names its input_date_format in errors.
const pythonDateFormat = "%Y-%m-%d %H:%M:%S"

// listResults is GET /v1/results.
func (s *Server) listResults(w http.ResponseWriter, r *http.Request) {
	c, q := callerOf(r), r.URL.Query()
	f := storage.ResultFilter{Visibility: storage.Public}
	for _, p := range []struct {
		name string
		dst  **time.Time
	}{{"start_date", &f.Start}, {"end_date", &f.End}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		t, err := time.Parse(submit.DateFormat, v)
		if err != nil {
			s.fail(w, r, failure(http.StatusBadRequest, fmt.Sprintf("Invalid date format: time data %q does not match format %q", v, pythonDateFormat),
				fmt.Sprintf("%s: want YYYY-MM-DD HH:MM:SS (UTC)", p.name)))
			return
		}
		*p.dst = &t
	}
	if f.Start != nil && f.End != nil && f.Start.After(*f.End) {
		s.fail(w, r, failure(http.StatusBadRequest, "Invalid dates: start_date more than end_date", ""))
		return
	}
	f.CPID = q.Get("cpid")
	if _, ok := q["signed"]; ok {
		if !c.authenticated() {
			s.fail(w, r, failure(http.StatusBadRequest, "To see signed test results you need to authenticate", msgNeedsLogin))
			return
		}
		f.Visibility, f.User = storage.OwnedBy, c.openid
	}
	if v := q.Get("verification_status"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.fail(w, r, failure(http.StatusBadRequest, "Invalid verification_status value: "+v, "verification_status: want 0 or 1"))
			return
		}
		f.VerificationStatus = &n
	}
	if v, ok := q["product_id"]; ok {
		s.fail(w, r, failure(http.StatusNotFound, fmt.Sprintf("Product %s not found", v[0]), "this server keeps no products"))
		return
	}
	page := 1
	if v, ok := q["page"]; ok {
		n, err := strconv.Atoi(v[len(v)-1])
		switch {
		case err != nil:
			s.fail(w, r, failure(http.StatusBadRequest, "Invalid page number: The page number can not be converted to an integer", ""))
			return
		case n <= 0:
			s.fail(w, r, failure(http.StatusBadRequest, "Invalid page number: The page number less or equal zero.", ""))
			return
		}
		page = n
	}
	if page > math.MaxInt32/s.perPage { // past any real page: ask only for the count
		f.Offset, f.Limit = 0, 1
	} else {
		f.Offset, f.Limit = (page-1)*s.perPage, s.perPage
	}
	rows, total, err := s.store.ListResults(r.Context(), f)
	if err != nil {
		s.fail(w, r, fmt.Errorf("list results: %w", err))
		return
	}
	pages := (total + s.perPage - 1) / s.perPage
	if page > 1 && page > pages {
		s.fail(w, r, failure(http.StatusBadRequest, "Invalid page number: The page number is greater than the total number of pages.",
			fmt.Sprintf("page %d of %d", page, pages)))
		return
	}
	ans := listAnswer{Results: make([]listItem, 0, len(rows)), Pagination: pagination{CurrentPage: page, TotalPages: pages}}
	for _, res := range rows {
		ans.Results = append(ans.Results, listItem{
			ID: res.ID, CreatedAt: formatTime(res.CreatedAt), DurationSeconds: res.DurationSeconds,
			VerificationStatus: res.VerificationStatus, Meta: visibleMeta(res.Meta, c.roleFor(res)),
			URL: s.resultURL(r, res.ID),
		})
	}
	s.writeJSON(w, r, http.StatusOK, ans)
}

// resultDict is a result as RefStack's detail and update answers give it.
type resultDict struct {
	ID                 string            `json:"id"`
	CPID               *string           `json:"cpid,omitempty"`
	CreatedAt          string            `json:"created_at"`
	DurationSeconds    int64             `json:"duration_seconds"`
	Meta               map[string]string `json:"meta"`
	ProductVersion     *struct{}         `json:"product_version"`
	VerificationStatus int               `json:"verification_status"`
	Results            *[]string         `json:"results,omitempty"`
	UserRole           string            `json:"user_role,omitempty"`
}

func dict(res storage.Result, rl role) resultDict {
	return resultDict{ID: res.ID, CreatedAt: formatTime(res.CreatedAt), DurationSeconds: res.DurationSeconds,
		Meta: visibleMeta(res.Meta, rl), VerificationStatus: res.VerificationStatus}
}

// msgPrivate is the 401 of a result the caller may not see.
const msgPrivate = "This test result is private: only its owner and the foundation admins may see it (send their token)."

// getResult is GET /v1/results/{id}.
func (s *Server) getResult(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	res, rl, err := s.visibleResult(r, id, http.StatusUnauthorized)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tests, err := s.store.Tests(r.Context(), id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("tests of %s: %w", id, err))
		return
	}
	names := make([]string, len(tests))
	for i, t := range tests {
		names[i] = t.Name
	}
	d := dict(res, rl)
	if rl >= roleOwner {
		d.CPID = &res.CPID
	}
	d.Results, d.UserRole = &names, rl.String()
	s.writeJSON(w, r, http.StatusOK, d)
}

// ownerOf checks that the caller owns the result or is an admin: 401 when
// it may not even see it, 403 when it may only see it.
func ownerOf(c *caller, res storage.Result) (role, error) {
	switch rl := c.roleFor(res); rl {
	case roleNone:
		return rl, abortf(http.StatusUnauthorized, msgPrivate)
	case roleUser:
		return rl, abortf(http.StatusForbidden, "Only the owner of this test result and the foundation admins may change it.")
	default:
		return rl, nil
	}
}

// updateResult is PUT /v1/results/{id}: verification status (admins) and
// product version (none here). It answers 201, as RefStack.
func (s *Server) updateResult(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	res, rl, err := s.ownedResult(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := callerOf(r)
	body, err := s.readBody(w, r, s.maxBody)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var kw map[string]json.RawMessage
	if len(bytesTrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &kw); err != nil {
			s.fail(w, r, failure(http.StatusBadRequest, titleMalformed, "want a JSON object: "+err.Error()))
			return
		}
	}
	verified := res.VerificationStatus == 1
	if raw, ok := kw["product_version_id"]; ok {
		if verified {
			s.fail(w, r, abortf(http.StatusForbidden, "Can not update product_version_id for a verified test run."))
			return
		}
		var pv *string
		if err := json.Unmarshal(raw, &pv); err != nil {
			s.fail(w, r, failure(http.StatusBadRequest, titleSchema, "product_version_id: want a string or null"))
			return
		}
		if pv != nil {
			s.fail(w, r, failure(http.StatusNotFound, fmt.Sprintf("Product version %s not found", *pv), "this server keeps no products"))
			return
		}
		// null unassociates: a result here never has a product version.
	}
	if raw, ok := kw["verification_status"]; ok {
		if !c.admin {
			s.fail(w, r, abortf(http.StatusForbidden, "You do not have permission to change a verification status."))
			return
		}
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			s.fail(w, r, abortf(http.StatusBadRequest, "Invalid verification_status value: %s", raw))
			return
		}
		if n != "0" && n != "1" {
			s.fail(w, r, abortf(http.StatusBadRequest, "Invalid verification_status value: %s", n))
			return
		}
		if n == "1" && (res.Meta[metaTarget] == "" || res.Meta[metaGuideline] == "" || res.Meta[metaShared] == "") {
			s.fail(w, r, abortf(http.StatusForbidden, "In order to mark a test verified, the test must be shared and have been associated to a guideline and target program."))
			return
		}
		status := 0
		if n == "1" {
			status = 1
		}
		if err := s.store.SetVerificationStatus(r.Context(), id, status); err != nil {
			s.fail(w, r, s.storeErr(err, id))
			return
		}
		res.VerificationStatus = status
	}
	s.writeJSON(w, r, http.StatusCreated, dict(res, rl))
}

// deleteResult is DELETE /v1/results/{id}.
func (s *Server) deleteResult(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	res, _, err := s.ownedResult(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if res.VerificationStatus == 1 {
		s.fail(w, r, abortf(http.StatusForbidden, "Can not delete a verified test run."))
		return
	}
	if err := s.store.DeleteResult(r.Context(), id); err != nil {
		s.fail(w, r, s.storeErr(err, id))
		return
	}
	noContent(w)
}

// storeErr maps a store error about result id to an answer.
func (s *Server) storeErr(err error, id string) error {
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return failure(http.StatusNotFound, fmt.Sprintf("Test result %s not found", id), "")
	case errors.Is(err, storage.ErrInvalid):
		return failure(http.StatusBadRequest, err.Error(), "")
	}
	return err
}
