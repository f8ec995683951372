package subunit

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/refstack-go/refstack/internal/testenv"
)

// packetBytes encodes a v2 packet with a test id and a status, and a file
// chunk when name is not empty. It is independent of the package's Writer.
func packetBytes(id string, st Status, name, content string) []byte {
	flags := version2 | FlagTestID | Flags(st)
	body := appendVarint(nil, uint32(len(id)))
	body = append(body, id...)
	if name != "" {
		flags |= FlagFile
		body = appendVarint(body, uint32(len(name)))
		body = append(body, name...)
		body = appendVarint(body, uint32(len(content)))
		body = append(body, content...)
	}
	n := 1 + 2 + len(body) + 4
	for w := 1; ; w++ {
		if varintLen(uint32(n+w)) == w {
			n += w
			break
		}
	}
	p := []byte{signature}
	p = binary.BigEndian.AppendUint16(p, uint16(flags))
	p = appendVarint(p, uint32(n))
	p = append(p, body...)
	return binary.BigEndian.AppendUint32(p, crc32.ChecksumIEEE(p))
}

// badPacket is a packet whose CRC does not match.
func badPacket() []byte {
	p := packetBytes("bad", StatusSuccess, "", "")
	p[len(p)-1] ^= 0xff
	return p
}

type recordsResult struct {
	ids  []string // "id/status" per record, "!" + error text per error
	errs []error
}

// collectRecords runs Records over in, stopping after stopAfter items when
// it is positive.
func collectRecords(t *testing.T, in io.Reader, ropts []ReaderOption, opts []RecordOption, stopAfter int) recordsResult {
	t.Helper()
	r, err := NewReader(in, ropts...)
	if err != nil {
		t.Fatal(err)
	}
	var res recordsResult
	for rec, err := range Records(r, opts...) {
		if err != nil {
			res.ids = append(res.ids, "!")
			res.errs = append(res.errs, err)
		} else {
			res.ids = append(res.ids, rec.TestID+"/"+rec.Status.String())
		}
		if stopAfter > 0 && len(res.ids) == stopAfter {
			break
		}
	}
	return res
}

type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestRecords(t *testing.T) {
	var stream bytes.Buffer
	stream.Write(packetBytes("a", StatusInProgress, "", ""))
	stream.WriteString("chatter\n")
	stream.Write(packetBytes("a", StatusUndefined, "log", "hello"))
	stream.Write(packetBytes("a", StatusSuccess, "", ""))
	stream.Write(badPacket())
	stream.Write(packetBytes("b", StatusInProgress, "", ""))
	beforeC := stream.Len()
	stream.Write(packetBytes("c", StatusUndefined, "log", "x"))
	data := stream.Bytes()
	ioErr := errors.New("connection reset")

	tests := []struct {
		name      string
		in        io.Reader
		ropts     []ReaderOption
		opts      []RecordOption
		stopAfter int
		want      []string
		wantErr   func(error) bool
	}{
		{
			name: "lenient, parser errors as tests",
			in:   bytes.NewReader(data),
			want: []string{"a/success", "subunit.parser/fail", "b/inprogress", "c/unknown"},
		},
		{
			name:    "parser errors yielded, reading goes on",
			in:      bytes.NewReader(data),
			opts:    []RecordOption{WithParserErrors(false)},
			want:    []string{"a/success", "!", "b/inprogress", "c/unknown"},
			wantErr: func(err error) bool { var ce *ChecksumError; return errors.As(err, &ce) },
		},
		{
			name:    "strict reader stops at the bad packet",
			in:      bytes.NewReader(data),
			ropts:   []ReaderOption{WithStrict()},
			want:    []string{"a/success", "!"},
			wantErr: func(err error) bool { var pe *PacketError; return errors.As(err, &pe) },
		},
		{
			name:      "the loop may stop early",
			in:        bytes.NewReader(data),
			stopAfter: 2,
			want:      []string{"a/success", "subunit.parser/fail"},
		},
		{
			name:    "source error ends the records, open ones are dropped",
			in:      &failingReader{data: data[:beforeC], err: ioErr},
			want:    []string{"a/success", "subunit.parser/fail", "!"},
			wantErr: func(err error) bool { return errors.Is(err, ioErr) },
		},
		{
			name:    "bad option",
			in:      bytes.NewReader(data),
			opts:    []RecordOption{WithAttachmentLimit(-5)},
			want:    []string{"!"},
			wantErr: func(err error) bool { return err != nil },
		},
		{
			name: "empty stream",
			in:   strings.NewReader(""),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collectRecords(t, tt.in, tt.ropts, tt.opts, tt.stopAfter)
			if strings.Join(got.ids, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %q, want %q (errors %v)", got.ids, tt.want, got.errs)
			}
			for _, err := range got.errs {
				if tt.wantErr == nil || !tt.wantErr(err) {
					t.Errorf("unexpected error %v", err)
				}
			}
		})
	}
}

func TestRecordsNilReader(t *testing.T) {
	n := 0
	for rec, err := range Records(nil) {
		n++
		if rec != nil || err == nil {
			t.Errorf("Records(nil) yielded %v, %v", rec, err)
		}
	}
	if n != 1 {
		t.Errorf("Records(nil) yielded %d items", n)
	}
}

func TestRecordsSinkError(t *testing.T) {
	stream := append(packetBytes("a", StatusUndefined, "log", "x"), packetBytes("a", StatusSuccess, "", "")...)
	full := errors.New("disk full")
	got := collectRecords(t, bytes.NewReader(stream), nil,
		[]RecordOption{WithAttachmentSink(func(string, string, string, string, []byte, bool) error { return full })}, 0)
	if len(got.errs) != 1 || !errors.Is(got.errs[0], full) || len(got.ids) != 1 {
		t.Errorf("got %q %v, want only the sink's error", got.ids, got.errs)
	}
}

// TestRecordsThroughReaderAllocs reads a stream of 2 000 tests, each with an
// attachment over 5 packets, and checks that allocations grow with the
// number of tests, not the number of packets or bytes.
func TestRecordsThroughReaderAllocs(t *testing.T) {
	var stream bytes.Buffer
	const tests, chunks = 2000, 5
	for i := range tests {
		id := fmt.Sprintf("tempest.api.test_%05d", i)
		stream.Write(packetBytes(id, StatusInProgress, "", ""))
		for range chunks {
			stream.Write(packetBytes(id, StatusUndefined, "pythonlogging", strings.Repeat("log line\n", 20)))
		}
		stream.Write(packetBytes(id, StatusSuccess, "", ""))
	}
	data := stream.Bytes()
	allocs := testing.AllocsPerRun(3, func() {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range Records(r, WithAttachmentLimit(64)) {
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	// Per test: the key string, the record, the attachments slice, the
	// attachment's name and its kept bytes (5); packets must add nothing.
	if perTest := allocs / tests; perTest > 6 {
		t.Errorf("%.1f allocations per test (%d packets each)", perTest, chunks+2)
	}
	t.Logf("%.0f allocations for %d tests, %d packets, %d bytes", allocs, tests, tests*(chunks+2), len(data))
}

// ExampleRecords reads a stream and prints its tests as they complete.
func ExampleRecords() {
	var stream bytes.Buffer
	w, err := NewWriter(&stream)
	if err != nil {
		fmt.Println(err)
		return
	}
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, ev := range []Event{
		{Flags: FlagTestID | FlagTimestamp, Status: StatusInProgress, TestID: []byte("test_ok"), Timestamp: t0},
		{Flags: FlagTestID | FlagTimestamp, Status: StatusInProgress, TestID: []byte("test_hangs"), Timestamp: t0},
		{Flags: FlagTestID | FlagTimestamp, Status: StatusSuccess, TestID: []byte("test_ok"), Timestamp: t0.Add(1500 * time.Millisecond)},
		{Flags: FlagTestID | FlagTimestamp | FlagFile, Status: StatusSkip, TestID: []byte("test_skip"), Timestamp: t0,
			FileName: []byte("reason"), FileContent: []byte("not on this cloud")},
	} {
		if err := w.Write(&ev); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Println(err)
		return
	}

	r, err := NewReader(&stream)
	if err != nil {
		fmt.Println(err)
		return
	}
	for rec, err := range Records(r) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		d, known := rec.Duration()
		fmt.Printf("%s: %v (complete %v, duration %v known %v)\n", rec.TestID, rec.Status, rec.Complete, d, known)
		if reason := rec.Attachment("reason"); reason != nil {
			fmt.Printf("  reason: %s\n", reason.Data)
		}
	}
	// Output:
	// test_ok: success (complete true, duration 1.5s known true)
	// test_skip: skip (complete true, duration 0s known true)
	//   reason: not on this cloud
	// test_hangs: inprogress (complete false, duration 0s known false)
}

// BenchmarkRecords reads and assembles the largest fixture stream.
func BenchmarkRecords(b *testing.B) {
	data, err := os.ReadFile(testenv.Shared(b, "fixtures", "subunit", "stestr-failure.subunit"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		for _, err := range Records(r) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkAssemblerChunk measures one attachment chunk of an open record
// whose attachment is past the limit (the steady state of a large file).
func BenchmarkAssemblerChunk(b *testing.B) {
	a, err := NewAssembler(func(*Record) error { return nil })
	if err != nil {
		b.Fatal(err)
	}
	start := tev("tempest.api.compute.servers.test_create_server", StatusInProgress, ts(1))
	if err := a.Add(&start); err != nil {
		b.Fatal(err)
	}
	ev := tev("tempest.api.compute.servers.test_create_server", StatusUndefined, ts(2), chunk("pythonlogging:''", "text/plain", strings.Repeat("x", 4096), false))
	b.SetBytes(int64(len(ev.FileContent)))
	b.ReportAllocs()
	for b.Loop() {
		if err := a.Add(&ev); err != nil {
			b.Fatal(err)
		}
	}
}
