package webui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/refstack-go/refstack/guideline"
)

// selection is what the program and guideline selectors of the report and
// guidelines pages show (selector.html); both pages' data embed it.
type selection struct {
	Programs []program
	Program  program
	Versions []guideline.ListEntry
	Version  guideline.ListEntry
	Notices  []string // a selection that could not be honoured
	Problem  string   // why the page has no guideline to show
}

// askedProgram returns the program of a target the query names; for an
// unknown one it answers with a 400 page and returns false.
func (s *server) askedProgram(w http.ResponseWriter, r *http.Request, target string) (program, bool) {
	p, ok := findProgram(target)
	if !ok {
		s.errorPage(w, r, http.StatusBadRequest, "Unknown program", fmt.Sprintf("Unknown program %q: use platform, compute, object, dns or orchestration.", target), nil)
	}
	return p, ok
}

// chooseVersion lists the guidelines of sel.Program and sets sel.Version:
// asked when it is listed; else, when nothing was asked, preferred (the
// result's meta guideline) when listed; else the default. A choice that is
// not honoured adds a notice. When no guideline can be chosen it returns
// false with sel.Problem set and the page's status. consequence completes
// the problem of an unavailable listing (", so this result cannot be
// scored" or "").
func (s *server) chooseVersion(r *http.Request, sel *selection, asked, preferred, consequence string) (int, bool) {
	ctx := r.Context()
	listing, err := s.guides.List(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "webui: guideline listing failed", "path", r.URL.Path, "err", err)
		sel.Problem = "The guidelines cannot be loaded right now" + consequence + ". Try again later."
		return http.StatusServiceUnavailable, false
	}
	sel.Versions = versions(listing, sel.Program)
	e, ok := findVersion(sel.Versions, asked)
	if !ok && asked != "" {
		if def, has := defaultVersion(sel.Versions); has {
			sel.Notices = append(sel.Notices, fmt.Sprintf("Guideline %s is not available for the %s program; showing %s.",
				strings.TrimSuffix(asked, ".json"), sel.Program.Label, strings.TrimSuffix(def.Name, ".json")))
		}
	}
	if !ok && asked == "" && preferred != "" {
		e, ok = findVersion(sel.Versions, preferred)
		if !ok {
			sel.Notices = append(sel.Notices, fmt.Sprintf("The result's associated guideline %q is not listed for the %s program; showing the default.",
				strings.TrimSuffix(preferred, ".json"), sel.Program.Label))
		}
	}
	if !ok {
		e, ok = defaultVersion(sel.Versions)
	}
	if !ok {
		sel.Problem = fmt.Sprintf("No guideline is listed for the %s program.", sel.Program.Label)
		return http.StatusOK, false
	}
	sel.Version = e
	return http.StatusOK, true
}

// loadGuideline reads the chosen sel.Version. When it cannot, it returns
// nil with sel.Problem set (completed by consequence, as chooseVersion's)
// and the page's status.
func (s *server) loadGuideline(r *http.Request, sel *selection, consequence string) (*guideline.Guideline, int) {
	ctx := r.Context()
	g, err := s.guides.Get(ctx, sel.Version.File)
	if err != nil {
		s.log.ErrorContext(ctx, "webui: guideline unavailable", "file", sel.Version.File, "err", err)
		sel.Problem = fmt.Sprintf("Guideline %s cannot be loaded right now%s. Try again later.", sel.Version.File, consequence)
		return nil, http.StatusServiceUnavailable
	}
	return g, http.StatusOK
}
