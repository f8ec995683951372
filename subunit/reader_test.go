package subunit

import (
	"bytes"
	"errors"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"testing"
)

func loadSample(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/sample.subunit")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// packets returns the events of a stream that has no bad packet, cloned.
func packets(t testing.TB, src io.Reader, opts ...ReaderOption) []*Event {
	t.Helper()
	evs, errs := readAll(t, src, opts...)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	return evs
}

func TestCRCVariant(t *testing.T) {
	if got := crc32.ChecksumIEEE([]byte("123456789")); got != 0xCBF43926 {
		t.Fatalf("CRC-32/ISO-HDLC check value: got %08x", got)
	}
}

// TestReaderSplitReads feeds the sample through readers that cut the input
// at random places; every cut must give the events of the whole read.
func TestReaderSplitReads(t *testing.T) {
	data := loadSample(t)
	want := packets(t, bytes.NewReader(data), WithV1(false))
	if len(want) < 80 {
		t.Fatalf("sample has only %d events", len(want))
	}
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		got := packets(t, &randomReader{data: data, rng: rng}, WithV1(false))
		if !sameEvents(got, want) {
			t.Fatalf("seed %d: %d events differ from the whole read (%d)", seed, len(got), len(want))
		}
	}
}

// sameEvents compares events, merging consecutive passthrough chunks, whose
// boundaries depend on read sizes.
func sameEvents(a, b []*Event) bool {
	a, b = mergeText(a), mergeText(b)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) || a[i].Passthrough != b[i].Passthrough {
			return false
		}
	}
	return true
}

func mergeText(evs []*Event) []*Event {
	var out []*Event
	for _, ev := range evs {
		if n := len(out); n > 0 && ev.Passthrough && out[n-1].Passthrough {
			last := out[n-1].Clone()
			last.FileContent = append(last.FileContent, ev.FileContent...)
			out[n-1] = last
			continue
		}
		out = append(out, ev)
	}
	return out
}

type randomReader struct {
	data []byte
	rng  *rand.Rand
}

func (r *randomReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(r.data), 1+r.rng.IntN(300))
	if r.rng.IntN(10) == 0 {
		n = 0
	}
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// TestTruncationEveryByte cuts the sample at every byte: nothing panics, every
// packet that was complete before the cut is read as in the whole stream, and
// the cut packet is reported as truncated.
func TestTruncationEveryByte(t *testing.T) {
	data := loadSample(t)
	whole := packets(t, bytes.NewReader(data), WithV1(false))
	ends := make([]int64, len(whole)) // the offset just past each event
	for i := range whole {
		if i+1 < len(whole) {
			ends[i] = whole[i+1].Offset
		} else {
			ends[i] = int64(len(data))
		}
	}
	for k := range len(data) {
		evs, errs := readAll(t, bytes.NewReader(data[:k]), WithV1(false))
		complete := 0
		for complete < len(whole) && ends[complete] <= int64(k) {
			complete++
		}
		boundary := int64(0)
		if complete > 0 {
			boundary = ends[complete-1]
		}
		var got []*Event
		truncated := false
		for i, err := range errs {
			var te *TruncatedError
			switch {
			case err == nil && evs[i].Offset < boundary:
				got = append(got, evs[i])
			case errors.As(err, &te):
				truncated = true
			}
		}
		// The complete packets come first and unchanged.
		if !sameEvents(got, whole[:complete]) {
			t.Fatalf("cut at %d: the %d complete events differ", k, complete)
		}
		cutInPacket := complete < len(whole) && !whole[complete].Passthrough && whole[complete].Offset < int64(k)
		if cutInPacket && !truncated {
			t.Fatalf("cut at %d inside a packet: no TruncatedError", k)
		}
	}
}

func TestStrictStopsAtFirstError(t *testing.T) {
	good := []byte{0xb3, 0x29, 0x01, 0x0c, 0x03, 'f', 'o', 'o', 0x08, 0x55, 0x5f, 0x1b}
	bad := append([]byte(nil), good...)
	bad[len(bad)-1] ^= 1
	stream := append(append(append([]byte(nil), good...), bad...), good...)

	r, _ := NewReader(bytes.NewReader(stream), WithStrict())
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err := r.Next()
	var ce *ChecksumError
	if !errors.As(err, &ce) || ce.Offset != 12 {
		t.Fatalf("got %v, want a checksum error at byte 12", err)
	}
	if _, again := r.Next(); again != err {
		t.Fatalf("strict error is not sticky: %v", again)
	}

	evs, errs := readAll(t, bytes.NewReader(stream))
	if len(evs) != 3 || errs[1] == nil || errs[2] != nil {
		t.Fatalf("lenient: got %d events, errors %v", len(evs), errs)
	}
}

func TestStrictRejectsReservedBits(t *testing.T) {
	// version nibble 3, valid CRC: python-subunit and lenient mode accept it.
	pkt := []byte{0xb3, 0x38, 0x01, 0x0c, 0x03, 'f', 'o', 'o', 0xc9, 0xfc, 0xc8, 0x61}
	if _, errs := readAll(t, bytes.NewReader(pkt)); errs[0] != nil {
		t.Fatalf("lenient: %v", errs[0])
	}
	r, _ := NewReader(bytes.NewReader(pkt), WithStrict())
	_, err := r.Next()
	var re *ReservedError
	if !errors.As(err, &re) || re.Offset != 1 {
		t.Fatalf("strict: got %v, want a ReservedError at byte 1", err)
	}
}

func TestSourceErrorIsReported(t *testing.T) {
	boom := errors.New("disk on fire")
	// The source fails in the middle of a packet: the packets before it are
	// read, then the source's error ends the stream, with no truncation report.
	sample := loadSample(t)
	whole := packets(t, bytes.NewReader(sample), WithV1(false))
	cut := whole[3].Offset + 5
	r, _ := NewReader(io.MultiReader(bytes.NewReader(sample[:cut]), &errReader{boom}), WithV1(false))
	var errs []error
	n := 0
	for ev, err := range r.All() {
		if err != nil {
			errs = append(errs, err)
		} else if !ev.Equal(whole[n]) {
			t.Fatalf("event %d differs", n)
		} else {
			n++
		}
	}
	if n != 3 || len(errs) != 1 || !errors.Is(errs[0], boom) {
		t.Fatalf("got %d events and errors %v, want 3 events then the source's error", n, errs)
	}
}

type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) { return 0, e.err }

func TestNewReaderRejectsBadOptions(t *testing.T) {
	for _, opt := range []ReaderOption{WithBufferSize(10), WithNonSubunitName("")} {
		if _, err := NewReader(bytes.NewReader(nil), opt); err == nil {
			t.Error("bad option accepted")
		}
	}
}

// TestNoAllocationPerPacket: a million minimal packets, no allocation per event.
func TestNoAllocationPerPacket(t *testing.T) {
	one := []byte{0xb3, 0x20, 0x00, 0x08, 0x18, 0x15, 0xf0, 0xba}
	data := bytes.Repeat(one, 1_000_000)
	sample := loadSample(t)
	for name, data := range map[string][]byte{"minimal": data, "sample": bytes.Repeat(sample, 20)} {
		r, _ := NewReader(bytes.NewReader(data), WithV1(false))
		r.Next() // the first call may size buffers
		allocs := testing.AllocsPerRun(10000, func() {
			if _, err := r.Next(); err != nil && err != io.EOF {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %.2f allocations per event, want 0", name, allocs)
		}
	}
}

func TestChecksumMatchesLibrary(t *testing.T) {
	data := loadSample(t)
	for n := range 200 {
		if got, want := checksum(data[:n]), crc32.ChecksumIEEE(data[:n]); got != want {
			t.Fatalf("length %d: %08x, want %08x", n, got, want)
		}
	}
}

func TestValidString(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"", true},
		{"tempest.api.compute.servers.test_servers.ServersTest.test_x[id-1,smoke]", true},
		{"exactly8", true},
		{"nul in the middle of a long ascii\x00 string", false},
		{"\x00", false},
		{"long ascii then é then more ascii text", true},
		{"long ascii then a bad byte \xff here", false},
		{"long ascii then é and a NUL \x00", false},
		{"\xed\xa0\x80 surrogate", false},
		{"overlong \xc0\xaf", false},
		{"日本語のテスト名", true},
	} {
		if got := validString([]byte(tt.s)); got != tt.want {
			t.Errorf("validString(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
