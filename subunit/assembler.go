package subunit

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"time"
)

// ErrAssemblerClosed is returned by Assembler.Add and AddError after Close.
var ErrAssemblerClosed = errors.New("subunit: assembler is closed")

// Assembler rebuilds test records from a stream of events, with the rules of
// testtools' _StreamToTestRecord (behind StreamToDict, StreamSummary and
// every python-subunit tool that reports tests):
//
//   - An event without a test id is run-level output (such as non-subunit
//     bytes) and is ignored.
//   - Events belong to the same record when they have the same test id and
//     route code; an absent route code and an empty one are different keys.
//     The first event of a key opens a record. Tests from several workers may
//     interleave freely.
//   - Each event's status, unless StatusUndefined, becomes the record's
//     status. A final status (exists, success, uxsuccess, skip, fail, xfail)
//     completes the record, which is handed to emit at once; a later event
//     with the same key opens a new record (a repeated test id).
//   - Start is the timestamp of the first event. Stop is that of the latest
//     event: an event without a timestamp resets it, so a final event without
//     one leaves Stop zero even when earlier events had timestamps. Times
//     keep the event's nanoseconds (python-subunit rounds to microseconds).
//   - Each event that carries tags replaces the record's tag set.
//   - Each non-empty file chunk is appended to the attachment of its name;
//     the first non-empty chunk of a name sets its MIME type. Empty chunks and
//     EOF flags change nothing in the record.
//
// Close emits the records still open, with Stop zero and Complete false.
//
// An Assembler copies what it keeps of an event, so events may alias a
// Reader's buffers. For an event of a record already open it allocates
// nothing beyond the attachment bytes it keeps and a changed tag set. It is
// not safe for concurrent use.
type Assembler struct {
	emit   func(*Record) error
	opts   recordOptions
	open   map[uint64]*openRecord // by the hash of recordKey, colliding records chained
	seed   maphash.Seed
	last   *openRecord       // the record the previous event went to
	free   []*openRecord     // emitted records to recycle (WithRecordReuse)
	tagSet map[string]string // tags seen, to share their strings (WithRecordReuse)
	seq    uint64            // order of first appearance
	key    []byte            // scratch for recordKey
	closed bool
}

// openRecord is a record being assembled. Its key also backs the record's
// TestID and RouteCode strings, so that opening a record allocates twice.
type openRecord struct {
	Record
	key  string
	hash uint64
	next *openRecord // another open record whose key has the same hash
	seq  uint64
}

// NewAssembler returns an Assembler that hands each record to emit as it
// completes. emit owns the record; an error from emit is returned by the
// Add, AddError or Close call that completed the record.
func NewAssembler(emit func(*Record) error, opts ...RecordOption) (*Assembler, error) {
	if emit == nil {
		return nil, errors.New("subunit: nil record callback")
	}
	o := defaultRecordOptions()
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	return &Assembler{emit: emit, opts: o, open: make(map[uint64]*openRecord), seed: maphash.MakeSeed()}, nil
}

// Add feeds one event to the records. It returns an error for a nil event or
// a Status that is not a wire status, ErrAssemblerClosed after Close, and
// otherwise the attachment sink's or emit's error.
func (a *Assembler) Add(ev *Event) error {
	switch {
	case a.closed:
		return ErrAssemblerClosed
	case ev == nil:
		return errors.New("subunit: nil event")
	case ev.Status > StatusXFail:
		return fmt.Errorf("subunit: event status %v is not a wire status", ev.Status)
	case !ev.HasTestID(), ev.Status == StatusExists && !a.opts.exists:
		return nil
	}
	var ts time.Time
	if ev.HasTimestamp() {
		ts = ev.Timestamp
	}
	a.key = appendRecordKey(a.key[:0], ev)
	// A test's events mostly come in a row: try the last record before the map.
	o := a.last
	if o == nil || o.key != string(a.key) {
		// Test ids share long prefixes and suffixes, which makes comparing
		// string keys slow: the map holds their hashes instead.
		h := maphash.Bytes(a.seed, a.key)
		if o = a.find(h); o == nil {
			o = a.start(ev, ts, h)
		}
		a.last = o
	}
	if ev.Status != StatusUndefined {
		o.Status = ev.Status
	}
	o.Stop = ts
	var sinkErr error
	if ev.HasFile() {
		sinkErr = a.addChunk(o, ev)
	}
	if ev.Flags&FlagTags != 0 && !sameTags(o.Tags, ev.Tags) {
		if a.opts.reuse {
			o.Tags = a.internTags(o.Tags[:0], ev.Tags)
		} else {
			o.Tags = copyTags(ev.Tags)
		}
	}
	if !ev.Status.Final() {
		return sinkErr
	}
	a.remove(o)
	a.last = nil
	o.Complete = true
	err := a.emit(&o.Record)
	if a.opts.reuse {
		a.free = append(a.free, o)
	}
	if err != nil && sinkErr == nil {
		return err
	}
	return sinkErr
}

// AddError feeds a read error to the records. With WithParserErrors(true),
// the default, a *PacketError (found with errors.As) becomes a failed record
// ParserErrorTestID with the attachments ParserErrorPacketData (the packet's
// bytes) and ParserErrorMessage (err's text), as python-subunit reports a bad
// packet, and AddError returns nil or the sink's or emit's error. Any other
// error, and every error with WithParserErrors(false), is returned as is.
func (a *Assembler) AddError(err error) error {
	if err == nil {
		return nil
	}
	if a.closed {
		return ErrAssemblerClosed
	}
	var pe *PacketError
	if !a.opts.parserErrors || !errors.As(err, &pe) {
		return err
	}
	ev := Event{
		Flags:       FlagTestID | FlagRunnable | FlagFile | FlagMIME | FlagEOF,
		TestID:      []byte(ParserErrorTestID),
		FileName:    []byte(ParserErrorPacketData),
		FileContent: pe.Data,
		MIME:        []byte(mimeOctetStream),
	}
	if err := a.Add(&ev); err != nil {
		return err
	}
	ev.Status = StatusFail
	ev.FileName = []byte(ParserErrorMessage)
	ev.FileContent = []byte(err.Error())
	ev.MIME = []byte(mimeParserError)
	return a.Add(&ev)
}

// Close emits the records still open, in order of first appearance, with
// Stop zero and Complete false (testtools flushes them last-opened first).
// It stops at the first error from emit. Later calls do nothing.
func (a *Assembler) Close() error {
	if a.closed {
		return nil
	}
	a.closed = true
	left := make([]*openRecord, 0, len(a.open))
	for _, o := range a.open {
		for ; o != nil; o = o.next {
			left = append(left, o)
		}
	}
	clear(a.open)
	a.last = nil
	slices.SortFunc(left, func(x, y *openRecord) int { return cmp.Compare(x.seq, y.seq) })
	for _, o := range left {
		o.Stop = time.Time{}
		if err := a.emit(&o.Record); err != nil {
			return err
		}
	}
	return nil
}

// start opens the record of ev.
func (a *Assembler) start(ev *Event, ts time.Time, h uint64) *openRecord {
	key := string(a.key)
	var o *openRecord
	if n := len(a.free); n > 0 {
		o, a.free = a.free[n-1], a.free[:n-1]
		tags, atts := o.Tags[:0], o.Attachments[:0]
		*o = openRecord{key: key, hash: h, next: a.open[h], seq: a.seq}
		o.Tags, o.Attachments = tags, atts
	} else {
		o = &openRecord{key: key, hash: h, next: a.open[h], seq: a.seq}
	}
	a.seq++
	o.TestID = key[len(key)-len(ev.TestID):]
	if ev.Flags&FlagRouteCode != 0 && len(ev.RouteCode) > 0 {
		o.RouteCode = key[len(key)-len(ev.TestID)-len(ev.RouteCode) : len(key)-len(ev.TestID)]
	}
	o.Status = StatusUnknown
	o.Start = ts
	a.open[h] = o
	return o
}

// find returns the open record whose key is a.key and whose hash is h.
func (a *Assembler) find(h uint64) *openRecord {
	o := a.open[h]
	for o != nil && o.key != string(a.key) {
		o = o.next
	}
	return o
}

// remove takes o out of the open records.
func (a *Assembler) remove(o *openRecord) {
	head := a.open[o.hash]
	if head == o {
		if o.next == nil {
			delete(a.open, o.hash)
		} else {
			a.open[o.hash] = o.next
		}
		return
	}
	for p := head; p != nil; p = p.next {
		if p.next == o {
			p.next = o.next
			return
		}
	}
}

// appendRecordKey appends the key of ev's record: whether a route code is
// present, the route code's length and bytes, then the test id (which must
// stay last: start slices the record's strings out of the key).
func appendRecordKey(b []byte, ev *Event) []byte {
	if ev.Flags&FlagRouteCode == 0 {
		return append(append(b, 0), ev.TestID...)
	}
	b = append(b, 1)
	b = binary.AppendUvarint(b, uint64(len(ev.RouteCode)))
	b = append(b, ev.RouteCode...)
	return append(b, ev.TestID...)
}

// addChunk adds ev's file chunk to o and passes it to the sink.
func (a *Assembler) addChunk(o *openRecord, ev *Event) error {
	var att *Attachment
	for i := range o.Attachments {
		if o.Attachments[i].Name == string(ev.FileName) {
			att = &o.Attachments[i]
			break
		}
	}
	if len(ev.FileContent) == 0 {
		if att != nil && ev.EOF() && a.opts.sink != nil {
			return a.sink(o, att, nil, true)
		}
		return nil
	}
	if att == nil {
		mime := mimeOctetStream
		if len(ev.MIME) > 0 {
			mime = string(ev.MIME)
		}
		o.Attachments = append(o.Attachments, Attachment{Name: string(ev.FileName), MIME: mime})
		att = &o.Attachments[len(o.Attachments)-1]
	}
	att.Size += int64(len(ev.FileContent))
	if room := a.opts.limit - int64(len(att.Data)); room > 0 {
		att.Data = appendCapped(att.Data, ev.FileContent[:min(room, int64(len(ev.FileContent)))], a.opts.limit)
	}
	att.Truncated = att.Size > int64(len(att.Data))
	if a.opts.sink != nil {
		return a.sink(o, att, ev.FileContent, ev.EOF())
	}
	return nil
}

func (a *Assembler) sink(o *openRecord, att *Attachment, chunk []byte, eof bool) error {
	if err := a.opts.sink(o.TestID, o.RouteCode, att.Name, att.MIME, chunk, eof); err != nil {
		return fmt.Errorf("subunit: attachment sink for %q of test %q: %w", att.Name, o.TestID, err)
	}
	return nil
}

// appendCapped appends src to dst, growing dst geometrically but never to a
// capacity above limit (len(dst)+len(src) must not exceed limit).
func appendCapped(dst, src []byte, limit int64) []byte {
	need := len(dst) + len(src)
	if need > cap(dst) {
		c := int(min(int64(max(2*cap(dst), need)), limit))
		grown := make([]byte, len(dst), c)
		copy(grown, dst)
		dst = grown
	}
	return append(dst, src...)
}

// sameTags reports whether the sorted, distinct tags cur and the tag list of
// an event are the same set, without allocating.
func sameTags(cur []string, tags [][]byte) bool {
	if len(tags) < len(cur) {
		return false
	}
	for _, t := range tags {
		if !hasTag(cur, t) {
			return false
		}
	}
	for _, c := range cur {
		found := false
		for _, t := range tags {
			if c == string(t) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// hasTag reports whether the sorted cur holds t.
func hasTag(cur []string, t []byte) bool {
	lo, hi := 0, len(cur)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cur[m] < string(t) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(cur) && cur[lo] == string(t)
}

// copyTags returns tags as a sorted set of strings, nil when empty.
// internTags is copyTags into dst, with one string per distinct tag for the
// whole stream (tag sets such as worker-N repeat from test to test).
func (a *Assembler) internTags(dst []string, tags [][]byte) []string {
	if a.tagSet == nil {
		a.tagSet = make(map[string]string)
	}
	for _, t := range tags {
		s, ok := a.tagSet[string(t)]
		if !ok {
			s = string(t)
			if len(a.tagSet) < maxInternedTags {
				a.tagSet[s] = s
			}
		}
		dst = append(dst, s)
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// maxInternedTags bounds the memory internTags keeps for a stream whose tags
// never repeat.
const maxInternedTags = 4096

func copyTags(tags [][]byte) []string {
	if len(tags) == 0 {
		return nil
	}
	s := make([]string, len(tags))
	for i, t := range tags {
		s[i] = string(t)
	}
	slices.Sort(s)
	return slices.Compact(s)
}
