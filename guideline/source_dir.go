package guideline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// DirSource is a [Source] reading a directory laid out like the
// openstack/interop repository. It reads the root and add-ons/ only, as
// RefStack lists them: verticals/, schemas/ and other folders are not listed.
// Files outside the directory (through symbolic links or "..") are never
// read.
type DirSource struct {
	dir string
}

// NewDirSource returns a source reading dir, which must be a directory. A
// relative dir is made absolute, so the source does not depend on later
// changes of the working directory.
func NewDirSource(dir string) (*DirSource, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("guideline: source: %w", err)
	}
	dir = abs
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("guideline: source: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("guideline: source: %s is not a directory", dir)
	}
	return &DirSource{dir: dir}, nil
}

// Dir returns the absolute path of the directory the source reads.
func (s *DirSource) Dir() string { return s.dir }

// String returns the directory, for messages.
func (s *DirSource) String() string { return s.dir }

// Files lists the regular files of add-ons/ and then of the root, each sorted
// by name. A missing add-ons/ folder lists nothing.
func (s *DirSource) Files(ctx context.Context) ([]SourceFile, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		return nil, fmt.Errorf("guideline: source: %w", err)
	}
	defer root.Close()
	var files []SourceFile
	for _, dir := range []string{"add-ons", "."} {
		names, err := fs.ReadDir(root.FS(), dir)
		if errors.Is(err, fs.ErrNotExist) && dir != "." {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("guideline: source %s: %w", s.dir, err)
		}
		sort.Slice(names, func(i, j int) bool { return names[i].Name() < names[j].Name() })
		for _, de := range names {
			p := path.Join(dir, de.Name())
			if !de.Type().IsRegular() {
				// Follow a symbolic link only to a regular file inside the root.
				if de.Type()&fs.ModeSymlink == 0 {
					continue
				}
				fi, err := root.Stat(p)
				if err != nil || !fi.Mode().IsRegular() {
					continue
				}
			}
			files = append(files, SourceFile{Name: de.Name(), Path: p})
		}
	}
	return files, nil
}

// ReadFile reads the guideline file name from add-ons/ or the root (see
// [Source]).
func (s *DirSource) ReadFile(ctx context.Context, name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		return nil, fmt.Errorf("guideline: source: %w", err)
	}
	defer root.Close()
	p := GuidelinePath(name)
	f, err := root.Open(p)
	if err != nil {
		return nil, fmt.Errorf("guideline: source %s: %w", s.dir, err)
	}
	defer f.Close()
	data, err := readCapped(f)
	if err != nil {
		return nil, fmt.Errorf("guideline: %s: %w", path.Join(s.dir, p), err)
	}
	return data, nil
}
