package guideline

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// guidelineFile is the pattern RefStack's server searches a listed file name
// for to keep it (a search: "2015.next.json" and "x2020.06.json" match too).
var guidelineFile = regexp.MustCompile(`([0-9]{4}\.[0-9]{2}|next)\.json`)

// Listing is what RefStack's GET /v1/guidelines returns: one group of
// guideline files per add-on type, then the core "powered" group. Its
// MarshalJSON writes the server's exact bytes.
type Listing struct {
	// Groups are in the order of the server's JSON object: the add-on
	// groups in the order they were listed, then "powered" (always present,
	// possibly empty).
	Groups []ListGroup
}

// ListGroup is one key of the listing.
type ListGroup struct {
	Name    string      // "powered", or the add-on type: "dns", "orchestration"
	Entries []ListEntry // in listing order
}

// ListEntry is one guideline of a group. For a core guideline Name is the
// file name and File its path in the repository ("2020.06.json" both); for an
// add-on Name is the file name without the "<type>." prefix and File the
// whole file name (Name "2020.06.json", File "dns.2020.06.json"). File is
// what [Resolve] and GET /v1/guidelines/{file} take.
type ListEntry struct {
	Name string
	File string
}

// Group returns the group called name, or nil.
func (l *Listing) Group(name string) *ListGroup {
	for i := range l.Groups {
		if l.Groups[i].Name == name {
			return &l.Groups[i]
		}
	}
	return nil
}

// Powered returns the core guidelines.
func (l *Listing) Powered() []ListEntry {
	if g := l.Group("powered"); g != nil {
		return g.Entries
	}
	return nil
}

// List lists the guidelines of src as RefStack's GET /v1/guidelines does:
//
//   - a file is kept when its name contains (YYYY.MM|next).json;
//   - it is an add-on when its path contains "add-ons", a core ("powered")
//     guideline otherwise, and a name already kept in the same kind is
//     skipped;
//   - add-ons are grouped by the part of the name before the first dot, one
//     group per run of consecutive files with the same prefix (a prefix that
//     comes back after another one replaces its earlier group, as a Python
//     dict does);
//   - the groups come first and "powered" last, as the server builds its
//     answer; a group named "powered" is replaced by the core group.
//
// Unlike the server, which answers an empty listing when its sources fail,
// List returns the error of src.
func List(ctx context.Context, src Source) (*Listing, error) {
	files, err := src.Files(ctx)
	if err != nil {
		return nil, err
	}
	return listFiles(files), nil
}

func listFiles(files []SourceFile) *Listing {
	var powered, addOns []ListEntry
	seenPowered, seenAddOn := map[string]bool{}, map[string]bool{}
	for _, f := range files {
		if !guidelineFile.MatchString(f.Name) {
			continue
		}
		if strings.Contains(f.Path, "add-ons") {
			if !seenAddOn[f.Name] {
				seenAddOn[f.Name] = true
				addOns = append(addOns, ListEntry{File: f.Name})
			}
		} else if !seenPowered[f.Name] {
			seenPowered[f.Name] = true
			powered = append(powered, ListEntry{Name: f.Name, File: f.Path})
		}
	}
	l := &Listing{}
	set := func(g ListGroup) {
		if old := l.Group(g.Name); old != nil {
			old.Entries = g.Entries
			return
		}
		l.Groups = append(l.Groups, g)
	}
	for i := 0; i < len(addOns); {
		prefix, _, _ := strings.Cut(addOns[i].File, ".")
		g := ListGroup{Name: prefix, Entries: []ListEntry{}}
		for ; i < len(addOns); i++ {
			p, rest, _ := strings.Cut(addOns[i].File, ".")
			if p != prefix {
				break
			}
			g.Entries = append(g.Entries, ListEntry{Name: rest, File: addOns[i].File})
		}
		set(g)
	}
	if powered == nil {
		powered = []ListEntry{}
	}
	set(ListGroup{Name: "powered", Entries: powered})
	return l
}

// MarshalJSON writes the listing as RefStack's server does (Python's
// json.dumps defaults): ", " and ": " separators, keys in the order of
// [Listing.Groups], each entry {"name": ..., "file": ...}, non-ASCII escaped
// as \uXXXX, no trailing newline. Call it directly for those bytes:
// encoding/json keeps the order but compacts the spaces away.
func (l Listing) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, g := range l.Groups {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendPyString(b, g.Name)
		b = append(b, ": ["...)
		for j, e := range g.Entries {
			if j > 0 {
				b = append(b, ", "...)
			}
			b = append(b, `{"name": `...)
			b = appendPyString(b, e.Name)
			b = append(b, `, "file": `...)
			b = appendPyString(b, e.File)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// appendPyString appends s as a JSON string the way Python's json module
// writes it with ensure_ascii: the short escapes for " \ \n \r \t \b \f,
// \u00XX for other control characters and DEL, \uXXXX (UTF-16, lower-case hex) for
// everything past ASCII. Invalid UTF-8 is written as U+FFFD.
func appendPyString(b []byte, s string) []byte {
	b = append(b, '"')
	for _, r := range s {
		switch r {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		default:
			switch {
			case r < 0x20 || r == 0x7f:
				b = appendU(b, r)
			case r < utf8.RuneSelf:
				b = append(b, byte(r))
			case r > 0xffff:
				r -= 0x10000
				b = appendU(b, 0xd800+(r>>10))
				b = appendU(b, 0xdc00+(r&0x3ff))
			default:
				b = appendU(b, r)
			}
		}
	}
	return append(b, '"')
}

func appendU(b []byte, r rune) []byte {
	h := strconv.FormatInt(int64(r), 16)
	return append(append(b, `\u`+strings.Repeat("0", 4-len(h))...), h...)
}
