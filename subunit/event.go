package subunit

import (
	"bytes"
	"time"
)

// Event is one subunit event: a v2 packet, a v1 directive translated into its
// v2 form, or a run of bytes that were not subunit at all (Passthrough).
//
// An Event returned by Reader.Next aliases the Reader's buffers: its byte slices
// (TestID, Tags, MIME, FileName, FileContent, RouteCode) and the Tags slice itself
// are valid only until the next call to Next. Use Clone to keep one longer.
//
// For writing, Flags says which optional fields are present: a test id, route
// code, timestamp or file is written only when its flag is set (an empty test id
// with FlagTestID is written, as python-subunit writes ""). Tags are written when
// Tags is non-empty and a MIME type when MIME is non-empty, whatever Flags says,
// as python-subunit does; Flags' FlagRunnable and FlagEOF are written as given.
type Event struct {
	Flags       Flags     // presence bits plus FlagRunnable and FlagEOF
	Status      Status    // the test status; StatusUndefined when none
	Timestamp   time.Time // in UTC; meaningful when Flags has FlagTimestamp
	TestID      []byte    // meaningful when Flags has FlagTestID
	Tags        [][]byte  // meaningful when Flags has FlagTags; order as on the wire
	MIME        []byte    // meaningful when Flags has FlagMIME
	FileName    []byte    // meaningful when Flags has FlagFile
	FileContent []byte    // one chunk of the file FileName; meaningful when Flags has FlagFile
	RouteCode   []byte    // meaningful when Flags has FlagRouteCode

	// Offset is the byte offset in the input at which the event's bytes begin.
	Offset int64
	// Passthrough marks bytes that were not subunit (neither a v2 packet nor a v1
	// directive). They come as a file event with no test id, named by
	// WithNonSubunitName (default "stdout"), as python-subunit reports them.
	Passthrough bool
	// V1 marks an event translated from a subunit v1 (text) directive.
	V1 bool
}

// HasTestID reports whether the event carries a test id (possibly empty).
func (e *Event) HasTestID() bool { return e.Flags&FlagTestID != 0 }

// HasFile reports whether the event carries a file chunk (possibly empty).
func (e *Event) HasFile() bool { return e.Flags&FlagFile != 0 }

// HasTimestamp reports whether the event carries a timestamp.
func (e *Event) HasTimestamp() bool { return e.Flags&FlagTimestamp != 0 }

// Runnable reports whether the runnable flag is set.
func (e *Event) Runnable() bool { return e.Flags&FlagRunnable != 0 }

// EOF reports whether this chunk is the last of its file.
func (e *Event) EOF() bool { return e.Flags&FlagEOF != 0 }

// Clone returns a deep copy of e that does not alias any Reader buffer.
func (e *Event) Clone() *Event {
	c := *e
	c.TestID = cloneBytes(e.TestID)
	c.MIME = cloneBytes(e.MIME)
	c.FileName = cloneBytes(e.FileName)
	c.FileContent = cloneBytes(e.FileContent)
	c.RouteCode = cloneBytes(e.RouteCode)
	if e.Tags != nil {
		c.Tags = make([][]byte, len(e.Tags))
		for i, t := range e.Tags {
			c.Tags[i] = cloneBytes(t)
		}
	}
	return &c
}

// Equal reports whether e and o carry the same fields (Offset, Passthrough and
// V1 aside). Tags are compared in order.
func (e *Event) Equal(o *Event) bool {
	if e.Flags != o.Flags || e.Status != o.Status || !e.Timestamp.Equal(o.Timestamp) ||
		!bytes.Equal(e.TestID, o.TestID) || !bytes.Equal(e.MIME, o.MIME) ||
		!bytes.Equal(e.FileName, o.FileName) || !bytes.Equal(e.FileContent, o.FileContent) ||
		!bytes.Equal(e.RouteCode, o.RouteCode) || len(e.Tags) != len(o.Tags) {
		return false
	}
	for i := range e.Tags {
		if !bytes.Equal(e.Tags[i], o.Tags[i]) {
			return false
		}
	}
	return true
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}
