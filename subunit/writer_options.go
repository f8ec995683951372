package subunit

import "fmt"

// WriterOption configures a Writer. Options are checked by NewWriter.
type WriterOption func(*writerOptions) error

type writerOptions struct {
	flushEach bool
	maxChunk  int // 0: as much as fits in one packet
}

func defaultWriterOptions() writerOptions {
	return writerOptions{flushEach: true}
}

// writerBufferSize is the size of the Writer's output buffer. Content larger
// than what is left of the buffer goes straight to the underlying writer.
const writerBufferSize = 64 << 10

// WithFlushEachPacket sets whether the Writer flushes its buffer to the
// underlying writer after every packet. On (the default) matches
// python-subunit, which flushes after every packet so that a reader on the
// other end of a pipe sees each event as it happens. Off, packets are written
// in blocks of about 64 KiB and the caller must call Flush when done; this is
// much faster for many small packets.
func WithFlushEachPacket(on bool) WriterOption {
	return func(o *writerOptions) error { o.flushEach = on; return nil }
}

// WithMaxChunk caps the number of file-content bytes per packet at n (n >= 1).
// File content longer than that, in Write or WriteFile, is split into several
// packets of the same file (see Writer.Write). The default is the most that
// fits in a packet of MaxPacketLength bytes beside that packet's other fields:
// about 4 MiB. python-subunit's subunit-output tool uses 3.5 MiB (3670016).
func WithMaxChunk(n int) WriterOption {
	return func(o *writerOptions) error {
		if n < 1 {
			return fmt.Errorf("subunit: max chunk %d must be at least 1", n)
		}
		o.maxChunk = n
		return nil
	}
}
