package cli

import (
	"context"
	"slices"

	"errors"
	"fmt"
	ucli "github.com/urfave/cli/v2"
	"strings"
	"testing"
)

// The help of every command is golden: go test ./adapters/cli -update rewrites
// testdata/help.golden after a deliberate change. New commands join the file
// by themselves.
func TestHelpGolden(t *testing.T) {
	var all strings.Builder
	for _, args := range helpPaths(newApp(&env{prog: "refstack"}).Commands, nil) {
		args = append(args, "--help")
		r := run(t, "", args...)
		if r.code != CodeOK || r.stderr != "" {
			t.Errorf("%q: code %d, stderr %q; want 0 and nothing", args, r.code, r.stderr)
		}
		fmt.Fprintf(&all, "$ refstack %s\n%s\n", strings.Join(args, " "), r.stdout)
	}
	golden(t, "help.golden", []byte(all.String()))
}

// helpPaths returns the command words of every command under cmds, depth
// first, starting with prefix itself.
func helpPaths(cmds []*ucli.Command, prefix []string) [][]string {
	paths := [][]string{prefix}
	for _, c := range cmds {
		paths = append(paths, helpPaths(c.Subcommands, append(slices.Clone(prefix), c.Name))...)
	}
	return paths
}

func TestUsageErrors(t *testing.T) {
	in := fixture("clean.subunit")
	tests := []struct {
		name string
		args []string
		want []string // substrings of stderr
	}{
		{"no command", nil, []string{"USAGE:", "subunit"}},
		{"unknown command", []string{"bogus"}, []string{`unknown command "bogus"`, "Run 'refstack --help'"}},
		{"unknown global flag", []string{"--bogus"}, []string{"-bogus", "Run 'refstack --help'"}},
		{"subunit alone", []string{"subunit"}, []string{"USAGE:", "stats"}},
		{"unknown subunit command", []string{"subunit", "bogus"}, []string{`unknown command "subunit bogus"`, "Run 'refstack subunit --help'"}},
		{"stats bad flag", []string{"subunit", "stats", "--bogus", in}, []string{"subunit stats:", "-bogus", "Run 'refstack subunit stats --help'"}},
		{"ls bad flag", []string{"subunit", "ls", "--times", in}, []string{"subunit ls:", "-times"}},
		{"filter bad flag", []string{"subunit", "filter", "--with", "x", in}, []string{"subunit filter:", "-with"}},
		{"junit bad flag", []string{"subunit", "junit", "--status", "fail", in}, []string{"subunit junit:", "-status"}},
		{"stats no input", []string{"subunit", "stats"}, []string{"subunit stats: missing input"}},
		{"ls no input", []string{"subunit", "ls", "--status", "fail"}, []string{"subunit ls: missing input"}},
		{"filter no input", []string{"subunit", "filter"}, []string{"subunit filter: missing input"}},
		{"junit no input", []string{"subunit", "junit"}, []string{"subunit junit: missing input"}},
		{"two inputs", []string{"subunit", "stats", in, in}, []string{"want one input, got 2"}},
		{"ls bad status", []string{"subunit", "ls", "--status", "failed", in}, []string{`--status: unknown status "failed"`, "success, fail"}},
		{"filter bad status in list", []string{"subunit", "filter", "--status", "fail,undefined", in}, []string{`--status: unknown status "undefined"`}},
		{"filter bad regex", []string{"subunit", "filter", "--regex", "a(", in}, []string{"--regex:", "missing closing )"}},
		{"filter bad without-regex", []string{"subunit", "filter", "--without-regex", "[", in}, []string{"--without-regex:"}},
		{"flag without value", []string{"subunit", "filter", "--regex"}, []string{"subunit filter:", "flag needs an argument", "-regex"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "", tt.args...)
			if r.code != CodeUsage {
				t.Errorf("code %d, want %d (stderr %q)", r.code, CodeUsage, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not contain %q", r.stderr, w)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}

func TestMissingFile(t *testing.T) {
	path := t.TempDir() + "/no-such.subunit"
	for _, cmd := range []string{"stats", "ls", "filter", "junit"} {
		t.Run(cmd, func(t *testing.T) {
			r := run(t, "", "subunit", cmd, path)
			if r.code != CodeNotFinished {
				t.Errorf("code %d, want %d", r.code, CodeNotFinished)
			}
			if !strings.Contains(r.stderr, path) || !strings.Contains(r.stderr, "no such file") {
				t.Errorf("stderr %q does not name %s", r.stderr, path)
			}
		})
	}
}

func TestStrictStopsAtBadPacket(t *testing.T) {
	for _, cmd := range []string{"stats", "ls", "filter", "junit"} {
		t.Run(cmd, func(t *testing.T) {
			r := run(t, "", "subunit", cmd, "--strict", fixture("mixed.subunit"))
			if r.code != CodeNotFinished {
				t.Errorf("code %d, want %d", r.code, CodeNotFinished)
			}
			if !strings.Contains(r.stderr, "bad CRC32") || !strings.Contains(r.stderr, "mixed.subunit") {
				t.Errorf("stderr %q does not report the bad packet and the file", r.stderr)
			}
			// Lenient (the default) goes on and warns.
			r = run(t, "", "subunit", cmd, fixture("mixed.subunit"))
			if r.code == CodeNotFinished || !strings.Contains(r.stderr, "warning:") {
				t.Errorf("lenient: code %d, stderr %q; want a warning and no code 3", r.code, r.stderr)
			}
		})
	}
}

func TestInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := runCtx(t, ctx, "", "subunit", "stats", fixture("clean.subunit"))
	if r.code != CodeNotFinished || !strings.Contains(r.stderr, "interrupted") {
		t.Errorf("code %d, stderr %q; want %d and interrupted", r.code, r.stderr, CodeNotFinished)
	}
}

// failingWriter fails every write, like a closed pipe.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestOutputErrors(t *testing.T) {
	for _, cmd := range []string{"stats", "ls", "filter", "junit"} {
		t.Run(cmd, func(t *testing.T) {
			var stderr strings.Builder
			code := Run(context.Background(), []string{"refstack", "subunit", cmd, fixture("clean.subunit")}, strings.NewReader(""), failingWriter{}, &stderr)
			if code != CodeNotFinished || !strings.Contains(stderr.String(), "broken pipe") {
				t.Errorf("code %d, stderr %q; want %d and the write error", code, stderr.String(), CodeNotFinished)
			}
		})
	}
}

func TestHelpWord(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"subunit", "help"}} {
		r := run(t, "", args...)
		if r.code != CodeOK || !strings.Contains(r.stdout, "COMMANDS:") {
			t.Errorf("%q: code %d, stdout %q; want 0 and the help", args, r.code, r.stdout)
		}
	}
}

func TestNilStreams(t *testing.T) {
	if code := Run(context.Background(), []string{"refstack", "subunit", "stats", "-"}, nil, nil, nil); code != CodeOK {
		t.Errorf("code %d, want 0 for an empty stream", code)
	}
	if code := Run(context.Background(), nil, nil, nil, nil); code != CodeUsage {
		t.Errorf("no args: code %d, want %d", code, CodeUsage)
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, CodeOK},
		{checkFailed(), CodeCheckFailed},
		{usageErrorf("x"), CodeUsage},
		{fmt.Errorf("wrapped: %w", notFinished(errors.New("io"))), CodeNotFinished},
		{errors.New("from urfave/cli"), CodeUsage},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestStdin(t *testing.T) {
	data := string(readFixture(t, "clean.subunit"))
	for _, cmd := range []string{"stats", "ls", "filter", "junit"} {
		t.Run(cmd, func(t *testing.T) {
			fromFile := run(t, "", "subunit", cmd, fixture("clean.subunit"))
			fromStdin := run(t, data, "subunit", cmd, "-")
			if fromStdin != fromFile {
				t.Errorf("stdin gave %+v\nthe file gave %+v", fromStdin, fromFile)
			}
			if fromFile.stdout == "" {
				t.Error("no output")
			}
		})
	}
}

// Run keeps no state between calls, and urfave/cli's package variables are
// not written: concurrent runs are race-free (go test -race checks).
func TestRunConcurrently(t *testing.T) {
	want := run(t, "", "subunit", "ls", fixture("clean.subunit"))
	done := make(chan result)
	for i := range 8 {
		go func() {
			args := []string{"subunit", "ls", fixture("clean.subunit")}
			if i%2 == 1 {
				args = []string{"subunit", "ls", "--help"}
			}
			var stdout, stderr strings.Builder
			code := Run(context.Background(), append([]string{"refstack"}, args...), strings.NewReader(""), &stdout, &stderr)
			done <- result{code, stdout.String(), stderr.String()}
		}()
	}
	for i := range 8 {
		r := <-done
		if r.code == CodeOK && strings.Contains(r.stdout, "USAGE:") {
			continue // a --help run
		}
		if r != want {
			t.Errorf("run %d: got %+v, want %+v", i, r, want)
		}
	}
}
