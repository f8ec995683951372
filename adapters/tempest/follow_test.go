package tempest

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/refstack-go/refstack/subunit"
)

// packet returns the v2 bytes of one event of test id.
func packet(t *testing.T, id string, st subunit.Status) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := subunit.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	ev := subunit.Event{Flags: subunit.FlagTestID, TestID: []byte(id), Status: st}
	if err := w.Write(&ev); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFollowIsLive feeds the stream one test at a time and waits, before
// writing the next, for Follow to hand over the one written and for its bytes
// to be saved: nothing waits for the end of the stream.
func TestFollowIsLive(t *testing.T) {
	pr, pw := io.Pipe()
	var saved syncBuffer
	got := make(chan *subunit.Record)
	done := make(chan error, 1)
	go func() {
		done <- Follow(pr, &saved, func(r *subunit.Record) error { got <- r; return nil })
	}()
	var want []byte
	for i, id := range []string{"t.a", "t.b", "t.c"} {
		for _, st := range []subunit.Status{subunit.StatusInProgress, subunit.StatusSuccess} {
			p := packet(t, id, st)
			want = append(want, p...)
			if _, err := pw.Write(p); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case r := <-got:
			if r.TestID != id || r.Status != subunit.StatusSuccess || !r.Complete {
				t.Fatalf("test %d: got %+v", i, r)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("test %d (%s) not handed over while the stream is open", i, id)
		}
		if !bytes.Equal(saved.Bytes(), want) {
			t.Fatalf("after test %d: saved %d bytes, want %d", i, len(saved.Bytes()), len(want))
		}
	}
	// A test left open when the stream ends comes last, not complete.
	pw.Write(packet(t, "t.open", subunit.StatusInProgress))
	pw.Close()
	if r := <-got; r.TestID != "t.open" || r.Complete {
		t.Errorf("open test: %+v", r)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestFollowBadPacketAndErrors(t *testing.T) {
	stream := append(packet(t, "t.a", subunit.StatusSuccess), 0xB3, 0x20, 0x01, 0x02, 0xff)
	stream = append(stream, packet(t, "t.b", subunit.StatusSuccess)...)
	var ids []string
	var saved bytes.Buffer
	err := Follow(bytes.NewReader(stream), &saved, func(r *subunit.Record) error {
		ids = append(ids, r.TestID+"="+r.Status.String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 3 || ids[0] != "t.a=success" || ids[1] != subunit.ParserErrorTestID+"=fail" || ids[2] != "t.b=success" {
		t.Errorf("records = %q", ids)
	}
	if !bytes.Equal(saved.Bytes(), stream) {
		t.Error("saved stream differs from the input")
	}

	stop := errors.New("stop")
	if err := Follow(bytes.NewReader(stream), io.Discard, func(*subunit.Record) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("callback error: got %v", err)
	}
	full := errors.New("disk full")
	if err := Follow(bytes.NewReader(stream), failWriter{full}, func(*subunit.Record) error { return nil }); !errors.Is(err, full) {
		t.Errorf("save error: got %v", err)
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(b)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.buf.Bytes())
}
