package cpid

import (
	"errors"
	"strings"
	"testing"
)

func TestParseINI(t *testing.T) {
	f, err := parseINI(strings.NewReader("\ufeff[DEFAULT]\nshared = from default\nover = default\n"+
		"[s]\nOver = section\nempty =\ncolon: c = d\nmulti = one\n\n  # comment inside\n\ttwo\n  three\nnext = n\n"), "x.conf")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		section, key, want string
		line               int
		ok                 bool
	}{
		{"s", "shared", "from default", 2, true},
		{"s", "over", "section", 5, true},
		{"s", "empty", "", 6, true},
		{"s", "colon", "c = d", 7, true},
		{"s", "multi", "one\ntwo\nthree", 8, true},
		{"s", "next", "n", 13, true},
		{"s", "missing", "", 0, false},
		{"nosuch", "shared", "from default", 2, true},
		{"DEFAULT", "over", "default", 3, true},
	} {
		v, ok := f.get(tt.section, tt.key)
		if ok != tt.ok || v.value != tt.want || v.line != tt.line {
			t.Errorf("[%s] %s = %q (line %d, %v), want %q (line %d, %v)", tt.section, tt.key, v.value, v.line, ok, tt.want, tt.line, tt.ok)
		}
	}
}

func TestParseINILongLine(t *testing.T) {
	conf := "[s]\na = b\nc = " + strings.Repeat("x", maxConfLine) + "\n"
	_, err := parseINI(strings.NewReader(conf), "big.conf")
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Line != 3 || !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "big.conf:3: syntax error: line longer than") {
		t.Errorf("error %v: want a syntax error on line 3", err)
	}
}

func FuzzParseINI(f *testing.F) {
	for _, tt := range confCases {
		f.Add(tt.conf)
	}
	f.Add("[a]\nk = v\n  cont\n[b]\nk: v\n")
	f.Fuzz(func(t *testing.T, conf string) {
		ini, err := parseINI(strings.NewReader(conf), "fuzz.conf")
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Line < 0 {
				t.Fatalf("error %v is not a *ConfigError with a line", err)
			}
			return
		}
		for section, keys := range ini.sections {
			for key, v := range keys {
				if key != strings.ToLower(key) || key == "" || v.line < 1 {
					t.Fatalf("[%s] %q at line %d", section, key, v.line)
				}
			}
		}
		// Whatever parses, CredentialsFromTempestConf must not panic on it.
		_, _ = CredentialsFromTempestConf(strings.NewReader(conf), t.TempDir())
	})
}
