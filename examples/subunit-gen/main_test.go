package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/subunit"
)

func TestGenerate(t *testing.T) {
	tests := []struct {
		name string
		cfg  config
	}{
		{"one worker", config{tests: 50, workers: 1, seed: 1}},
		{"interleaved", config{tests: 300, workers: 8, seed: 7}},
		{"big attachment", config{tests: 3, workers: 2, seed: 1, attachBytes: 9<<20 + 5}},
		{"no tests", config{tests: 0, workers: 4, seed: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := generate(&a, tt.cfg); err != nil {
				t.Fatal(err)
			}
			if err := generate(&b, tt.cfg); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("the same config gave different streams")
			}
			rd, err := subunit.NewReader(bytes.NewReader(a.Bytes()), subunit.WithStrict())
			if err != nil {
				t.Fatal(err)
			}
			statuses := map[subunit.Status]int{}
			n := 0
			for r, err := range subunit.Records(rd, subunit.WithAttachmentLimit(0)) {
				if err != nil {
					t.Fatal(err)
				}
				n++
				statuses[r.Status]++
				if !r.Complete || len(r.Tags) != 1 || !strings.HasPrefix(r.Tags[0], "worker-") {
					t.Errorf("%s: complete %v, tags %q", r.TestID, r.Complete, r.Tags)
				}
				if !strings.HasPrefix(r.TestID, "tempest.api.") || !strings.Contains(r.TestID, "[id-") {
					t.Errorf("id %q is not Tempest-shaped", r.TestID)
				}
				if r.Status == subunit.StatusFail && r.Attachment("traceback") == nil {
					t.Errorf("%s failed without a traceback", r.TestID)
				}
				if r.Status == subunit.StatusSkip && r.Attachment("reason") == nil {
					t.Errorf("%s skipped without a reason", r.TestID)
				}
				if strings.Contains(r.TestID, ".test_case_0[") {
					log := r.Attachment("pythonlogging:''")
					if got := attachedSize(log); tt.cfg.attachBytes > 0 && got != tt.cfg.attachBytes {
						t.Errorf("first test carries %d log bytes, want %d", got, tt.cfg.attachBytes)
					}
				}
			}
			if n != tt.cfg.tests {
				t.Errorf("%d records, want %d", n, tt.cfg.tests)
			}
			if statuses[subunit.StatusSuccess]+statuses[subunit.StatusFail]+statuses[subunit.StatusSkip] != n {
				t.Errorf("unexpected statuses %v", statuses)
			}
		})
	}
}

func attachedSize(a *subunit.Attachment) int64 {
	if a == nil {
		return 0
	}
	return a.Size
}
