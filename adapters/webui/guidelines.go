package webui

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/refstack-go/refstack/guideline"
)

// guidelinesData is the content of guidelines.html.
type guidelinesData struct {
	selection

	AllStatuses []guideline.Status
	Statuses    []string // the checked statuses
	Alias, Flag bool

	Doc            *guideline.Guideline
	Capabilities   []guideline.CapabilitySummary
	CriterionNames map[string]string // criterion key → name, for achievements

	// The test list of the API for the selection; TestListURL is "" when
	// no status is checked.
	TestListURL  string
	TestListWget string
	TestListFile string
	TestList     []string
}

// guidelinesPage serves the guidelines browser: a guideline of a program,
// its status and releases, its capabilities of the checked statuses with
// their tests, its criteria, and the API's test list for the selection.
//
// Query: target (default platform), guideline (default the newest that is
// not next), status (repeated; default required), alias and flag (the
// test-list options, default on and off; "opts" marks a submitted form so
// that unchecked boxes count as off).
func (s *server) guidelinesPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &guidelinesData{selection: selection{Programs: programs}, AllStatuses: guideline.Statuses(), Alias: true}
	target := q.Get("target")
	if target == "" {
		target = "platform"
	}
	p, ok := s.askedProgram(w, r, target)
	if !ok {
		return
	}
	d.Program = p
	submitted := q.Get("opts") != ""
	d.Statuses = q["status"]
	if !submitted && len(d.Statuses) == 0 {
		d.Statuses = []string{string(guideline.Required)}
	}
	for _, st := range d.Statuses {
		if !slices.Contains(d.AllStatuses, guideline.Status(st)) {
			s.errorPage(w, r, http.StatusBadRequest, "Unknown status", fmt.Sprintf("Unknown capability status %q: use required, advisory, deprecated or removed.", st), nil)
			return
		}
	}
	if submitted {
		d.Alias, d.Flag = q.Get("alias") != "", q.Get("flag") != ""
	}

	title := "OpenStack Powered™ Guidelines"
	status := s.fillGuidelines(r, d, q.Get("guideline"))
	s.render(w, r, status, "guidelines", page{Title: title, Nav: "guidelines", Data: d})
}

func (s *server) fillGuidelines(r *http.Request, d *guidelinesData, asked string) int {
	status, ok := s.chooseVersion(r, &d.selection, asked, "", "")
	if !ok {
		return status
	}
	e := d.Version
	g, status := s.loadGuideline(r, &d.selection, "")
	if g == nil {
		return status
	}
	d.Doc = g
	sum, err := guideline.Show(g, d.Program.Target, nil)
	if err != nil {
		d.Problem = fmt.Sprintf("Guideline %s has no %s program.", strings.TrimSuffix(e.Name, ".json"), d.Program.Label)
		return http.StatusOK
	}
	d.Capabilities = capabilities(sum, d.Statuses)
	d.CriterionNames = make(map[string]string, len(g.Criteria))
	for _, c := range g.Criteria {
		d.CriterionNames[c.Key] = c.Name
	}

	if len(d.Statuses) > 0 {
		types := make([]guideline.Status, len(d.Statuses))
		for i, st := range d.Statuses {
			types[i] = guideline.Status(st)
		}
		lines, err := g.TestList(guideline.Query{Target: d.Program.Target, Types: types, Alias: d.Alias, Flag: d.Flag})
		if err == nil {
			d.TestList = lines
		}
		v := url.Values{
			"target": {d.Program.Target},
			"type":   {strings.Join(d.Statuses, ",")},
			"alias":  {fmt.Sprint(d.Alias)},
			"flag":   {fmt.Sprint(d.Flag)},
		}
		d.TestListURL = s.apiPrefix + "/guidelines/" + url.PathEscape(e.File) + "/tests?" + v.Encode()
		d.TestListFile = strings.TrimSuffix(e.Name, ".json") + "-test-list.txt"
		d.TestListWget = fmt.Sprintf("wget %q -O %s", origin(r)+d.TestListURL, d.TestListFile)
	}
	return http.StatusOK
}

// capabilities keeps each capability once, at its first status in the
// order required, advisory, deprecated, removed (RefStack's priority when
// components list it at several), keeps those of the checked statuses and
// sorts them by name.
func capabilities(sum *guideline.Summary, statuses []string) []guideline.CapabilitySummary {
	seen := make(map[string]bool, len(sum.Capabilities))
	var out []guideline.CapabilitySummary
	for _, c := range sum.Capabilities { // Show orders them by status first
		if seen[c.Name] {
			continue
		}
		seen[c.Name] = true
		if slices.Contains(statuses, string(c.Status)) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b guideline.CapabilitySummary) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// origin is the scheme and host the visitor used, for the absolute URL of
// the wget hint.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
