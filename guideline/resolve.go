package guideline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Resolve finds the guideline a command line names and returns its content
// and its file name. arg is, in this order:
//
//  1. a file path: when arg holds a path separator, or a file of that name
//     exists (relative to the working directory), that file is read and name
//     is its base name ("/tmp/x/2020.06.json" → "2020.06.json"). A path that
//     does not exist fails, it is never looked up in src;
//  2. otherwise a guideline name, read from src: "2020.06", "next" or
//     "dns.2020.06", with or without ".json". As RefStack's GET
//     /v1/guidelines/{file} does, ".json" is appended when arg does not
//     contain it, and <type>.<YYYY.MM|next>.json names are read from
//     add-ons/ ([GuidelinePath]); name is then "2020.06.json" or
//     "dns.2020.06.json".
//
// src may be nil, when only file paths are accepted. A guideline that exists
// nowhere fails with an error satisfying errors.Is(err, fs.ErrNotExist).
// Resolve does not parse the content: pass it to [Parse].
func Resolve(ctx context.Context, src Source, arg string) (data []byte, name string, err error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	if arg == "" {
		return nil, "", errors.New("guideline: empty guideline name")
	}
	if IsFilePath(arg) {
		f, err := os.Open(arg)
		if err != nil {
			return nil, "", fmt.Errorf("guideline: %w", err)
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return nil, "", fmt.Errorf("guideline: %s is a directory", arg)
		}
		data, err := readCapped(f)
		if err != nil {
			return nil, "", fmt.Errorf("guideline: %s: %w", arg, err)
		}
		return data, filepath.Base(arg), nil
	}
	name = jsonName(arg)
	if src == nil {
		return nil, "", fmt.Errorf("guideline: %s: no such file, and no guideline source: %w", arg, fs.ErrNotExist)
	}
	data, err = src.ReadFile(ctx, name)
	if err != nil {
		return nil, "", err
	}
	return data, name, nil
}

// FileName returns the file name RefStack reads for a guideline named in a
// request or on a command line: ".json" is appended when name does not
// contain it ("2020.06" and "2020.06.json" are "2020.06.json"). A name that
// is not a plain file name (empty, ".", "..", a slash, a backslash, a NUL)
// is an error wrapping [ErrBadName].
func FileName(name string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	return jsonName(name), nil
}

// jsonName applies RefStack's rule: ".json" is appended unless the name
// already contains it.
func jsonName(name string) string {
	if !strings.Contains(name, ".json") {
		return name + ".json"
	}
	return name
}

// IsFilePath reports whether [Resolve] reads arg as a file path rather than a
// guideline name: when arg holds a path separator, or names an existing file
// that is not a directory.
func IsFilePath(arg string) bool {
	if strings.ContainsRune(arg, '/') || strings.ContainsRune(arg, filepath.Separator) {
		return true
	}
	fi, err := os.Stat(arg)
	return err == nil && !fi.IsDir()
}
