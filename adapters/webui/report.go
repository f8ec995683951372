package webui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/score"
)

// maxIDLength bounds the id of /results/{id} before it reaches the store:
// ids are uuid4 strings of 36 characters.
const maxIDLength = 64

// Filters of the capability overview, as RefStack's radio buttons.
var reportFilters = []link{
	{"all", "All"},
	{"passed", "Passed"},
	{"notpassed", "Not Passed"},
	{"flagged", "Flagged"},
}

// flagReason12 is RefStack's tooltip for a flagged test of a 1.2 guideline,
// which gives no reason.
const flagReason12 = "Interop Working Group has flagged this test."

// reportData is the content of report.html.
type reportData struct {
	Result    storage.Result
	Passed    []string // names, sorted
	Guideline string   // meta guideline, "" when not set
	Target    string   // meta target

	// The selectors; Problem says why there is no report (guidelines
	// unavailable...).
	selection
	Filters []link
	Filter  string

	// The report, nil when Problem is set.
	Doc        *guideline.Guideline
	Report     *score.Report
	Sentence   string
	Statuses   []statusView
	BrowseHref string
}

type statusView struct {
	Status       guideline.Status
	Capabilities []capabilityView // those the filter shows
	CapCount     int              // all capabilities of the status
	Tests        int
	FilterCount  int
	Open         bool
}

type capabilityView struct {
	Name      string
	Passed    int
	Total     int
	Count     int    // tests matching the filter
	Class     string // "all", "none" or "some" passed
	Tests     []score.TestOutcome
	Undefined bool
}

// report serves the report of one result against a guideline and program,
// chosen by the query (target, guideline, filter) or else the result's
// meta target and guideline, as RefStack's page does.
func (s *server) report(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	notFound := func() {
		s.errorPage(w, r, http.StatusNotFound, "Test result not found", fmt.Sprintf("Test result %s not found.", id), nil)
	}
	if id == "" || len(id) > maxIDLength {
		notFound()
		return
	}
	ctx := r.Context()
	res, err := s.store.Result(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		notFound()
		return
	}
	if err != nil {
		s.errorPage(w, r, http.StatusInternalServerError, "Result unavailable", "The result cannot be read from the database right now.", err)
		return
	}
	if !public(res) {
		notFound() // do not tell a private result from a missing one
		return
	}
	tests, err := s.store.Tests(ctx, id)
	if err != nil {
		s.errorPage(w, r, http.StatusInternalServerError, "Result unavailable", "The tests of the result cannot be read from the database right now.", err)
		return
	}

	q := r.URL.Query()
	d := &reportData{
		Result:    redact(res),
		Guideline: res.Meta["guideline"],
		Target:    res.Meta["target"],
		selection: selection{Programs: programs},
		Filters:   reportFilters,
		Filter:    q.Get("filter"),
	}
	for _, t := range tests {
		d.Passed = append(d.Passed, t.Name)
	}
	slices.Sort(d.Passed)

	if d.Filter == "" {
		d.Filter = "all"
	}
	if !slices.ContainsFunc(reportFilters, func(l link) bool { return l.Href == d.Filter }) {
		s.errorPage(w, r, http.StatusBadRequest, "Unknown filter", fmt.Sprintf("Unknown filter %q: use all, passed, notpassed or flagged.", d.Filter), nil)
		return
	}
	target := q.Get("target")
	if target != "" {
		p, ok := s.askedProgram(w, r, target)
		if !ok {
			return
		}
		d.Program = p
	} else if p, ok := findProgram(d.Target); ok {
		d.Program = p
	} else {
		if d.Target != "" {
			d.Notices = append(d.Notices, fmt.Sprintf("The result's target program %q is not one of the five programs; showing %s.", d.Target, programs[0].Label))
		}
		d.Program = programs[0]
	}

	title := "Test result " + res.ID
	status := s.fillReport(r, d, q.Get("guideline"), tests)
	s.render(w, r, status, "report", page{Title: title, Nav: "results", Data: d})
}

// fillReport selects the guideline and scores the result against it. When
// that cannot be done, d.Problem says why and the status tells what kind of
// failure it is; the page still shows the result.
func (s *server) fillReport(r *http.Request, d *reportData, asked string, tests []storage.Test) int {
	const consequence = ", so this result cannot be scored"
	status, ok := s.chooseVersion(r, &d.selection, asked, d.Guideline, consequence)
	if !ok {
		return status
	}
	e := d.Version
	d.BrowseHref = "/guidelines?" + url.Values{"target": {d.Program.Target}, "guideline": {e.Name}}.Encode()

	g, status := s.loadGuideline(r, &d.selection, consequence)
	if g == nil {
		return status
	}
	d.Doc = g
	passed := make([]score.Passed, len(tests))
	for i, t := range tests {
		passed[i] = score.Passed{Name: t.Name, UUID: t.UUID}
	}
	rep, err := score.Score(g, passed, score.Options{Target: d.Program.Target, Name: strings.TrimSuffix(e.Name, ".json")})
	var schemaErr *score.SchemaError
	var targetErr *guideline.TargetError
	switch {
	case errors.As(err, &schemaErr):
		d.Problem = fmt.Sprintf("The schema version for the guideline file selected (%s) is currently not supported.", g.Schema)
		return http.StatusOK
	case errors.As(err, &targetErr):
		d.Problem = fmt.Sprintf("Guideline %s has no %s program.", strings.TrimSuffix(e.Name, ".json"), d.Program.Label)
		return http.StatusOK
	case err != nil:
		s.log.ErrorContext(r.Context(), "webui: scoring failed", "file", e.File, "err", err)
		d.Problem = "This result cannot be scored against guideline " + e.File + "."
		return http.StatusInternalServerError
	}
	d.Report = rep
	d.Sentence = rep.Sentence()
	d.Statuses = statusViews(rep, d.Filter)
	return http.StatusOK
}

// statusViews lays out the capability overview for a filter: per status,
// the capabilities with a test the filter keeps, and those tests.
func statusViews(rep *score.Report, filter string) []statusView {
	keep := func(t score.TestOutcome) bool {
		switch filter {
		case "passed":
			return t.Passed
		case "notpassed":
			return !t.Passed
		case "flagged":
			return t.Flagged
		}
		return true
	}
	var out []statusView
	for _, st := range guideline.Statuses() {
		sr := rep.Statuses[st]
		v := statusView{Status: st, Open: st == guideline.Required}
		if sr == nil {
			out = append(out, v)
			continue
		}
		v.CapCount, v.Tests = len(sr.Capabilities), sr.Tests
		for _, c := range sr.Capabilities {
			cv := capabilityView{Name: c.Name, Passed: c.Passed, Total: c.Total, Undefined: !c.Defined}
			switch {
			case c.Total > 0 && c.Passed == c.Total:
				cv.Class = "all"
			case c.Passed == 0:
				cv.Class = "none"
			default:
				cv.Class = "some"
			}
			for _, t := range c.Tests {
				if keep(t) {
					if t.Flagged && t.FlagReason == "" {
						t.FlagReason = flagReason12
					}
					cv.Tests = append(cv.Tests, t)
				}
			}
			cv.Count = len(cv.Tests)
			v.FilterCount += cv.Count
			if cv.Count > 0 || filter == "all" {
				v.Capabilities = append(v.Capabilities, cv)
			}
		}
		out = append(out, v)
	}
	return out
}

// public reports whether an anonymous visitor may see a result: an
// anonymous upload, or one its uploader shared (storage.Public).
func public(r storage.Result) bool {
	_, owned := r.Meta["user"]
	_, shared := r.Meta["shared"]
	return !owned || shared
}

// redact keeps what RefStack shows a visitor who does not own a result: no
// cloud id, and of the metadata only shared, guideline and target.
func redact(r storage.Result) storage.Result {
	r.CPID = ""
	meta := make(map[string]string, 3)
	for _, k := range []string{"shared", "guideline", "target"} {
		if v, ok := r.Meta[k]; ok {
			meta[k] = v
		}
	}
	r.Meta = meta
	return r
}
