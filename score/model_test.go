package score_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/internal/testenv"
	"github.com/refstack-go/refstack/score"
)

// modelJob is one run the independent model (testdata/report_model.py)
// scored, with what RefStack's page would show.
type modelJob struct {
	File     string                 `json:"file"`
	Target   string                 `json:"target"`
	Run      string                 `json:"run"`
	ByID     bool                   `json:"by_id"`
	Passed   [][2]string            `json:"passed"`
	Error    string                 `json:"error"`
	Statuses map[string]modelStatus `json:"statuses"`
	Figures  struct {
		RequiredPassPercent        *float64 `json:"requiredPassPercent"`
		TotalRequiredFailCount     int      `json:"totalRequiredFailCount"`
		TotalRequiredFlagCount     int      `json:"totalRequiredFlagCount"`
		TotalNonFlagCount          int      `json:"totalNonFlagCount"`
		NonFlagPassCount           int      `json:"nonFlagPassCount"`
		NonFlagRequiredPassPercent *float64 `json:"nonFlagRequiredPassPercent"`
		Compliant                  bool     `json:"compliant"`
	} `json:"figures"`
}

type modelStatus struct {
	Caps []struct {
		ID               string   `json:"id"`
		PassedTests      []string `json:"passedTests"`
		NotPassedTests   []string `json:"notPassedTests"`
		PassedFlagged    []string `json:"passedFlagged"`
		NotPassedFlagged []string `json:"notPassedFlagged"`
	} `json:"caps"`
	Count         int `json:"count"`
	PassedCount   int `json:"passedCount"`
	FlagPassCount int `json:"flagPassCount"`
	FlagFailCount int `json:"flagFailCount"`
}

// interopFixtures returns every guideline file under ../shared/fixtures/interop.
func interopFixtures(t *testing.T) []string {
	t.Helper()
	dir := testenv.Shared(t, "fixtures", "interop")
	var files []string
	for _, pat := range []string{"*.json", "add-ons/*.json", "verticals/*.json"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skipf("no guidelines in %s", dir)
	}
	return files
}

// TestMatchesIndependentModel compares every figure and every test's place
// with a model of the page written separately in Python on the raw JSON, for
// every fixture, every target of the page and several runs.
func TestMatchesIndependentModel(t *testing.T) {
	files := interopFixtures(t)
	py := testenv.Python(t)
	cmd := exec.Command(py, append([]string{filepath.Join("testdata", "report_model.py"), "20200611"}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("report_model.py: %v: %s", err, stderr.Bytes())
	}
	var jobs []modelJob
	if err := json.Unmarshal(out, &jobs); err != nil {
		t.Fatal(err)
	}
	cards := map[[3]string]*score.Card{}
	guidelines := map[string]*guideline.Guideline{}
	compared, errs := 0, 0
	for _, job := range jobs {
		name := filepath.Base(job.File) + "/" + job.Target + "/" + job.Run
		g := guidelines[job.File]
		if g == nil {
			if g, err = guideline.Load(job.File); err != nil {
				t.Fatalf("%s: %v", job.File, err)
			}
			guidelines[job.File] = g
		}
		match := score.MatchName
		if job.ByID {
			match = score.MatchID
		}
		key := [3]string{job.File, job.Target, string(match)}
		card, ok := cards[key]
		if !ok {
			card, err = score.Prepare(g, score.Options{Target: job.Target, Match: match})
			cards[key] = card
			if job.Error != "" {
				var te *guideline.TargetError
				if !errors.As(err, &te) {
					t.Errorf("%s: the page fails (%s), Prepare gave %v, want a *guideline.TargetError", name, job.Error, err)
				}
				errs++
				continue
			}
			if err != nil || card == nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
		}
		if card == nil {
			if job.Error == "" {
				t.Errorf("%s: Prepare failed where the page does not", name)
			}
			errs++
			continue
		}
		passed := make([]score.Passed, len(job.Passed))
		for i, p := range job.Passed {
			passed[i] = score.Passed{Name: p[0], UUID: p[1]}
		}
		compareReport(t, name, card.Score(passed), &job)
		// The incremental Scorer must agree with Score.
		s := card.NewScorer()
		for _, p := range passed {
			s.Add(p)
		}
		r := s.Report()
		if pr := s.Progress(); pr.RequiredPassed != r.RequiredPassed || pr.RequiredTotal != r.RequiredTotal ||
			pr.NonFlaggedPassed != r.NonFlaggedPassed || pr.NonFlaggedTotal != r.NonFlaggedTotal {
			t.Errorf("%s: Progress %+v disagrees with the report %d/%d, %d/%d", name, pr, r.RequiredPassed, r.RequiredTotal, r.NonFlaggedPassed, r.NonFlaggedTotal)
		}
		compareReport(t, name+" (Scorer)", r, &job)
		compared++
	}
	t.Logf("compared %d runs over %d files; %d targets fail on the page and in Prepare", compared, len(files), errs)
	if compared < 100 {
		t.Errorf("only %d runs compared", compared)
	}
}

func samePercent(got float64, want *float64) bool {
	if want == nil {
		return math.IsNaN(got)
	}
	return got == *want // to the last bit
}

func compareReport(t *testing.T, name string, r *score.Report, job *modelJob) {
	t.Helper()
	f := &job.Figures
	if !samePercent(r.RequiredPassPercent, f.RequiredPassPercent) || !samePercent(r.NonFlaggedRequiredPassPercent, f.NonFlagRequiredPassPercent) ||
		r.RequiredFailed != f.TotalRequiredFailCount || r.RequiredFlagged != f.TotalRequiredFlagCount ||
		r.NonFlaggedTotal != f.TotalNonFlagCount || r.NonFlaggedPassed != f.NonFlagPassCount || r.Compliant != f.Compliant {
		t.Errorf("%s: figures %v %v fail %d flag %d nonflag %d/%d compliant %v; model %+v", name,
			r.RequiredPassPercent, r.NonFlaggedRequiredPassPercent, r.RequiredFailed, r.RequiredFlagged,
			r.NonFlaggedPassed, r.NonFlaggedTotal, r.Compliant, *f)
		return
	}
	for _, st := range guideline.Statuses() {
		got, want := r.Statuses[st], job.Statuses[string(st)]
		if got == nil {
			t.Errorf("%s: no status %s", name, st)
			continue
		}
		if got.Tests != want.Count || got.Passed != want.PassedCount || got.FlaggedPassed != want.FlagPassCount || got.FlaggedFailed != want.FlagFailCount {
			t.Errorf("%s: %s counts %d/%d flagged %d/%d; model %+v", name, st, got.Passed, got.Tests, got.FlaggedPassed, got.FlaggedFailed, want)
		}
		if len(got.Capabilities) != len(want.Caps) {
			t.Errorf("%s: %s has %d capabilities, model %d", name, st, len(got.Capabilities), len(want.Caps))
			continue
		}
		for i, c := range got.Capabilities {
			w := want.Caps[i]
			var p, np, pf, npf []string
			for _, o := range c.Tests {
				switch {
				case o.Passed && o.Flagged:
					p, pf = append(p, o.Name), append(pf, o.Name)
				case o.Passed:
					p = append(p, o.Name)
				case o.Flagged:
					np, npf = append(np, o.Name), append(npf, o.Name)
				default:
					np = append(np, o.Name)
				}
				if o.Passed != (o.MatchedBy != "") || o.Passed != (o.MatchedName != "") {
					t.Errorf("%s: %s: passed %v but matched by %q as %q", name, o.Name, o.Passed, o.MatchedBy, o.MatchedName)
				}
			}
			if c.Name != w.ID || !equal(p, w.PassedTests) || !equal(np, w.NotPassedTests) || !equal(pf, w.PassedFlagged) || !equal(npf, w.NotPassedFlagged) {
				t.Errorf("%s: %s capability %d: %s passed %q not %q flagged %q/%q; model %+v", name, st, i, c.Name, p, np, pf, npf, w)
			}
		}
	}
}

func equal(a, b []string) bool { return len(a) == len(b) && (len(a) == 0 || slices.Equal(a, b)) }
