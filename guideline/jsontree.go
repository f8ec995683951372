package guideline

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// The guideline files are decoded into a small ordered tree rather than with
// encoding/json: the model needs the file order of objects (capabilities,
// tests, criteria), the position of every value for messages, and the values
// whatever their JSON type (cutoff_score is a string in 1.x and a number in
// 2.0). One pass over the bytes builds the tree.
//
// The tree is laid out for speed, as loading a guideline and listing its
// tests is on the path of every scoring request: all nodes live in one
// slice, the members of an object or array side by side; a node holds no
// pointer (a string is a span of the document's bytes) and so costs the
// garbage collector nothing; the buffers are reused from one parse to the
// next; and only the strings the model keeps are copied, once, into a few
// shared chunks.

// kind is the JSON type of a node.
type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

func (k kind) String() string {
	switch k {
	case kindNull:
		return "null"
	case kindBool:
		return "boolean"
	case kindNumber:
		return "number"
	case kindString:
		return "string"
	case kindArray:
		return "array"
	}
	return "object"
}

// span is a run of bytes, [start, end), of the document or, for a string
// that is not a plain run of the document (escapes, invalid UTF-8), of its
// decoded text.
type span struct{ start, end int32 }

// node is one JSON value. str holds a string's text or a number's literal;
// b a boolean. The members of an object, or the items of an array, are
// tree.nodes[first:first+n]. off is the byte offset where the value starts;
// key and keyOff are the key of an object's member and the offset of its
// opening quote. strDec and keyDec mark spans of the decoded text. parent is
// the index of the enclosing object or array, -1 for the document.
type node struct {
	kind   kind
	b      bool
	strDec bool
	keyDec bool
	off    int32
	keyOff int32
	parent int32
	first  int32
	n      int32
	str    span
	key    span
}

// tree is a decoded document. It lives only while Parse runs: its node and
// decoded-text buffers go back to a pool afterwards, and strings of the
// model are copied out of it (keep), which makes the document's bytes
// free to change once Parse returns.
type tree struct {
	data  []byte
	dec   []byte // the decoded text of strings that are not plain runs of data
	nodes []node
	root  *node

	// Strings handed out are copied one after the other into the chunk
	// text holds, which strings.Builder lets us share without a copy
	// each; a full chunk is left to the strings cut from it. textLeft is
	// the bytes of the document's strings and numbers not yet kept, which
	// bounds what is left to keep unless a string is kept twice, and sizes
	// the chunks.
	text     strings.Builder
	textLeft int

	parser *jsonParser // for release
}

func (t *tree) bytesOf(s span, dec bool) []byte {
	if dec {
		return t.dec[s.start:s.end]
	}
	return t.data[s.start:s.end]
}

// strBytes returns a string's text or a number's literal, valid while the
// tree is.
func (t *tree) strBytes(n *node) []byte { return t.bytesOf(n.str, n.strDec) }

// keyBytes returns the key of an object member, valid while the tree is.
func (t *tree) keyBytes(n *node) []byte { return t.bytesOf(n.key, n.keyDec) }

// str returns a string's text or a number's literal as a string of its own.
func (t *tree) str(n *node) string { return t.keep(t.strBytes(n)) }

// key returns the key of an object member as a string of its own.
func (t *tree) key(n *node) string { return t.keep(t.keyBytes(n)) }

// keyIs reports whether the key of member n is key.
func (t *tree) keyIs(n *node, key string) bool { return string(t.keyBytes(n)) == key }

// keep returns b as a string cut from the current chunk.
func (t *tree) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if t.text.Cap()-t.text.Len() < len(b) {
		t.text = strings.Builder{} // leave the full chunk to its strings
		t.text.Grow(max(len(b), min(t.textLeft, maxChunk)))
	}
	t.textLeft = max(t.textLeft-len(b), 0)
	start := t.text.Len()
	t.text.Write(b)
	return t.text.String()[start:]
}

// members returns the members of an object or the items of an array; none
// for anything else or nil.
func (t *tree) members(n *node) []node {
	if n == nil {
		return nil
	}
	return t.nodes[n.first : n.first+n.n : n.first+n.n]
}

// get returns the value of the member named key, or nil. When the key is
// given more than once the last one counts, as in Python's json module,
// which RefStack uses.
func (t *tree) get(n *node, key string) *node {
	if n == nil || n.kind != kindObject {
		return nil
	}
	ms := t.members(n)
	for i := len(ms) - 1; i >= 0; i-- {
		if m := &ms[i]; t.keyIs(m, key) {
			return m
		}
	}
	return nil
}

// truthy reports what Python's bool() says of the decoded value: null,
// false, 0, "", [] and {} are false.
func (t *tree) truthy(n *node) bool {
	if n == nil {
		return false
	}
	switch n.kind {
	case kindBool:
		return n.b
	case kindNumber:
		f, err := strconv.ParseFloat(string(t.strBytes(n)), 64)
		return err != nil || f != 0
	case kindString:
		return n.str.end > n.str.start
	case kindArray, kindObject:
		return n.n > 0
	}
	return false
}

// pointer returns the JSON pointer of n, escaped per RFC 6901. It is
// worked out from the parent links only when a message needs it, so that
// loading builds no pointer strings.
func (t *tree) pointer(n *node) string {
	if n.parent < 0 {
		return ""
	}
	p := &t.nodes[n.parent]
	if p.kind == kindObject {
		return ptr(t.pointer(p), string(t.keyBytes(n)))
	}
	ms := t.members(p)
	for i := range ms {
		if &ms[i] == n {
			return t.pointer(p) + "/" + itoa(i)
		}
	}
	return t.pointer(p) // not reached: n is one of its parent's items
}

// release hands the tree's buffers back for the next parse. Nothing taken
// from the tree but strings from str and key may be used afterwards.
func (t *tree) release() {
	p := t.parser
	*t = tree{}
	if p == nil || cap(p.nodes) > maxPooledNodes || cap(p.stack) > maxPooledNodes || cap(p.dec) > maxPooledText || cap(p.scratch) > maxPooledText {
		return
	}
	*p = jsonParser{nodes: p.nodes[:0], stack: p.stack[:0], dec: p.dec[:0], scratch: p.scratch[:0]}
	parsers.Put(p)
}

// maxDepth caps the nesting of arrays and objects; guidelines nest about six
// levels deep.
const maxDepth = 1000

// maxDocument is the largest document parseJSON takes: offsets are kept in
// 32 bits. Guidelines are a few hundred kilobytes.
const maxDocument = math.MaxInt32

// maxChunk caps the chunks strings are kept in: the allocator serves
// blocks up to 32 KiB from per-thread caches, larger ones from the heap,
// which costs more.
const maxChunk = 32 << 10

// maxPooledNodes caps the node buffer kept for reuse (a guideline needs a
// few thousand), so that one huge document does not pin its memory.
const maxPooledNodes = 1 << 16

// maxPooledText caps the decoded-text and scratch buffers kept for reuse.
const maxPooledText = 1 << 20

var (
	errUnexpectedEOF = errors.New("unexpected end of JSON input")
	errTooDeep       = errors.New("JSON nested too deeply")
	errTooLarge      = errors.New("JSON document larger than 2 GiB")
)

// parsers recycles the parsers' buffers: a tree is scaffolding that Parse
// drops once the model is built.
var parsers = sync.Pool{New: func() any { return new(jsonParser) }}

type jsonParser struct {
	data     []byte
	pos      int
	depth    int
	maxDepth int

	// A value is pushed on stack when it starts; the members of an object
	// or array follow it there while it is open, and move together to
	// nodes when it closes.
	stack   []node
	nodes   []node
	dec     []byte // decoded text of strings that are not plain runs of data
	scratch []byte // for decoding strings with escapes

	textBytes int // the length of all keys, strings and numbers
}

// parseJSON decodes one JSON document. Errors are *ParseError with the
// position of the offending byte. Call release on the tree when done.
func parseJSON(data []byte) (*tree, error) { return parseJSONDepth(data, maxDepth) }

// parseJSONDepth is parseJSON with arrays and objects nested at most
// depth deep.
func parseJSONDepth(data []byte, depth int) (*tree, error) {
	if len(data) > maxDocument {
		return nil, &ParseError{Offset: 0, Line: 1, Column: 1, Err: errTooLarge}
	}
	p := parsers.Get().(*jsonParser)
	p.data, p.maxDepth = data, depth
	if cap(p.nodes) == 0 {
		// A guideline has a value for about every 50 bytes.
		p.nodes = make([]node, 0, min(len(data)/40+16, maxPooledNodes))
		p.stack = make([]node, 0, 256)
	}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.pos = 3 // a UTF-8 byte order mark
	}
	t := &tree{parser: p}
	err := p.value(span{}, 0, false)
	if err == nil {
		p.space()
		if p.pos < len(p.data) {
			err = p.errorf("invalid character %s after top-level value", quoteByte(p.data[p.pos]))
		}
	}
	if err != nil {
		t.release()
		return nil, err
	}
	p.stack[0].parent = -1
	p.nodes = append(p.nodes, p.stack[0])
	p.stack = p.stack[:0]
	p.adopt(len(p.nodes) - 1)
	t.data, t.dec, t.nodes, t.textLeft = data, p.dec, p.nodes, p.textBytes
	t.root = &t.nodes[len(t.nodes)-1]
	return t, nil
}

// adopt points the members of nodes[i] at their parent's final index.
func (p *jsonParser) adopt(i int) {
	c := &p.nodes[i]
	for k := c.first; k < c.first+c.n; k++ {
		p.nodes[k].parent = int32(i)
	}
}

// close moves the members of the object or array at stack[at] to nodes.
func (p *jsonParser) close(at int) {
	first := len(p.nodes)
	p.nodes = append(p.nodes, p.stack[at+1:]...)
	p.stack = p.stack[:at+1]
	p.stack[at].first, p.stack[at].n = int32(first), int32(len(p.nodes)-first)
	for i := first; i < len(p.nodes); i++ {
		if p.nodes[i].n > 0 {
			p.adopt(i)
		}
	}
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return p.errorAt(p.pos, fmt.Errorf(format, args...))
}

func (p *jsonParser) errorAt(off int, err error) error {
	line, col := position(p.data, off)
	return &ParseError{Offset: off, Line: line, Column: col, Err: err}
}

func quoteByte(c byte) string {
	if c < utf8.RuneSelf {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// spaces8 is eight spaces, for skipping indentation a word at a time.
const spaces8 = 0x2020202020202020

func (p *jsonParser) space() {
	d := p.data
	for p.pos < len(d) {
		c := d[p.pos]
		if c > ' ' {
			return // most calls find no white space at all
		}
		switch c {
		case ' ':
			if p.pos+8 <= len(d) && binary.LittleEndian.Uint64(d[p.pos:]) == spaces8 {
				p.pos += 8
				continue
			}
			p.pos++
		case '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value decodes the value at p.pos and pushes it on the stack, with key,
// keyOff and keyDec for an object member.
func (p *jsonParser) value(key span, keyOff int32, keyDec bool) error {
	p.space()
	if p.pos >= len(p.data) {
		return p.errorf("%w", errUnexpectedEOF)
	}
	n := node{off: int32(p.pos), key: key, keyOff: keyOff, keyDec: keyDec}
	var err error
	switch c := p.data[p.pos]; {
	case c == '{':
		n.kind = kindObject
		return p.object(n)
	case c == '[':
		n.kind = kindArray
		return p.array(n)
	case c == '"':
		n.kind = kindString
		n.str, n.strDec, err = p.string()
	case c == '-' || (c >= '0' && c <= '9'):
		n.kind = kindNumber
		n.str, err = p.number()
	case c == 't':
		n.kind, n.b = kindBool, true
		err = p.literal("true")
	case c == 'f':
		n.kind = kindBool
		err = p.literal("false")
	case c == 'n':
		n.kind = kindNull
		err = p.literal("null")
	default:
		return p.errorf("invalid character %s looking for beginning of value", quoteByte(c))
	}
	if err != nil {
		return err
	}
	p.textBytes += int(n.str.end - n.str.start + n.key.end - n.key.start)
	p.stack = append(p.stack, n)
	return nil
}

func (p *jsonParser) literal(word string) error {
	for i := 0; i < len(word); i++ {
		if p.pos >= len(p.data) {
			return p.errorf("%w", errUnexpectedEOF)
		}
		if p.data[p.pos] != word[i] {
			return p.errorf("invalid character %s in literal %s", quoteByte(p.data[p.pos]), word)
		}
		p.pos++
	}
	return nil
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > p.maxDepth {
		return p.errorf("%w", errTooDeep)
	}
	return nil
}

// open starts the container n whose opening byte is at p.pos: it pushes n
// and reports whether the container is empty (then already closed).
func (p *jsonParser) open(n node, closer byte) (at int, empty bool, err error) {
	if err := p.enter(); err != nil {
		return 0, false, err
	}
	at = len(p.stack)
	p.textBytes += int(n.key.end - n.key.start)
	p.stack = append(p.stack, n)
	p.pos++ // { or [
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == closer {
		p.pos++
		p.depth--
		return at, true, nil
	}
	return at, false, nil
}

// next reads what follows a member or element of the container at stack
// index at: a comma, or the closer, which ends the container (done).
func (p *jsonParser) next(at int, closer byte, after string) (done bool, err error) {
	p.space()
	if p.pos >= len(p.data) {
		return false, p.errorf("%w", errUnexpectedEOF)
	}
	switch p.data[p.pos] {
	case ',':
		p.pos++
		return false, nil
	case closer:
		p.pos++
		p.depth--
		p.close(at)
		return true, nil
	}
	return false, p.errorf("invalid character %s after %s", quoteByte(p.data[p.pos]), after)
}

func (p *jsonParser) object(n node) error {
	at, empty, err := p.open(n, '}')
	if empty || err != nil {
		return err
	}
	for {
		p.space()
		if p.pos >= len(p.data) {
			return p.errorf("%w", errUnexpectedEOF)
		}
		if p.data[p.pos] != '"' {
			return p.errorf("invalid character %s looking for beginning of object key string", quoteByte(p.data[p.pos]))
		}
		keyOff := p.pos
		key, keyDec, err := p.string()
		if err != nil {
			return err
		}
		p.space()
		if p.pos >= len(p.data) {
			return p.errorf("%w", errUnexpectedEOF)
		}
		if p.data[p.pos] != ':' {
			return p.errorf("invalid character %s after object key", quoteByte(p.data[p.pos]))
		}
		p.pos++
		if err := p.value(key, int32(keyOff), keyDec); err != nil {
			return err
		}
		if done, err := p.next(at, '}', "object key:value pair"); done || err != nil {
			return err
		}
	}
}

func (p *jsonParser) array(n node) error {
	at, empty, err := p.open(n, ']')
	if empty || err != nil {
		return err
	}
	for {
		if err := p.value(span{}, 0, false); err != nil {
			return err
		}
		if done, err := p.next(at, ']', "array element"); done || err != nil {
			return err
		}
	}
}

func (p *jsonParser) number() (span, error) {
	start := p.pos
	d := p.data
	if d[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		s := p.pos
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
		}
		return p.pos - s
	}
	if p.pos < len(d) && d[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return span{}, p.numberError()
	}
	if p.pos < len(d) && d[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return span{}, p.numberError()
		}
	}
	if p.pos < len(d) && (d[p.pos] == 'e' || d[p.pos] == 'E') {
		p.pos++
		if p.pos < len(d) && (d[p.pos] == '+' || d[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return span{}, p.numberError()
		}
	}
	return span{int32(start), int32(p.pos)}, nil
}

func (p *jsonParser) numberError() error {
	if p.pos >= len(p.data) {
		return p.errorf("%w", errUnexpectedEOF)
	}
	return p.errorf("invalid character %s in numeric literal", quoteByte(p.data[p.pos]))
}

// Eight bytes at a time: lsb has the low bit of each byte set, msb the
// high bit.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// stops returns the high bit of each byte of x (eight bytes of a string,
// the first in the low byte) that a string's fast path stops at: the
// quote, the backslash, a control character or a byte of multi-byte UTF-8.
// Only the lowest bit set is exact (a borrow may mark a byte above it),
// which is all the scan uses.
func stops(x uint64) uint64 {
	q := x ^ (lsb * '"')
	bs := x ^ (lsb * '\\')
	return ((q - lsb) &^ q) | ((bs - lsb) &^ bs) | ((x - lsb*0x20) &^ x) | x&msb
}

// decoded appends b to the decoded text and returns its span.
func (p *jsonParser) decoded(b []byte) (span, bool, error) {
	start := len(p.dec)
	p.dec = append(p.dec, b...)
	return span{int32(start), int32(len(p.dec))}, true, nil
}

// string decodes the string starting at the opening quote at p.pos. The
// span is of the document, or of the decoded text when dec is set.
func (p *jsonParser) string() (s span, dec bool, err error) {
	p.pos++ // "
	start := p.pos
	d := p.data
	// Fast path: no escapes, valid UTF-8; a span of the document.
	ascii := true
	for p.pos < len(d) {
		if p.pos+8 <= len(d) {
			m := stops(binary.LittleEndian.Uint64(d[p.pos:])) & msb
			if m == 0 {
				p.pos += 8
				continue
			}
			p.pos += bits.TrailingZeros64(m) / 8
		}
		c := d[p.pos]
		if c == '"' {
			raw := d[start:p.pos]
			p.pos++
			if !ascii && !utf8.Valid(raw) {
				return p.decoded([]byte(string([]rune(string(raw))))) // replace invalid bytes with U+FFFD
			}
			return span{int32(start), int32(p.pos - 1)}, false, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return span{}, false, p.errorf("invalid character %s in string literal", quoteByte(c))
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
		p.pos++
	}
	buf := append(p.scratch[:0], d[start:p.pos]...)
	defer func() { p.scratch = buf[:0] }()
	for {
		if p.pos >= len(d) {
			return span{}, false, p.errorf("%w", errUnexpectedEOF)
		}
		c := d[p.pos]
		switch {
		case c == '"':
			p.pos++
			if !utf8.Valid(buf) {
				return p.decoded([]byte(string([]rune(string(buf)))))
			}
			return p.decoded(buf)
		case c < 0x20:
			return span{}, false, p.errorf("invalid character %s in string literal", quoteByte(c))
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		p.pos++ // backslash
		if p.pos >= len(d) {
			return span{}, false, p.errorf("%w", errUnexpectedEOF)
		}
		e := d[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, err := p.hex4()
			if err != nil {
				return span{}, false, err
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if p.pos+1 < len(d) && d[p.pos] == '\\' && d[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					lo, err := p.hex4()
					if err != nil {
						return span{}, false, err
					}
					if r2 = utf16.DecodeRune(r, lo); r2 == utf8.RuneError {
						p.pos = save
					}
				}
				r = r2
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.pos--
			return span{}, false, p.errorf("invalid character %s in string escape code", quoteByte(e))
		}
	}
}

func (p *jsonParser) hex4() (rune, error) {
	if p.pos+4 > len(p.data) {
		p.pos = len(p.data)
		return 0, p.errorf("%w", errUnexpectedEOF)
	}
	var r rune
	for i := 0; i < 4; i++ {
		c := p.data[p.pos]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, p.errorf("invalid character %s in \\u hexadecimal character escape", quoteByte(c))
		}
		r = r*16 + rune(c)
		p.pos++
	}
	return r, nil
}

// position returns the 1-based line and column (in bytes) of offset off.
func position(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	line, lineStart := 1, 0
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return line, off - lineStart + 1
}
