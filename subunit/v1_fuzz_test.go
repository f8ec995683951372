package subunit

import (
	"bytes"
	"cmp"
	"slices"
	"testing"
)

// FuzzV1Parser feeds arbitrary bytes to the v1 parser, once whole and once
// split at a fuzz-chosen point, and checks that:
//   - nothing panics, and both runs give the same events (offsets included);
//   - every event is well formed (v1Render flags no anomaly);
//   - every input byte is accounted for exactly once: the passthrough events,
//     each of which must hold the input bytes at its offset, and the ranges
//     the parser reports as consumed tile the input with no gap or overlap;
//   - each range consumed as a directive is one whole line whose first word is
//     a v1 keyword, so no line of chatter is ever swallowed as a directive;
//   - with a gap in the offsets at the split point (a packet the Reader took),
//     the bytes are still all accounted for.
func FuzzV1Parser(f *testing.F) {
	for _, c := range v1Cases {
		f.Add([]byte(c.in), uint16(len(c.in)/2))
	}
	f.Add([]byte("test: a\nfailure: a [ multipart\nContent-Type: a/b\nn\n3\r\n\xb3\n\xb30\r\n]\n"), uint16(60))
	f.Add([]byte("test: a\nskip: a [\n ]\n]x\n]\n"), uint16(21))
	f.Fuzz(func(t *testing.T, in []byte, cut uint16) {
		k := int(cut) % (len(in) + 1)
		whole, wholeSpans := v1FuzzRun(t, in)
		split, splitSpans := v1FuzzRun(t, in, k)
		for _, r := range []struct {
			evs   []*Event
			spans []v1Span
		}{{whole, wholeSpans}, {split, splitSpans}} {
			v1CheckAccounting(t, in, r.evs, r.spans, len(in))
		}
		v1FuzzGap(t, in, k)
		w, s := v1RenderAll(v1Merge(whole), true), v1RenderAll(v1Merge(split), true)
		if !slices.Equal(w, s) {
			t.Fatalf("split at %d differs\nwhole: %q\nsplit: %q", k, w, s)
		}
		for _, e := range whole {
			if bad := v1Anomalies(e); bad != nil {
				t.Fatalf("malformed event %s", v1Render(e))
			}
		}
	})
}

type v1Span struct {
	off       int64
	n         int
	kind      byte // 'p' passthrough, 'd' directive line, 'x' details
	directive bool
}

func v1FuzzRun(t *testing.T, in []byte, cuts ...int) ([]*Event, []v1Span) {
	p := newV1Parser("stdout")
	var spans []v1Span
	p.consumed = func(off int64, n int, directive bool) {
		kind := byte('x')
		if directive {
			kind = 'd'
		}
		spans = append(spans, v1Span{off: off, n: n, kind: kind})
	}
	evs := v1Drive(t, p, in, cuts...)
	return evs, spans
}

// v1CheckAccounting checks that evs' passthrough bytes and the consumed spans
// tile in, and that each directive span is a whole line: it ends with '\n' or
// at one of breaks, where the input was cut.
func v1CheckAccounting(t *testing.T, in []byte, evs []*Event, spans []v1Span, breaks ...int) {
	t.Helper()
	for _, e := range evs {
		if !e.Passthrough {
			continue
		}
		end := e.Offset + int64(len(e.FileContent))
		if e.Offset < 0 || end > int64(len(in)) || !bytes.Equal(in[e.Offset:end], e.FileContent) {
			t.Fatalf("passthrough at %d (%q) is not the input there", e.Offset, e.FileContent)
		}
		spans = append(spans, v1Span{off: e.Offset, n: len(e.FileContent), kind: 'p'})
	}
	slices.SortStableFunc(spans, func(a, b v1Span) int { return cmp.Compare(a.off, b.off) })
	var at int64
	for _, s := range spans {
		if s.off != at || s.n <= 0 {
			t.Fatalf("bytes %d.. accounted as %c from %d (%d bytes); input %q", at, s.kind, s.off, s.n, in)
		}
		at += int64(s.n)
		if s.kind != 'd' {
			continue
		}
		line := in[s.off:at]
		word, ok := v1FirstWord(line)
		isKeyword := ok && slices.Contains(v1Keywords[:], string(bytes.TrimRight(word, ":")))
		whole := bytes.IndexByte(line, '\n') == len(line)-1 || (slices.Contains(breaks, int(at)) && bytes.IndexByte(line, '\n') < 0)
		if !isKeyword || !whole {
			t.Fatalf("consumed %q as a directive", line)
		}
	}
	if at != int64(len(in)) {
		t.Fatalf("bytes %d..%d not accounted for; input %q", at, len(in), in)
	}
}

// v1FuzzGap feeds in[:k] and in[k:] with an 8-byte gap between them, as if a
// packet sat at k, and checks the byte accounting with offsets mapped back.
func v1FuzzGap(t *testing.T, in []byte, k int) {
	const gap = 8
	p := newV1Parser("stdout")
	var spans []v1Span
	unmap := func(off int64) int64 {
		if off >= int64(k)+gap {
			return off - gap
		}
		return off
	}
	p.consumed = func(off int64, n int, directive bool) {
		kind := byte('x')
		if directive {
			kind = 'd'
		}
		spans = append(spans, v1Span{off: unmap(off), n: n, kind: kind})
	}
	var q []Event
	p.feed(in[:k], 0, true, &q)
	p.feed(in[k:], int64(k)+gap, true, &q)
	p.finish(int64(len(in))+gap, &q)
	var evs []*Event
	for i := range q {
		e := q[i].Clone()
		e.Offset = unmap(e.Offset)
		evs = append(evs, e)
		if bad := v1Anomalies(e); bad != nil {
			t.Fatalf("malformed event %s", v1Render(e))
		}
	}
	v1CheckAccounting(t, in, evs, spans, k, len(in))
}
