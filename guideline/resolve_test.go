package guideline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestResolve(t *testing.T) {
	src, err := NewDirSource(filepath.Join("testdata", "source"))
	if err != nil {
		t.Fatal(err)
	}
	read := func(p string) string {
		data, err := os.ReadFile(filepath.Join("testdata", "source", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	tests := []struct {
		arg      string
		src      Source
		wantName string
		wantFile string // under testdata/source
		wantErr  error
	}{
		{arg: "2020.06", src: src, wantName: "2020.06.json", wantFile: "2020.06.json"},
		{arg: "2020.06.json", src: src, wantName: "2020.06.json", wantFile: "2020.06.json"},
		{arg: "next", src: src, wantName: "next.json", wantFile: "next.json"},
		{arg: "dns.2020.06", src: src, wantName: "dns.2020.06.json", wantFile: "add-ons/dns.2020.06.json"},
		{arg: "dns.next.json", src: src, wantName: "dns.next.json", wantFile: "add-ons/dns.next.json"},
		{arg: "orchestration.2020.06", src: src, wantName: "orchestration.2020.06.json", wantFile: "add-ons/orchestration.2020.06.json"},
		{arg: "latest", src: src, wantName: "latest.json", wantFile: "latest.json"},
		// Paths are read as they are, whatever the source.
		{arg: filepath.Join("testdata", "source", "verticals", "nfv.next.json"), src: src, wantName: "nfv.next.json", wantFile: "verticals/nfv.next.json"},
		{arg: filepath.Join("testdata", "source", "add-ons", "criteria.txt"), wantName: "criteria.txt", wantFile: "add-ons/criteria.txt"},
		{arg: "./testdata/source/next.json", wantName: "next.json", wantFile: "next.json"},
		// Missing.
		{arg: "2019.11", src: src, wantErr: fs.ErrNotExist},
		{arg: "nfv.next", src: src, wantErr: fs.ErrNotExist},
		{arg: "2020.06", wantErr: fs.ErrNotExist},
		{arg: filepath.Join("testdata", "source", "2019.11.json"), src: src, wantErr: fs.ErrNotExist},
		{arg: "testdata", src: src, wantErr: fs.ErrNotExist}, // a directory is a name, testdata.json
		{arg: filepath.Join("testdata", "source"), src: src}, // a directory path: error
		{arg: "", src: src},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			data, name, err := Resolve(context.Background(), tt.src, tt.arg)
			if tt.wantFile == "" {
				if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
					t.Fatalf("Resolve(%q) = %q, %v; want error %v", tt.arg, name, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if name != tt.wantName || string(data) != read(tt.wantFile) {
				t.Errorf("Resolve(%q) = %q, %q; want %q, the content of %s", tt.arg, name, data, tt.wantName, tt.wantFile)
			}
		})
	}
}

// TestResolveLocalFirst checks that a file of the working directory wins
// over the source.
func TestResolveLocalFirst(t *testing.T) {
	src, err := NewDirSource(filepath.Join("testdata", "source"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile("next.json", []byte("local"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, name, err := Resolve(context.Background(), src, "next.json")
	if err != nil || name != "next.json" || string(data) != "local" {
		t.Errorf("Resolve = %q, %q, %v; want the local file", data, name, err)
	}
	if data, _, err := Resolve(context.Background(), src, "next"); err != nil || string(data) == "local" {
		t.Errorf("Resolve(next) = %q, %v; want the source's", data, err)
	}
}

func TestResolveCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Resolve(ctx, nil, "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("Resolve = %v", err)
	}
}

func ExampleResolve() {
	src, err := NewDirSource(filepath.Join("testdata", "source"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, arg := range []string{"2020.06", "dns.2020.06.json", filepath.Join("testdata", "source", "next.json"), "2019.11"} {
		data, name, err := Resolve(context.Background(), src, arg)
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Println(arg, "not found")
			continue
		}
		fmt.Printf("%s %s %d bytes\n", arg, name, len(data))
	}
	// Output:
	// 2020.06 2020.06.json 81 bytes
	// dns.2020.06.json dns.2020.06.json 53 bytes
	// testdata/source/next.json next.json 46 bytes
	// 2019.11 not found
}

func TestIsFilePath(t *testing.T) {
	for arg, want := range map[string]bool{
		"2020.06":                            false,
		"dns.2020.06.json":                   false,
		"testdata":                           false, // a directory
		"./next.json":                        true,
		"testdata/source/next.json":          true,
		"/nonexistent/2020.06.json":          true,
		filepath.Join("testdata", "missing"): true,
	} {
		if got := IsFilePath(arg); got != want {
			t.Errorf("IsFilePath(%q) = %v, want %v", arg, got, want)
		}
	}
}
