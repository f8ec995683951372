package tempest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestNextRun(t *testing.T) {
	t.Run("next-stream gives N", func(t *testing.T) {
		dir := t.TempDir()
		mkfile(t, filepath.Join(dir, ".stestr", "next-stream"), "3\n")
		r, err := NextRun(dir, "")
		if err != nil || r.N != 3 {
			t.Fatalf("NextRun = %+v, %v", r, err)
		}
		for got, want := range map[string]string{
			r.ResultsFile(): filepath.Join(dir, ".stestr", "3.json"),
			r.StreamFile():  filepath.Join(dir, ".stestr", "3.subunit"),
			r.StestrFile():  filepath.Join(dir, ".stestr", "3"),
		} {
			if got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		}
	})
	t.Run("tag", func(t *testing.T) {
		dir := t.TempDir()
		mkfile(t, filepath.Join(dir, ".stestr", "next-stream"), "0")
		r, err := NextRun(dir, "my-tag")
		if err != nil || r.ResultsFile() != filepath.Join(dir, ".stestr", "my-tag-0.json") || r.StreamFile() != filepath.Join(dir, ".stestr", "my-tag-0.subunit") {
			t.Fatalf("NextRun = %+v %s, %v", r, r.ResultsFile(), err)
		}
		if _, err := NextRun(dir, "../x"); err == nil {
			t.Error("a tag with a path separator was accepted")
		}
	})
	t.Run("repository without next-stream", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, ".stestr"), 0o755); err != nil {
			t.Fatal(err)
		}
		if r, err := NextRun(dir, ""); err != nil || r.N != 0 {
			t.Fatalf("NextRun = %+v, %v", r, err)
		}
	})
	t.Run("no repository: made as stestr init makes it", func(t *testing.T) {
		dir := t.TempDir()
		if r, err := NextRun(dir, ""); err != nil || r.N != 0 {
			t.Fatalf("NextRun = %+v, %v", r, err)
		}
		for name, want := range map[string]string{"format": "1\n", "next-stream": "0\n"} {
			if b, err := os.ReadFile(filepath.Join(dir, ".stestr", name)); err != nil || string(b) != want {
				t.Errorf("%s = %q, %v; want %q", name, b, err, want)
			}
		}
	})
	t.Run("corrupt next-stream", func(t *testing.T) {
		dir := t.TempDir()
		mkfile(t, filepath.Join(dir, ".stestr", "next-stream"), "x1")
		if _, err := NextRun(dir, ""); err == nil {
			t.Error("a corrupt next-stream was accepted")
		}
	})
}

func TestCheckWorkspace(t *testing.T) {
	dir := t.TempDir()
	if err := CheckWorkspace(dir); !errors.Is(err, ErrNoWorkspace) {
		t.Errorf("no .stestr.conf: %v", err)
	}
	mkfile(t, filepath.Join(dir, ".stestr.conf"), "[DEFAULT]\n")
	if err := CheckWorkspace(dir); err != nil {
		t.Errorf("workspace: %v", err)
	}
	if err := CheckWorkspace(filepath.Join(dir, ".stestr.conf")); !errors.Is(err, ErrNoWorkspace) {
		t.Errorf("a file: %v", err)
	}
	if err := CheckWorkspace(filepath.Join(dir, "nope")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

func mkfile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
