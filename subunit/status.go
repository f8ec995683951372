package subunit

import "fmt"

// Status is a test status as carried in the low three bits of a v2 packet's flags.
// The values 0–7 are the wire values; StatusUnknown is a record-level state that
// never appears on the wire.
type Status uint8

// The test statuses of the subunit v2 protocol, in wire order.
const (
	StatusUndefined  Status = 0 // no status: file chunks, run-level output, start markers
	StatusExists     Status = 1 // enumerated, not run
	StatusInProgress Status = 2 // started
	StatusSuccess    Status = 3 // passed
	StatusUxSuccess  Status = 4 // passed but was expected to fail (counts as a failure)
	StatusSkip       Status = 5 // skipped
	StatusFail       Status = 6 // failed or errored
	StatusXFail      Status = 7 // failed as expected (not a failure)

	// StatusUnknown is the state of a record that saw only file events (testtools'
	// "unknown"). It is never read from or written to a stream.
	StatusUnknown Status = 8
)

var statusNames = [...]string{"undefined", "exists", "inprogress", "success", "uxsuccess", "skip", "fail", "xfail", "unknown"}

// String returns the name python-subunit and testtools use for s
// ("undefined" for StatusUndefined, which Python calls None).
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Final reports whether s ends a test: exists, success, uxsuccess, skip, fail
// and xfail are final; undefined and inprogress are interim.
func (s Status) Final() bool {
	return s != StatusUndefined && s != StatusInProgress && s != StatusUnknown
}

// ParseStatus returns the Status named name, as String spells it.
func ParseStatus(name string) (Status, error) {
	for i, n := range statusNames {
		if n == name {
			return Status(i), nil
		}
	}
	return 0, fmt.Errorf("subunit: unknown status %q (want one of undefined, exists, inprogress, success, uxsuccess, skip, fail, xfail, unknown)", name)
}
