package subunit

import (
	"fmt"
	"unicode/utf8"
)

// ReaderOption configures a Reader. Options are checked by NewReader.
type ReaderOption func(*readerOptions) error

type readerOptions struct {
	strict     bool
	v1         bool
	nonSubunit string
	bufSize    int
	maxTextRun int
	readAhead  bool
}

func defaultReaderOptions() readerOptions {
	return readerOptions{v1: true, nonSubunit: "stdout", bufSize: 64 << 10, maxTextRun: 64 << 10}
}

// WithStrict makes the first bad packet final: Next returns its *PacketError
// and then the same error on every later call. Strict mode also rejects packets
// whose version nibble is not 2 or whose reserved bit is set, which python-subunit
// accepts. The default (lenient) reports each bad packet as a *PacketError, as
// python-subunit reports a "subunit.parser" failure, and resynchronises.
func WithStrict() ReaderOption {
	return func(o *readerOptions) error { o.strict = true; return nil }
}

// WithV1 turns the subunit v1 (text) parser on or off. On (the default), text
// between v2 packets is read as v1: its directives become events and every
// other line becomes a Passthrough event. Off, all text is Passthrough, as
// python-subunit's v2 reader treats it.
func WithV1(on bool) ReaderOption {
	return func(o *readerOptions) error { o.v1 = on; return nil }
}

// WithNonSubunitName names the pseudo-file that carries bytes which are not
// subunit (default "stdout", the name every python-subunit tool passes).
func WithNonSubunitName(name string) ReaderOption {
	return func(o *readerOptions) error {
		if name == "" || !utf8.ValidString(name) {
			return fmt.Errorf("subunit: non-subunit file name %q must be non-empty UTF-8", name)
		}
		o.nonSubunit = name
		return nil
	}
}

// WithBufferSize sets the size of the read buffer (default 64 KiB, at least
// 4 KiB). Packets larger than the buffer are read into a second buffer that
// grows up to MaxPacketLength and is then reused.
func WithBufferSize(n int) ReaderOption {
	return func(o *readerOptions) error {
		if n < 4<<10 || n > 64<<20 {
			return fmt.Errorf("subunit: buffer size %d out of range [4096, 67108864]", n)
		}
		o.bufSize = n
		if o.maxTextRun > n {
			o.maxTextRun = n
		}
		return nil
	}
}

// WithReadAhead decodes the stream in a second goroutine, ahead of Next, so
// that reading and decoding overlap with what the caller does with each
// event; on a machine with two cores or more a consumer that does real work
// per event (assembling records, counting) finishes sooner. Events, errors
// and offsets are the same as without it, and an event still stays valid
// until the next call to Next. The Reader then holds up to a few hundred
// decoded events (about 256 KiB, more when packets are large) and must be
// closed with Close when it is abandoned before the end of the stream.
func WithReadAhead() ReaderOption {
	return func(o *readerOptions) error { o.readAhead = true; return nil }
}
