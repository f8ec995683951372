package subunit

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestStats(t *testing.T) {
	rec := func(id string, st Status, tags ...string) *Record {
		return &Record{TestID: id, Status: st, Tags: tags, Complete: st.Final()}
	}
	tests := []struct {
		name                           string
		records                        []*Record
		total, passed, failed, skipped int
		tags                           []string
		ok                             bool
	}{
		{name: "empty", tags: []string{}, ok: true},
		{
			name:    "one of each status",
			records: []*Record{rec("s", StatusSuccess), rec("f", StatusFail), rec("k", StatusSkip), rec("x", StatusXFail), rec("u", StatusUxSuccess)},
			total:   5, passed: 3, failed: 1, skipped: 1, tags: []string{},
		},
		{
			name:    "exists is not a test and its tags are not seen",
			records: []*Record{rec("e", StatusExists, "listed"), rec("s", StatusSuccess, "w0")},
			total:   1, passed: 1, tags: []string{"w0"}, ok: true,
		},
		{
			name:    "incomplete records fail",
			records: []*Record{rec("i", StatusInProgress, "w1"), rec("u", StatusUnknown), rec("z", StatusUndefined)},
			total:   3, failed: 3, tags: []string{"w1"},
		},
		{
			name:    "parser error record fails",
			records: []*Record{rec(ParserErrorTestID, StatusFail), rec("s", StatusSuccess)},
			total:   2, passed: 1, failed: 1, tags: []string{},
		},
		{
			name:    "repeated ids count each time, tags are a union",
			records: []*Record{rec("a", StatusFail, "b", "a"), rec("a", StatusSuccess, "c", "a")},
			total:   2, passed: 1, failed: 1, tags: []string{"a", "b", "c"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Stats
			for _, r := range tt.records {
				s.Add(r)
			}
			if s.Total() != tt.total || s.Passed() != tt.passed || s.Failed() != tt.failed || s.Skipped() != tt.skipped {
				t.Errorf("total/passed/failed/skipped = %d/%d/%d/%d, want %d/%d/%d/%d",
					s.Total(), s.Passed(), s.Failed(), s.Skipped(), tt.total, tt.passed, tt.failed, tt.skipped)
			}
			if !slices.Equal(s.Tags(), tt.tags) {
				t.Errorf("Tags = %q, want %q", s.Tags(), tt.tags)
			}
			if s.Successful() != (tt.failed == 0) {
				t.Errorf("Successful = %v with %d failed", s.Successful(), tt.failed)
			}
		})
	}
}

func TestStatsCount(t *testing.T) {
	var s Stats
	for _, st := range []Status{StatusExists, StatusExists, StatusSuccess, StatusInProgress, StatusUnknown, Status(42)} {
		s.Add(&Record{Status: st})
	}
	for st, want := range map[Status]int{StatusExists: 2, StatusSuccess: 1, StatusInProgress: 1, StatusUnknown: 1, StatusFail: 0, Status(42): 0} {
		if got := s.Count(st); got != want {
			t.Errorf("Count(%v) = %d, want %d", st, got, want)
		}
	}
	// A status outside the enum is a test that did not pass.
	if s.Total() != 4 || s.Failed() != 3 {
		t.Errorf("Total %d Failed %d, want 4 and 3", s.Total(), s.Failed())
	}
}

// TestStatsFromAssembler follows subunit-stats on a stream it was measured
// on: exists events are dropped before assembly, so a test that reports
// inprogress then exists is an incomplete test.
func TestStatsFromAssembler(t *testing.T) {
	var s Stats
	a, err := NewAssembler(func(r *Record) error { s.Add(r); return nil }, WithExists(false))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Event{
		tev("a", StatusInProgress, ts(1)), tev("a", StatusXFail, ts(2), tagged("x1")),
		tev("b", StatusUxSuccess, ts(3), tagged("x2")),
		tev("c", StatusExists, tagged("ex")),
		tev("d", StatusInProgress, ts(4), tagged("inp")),
		tev("e", StatusUndefined, ts(5), tagged("unk"), chunk("log", "", "hi", false)),
		tev("f", StatusInProgress), tev("f", StatusExists, tagged("fex")),
		tev("g", StatusSkip),
		tev("h", StatusFail),
	} {
		if err := a.Add(&e); err != nil {
			t.Fatal(err)
		}
	}
	pe := &PacketError{Data: []byte{0xb3}, Err: errors.New("bad CRC")}
	if err := a.AddError(pe); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	n, err := s.WriteTo(&out)
	if err != nil || n != int64(out.Len()) {
		t.Fatalf("WriteTo = %d, %v", n, err)
	}
	// /usr/bin/subunit-stats on the same stream (python-subunit 1.4.0).
	const want = "Total tests:       8\nPassed tests:      2\nFailed tests:      5\nSkipped tests:     1\nSeen tags: inp, unk, x1, x2\n"
	if out.String() != want {
		t.Errorf("WriteTo:\n%s\nwant:\n%s", out.String(), want)
	}
}
