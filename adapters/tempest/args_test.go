package tempest

import (
	"errors"
	"slices"
	"testing"
)

func TestRunArgs(t *testing.T) {
	tests := []struct {
		name     string
		sel      Select
		parallel bool
		run      []string
		list     []string
		err      bool
	}{
		{name: "nothing: the API tests, serial",
			run:  []string{"run", "--subunit", "--serial", "--regex", "tempest.api"},
			list: []string{"--regex", "tempest.api"}},
		{name: "parallel", parallel: true,
			run: []string{"run", "--subunit", "--regex", "tempest.api"}},
		{name: "include list, Tempest 33", sel: Select{IncludeList: "/tmp/l", IncludeFlag: FlagIncludeList},
			run:  []string{"run", "--subunit", "--serial", "--include-list", "/tmp/l"},
			list: []string{"--include-list", "/tmp/l"}},
		{name: "include list, Tempest 25", sel: Select{IncludeList: "/tmp/l", IncludeFlag: FlagWhitelistFile},
			run: []string{"run", "--subunit", "--serial", "--whitelist_file", "/tmp/l"}},
		{name: "include list with pass-through flags", sel: Select{IncludeList: "/tmp/l", Args: []string{"--exclude-regex", "slow"}},
			run: []string{"run", "--subunit", "--serial", "--include-list", "/tmp/l", "--exclude-regex", "slow"}},
		{name: "include list and a regex", sel: Select{IncludeList: "/tmp/l", Args: []string{"tempest.api"}}, err: true},
		{name: "one regex", sel: Select{Args: []string{"tempest.api.compute"}},
			run: []string{"run", "--subunit", "--serial", "--regex", "tempest.api.compute"}},
		{name: "two regexes", sel: Select{Args: []string{"tempest.api.compute", "tempest.api.image"}},
			run: []string{"run", "--subunit", "--serial", "--regex", "tempest.api.compute|tempest.api.image"}},
		{name: "flags as they are", sel: Select{Args: []string{"--smoke", "--concurrency", "2"}},
			run: []string{"run", "--subunit", "--serial", "--smoke", "--concurrency", "2"}},
		{name: "the user's own --parallel wins", sel: Select{Args: []string{"--parallel", "--regex", "x"}},
			run: []string{"run", "--subunit", "--parallel", "--regex", "x"}},
		{name: "empty regex", sel: Select{Args: []string{"a", ""}}, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run, err := tt.sel.RunArgs(tt.parallel)
			if tt.err {
				if !errors.Is(err, ErrArgs) {
					t.Fatalf("RunArgs = %q, %v; want ErrArgs", run, err)
				}
				return
			}
			if err != nil || !slices.Equal(run, tt.run) {
				t.Errorf("RunArgs = %q, %v\nwant %q", run, err, tt.run)
			}
			if tt.list != nil {
				if list, err := tt.sel.ListArgs(); err != nil || !slices.Equal(list, tt.list) {
					t.Errorf("ListArgs = %q, %v; want %q", list, err, tt.list)
				}
			}
		})
	}
}
