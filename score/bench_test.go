package score_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/internal/testenv"
	"github.com/refstack-go/refstack/score"
)

// run2000 returns 2020.06 and a run of 2 000 passed tests: every test of the
// guideline (names and aliases, every other one with its uuid) and, to make
// up the rest, Tempest-like names the guideline does not list, as a full
// Tempest run has.
func run2000(b *testing.B) (*guideline.Guideline, []score.Passed) {
	b.Helper()
	g, err := guideline.Load(filepath.Join(testenv.Shared(b, "fixtures", "interop"), "2020.06.json"))
	if err != nil {
		b.Fatal(err)
	}
	var run []score.Passed
	for _, c := range g.Capabilities {
		for i, t := range c.Tests {
			p := score.Passed{Name: t.Name}
			if i%2 == 0 {
				p.UUID = t.UUID()
			}
			run = append(run, p)
			for _, a := range t.Aliases {
				run = append(run, score.Passed{Name: a})
			}
		}
	}
	for i := 0; len(run) < 2000; i++ {
		run = append(run, score.Passed{
			Name: fmt.Sprintf("tempest.api.compute.admin.test_servers_%03d.ServersAdminTestJSON.test_admin_operation_%d", i/16, i),
			UUID: fmt.Sprintf("%08x-1f2e-4c3d-8b4a-%012x", i, i*7919),
		})
	}
	return g, run[:2000]
}

// BenchmarkCardScore is what a server does for each result: score 2 000
// passed tests against a guideline and target prepared once.
func BenchmarkCardScore(b *testing.B) {
	g, run := run2000(b)
	for _, m := range []score.Match{score.MatchName, score.MatchID} {
		b.Run(string(m), func(b *testing.B) {
			card, err := score.Prepare(g, score.Options{Target: "platform", Match: m})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if r := card.Score(run); r.RequiredTotal == 0 {
					b.Fatal("no required tests")
				}
			}
		})
	}
}

// BenchmarkScore is a one-off score: Prepare and Score together.
func BenchmarkScore(b *testing.B) {
	g, run := run2000(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := score.Score(g, run, score.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScorerAdd is live scoring: one Add per passed test.
func BenchmarkScorerAdd(b *testing.B) {
	g, run := run2000(b)
	card, err := score.Prepare(g, score.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s := card.NewScorer()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Add(run[i%len(run)])
		i++
	}
}
