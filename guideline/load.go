package guideline

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ParseError is a guideline that cannot be loaded: malformed JSON, or a value
// of the wrong JSON type where the model needs a structure (capabilities
// that are not an object, say).
type ParseError struct {
	Pointer string // JSON pointer of the value, "" for a syntax error
	Offset  int    // byte offset of the offending byte or value
	Line    int    // 1-based
	Column  int    // 1-based, in bytes
	Err     error
}

func (e *ParseError) Error() string {
	if e.Pointer != "" {
		return fmt.Sprintf("guideline: %s (line %d, column %d): %v", e.Pointer, e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("guideline: line %d, column %d: %v", e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Load reads and parses the guideline file at path. Beyond [Parse], it warns
// when the file name does not match the guideline's id (orchestration.2018.02.json
// says it is orchestration.next). Errors name the file.
func Load(path string) (*Guideline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	g, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if base := strings.TrimSuffix(filepath.Base(path), ".json"); g.ID != "" && base != g.ID {
		ptr := "/id"
		if strings.HasPrefix(g.Schema, "2") {
			ptr = "/metadata/id"
		}
		g.Warnings = append(g.Warnings, Warning{Pointer: ptr,
			Message: fmt.Sprintf("id %q does not match the file name %q", g.ID, filepath.Base(path))})
	}
	return g, nil
}

// Parse decodes a guideline of any schema version. Quirks of the document
// are reported in the Guideline's Warnings; only malformed JSON and values
// of the wrong type for the model fail, with a *ParseError.
//
// The Guideline holds copies of the strings it needs and nothing of data,
// which may be changed or reused once Parse returns.
func Parse(data []byte) (*Guideline, error) {
	t, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	defer t.release()
	b := &builder{data: data, t: t, g: &Guideline{}}
	if err := b.build(t.root); err != nil {
		return nil, err
	}
	return b.g, nil
}

// builder turns the tree into the model.
type builder struct {
	data []byte
	t    *tree
	g    *Guideline

	// Lines are counted from the last position asked for, as warnings
	// mostly come in file order: lineOff is an offset, line the number of
	// newlines before it.
	lineOff, line int

	// Slabs the model's small slices and flags are cut from, which saves
	// an allocation each. Every cut is capped at its own length, so an
	// append by the caller copies rather than writes into a neighbour.
	strSlab  []string
	testSlab []Test
	flagSlab []Flag
}

// newStrings returns a slice of n strings cut from the slab.
func (b *builder) newStrings(n int) []string {
	if n == 0 {
		return []string{} // not nil, as for a list with no strings
	}
	if n > len(b.strSlab) {
		if n > 64 {
			return make([]string, n)
		}
		b.strSlab = make([]string, 256)
	}
	out := b.strSlab[:n:n]
	b.strSlab = b.strSlab[n:]
	return out
}

// newFlag returns an empty flag cut from the slab.
func (b *builder) newFlag() *Flag {
	if len(b.flagSlab) == 0 {
		b.flagSlab = make([]Flag, 64)
	}
	f := &b.flagSlab[0]
	b.flagSlab = b.flagSlab[1:]
	return f
}

// Shorthands for the tree's accessors.

func (b *builder) get(n *node, key string) *node { return b.t.get(n, key) }
func (b *builder) members(n *node) []node        { return b.t.members(n) }
func (b *builder) text(n *node) string           { return b.t.str(n) }
func (b *builder) keyOf(n *node) string          { return b.t.key(n) }
func (b *builder) pointer(n *node) string        { return b.t.pointer(n) }

// at returns the JSON pointer of the member key of parent, which may be
// absent or stand under another spelling.
func (b *builder) at(parent *node, key string) string { return ptr(b.pointer(parent), key) }

// strList returns the strings of an array of strings (nil for a null), or
// false when n is anything else; the caller then reports the error.
func (b *builder) strList(n *node) ([]string, bool) {
	if n == nil || n.kind == kindNull {
		return nil, true
	}
	if n.kind != kindArray {
		return nil, false
	}
	ms := b.members(n)
	for ei := range ms {
		if ms[ei].kind != kindString {
			return nil, false
		}
	}
	out := b.newStrings(len(ms))
	for i := range ms {
		out[i] = b.text(&ms[i])
	}
	return out, true
}

// pos returns the 1-based line and column (in bytes) of offset off.
func (b *builder) pos(off int) (line, col int) {
	end := min(off, len(b.data))
	if end < b.lineOff {
		b.lineOff, b.line = 0, 0
	}
	b.line += bytes.Count(b.data[b.lineOff:end], []byte{'\n'})
	b.lineOff = end
	return b.line + 1, off - (bytes.LastIndexByte(b.data[:end], '\n') + 1) + 1
}

func (b *builder) warn(ptr string, off int, format string, args ...any) {
	var line, col int
	if off >= 0 {
		line, col = b.pos(off)
	}
	b.g.Warnings = append(b.g.Warnings, Warning{Pointer: ptr, Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
}

func (b *builder) typeError(ptr string, n *node, want string) error {
	off := int(n.off)
	line, col := b.pos(off)
	return &ParseError{Pointer: ptr, Offset: off, Line: line, Column: col,
		Err: fmt.Errorf("expected %s, found %s", want, n.kind)}
}

// ptr appends a reference token to a JSON pointer, escaped per RFC 6901.
func ptr(base, tok string) string {
	if strings.ContainsAny(tok, "~/") {
		tok = strings.NewReplacer("~", "~0", "/", "~1").Replace(tok)
	}
	return base + "/" + tok
}

func itoa(i int) string { return strconv.Itoa(i) }

// Typed accessors. n is the member key of parent, or a misspelling of it;
// a message names it by parent's pointer and key, which are joined only
// for an error, keeping loading free of string building. A nil node
// (absent key) yields the zero value; a null is treated as absent; any
// other wrong type is a *ParseError.

func (b *builder) str(parent *node, key string, n *node) (string, error) {
	if n == nil || n.kind == kindNull {
		return "", nil
	}
	if n.kind != kindString {
		return "", b.typeError(b.at(parent, key), n, "string")
	}
	return b.text(n), nil
}

// scalar accepts a string or a number (cutoff_score, weights).
func (b *builder) scalar(parent *node, key string, n *node) (string, error) {
	if n == nil || n.kind == kindNull {
		return "", nil
	}
	if n.kind != kindString && n.kind != kindNumber {
		return "", b.typeError(b.at(parent, key), n, "string or number")
	}
	return b.text(n), nil
}

func (b *builder) boolean(parent *node, key string, n *node) (bool, error) {
	if n == nil || n.kind == kindNull {
		return false, nil
	}
	if n.kind != kindBool {
		return false, b.typeError(b.at(parent, key), n, "boolean")
	}
	return n.b, nil
}

func (b *builder) strings(parent *node, key string, n *node) ([]string, error) {
	if out, ok := b.strList(n); ok {
		return out, nil
	}
	if n.kind != kindArray {
		return nil, b.typeError(b.at(parent, key), n, "array of strings")
	}
	ms := b.members(n)
	for i := range ms {
		if e := &ms[i]; e.kind != kindString {
			return nil, b.typeError(ptr(b.at(parent, key), itoa(i)), e, "string")
		}
	}
	panic("unreachable: strList accepts an array of strings")
}

// object checks that n is an object (or absent, or an empty array, which
// 1.2 guidelines write for empty section lists) and warns about keys not in
// known, and about keys given twice.
func (b *builder) object(n *node, known ...string) (bool, error) {
	if n == nil || n.kind == kindNull {
		return false, nil
	}
	if n.kind == kindArray && n.n == 0 {
		b.warn(b.pointer(n), int(n.off), "an empty array where an object is expected; read as an empty object")
		return false, nil
	}
	if n.kind != kindObject {
		return false, b.typeError(b.pointer(n), n, "object")
	}
	if known != nil {
		b.checkKeys(n, known)
	}
	return true, nil
}

func (b *builder) checkKeys(n *node, known []string) {
	ms := b.members(n)
	for i := range ms {
		m := &ms[i]
		key := b.t.keyBytes(m)
		for previ := range ms[:i] {
			if string(b.t.keyBytes(&ms[previ])) == string(key) {
				b.warn(b.pointer(m), int(m.keyOff), "key %q appears more than once; the last one is used", key)
				break
			}
		}
		if !containsKey(known, key) {
			if s := closest(string(key), known); s != "" {
				b.warn(b.pointer(m), int(m.keyOff), "unknown key %q (misspelled %q?)", key, s)
			} else {
				b.warn(b.pointer(m), int(m.keyOff), "unknown key %q", key)
			}
		}
	}
}

// containsKey is contains for a key's bytes.
func containsKey(list []string, key []byte) bool {
	for _, x := range list {
		if x == string(key) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// closest returns the known key within edit distance 2 of key, or "".
func closest(key string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(key, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Damerau-Levenshtein (optimal string alignment)
// distance between short ASCII keys.
func editDistance(a, b string) int {
	if len(a) > 40 || len(b) > 40 || len(a)-len(b) > 2 || len(b)-len(a) > 2 {
		return 99 // only near misses of short keys matter
	}
	// Three rows of the dynamic programme: i-2, i-1, i. Distances of keys
	// of at most 40 bytes fit in a byte, which keeps the rows cheap to
	// clear.
	var rows [3][41]uint8
	for j := 0; j <= len(b); j++ {
		rows[0][j] = uint8(j)
	}
	for i := 1; i <= len(a); i++ {
		prev2, prev, cur := &rows[(i+1)%3], &rows[(i+2)%3], &rows[i%3]
		cur[0] = uint8(i)
		for j := 1; j <= len(b); j++ {
			cost := uint8(1)
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
	}
	return int(rows[len(a)%3][len(b)])
}
