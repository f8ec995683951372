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
// every packet (see WithFlushEachPacket). File content is hashed and written in
// place, never copied into a packet buffer; Write allocates nothing per packet.
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
	var p plan
	if err := p.check(ev); err != nil {
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
// WriteFile reads one chunk ahead, so that FlagEOF lands on the last chunk with
// content, and holds at most one chunk (about 4 MiB by default, see
// WithMaxChunk) in a buffer it reuses across calls. If r fails, WriteFile
// returns its error after the packets already written; the file then has no
// FlagEOF.
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
	var p plan
	if err := p.check(&e); err != nil {
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

// check checks ev and computes its flags and field sizes.
func (p *plan) check(ev *Event) error {
	*p = plan{ev: ev, flags: version2 | ev.Flags&presence, every: 1 + 2 + 4}
	if ev.Status > StatusXFail {
		return fmt.Errorf("subunit: cannot write status %v: not a wire status", ev.Status)
	}
	p.flags |= Flags(ev.Status)
	if p.flags&FlagTimestamp != 0 {
		sec := ev.Timestamp.Unix()
		if sec < 0 || sec > math.MaxUint32 {
			return fmt.Errorf("%w: %s", ErrWriterTime, ev.Timestamp.UTC().Format(time.RFC3339Nano))
		}
		p.sec, p.nsec = uint32(sec), uint32(ev.Timestamp.Nanosecond())
		p.every += 4 + int64(varintLen(p.nsec))
	}
	if p.flags&FlagTestID != 0 {
		if err := p.str(&p.every, ev.TestID, "test id", -1); err != nil {
			return err
		}
	}
	if len(ev.Tags) > 0 {
		p.flags |= FlagTags
		p.firstOnly += sizeLen(len(ev.Tags))
		for i, t := range ev.Tags {
			if err := p.str(&p.firstOnly, t, "tag", i); err != nil {
				return err
			}
		}
	}
	if len(ev.MIME) > 0 {
		p.flags |= FlagMIME
		if err := p.str(&p.firstOnly, ev.MIME, "MIME type", -1); err != nil {
			return err
		}
	}
	if p.flags&FlagFile != 0 {
		if err := p.str(&p.every, ev.FileName, "file name", -1); err != nil {
			return err
		}
	}
	if p.flags&FlagRouteCode != 0 {
		if err := p.str(&p.every, ev.RouteCode, "route code", -1); err != nil {
			return err
		}
	}
	return nil
}

// str checks the string s of field (tag number i when i >= 0) and adds its
// encoded size to *size.
func (p *plan) str(size *int64, s []byte, field string, i int) error {
	var bad error
	if !utf8.Valid(s) {
		bad = ErrWriterUTF8
	} else if bytes.IndexByte(s, 0) >= 0 {
		bad = ErrWriterNUL
	}
	if bad != nil {
		if i >= 0 {
			return fmt.Errorf("%w: %s %d (%q)", bad, field, i, s)
		}
		return fmt.Errorf("%w: %s %q", bad, field, s)
	}
	*size += sizeLen(len(s)) + int64(len(s))
	return nil
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
	crc := crc32.Update(0, crc32.IEEETable, b[start:head])
	crc = crc32.Update(crc, crc32.IEEETable, content)
	crc = crc32.Update(crc, crc32.IEEETable, b[head:])
	b = binary.BigEndian.AppendUint32(b, crc)
	w.scratch = b[:0]

	w.bw.Write(b[start:head])
	w.bw.Write(content)
	_, err := w.bw.Write(b[head:]) // bufio.Writer errors are sticky: this one reports all three
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
