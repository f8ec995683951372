package subunit

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"time"
	"unicode/utf8"
)

// Writer encodes events as subunit v2 packets.
//
// For the same event a Writer writes the same bytes as python-subunit's
// StreamResultToBytes: fields in wire order (timestamp, test id, tags, MIME
// type, file, route code), the minimal length field, the CRC32. The flags word
// is the version (2), the presence bits, FlagRunnable and FlagEOF as the event
// has them, and the event's Status. Which fields are written:
//
//   - the test id, route code, timestamp and file (name and content) when their
//     flag is set in Event.Flags; empty strings are written;
//   - the tags when Event.Tags is not empty, and the MIME type when Event.MIME
//     is not empty, whatever Event.Flags says (python-subunit omits an empty tag
//     set and an empty MIME type).
//
// Other bits of Event.Flags (version, reserved, status) are ignored; the status
// comes from Event.Status. Timestamps are written with nanosecond precision;
// python-subunit writes microseconds, so a time truncated to microseconds gives
// identical bytes.
//
// A Writer buffers its output in about 64 KiB and, by default, flushes after
// every packet (see WithFlushEachPacket). File content of more than 256 bytes
// is hashed and written where it is, never copied into a packet buffer (the
// output buffer aside: content larger than its free space goes straight to the
// underlying writer). Write allocates nothing per packet.
// A Writer is not safe for concurrent use. After an error from the underlying
// writer, every later call returns that error.
type Writer struct {
	bw      *bufio.Writer
	opts    writerOptions
	scratch []byte // header and small fields of the packet being written
	chunk   []byte // WriteFile's read buffer, kept for reuse
	err     error  // sticky error from the underlying writer
}

// maxBase is the largest packet size without its length field: a larger packet
// does not fit in MaxPacketLength whatever the length field's width.
const maxBase = MaxPacketLength - 3

// headerRoom is the space left at the start of the scratch buffer for the
// signature, the flags and a length field of up to 3 bytes.
const headerRoom = 1 + 2 + 3

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer, opts ...WriterOption) (*Writer, error) {
	if w == nil {
		return nil, errors.New("subunit: nil io.Writer")
	}
	o := defaultWriterOptions()
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("subunit: nil WriterOption")
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	return &Writer{
		bw:      bufio.NewWriterSize(w, writerBufferSize),
		opts:    o,
		scratch: make([]byte, 0, 1024),
	}, nil
}

// Write encodes ev as one v2 packet, or as several when ev carries file content
// that does not fit in one packet (or is longer than WithMaxChunk). Nothing is
// written when ev is rejected: a string that is not UTF-8 (ErrWriterUTF8) or
// holds a NUL byte (ErrWriterNUL), a timestamp outside 1970-01-01T00:00:00Z to
// 2106-02-07T06:28:15.999999999Z (ErrWriterTime), a status that is not a wire
// status, or fields other than the file content too long for one packet
// (ErrWriterTooLong). The errors name the field and wrap the sentinels.
//
// Splitting follows python-subunit's subunit-output tool: each packet carries
// a consecutive chunk of the content, in order, and the timestamp, test id,
// file name, route code and FlagRunnable; the MIME type and the tags are on the
// first packet only; the status and FlagEOF, when ev has them, are on the last
// packet only. (subunit-output differs in two details: it puts the timestamp on
// the first packet only, and an interim status on the first packet.) A reader
// that joins the chunks of (route code, test id, file name) until FlagEOF gets
// the content back; the MIME type of a file is the one on its first chunk.
//
// ev is not retained; its slices may be reused once Write returns.
func (w *Writer) Write(ev *Event) error {
	if w.err != nil {
		return w.err
	}
	if ev == nil {
		return errors.New("subunit: nil Event")
	}
	p, err := newPlan(ev)
	if err != nil {
		return err
	}
	if p.flags&FlagFile == 0 {
		if p.every+p.firstOnly > maxBase {
			return p.tooLong()
		}
		return w.emit(&p, p.flags, nil)
	}
	capFirst := contentCapacity(p.every+p.firstOnly, w.opts.maxChunk)
	if capFirst < 0 {
		return p.tooLong()
	}
	content := ev.FileContent
	if len(content) <= capFirst {
		return w.emit(&p, p.flags, content)
	}
	capLater := contentCapacity(p.every, w.opts.maxChunk)
	if capLater < 1 {
		return p.tooLong()
	}
	for first := true; ; first = false {
		c := capLater
		if first {
			c = capFirst
		}
		last := len(content) <= c
		n := min(c, len(content))
		if err := w.emit(&p, p.chunkFlags(first, last), content[:n]); err != nil {
			return err
		}
		if last {
			return nil
		}
		content = content[n:]
	}
}

// WriteFile writes the content read from r, until io.EOF, as the file
// ev.FileName: a series of packets in the layout Write uses for a split file,
// with FlagEOF on the last packet. ev gives everything else: the test id, route
// code, timestamp, tags, MIME type, status and FlagRunnable (FlagFile and
// FlagEOF are implied). ev.FileContent must be empty. An empty reader gives one
// packet with no content and FlagEOF, as subunit-output writes an empty file.
//
// WriteFile writes a packet once it has read a full chunk (about 4 MiB by
// default, see WithMaxChunk) and one byte more, so that FlagEOF lands on the
// last chunk with content, or reached the end of r. It holds at most one chunk,
// in a buffer it reuses across calls. If r fails, WriteFile returns its error
// after the packets already written; the file then has no FlagEOF. ev is not
// retained.
func (w *Writer) WriteFile(ev *Event, r io.Reader) error {
	if w.err != nil {
		return w.err
	}
	if ev == nil || r == nil {
		return errors.New("subunit: WriteFile needs an Event and an io.Reader")
	}
	if len(ev.FileContent) > 0 {
		return errors.New("subunit: WriteFile reads the content from its io.Reader; Event.FileContent must be empty")
	}
	e := *ev
	e.Flags |= FlagFile | FlagEOF
	p, err := newPlan(&e)
	if err != nil {
		return err
	}
	capFirst := contentCapacity(p.every+p.firstOnly, w.opts.maxChunk)
	capLater := contentCapacity(p.every, w.opts.maxChunk)
	if capFirst < 0 || capLater < 1 {
		return p.tooLong()
	}
	buf := w.chunk[:0]
	defer func() { w.chunk = buf[:0] }()
	for first := true; ; first = false {
		c := capLater
		if first {
			c = capFirst
		}
		var err error
		// Read one byte more than the chunk: if it comes, this chunk is not the last.
		if buf, err = fill(r, buf, c+1); err != nil {
			return fmt.Errorf("subunit: reading file %q: %w", ev.FileName, err)
		}
		last := len(buf) <= c
		n := min(c, len(buf))
		if err := w.emit(&p, p.chunkFlags(first, last), buf[:n]); err != nil {
			return err
		}
		if last {
			return nil
		}
		buf = buf[:copy(buf, buf[n:])]
	}
}

// Flush writes any buffered packets to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		w.err = fmt.Errorf("subunit: write: %w", err)
	}
	return w.err
}

// plan is an event checked for writing, with the sizes of its fields.
type plan struct {
	ev        *Event
	flags     Flags  // the flags of the event written as a single packet
	sec, nsec uint32 // the timestamp, when flags has FlagTimestamp
	every     int64  // bytes of every packet: header, CRC and fields, without file content and its length
	firstOnly int64  // bytes of the tags and MIME type, written in the first packet only
}

// presence is the part of Event.Flags a Writer takes as given.
const presence = FlagTestID | FlagRouteCode | FlagTimestamp | FlagRunnable | FlagFile | FlagEOF

// newPlan checks ev and computes its flags and field sizes.
func newPlan(ev *Event) (plan, error) {
	p := plan{ev: ev, flags: version2 | ev.Flags&presence, every: 1 + 2 + 4}
	if ev.Status > StatusXFail {
		return p, fmt.Errorf("subunit: cannot write status %v: not a wire status", ev.Status)
	}
	p.flags |= Flags(ev.Status)
	if p.flags&FlagTimestamp != 0 {
		sec := ev.Timestamp.Unix()
		if sec < 0 || sec > math.MaxUint32 {
			return p, fmt.Errorf("%w: %s", ErrWriterTime, ev.Timestamp.UTC().Format(time.RFC3339Nano))
		}
		p.sec, p.nsec = uint32(sec), uint32(ev.Timestamp.Nanosecond())
		p.every += 4 + int64(varintLen(p.nsec))
	}
	var n int64
	var err error
	if p.flags&FlagTestID != 0 {
		if n, err = stringSize(ev.TestID, "test id", -1); err != nil {
			return p, err
		}
		p.every += n
	}
	if len(ev.Tags) > 0 {
		p.flags |= FlagTags
		p.firstOnly += sizeLen(len(ev.Tags))
		for i, t := range ev.Tags {
			if n, err = stringSize(t, "tag", i); err != nil {
				return p, err
			}
			p.firstOnly += n
		}
	}
	if len(ev.MIME) > 0 {
		p.flags |= FlagMIME
		if n, err = stringSize(ev.MIME, "MIME type", -1); err != nil {
			return p, err
		}
		p.firstOnly += n
	}
	if p.flags&FlagFile != 0 {
		if n, err = stringSize(ev.FileName, "file name", -1); err != nil {
			return p, err
		}
		p.every += n
	}
	if p.flags&FlagRouteCode != 0 {
		if n, err = stringSize(ev.RouteCode, "route code", -1); err != nil {
			return p, err
		}
		p.every += n
	}
	return p, nil
}

// stringSize checks the string s of field (tag number i when i >= 0) and
// returns the size of its encoding.
func stringSize(s []byte, field string, i int) (int64, error) {
	if len(s) > maxBase {
		return 0, fmt.Errorf("%w: %s of %d bytes", ErrWriterTooLong, field, len(s))
	}
	if bad := stringProblem(s); bad != nil {
		at := firstBadByte(s)
		near := s[max(0, at-20):min(len(s), at+20)]
		if i >= 0 {
			return 0, fmt.Errorf("%w: %s %d, byte %d (near %q)", bad, field, i, at, near)
		}
		return 0, fmt.Errorf("%w: %s, byte %d (near %q)", bad, field, at, near)
	}
	return sizeLen(len(s)) + int64(len(s)), nil
}

// tooLong reports the fields of p that do not fit in one packet.
func (p *plan) tooLong() error {
	return fmt.Errorf("%w: the fields besides file content take %d bytes, a packet holds %d",
		ErrWriterTooLong, p.every+p.firstOnly+3, MaxPacketLength)
}

// chunkFlags returns the flags of one packet of a split file.
func (p *plan) chunkFlags(first, last bool) Flags {
	f := p.flags &^ (FlagTags | FlagMIME | FlagEOF | statusMask)
	if first {
		f |= p.flags & (FlagTags | FlagMIME)
	}
	if last {
		f |= p.flags & (FlagEOF | statusMask)
	}
	return f
}

// sizeLen returns the size of the varint of n. Anything too large for a
// packet counts as 4 bytes; the packet size check rejects it anyway.
func sizeLen(n int) int64 {
	if n > maxVarint3 {
		return 4
	}
	return int64(varintLen(uint32(n)))
}

// contentCapacity returns the most file-content bytes that fit in a packet
// whose other fields take fixed bytes (everything but the content and its
// length varint), capped at maxChunk when maxChunk > 0. It returns -1 when not
// even empty content fits.
func contentCapacity(fixed int64, maxChunk int) int {
	room := maxBase - fixed // for the content length varint and the content
	var c int64
	switch {
	case room-3 > maxVarint2: // a 3-byte length varint
		c = min(room-3, maxVarint3)
	case room-2 > maxVarint1: // a 2-byte length varint
		c = min(room-2, maxVarint2)
	case room >= 1:
		c = min(room-1, maxVarint1)
	default:
		return -1
	}
	if maxChunk > 0 && c > int64(maxChunk) {
		c = int64(maxChunk)
	}
	return int(c)
}

// lengthWidth returns the width of the length field of a packet whose other
// bytes number base (at most maxBase).
func lengthWidth(base int) int {
	switch {
	case base <= maxVarint1-1:
		return 1
	case base <= maxVarint2-2:
		return 2
	}
	return 3
}

// inlineContent is the most file content emit copies into the packet buffer:
// for small content one CRC pass and one write cost less than three. Larger
// content is hashed and written where it is, without a copy.
const inlineContent = 256

// emit writes one packet of p with the given flags and file content. The
// caller has checked that it fits.
func (w *Writer) emit(p *plan, flags Flags, content []byte) error {
	ev := p.ev
	b := w.scratch[:headerRoom]
	if flags&FlagTimestamp != 0 {
		b = binary.BigEndian.AppendUint32(b, p.sec)
		b = appendVarint(b, p.nsec)
	}
	if flags&FlagTestID != 0 {
		b = appendString(b, ev.TestID)
	}
	if flags&FlagTags != 0 {
		b = appendVarint(b, uint32(len(ev.Tags)))
		for _, t := range ev.Tags {
			b = appendString(b, t)
		}
	}
	if flags&FlagMIME != 0 {
		b = appendString(b, ev.MIME)
	}
	if flags&FlagFile != 0 {
		b = appendString(b, ev.FileName)
		b = appendVarint(b, uint32(len(content)))
		if len(content) <= inlineContent {
			b = append(b, content...)
			content = nil
		}
	}
	head := len(b)
	if flags&FlagRouteCode != 0 {
		b = appendString(b, ev.RouteCode)
	}
	base := 1 + 2 + (len(b) - headerRoom) + len(content) + 4
	width := lengthWidth(base)
	start := headerRoom - 3 - width
	b[start] = signature
	binary.BigEndian.PutUint16(b[start+1:], uint16(flags))
	appendVarint(b[start+3:start+3], uint32(base+width))
	var err error
	if content == nil {
		b = binary.BigEndian.AppendUint32(b, crc32.Update(0, crc32.IEEETable, b[start:]))
		_, err = w.bw.Write(b[start:])
	} else {
		crc := crc32.Update(0, crc32.IEEETable, b[start:head])
		crc = crc32.Update(crc, crc32.IEEETable, content)
		crc = crc32.Update(crc, crc32.IEEETable, b[head:])
		b = binary.BigEndian.AppendUint32(b, crc)
		w.bw.Write(b[start:head])
		w.bw.Write(content)
		_, err = w.bw.Write(b[head:]) // bufio.Writer errors are sticky: this one reports all three
	}
	w.scratch = b[:0]
	if err == nil && w.opts.flushEach {
		err = w.bw.Flush()
	}
	if err != nil {
		w.err = fmt.Errorf("subunit: write: %w", err)
	}
	return w.err
}

// appendString appends a v2 STRING: its length as a varint, then its bytes.
func appendString(b, s []byte) []byte {
	return append(appendVarint(b, uint32(len(s))), s...)
}

// fill reads from r into buf until buf holds want bytes or r is at its end,
// growing buf as needed up to want bytes. io.EOF is not an error.
func fill(r io.Reader, buf []byte, want int) ([]byte, error) {
	for empty := 0; len(buf) < want; {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(want, max(2*cap(buf), 32<<10)))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), want)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if n > 0 {
			empty = 0
		} else if empty++; empty >= 100 {
			return buf, io.ErrNoProgress
		}
	}
	return buf, nil
}

// stringProblem returns ErrWriterUTF8 when s is not UTF-8, ErrWriterNUL when
// it holds a NUL byte (the first problem found when it has both), and nil when
// it may be written. ASCII, the common case, is checked eight bytes at a time
// in one pass; utf8.Valid sees only what follows the first non-ASCII byte.
func stringProblem(s []byte) error {
	const high, ones = 0x8080808080808080, 0x0101010101010101
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := binary.LittleEndian.Uint64(s[i:])
		if x&high != 0 || (x-ones)&^x&high != 0 { // a non-ASCII or a zero byte
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == 0 {
			return ErrWriterNUL
		} else if c >= utf8.RuneSelf {
			break
		}
	}
	rest := s[i:]
	if len(rest) == 0 {
		return nil
	}
	if !utf8.Valid(rest) {
		return ErrWriterUTF8
	}
	if bytes.IndexByte(rest, 0) >= 0 {
		return ErrWriterNUL
	}
	return nil
}

// firstBadByte returns the offset of the first NUL byte or invalid UTF-8
// sequence in s, or len(s).
func firstBadByte(s []byte) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRune(s[i:])
		if r == 0 || (r == utf8.RuneError && n == 1) {
			return i
		}
		i += n
	}
	return len(s)
}
