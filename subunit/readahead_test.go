package subunit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// step is what one call to Next gave: an event (cloned), an error's text,
// and the input offset after it.
type step struct {
	ev     *Event
	err    string
	offset int64
}

// steps reads src to the end (or to 100 000 calls) with opts.
func steps(t testing.TB, src io.Reader, opts ...ReaderOption) []step {
	t.Helper()
	r, err := NewReader(src, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []step
	for range 100000 {
		ev, err := r.Next()
		s := step{offset: r.InputOffset()}
		if ev != nil {
			s.ev = ev.Clone()
		}
		if err != nil {
			s.err = err.Error()
		}
		out = append(out, s)
		if err == io.EOF {
			return out
		}
		if err != nil && !isPacketError(err) {
			// A final error must repeat, as without read-ahead.
			if _, again := r.Next(); again == nil || again.Error() != err.Error() {
				t.Fatalf("after final error %v, Next gave %v", err, again)
			}
			return out
		}
		if err != nil && len(out) > 1 && out[len(out)-2].err == s.err && out[len(out)-2].offset == s.offset {
			return out // strict mode repeats its stop
		}
	}
	t.Fatal("stream did not end")
	return nil
}

// checkSameSteps reads data with and without read-ahead and compares every
// event, error and offset.
func checkSameSteps(t *testing.T, data []byte, opts ...ReaderOption) {
	t.Helper()
	want := steps(t, bytes.NewReader(data), opts...)
	got := steps(t, bytes.NewReader(data), append(opts, WithReadAhead())...)
	if len(got) != len(want) {
		t.Fatalf("read-ahead gave %d steps, plain reading %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if w.err != g.err || w.offset != g.offset || (w.ev == nil) != (g.ev == nil) ||
			w.ev != nil && (!w.ev.Equal(g.ev) || w.ev.Offset != g.ev.Offset || w.ev.Passthrough != g.ev.Passthrough || w.ev.V1 != g.ev.V1) {
			t.Fatalf("step %d: read-ahead gave %+v, plain reading %+v", i, g, w)
		}
	}
}

// mixedStream writes n tests from several workers with tags, attachments
// of assorted sizes (some larger than a batch), v1 text and bad bytes.
func mixedStream(t testing.TB, n int) []byte {
	var buf bytes.Buffer
	w, err := NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for i := range n {
		id := []byte(fmt.Sprintf("tempest.api.compute.test_%d.Test.test_x[id-%08d,smoke]", i, i))
		tags := [][]byte{[]byte(fmt.Sprintf("worker-%d", i%3))}
		ev := &Event{Flags: FlagTestID | FlagTags | FlagTimestamp, Status: StatusInProgress, TestID: id, Tags: tags, Timestamp: ts}
		if err := w.Write(ev); err != nil {
			t.Fatal(err)
		}
		if i%7 == 0 {
			size := 100 + i*37%5000
			if i%70 == 0 {
				size = 200 << 10 // larger than a batch's arena
			}
			ev := &Event{Flags: FlagTestID | FlagFile | FlagMIME, TestID: id, FileName: []byte("traceback"),
				MIME: []byte("text/plain;charset=utf8"), FileContent: bytes.Repeat([]byte{'a' + byte(i%26)}, size)}
			if err := w.Write(ev); err != nil {
				t.Fatal(err)
			}
		}
		if i%50 == 0 {
			buf.WriteString("some output that is not subunit\n")
		}
		if i%97 == 0 {
			buf.Write([]byte{0xb3, 0x29, 0x01, 0x0c, 0x03, 'f', 'o', 'o', 0, 0, 0, 0}) // a bad CRC
		}
		st := StatusSuccess
		if i%11 == 0 {
			st = StatusFail
		}
		if err := w.Write(&Event{Flags: FlagTestID | FlagTags | FlagTimestamp, Status: st, TestID: id, Tags: tags, Timestamp: ts}); err != nil {
			t.Fatal(err)
		}
	}
	buf.WriteString("test: a v1 test\nsuccess: a v1 test\n")
	buf.Write([]byte{0xb3, 0x20, 0x00}) // cut short
	return buf.Bytes()
}

func TestReadAheadSameAsPlain(t *testing.T) {
	stream := mixedStream(t, 3000)
	cases := map[string][]byte{"mixed": stream, "empty": nil, "text only": []byte("hello\nworld")}
	if sample, err := os.ReadFile("testdata/sample.subunit"); err == nil {
		cases["sample"] = sample
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			checkSameSteps(t, data)
			checkSameSteps(t, data, WithV1(false), WithBufferSize(4096))
			checkSameSteps(t, data, WithStrict())
		})
	}
}

// A failing source ends the stream with its error, after every event that
// came before it.
func TestReadAheadSourceError(t *testing.T) {
	stream := mixedStream(t, 500)
	boom := errors.New("disk on fire")
	half := stream[:len(stream)/2]
	got := steps(t, &failingReader{data: half, err: boom}, WithReadAhead())
	want := steps(t, &failingReader{data: half, err: boom})
	if len(got) != len(want) || !strings.Contains(got[len(got)-1].err, "disk on fire") {
		t.Fatalf("got %d steps ending %q, want %d ending %q", len(got), got[len(got)-1].err, len(want), want[len(want)-1].err)
	}
}

// Close ends a Reader abandoned mid-stream, also while the decoder waits in
// a Read that does not return, and Next then reports ErrClosed.
func TestReadAheadClose(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	r, err := NewReader(pr, WithReadAhead())
	if err != nil {
		t.Fatal(err)
	}
	stream := mixedStream(t, 20)
	go pw.Write(stream[:len(stream)/2]) // then the pipe stays open
	if ev, err := r.Next(); err != nil || ev == nil {
		t.Fatalf("first Next: %v, %v", ev, err)
	}
	done := make(chan struct{})
	go func() { r.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close blocked on a source that does not end")
	}
	if _, err := r.Next(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Next after Close: %v, want ErrClosed", err)
	}
	r2, _ := NewReader(bytes.NewReader(nil))
	if err := r2.Close(); err != nil {
		t.Fatal(err) // a no-op without read-ahead
	}
}

// FuzzReadAhead checks that read-ahead changes nothing that Next returns.
func FuzzReadAhead(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, strict bool) {
		opts := []ReaderOption{WithBufferSize(4096)}
		if strict {
			opts = append(opts, WithStrict())
		}
		checkSameSteps(t, data, opts...)
	})
}
