package subunit

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// recordDigest renders what a consumer sees of a record during emit.
func recordDigest(r *Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%s|%v|%v|%v|%v", r.TestID, r.RouteCode, r.Status, r.Start, r.Stop, r.Tags, r.Complete)
	for _, a := range r.Attachments {
		fmt.Fprintf(&b, "|%s %s %d %q", a.Name, a.MIME, a.Size, a.Data)
	}
	return b.String()
}

// TestRecordReuseSeesSameRecords: with WithRecordReuse the records a
// consumer sees during emit are the ones it sees without it, while the
// Assembler recycles their memory.
func TestRecordReuseSeesSameRecords(t *testing.T) {
	data := bytes.Repeat(loadSample(t), 3)
	digests := func(opts ...RecordOption) ([]string, []*Record) {
		var ds []string
		var kept []*Record
		r, _ := NewReader(bytes.NewReader(data))
		for rec, err := range Records(r, opts...) {
			if err != nil {
				t.Fatal(err)
			}
			ds = append(ds, recordDigest(rec))
			kept = append(kept, rec)
		}
		return ds, kept
	}
	want, _ := digests()
	got, kept := digests(WithRecordReuse())
	if len(got) != len(want) || len(want) < 70 {
		t.Fatalf("%d records with reuse, %d without", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("record %d:\n reuse %s\n plain %s", i, got[i], want[i])
		}
	}
	distinct := map[*Record]bool{}
	for _, r := range kept {
		distinct[r] = true
	}
	if len(distinct) > len(kept)/4 {
		t.Errorf("%d distinct records for %d emitted: not recycled", len(distinct), len(kept))
	}
}

// TestAssemblerHashChains puts records whose keys share a hash in one chain
// of the open-record table and takes them out middle, head, tail, last.
func TestAssemblerHashChains(t *testing.T) {
	a, err := NewAssembler(func(*Record) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	const h = 42
	setKey := func(id string) {
		a.key = appendRecordKey(a.key[:0], &Event{Flags: FlagTestID, TestID: []byte(id)})
	}
	for _, id := range []string{"a", "b", "c", "d"} {
		setKey(id)
		a.start(&Event{Flags: FlagTestID, TestID: []byte(id)}, time.Time{}, h)
	}
	left := map[string]bool{"a": true, "b": true, "c": true, "d": true}
	for _, id := range []string{"b", "d", "a", "c"} {
		setKey(id)
		o := a.find(h)
		if o == nil || o.TestID != id {
			t.Fatalf("find(%s) = %v", id, o)
		}
		a.remove(o)
		delete(left, id)
		if a.find(h) != nil {
			t.Fatalf("%s still found after remove", id)
		}
		for other := range left {
			setKey(other)
			if o := a.find(h); o == nil || o.TestID != other {
				t.Fatalf("after removing %s, %s is lost", id, other)
			}
		}
	}
	if len(a.open) != 0 {
		t.Fatalf("table not empty: %v", a.open)
	}
}
