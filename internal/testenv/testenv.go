package testenv

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// python is the interpreter the Debian packages install their modules for
// (the python3 on PATH may be another one).
const python = "/usr/bin/python3"

// Shared returns the path of ../shared/<parts...> beside the module root, or
// skips the test when it does not exist. The module root is the nearest
// directory holding go.mod, from the working directory up.
func Shared(t testing.TB, parts ...string) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	path := sharedJoin(root, parts)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("reference material %s is absent (CI has ../shared beside the checkout)", path)
	} else if err != nil {
		t.Skipf("reference material %s is absent (CI has ../shared beside the checkout): %v", path, err)
	}
	return path
}

// SharedPath is Shared for code that must not skip, such as fuzz seeders: it
// returns the path and whether it exists. The path is "" when there is no
// module root.
func SharedPath(parts ...string) (string, bool) {
	root, err := moduleRoot()
	if err != nil {
		return "", false
	}
	path := sharedJoin(root, parts)
	_, err = os.Stat(path)
	return path, err == nil
}

func sharedJoin(root string, parts []string) string {
	return filepath.Join(append([]string{filepath.Dir(root), "shared"}, parts...)...)
}

// moduleRoot returns the nearest directory holding go.mod, from the working
// directory up.
func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		if fi, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && fi.Mode().IsRegular() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod in %s or above", wd)
		}
		dir = parent
	}
}

// importProbe imports each module named in argv and prints a line
// "module<TAB>error" for each one that fails.
const importProbe = `
import importlib, sys
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception as e:
        print(name, type(e).__name__ + ": " + str(e), sep="\t")
`

// Python returns /usr/bin/python3 when it exists and can import every module
// named (dotted names like "subunit.v2" are fine), or skips the test naming
// what is missing and, where known, the Debian package that installs it.
// The probe runs in a temporary directory, as importing refstack_client
// writes a tempest.log in the working directory.
func Python(t testing.TB, modules ...string) string {
	t.Helper()
	if _, err := os.Stat(python); err != nil {
		t.Skipf("%s is not installed (Debian package python3): %v", python, err)
	}
	if len(modules) == 0 {
		return python
	}
	cmd := exec.Command(python, append([]string{"-c", importProbe}, modules...)...)
	cmd.Dir = t.TempDir()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("%s cannot run the import probe for %s: %v: %s", python, strings.Join(modules, ", "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	var missing []string
	for line := range strings.Lines(string(out)) {
		name, reason, _ := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		top, _, _ := strings.Cut(name, ".")
		if pkg := pythonPackage(top); pkg != "" {
			name += " (Debian package " + pkg + ")"
		}
		missing = append(missing, name+": "+reason)
	}
	if len(missing) > 0 {
		t.Skipf("%s cannot import %s", python, strings.Join(missing, "; "))
	}
	return python
}

// pythonPackage names the Debian package that installs the top-level Python
// module, or "" when it is not one the tests use.
func pythonPackage(module string) string {
	switch module {
	case "subunit", "testtools":
		return "python3-subunit"
	case "cryptography":
		return "python3-cryptography"
	case "refstack_client":
		return "refstack-client"
	}
	return ""
}

// Tool returns path when the file exists, or skips the test naming, where
// known, the Debian package that installs it.
func Tool(t testing.TB, path string) string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		if pkg := toolPackage(path); pkg != "" {
			t.Skipf("%s is not installed (Debian package %s): %v", path, pkg, err)
		}
		t.Skipf("%s is not installed: %v", path, err)
	}
	return path
}

// toolPackage names the Debian package that installs the executable at path,
// or "" when it is not one the tests use.
func toolPackage(path string) string {
	switch {
	case strings.HasPrefix(path, "/usr/bin/subunit-"):
		return "subunit"
	case path == "/usr/bin/refstack-client":
		return "refstack-client"
	}
	return ""
}

// Golden compares got with the file at path, after writing got to it when
// update is set. A missing file or a difference fails the test with how, the
// command that rewrites the golden files (such as "go test ./submit -update").
func Golden(t testing.TB, path string, got []byte, update bool, how string) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (run %s to create it)", path, err, how)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: golden mismatch (run %s and review the diff)\ngot:\n%s", path, how, got)
	}
}
