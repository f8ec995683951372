package score

import (
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/refstack-go/refstack/guideline"
)

// JSONFormat is the value of the "format" key of the JSON report; it
// changes only when the document changes incompatibly.
const JSONFormat = "refstack-score/1"

type jsonReport struct {
	Format                        string       `json:"format"`
	Guideline                     string       `json:"guideline"`
	Target                        string       `json:"target"`
	Program                       string       `json:"program"`
	Schema                        string       `json:"schema"`
	Match                         Match        `json:"match"`
	Compliant                     bool         `json:"compliant"`
	RequiredPassPercent           *float64     `json:"required_pass_percent"`
	NonFlaggedRequiredPassPercent *float64     `json:"non_flagged_required_pass_percent"`
	Sentence                      string       `json:"sentence"`
	Required                      jsonTotals   `json:"required"`
	Statuses                      jsonStatuses `json:"statuses"`
}

type jsonTotals struct {
	Tests            int `json:"tests"`
	Passed           int `json:"passed"`
	Failed           int `json:"failed"`
	Flagged          int `json:"flagged"`
	NonFlaggedTests  int `json:"non_flagged_tests"`
	NonFlaggedPassed int `json:"non_flagged_passed"`
}

type jsonStatuses struct {
	Required   *jsonStatus `json:"required"`
	Advisory   *jsonStatus `json:"advisory"`
	Deprecated *jsonStatus `json:"deprecated"`
	Removed    *jsonStatus `json:"removed"`
}

type jsonStatus struct {
	Capabilities  []jsonCapability `json:"capabilities"`
	Tests         int              `json:"tests"`
	Passed        int              `json:"passed"`
	FlaggedPassed int              `json:"flagged_passed"`
	FlaggedFailed int              `json:"flagged_failed"`
}

type jsonCapability struct {
	Name    string     `json:"name"`
	Defined bool       `json:"defined"`
	Passed  int        `json:"passed"`
	Total   int        `json:"total"`
	Flagged int        `json:"flagged"`
	Tests   []jsonTest `json:"tests"`
}

type jsonTest struct {
	Name         string   `json:"name"`
	IdempotentID string   `json:"idempotent_id"`
	Aliases      []string `json:"aliases"`
	Outcome      string   `json:"outcome"`
	Flagged      bool     `json:"flagged"`
	FlagReason   string   `json:"flag_reason"`
	MatchedBy    string   `json:"matched_by"`
	MatchedName  string   `json:"matched_name"`
}

// Outcomes of a test in the JSON report.
const (
	OutcomePassed    = "passed"
	OutcomeNotPassed = "not_passed"
)

func jsonPercent(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func (r *Report) jsonDoc() *jsonReport {
	d := &jsonReport{
		Format: JSONFormat, Guideline: r.Guideline, Target: r.Target, Program: r.Program,
		Schema: r.Schema, Match: r.Match, Compliant: r.Compliant,
		RequiredPassPercent:           jsonPercent(r.RequiredPassPercent),
		NonFlaggedRequiredPassPercent: jsonPercent(r.NonFlaggedRequiredPassPercent),
		Sentence:                      r.Sentence(),
		Required: jsonTotals{
			Tests: r.RequiredTotal, Passed: r.RequiredPassed, Failed: r.RequiredFailed,
			Flagged: r.RequiredFlagged, NonFlaggedTests: r.NonFlaggedTotal, NonFlaggedPassed: r.NonFlaggedPassed,
		},
		Statuses: jsonStatuses{
			Required:   jsonStatusOf(r.Statuses[guideline.Required]),
			Advisory:   jsonStatusOf(r.Statuses[guideline.Advisory]),
			Deprecated: jsonStatusOf(r.Statuses[guideline.Deprecated]),
			Removed:    jsonStatusOf(r.Statuses[guideline.Removed]),
		},
	}
	return d
}

func jsonStatusOf(s *StatusReport) *jsonStatus {
	out := &jsonStatus{Capabilities: []jsonCapability{}}
	if s == nil {
		return out
	}
	out.Tests, out.Passed, out.FlaggedPassed, out.FlaggedFailed = s.Tests, s.Passed, s.FlaggedPassed, s.FlaggedFailed
	out.Capabilities = make([]jsonCapability, len(s.Capabilities))
	for i := range s.Capabilities {
		c := &s.Capabilities[i]
		jc := &out.Capabilities[i]
		*jc = jsonCapability{Name: c.Name, Defined: c.Defined, Passed: c.Passed, Total: c.Total, Flagged: c.Flagged,
			Tests: make([]jsonTest, len(c.Tests))}
		for j := range c.Tests {
			t := &c.Tests[j]
			jt := jsonTest{Name: t.Name, IdempotentID: t.IdempotentID, Aliases: t.Aliases, Outcome: OutcomeNotPassed,
				Flagged: t.Flagged, FlagReason: t.FlagReason, MatchedBy: t.MatchedBy, MatchedName: t.MatchedName}
			if t.Passed {
				jt.Outcome = OutcomePassed
			}
			if jt.Aliases == nil {
				jt.Aliases = []string{}
			}
			jc.Tests[j] = jt
		}
	}
	return out
}

// MarshalJSON encodes the report as the documented JSON document (see the
// package documentation).
func (r *Report) MarshalJSON() ([]byte, error) { return json.Marshal(r.jsonDoc()) }

// WriteJSON writes the documented JSON document, indented by two spaces,
// with a final newline.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r.jsonDoc()); err != nil {
		return fmt.Errorf("score: write JSON: %w", err)
	}
	return nil
}
