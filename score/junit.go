package score

import (
	"encoding/xml"
	"fmt"
	"io"

	"github.com/refstack-go/refstack/guideline"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string           `xml:"name,attr"`
	Tests      int              `xml:"tests,attr"`
	Failures   int              `xml:"failures,attr"`
	Skipped    int              `xml:"skipped,attr"`
	Properties *junitProperties `xml:"properties,omitempty"`
	Cases      []junitCase      `xml:"testcase"`
}

type junitProperties struct {
	Property []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the report as JUnit XML: a testsuite per status
// ("2020.06 required") and a testcase per guideline test, named by the
// test with its capability as classname. A test that passed passes; a
// flagged test that did not is skipped with the flag's reason; a required
// test that did not is a failure; a test of another status that did not is
// skipped, since compliance does not count it. So the failures are exactly
// what makes the run not compliant.
func (r *Report) WriteJUnit(w io.Writer) error {
	doc := junitSuites{Name: "refstack score " + r.Guideline + " " + r.Target}
	for _, st := range guideline.Statuses() {
		s := r.Statuses[st]
		if s == nil {
			continue
		}
		suite := junitSuite{Name: r.Guideline + " " + string(st), Cases: make([]junitCase, 0, s.Tests)}
		if st == guideline.Required {
			suite.Properties = &junitProperties{Property: []junitProperty{
				{Name: "program", Value: r.Program},
				{Name: "compliant", Value: fmt.Sprint(r.Compliant)},
				{Name: "sentence", Value: r.Sentence()},
			}}
		}
		for i := range s.Capabilities {
			c := &s.Capabilities[i]
			for j := range c.Tests {
				t := &c.Tests[j]
				tc := junitCase{Name: t.Name, Classname: c.Name}
				switch {
				case t.Passed:
				case t.Flagged:
					msg := "flagged"
					if t.FlagReason != "" {
						msg += ": " + t.FlagReason
					}
					tc.Skipped = &junitMessage{Message: msg}
				case st == guideline.Required:
					tc.Failure = &junitMessage{Message: "required test not passed"}
				default:
					tc.Skipped = &junitMessage{Message: string(st) + " test not passed (not required)"}
				}
				if tc.Failure != nil {
					suite.Failures++
				}
				if tc.Skipped != nil {
					suite.Skipped++
				}
				suite.Cases = append(suite.Cases, tc)
			}
		}
		suite.Tests = len(suite.Cases)
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Skipped += suite.Skipped
		doc.Suites = append(doc.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("score: write JUnit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("score: write JUnit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("score: write JUnit: %w", err)
	}
	return nil
}
