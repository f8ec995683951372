package cli

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/score"
)

// FuzzScoreInput reads random input as refstack score does (sniffing JSON
// from subunit, then parsing either): no panic, and a results document that
// parses gives as many Adds as it has results.
func FuzzScoreInput(f *testing.F) {
	for _, p := range []string{scoreRun, "testdata/clean.subunit", "testdata/smoke.subunit"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"cpid": "c", "duration_seconds": 1, "results": [{"name": "tempest.api.shared.Test.test_both", "uuid": "x"}]}`))
	f.Add([]byte("  {\"cpid\": 1}"))
	f.Add([]byte{0xb3, 0x29, 0x01, 0x0c})
	g, err := guideline.Load(scoreGuideline)
	if err != nil {
		f.Fatal(err)
	}
	card, err := score.Prepare(g, score.Options{Match: score.MatchID})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := card.NewScorer()
		br := bufio.NewReader(bytes.NewReader(data))
		kind, err := sniffScoreInput(br)
		if err != nil {
			t.Fatal(err)
		}
		if kind == inputResultsJSON {
			_ = scoreResultsJSON("fuzz", br, s)
			return
		}
		if _, err := scoreSubunit(context.Background(), "fuzz", br, s, nil); err != nil {
			t.Fatalf("a lenient read of bytes failed: %v", err)
		}
		if p := s.Progress(); p.RequiredPassed > p.RequiredTotal {
			t.Fatalf("progress %+v", p)
		}
	})
}
