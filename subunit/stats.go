package subunit

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Stats counts test records the way subunit-stats does. subunit-stats feeds
// python-subunit's TestResultStats through testtools'
// StreamToExtendedDecorator, which gives these rules:
//
//   - Events with status exists are dropped before records are assembled,
//     so an enumerated test counts nowhere. Assemble with WithExists(false)
//     for exact parity; Add also ignores a record whose status is exists.
//   - Every other record counts once in Total, a repeated test id as often
//     as it completes.
//   - Failed counts fail records and incomplete records (status inprogress,
//     or unknown when the test only had file events), which testtools
//     reports as failures. The "subunit.parser" record a bad packet gives
//     (see WithParserErrors) is a fail record and so counts here too.
//   - Skipped counts skip records.
//   - Passed is Total − Failed − Skipped: success, but also xfail and
//     uxsuccess, which TestResultStats counts as neither failed nor skipped.
//   - Tags is the union of the tag sets of the counted records.
//
// The zero Stats is empty and ready to use.
type Stats struct {
	byStatus [StatusUnknown + 1]int
	other    int // records with a status outside the enum
	tags     map[string]struct{}
}

// Add counts one record.
func (s *Stats) Add(r *Record) {
	if r == nil {
		return
	}
	if int(r.Status) < len(s.byStatus) {
		s.byStatus[r.Status]++
	} else {
		s.other++
	}
	if r.Status == StatusExists {
		return
	}
	if len(r.Tags) > 0 && s.tags == nil {
		s.tags = make(map[string]struct{}, len(r.Tags))
	}
	for _, t := range r.Tags {
		if _, seen := s.tags[t]; !seen { // a lookup is cheaper than an assignment
			s.tags[t] = struct{}{}
		}
	}
}

// Count returns the number of records added with status st, exists included.
// Incomplete records count under StatusInProgress or StatusUnknown.
func (s *Stats) Count(st Status) int {
	if int(st) < len(s.byStatus) {
		return s.byStatus[st]
	}
	return 0
}

// Total returns the number of tests run: every record added but exists ones.
func (s *Stats) Total() int {
	n := s.other
	for st, c := range s.byStatus {
		if Status(st) != StatusExists {
			n += c
		}
	}
	return n
}

// Failed returns the number of fail records plus incomplete ones (a record
// with a status that is not final counts as incomplete).
func (s *Stats) Failed() int {
	return s.byStatus[StatusFail] + s.byStatus[StatusInProgress] + s.byStatus[StatusUnknown] +
		s.byStatus[StatusUndefined] + s.other
}

// Skipped returns the number of skip records.
func (s *Stats) Skipped() int { return s.byStatus[StatusSkip] }

// Passed returns Total − Failed − Skipped: the success, xfail and uxsuccess
// records.
func (s *Stats) Passed() int { return s.Total() - s.Failed() - s.Skipped() }

// Successful reports whether no test failed, as subunit-stats' exit status
// does (an xfail or uxsuccess is not a failure there).
func (s *Stats) Successful() bool { return s.Failed() == 0 }

// Tags returns the tags seen on the counted records, sorted.
func (s *Stats) Tags() []string {
	tags := make([]string, 0, len(s.tags))
	for t := range s.tags {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	return tags
}

// WriteTo writes the summary in subunit-stats' format:
//
//	Total tests:      63
//	Passed tests:     62
//	Failed tests:      1
//	Skipped tests:     0
//	Seen tags: worker-0, worker-1
func (s *Stats) WriteTo(w io.Writer) (int64, error) {
	n, err := fmt.Fprintf(w, "Total tests:   %5d\nPassed tests:  %5d\nFailed tests:  %5d\nSkipped tests: %5d\nSeen tags: %s\n",
		s.Total(), s.Passed(), s.Failed(), s.Skipped(), strings.Join(s.Tags(), ", "))
	return int64(n), err
}
