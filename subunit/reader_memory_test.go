package subunit

import (
	"bytes"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestLargeAttachmentStreams reads back a 64 MiB attachment: the content
// arrives whole, chunk by chunk, and what the reader allocates stays near one
// packet (MaxPacketLength plus its read buffer), not the attachment's size.
func TestLargeAttachmentStreams(t *testing.T) {
	const size = 64 << 20
	var stream bytes.Buffer
	h := sha256.New()
	w, err := NewWriter(&stream)
	if err != nil {
		t.Fatal(err)
	}
	ev := &Event{Flags: FlagTestID | FlagFile | FlagEOF | FlagRunnable, TestID: []byte("big"), FileName: []byte("stdout"), MIME: []byte("application/octet-stream")}
	if err := w.WriteFile(ev, io.TeeReader(io.LimitReader(rand.NewChaCha8([32]byte{7}), size), h)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := h.Sum(nil)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r, err := NewReader(&stream)
	if err != nil {
		t.Fatal(err)
	}
	h.Reset()
	var n, packets int
	sawEOF := false
	for ev, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		if sawEOF {
			t.Fatal("a chunk after the one marked EOF")
		}
		h.Write(ev.FileContent)
		n += len(ev.FileContent)
		packets++
		sawEOF = ev.EOF()
	}
	runtime.ReadMemStats(&after)
	if n != size || !sawEOF {
		t.Fatalf("read %d bytes (EOF seen: %v), want %d", n, sawEOF, size)
	}
	if !bytes.Equal(h.Sum(nil), want) {
		t.Fatal("content differs from what was written")
	}
	if packets < size/MaxPacketLength {
		t.Fatalf("%d packets for %d bytes: not split", packets, size)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2*MaxPacketLength {
		t.Fatalf("reading allocated %d bytes for a %d MiB attachment", alloc, size>>20)
	}
}
