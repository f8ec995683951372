// Package subunit reads and writes subunit streams, the test-result format
// written by stestr, Tempest and python-subunit, and rebuilds per-test
// records from them.
//
// # Reading
//
// A Reader turns a byte stream into Events: one per v2 packet, one per v1
// (text) directive, and one per run of bytes that are neither, reported as a
// file chunk named "stdout" with no test id (Passthrough), as python-subunit
// reports them. Events alias the Reader's buffers until the next call to Next,
// so reading allocates nothing per packet; Event.Clone keeps one. A packet's
// CRC32 is checked before its event is handed out, and memory stays bounded by
// one packet (at most MaxPacketLength bytes) plus the read buffer.
//
// WithReadAhead moves reading, framing, CRC checks and field decoding to a
// second goroutine that works ahead of Next, handing events over in batches;
// a caller that does real work per event (assembling records, counting,
// writing) then uses two cores. Events, errors and offsets are the same; the
// Reader must be closed (Close) when it is abandoned before the end. From a
// pipe or a socket a batch is handed over before every read that may wait, so
// a live stream's events are never held back.
//
// # Bad input
//
// A bad packet is reported as a *PacketError whose Err is a *ChecksumError,
// *VarintError, *UTF8Error, *ReservedError, *LengthError, *FieldError or
// *TruncatedError, each carrying the byte offset. In the default lenient mode
// the Reader then resynchronises, as python-subunit does, and no complete
// packet before or after the bad one is lost; WithStrict stops at the first.
// Where python-subunit loses data, the Reader keeps it:
//
//   - a length field wider than 3 bytes or too small for the packet, and a
//     packet cut by the end of the input, consume only the signature byte: the
//     bytes after it are read again, so packets inside them are found
//     (python-subunit reads to the end of the input or drops them);
//   - a 0xB3 followed by a version other than 2 whose CRC does not match is a
//     stray byte of text (Latin-1 '³', binary output), not a packet: reported
//     and skipped alone; with a valid CRC it is accepted, as python-subunit
//     accepts it (strict mode rejects it);
//   - a field that runs past the end of a CRC-valid packet is an error, where
//     python-subunit crashes;
//   - a 0xB3 is taken as text only when it continues a valid UTF-8 character,
//     so a stray lead byte before a packet no longer swallows the packet, and
//     a character ending in 0xB3 ('ó') is not read twice (python-subunit's
//     quirks Q1 and Q2). The one ambiguous case, a packet right after a lone
//     0xC2–0xDF byte, reads as that character followed by text, like valid UTF-8.
//
// # Subunit v1
//
// With WithV1 (the default), text between v2 packets is parsed as subunit v1:
// test, outcome, tags, time and progress lines and their simple or multipart
// details become the events subunit-1to2 would write for them, so .stestr
// repository files, refstack-client's input, and streams mixing v1 and v2 read
// the same way as pure v2. Lines that are not directives stay Passthrough.
//
// # Writing
//
// A Writer encodes Events as v2 packets, byte for byte as python-subunit's
// encoder does for the same event, splitting a file chunk too large for one
// packet into several.
//
// # Records
//
// An Assembler (or Records over a Reader) rebuilds per-test records with
// testtools' semantics: interleaved tests keyed by test id and route code,
// attachments over several packets, repeated ids, tests left open at the end.
package subunit
