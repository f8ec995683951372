package score_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/score"
)

// FuzzScore scores random runs against random guidelines: no panic, and the
// report's figures are consistent with its lists, and with the Scorer.
func FuzzScore(f *testing.F) {
	for _, name := range []string{"ui-1.2.json", "ui-1.4.json", "mixed-2.0.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "platform", "test_id_1\ntest_id_2_alias\nx|5f5c2e3a-0000-4000-8000-000000000002", true)
		f.Add(data, "compute", "", false)
	}
	f.Fuzz(func(t *testing.T, doc []byte, target, run string, byID bool) {
		g, err := guideline.Parse(doc)
		if err != nil {
			return
		}
		opts := score.Options{Target: target}
		if byID {
			opts.Match = score.MatchID
		}
		card, err := score.Prepare(g, opts)
		if err != nil {
			return
		}
		var passed []score.Passed
		for line := range strings.SplitSeq(run, "\n") {
			name, uuid, _ := strings.Cut(line, "|")
			passed = append(passed, score.Passed{Name: name, UUID: uuid})
		}
		r := card.Score(passed)
		s := card.NewScorer()
		for _, p := range passed {
			s.Add(p)
		}
		if p, r2 := s.Progress(), s.Report(); p.RequiredPassed != r.RequiredPassed || r2.RequiredPassed != r.RequiredPassed || p.NonFlaggedPassed != r.NonFlaggedPassed {
			t.Fatalf("Scorer %+v disagrees with Score %d, %d", p, r.RequiredPassed, r.NonFlaggedPassed)
		}
		tests := 0
		for _, st := range guideline.Statuses() {
			sr := r.Statuses[st]
			n, p := 0, 0
			for _, c := range sr.Capabilities {
				n += len(c.Tests)
				for _, o := range c.Tests {
					if o.Passed {
						p++
					}
				}
			}
			if n != sr.Tests || p != sr.Passed || sr.FlaggedPassed+sr.FlaggedFailed > n {
				t.Fatalf("%s: counts %+v, lists %d/%d", st, sr, p, n)
			}
			tests += n
		}
		if tests != card.Tests() {
			t.Fatalf("report has %d tests, card %d", tests, card.Tests())
		}
		if r.Compliant != (r.NonFlaggedPassed == r.NonFlaggedTotal) || (r.RequiredTotal > 0) == math.IsNaN(r.RequiredPassPercent) {
			t.Fatalf("figures: %+v", r)
		}
		for _, w := range []func() error{
			func() error { return r.WriteText(discard{}) }, func() error { return r.WriteJSON(discard{}) },
			func() error { return r.WriteMarkdown(discard{}) }, func() error { return r.WriteJUnit(discard{}) },
		} {
			if err := w(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
