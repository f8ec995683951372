package subunit

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// The subunit v1 (text) protocol, translated into the v2 events that
// python-subunit's subunit-1to2 produces for it (TestProtocolServer feeding
// testtools' ExtendedToStreamDecorator). The Reader finds the v2 packets and
// hands the text between them to a v1Parser. The parser keeps a partial line
// itself, so feed always consumes all it is given.
//
// Python parity, checked against subunit-1to2 (see v1_test.go):
//   - A directive is a line that starts with a word which, less any trailing
//     colons, is a keyword, and that has another word after it. The argument
//     starts one byte after the keyword word; a test label is the rest of the
//     line less its last byte (the '\n', or the last character of a line that
//     the end of input cuts short, as python's line[offset:-1] does). So
//     "test: a\r\n" names the test "a\r".
//   - time, tags and progress produce no event: time stamps the events that
//     follow, tags change the tags of the open test (or of the run, outside a
//     test), which ride on the test's final event.
//   - Where python raises and aborts the whole conversion (a label or tag that
//     is not UTF-8, a time or progress line it cannot parse, malformed
//     multipart details), this parser goes on: the line is passed through, or,
//     inside multipart details, the test is reported failed (v1_details.go).
//   - Without a "time:" line the events carry no timestamp (python uses now()).

// v1MaxLine bounds a line the parser holds while it waits for the line's end. A
// line longer than this ('\n' included) is never a directive: it is passed
// through, or, inside multipart details, ends them as malformed.
const v1MaxLine = 64 << 10

type v1State uint8

const (
	v1Outside v1State = iota // between tests
	v1InTest                 // after "test: X", before its outcome
	v1Details                // reading the details block of an outcome
)

// v1Parser turns subunit v1 text into Events. It is an internal part of Reader.
type v1Parser struct {
	name []byte // the pseudo-file name of Passthrough events (shared, never written)

	state   v1State
	next    int64  // input offset just past the text fed so far
	midLine bool   // the rest of the current line is passthrough
	carry   []byte // a partial line held until its end arrives
	carryAt int64  // input offset of carry[0]

	id      []byte   // the open test's label
	global  []string // tags of the run (sorted, unique)
	tags    []string // tags of the open test (sorted, unique)
	hasTime bool
	now     time.Time         // the time of the last valid "time:" line, in UTC
	strs    map[string]string // tag names seen, to share their strings

	d v1DetailsState // the details block being read (v1_details.go)

	// Memory that emitted events point into, reset by release.
	arena    []byte
	tagArena [][]byte

	// The run of passthrough bytes not yet emitted (a suffix of arena).
	ptStart int   // arena index where the run starts; -1 when there is none
	ptAt    int64 // input offset of the run's first byte

	// consumed, when set, is told of every input byte range that is not passed
	// through: directive lines (directive true) and details. Tests use it to
	// check that every byte is accounted for.
	consumed func(off int64, n int, directive bool)
}

func newV1Parser(nonSubunitName string) *v1Parser {
	return &v1Parser{name: []byte(nonSubunitName), ptStart: -1}
}

// feed parses text, which starts at input offset off and holds no v2 packet, and
// appends the events it yields to *out. It always consumes all of text: a
// partial line is kept until it ends, or is passed through at once when it
// cannot be a directive or exceeds v1MaxLine.
//
// The parser does not rely on final (text followed by a packet or the end of
// input): a line that a packet cuts short is complete, and the next text then
// starts at a later offset than where this one ended, while text cut by a
// buffer refill goes on at the same offset; finish completes the last line.
// So the events of a partial line just before a packet come after the
// packet's, and the result never depends on how the input was split.
func (p *v1Parser) feed(text []byte, off int64, final bool, out *[]Event) int {
	if off != p.next {
		p.lineBreak(out)
	}
	p.next = off + int64(len(text))
	n := len(text)
	for len(text) > 0 {
		var k int
		switch {
		case p.inBody():
			k = p.feedBody(text, out)
			p.account(off, k, false)
		case len(p.carry) > 0:
			k = p.feedCarry(text, out)
		case p.state == v1Details && !p.d.multipart:
			k = p.feedSimple(text, out)
			p.account(off, k, false)
		default:
			k = p.feedLines(text, off, out)
		}
		text = text[k:]
		off += int64(k)
	}
	p.flushPassthrough(out)
	return n
}

// rawWanted reports how many bytes of a multipart chunk body the parser wants
// next (0 outside a chunk body). The Reader hands them over unscanned.
func (p *v1Parser) rawWanted() int {
	if !p.inBody() {
		return 0
	}
	return int(min(p.d.remaining, 1<<30))
}

// finish is called at the end of input. A test still open ends as python ends
// it on a lost connection: a "traceback" file and a fail.
func (p *v1Parser) finish(off int64, out *[]Event) {
	p.lineBreak(out)
	switch p.state {
	case v1InTest:
		p.abortTest("lost connection during test '"+string(p.id)+"'", off, out)
	case v1Details:
		p.account(p.carryAt, len(p.carry), false)
		p.carry = p.carry[:0] // an unfinished line of multipart details
		p.abortTest("lost connection during "+p.d.outcome.label+" report of test '"+string(p.id)+"'", off, out)
	}
	p.flushPassthrough(out)
}

// release lets the parser reuse the memory of the events it has produced. feed
// and finish emit their passthrough run before they return, so every byte of
// the arena belongs to an event that has been handed out.
func (p *v1Parser) release() {
	p.arena = p.arena[:0]
	clear(p.tagArena)
	p.tagArena = p.tagArena[:0]
}

// lineBreak completes the line that a packet or the end of input cut short.
func (p *v1Parser) lineBreak(out *[]Event) {
	p.midLine = false
	switch {
	case p.state == v1Details && p.d.multipart:
		// Keep the carry, which a line of multipart details needs whole: the
		// line goes on after the packet; at the end of input finish reports
		// the lost connection.
	case p.state == v1Details:
		p.simpleLineBreak(out)
	case len(p.carry) > 0:
		line := p.carry
		p.carry = p.carry[:0]
		p.line(line, p.carryAt, out)
	}
}

// feedLines parses whole lines outside a test, in a test, or in multipart
// details outside a chunk body. It returns how much of text it consumed, which
// is less than all of it only when the state changed to one it does not handle.
func (p *v1Parser) feedLines(text []byte, off int64, out *[]Event) int {
	i := 0
	for i < len(text) {
		if p.inBody() || (p.state == v1Details && !p.d.multipart) {
			return i
		}
		rest := text[i:]
		if p.state != v1Details && (p.midLine || !v1Candidate[rest[0]]) {
			// Fast path: a run of lines that cannot be directives.
			j := i
			for {
				k := bytes.IndexByte(text[j:], '\n')
				if k < 0 {
					p.passthrough(text[i:], off+int64(i), out)
					p.midLine = true
					return len(text)
				}
				j += k + 1
				p.midLine = false
				if j == len(text) || v1Candidate[text[j]] {
					break
				}
			}
			p.passthrough(text[i:j], off+int64(i), out)
			i = j
			continue
		}
		k := bytes.IndexByte(rest, '\n')
		if k >= 0 {
			p.line(rest[:k+1], off+int64(i), out)
			i += k + 1
			continue
		}
		switch {
		case p.state == v1Details && len(rest) > v1MaxLine:
			p.malformed(rest, off+int64(i), "over-long line", out)
			p.midLine = true
		case p.state == v1Details:
			p.carry = append(p.carry[:0], rest...)
			p.carryAt = off + int64(i)
		case len(rest) > v1MaxLine || !v1CouldBeDirective(rest):
			p.passthrough(rest, off+int64(i), out)
			p.midLine = true
		default:
			p.carry = append(p.carry[:0], rest...)
			p.carryAt = off + int64(i)
		}
		return len(text)
	}
	return i
}

// feedCarry extends the held partial line with text up to its '\n' and parses
// the line once it is whole. It returns how much of text it consumed.
func (p *v1Parser) feedCarry(text []byte, out *[]Event) int {
	k := bytes.IndexByte(text, '\n')
	take := text
	if k >= 0 {
		take = text[:k+1]
	}
	if len(p.carry)+len(take) > v1MaxLine {
		at := p.carryAt
		line := append(p.carry, take...)
		p.carry = line[:0]
		if p.state == v1Details {
			p.malformed(line, at, "over-long line", out)
		} else {
			p.passthrough(line, at, out)
		}
		p.midLine = k < 0
		return len(take)
	}
	p.carry = append(p.carry, take...)
	if k < 0 {
		if p.state != v1Details && !v1CouldBeDirective(p.carry) {
			p.passthrough(p.carry, p.carryAt, out)
			p.carry = p.carry[:0]
			p.midLine = true
		}
		return len(take)
	}
	line := p.carry
	p.carry = p.carry[:0]
	p.line(line, p.carryAt, out)
	return len(take)
}

// line parses one whole line: it ends with '\n', or a packet or the end of
// input cut it short. Outside details it is a directive or passthrough.
func (p *v1Parser) line(line []byte, off int64, out *[]Event) {
	switch {
	case p.state == v1Details:
		if p.multipartLine(line, off, out) {
			p.account(off, len(line), false)
		}
	case len(line) <= v1MaxLine && p.directive(line, off, out):
		p.account(off, len(line), true)
	default:
		p.passthrough(line, off, out)
	}
}

// account reports bytes that are not passed through to the consumed hook.
func (p *v1Parser) account(off int64, n int, directive bool) {
	if p.consumed != nil && n > 0 {
		p.consumed(off, n, directive)
	}
}

// directive acts on line if it is a directive the current state accepts and
// reports whether it did; python passes every other line through.
func (p *v1Parser) directive(line []byte, off int64, out *[]Event) bool {
	word, ok := v1FirstWord(line)
	if !ok {
		return false
	}
	arg := line[len(word)+1:] // python's line[offset:]
	label := arg[:len(arg)-1] // python's line[offset:-1]
	switch string(bytes.TrimRight(word, ":")) {
	case "test", "testing":
		if p.state != v1Outside || !utf8.Valid(label) {
			return false
		}
		p.id = append(p.id[:0], label...)
		p.tags = append(p.tags[:0], p.global...)
		p.state = v1InTest
		ev := p.testEvent(p.arenaBytes(p.id, out), off)
		ev.Status = StatusInProgress
		*out = append(*out, ev)
		return true
	case "success", "successful":
		return p.outcome(label, off, v1Success, out)
	case "failure":
		return p.outcome(label, off, v1Failure, out)
	case "error":
		return p.outcome(label, off, v1Error, out)
	case "skip":
		return p.outcome(label, off, v1Skip, out)
	case "xfail":
		return p.outcome(label, off, v1XFail, out)
	case "uxsuccess":
		return p.outcome(label, off, v1UxSuccess, out)
	case "tags":
		if !utf8.Valid(arg) {
			return false
		}
		if p.state == v1InTest {
			p.tags = p.changeTags(p.tags, arg)
		} else {
			p.global = p.changeTags(p.global, arg)
		}
		return true
	case "time":
		t, ok := v1ParseTime(label)
		if ok {
			p.now, p.hasTime = t, true
		}
		return ok
	case "progress":
		return v1ValidProgress(arg)
	}
	return false
}

// outcome handles an outcome line in a test: the label must be the test's id,
// optionally followed by " [" (simple details) or " [ multipart".
func (p *v1Parser) outcome(label []byte, off int64, o v1OutcomeKind, out *[]Event) bool {
	if p.state != v1InTest || !bytes.HasPrefix(label, p.id) {
		return false
	}
	switch string(label[len(p.id):]) {
	case "":
		p.state = v1Outside
		p.emitFinal(v1Outcomes[o].status, off, p.arenaBytes(p.id, out), out)
	case " [":
		p.startDetails(o, false, off)
	case " [ multipart":
		p.startDetails(o, true, off)
	default:
		return false
	}
	return true
}

// emitFinal emits the final status event of the open test, with its tags. id
// is the test id's arena copy.
func (p *v1Parser) emitFinal(s Status, off int64, id []byte, out *[]Event) {
	ev := p.testEvent(id, off)
	ev.Status = s
	if len(p.tags) > 0 {
		ev.Flags |= FlagTags
		start := len(p.tagArena)
		for _, t := range p.tags {
			p.tagArena = append(p.tagArena, p.arenaString(t, out))
		}
		ev.Tags = p.tagArena[start:len(p.tagArena):len(p.tagArena)]
	}
	*out = append(*out, ev)
}

// testEvent returns an event of the open test; id is the test id's arena copy.
func (p *v1Parser) testEvent(id []byte, off int64) Event {
	ev := Event{Flags: FlagTestID | FlagRunnable, TestID: id, Offset: off, V1: true}
	if p.hasTime {
		ev.Flags |= FlagTimestamp
		ev.Timestamp = p.now
	}
	return ev
}

// passthrough adds b, which starts at input offset off, to the pending run of
// passthrough bytes. A run holds contiguous input only, so that an event's
// content is always the input at its Offset.
func (p *v1Parser) passthrough(b []byte, off int64, out *[]Event) {
	if len(b) == 0 {
		return
	}
	if p.ptStart >= 0 && p.ptAt+int64(len(p.arena)-p.ptStart) != off {
		p.flushPassthrough(out)
	}
	if p.ptStart < 0 {
		p.ptStart, p.ptAt = len(p.arena), off
	}
	p.arena = append(p.arena, b...)
}

// flushPassthrough emits the pending run of passthrough bytes as one event.
func (p *v1Parser) flushPassthrough(out *[]Event) {
	if p.ptStart < 0 {
		return
	}
	*out = append(*out, Event{
		Flags:       FlagRunnable | FlagFile,
		FileName:    p.name,
		FileContent: p.arena[p.ptStart:len(p.arena):len(p.arena)],
		Offset:      p.ptAt,
		Passthrough: true,
	})
	p.ptStart = -1
}

// arenaBytes copies b into the arena, after emitting the pending passthrough
// run (a suffix of the arena) so that the event order holds.
func (p *v1Parser) arenaBytes(b []byte, out *[]Event) []byte {
	p.flushPassthrough(out)
	start := len(p.arena)
	p.arena = append(p.arena, b...)
	return p.arena[start:len(p.arena):len(p.arena)]
}

func (p *v1Parser) arenaString(s string, out *[]Event) []byte {
	p.flushPassthrough(out)
	start := len(p.arena)
	p.arena = append(p.arena, s...)
	return p.arena[start:len(p.arena):len(p.arena)]
}

// v1Candidate marks the bytes a directive can start with.
var v1Candidate = [256]bool{'t': true, 'e': true, 'f': true, 'p': true, 's': true, 'x': true, 'u': true}

var v1Keywords = [...]string{
	"test", "testing", "success", "successful", "failure", "error", "skip",
	"xfail", "uxsuccess", "tags", "time", "progress",
}

// v1ASCIISpace reports whether c is whitespace to python's bytes.split.
func v1ASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// v1FirstWord returns the first word of line when python's line.split(None, 1)
// yields two parts and the line does not start with whitespace.
func v1FirstWord(line []byte) ([]byte, bool) {
	if len(line) == 0 || v1ASCIISpace(line[0]) {
		return nil, false
	}
	i := 1
	for i < len(line) && !v1ASCIISpace(line[i]) {
		i++
	}
	word := line[:i]
	for i < len(line) && v1ASCIISpace(line[i]) {
		i++
	}
	return word, i < len(line)
}

// v1CouldBeDirective reports whether a line that starts with partial (which holds
// no '\n') might be a directive once it is whole.
func v1CouldBeDirective(partial []byte) bool {
	if len(partial) == 0 {
		return true
	}
	if v1ASCIISpace(partial[0]) {
		return false
	}
	i := 1
	for i < len(partial) && !v1ASCIISpace(partial[i]) {
		i++
	}
	word := partial[:i]
	complete := i < len(partial)
	base := bytes.TrimRight(word, ":")
	for _, k := range v1Keywords {
		if string(base) == k {
			return true
		}
		if !complete && len(base) == len(word) && len(word) < len(k) && k[:len(word)] == string(word) {
			return true
		}
	}
	return false
}

// v1MaxTags bounds a tag set; further tags are ignored (python keeps them all).
const v1MaxTags = 4096

// changeTags applies a tags directive's argument to the sorted set tags, as
// python does: words are split on Unicode whitespace, "-x" removes x, every
// addition is applied before every removal.
func (p *v1Parser) changeTags(tags []string, arg []byte) []string {
	for w := range v1Words(arg) {
		if w[0] == '-' {
			continue
		}
		if i, found := slices.BinarySearchFunc(tags, w, v1CompareTag); !found && len(tags) < v1MaxTags {
			tags = slices.Insert(tags, i, p.intern(w))
		}
	}
	for w := range v1Words(arg) {
		if w[0] != '-' {
			continue
		}
		if i, found := slices.BinarySearchFunc(tags, w[1:], v1CompareTag); found {
			tags = slices.Delete(tags, i, i+1)
		}
	}
	return tags
}

func v1CompareTag(t string, w []byte) int {
	for i := range min(len(t), len(w)) {
		if t[i] != w[i] {
			return int(t[i]) - int(w[i])
		}
	}
	return len(t) - len(w)
}

// intern returns w as a string, shared with earlier tags of the same name (a
// stream repeats a few tags, such as worker-N, on every test).
func (p *v1Parser) intern(w []byte) string {
	if s, ok := p.strs[string(w)]; ok {
		return s
	}
	s := string(w)
	if len(p.strs) < 1024 {
		if p.strs == nil {
			p.strs = make(map[string]string)
		}
		p.strs[s] = s
	}
	return s
}

// v1Words yields the words of the UTF-8 text b, split as python's str.split().
func v1Words(b []byte) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		start := -1
		for i := 0; i < len(b); {
			r, n := utf8.DecodeRune(b[i:])
			if v1PySpace(r) {
				if start >= 0 && !yield(b[start:i]) {
					return
				}
				start = -1
			} else if start < 0 {
				start = i
			}
			i += n
		}
		if start >= 0 {
			yield(b[start:])
		}
	}
}

// v1PySpace reports whether python's str.isspace holds for r (Unicode 14).
func v1PySpace(r rune) bool {
	switch {
	case r <= 0x20:
		return r == ' ' || (r >= '\t' && r <= '\r') || (r >= 0x1c && r <= 0x1f)
	case r < 0x85:
		return false
	}
	switch r {
	case 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// v1ValidProgress reports whether python accepts a progress directive's
// argument: a signed or plain decimal number, "push" or "pop".
func v1ValidProgress(arg []byte) bool {
	s := bytes.TrimFunc(arg, func(r rune) bool { return r < utf8.RuneSelf && v1ASCIISpace(byte(r)) })
	if string(s) == "push" || string(s) == "pop" {
		return true
	}
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	// Digits, with single underscores between them, as python's int() takes.
	if len(s) == 0 || s[0] == '_' || s[len(s)-1] == '_' {
		return false
	}
	for i, c := range s {
		if c == '_' {
			if s[i-1] == '_' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// v1Fraction returns float("0." + digits) as python computes it: the double
// nearest to the decimal fraction.
func v1Fraction(digits []byte) float64 {
	if len(digits) <= 15 {
		// Both the numerator (< 2^53) and 10^k are exact doubles, so the
		// IEEE division is the correctly rounded quotient, as ParseFloat's.
		var n int64
		for _, c := range digits {
			n = n*10 + int64(c-'0')
		}
		return float64(n) / math.Pow10(len(digits))
	}
	f, _ := strconv.ParseFloat("0."+string(digits), 64) // digits only: cannot fail
	return f
}

// v1ParseTime parses a time directive's argument as python-subunit's bundled
// iso8601 module does: it matches "YYYY-MM-DD?HH:MM:SS[.fraction][Z|±HH:MM]"
// (one or two digits for month and day, any separator) at the start of s and
// ignores what follows; the fraction is cut to microseconds through a float, as
// python computes it. ok is false where python raises.
func v1ParseTime(s []byte) (t time.Time, ok bool) {
	digits := func(b []byte, n int) (int, bool) {
		if len(b) < n {
			return 0, false
		}
		v := 0
		for _, c := range b[:n] {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	// upTo2 reads one or two digits, greedily, as the regex [0-9]{1,2} does.
	upTo2 := func(b []byte) (v, n int, ok bool) {
		if v, ok := digits(b, 2); ok {
			return v, 2, true
		}
		v, ok = digits(b, 1)
		return v, 1, ok
	}
	year, ok := digits(s, 4)
	if !ok || len(s) < 5 || s[4] != '-' {
		return t, false
	}
	s = s[5:]
	month, n, ok := upTo2(s)
	if !ok || len(s) <= n || s[n] != '-' {
		return t, false
	}
	s = s[n+1:]
	day, n, ok := upTo2(s)
	if !ok {
		return t, false
	}
	s = s[n:]
	// The separator is any byte but '\n'; then HH:MM:SS, all required (python
	// fails on int(None) without them).
	if len(s) < 9 || s[0] == '\n' || s[3] != ':' || s[6] != ':' {
		return t, false
	}
	hour, ok1 := digits(s[1:], 2)
	minute, ok2 := digits(s[4:], 2)
	second, ok3 := digits(s[7:], 2)
	if !ok1 || !ok2 || !ok3 {
		return t, false
	}
	s = s[9:]
	micro := 0
	if len(s) > 1 && s[0] == '.' && s[1] >= '0' && s[1] <= '9' {
		n := 1
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		f := v1Fraction(s[1:n]) * 1e6
		if f >= 1e6 {
			return t, false // python: microsecond must be in 0..999999
		}
		micro = int(math.Trunc(f))
		s = s[n:]
	}
	offset := 0 // seconds east of UTC
	if len(s) >= 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':' {
		h, ok1 := digits(s[1:], 2)
		m, ok2 := digits(s[4:], 2)
		if ok1 && ok2 {
			offset = h*3600 + m*60
			if s[0] == '-' {
				offset = -offset
			}
			if offset <= -86400 || offset >= 86400 {
				return t, false // python: the UTC offset must be under a day
			}
		}
	}
	if year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 {
		return t, false
	}
	if day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return t, false
	}
	t = time.Date(year, time.Month(month), day, hour, minute, second, micro*1000, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}
