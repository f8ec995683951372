package guideline

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

func TestDirSourceFiles(t *testing.T) {
	src, err := NewDirSource(filepath.Join("testdata", "source"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := src.Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []SourceFile{
		{"criteria.txt", "add-ons/criteria.txt"},
		{"dns.2020.06.json", "add-ons/dns.2020.06.json"},
		{"dns.next.json", "add-ons/dns.next.json"},
		{"orchestration.2020.06.json", "add-ons/orchestration.2020.06.json"},
		{"2020.06.json", "2020.06.json"},
		{"README.md", "README.md"},
		{"latest.json", "latest.json"},
		{"next.json", "next.json"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Files:\n got %v\nwant %v", got, want)
	}
}

func TestDirSourceReadFile(t *testing.T) {
	src, err := NewDirSource(filepath.Join("testdata", "source"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string // file expected, under testdata/source
		wantErr error
	}{
		{name: "2020.06.json", path: "2020.06.json"},
		{name: "next.json", path: "next.json"},
		{name: "dns.2020.06.json", path: "add-ons/dns.2020.06.json"},
		{name: "dns.next.json", path: "add-ons/dns.next.json"},
		{name: "latest.json", path: "latest.json"},
		{name: "2019.11.json", wantErr: fs.ErrNotExist},
		{name: "nfv.next.json", wantErr: fs.ErrNotExist}, // verticals are not read, as upstream
		{name: "criteria.txt", wantErr: fs.ErrNotExist},  // only add-on names go to add-ons/
		{name: "../source/next.json", wantErr: ErrBadName},
		{name: "..", wantErr: ErrBadName},
		{name: "", wantErr: ErrBadName},
		{name: `a\b.json`, wantErr: ErrBadName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := src.ReadFile(context.Background(), tt.name)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ReadFile(%q) = %v, want %v", tt.name, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("testdata", "source", tt.path))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("ReadFile(%q) = %q, want %q", tt.name, got, want)
			}
		})
	}
}

func TestDirSourceErrors(t *testing.T) {
	if _, err := NewDirSource(filepath.Join("testdata", "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing directory: %v", err)
	}
	if _, err := NewDirSource(filepath.Join("testdata", "source", "next.json")); err == nil {
		t.Error("a file as directory: no error")
	}
	src, err := NewDirSource(filepath.Join("testdata", "source"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := src.Files(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Files with canceled ctx: %v", err)
	}
	if _, err := src.ReadFile(ctx, "next.json"); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadFile with canceled ctx: %v", err)
	}
}

func TestDirSourceNoAddOns(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "2020.06.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := NewDirSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := src.Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := []SourceFile{{"2020.06.json", "2020.06.json"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Files = %v, want %v", got, want)
	}
}

func TestDirSourceSymlinkOutside(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	target := filepath.Join(outside, "2020.06.json")
	if err := os.WriteFile(target, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "2020.06.json")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	src, err := NewDirSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.ReadFile(context.Background(), "2020.06.json"); err == nil {
		t.Error("read a file outside the directory through a symbolic link")
	}
	if files, err := src.Files(context.Background()); err != nil || len(files) != 0 {
		t.Errorf("Files = %v, %v; want nothing", files, err)
	}
}

// TestDirSourceInterop lists the real interop repository snapshot.
func TestDirSourceInterop(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	src, err := NewDirSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := List(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	dates := []string{"2018.02", "2018.11", "2019.06", "2019.11", "2020.06", "next"}
	core := []string{"2015.03", "2015.04", "2015.05", "2015.07", "2016.01", "2016.08", "2017.01", "2017.09",
		"2018.02", "2018.11", "2019.06", "2019.11", "2020.06", "next"}
	want := `{`
	for _, g := range []string{"dns", "orchestration"} {
		want += `"` + g + `": [`
		for i, d := range dates {
			if i > 0 {
				want += ", "
			}
			want += `{"name": "` + d + `.json", "file": "` + g + "." + d + `.json"}`
		}
		want += `], `
	}
	want += `"powered": [`
	for i, d := range core {
		if i > 0 {
			want += ", "
		}
		want += `{"name": "` + d + `.json", "file": "` + d + `.json"}`
	}
	want += `]}`
	got, err := l.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("listing:\n got %s\nwant %s", got, want)
	}
	if n := len(l.Powered()); n != 14 {
		t.Errorf("%d core guidelines, want 14", n)
	}
	// Every listed file resolves and reads back.
	for _, g := range l.Groups {
		for _, e := range g.Entries {
			data, name, err := Resolve(context.Background(), src, e.File)
			if err != nil || name != e.File || len(data) == 0 {
				t.Errorf("Resolve(%q) = %d bytes, %q, %v", e.File, len(data), name, err)
			}
		}
	}
}
