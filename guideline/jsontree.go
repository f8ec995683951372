package guideline

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The guideline files are decoded into a small ordered tree rather than with
// encoding/json: the model needs the file order of objects (capabilities,
// tests, criteria), the position of every value for messages, and the values
// whatever their JSON type (cutoff_score is a string in 1.x and a number in
// 2.0). One pass over the bytes builds the tree.

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

// node is one JSON value. str holds a string's decoded text or a number's
// literal; b a boolean; members an object's members in file order, or an
// array's items, held by value so that a tree takes one slice per object
// or array and no allocation per value. off is the byte offset where the
// value starts; key and keyOff are the key of an object's member and where
// it starts.
type node struct {
	kind    kind
	b       bool
	str     string
	members []node
	off     int
	key     string
	keyOff  int
}

// get returns the value of the member named key, or nil. When the key is
// given more than once the last one counts, as in Python's json module,
// which RefStack uses.
func (n *node) get(key string) *node {
	if n == nil || n.kind != kindObject {
		return nil
	}
	for i := len(n.members) - 1; i >= 0; i-- {
		if n.members[i].key == key {
			return &n.members[i]
		}
	}
	return nil
}

// truthy reports what Python's bool() says of the decoded value: null,
// false, 0, "", [] and {} are false.
func (n *node) truthy() bool {
	if n == nil {
		return false
	}
	switch n.kind {
	case kindBool:
		return n.b
	case kindNumber:
		f, err := strconv.ParseFloat(n.str, 64)
		return err != nil || f != 0
	case kindString:
		return n.str != ""
	case kindArray:
		return len(n.members) > 0
	case kindObject:
		return len(n.members) > 0
	}
	return false
}

// maxDepth caps the nesting of arrays and objects; guidelines nest about six
// levels deep.
const maxDepth = 1000

var (
	errUnexpectedEOF = errors.New("unexpected end of JSON input")
	errTooDeep       = errors.New("JSON nested too deeply")
)

type jsonParser struct {
	data  []byte
	valid bool // data is valid UTF-8, so no string needs checking
	pos   int
	depth int

	// Members and elements are gathered on this stack while an object or
	// array is open, then copied to a slice of the exact size cut from a
	// slab, which saves the garbage of growing slices.
	memberStack []node
	memberSlab  []node

	// Decoded strings and number literals are copied one after the other
	// into the chunk sb holds, which strings.Builder lets us share without
	// a copy each; a full chunk is left to the strings cut from it.
	sb      strings.Builder
	scratch []byte // for decoding strings with escapes
}

// keep returns b as a string cut from the current chunk.
func (p *jsonParser) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if p.sb.Cap()-p.sb.Len() < len(b) {
		// What is left of the input bounds what is left to keep.
		p.sb.Reset()
		p.sb.Grow(max(len(b), min(len(p.data)-p.pos, 32<<10)))
	}
	start := p.sb.Len()
	p.sb.Write(b)
	return p.sb.String()[start:]
}

// members takes the members gathered since start off the stack and returns
// them in a slice of their own length.
func (p *jsonParser) members(start int) []node {
	n := len(p.memberStack) - start
	var out []node
	if n > 64 && n > len(p.memberSlab) {
		out = make([]node, n) // a long list gets a slice of its own
	} else {
		if n > len(p.memberSlab) {
			p.memberSlab = make([]node, 256)
		}
		out = p.memberSlab[:n:n]
		p.memberSlab = p.memberSlab[n:]
	}
	copy(out, p.memberStack[start:])
	clear(p.memberStack[start:])
	p.memberStack = p.memberStack[:start]
	return out
}

// newNode returns a node of kind k at offset off.
func newNode(k kind, off int) node {
	return node{kind: k, off: off}
}

// parseJSON decodes one JSON document. Errors are *ParseError with the
// position of the offending byte.
func parseJSON(data []byte) (*node, error) {
	p := &jsonParser{data: data, valid: utf8.Valid(data)}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.pos = 3 // a UTF-8 byte order mark
	}
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.data) {
		return nil, p.errorf("invalid character %s after top-level value", quoteByte(p.data[p.pos]))
	}
	return &n, nil
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

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value() (node, error) {
	p.space()
	if p.pos >= len(p.data) {
		return node{}, p.errorf("%w", errUnexpectedEOF)
	}
	start := p.pos
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.string()
		if err != nil {
			return node{}, err
		}
		n := newNode(kindString, start)
		n.str = s
		return n, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		n := newNode(kindBool, start)
		n.b = true
		return p.literal("true", n)
	case c == 'f':
		return p.literal("false", newNode(kindBool, start))
	case c == 'n':
		return p.literal("null", newNode(kindNull, start))
	default:
		return node{}, p.errorf("invalid character %s looking for beginning of value", quoteByte(c))
	}
}

func (p *jsonParser) literal(word string, n node) (node, error) {
	for i := 0; i < len(word); i++ {
		if p.pos >= len(p.data) {
			return node{}, p.errorf("%w", errUnexpectedEOF)
		}
		if p.data[p.pos] != word[i] {
			return node{}, p.errorf("invalid character %s in literal %s", quoteByte(p.data[p.pos]), word)
		}
		p.pos++
	}
	return n, nil
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.errorf("%w", errTooDeep)
	}
	return nil
}

func (p *jsonParser) object() (node, error) {
	if err := p.enter(); err != nil {
		return node{}, err
	}
	n := newNode(kindObject, p.pos)
	start := len(p.memberStack)
	p.pos++ // {
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return n, nil
	}
	for {
		p.space()
		if p.pos >= len(p.data) {
			return node{}, p.errorf("%w", errUnexpectedEOF)
		}
		if p.data[p.pos] != '"' {
			return node{}, p.errorf("invalid character %s looking for beginning of object key string", quoteByte(p.data[p.pos]))
		}
		keyOff := p.pos
		key, err := p.string()
		if err != nil {
			return node{}, err
		}
		p.space()
		if p.pos >= len(p.data) {
			return node{}, p.errorf("%w", errUnexpectedEOF)
		}
		if p.data[p.pos] != ':' {
			return node{}, p.errorf("invalid character %s after object key", quoteByte(p.data[p.pos]))
		}
		p.pos++
		v, err := p.value()
		if err != nil {
			return node{}, err
		}
		v.key, v.keyOff = key, keyOff
		p.memberStack = append(p.memberStack, v)
		p.space()
		if p.pos >= len(p.data) {
			return node{}, p.errorf("%w", errUnexpectedEOF)
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.depth--
			n.members = p.members(start)
			return n, nil
		default:
			return node{}, p.errorf("invalid character %s after object key:value pair", quoteByte(p.data[p.pos]))
		}
	}
}

func (p *jsonParser) array() (node, error) {
	if err := p.enter(); err != nil {
		return node{}, err
	}
	n := newNode(kindArray, p.pos)
	start := len(p.memberStack)
	p.pos++ // [
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return n, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return node{}, err
		}
		p.memberStack = append(p.memberStack, v)
		p.space()
		if p.pos >= len(p.data) {
			return node{}, p.errorf("%w", errUnexpectedEOF)
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.depth--
			n.members = p.members(start)
			return n, nil
		default:
			return node{}, p.errorf("invalid character %s after array element", quoteByte(p.data[p.pos]))
		}
	}
}

func (p *jsonParser) number() (node, error) {
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
		return node{}, p.numberError()
	}
	if p.pos < len(d) && d[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return node{}, p.numberError()
		}
	}
	if p.pos < len(d) && (d[p.pos] == 'e' || d[p.pos] == 'E') {
		p.pos++
		if p.pos < len(d) && (d[p.pos] == '+' || d[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return node{}, p.numberError()
		}
	}
	n := newNode(kindNumber, start)
	n.str = p.keep(d[start:p.pos])
	return n, nil
}

func (p *jsonParser) numberError() error {
	if p.pos >= len(p.data) {
		return p.errorf("%w", errUnexpectedEOF)
	}
	return p.errorf("invalid character %s in numeric literal", quoteByte(p.data[p.pos]))
}

// string decodes the string starting at the opening quote at p.pos.
func (p *jsonParser) string() (string, error) {
	p.pos++ // "
	start := p.pos
	d := p.data
	// Fast path: no escapes, ASCII or valid UTF-8.
	for p.pos < len(d) {
		c := d[p.pos]
		if c == '"' {
			raw := d[start:p.pos]
			p.pos++
			if !p.valid && !utf8.Valid(raw) {
				return string([]rune(string(raw))), nil // replace invalid bytes with U+FFFD
			}
			return p.keep(raw), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errorf("invalid character %s in string literal", quoteByte(c))
		}
		p.pos++
	}
	buf := append(p.scratch[:0], d[start:p.pos]...)
	defer func() { p.scratch = buf[:0] }()
	for {
		if p.pos >= len(d) {
			return "", p.errorf("%w", errUnexpectedEOF)
		}
		c := d[p.pos]
		switch {
		case c == '"':
			p.pos++
			if !utf8.Valid(buf) {
				return string([]rune(string(buf))), nil
			}
			return p.keep(buf), nil
		case c < 0x20:
			return "", p.errorf("invalid character %s in string literal", quoteByte(c))
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		p.pos++ // backslash
		if p.pos >= len(d) {
			return "", p.errorf("%w", errUnexpectedEOF)
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
				return "", err
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if p.pos+1 < len(d) && d[p.pos] == '\\' && d[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					lo, err := p.hex4()
					if err != nil {
						return "", err
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
			return "", p.errorf("invalid character %s in string escape code", quoteByte(e))
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
