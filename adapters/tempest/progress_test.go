package tempest

import (
	"testing"
	"time"

	"github.com/refstack-go/refstack/subunit"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		c         Counts
		extra     string
		bar, line string
	}{
		{
			c:     Counts{Done: 37, Expected: 377, Passed: 30, Failed: 5, Skipped: 2, Elapsed: 62 * time.Second},
			extra: "required: 30/377 passed",
			bar:   "[=>                  ] 37/377  pass 30  fail 5  skip 2  1m02s  ETA 9m29s  required: 30/377 passed",
			line:  "progress: 37/377 tests (9%)  pass 30  fail 5  skip 2  elapsed 1m02s  ETA 9m29s  required: 30/377 passed",
		},
		{
			c:    Counts{Elapsed: 3 * time.Second, Expected: 10},
			bar:  "[>                   ] 0/10  pass 0  fail 0  skip 0  3s",
			line: "progress: 0/10 tests (0%)  pass 0  fail 0  skip 0  elapsed 3s",
		},
		{
			c:    Counts{Done: 12, Expected: 10, Passed: 12, Elapsed: 2*time.Hour + 5*time.Minute + 9*time.Second},
			bar:  "[====================] 12/10  pass 12  fail 0  skip 0  2h05m09s",
			line: "progress: 12/10 tests (100%)  pass 12  fail 0  skip 0  elapsed 2h05m09s",
		},
		{
			c:    Counts{Done: 4, Passed: 4, Elapsed: time.Second},
			bar:  "[>                   ] 4  pass 4  fail 0  skip 0  1s",
			line: "progress: 4 tests  pass 4  fail 0  skip 0  elapsed 1s",
		},
	}
	for _, tt := range tests {
		if got := FormatBar(tt.c, tt.extra); got != tt.bar {
			t.Errorf("FormatBar(%+v)\n got %q\nwant %q", tt.c, got, tt.bar)
		}
		if got := FormatLine(tt.c, tt.extra); got != tt.line {
			t.Errorf("FormatLine(%+v)\n got %q\nwant %q", tt.c, got, tt.line)
		}
	}
}

func TestTally(t *testing.T) {
	ta := NewTally(6)
	for _, r := range []subunit.Record{
		{TestID: "a", Status: subunit.StatusSuccess, Complete: true},
		{TestID: "b", Status: subunit.StatusFail, Complete: true},
		{TestID: "c", Status: subunit.StatusSkip, Complete: true},
		{TestID: "d", Status: subunit.StatusXFail, Complete: true},
		{TestID: "e", Status: subunit.StatusUxSuccess, Complete: true},
		{TestID: "f", Status: subunit.StatusExists, Complete: true},
		{TestID: "g", Status: subunit.StatusInProgress},
	} {
		ta.Add(&r)
	}
	want := Counts{Done: 5, Expected: 6, Passed: 2, Failed: 2, Skipped: 1, Elapsed: time.Minute}
	if got := ta.Counts(time.Minute); got != want {
		t.Errorf("Counts = %+v, want %+v", got, want)
	}
	if eta, ok := want.ETA(); !ok || eta != 12*time.Second {
		t.Errorf("ETA = %v, %v; want 12s", eta, ok)
	}
}
