package subunit

import (
	"errors"
	"fmt"
	"io"
	"iter"
)

// Reader reads subunit events from a byte stream: v2 packets, v1 text
// directives and the bytes between them that are not subunit at all.
//
// Next returns one event per call and io.EOF at the end. The Event and every
// byte slice it holds alias the Reader's buffers and stay valid only until the
// next call to Next; Event.Clone keeps one. A packet is handed out only after
// its CRC has been checked. Memory is bounded by the read buffer plus one
// packet (at most MaxPacketLength bytes), whatever the size of the stream.
type Reader struct {
	src  io.Reader
	opts readerOptions

	buf    []byte // buf[r:w] holds bytes read but not yet consumed
	r, w   int
	base   int64 // input offset of buf[0]
	srcErr error // the error that ended src (io.EOF at a clean end)

	nonSubunit []byte // the name of the pseudo-file for non-subunit bytes

	ev   Event    // the event handed out by Next, reused
	tags [][]byte // backing array for ev.Tags, reused

	v1       *v1Parser
	queue    []Event // v1 events waiting to be handed out
	qi       int
	finished bool // the v1 parser was told the input ended

	err error // sticky: a source error, or the first bad packet in strict mode

	ra *readAhead // the decoding goroutine's pipe, with WithReadAhead once Next ran
	// beforeRead, when set, runs before each Read of src; false stops
	// reading as if src had failed with ErrClosed (see readahead.go).
	beforeRead func() bool
}

// NewReader returns a Reader over src. It reads in lenient mode unless
// WithStrict is given; see ReaderOption for the others.
func NewReader(src io.Reader, opts ...ReaderOption) (*Reader, error) {
	o := defaultReaderOptions()
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	r := &Reader{src: src, opts: o, buf: make([]byte, o.bufSize), nonSubunit: []byte(o.nonSubunit)}
	if o.v1 {
		r.v1 = newV1Parser(o.nonSubunit)
	}
	return r, nil
}

// InputOffset returns the input offset of the first byte not yet consumed:
// with WithReadAhead, the first byte after the last event or error Next
// returned.
func (r *Reader) InputOffset() int64 {
	if r.ra != nil {
		return r.ra.off
	}
	return r.decodedOffset()
}

// decodedOffset is the offset of the first byte the decoder has not
// consumed (with read-ahead, ahead of what Next handed out).
func (r *Reader) decodedOffset() int64 { return r.base + int64(r.r) }

// Close stops a Reader made WithReadAhead: its decoding goroutine ends (at
// the latest when a Read of the source in progress returns) and Next returns
// ErrClosed. Call it when you stop reading before Next returned io.EOF or a
// final error; after those it is not needed. Close never closes the source
// and is a no-op without WithReadAhead. It always returns nil.
func (r *Reader) Close() error {
	if r.ra != nil {
		r.ra.close()
	}
	return nil
}

// All returns an iterator over the events and errors of the stream. In lenient
// mode it goes on after a *PacketError; it stops after any other error and at
// the end of the stream (which it does not yield).
func (r *Reader) All() iter.Seq2[*Event, error] {
	return func(yield func(*Event, error) bool) {
		for {
			ev, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(ev, err) || err != nil && (r.opts.strict || !isPacketError(err)) {
				return
			}
		}
	}
}

func isPacketError(err error) bool {
	var pe *PacketError
	return errors.As(err, &pe)
}

// Next returns the next event, io.EOF at the end of the stream, or an error.
// A *PacketError reports a bad packet; in lenient mode the following call goes
// on after it. Any other error is final.
func (r *Reader) Next() (*Event, error) {
	if r.opts.readAhead {
		if r.ra == nil {
			r.startReadAhead()
		}
		return r.ra.next()
	}
	return r.decode()
}

// decode is Next without read-ahead. With WithReadAhead only the decoding
// goroutine calls it.
func (r *Reader) decode() (*Event, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		if r.qi < len(r.queue) {
			r.qi++
			return &r.queue[r.qi-1], nil
		}
		if len(r.queue) > 0 {
			r.queue, r.qi = r.queue[:0], 0
			r.v1.release() // the events it made are all handed out
		}
		if r.v1 != nil {
			if want := r.v1.rawWanted(); want > 0 {
				if r.r == r.w && !r.fill() {
					if err := r.endOfInput(); err != nil {
						return nil, err
					}
					continue
				}
				n := min(want, r.w-r.r)
				r.r += r.v1.feed(r.buf[r.r:r.r+n], r.decodedOffset(), false, &r.queue)
				continue
			}
		}
		if r.r == r.w && !r.fill() {
			if err := r.endOfInput(); err != nil {
				return nil, err
			}
			continue
		}
		if r.buf[r.r] == signature {
			return r.packet()
		}
		if ev := r.text(); ev != nil {
			return ev, nil
		}
	}
}

// endOfInput is reached when the buffer is empty and src is done. It returns
// io.EOF, or the source's error, once the v1 parser has nothing left to say.
func (r *Reader) endOfInput() error {
	if r.v1 != nil && !r.finished {
		r.finished = true
		r.v1.finish(r.decodedOffset(), &r.queue)
		if len(r.queue) > 0 {
			return nil
		}
	}
	if r.srcErr == io.EOF {
		return io.EOF
	}
	return r.sourceFailed()
}

// sourceFailed makes the source's error final. A packet it cut short is not
// reported as truncated: the input did not end, it failed.
func (r *Reader) sourceFailed() error {
	r.err = fmt.Errorf("subunit: reading input at byte %d: %w", r.decodedOffset(), r.srcErr)
	return r.err
}

// fill reads more input after the unconsumed bytes, moving them to the front
// of the buffer first when that makes room. It returns false when src has
// nothing more to give (r.srcErr is then set).
func (r *Reader) fill() bool {
	if r.srcErr != nil {
		return false
	}
	if r.r > 0 && (r.r == r.w || r.w == len(r.buf)) {
		n := copy(r.buf, r.buf[r.r:r.w])
		r.base += int64(r.r)
		r.r, r.w = 0, n
	}
	if r.w == len(r.buf) {
		return true // full: the caller has bytes to work on
	}
	if r.beforeRead != nil && !r.beforeRead() {
		r.srcErr = ErrClosed
		return false
	}
	for range 100 {
		n, err := r.src.Read(r.buf[r.w:])
		if n < 0 || n > len(r.buf)-r.w {
			r.srcErr = fmt.Errorf("source returned an invalid count %d", n)
			return false
		}
		r.w += n
		if err != nil {
			r.srcErr = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	r.srcErr = io.ErrNoProgress
	return false
}

// need makes sure that at least n unconsumed bytes are buffered, growing the
// buffer for a packet larger than it. It returns false when the input ends first.
func (r *Reader) need(n int) bool {
	if r.w-r.r >= n {
		return true
	}
	if n > len(r.buf) {
		grown := make([]byte, n+r.opts.bufSize)
		r.w = copy(grown, r.buf[r.r:r.w])
		r.base += int64(r.r)
		r.r, r.buf = 0, grown
	}
	for r.w-r.r < n {
		if !r.fill() {
			return false
		}
	}
	return true
}

// packet decodes the packet whose signature is at buf[r]. It returns the
// event or a *PacketError.
func (r *Reader) packet() (*Event, error) {
	off := r.decodedOffset()
	if !r.need(7) && r.srcErr != io.EOF { // 7: the longest header
		return nil, r.sourceFailed()
	}
	h, ok, err := parseHeader(r.buf[r.r:r.w], off)
	if err == nil && !ok {
		err = &TruncatedError{Offset: off, Want: 4, Got: r.w - r.r}
	}
	if err != nil {
		return nil, r.bad(off, 1, err)
	}
	odd := h.flags&(flagVersion|flagReserved) != version2
	if odd && r.opts.strict {
		return nil, r.bad(off, 1, &ReservedError{Offset: off + 1, Flags: h.flags})
	}
	if !r.need(h.length) {
		if r.srcErr != io.EOF {
			return nil, r.sourceFailed()
		}
		if odd {
			return nil, r.bad(off, 1, &ReservedError{Offset: off + 1, Flags: h.flags})
		}
		// Nothing more will come: report the cut packet, then read its bytes
		// again, so that complete packets inside its declared length survive.
		return nil, r.bad(off, 1, &TruncatedError{Offset: off, Want: h.length, Got: r.w - r.r})
	}
	pkt := r.buf[r.r : r.r+h.length]
	if err := checkCRC(pkt, off); err != nil {
		if odd {
			// A 0xB3 followed by an impossible version is most likely a byte of
			// text (Latin-1 '³', binary output): report it and rescan after it.
			return nil, r.bad(off, 1, &ReservedError{Offset: off + 1, Flags: h.flags})
		}
		return nil, r.bad(off, h.length, err)
	}
	// python-subunit accepts a CRC-valid packet whatever its version nibble
	// and reserved bit say; lenient mode does the same.
	ev := &r.ev
	*ev = Event{Flags: h.flags &^ (flagVersion | flagReserved | statusMask), Status: Status(h.flags & statusMask), Offset: off}
	r.tags, err = decodeFields(ev, h, pkt[h.hlen:h.length-4], off+int64(h.hlen), r.tags)
	if err != nil {
		return nil, r.bad(off, h.length, err)
	}
	r.r += h.length
	return ev, nil
}

// bad consumes n bytes of a bad packet at off and returns its *PacketError,
// which strict mode makes final.
func (r *Reader) bad(off int64, n int, cause error) error {
	n = min(n, r.w-r.r)
	// Errors are rare and often kept: the error gets its own copy of the data.
	err := &PacketError{Offset: off, Data: cloneBytes(r.buf[r.r : r.r+n]), Err: cause}
	r.r += n
	if r.opts.strict {
		r.err = err
	}
	return err
}

// text consumes the run of non-packet bytes at buf[r] and returns it as a
// Passthrough event, or hands it to the v1 parser and returns nil.
func (r *Reader) text() *Event {
	for {
		eof := r.srcErr != nil
		start := r.r
		full := r.w-r.r == len(r.buf)
		p, how := nextSignature(r.buf, start, start+1, r.w, eof)
		end, atPacket := r.w, false
		switch {
		case how == sigYes:
			end, atPacket = p, true
		case how == sigMore:
			end = p // hold the undecided character back, lead byte first
		case !eof:
			end -= incompleteTail(r.buf[start:r.w])
		}
		if end == start {
			if !eof && !full {
				r.fill() // only part of a character is here: wait for the rest
				continue
			}
			end = r.w
		}
		if r.v1 == nil {
			r.r = end
			ev := &r.ev
			*ev = Event{
				Flags:       FlagRunnable | FlagFile,
				FileName:    r.nonSubunit,
				FileContent: r.buf[start:end],
				Offset:      r.base + int64(start),
				Passthrough: true,
			}
			return ev
		}
		final := atPacket || eof || full
		n := r.v1.feed(r.buf[start:end], r.base+int64(start), final, &r.queue)
		r.r += n
		if n < end-start && !final && len(r.queue) == 0 {
			// The parser waits for the end of a line: read on.
			r.fill()
			continue
		}
		return nil
	}
}
