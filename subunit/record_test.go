package subunit

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var recBase = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// at returns the test clock n seconds after recBase.
func at(n int) time.Time { return recBase.Add(time.Duration(n) * time.Second) }

type evOpt func(*Event)

// tev builds an event of test id with status st.
func tev(id string, st Status, opts ...evOpt) Event {
	e := Event{Flags: FlagTestID | FlagRunnable, Status: st, TestID: []byte(id)}
	for _, o := range opts {
		o(&e)
	}
	return e
}

// runEv builds an event without a test id (run-level output).
func runEv(opts ...evOpt) Event {
	e := Event{Flags: FlagRunnable}
	for _, o := range opts {
		o(&e)
	}
	return e
}

func ts(n int) evOpt {
	return func(e *Event) { e.Flags |= FlagTimestamp; e.Timestamp = at(n) }
}

func tagged(tags ...string) evOpt {
	return func(e *Event) {
		e.Flags |= FlagTags
		e.Tags = make([][]byte, 0, len(tags))
		for _, t := range tags {
			e.Tags = append(e.Tags, []byte(t))
		}
	}
}

func routed(rc string) evOpt {
	return func(e *Event) { e.Flags |= FlagRouteCode; e.RouteCode = []byte(rc) }
}

// chunk attaches a file chunk; mime "" means no MIME field.
func chunk(name, mime, content string, eof bool) evOpt {
	return func(e *Event) {
		e.Flags |= FlagFile
		e.FileName, e.FileContent = []byte(name), []byte(content)
		if mime != "" {
			e.Flags |= FlagMIME
			e.MIME = []byte(mime)
		}
		if eof {
			e.Flags |= FlagEOF
		}
	}
}

func att(name, mime, data string) Attachment {
	return Attachment{Name: name, MIME: mime, Data: []byte(data), Size: int64(len(data))}
}

// recordDiff describes how got differs from want, or returns "".
func recordDiff(got, want *Record) string {
	var d []string
	if got.TestID != want.TestID {
		d = append(d, fmt.Sprintf("TestID %q, want %q", got.TestID, want.TestID))
	}
	if got.RouteCode != want.RouteCode {
		d = append(d, fmt.Sprintf("RouteCode %q, want %q", got.RouteCode, want.RouteCode))
	}
	if got.Status != want.Status {
		d = append(d, fmt.Sprintf("Status %v, want %v", got.Status, want.Status))
	}
	if !got.Start.Equal(want.Start) {
		d = append(d, fmt.Sprintf("Start %v, want %v", got.Start, want.Start))
	}
	if !got.Stop.Equal(want.Stop) {
		d = append(d, fmt.Sprintf("Stop %v, want %v", got.Stop, want.Stop))
	}
	if !slices.Equal(got.Tags, want.Tags) {
		d = append(d, fmt.Sprintf("Tags %q, want %q", got.Tags, want.Tags))
	}
	if got.Complete != want.Complete {
		d = append(d, fmt.Sprintf("Complete %v, want %v", got.Complete, want.Complete))
	}
	if len(got.Attachments) != len(want.Attachments) {
		d = append(d, fmt.Sprintf("%d attachments %+v, want %d %+v", len(got.Attachments), got.Attachments, len(want.Attachments), want.Attachments))
	} else {
		for i, g := range got.Attachments {
			w := want.Attachments[i]
			if g.Name != w.Name || g.MIME != w.MIME || !bytes.Equal(g.Data, w.Data) || g.Size != w.Size || g.Truncated != w.Truncated {
				d = append(d, fmt.Sprintf("attachment %d = {%q %q %q %d %v}, want {%q %q %q %d %v}",
					i, g.Name, g.MIME, g.Data, g.Size, g.Truncated, w.Name, w.MIME, w.Data, w.Size, w.Truncated))
			}
		}
	}
	return strings.Join(d, "; ")
}

func compareRecords(t *testing.T, got []*Record, want []Record) {
	t.Helper()
	if len(got) != len(want) {
		var ids []string
		for _, r := range got {
			ids = append(ids, r.TestID+"/"+r.Status.String())
		}
		t.Fatalf("got %d records %q, want %d", len(got), ids, len(want))
	}
	for i := range want {
		if d := recordDiff(got[i], &want[i]); d != "" {
			t.Errorf("record %d (%s): %s", i, want[i].TestID, d)
		}
	}
}

// assemble feeds steps (Event or error) to a new Assembler, closes it and
// returns every record in emission order.
func assemble(t *testing.T, steps []any, opts ...RecordOption) []*Record {
	t.Helper()
	var got []*Record
	a, err := NewAssembler(func(r *Record) error { got = append(got, r); return nil }, opts...)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range steps {
		switch s := s.(type) {
		case Event:
			// Feed a clone and then scribble over it: the records must not
			// alias event memory.
			c := s.Clone()
			if err := a.Add(c); err != nil {
				t.Fatalf("step %d: Add: %v", i, err)
			}
			scribble(c)
		case error:
			if err := a.AddError(s); err != nil {
				t.Fatalf("step %d: AddError: %v", i, err)
			}
		default:
			t.Fatalf("step %d: bad step type %T", i, s)
		}
	}
	if err := a.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return got
}

// scribble overwrites the byte slices of e, as a Reader reusing its buffer would.
func scribble(e *Event) {
	for _, b := range [][]byte{e.TestID, e.MIME, e.FileName, e.FileContent, e.RouteCode} {
		for i := range b {
			b[i] = '#'
		}
	}
	for _, t := range e.Tags {
		for i := range t {
			t[i] = '#'
		}
	}
}

// TestAssemblerScenarios is the record-assembly table of the conformance
// plan (subunit-v2.md §9 L); expectations follow testtools' StreamToDict.
func TestAssemblerScenarios(t *testing.T) {
	badCRC := &PacketError{Offset: 12, Data: []byte{0xb3, 0x29, 0x01}, Err: &ChecksumError{Offset: 12, Computed: 1, Stored: 2}}
	tests := []struct {
		name  string
		opts  []RecordOption
		steps []any
		want  []Record
	}{
		{
			name:  "inprogress then success",
			steps: []any{tev("a", StatusInProgress, ts(1)), tev("a", StatusSuccess, ts(3))},
			want:  []Record{{TestID: "a", Status: StatusSuccess, Start: at(1), Stop: at(3), Complete: true}},
		},
		{
			name:  "test without inprogress: undefined start marker then final",
			steps: []any{tev("a", StatusUndefined, ts(1), tagged("t")), tev("a", StatusFail, ts(2))},
			want:  []Record{{TestID: "a", Status: StatusFail, Start: at(1), Stop: at(2), Tags: []string{"t"}, Complete: true}},
		},
		{
			name:  "single final packet",
			steps: []any{tev("a", StatusSkip, ts(5), chunk("reason", "text/plain", "no", true))},
			want:  []Record{{TestID: "a", Status: StatusSkip, Start: at(5), Stop: at(5), Attachments: []Attachment{att("reason", "text/plain", "no")}, Complete: true}},
		},
		{
			name: "start from first event, stop from final event",
			steps: []any{
				tev("a", StatusInProgress, ts(1)),
				tev("a", StatusUndefined, ts(7), chunk("log", "", "x", false)),
				tev("a", StatusSuccess, ts(4)), // not compared with earlier ones
			},
			want: []Record{{TestID: "a", Status: StatusSuccess, Start: at(1), Stop: at(4),
				Attachments: []Attachment{att("log", mimeOctetStream, "x")}, Complete: true}},
		},
		{
			name:  "final event without timestamp resets stop",
			steps: []any{tev("a", StatusInProgress, ts(1)), tev("a", StatusUndefined, ts(2)), tev("a", StatusSuccess)},
			want:  []Record{{TestID: "a", Status: StatusSuccess, Start: at(1), Complete: true}},
		},
		{
			name:  "first event without timestamp leaves start zero",
			steps: []any{tev("a", StatusInProgress), tev("a", StatusUndefined, ts(2)), tev("a", StatusSuccess, ts(3))},
			want:  []Record{{TestID: "a", Status: StatusSuccess, Stop: at(3), Complete: true}},
		},
		{
			name: "tags replaced by the latest set, not merged",
			steps: []any{
				tev("a", StatusInProgress, tagged("w", "x")),
				tev("a", StatusUndefined, tagged("z", "y", "z")),
				tev("a", StatusSuccess), // no tags: keeps the last set
			},
			want: []Record{{TestID: "a", Status: StatusSuccess, Tags: []string{"y", "z"}, Complete: true}},
		},
		{
			name:  "empty tag set clears tags",
			steps: []any{tev("a", StatusInProgress, tagged("w")), tev("a", StatusSuccess, tagged())},
			want:  []Record{{TestID: "a", Status: StatusSuccess, Complete: true}},
		},
		{
			name: "empty chunks ignored, MIME from first non-empty chunk",
			steps: []any{
				tev("a", StatusInProgress),
				tev("a", StatusUndefined, chunk("stdout", "text/plain", "", true)),
				tev("a", StatusUndefined, chunk("stderr", "text/x-err", "", false)),
				tev("a", StatusUndefined, chunk("stderr", "", "e1", false)),
				tev("a", StatusUndefined, chunk("stderr", "text/other", "e2", true)),
			},
			want: []Record{{TestID: "a", Status: StatusInProgress,
				Attachments: []Attachment{att("stderr", mimeOctetStream, "e1e2")}}},
		},
		{
			name: "attachment over several packets, eof does not close it",
			steps: []any{
				tev("a", StatusInProgress),
				tev("a", StatusUndefined, chunk("traceback", "text/x-traceback", "Trace", false)),
				tev("a", StatusUndefined, chunk("traceback", "text/x-traceback", "back", true)),
				tev("a", StatusUndefined, chunk("traceback", "text/x-traceback", "!", true)),
				tev("a", StatusFail),
			},
			want: []Record{{TestID: "a", Status: StatusFail, Complete: true,
				Attachments: []Attachment{att("traceback", "text/x-traceback", "Traceback!")}}},
		},
		{
			name: "attachments in order of first non-empty chunk",
			steps: []any{
				tev("a", StatusUndefined, chunk("b", "", "", false)),
				tev("a", StatusUndefined, chunk("c", "", "1", false)),
				tev("a", StatusUndefined, chunk("b", "", "2", false)),
				tev("a", StatusUndefined, chunk("c", "", "3", false)),
				tev("a", StatusUndefined, chunk("", "", "4", false)),
				tev("a", StatusXFail),
			},
			want: []Record{{TestID: "a", Status: StatusXFail, Complete: true, Attachments: []Attachment{
				att("c", mimeOctetStream, "13"), att("b", mimeOctetStream, "2"), att("", mimeOctetStream, "4")}}},
		},
		{
			name: "records open at EOF come out in order of first appearance",
			steps: []any{
				tev("c", StatusInProgress, ts(1)),
				tev("a", StatusUndefined, ts(2), chunk("log", "", "x", false)),
				tev("b", StatusInProgress, ts(3)),
				tev("b", StatusSuccess, ts(4)),
				tev("d", StatusUndefined, ts(5)),
				tev("c", StatusUndefined, ts(6)),
			},
			want: []Record{
				{TestID: "b", Status: StatusSuccess, Start: at(3), Stop: at(4), Complete: true},
				{TestID: "c", Status: StatusInProgress, Start: at(1)},
				{TestID: "a", Status: StatusUnknown, Start: at(2), Attachments: []Attachment{att("log", mimeOctetStream, "x")}},
				{TestID: "d", Status: StatusUnknown, Start: at(5)},
			},
		},
		{
			name: "same id on different route codes gives different records",
			steps: []any{
				tev("a", StatusInProgress, routed("0"), ts(1)),
				tev("a", StatusInProgress, routed("1"), ts(2)),
				tev("a", StatusInProgress, ts(3)),
				tev("a", StatusInProgress, routed(""), ts(4)), // an empty route code is not an absent one
				tev("a", StatusFail, routed("1"), ts(5)),
				tev("a", StatusSuccess, ts(6)),
				tev("a", StatusSkip, routed(""), ts(7)),
			},
			want: []Record{
				{TestID: "a", RouteCode: "1", Status: StatusFail, Start: at(2), Stop: at(5), Complete: true},
				{TestID: "a", Status: StatusSuccess, Start: at(3), Stop: at(6), Complete: true},
				{TestID: "a", Status: StatusSkip, Start: at(4), Stop: at(7), Complete: true},
				{TestID: "a", RouteCode: "0", Status: StatusInProgress, Start: at(1)},
			},
		},
		{
			name: "interleaved workers",
			steps: []any{
				tev("t1", StatusInProgress, ts(1)),
				tev("t2", StatusInProgress, ts(2)),
				tev("t2", StatusUndefined, ts(3), chunk("stdout", "text/plain", "two", true)),
				tev("t1", StatusUndefined, ts(4), chunk("stdout", "text/plain", "one", true)),
				tev("t1", StatusSuccess, ts(5), tagged("worker-0")),
				tev("t2", StatusSuccess, ts(6), tagged("worker-1")),
			},
			want: []Record{
				{TestID: "t1", Status: StatusSuccess, Start: at(1), Stop: at(5), Tags: []string{"worker-0"},
					Attachments: []Attachment{att("stdout", "text/plain", "one")}, Complete: true},
				{TestID: "t2", Status: StatusSuccess, Start: at(2), Stop: at(6), Tags: []string{"worker-1"},
					Attachments: []Attachment{att("stdout", "text/plain", "two")}, Complete: true},
			},
		},
		{
			name:  "exists is final",
			steps: []any{tev("a", StatusExists, tagged("e")), tev("a", StatusInProgress, ts(1)), tev("a", StatusSuccess, ts(2))},
			want: []Record{
				{TestID: "a", Status: StatusExists, Tags: []string{"e"}, Complete: true},
				{TestID: "a", Status: StatusSuccess, Start: at(1), Stop: at(2), Complete: true},
			},
		},
		{
			name:  "exists dropped with WithExists(false)",
			opts:  []RecordOption{WithExists(false)},
			steps: []any{tev("a", StatusExists, tagged("e")), tev("b", StatusInProgress, ts(1)), tev("b", StatusExists, ts(2))},
			want:  []Record{{TestID: "b", Status: StatusInProgress, Start: at(1)}},
		},
		{
			name: "repeated id starts a new record",
			steps: []any{
				tev("a", StatusInProgress, ts(1)), tev("a", StatusFail, ts(2)),
				tev("a", StatusInProgress, ts(3)), tev("a", StatusSuccess, ts(4)),
				tev("a", StatusUndefined, ts(5), chunk("late", "", "z", true)),
			},
			want: []Record{
				{TestID: "a", Status: StatusFail, Start: at(1), Stop: at(2), Complete: true},
				{TestID: "a", Status: StatusSuccess, Start: at(3), Stop: at(4), Complete: true},
				{TestID: "a", Status: StatusUnknown, Start: at(5), Attachments: []Attachment{att("late", mimeOctetStream, "z")}},
			},
		},
		{
			name: "events without a test id are ignored",
			steps: []any{
				runEv(chunk("stdout", "", "noise\n", false)),
				runEv(ts(1), tagged("x")),
				func() Event { e := runEv(); e.Status = StatusSuccess; return e }(),
				tev("a", StatusSuccess, ts(2)),
			},
			want: []Record{{TestID: "a", Status: StatusSuccess, Start: at(2), Stop: at(2), Complete: true}},
		},
		{
			name:  "empty test id is a test",
			steps: []any{tev("", StatusSuccess)},
			want:  []Record{{TestID: "", Status: StatusSuccess, Complete: true}},
		},
		{
			name:  "process-returncode is an ordinary failed test",
			steps: []any{tev("process-returncode", StatusFail, ts(9), chunk("traceback", "text/plain", "returncode 1", true))},
			want: []Record{{TestID: "process-returncode", Status: StatusFail, Start: at(9), Stop: at(9), Complete: true,
				Attachments: []Attachment{att("traceback", "text/plain", "returncode 1")}}},
		},
		{
			name:  "parser error becomes a failed subunit.parser record",
			steps: []any{tev("a", StatusInProgress, ts(1)), badCRC, tev("a", StatusSuccess, ts(2))},
			want: []Record{
				{TestID: ParserErrorTestID, Status: StatusFail, Complete: true, Attachments: []Attachment{
					att(ParserErrorPacketData, mimeOctetStream, "\xb3\x29\x01"),
					att(ParserErrorMessage, mimeParserError, badCRC.Error()),
				}},
				{TestID: "a", Status: StatusSuccess, Start: at(1), Stop: at(2), Complete: true},
			},
		},
		{
			name:  "attachment limit truncates",
			opts:  []RecordOption{WithAttachmentLimit(3)},
			steps: []any{tev("a", StatusUndefined, chunk("f", "", "ab", false)), tev("a", StatusSuccess, chunk("f", "", "cde", true)), tev("b", StatusSuccess, chunk("g", "", "xyz", true))},
			want: []Record{
				{TestID: "a", Status: StatusSuccess, Complete: true, Attachments: []Attachment{{Name: "f", MIME: mimeOctetStream, Data: []byte("abc"), Size: 5, Truncated: true}}},
				{TestID: "b", Status: StatusSuccess, Complete: true, Attachments: []Attachment{{Name: "g", MIME: mimeOctetStream, Data: []byte("xyz"), Size: 3}}},
			},
		},
		{
			name:  "attachment limit 0 keeps sizes only",
			opts:  []RecordOption{WithAttachmentLimit(0)},
			steps: []any{tev("a", StatusSuccess, chunk("f", "", "abc", true))},
			want:  []Record{{TestID: "a", Status: StatusSuccess, Complete: true, Attachments: []Attachment{{Name: "f", MIME: mimeOctetStream, Size: 3, Truncated: true}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			compareRecords(t, assemble(t, tt.steps, tt.opts...), tt.want)
		})
	}
}

func TestAssemblerParserErrorsOff(t *testing.T) {
	var got []*Record
	a, err := NewAssembler(func(r *Record) error { got = append(got, r); return nil }, WithParserErrors(false))
	if err != nil {
		t.Fatal(err)
	}
	pe := &PacketError{Offset: 3, Data: []byte{0xb3}, Err: &TruncatedError{Offset: 3, Want: 5, Got: 1}}
	if err := a.AddError(pe); err != pe {
		t.Errorf("AddError(PacketError) = %v, want it back", err)
	}
	if err := a.Close(); err != nil || len(got) != 0 {
		t.Errorf("Close = %v with %d records, want no record", err, len(got))
	}
}

func TestAssemblerAddErrorOther(t *testing.T) {
	a, err := NewAssembler(func(*Record) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	ioErr := errors.New("disk on fire")
	if err := a.AddError(ioErr); err != ioErr {
		t.Errorf("AddError(other) = %v, want it back", err)
	}
	if err := a.AddError(nil); err != nil {
		t.Errorf("AddError(nil) = %v", err)
	}
	// A wrapped PacketError is still a packet error.
	wrapped := fmt.Errorf("stream x: %w", &PacketError{Data: []byte{0xb3, 0}, Err: &ReservedError{Flags: 0x3000}})
	var got []*Record
	a, err = NewAssembler(func(r *Record) error { got = append(got, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := a.AddError(wrapped); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].TestID != ParserErrorTestID || string(got[0].Attachment(ParserErrorMessage).Data) != wrapped.Error() {
		t.Errorf("wrapped PacketError gave %+v", got)
	}
}

func TestAssemblerErrors(t *testing.T) {
	if _, err := NewAssembler(nil); err == nil {
		t.Error("NewAssembler(nil) succeeded")
	}
	for _, opt := range []RecordOption{WithAttachmentLimit(-1), WithAttachmentSink(nil)} {
		if _, err := NewAssembler(func(*Record) error { return nil }, opt); err == nil {
			t.Error("NewAssembler accepted a bad option")
		}
	}

	emitErr := errors.New("emit failed")
	a, err := NewAssembler(func(*Record) error { return emitErr })
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Add(nil); err == nil {
		t.Error("Add(nil) succeeded")
	}
	bad := tev("a", StatusUnknown)
	if err := a.Add(&bad); err == nil {
		t.Error("Add with StatusUnknown succeeded")
	}
	done := tev("a", StatusSuccess)
	if err := a.Add(&done); err != emitErr {
		t.Errorf("Add completing a record = %v, want emit's error", err)
	}
	open := tev("b", StatusInProgress)
	if err := a.Add(&open); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != emitErr {
		t.Errorf("Close = %v, want emit's error", err)
	}
	if err := a.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if err := a.Add(&open); !errors.Is(err, ErrAssemblerClosed) {
		t.Errorf("Add after Close = %v", err)
	}
	if err := a.AddError(&PacketError{}); !errors.Is(err, ErrAssemblerClosed) {
		t.Errorf("AddError after Close = %v", err)
	}

	sinkErr := errors.New("disk full")
	var got []*Record
	a, err = NewAssembler(func(r *Record) error { got = append(got, r); return nil },
		WithAttachmentSink(func(_, _, _, _ string, _ []byte, _ bool) error { return sinkErr }))
	if err != nil {
		t.Fatal(err)
	}
	e := tev("a", StatusFail, chunk("log", "", "x", true))
	if err := a.Add(&e); !errors.Is(err, sinkErr) {
		t.Errorf("Add with failing sink = %v", err)
	}
	if len(got) != 1 || got[0].Status != StatusFail {
		t.Errorf("the record is still emitted when the sink fails: got %d", len(got))
	}
}

type sinkCall struct {
	id, route, name, mime string
	n                     int
	eof                   bool
}

func TestAssemblerSink(t *testing.T) {
	var calls []sinkCall
	steps := []any{
		tev("a", StatusInProgress, routed("r")),
		tev("a", StatusUndefined, routed("r"), chunk("out", "", "", true)), // never seen: no call
		tev("a", StatusUndefined, routed("r"), chunk("log", "text/plain", "", false)),
		tev("a", StatusUndefined, routed("r"), chunk("log", "", "12", false)),
		tev("a", StatusUndefined, routed("r"), chunk("log", "text/x", "345", false)),
		tev("a", StatusSuccess, routed("r"), chunk("log", "", "", true)),
	}
	recs := assemble(t, steps, WithAttachmentLimit(0), WithAttachmentSink(func(id, route, name, mime string, c []byte, eof bool) error {
		calls = append(calls, sinkCall{id, route, name, mime, len(c), eof})
		return nil
	}))
	want := []sinkCall{
		{"a", "r", "log", mimeOctetStream, 2, false},
		{"a", "r", "log", mimeOctetStream, 3, false},
		{"a", "r", "log", mimeOctetStream, 0, true},
	}
	if !slices.Equal(calls, want) {
		t.Errorf("sink calls %+v, want %+v", calls, want)
	}
	compareRecords(t, recs, []Record{{TestID: "a", RouteCode: "r", Status: StatusSuccess, Complete: true,
		Attachments: []Attachment{{Name: "log", MIME: mimeOctetStream, Size: 5, Truncated: true}}}})
}

// TestAssemblerLargeAttachment streams a 10 MB attachment in 105 chunks:
// the record keeps the first MiB, the sink sees every byte, and chunks past
// the limit allocate nothing.
func TestAssemblerLargeAttachment(t *testing.T) {
	const chunkSize, chunks = 100_003, 105 // 10 MB; an odd size that doubling would overshoot
	buf := make([]byte, chunkSize)
	whole, sunk := sha256.New(), sha256.New()
	var sunkN int64
	var eofs int
	var got []*Record
	a, err := NewAssembler(func(r *Record) error { got = append(got, r); return nil },
		WithAttachmentSink(func(_, _, _, _ string, c []byte, eof bool) error {
			sunk.Write(c)
			sunkN += int64(len(c))
			if eof {
				eofs++
			}
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	start := tev("big", StatusInProgress, ts(1), tagged("worker-0"))
	if err := a.Add(&start); err != nil {
		t.Fatal(err)
	}
	ev := tev("big", StatusUndefined, ts(2), tagged("worker-0"), chunk("blob", "application/x-blob", "", false))
	ev.FileContent = buf
	var first []byte
	for i := range chunks {
		for j := range buf {
			buf[j] = byte(i*7 + j)
		}
		whole.Write(buf)
		if len(first) < DefaultAttachmentLimit {
			first = append(first, buf...)
		}
		if i == chunks-1 {
			ev.Flags |= FlagEOF
		}
		if err := a.Add(&ev); err != nil {
			t.Fatal(err)
		}
	}
	// Past the limit, a chunk of the open record allocates nothing.
	ev.Flags &^= FlagEOF
	if n := testing.AllocsPerRun(100, func() {
		if err := a.Add(&ev); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("a chunk past the limit allocates %v times", n)
	}
	end := tev("big", StatusSuccess, ts(3))
	if err := a.Add(&end); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d records", len(got))
	}
	b := got[0].Attachment("blob")
	total := int64(chunkSize * (chunks + 101))
	switch {
	case b == nil:
		t.Fatal("no attachment")
	case b.Size != total || !b.Truncated:
		t.Errorf("Size %d Truncated %v, want %d true", b.Size, b.Truncated, total)
	case !bytes.Equal(b.Data, first[:DefaultAttachmentLimit]):
		t.Errorf("Data is not the first %d bytes", DefaultAttachmentLimit)
	case cap(b.Data) > DefaultAttachmentLimit:
		t.Errorf("cap(Data) = %d, over the limit %d", cap(b.Data), DefaultAttachmentLimit)
	case b.MIME != "application/x-blob":
		t.Errorf("MIME %q", b.MIME)
	}
	if sunkN != total || eofs != 1 {
		t.Errorf("sink saw %d bytes and %d eofs, want %d and 1", sunkN, eofs, total)
	}
	// The sink saw the 105 chunks of the file, then 101 more copies of the last.
	for range 101 {
		whole.Write(buf)
	}
	if !bytes.Equal(whole.Sum(nil), sunk.Sum(nil)) {
		t.Error("sink bytes differ from the attachment")
	}
}

// TestAssemblerOpenRecordAllocs checks that events of an open record that
// bring nothing new to keep allocate nothing.
func TestAssemblerOpenRecordAllocs(t *testing.T) {
	a, err := NewAssembler(func(*Record) error { return nil }, WithAttachmentSink(func(string, string, string, string, []byte, bool) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	// Several open records, so that the key lookup is real.
	for i := range 50 {
		e := tev(fmt.Sprintf("tempest.api.compute.test_%03d", i), StatusInProgress, routed("3/1"), ts(i), tagged("worker-3", "smoke"))
		if err := a.Add(&e); err != nil {
			t.Fatal(err)
		}
	}
	id := "tempest.api.compute.test_017"
	first := tev(id, StatusUndefined, routed("3/1"), chunk("log", "text/plain", "x", false))
	if err := a.Add(&first); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		ev   Event
	}{
		{"status", tev(id, StatusInProgress, routed("3/1"), ts(99))},
		{"same tags in another order", tev(id, StatusUndefined, routed("3/1"), tagged("smoke", "worker-3", "smoke"))},
		{"empty chunk", tev(id, StatusUndefined, routed("3/1"), chunk("stdout", "text/plain", "", true))},
		{"eof of a known attachment", tev(id, StatusUndefined, routed("3/1"), chunk("log", "text/plain", "", true))},
		{"no test id", runEv(chunk("stdout", "", "text", false))},
	} {
		if n := testing.AllocsPerRun(200, func() {
			if err := a.Add(&tt.ev); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("%s: %v allocations per event", tt.name, n)
		}
	}
}

func TestRecordHelpers(t *testing.T) {
	r := &Record{Start: at(1), Stop: at(4), Attachments: []Attachment{att("a", "", "1"), att("b", "", "2")}}
	if d, ok := r.Duration(); !ok || d != 3*time.Second {
		t.Errorf("Duration = %v, %v", d, ok)
	}
	if _, ok := (&Record{Start: at(1)}).Duration(); ok {
		t.Error("Duration without Stop is known")
	}
	if a := r.Attachment("b"); a == nil || string(a.Data) != "2" {
		t.Errorf("Attachment(b) = %+v", a)
	}
	if a := r.Attachment("c"); a != nil {
		t.Errorf("Attachment(c) = %+v", a)
	}
}
