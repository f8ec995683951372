package guideline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// A Source holds guideline files laid out like the openstack/interop
// repository: core guidelines (2020.06.json, next.json) at the root and
// add-ons (dns.2020.06.json) under add-ons/. [NewDirSource] reads a checkout
// of that repository; [NewHTTPSource] reads it the way RefStack's server
// does, through the GitHub contents API and raw file URLs.
//
// Implementations are safe for concurrent use.
type Source interface {
	// Files lists the files of the source in the order RefStack reads its
	// listings: the files under add-ons/ first, then the files at the root.
	// Directories and other non-files are left out, and so is nothing else:
	// [List] picks the guideline files among them.
	Files(ctx context.Context) ([]SourceFile, error)

	// ReadFile returns the content of the guideline file name, a base name
	// such as "2020.06.json" or "dns.2020.06.json". A name of the form
	// <type>.<YYYY.MM|next>.json is read from add-ons/, any other name from
	// the root, as RefStack's server does ([GuidelinePath]). When the file
	// does not exist the error satisfies errors.Is(err, fs.ErrNotExist).
	ReadFile(ctx context.Context, name string) ([]byte, error)
}

// SourceFile is one file of a [Source] listing.
type SourceFile struct {
	Name string // base name: "2020.06.json", "dns.2020.06.json", "README.md"
	Path string // slash-separated path from the repository root: "add-ons/dns.2020.06.json"
}

// MaxFileSize is the largest file or listing a [Source] reads, 32 MiB. The
// largest published guideline is under 200 KiB.
const MaxFileSize = 32 << 20

// ErrTooLarge is wrapped by the error of a read longer than [MaxFileSize].
var ErrTooLarge = errors.New("larger than the 32 MiB limit")

// ErrBadName is wrapped by the error of [Source.ReadFile] when the name is
// not a plain file name (empty, ".", "..", or holding a slash or backslash).
var ErrBadName = errors.New("not a plain file name")

// addOnFile is the pattern RefStack's server searches a guideline file name
// for to decide that it is an add-on, read from add-ons/. It is a search, not
// a full match, as upstream.
var addOnFile = regexp.MustCompile(`[a-z]*\.([0-9]{4}\.[0-9]{2}|next)\.json`)

// GuidelinePath returns the path, from the repository root, at which
// RefStack's server fetches the guideline file name: add-ons/<name> when the
// name contains <letters>.<YYYY.MM|next>.json (so "dns.2020.06.json"),
// <name> otherwise ("2020.06.json", "next.json").
func GuidelinePath(name string) string {
	if addOnFile.MatchString(name) {
		return "add-ons/" + name
	}
	return name
}

// checkName reports whether name is a plain file name a source may read.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) || strings.ContainsRune(name, 0) {
		return fmt.Errorf("guideline: %q: %w", name, ErrBadName)
	}
	return nil
}

// readCapped reads r to the end, failing with ErrTooLarge past MaxFileSize.
func readCapped(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, ErrTooLarge
	}
	return data, nil
}
