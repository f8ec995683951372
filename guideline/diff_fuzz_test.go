package guideline_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/refstack-go/refstack/guideline"
)

// FuzzDiff checks that Show and Diff never panic on whatever Parse loads,
// and that a guideline compared with itself has no changes.
func FuzzDiff(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, a := range files {
		da, err := os.ReadFile(a)
		if err != nil {
			continue
		}
		for _, b := range files {
			if db, err := os.ReadFile(b); err == nil {
				f.Add(da, db)
			}
		}
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		ga, err := guideline.Parse(a)
		if err != nil {
			return
		}
		gb, err := guideline.Parse(b)
		if err != nil {
			return
		}
		for _, target := range []string{"platform", "compute", "object", "dns", "orchestration"} {
			guideline.Show(ga, target, nil)
			guideline.Diff(ga, gb, target)
			d, err := guideline.Diff(ga, ga, target)
			if err == nil && (len(d.Capabilities) > 0 || len(d.Tests) > 0) {
				t.Fatalf("Diff of a guideline with itself, target %s: %+v", target, d)
			}
		}
	})
}
