package tempest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// DefaultRegex selects the tests a run has when nothing else does: Tempest's
// API tests. refstack-client meant this (its README says "the entire API test
// set") but never passed it, so it ran every test Tempest has.
const DefaultRegex = "tempest.api"

// Selection arguments, as the user gives them and as "tempest run" takes them.
type Select struct {
	// IncludeList is the path of an include list (WriteIncludeList), or "".
	IncludeList string
	// IncludeFlag is the flag that passes it: Version.IncludeListFlag().
	// Empty means FlagIncludeList.
	IncludeFlag string
	// Args are the arguments given after "--". When they start with a flag
	// they go to "tempest run" as they are; otherwise they are regular
	// expressions, passed as one --regex (joined with "|"). refstack-client
	// put --regex in front of them all, which Tempest rejects for more than one.
	// With an include list only flags may be given.
	Args []string
}

// ErrArgs is wrapped by the errors for selection arguments that do not go
// together.
var ErrArgs = errors.New("bad tempest arguments")

// Args returns the arguments of "tempest run" that select the tests: the
// include list, the pass-through arguments, or --regex DefaultRegex.
func (s Select) args() ([]string, error) {
	flags := len(s.Args) > 0 && strings.HasPrefix(s.Args[0], "-")
	switch {
	case s.IncludeList != "":
		if len(s.Args) > 0 && !flags {
			return nil, fmt.Errorf("%w: a test list and the regular expressions %q: give one or the other", ErrArgs, s.Args)
		}
		flag := s.IncludeFlag
		if flag == "" {
			flag = FlagIncludeList
		}
		return append([]string{flag, s.IncludeList}, s.Args...), nil
	case flags:
		return slices.Clone(s.Args), nil
	case len(s.Args) > 0:
		for _, a := range s.Args {
			if a == "" {
				return nil, fmt.Errorf("%w: empty regular expression", ErrArgs)
			}
		}
		return []string{"--regex", strings.Join(s.Args, "|")}, nil
	}
	return []string{"--regex", DefaultRegex}, nil
}

// ListArgs returns the arguments of ListTests that list the tests a run with
// s will have.
func (s Select) ListArgs() ([]string, error) { return s.args() }

// RunArgs returns the command line of the run after "tempest": "run
// --subunit", --serial unless parallel (refstack-client runs serially unless
// --parallel; pass-through arguments that choose already win), then the
// selection.
func (s Select) RunArgs(parallel bool) ([]string, error) {
	sel, err := s.args()
	if err != nil {
		return nil, err
	}
	args := []string{"run", "--subunit"}
	chosen := slices.ContainsFunc(s.Args, func(a string) bool {
		return a == "--serial" || a == "-t" || a == "--parallel"
	})
	if !parallel && !chosen {
		args = append(args, "--serial")
	}
	return append(args, sel...), nil
}
