package tempest

import (
	"errors"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		out  string
		want Version
		flag string
		err  bool
	}{
		{out: "tempest 33.0.0\n", want: Version{33, 0, 0}, flag: FlagIncludeList},
		{out: "tempest 26.0.0", want: Version{26, 0, 0}, flag: FlagIncludeList},
		{out: "tempest 25.0.1.dev12\n", want: Version{25, 0, 1}, flag: FlagWhitelistFile},
		{out: "tempest 19.0", want: Version{19, 0, 0}, flag: FlagWhitelistFile},
		{out: "/usr/lib/python3/dist-packages/x.py:1: DeprecationWarning: y\ntempest 30.1.0\n", want: Version{30, 1, 0}, flag: FlagIncludeList},
		{out: "", err: true},
		{out: "Traceback (most recent call last):\nImportError: no module named tempest\n", err: true},
		{out: "tempest 9999999.0.0", err: true},
	}
	for _, tt := range tests {
		v, err := ParseVersion([]byte(tt.out))
		if tt.err {
			if !errors.Is(err, ErrNoVersion) {
				t.Errorf("ParseVersion(%q) = %v, %v; want ErrNoVersion", tt.out, v, err)
			}
			continue
		}
		if err != nil || v != tt.want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v", tt.out, v, err, tt.want)
		}
		if got := v.IncludeListFlag(); got != tt.flag {
			t.Errorf("%v.IncludeListFlag() = %s, want %s", v, got, tt.flag)
		}
	}
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"tempest 33.0.0\n", "tempest 25.0.1.dev12", "", "tempest 1.2", "x\ntempest 3.4.5"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, out []byte) {
		v, err := ParseVersion(out)
		if err != nil {
			if !errors.Is(err, ErrNoVersion) {
				t.Fatalf("error %v does not wrap ErrNoVersion", err)
			}
			return
		}
		// What was parsed parses back the same.
		again, err := ParseVersion([]byte("tempest " + v.String()))
		if err != nil || again != v {
			t.Fatalf("%v: round trip gave %v, %v", v, again, err)
		}
	})
}
