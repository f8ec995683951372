package server

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/score"
)

// scoreResult is GET /v1/results/{id}/score?guideline=2020.06&target=
// platform&match=name: package score's JSON report of the result. guideline
// and target default to the result's metadata (target then to platform).
func (s *Server) scoreResult(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	res, _, err := s.visibleResult(r, id, http.StatusUnauthorized)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	name := q.Get("guideline")
	if name == "" {
		name = res.Meta[metaGuideline]
	}
	if name == "" {
		s.fail(w, r, failure(http.StatusBadRequest, "Which guideline? Give the guideline query parameter (2020.06, dns.2020.06).", "the result has no guideline metadata"))
		return
	}
	opts := score.Options{Target: q.Get("target")}
	if opts.Target == "" {
		opts.Target = res.Meta[metaTarget]
	}
	if v := q.Get("match"); v != "" {
		if opts.Match, err = score.ParseMatch(v); err != nil {
			s.fail(w, r, failure(http.StatusBadRequest, fmt.Sprintf("Invalid match %s: want name or id.", limitText(v)), err.Error()))
			return
		}
	}
	file, err := FileName(name)
	if err != nil {
		s.fail(w, r, failure(http.StatusNotFound, fmt.Sprintf("Guideline %s not found", limitText(name)), err.Error()))
		return
	}
	g, err := s.guidelines.Get(r.Context(), file)
	switch {
	case errors.Is(err, ErrNoGuideline):
		s.fail(w, r, failure(http.StatusNotFound, fmt.Sprintf("Guideline %s not found", limitText(name)), err.Error()))
		return
	case err != nil:
		s.fail(w, r, failure(http.StatusBadGateway, fmt.Sprintf("The server was unable to read the guideline %s.", limitText(name)), err.Error()))
		return
	}
	tests, err := s.store.Tests(r.Context(), id)
	if err != nil {
		s.fail(w, r, s.storeErr(err, id))
		return
	}
	passed := make([]score.Passed, len(tests))
	for i, t := range tests {
		passed[i] = score.Passed{Name: t.Name, UUID: t.UUID}
	}
	opts.Name = guidelineLabel(file)
	rep, err := score.Score(g, passed, opts)
	if err != nil {
		var te *guideline.TargetError
		if errors.As(err, &te) {
			s.fail(w, r, failure(http.StatusBadRequest, fmt.Sprintf("Invalid target: %s", opts.Target), err.Error()))
			return
		}
		s.fail(w, r, fmt.Errorf("score %s: %w", id, err))
		return
	}
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		s.fail(w, r, fmt.Errorf("score %s: %w", id, err))
		return
	}
	w.Header().Set("Content-Type", contentJSON)
	_, _ = w.Write(buf.Bytes())
}

// guidelineLabel is a file name without ".json", the label RefStack shows.
func guidelineLabel(file string) string {
	if n := len(file) - len(".json"); n > 0 && file[n:] == ".json" {
		return file[:n]
	}
	return file
}
