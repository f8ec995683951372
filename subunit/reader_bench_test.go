package subunit

import (
	"bytes"
	"testing"
)

// benchRead reads data to the end b.N times and reports events per second.
func benchRead(b *testing.B, data []byte, opts ...ReaderOption) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	events := 0
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), opts...)
		if err != nil {
			b.Fatal(err)
		}
		for _, err := range r.All() {
			if err != nil {
				b.Fatal(err)
			}
			events++
		}
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkReaderTempest reads a Tempest-shaped stream (the repo's sample,
// written by python-subunit, repeated to 10 MB).
func BenchmarkReaderTempest(b *testing.B) {
	sample := loadSample(b)
	benchRead(b, bytes.Repeat(sample, 10<<20/len(sample)))
}

// BenchmarkReaderMinimal reads a million 8-byte packets: the per-packet cost.
func BenchmarkReaderMinimal(b *testing.B) {
	benchRead(b, bytes.Repeat([]byte{0xb3, 0x20, 0x00, 0x08, 0x18, 0x15, 0xf0, 0xba}, 1_000_000))
}

// BenchmarkReaderText reads 10 MB of text with no packet.
func BenchmarkReaderText(b *testing.B) {
	line := []byte("2026-11-27 12:00:00.000 INFO tempest.lib.common.rest_client [req-1] Request: GET http://127.0.0.1/v2.1/servers 200 \u00e9\n")
	benchRead(b, bytes.Repeat(line, 10<<20/len(line)), WithV1(false))
}

// BenchmarkReaderLargePackets reads 4 MiB attachment packets: the cost per byte.
func BenchmarkReaderLargePackets(b *testing.B) {
	var stream bytes.Buffer
	w, err := NewWriter(&stream)
	if err != nil {
		b.Fatal(err)
	}
	content := bytes.Repeat([]byte("0123456789abcdef"), 4<<20/16)
	ev := &Event{Flags: FlagTestID | FlagFile | FlagRunnable, TestID: []byte("t"), FileName: []byte("stdout")}
	if err := w.WriteFile(ev, bytes.NewReader(bytes.Repeat(content, 16))); err != nil {
		b.Fatal(err)
	}
	w.Flush()
	benchRead(b, stream.Bytes(), WithV1(false))
}
