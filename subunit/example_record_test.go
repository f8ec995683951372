package subunit_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/refstack-go/refstack/subunit"
)

func ExampleAssembler() {
	a, err := subunit.NewAssembler(func(r *subunit.Record) error {
		d, _ := r.Duration()
		fmt.Printf("%s %v complete=%v tags=%v took %v\n", r.TestID, r.Status, r.Complete, r.Tags, d)
		for _, at := range r.Attachments {
			fmt.Printf("  %s (%s): %q\n", at.Name, at.MIME, at.Data)
		}
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	events := []subunit.Event{
		{Flags: subunit.FlagTestID | subunit.FlagTimestamp, Status: subunit.StatusInProgress,
			TestID: []byte("test_a"), Timestamp: t0},
		{Flags: subunit.FlagTestID | subunit.FlagTimestamp, Status: subunit.StatusInProgress,
			TestID: []byte("test_b"), Timestamp: t0},
		{Flags: subunit.FlagTestID | subunit.FlagTimestamp | subunit.FlagFile | subunit.FlagMIME | subunit.FlagEOF,
			TestID: []byte("test_a"), Timestamp: t0.Add(time.Second),
			FileName: []byte("traceback"), MIME: []byte("text/plain"), FileContent: []byte("boom")},
		{Flags: subunit.FlagTestID | subunit.FlagTimestamp | subunit.FlagTags, Status: subunit.StatusFail,
			TestID: []byte("test_a"), Timestamp: t0.Add(2 * time.Second), Tags: [][]byte{[]byte("worker-0")}},
	}
	for i := range events {
		if err := a.Add(&events[i]); err != nil {
			fmt.Println(err)
			return
		}
	}
	// test_b never finished: Close hands it out incomplete.
	if err := a.Close(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// test_a fail complete=true tags=[worker-0] took 2s
	//   traceback (text/plain): "boom"
	// test_b inprogress complete=false tags=[] took 0s
}

func ExampleWithAttachmentSink() {
	a, err := subunit.NewAssembler(
		func(r *subunit.Record) error {
			at := r.Attachment("log")
			fmt.Printf("%s kept %d of %d bytes\n", r.TestID, len(at.Data), at.Size)
			return nil
		},
		subunit.WithAttachmentLimit(4),
		subunit.WithAttachmentSink(func(testID, routeCode, name, mime string, chunk []byte, eof bool) error {
			// A real sink would write to a file; chunk is only valid until it returns.
			fmt.Printf("sink %s/%s: %q eof=%v\n", testID, name, chunk, eof)
			return nil
		}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	file := subunit.FlagTestID | subunit.FlagFile
	for _, ev := range []subunit.Event{
		{Flags: file, TestID: []byte("t"), FileName: []byte("log"), FileContent: []byte("first ")},
		{Flags: file | subunit.FlagEOF, TestID: []byte("t"), FileName: []byte("log"), FileContent: []byte("second")},
		{Flags: subunit.FlagTestID, Status: subunit.StatusSuccess, TestID: []byte("t")},
	} {
		if err := a.Add(&ev); err != nil {
			fmt.Println(err)
			return
		}
	}
	// Output:
	// sink t/log: "first " eof=false
	// sink t/log: "second" eof=true
	// t kept 4 of 12 bytes
}

func ExampleStats() {
	var s subunit.Stats
	for _, r := range []subunit.Record{
		{TestID: "a", Status: subunit.StatusSuccess, Tags: []string{"worker-0"}},
		{TestID: "b", Status: subunit.StatusFail, Tags: []string{"worker-1"}},
		{TestID: "c", Status: subunit.StatusSkip},
		{TestID: "d", Status: subunit.StatusXFail},
		{TestID: "e", Status: subunit.StatusInProgress}, // never finished
		{TestID: "f", Status: subunit.StatusExists},     // only listed
	} {
		s.Add(&r)
	}
	if _, err := s.WriteTo(os.Stdout); err != nil {
		fmt.Println(err)
	}
	fmt.Println("successful:", s.Successful())
	// Output:
	// Total tests:       5
	// Passed tests:      2
	// Failed tests:      2
	// Skipped tests:     1
	// Seen tags: worker-0, worker-1
	// successful: false
}

func ExampleWithParserErrors() {
	// "foo exists" with a damaged CRC, then a good packet.
	var stream bytes.Buffer
	stream.WriteString("\xb3\x29\x01\x0c\x03foo\x00\x00\x00\x00")
	w, err := subunit.NewWriter(&stream)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := w.Write(&subunit.Event{Flags: subunit.FlagTestID, Status: subunit.StatusSuccess, TestID: []byte("bar")}); err != nil {
		fmt.Println(err)
		return
	}
	if err := w.Flush(); err != nil {
		fmt.Println(err)
		return
	}
	data := stream.Bytes()

	// By default a bad packet is a failed test, as python-subunit reports it.
	r, err := subunit.NewReader(bytes.NewReader(data))
	if err != nil {
		fmt.Println(err)
		return
	}
	for rec, err := range subunit.Records(r) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(rec.TestID, rec.Status)
		for _, at := range rec.Attachments {
			fmt.Printf("  %s: %q\n", at.Name, at.Data)
		}
	}

	// WithParserErrors(false) yields it as an error instead.
	r, err = subunit.NewReader(bytes.NewReader(data))
	if err != nil {
		fmt.Println(err)
		return
	}
	for rec, err := range subunit.Records(r, subunit.WithParserErrors(false)) {
		var pe *subunit.PacketError
		switch {
		case errors.As(err, &pe):
			fmt.Printf("bad packet at byte %d (%d bytes)\n", pe.Offset, len(pe.Data))
		case err != nil:
			fmt.Println("error:", err)
			return
		default:
			fmt.Println(rec.TestID, rec.Status)
		}
	}
	// Output:
	// subunit.parser fail
	//   Packet data: "\xb3)\x01\f\x03foo\x00\x00\x00\x00"
	//   Parser Error: "subunit: packet at byte 0: bad CRC32 at byte 0: computed 0x08555f1b, stored 0x00000000"
	// bar success
	// bad packet at byte 0 (12 bytes)
	// bar success
}
