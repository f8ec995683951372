package cli

import (
	"slices"
	"testing"
)

func TestHoistFlags(t *testing.T) {
	cmds := newApp(&env{prog: "refstack"}).Commands
	for _, tt := range []struct{ in, want []string }{
		{[]string{"refstack", "upload-subunit", "f.subunit", "--keystone-endpoint", "http://k:5000/v3", "-y"},
			[]string{"refstack", "upload-subunit", "--keystone-endpoint", "http://k:5000/v3", "-y", "f.subunit"}},
		{[]string{"refstack", "subunit", "ls", "f", "--status=fail", "--status", "skip"},
			[]string{"refstack", "subunit", "ls", "--status=fail", "--status", "skip", "f"}},
		{[]string{"refstack", "subunit", "stats", "-", "--json"},
			[]string{"refstack", "subunit", "stats", "--json", "-"}},
		{[]string{"refstack", "subunit", "stats", "--", "--json"},
			[]string{"refstack", "subunit", "stats", "--", "--json"}},
		{[]string{"refstack", "nosuch", "x", "--y"}, []string{"refstack", "nosuch", "x", "--y"}},
		{[]string{"refstack"}, []string{"refstack"}},
	} {
		if got := hoistFlags(cmds, tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("hoistFlags(%q)\n got  %q\n want %q", tt.in, got, tt.want)
		}
	}
}

// TestFlagsAfterInput runs commands with their flags after the input, as
// refstack-client's users write them, and expects what the usual order gives.
func TestFlagsAfterInput(t *testing.T) {
	in := fixture("clean.subunit")
	for _, tt := range []struct{ before, after []string }{
		{[]string{"subunit", "ls", "--status", "fail", in}, []string{"subunit", "ls", in, "--status", "fail"}},
		{[]string{"subunit", "stats", "--json", in}, []string{"subunit", "stats", in, "--json"}},
		{[]string{"results", "--cpid", "c", "--duration", "7", in}, []string{"results", in, "--cpid", "c", "--duration=7"}},
	} {
		want, got := run(t, "", tt.before...), run(t, "", tt.after...)
		if got.code != want.code || got.stdout != want.stdout || got.stdout == "" {
			t.Errorf("%q: code %d stdout %q\nwant (as %q) code %d stdout %q", tt.after, got.code, got.stdout, tt.before, want.code, want.stdout)
		}
	}
}
