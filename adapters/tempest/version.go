package tempest

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// IncludeListSince is the first Tempest major version whose "tempest run"
// takes --include-list; earlier ones only know --whitelist_file.
const IncludeListSince = 26

// Flags for the include list, as Tempest spells them.
const (
	FlagIncludeList   = "--include-list"
	FlagWhitelistFile = "--whitelist_file"
)

// ErrNoVersion is returned by ParseVersion when the output holds no version.
var ErrNoVersion = errors.New("no version number")

// Version is the version of an installed Tempest.
type Version struct {
	Major, Minor, Patch int
}

func (v Version) String() string {
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}

// IncludeListFlag returns the flag of "tempest run" that takes an include
// list: --include-list from Tempest 26 on, --whitelist_file before. Tempest 26
// and later still accept --whitelist_file as a deprecated alias, so the old
// name is only used where the new one does not exist.
func (v Version) IncludeListFlag() string {
	if v.Major < IncludeListSince {
		return FlagWhitelistFile
	}
	return FlagIncludeList
}

// versionRE finds "tempest 33.0.0" (cliff's --version output), also with a
// pbr development suffix ("tempest 25.0.1.dev12").
var versionRE = regexp.MustCompile(`(?m)^\s*tempest\s+(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?`)

// ParseVersion reads the output of "tempest --version". It returns an error
// wrapping ErrNoVersion when the output holds no "tempest X.Y[.Z]" line.
func ParseVersion(out []byte) (Version, error) {
	m := versionRE.FindSubmatch(out)
	if m == nil {
		const max = 80
		s := string(out)
		if len(s) > max {
			s = s[:max] + "..."
		}
		return Version{}, fmt.Errorf("tempest --version said %q: %w", s, ErrNoVersion)
	}
	var v Version
	// The digits are bounded to 6, so Atoi cannot fail.
	v.Major, _ = strconv.Atoi(string(m[1]))
	v.Minor, _ = strconv.Atoi(string(m[2]))
	if len(m[3]) > 0 {
		v.Patch, _ = strconv.Atoi(string(m[3]))
	}
	return v, nil
}
