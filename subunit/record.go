package subunit

import (
	"errors"
	"fmt"
	"time"
)

// Record is one test as rebuilt from its events, the way testtools'
// StreamToDict rebuilds it (see Assembler for the rules).
//
// A Record handed out by an Assembler or by Records owns all its memory: it
// aliases no Reader buffer and the Assembler never touches it again.
type Record struct {
	TestID    string
	RouteCode string // "" when the events had none (or an empty one, a different key)
	// Status is the last status other than StatusUndefined the events carried:
	// a final status when Complete, else StatusInProgress, or StatusUnknown
	// when no event carried a status.
	Status Status
	// Start is the timestamp of the record's first event and Stop that of its
	// final event. Either is zero when that event had no timestamp, as
	// testtools reports None; Stop is zero when the record is not Complete.
	Start, Stop time.Time
	// Tags is the tag set of the most recent event that carried one (sets are
	// replaced, not merged), sorted. Nil when empty.
	Tags []string
	// Attachments holds the files of the test in the order of their first
	// non-empty chunk. Empty chunks are ignored; a chunk after an EOF chunk of
	// the same name is appended to the same attachment.
	Attachments []Attachment
	// Complete is false when the stream ended before the test's final status.
	Complete bool
}

// Duration returns Stop − Start, and false when either is unknown.
func (r *Record) Duration() (time.Duration, bool) {
	if r.Start.IsZero() || r.Stop.IsZero() {
		return 0, false
	}
	return r.Stop.Sub(r.Start), true
}

// Attachment returns the attachment named name, or nil.
func (r *Record) Attachment(name string) *Attachment {
	for i := range r.Attachments {
		if r.Attachments[i].Name == name {
			return &r.Attachments[i]
		}
	}
	return nil
}

// Attachment is one file attached to a test. Only its first bytes are kept
// (see WithAttachmentLimit); WithAttachmentSink sees all of them.
type Attachment struct {
	Name string
	// MIME is the type given with the first non-empty chunk, or
	// "application/octet-stream" when that chunk had none (or an empty one).
	MIME      string
	Data      []byte // the first bytes of the content, at most the attachment limit
	Size      int64  // the size of the whole content seen
	Truncated bool   // Size > len(Data)
}

// DefaultAttachmentLimit is the number of bytes an Assembler keeps of each
// attachment unless WithAttachmentLimit says otherwise.
const DefaultAttachmentLimit = 1 << 20

// The names python-subunit gives to the synthetic test that reports a bad
// packet, and to its two attachments.
const (
	ParserErrorTestID     = "subunit.parser"
	ParserErrorPacketData = "Packet data"
	ParserErrorMessage    = "Parser Error"
)

const (
	mimeOctetStream = "application/octet-stream"
	mimeParserError = "text/plain;charset=utf8"
)

// RecordOption configures an Assembler (and Records). Options are checked by
// NewAssembler.
type RecordOption func(*recordOptions) error

type recordOptions struct {
	limit        int64
	sink         func(testID, routeCode, name, mime string, chunk []byte, eof bool) error
	parserErrors bool
	exists       bool
	reuse        bool
}

func defaultRecordOptions() recordOptions {
	return recordOptions{limit: DefaultAttachmentLimit, parserErrors: true, exists: true}
}

// WithAttachmentLimit sets how many bytes of each attachment a Record keeps
// (default DefaultAttachmentLimit, 1 MiB). 0 keeps none; the Size of every
// attachment is counted whatever the limit. A negative limit is an error.
func WithAttachmentLimit(n int64) RecordOption {
	return func(o *recordOptions) error {
		if n < 0 {
			return fmt.Errorf("subunit: negative attachment limit %d", n)
		}
		o.limit = n
		return nil
	}
}

// WithAttachmentSink streams every non-empty chunk of every attachment of
// every test to fn as it arrives, whatever the attachment limit. A chunk
// with the EOF flag is passed with eof set; an empty chunk is passed only
// when it has the EOF flag and fn has seen bytes of that attachment, so fn
// sees exactly the attachments of the records. testID, routeCode, name and
// mime are those of the record and attachment (mime as Attachment.MIME).
// chunk aliases the Reader's buffer and is valid only until fn returns. An
// error from fn is returned, wrapped, by Assembler.Add. Combine with
// WithAttachmentLimit(0) to keep no attachment bytes in memory.
func WithAttachmentSink(fn func(testID, routeCode, name, mime string, chunk []byte, eof bool) error) RecordOption {
	return func(o *recordOptions) error {
		if fn == nil {
			return errors.New("subunit: nil attachment sink")
		}
		o.sink = fn
		return nil
	}
}

// WithParserErrors says what Assembler.AddError does with a *PacketError.
// True (the default) turns it into a failed record with TestID
// ParserErrorTestID and two attachments, ParserErrorPacketData (the packet's
// bytes, application/octet-stream) and ParserErrorMessage (the error text,
// text/plain;charset=utf8), as python-subunit reports a bad packet. False
// makes AddError return the error.
func WithParserErrors(asTests bool) RecordOption {
	return func(o *recordOptions) error { o.parserErrors = asTests; return nil }
}

// WithRecordReuse lets the Assembler recycle records: the *Record passed to
// emit, with its Tags and Attachments, is then valid only until emit returns
// (its TestID and RouteCode strings stay valid; with Records, until the loop
// body that received it ends). For consumers that count or
// print records and keep nothing, it spares an allocation per test. Records
// left open at Close are not recycled.
func WithRecordReuse() RecordOption {
	return func(o *recordOptions) error { o.reuse = true; return nil }
}

// WithExists says whether events with status StatusExists take part in
// assembly (default true, as testtools' StreamToDict). False drops them
// before assembly, as testtools' StreamToExtendedDecorator does, and so
// subunit-stats, subunit-2to1 and subunit-filter: an enumerated test then
// gives no record at all. Use false for subunit-stats parity (see Stats).
func WithExists(keep bool) RecordOption {
	return func(o *recordOptions) error { o.exists = keep; return nil }
}
