package subunit

import (
	"errors"
	"fmt"
)

// PacketError reports a bad or truncated packet. Its Err is one of the cause
// types below (use errors.As), and Data holds a copy of the bytes the reader
// consumed for the packet.
//
// In lenient mode the Reader goes on after a PacketError: the next call to Next
// resumes after the consumed bytes. In strict mode the error is final.
type PacketError struct {
	Offset int64  // byte offset of the packet's signature in the input
	Data   []byte // the bytes consumed for the packet (python-subunit's "Packet data")
	Err    error
}

func (e *PacketError) Error() string {
	return fmt.Sprintf("subunit: packet at byte %d: %v", e.Offset, e.Err)
}

func (e *PacketError) Unwrap() error { return e.Err }

// ChecksumError: the CRC32 stored in a packet does not match its bytes.
type ChecksumError struct {
	Offset           int64 // byte offset of the packet
	Computed, Stored uint32
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("bad CRC32 at byte %d: computed 0x%08x, stored 0x%08x", e.Offset, e.Computed, e.Stored)
}

// VarintError: a varint inside a packet runs past the end of the packet body.
type VarintError struct {
	Offset int64  // byte offset of the varint
	Field  string // the field whose varint it is ("timestamp nanoseconds", "test id", "tag count", ...)
}

func (e *VarintError) Error() string {
	return fmt.Sprintf("bad varint for %s at byte %d: runs past the end of the packet", e.Field, e.Offset)
}

// UTF8Error: a string field is not valid UTF-8 or contains a NUL byte.
type UTF8Error struct {
	Offset int64  // byte offset of the string's first byte
	Field  string // "test id", "tag", "MIME type", "file name" or "route code"
	NUL    bool   // the string is valid UTF-8 but contains a NUL byte
}

func (e *UTF8Error) Error() string {
	if e.NUL {
		return fmt.Sprintf("%s at byte %d contains a NUL byte", e.Field, e.Offset)
	}
	return fmt.Sprintf("%s at byte %d is not valid UTF-8", e.Field, e.Offset)
}

// ReservedError: the version nibble is not 2 or the reserved bit 0x0008 is set.
type ReservedError struct {
	Offset int64 // byte offset of the flags
	Flags  Flags
}

func (e *ReservedError) Error() string {
	if e.Flags&flagVersion != version2 {
		return fmt.Sprintf("unsupported version %d in flags 0x%04x at byte %d", e.Flags>>12, uint16(e.Flags), e.Offset)
	}
	return fmt.Sprintf("reserved bit 0x0008 set in flags 0x%04x at byte %d", uint16(e.Flags), e.Offset)
}

// LengthError: the packet length field is malformed: wider than 3 bytes (over
// MaxPacketLength), smaller than the smallest packet (8 bytes), or smaller
// than the fields its flags announce.
type LengthError struct {
	Offset int64 // byte offset of the length field
	Length int64 // the length as decoded
	Reason string
}

func (e *LengthError) Error() string {
	return fmt.Sprintf("bad packet length %d at byte %d: %s", e.Length, e.Offset, e.Reason)
}

// FieldError: a field of a packet whose CRC is valid runs past the end of the packet.
type FieldError struct {
	Offset          int64  // byte offset of the field
	Field           string // "test id", "file content", ...
	Claimed, Remain int    // the length the field claims and the bytes left in the body
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s at byte %d extends past the end of the packet: claims %d bytes, %d left", e.Field, e.Offset, e.Claimed, e.Remain)
}

// TruncatedError: the input ended inside a packet.
type TruncatedError struct {
	Offset    int64 // byte offset of the packet
	Want, Got int   // bytes the packet needs and bytes that were there
}

func (e *TruncatedError) Error() string {
	return fmt.Sprintf("truncated packet at byte %d: input ends after %d of %d bytes", e.Offset, e.Got, e.Want)
}

// ErrWriterNUL and the other writer errors are returned by Writer.Write for an
// event it will not encode.
var (
	ErrWriterNUL     = errors.New("subunit: string contains a NUL byte")
	ErrWriterUTF8    = errors.New("subunit: string is not valid UTF-8")
	ErrWriterTime    = errors.New("subunit: timestamp outside 1970-01-01..2106-02-07")
	ErrWriterTooLong = errors.New("subunit: packet fields exceed the maximum packet length")
)
