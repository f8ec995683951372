package subunit_test

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/refstack-go/refstack/subunit"
)

// benchmarkWrite writes ev b.N times to io.Discard and reports the bytes of
// one packet per operation.
func benchmarkWrite(b *testing.B, ev *subunit.Event, opts ...subunit.WriterOption) {
	var one bytes.Buffer
	w, err := subunit.NewWriter(&one, opts...)
	if err != nil {
		b.Fatal(err)
	}
	if err := w.Write(ev); err != nil {
		b.Fatal(err)
	}
	w.Flush()
	b.SetBytes(int64(one.Len()))
	b.ReportAllocs()
	w, _ = subunit.NewWriter(io.Discard, opts...)
	for b.Loop() {
		if err := w.Write(ev); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
}

// smallEvent is a typical test-result packet: timestamp, a tempest test id,
// one tag, a status (about 100 bytes).
func smallEvent() *subunit.Event {
	return &subunit.Event{
		Flags:     subunit.FlagTestID | subunit.FlagTimestamp | subunit.FlagRunnable,
		Status:    subunit.StatusSuccess,
		Timestamp: time.Date(2024, 6, 1, 12, 0, 0, 123456000, time.UTC),
		TestID:    []byte("tempest.api.compute.servers.test_servers.ServersTestJSON.test_create_server[id-5de47127]"),
		Tags:      [][]byte{[]byte("worker-0")},
	}
}

func BenchmarkWriterSmall(b *testing.B) {
	b.Run("buffered", func(b *testing.B) { benchmarkWrite(b, smallEvent(), subunit.WithFlushEachPacket(false)) })
	b.Run("flush-each", func(b *testing.B) { benchmarkWrite(b, smallEvent()) })
	// The 12-byte "foo exists" packet: per-packet overhead.
	tiny := &subunit.Event{Flags: subunit.FlagTestID | subunit.FlagRunnable, Status: subunit.StatusExists, TestID: []byte("foo")}
	b.Run("tiny-buffered", func(b *testing.B) { benchmarkWrite(b, tiny, subunit.WithFlushEachPacket(false)) })
}

// BenchmarkWriterLarge writes full packets of MaxPacketLength bytes.
func BenchmarkWriterLarge(b *testing.B) {
	ev := &subunit.Event{
		Flags:    subunit.FlagTestID | subunit.FlagRunnable | subunit.FlagFile,
		TestID:   []byte("t"),
		FileName: []byte("stdout"),
	}
	ev.FileContent = make([]byte, subunit.MaxPacketLength-3-2-6-7-4) // fills the packet
	for i := range ev.FileContent {
		ev.FileContent[i] = byte(i)
	}
	benchmarkWrite(b, ev)
}

// BenchmarkWriterWriteFile streams a 64 MiB attachment from a reader.
func BenchmarkWriterWriteFile(b *testing.B) {
	content := make([]byte, 64<<20)
	for i := range content {
		content[i] = byte(i * 31)
	}
	ev := &subunit.Event{Flags: subunit.FlagTestID | subunit.FlagRunnable, TestID: []byte("t"), FileName: []byte("blob")}
	w, _ := subunit.NewWriter(io.Discard)
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	var r bytes.Reader
	for b.Loop() {
		r.Reset(content)
		if err := w.WriteFile(ev, &r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriterFixtures re-encodes the events of the real sample streams.
func BenchmarkWriterFixtures(b *testing.B) {
	var events []*subunit.Event
	var size int64
	for _, fs := range loadFixtureEvents(b) {
		events = append(events, fs.events...)
		size += int64(len(fs.data))
	}
	w, _ := subunit.NewWriter(io.Discard, subunit.WithFlushEachPacket(false))
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, ev := range events {
			if err := w.Write(ev); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "packets/s")
}
