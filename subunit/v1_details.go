package subunit

import (
	"bytes"
	"unicode/utf8"
)

// Details of a v1 outcome, as python-subunit reads them (details.py, chunked.py)
// and testtools' ExtendedToStreamDecorator emits them: once the closing "]\n"
// arrives, each detail becomes one file event with its whole content and EOF,
// in the order the details first appeared, then the final status event follows.
//
//   - Simple details ("outcome: id [" ... "]\n"): the lines between, where a
//     line starting " ]" loses its space, make one detail named "traceback"
//     (MIME text/x-traceback; charset="utf8"), or "reason" for skip and
//     "message" for success (MIME text/plain).
//   - Multipart details ("outcome: id [ multipart" ... "]\n"): parts of a
//     "Content-Type: type/subtype[params]" line (python takes everything after
//     the first space, which must hold exactly one '/'), a name line, and an
//     HTTP-chunked body: a hex size, CR LF, that many raw bytes, and so on to
//     a 0 size. A later part with the name of an earlier one replaces its MIME
//     type and content but keeps its place, as a python dict does.
//
// Divergences, each where python cannot go on or keeps unbounded memory:
//   - Malformed multipart details (a content-type line without a space or
//     without exactly one '/', a name that is not UTF-8, a chunk size line that
//     is not hex digits + CR LF, a line over v1MaxLine) end the test as a lost
//     connection does, with the message "malformed multipart details ..."; the
//     offending line is passed through and parsing goes on outside a test.
//     python raises and stops the whole conversion.
//   - Details are held in memory until "]\n" only up to v1SpillSize bytes of
//     content (or of names and MIME types) and v1MaxParts details. Past that,
//     what is held is emitted at once (completed details with EOF, the one
//     being read as a chunk without EOF), so each file event stays small
//     enough for one v2 packet and memory stays bounded. A detail emitted this
//     way is no longer replaced by a later one of the same name, and a lost
//     connection no longer drops it.

// v1SpillSize bounds the details content held for one outcome (3.5 MiB, the
// chunk size python's subunit-output uses): a file event of this size plus a
// test id, name and MIME type of up to v1MaxLine each fits one v2 packet.
const v1SpillSize = 7 << 19

// v1MaxParts bounds the number of details held for one outcome.
const v1MaxParts = 1024

const (
	v1TracebackMIME   = `text/x-traceback; charset="utf8"`
	v1PyTracebackMIME = `text/x-traceback; charset="utf8"; language="python"`
	v1ErrorPrefix     = "testtools.testresult.real._StringException: "
)

type v1OutcomeKind uint8

const (
	v1Success v1OutcomeKind = iota
	v1Failure
	v1Error
	v1Skip
	v1XFail
	v1UxSuccess
)

type v1OutcomeInfo struct {
	status     Status
	label      string // as python names it in "lost connection during <label> report of test"
	simpleName string // the name of a simple (bracketed) detail
	simpleMIME string
}

var v1Outcomes = [...]v1OutcomeInfo{
	v1Success:   {StatusSuccess, "success", "message", "text/plain"},
	v1Failure:   {StatusFail, "failure", "traceback", v1TracebackMIME},
	v1Error:     {StatusFail, "error", "traceback", v1TracebackMIME},
	v1Skip:      {StatusSkip, "skip", "reason", "text/plain"},
	v1XFail:     {StatusXFail, "xfail", "traceback", v1TracebackMIME},
	v1UxSuccess: {StatusUxSuccess, "uxsuccess", "traceback", v1TracebackMIME},
}

type v1MPState uint8

const (
	mpContentType v1MPState = iota // expecting a content-type line or "]\n"
	mpName                         // expecting the part's name line
	mpHeader                       // expecting a chunk size line
	mpBody                         // inside a chunk body
)

// v1Part is one detail: its name and MIME type are ranges of meta, its content
// a range of det.
type v1Part struct {
	name, mime [2]int
	lo, hi     int
	spilled    bool // some of its content was emitted already
}

// v1DetailsState is the details block being read.
type v1DetailsState struct {
	outcome   v1OutcomeInfo
	multipart bool
	at        int64 // input offset of the outcome line

	mp        v1MPState // multipart: where in a part
	remaining int64     // multipart: bytes of the chunk body still to read

	mid     bool    // simple: inside a content line
	held    bool    // simple: hold[0] starts a line that may be "]\n" or " ]"
	hold    [1]byte // simple: see held
	meta    []byte  // names and MIME types
	scratch []byte  // room to move the current name and MIME type in meta
	det     []byte  // content held
	parts   []v1Part
	cur     v1Part // the detail being read
}

func (d *v1DetailsState) reset() {
	d.mp, d.remaining = mpContentType, 0
	d.mid, d.held = false, false
	d.meta, d.det, d.parts = d.meta[:0], d.det[:0], d.parts[:0]
	d.cur = v1Part{}
}

func (d *v1DetailsState) addMeta(b []byte) [2]int {
	start := len(d.meta)
	d.meta = append(d.meta, b...)
	return [2]int{start, len(d.meta)}
}

func (d *v1DetailsState) metaBytes(r [2]int) []byte { return d.meta[r[0]:r[1]] }

func (p *v1Parser) inBody() bool {
	return p.state == v1Details && p.d.multipart && p.d.mp == mpBody
}

// startDetails enters the details block of outcome o, whose line is at off.
func (p *v1Parser) startDetails(o v1OutcomeKind, multipart bool, off int64) {
	d := &p.d
	d.reset()
	d.outcome, d.multipart, d.at = v1Outcomes[o], multipart, off
	p.state = v1Details
	if !multipart {
		d.cur = v1Part{
			name: d.addMeta([]byte(d.outcome.simpleName)),
			mime: d.addMeta([]byte(d.outcome.simpleMIME)),
		}
	}
}

// feedSimple reads simple details from text and returns how much it consumed:
// all of it, or up to the closing "]\n".
func (p *v1Parser) feedSimple(text []byte, out *[]Event) int {
	d := &p.d
	i := 0
	for i < len(text) {
		if d.mid {
			k := bytes.IndexByte(text[i:], '\n')
			if k < 0 {
				p.detAppend(text[i:], out)
				return len(text)
			}
			p.detAppend(text[i:i+k+1], out)
			i += k + 1
			d.mid = false
			continue
		}
		// At the start of a line: "]\n" ends the details, " ]" loses its space.
		first := d.hold[:]
		if d.held {
			d.held = false
		} else {
			first = text[i : i+1]
			i++
		}
		if first[0] != ']' && first[0] != ' ' {
			p.detAppend(first, out)
			d.mid = first[0] != '\n'
			continue
		}
		if i == len(text) {
			d.hold[0], d.held = first[0], true
			return i
		}
		switch second := text[i]; {
		case first[0] == ']' && second == '\n':
			p.endDetails(out)
			return i + 1
		case first[0] == ' ' && second == ']':
			d.mid = true
		default:
			p.detAppend(first, out)
			d.mid = true
		}
	}
	return i
}

// simpleLineBreak completes the details line that a packet or the end of input
// cut short.
func (p *v1Parser) simpleLineBreak(out *[]Event) {
	d := &p.d
	if d.held {
		d.held = false
		p.detAppend(d.hold[:], out)
	}
	d.mid = false
}

// multipartLine parses one whole line of multipart details outside a chunk body.
// It reports false when the line was malformed (and so passed through).
func (p *v1Parser) multipartLine(line []byte, off int64, out *[]Event) bool {
	d := &p.d
	v := line[:len(line)-1]
	switch d.mp {
	case mpContentType:
		if string(line) == "]\n" {
			p.endDetails(out)
			return true
		}
		sp := bytes.IndexByte(v, ' ')
		if sp < 0 || bytes.Count(v[sp+1:], []byte{'/'}) != 1 || !utf8.Valid(v) {
			p.malformed(line, off, "bad content type line", out)
			return false
		}
		d.cur = v1Part{mime: d.addMeta(v[sp+1:])}
		d.mp = mpName
	case mpName:
		if !utf8.Valid(v) {
			p.malformed(line, off, "part name is not UTF-8", out)
			return false
		}
		d.cur.name = d.addMeta(v)
		d.cur.lo = len(d.det)
		d.mp = mpHeader
	case mpHeader:
		n, ok := v1ChunkSize(line)
		switch {
		case !ok:
			p.malformed(line, off, "bad chunk size line", out)
			return false
		case n == 0:
			p.completePart(out)
			d.mp = mpContentType
		default:
			d.remaining = n
			d.mp = mpBody
		}
	}
	return true
}

// v1ChunkSize parses a chunk size line: hex digits, CR, LF (python's strict
// chunked decoder). Sizes beyond 2^62 are cut to 2^62, which no input reaches.
func v1ChunkSize(line []byte) (int64, bool) {
	if len(line) < 3 || line[len(line)-2] != '\r' || line[len(line)-1] != '\n' {
		return 0, false
	}
	var n int64
	for _, c := range line[:len(line)-2] {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, false
		}
		if n >= 1<<58 {
			n = 1 << 62 // saturate: no input is that long
		} else {
			n = n<<4 | int64(v)
		}
	}
	return n, true
}

// feedBody takes chunk body bytes and returns how many it consumed.
func (p *v1Parser) feedBody(text []byte, out *[]Event) int {
	d := &p.d
	n := min(int64(len(text)), d.remaining)
	p.detAppend(text[:n], out)
	d.remaining -= n
	if d.remaining == 0 {
		d.mp = mpHeader
	}
	return int(n)
}

// detAppend adds content to the detail being read, spilling what is held when
// it reaches v1SpillSize.
func (p *v1Parser) detAppend(b []byte, out *[]Event) {
	d := &p.d
	for len(b) > 0 {
		if len(d.det) >= v1SpillSize {
			p.spill(out, true)
		}
		n := min(len(b), v1SpillSize-len(d.det))
		d.det = append(d.det, b[:n]...)
		b = b[n:]
	}
}

// spill emits the content held: the completed details with EOF, then, when
// reading is set, what the detail being read has so far, without EOF.
func (p *v1Parser) spill(out *[]Event, reading bool) {
	d := &p.d
	id := p.arenaBytes(p.id, out)
	for _, part := range d.parts {
		p.emitPart(id, part, true, out)
	}
	d.parts = d.parts[:0]
	d.meta = d.meta[:0]
	if reading {
		if cur := d.cur; cur.lo < len(d.det) {
			cur.hi = len(d.det)
			p.emitPart(id, cur, false, out)
			d.cur.spilled = true
		}
		// Keep the name and MIME type of the detail being read.
		d.scratch = append(append(d.scratch[:0], d.metaBytes(d.cur.name)...), d.metaBytes(d.cur.mime)...)
		n := d.cur.name[1] - d.cur.name[0]
		d.cur.name = d.addMeta(d.scratch[:n])
		d.cur.mime = d.addMeta(d.scratch[n:])
	}
	d.cur.lo = 0
	d.det = d.det[:0]
}

// completePart ends the detail being read. A detail named like an earlier one
// takes its place, as python's details dict keeps the first key's position.
// Past v1MaxParts details, or v1SpillSize bytes of names, they are spilled.
func (p *v1Parser) completePart(out *[]Event) {
	d := &p.d
	cur := d.cur
	cur.hi = len(d.det)
	if !cur.spilled {
		name := d.metaBytes(cur.name)
		for i := range d.parts {
			if !d.parts[i].spilled && bytes.Equal(d.metaBytes(d.parts[i].name), name) {
				d.parts[i].mime, d.parts[i].lo, d.parts[i].hi = cur.mime, cur.lo, cur.hi
				return
			}
		}
	}
	d.parts = append(d.parts, cur)
	if len(d.parts) >= v1MaxParts || len(d.meta) >= v1SpillSize {
		p.spill(out, false)
	}
}

// endDetails ends the details block on its closing "]\n": the details, then the
// final status.
func (p *v1Parser) endDetails(out *[]Event) {
	d := &p.d
	if !d.multipart {
		p.completePart(out)
	}
	id := p.arenaBytes(p.id, out)
	for _, part := range d.parts {
		p.emitPart(id, part, true, out)
	}
	p.state = v1Outside
	p.emitFinal(d.outcome.status, d.at, id, out)
	d.reset()
}

// emitPart emits one file event for part; id is the test id's arena copy.
func (p *v1Parser) emitPart(id []byte, part v1Part, eof bool, out *[]Event) {
	d := &p.d
	ev := p.testEvent(id, d.at)
	ev.Flags |= FlagFile | FlagMIME
	if eof {
		ev.Flags |= FlagEOF
	}
	ev.FileName = p.arenaBytes(d.metaBytes(part.name), out)
	ev.MIME = p.arenaBytes(d.metaBytes(part.mime), out)
	ev.FileContent = p.arenaBytes(d.det[part.lo:part.hi], out)
	*out = append(*out, ev)
}

// malformed ends multipart details that python cannot parse: the test fails
// as on a lost connection, and line is passed through.
func (p *v1Parser) malformed(line []byte, off int64, why string, out *[]Event) {
	p.abortTest("malformed multipart details during "+p.d.outcome.label+
		" report of test '"+string(p.id)+"': "+why, off, out)
	p.passthrough(line, off, out)
}

// abortTest ends the open test as python's _lostConnectionInTest does: a
// "traceback" file holding msg as testtools renders the error, then a fail.
// Details read so far are dropped.
func (p *v1Parser) abortTest(msg string, off int64, out *[]Event) {
	id := p.arenaBytes(p.id, out)
	ev := p.testEvent(id, off)
	ev.Flags |= FlagFile | FlagMIME | FlagEOF
	ev.FileName = p.arenaString("traceback", out)
	ev.MIME = p.arenaString(v1PyTracebackMIME, out)
	ev.FileContent = p.arenaString(v1ErrorPrefix+msg+"\n", out)
	*out = append(*out, ev)
	p.emitFinal(StatusFail, off, id, out)
	p.state = v1Outside
	p.d.reset()
}
