package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records what a helper reports instead of
// reporting it; Fatal* and Skipf end the helper's goroutine as testing does.
// It overrides only the methods testenv calls.
type recorder struct {
	testing.TB
	failed, fatal, skipped bool
	msg                    string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
}

func (r *recorder) Fatal(args ...any) {
	r.failed, r.fatal, r.msg = true, true, fmt.Sprint(args...)
	runtime.Goexit()
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.fatal, r.msg = true, true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// record runs f with a recorder in its own goroutine, so that Goexit ends f
// and not the test.
func record(t *testing.T, f func(tb testing.TB)) *recorder {
	t.Helper()
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

func TestGolden(t *testing.T) {
	dir := t.TempDir()
	const how = "go test ./x -update"
	tests := []struct {
		name    string
		file    string // content written before the call; "-" for no file
		got     string
		update  bool
		failed  bool
		fatal   bool
		msgHas  string
		content string // the file after the call
	}{
		{"equal", "same", "same", false, false, false, "", "same"},
		{"differs", "old", "new", false, true, false, "golden mismatch (run " + how + " and review the diff)\ngot:\nnew", "old"},
		{"missing", "-", "new", false, true, true, "(run " + how + " to create it)", ""},
		{"update rewrites", "old", "new", true, false, false, "", "new"},
		{"update creates", "-", "new", true, false, false, "", "new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".golden")
			if tt.file != "-" {
				if err := os.WriteFile(path, []byte(tt.file), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := record(t, func(tb testing.TB) { Golden(tb, path, []byte(tt.got), tt.update, how) })
			if r.failed != tt.failed || r.fatal != tt.fatal || r.skipped || !strings.Contains(r.msg, tt.msgHas) {
				t.Errorf("failed %v, fatal %v, skipped %v, message %q; want failed %v, fatal %v and a message with %q",
					r.failed, r.fatal, r.skipped, r.msg, tt.failed, tt.fatal, tt.msgHas)
			}
			if tt.failed && !strings.HasPrefix(r.msg, path+": ") {
				t.Errorf("message %q does not start with the path", r.msg)
			}
			content, _ := os.ReadFile(path)
			if string(content) != tt.content {
				t.Errorf("file holds %q, want %q", content, tt.content)
			}
		})
	}
}

func TestModuleRoot(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	want, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if root != want {
		t.Errorf("moduleRoot() = %s, want %s", root, want)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !strings.HasPrefix(string(mod), "module github.com/refstack-go/refstack\n") {
		t.Errorf("%s/go.mod is not this module's (%v)", root, err)
	}
}

// Shared and SharedPath agree, whether or not ../shared is there.
func TestShared(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	tests := [][]string{
		nil,
		{"reference", "subunit-v2-vectors", "vectors.json"},
		{"no-such-dir", "no-such-file"},
	}
	for _, parts := range tests {
		t.Run(strings.Join(append([]string{"shared"}, parts...), "/"), func(t *testing.T) {
			want := filepath.Join(append([]string{root, "..", "shared"}, parts...)...)
			path, ok := SharedPath(parts...)
			if path != want {
				t.Errorf("SharedPath = %s, want %s", path, want)
			}
			if _, err := os.Stat(want); ok != (err == nil) {
				t.Errorf("SharedPath says exists %v; stat: %v", ok, err)
			}
			var got string
			r := record(t, func(tb testing.TB) { got = Shared(tb, parts...) })
			switch {
			case r.failed:
				t.Errorf("Shared failed: %s", r.msg)
			case ok && (r.skipped || got != want):
				t.Errorf("Shared = %q (skipped %v: %s), want %s", got, r.skipped, r.msg, want)
			case !ok && (!r.skipped || r.msg != "reference material "+want+" is absent (CI has ../shared beside the checkout)"):
				t.Errorf("Shared of an absent path: skipped %v, message %q", r.skipped, r.msg)
			}
		})
	}
}

func TestPython(t *testing.T) {
	_, err := os.Stat(python)
	tests := []struct {
		modules []string
		skip    bool     // when /usr/bin/python3 is there
		msgHas  []string // in the skip message
	}{
		{nil, false, nil},
		{[]string{"json", "os.path"}, false, nil},
		{[]string{"json", "testenv_no_such_module"}, true,
			[]string{"cannot import testenv_no_such_module: ModuleNotFoundError"}},
		{[]string{"subunit.testenv_no_such_module", "cryptography.testenv_no_such_module", "refstack_client.testenv_no_such_module"}, true,
			[]string{"(Debian package python3-subunit)", "(Debian package python3-cryptography)", "(Debian package refstack-client)"}},
		{[]string{"testtools.testenv_no_such_module"}, true, []string{"(Debian package python3-subunit)"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.modules, ","), func(t *testing.T) {
			var got string
			r := record(t, func(tb testing.TB) { got = Python(tb, tt.modules...) })
			switch {
			case r.failed:
				t.Errorf("Python failed: %s", r.msg)
			case err != nil:
				if !r.skipped || !strings.Contains(r.msg, "(Debian package python3)") {
					t.Errorf("without %s: skipped %v, message %q", python, r.skipped, r.msg)
				}
			case r.skipped != tt.skip:
				t.Errorf("skipped %v (%s), want %v", r.skipped, r.msg, tt.skip)
			case !r.skipped && got != python:
				t.Errorf("Python = %q, want %s", got, python)
			}
			for _, s := range tt.msgHas {
				if err == nil && !strings.Contains(r.msg, s) {
					t.Errorf("skip message %q lacks %q", r.msg, s)
				}
			}
		})
	}
}

func TestTool(t *testing.T) {
	present := filepath.Join(t.TempDir(), "tool")
	if err := os.WriteFile(present, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path   string
		skip   bool
		msgHas string
	}{
		{present, false, ""},
		{"/usr/bin/subunit-testenv-no-such-tool", true, "/usr/bin/subunit-testenv-no-such-tool is not installed (Debian package subunit): "},
		{"/nonexistent/testenv-tool", true, "/nonexistent/testenv-tool is not installed: "},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			var got string
			r := record(t, func(tb testing.TB) { got = Tool(tb, tt.path) })
			if r.failed || r.skipped != tt.skip || !strings.HasPrefix(r.msg, tt.msgHas) || (!tt.skip && got != tt.path) {
				t.Errorf("Tool(%s) = %q: failed %v, skipped %v, message %q; want skipped %v, message starting %q",
					tt.path, got, r.failed, r.skipped, r.msg, tt.skip, tt.msgHas)
			}
		})
	}
}

func TestPackages(t *testing.T) {
	for in, want := range map[string]string{
		"subunit": "python3-subunit", "testtools": "python3-subunit", "cryptography": "python3-cryptography",
		"refstack_client": "refstack-client", "json": "",
	} {
		if got := pythonPackage(in); got != want {
			t.Errorf("pythonPackage(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"/usr/bin/subunit-stats": "subunit", "/usr/bin/subunit-1to2": "subunit",
		"/usr/bin/refstack-client": "refstack-client", "/usr/bin/python3": "", "/opt/subunit-stats": "",
	} {
		if got := toolPackage(in); got != want {
			t.Errorf("toolPackage(%q) = %q, want %q", in, got, want)
		}
	}
}
