package subunit_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/refstack-go/refstack/subunit"
)

// readBack reads every event of stream with the package's Reader, in strict
// mode, and returns clones of them.
func readBack(t testing.TB, stream []byte) []*subunit.Event {
	t.Helper()
	r, err := subunit.NewReader(bytes.NewReader(stream), subunit.WithStrict())
	if err != nil {
		t.Fatal(err)
	}
	var out []*subunit.Event
	for {
		ev, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("reading back event %d: %v", len(out), err)
		}
		if ev.Passthrough || ev.V1 {
			t.Fatalf("reading back event %d: not a v2 packet: %+v", len(out), ev)
		}
		out = append(out, ev.Clone())
	}
}

// wantPackets returns the events a Writer with the given chunk size (0: no
// limit) should write for ev, as a Reader returns them: split as Writer.Write
// documents, with the flags a Writer writes.
func wantPackets(ev *subunit.Event, maxChunk int) []*subunit.Event {
	base := *ev
	base.Flags &= fID | fRC | fTS | fRun | fFile | fEOF
	base.Tags, base.MIME = nil, nil
	if len(ev.Tags) > 0 {
		base.Flags |= fTags
		base.Tags = ev.Tags
	}
	if len(ev.MIME) > 0 {
		base.Flags |= fMIME
		base.MIME = ev.MIME
	}
	for _, f := range []struct {
		flag subunit.Flags
		p    *[]byte
	}{{fID, &base.TestID}, {fRC, &base.RouteCode}, {fFile, &base.FileName}} {
		if base.Flags&f.flag == 0 {
			*f.p = nil
		}
	}
	if base.Flags&fFile == 0 {
		base.FileContent = nil
	}
	if base.Flags&fTS == 0 {
		base.Timestamp = time.Time{}
	}
	if base.Flags&fFile == 0 || maxChunk <= 0 || len(base.FileContent) <= maxChunk {
		return []*subunit.Event{&base}
	}
	var out []*subunit.Event
	for rest, first := base.FileContent, true; ; first = false {
		n := min(maxChunk, len(rest))
		p := base
		p.FileContent = rest[:n]
		rest = rest[n:]
		if !first {
			p.Flags &^= fTags | fMIME
			p.Tags, p.MIME = nil, nil
		}
		if len(rest) > 0 {
			p.Flags &^= fEOF
			p.Status = subunit.StatusUndefined
		}
		out = append(out, &p)
		if len(rest) == 0 {
			return out
		}
	}
}

// checkRoundTrip compares the events read back from a Writer's output with
// those expected for evs.
func checkRoundTrip(t testing.TB, evs []*subunit.Event, maxChunk int, stream []byte) {
	t.Helper()
	var want []*subunit.Event
	for _, ev := range evs {
		want = append(want, wantPackets(ev, maxChunk)...)
	}
	got := readBack(t, stream)
	if len(got) != len(want) {
		t.Fatalf("read back %d events, want %d", len(got), len(want))
	}
	for i := range got {
		if !got[i].Equal(want[i]) {
			t.Errorf("event %d:\n got  %+v\n want %+v", i, got[i], want[i])
		}
	}
}

// TestWriterRoundTrip writes random events and reads them back with the Reader.
func TestWriterRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(99, 100))
	for _, maxChunk := range []int{0, 5, 4096} {
		var evs []*subunit.Event
		for range 300 {
			ev, _ := randomPythonEvent(rng)
			// More than python can compare: several tags, nanoseconds.
			for range rng.IntN(4) {
				ev.Tags = append(ev.Tags, []byte(randomString(rng)))
			}
			ev.Timestamp = ev.Timestamp.Add(time.Duration(rng.IntN(1000)))
			if ev.Timestamp.Unix() > 0xFFFFFFFF {
				ev.Timestamp = time.Unix(0xFFFFFFFF, 999999999)
			}
			if maxChunk < 100 && len(ev.FileContent) > 40 {
				ev.FileContent = ev.FileContent[:40] // up to 8 chunks
			}
			evs = append(evs, ev)
		}
		opts := []subunit.WriterOption{subunit.WithFlushEachPacket(false)}
		if maxChunk > 0 {
			opts = append(opts, subunit.WithMaxChunk(maxChunk))
		}
		checkRoundTrip(t, evs, maxChunk, encode(t, opts, evs...))
	}
}

// TestWriterRoundTripLarge: an event split because it does not fit in one
// packet reads back as full packets whose content joins to the original.
func TestWriterRoundTripLarge(t *testing.T) {
	content := make([]byte, 9<<20)
	for i := range content {
		content[i] = byte(i * 13)
	}
	ev := &subunit.Event{Flags: fID | fFile | fEOF | fRun, Status: subunit.StatusFail, TestID: b("t"), FileName: b("f"), MIME: b("text/plain"), FileContent: content}
	got := readBack(t, encode(t, nil, ev))
	if len(got) != 3 {
		t.Fatalf("%d packets, want 3", len(got))
	}
	var joined []byte
	for i, p := range got {
		joined = append(joined, p.FileContent...)
		last := i == len(got)-1
		if p.EOF() != last || (p.Status == subunit.StatusFail) != last || (len(p.MIME) > 0) != (i == 0) {
			t.Errorf("packet %d: flags %#04x status %v MIME %q", i, uint16(p.Flags), p.Status, p.MIME)
		}
	}
	if !bytes.Equal(joined, content) {
		t.Error("the content read back differs")
	}
}

// FuzzWriterRoundTrip builds an event from the fuzz input, writes it and, if
// the Writer accepts it, reads it back and compares. A rejected event must be
// rejected for a documented reason and leave nothing written.
func FuzzWriterRoundTrip(f *testing.F) {
	add := func(ev subunit.Event, maxChunk uint16) {
		var t1, t2 []byte
		nTags := uint8(len(ev.Tags))
		if len(ev.Tags) > 0 {
			t1 = ev.Tags[0]
		}
		if len(ev.Tags) > 1 {
			t2 = ev.Tags[1]
		}
		var sec int64
		var nsec uint32
		if !ev.Timestamp.IsZero() {
			sec, nsec = ev.Timestamp.Unix(), uint32(ev.Timestamp.Nanosecond())
		}
		f.Add(uint16(ev.Flags), uint8(ev.Status), sec, nsec, ev.TestID, nTags, t1, t2, ev.MIME, ev.FileName, ev.FileContent, ev.RouteCode, maxChunk)
	}
	add(subunit.Event{}, 0)
	add(subunit.Event{Flags: fID | fRun, Status: subunit.StatusExists, TestID: b("foo")}, 0)
	add(subunit.Event{Flags: fID | fTS | fRun, Status: subunit.StatusSuccess, TestID: b("bar"), Timestamp: time.Unix(1008161999, 45000)}, 0)
	add(subunit.Event{Flags: fID | fRC | fTS | fRun | fFile | fEOF, Status: subunit.StatusFail, Timestamp: time.Unix(1577934245, 678901000),
		TestID: b("test.id"), Tags: tags("t1", "t2"), MIME: b("text/plain"), FileName: b("stdout"), FileContent: b("out"), RouteCode: b("0/1")}, 2)
	add(subunit.Event{Flags: fFile | fEOF, FileName: b("log"), FileContent: bytes.Repeat([]byte{0xff, 0}, 40), Tags: tags("x")}, 7)
	add(subunit.Event{Flags: fID, TestID: b("a\x00b")}, 0)
	add(subunit.Event{Flags: fRC, RouteCode: b("\xff")}, 0)
	add(subunit.Event{Flags: fTS, Timestamp: time.Unix(-1, 0)}, 0)
	add(subunit.Event{Flags: fTS, Timestamp: time.Unix(1<<32, 0)}, 0)
	add(subunit.Event{Status: subunit.StatusUnknown}, 0)
	add(subunit.Event{Flags: 0xFFFF, Status: 7, Tags: tags("")}, 1)

	f.Fuzz(func(t *testing.T, flags uint16, status uint8, sec int64, nsec uint32, id []byte, nTags uint8,
		t1, t2, mime, name, content, route []byte, maxChunk uint16) {
		ev := &subunit.Event{
			Flags: subunit.Flags(flags), Status: subunit.Status(status % 10),
			Timestamp: time.Unix(sec, int64(nsec%1_000_000_000)),
			TestID:    id, MIME: mime, FileName: name, FileContent: content, RouteCode: route,
		}
		ev.Tags = [][]byte{t1, t2, t1}[:nTags%4]
		var opts []subunit.WriterOption
		if maxChunk > 0 {
			opts = append(opts, subunit.WithMaxChunk(int(maxChunk)))
		}
		var buf bytes.Buffer
		w, err := subunit.NewWriter(&buf, opts...)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(ev); err != nil {
			if !errors.Is(err, subunit.ErrWriterNUL) && !errors.Is(err, subunit.ErrWriterUTF8) &&
				!errors.Is(err, subunit.ErrWriterTime) && ev.Status <= subunit.StatusXFail {
				t.Fatalf("Write: unexpected error %v", err)
			}
			if w.Flush() != nil || buf.Len() != 0 {
				t.Fatalf("Write failed with %v but wrote %d bytes", err, buf.Len())
			}
			return
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		checkRoundTrip(t, []*subunit.Event{ev}, int(maxChunk), buf.Bytes())
	})
}
