package subunit

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"time"
	"unicode/utf8"
)

// minPacketLength is the size of a packet with no optional field: signature,
// flags, a one-byte length and the CRC.
const minPacketLength = 8

// header is what the first bytes of a packet say about it.
type header struct {
	flags  Flags
	length int // the whole packet, in bytes
	hlen   int // signature + flags + length field
}

// parseHeader decodes the header at the start of b (b[0] is the signature).
// It returns ok == false when b is too short to hold the header, and an error
// when the length field is malformed. off is b[0]'s input offset.
func parseHeader(b []byte, off int64) (h header, ok bool, err error) {
	if len(b) < 4 {
		return h, false, nil
	}
	h.flags = Flags(binary.BigEndian.Uint16(b[1:3]))
	width := int(b[3]>>6) + 1
	if width == 4 {
		// The reference reader refuses the 4-byte form even for small values:
		// a packet is at most MaxPacketLength bytes, which 3 bytes hold.
		v, _ := readVarint(b[3:min(len(b), 7)])
		return h, true, &LengthError{Offset: off + 3, Length: int64(v), Reason: "a 4-byte length field (the maximum packet is 4194303 bytes)"}
	}
	if len(b) < 3+width {
		return h, false, nil
	}
	v, _ := readVarint(b[3 : 3+width])
	h.length, h.hlen = int(v), 3+width
	if h.length < h.hlen+4 {
		return h, true, &LengthError{Offset: off + 3, Length: int64(v), Reason: "shorter than the packet's own header and CRC"}
	}
	return h, true, nil
}

// checkCRC verifies the CRC32 stored in the last 4 bytes of pkt.
func checkCRC(pkt []byte, off int64) error {
	n := len(pkt) - 4
	computed := checksum(pkt[:n])
	if stored := binary.BigEndian.Uint32(pkt[n:]); stored != computed {
		return &ChecksumError{Offset: off, Computed: computed, Stored: stored}
	}
	return nil
}

// checksum is crc32.ChecksumIEEE. Most packets are a few dozen bytes, where
// the library's dispatch to its vector code costs more than the sum itself,
// so short inputs take the byte-at-a-time loop over the library's own table.
func checksum(p []byte) uint32 {
	if len(p) >= 64 {
		return crc32.ChecksumIEEE(p)
	}
	crc := ^uint32(0)
	for _, b := range p {
		crc = crc32.IEEETable[byte(crc)^b] ^ crc>>8
	}
	return ^crc
}

// fieldReader walks the optional fields of a packet body.
type fieldReader struct {
	b   []byte // the body: after the length field, before the CRC
	pos int
	off int64 // input offset of b[0]
}

func (f *fieldReader) varint(field string) (uint32, error) {
	v, n := readVarint(f.b[f.pos:])
	if n == 0 {
		return 0, &VarintError{Offset: f.off + int64(f.pos), Field: field}
	}
	f.pos += n
	return v, nil
}

// bytes returns the next length-prefixed run of bytes, aliasing the body.
func (f *fieldReader) bytes(field string) ([]byte, error) {
	at := f.pos
	n, err := f.varint(field)
	if err != nil {
		return nil, err
	}
	if rest := len(f.b) - f.pos; int64(n) > int64(rest) {
		return nil, &FieldError{Offset: f.off + int64(at), Field: field, Claimed: int(n), Remain: rest}
	}
	s := f.b[f.pos : f.pos+int(n)]
	f.pos += int(n)
	return s, nil
}

// str is bytes plus the reference reader's checks: UTF-8, no NUL.
func (f *fieldReader) str(field string) ([]byte, error) {
	at := f.pos
	s, err := f.bytes(field)
	if err != nil {
		return nil, err
	}
	if !validString(s) {
		return nil, &UTF8Error{Offset: f.off + int64(at), Field: field, NUL: utf8.Valid(s)}
	}
	return s, nil
}

// validString reports whether s is UTF-8 without a NUL byte. Test ids, tags
// and MIME types are nearly always ASCII, which one pass checks a word at a
// time for both conditions; the rest of s after the first other byte takes
// the general path.
func validString(s []byte) bool {
	const high, ones = 0x8080808080808080, 0x0101010101010101
	i := 0
	for ; i+8 <= len(s); i += 8 {
		v := binary.LittleEndian.Uint64(s[i:])
		if v&high != 0 || (v-ones)&^v&high != 0 { // a byte >= 0x80, or a zero byte
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == 0 || c >= 0x80 {
			return c != 0 && utf8.Valid(s[i:]) && bytes.IndexByte(s[i:], 0) < 0
		}
	}
	return true
}

// decodeFields fills ev from a packet body, in wire order. tags is a reusable
// slice for the tag list; the grown slice is returned for reuse.
func decodeFields(ev *Event, h header, body []byte, off int64, tags [][]byte) ([][]byte, error) {
	f := fieldReader{b: body, off: off}
	var err error
	if h.flags&FlagTimestamp != 0 {
		if len(body) < 4 {
			return tags, &FieldError{Offset: off, Field: "timestamp", Claimed: 4, Remain: len(body)}
		}
		sec := binary.BigEndian.Uint32(body)
		f.pos = 4
		ns, err := f.varint("timestamp nanoseconds")
		if err != nil {
			return tags, err
		}
		ev.Timestamp = time.Unix(int64(sec), int64(ns)).UTC()
	}
	if h.flags&FlagTestID != 0 {
		if ev.TestID, err = f.str("test id"); err != nil {
			return tags, err
		}
	}
	if h.flags&FlagTags != 0 {
		n, err := f.varint("tag count")
		if err != nil {
			return tags, err
		}
		tags = tags[:0]
		for range n {
			t, err := f.str("tag")
			if err != nil {
				return tags, err
			}
			tags = append(tags, t)
		}
		ev.Tags = tags
	}
	if h.flags&FlagMIME != 0 {
		if ev.MIME, err = f.str("MIME type"); err != nil {
			return tags, err
		}
	}
	if h.flags&FlagFile != 0 {
		if ev.FileName, err = f.str("file name"); err != nil {
			return tags, err
		}
		if ev.FileContent, err = f.bytes("file content"); err != nil {
			return tags, err
		}
	}
	if h.flags&FlagRouteCode != 0 {
		if ev.RouteCode, err = f.str("route code"); err != nil {
			return tags, err
		}
	}
	// Bytes after the last field are covered by the CRC and ignored, as the
	// reference reader ignores them.
	return tags, nil
}
