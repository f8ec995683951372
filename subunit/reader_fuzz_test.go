package subunit

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

// FuzzReader checks, for any input, that the v2 reader never panics, that it
// accounts for every input byte exactly once (events and bad packets tile the
// input in order), that a packet it accepts re-encodes to the bytes it was
// read from when they were minimally encoded, and that reading one byte at a
// time gives the same events.
func FuzzReader(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), WithV1(false), WithBufferSize(4096))
		if err != nil {
			t.Fatal(err)
		}
		var pos int64
		var evs []*Event
		for {
			ev, err := r.Next()
			if err == io.EOF {
				break
			}
			var pe *PacketError
			switch {
			case err == nil:
				if ev.Offset != pos {
					t.Fatalf("event at %d, want %d", ev.Offset, pos)
				}
				span := data[pos:r.InputOffset()]
				if ev.Passthrough && !bytes.Equal(span, ev.FileContent) {
					t.Fatalf("passthrough at %d: content is not the input", pos)
				}
				if !ev.Passthrough {
					checkReencode(t, ev, span)
				}
				evs = append(evs, ev.Clone())
			case errors.As(err, &pe):
				if pe.Offset != pos || !bytes.Equal(pe.Data, data[pos:r.InputOffset()]) {
					t.Fatalf("bad packet at %d (want %d) does not hold the bytes it consumed", pe.Offset, pos)
				}
				evs = append(evs, nil)
			default:
				t.Fatalf("unexpected error: %v", err)
			}
			pos = r.InputOffset()
		}
		if pos != int64(len(data)) {
			t.Fatalf("consumed %d of %d bytes", pos, len(data))
		}
		slow, _ := readAll(t, &oneByteReader{data: data}, WithV1(false))
		var slowEvs []*Event
		for _, ev := range slow {
			slowEvs = append(slowEvs, ev)
		}
		if !sameEventsOrErrors(evs, slowEvs) {
			t.Fatalf("one byte per read differs from one read")
		}
	})
}

// checkReencode writes ev again and compares with the packet's bytes when
// those used minimal varints and no slack (what every writer produces).
func checkReencode(t *testing.T, ev *Event, packet []byte) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	c := ev.Clone()
	if err := w.Write(c); err != nil {
		return // e.g. an empty tag list the writer leaves out
	}
	w.Flush()
	if buf.Len() == len(packet) && !bytes.Equal(buf.Bytes(), packet) && minimalFlags(packet) {
		t.Fatalf("re-encoded packet differs:\n in  %x\n out %x", packet, buf.Bytes())
	}
	// Like python-subunit, the writer leaves out an empty tag list and MIME type.
	if len(c.Tags) == 0 {
		c.Flags &^= FlagTags
	}
	if len(c.MIME) == 0 {
		c.Flags &^= FlagMIME
	}
	back, errs := readAll(t, bytes.NewReader(buf.Bytes()), WithV1(false))
	if len(back) != 1 || errs[0] != nil || !back[0].Equal(c) {
		t.Fatalf("round trip of %x failed: %v", packet, errs)
	}
}

// minimalFlags reports whether a packet's flags carry version 2 and no
// reserved bit, which the writer always produces.
func minimalFlags(p []byte) bool {
	return len(p) > 2 && p[1]&0xF0 == 0x20 && p[2]&0x08 == 0
}

func sameEventsOrErrors(a, b []*Event) bool {
	var ea, eb []*Event
	for _, e := range a {
		if e != nil {
			ea = append(ea, e)
		}
	}
	for _, e := range b {
		if e != nil {
			eb = append(eb, e)
		}
	}
	return sameEvents(ea, eb)
}

// fuzzSeeds gathers seeds: the repo's sample, hand-made edge cases and,
// when ../shared is there, the 105 reference vectors.
func fuzzSeeds(f *testing.F) [][]byte {
	seeds := [][]byte{
		{},
		{0xb3},
		{0xb3, 0x20, 0x00, 0x08, 0x18, 0x15, 0xf0, 0xba},
		[]byte("foo\nbar\n"),
		{0xe3, 0xb3, 0x8a},
		{0xc3, 0xb3, 0xb3, 0x29, 0x01, 0x0c, 0x03, 'f', 'o', 'o', 0x08, 0x55, 0x5f, 0x1b},
	}
	if sample, err := os.ReadFile("testdata/sample.subunit"); err == nil {
		seeds = append(seeds, sample[:min(len(sample), 2000)])
	}
	if _, ok := testenv.SharedPath("reference", "subunit-v2-vectors", "vectors.json"); ok {
		for _, v := range loadVectors(f) {
			if b, err := hex.DecodeString(v.Hex); err == nil {
				seeds = append(seeds, b)
			}
		}
	}
	return seeds
}
