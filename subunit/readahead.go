package subunit

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"strings"
	"sync"
)

// Read-ahead decoding: with WithReadAhead, a second goroutine reads and
// decodes the stream (input, framing, CRC, fields) while the caller works on
// the events already decoded (assembling records, counting, writing), so the
// two halves of the work use two cores. Events travel in batches whose byte
// slices point into the batch's own arena; a batch goes back to the decoder
// when the caller asks for the event after its last one, which keeps the
// aliasing contract of Next: an event stays valid until the next call.

const (
	raBatchEvents = 2048      // events per batch
	raBatchBytes  = 256 << 10 // arena bytes after which a batch is sent early
	raBatches     = 3         // batches in flight: bounds memory and lead
)

// raItem is one result of Next: an event or an error, and the input offset
// after it.
type raItem struct {
	ev     Event
	err    error
	offset int64
	final  bool // err ends the stream: every later Next returns it
}

type raBatch struct {
	items []raItem
	arena []byte
	tags  [][]byte
}

// readAhead is the consumer's side of the pipeline.
type readAhead struct {
	full  chan *raBatch
	free  chan *raBatch
	stop  chan struct{}
	once  sync.Once
	cur   *raBatch
	i     int
	off   int64 // InputOffset after the last item handed out
	final error // the error that ended the stream, once reached
}

func (r *Reader) startReadAhead() {
	ra := &readAhead{
		full: make(chan *raBatch, raBatches),
		free: make(chan *raBatch, raBatches),
		stop: make(chan struct{}),
	}
	for range raBatches {
		ra.free <- &raBatch{items: make([]raItem, 0, raBatchEvents), arena: make([]byte, 0, raBatchBytes+4<<10)}
	}
	go r.decodeAhead(ra)
	r.ra = ra
}

// decodeAhead runs in its own goroutine: it fills free batches with decoded
// events until the stream ends, a final error comes, or Close stops it.
func (r *Reader) decodeAhead(ra *readAhead) {
	defer close(ra.full)
	p := &raProducer{ra: ra}
	// Before each Read of the source, which may block (a live pipe), the
	// events decoded so far go to the caller: read-ahead never holds back
	// an event that could be handed out.
	if !neverBlocks(r.src) {
		r.beforeRead = p.flush
	}
	if !p.take() {
		return
	}
	for {
		ev, err := r.decode()
		if p.stopped {
			return
		}
		b := p.b
		b.items = append(b.items, raItem{err: err, offset: r.decodedOffset()})
		it := &b.items[len(b.items)-1] // filled in place: an Event is ~200 bytes
		if ev != nil {
			it.ev = *ev
			b.copyEvent(&it.ev)
		}
		// io.EOF, a source error or a strict-mode stop is final.
		it.final = err != nil && (r.err != nil || !isPacketError(err))
		if it.final {
			p.send()
			return
		}
		if (len(b.items) >= raBatchEvents || len(b.arena) >= raBatchBytes) && !p.send() {
			return
		}
	}
}

// neverBlocks reports whether a Read of src always returns at once: a
// regular file or bytes in memory. Batches from such a source are sent when
// full; from any other (a pipe, a socket) also before each Read, which may
// wait for a writer that is still running: handing events out in large
// batches costs less (each hand-over may wake a sleeping goroutine) but must
// not hold back events of a live stream.
func neverBlocks(src io.Reader) bool {
	switch s := src.(type) {
	case *bytes.Reader, *strings.Reader, *bytes.Buffer:
		return true
	case interface{ Stat() (fs.FileInfo, error) }:
		fi, err := s.Stat()
		return err == nil && fi.Mode().IsRegular()
	}
	return false
}

// raProducer is the decoding goroutine's side of the pipeline: the batch it
// fills.
type raProducer struct {
	ra      *readAhead
	b       *raBatch
	stopped bool // Close was called
}

// take gets an empty batch; false when Close was called.
func (p *raProducer) take() bool {
	select {
	case p.b = <-p.ra.free:
		p.b.items, p.b.arena, p.b.tags = p.b.items[:0], p.b.arena[:0], p.b.tags[:0]
		return true
	case <-p.ra.stop:
		p.stopped = true
		return false
	}
}

// send hands the batch to the caller and takes a new one; false when Close
// was called.
func (p *raProducer) send() bool {
	select {
	case p.ra.full <- p.b:
		p.b = nil
		return p.take()
	case <-p.ra.stop:
		p.stopped = true
		return false
	}
}

// flush sends the batch if it holds anything; false when Close was called.
func (p *raProducer) flush() bool {
	if p.stopped {
		return false
	}
	if len(p.b.items) == 0 {
		return true
	}
	return p.send()
}

// copyEvent moves the byte slices of ev into the batch's arena: the decoder's
// buffers are reused for the next event.
func (b *raBatch) copyEvent(ev *Event) {
	ev.TestID = b.keep(ev.TestID)
	ev.MIME = b.keep(ev.MIME)
	ev.FileName = b.keep(ev.FileName)
	ev.FileContent = b.keep(ev.FileContent)
	ev.RouteCode = b.keep(ev.RouteCode)
	if ev.Tags != nil {
		start := len(b.tags)
		for _, t := range ev.Tags {
			b.tags = append(b.tags, b.keep(t))
		}
		ev.Tags = b.tags[start:len(b.tags):len(b.tags)]
	}
}

// keep copies p into the arena. When the arena must grow, slices kept
// earlier go on pointing into the old array, which stays valid.
func (b *raBatch) keep(p []byte) []byte {
	if p == nil {
		return nil
	}
	start := len(b.arena)
	b.arena = append(b.arena, p...)
	return b.arena[start:len(b.arena):len(b.arena)]
}

// next hands out the next decoded item.
func (ra *readAhead) next() (*Event, error) {
	for {
		if ra.cur != nil && ra.i < len(ra.cur.items) {
			it := &ra.cur.items[ra.i]
			ra.i++
			ra.off = it.offset
			if it.err != nil {
				if it.final {
					ra.final = it.err
				}
				return nil, it.err
			}
			return &it.ev, nil
		}
		if ra.final != nil {
			return nil, ra.final
		}
		if ra.cur != nil {
			ra.free <- ra.cur // never blocks: at most raBatches exist
			ra.cur = nil
		}
		b, ok := <-ra.full
		if !ok {
			return nil, ErrClosed
		}
		ra.cur, ra.i = b, 0
	}
}

// close tells the decoder to stop. It does not wait: a decoder blocked in
// a Read of the source (a pipe that stays open) stops when that Read
// returns, and touches nothing the caller uses meanwhile.
func (ra *readAhead) close() {
	ra.once.Do(func() { close(ra.stop) })
	if ra.final == nil || ra.final == io.EOF {
		ra.final = ErrClosed
	}
}

// ErrClosed is returned by Next after Close.
var ErrClosed = errors.New("subunit: Reader closed")
