package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/subunit"
)

// statusSet is the set of final statuses a --status flag selects. A nil set
// selects every status.
type statusSet map[subunit.Status]bool

// has reports whether s selects st.
func (s statusSet) has(st subunit.Status) bool { return s == nil || s[st] }

// statusNames lists the values --status accepts, for help and errors.
const statusNames = "success, fail, skip, xfail, uxsuccess, exists, inprogress, unknown"

func statusFlag(usage string) ucli.Flag {
	return &ucli.StringSliceFlag{
		Name:  "status",
		Usage: usage + " (repeat the flag or give a comma list; one of " + statusNames + ")",
	}
}

// parseStatuses reads the values of a --status flag. No values gives a nil
// set (no filter). "inprogress" and "unknown" select tests that never reached
// a final status: inprogress if they were seen starting, unknown otherwise.
func parseStatuses(vals []string) (statusSet, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	set := statusSet{}
	for _, v := range vals {
		v = strings.TrimSpace(v)
		st, err := subunit.ParseStatus(v)
		if err != nil || st == subunit.StatusUndefined {
			return nil, usageErrorf("--status: unknown status %q (want one of %s)", v, statusNames)
		}
		set[st] = true
	}
	return set, nil
}
