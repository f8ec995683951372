package subunit_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/refstack-go/refstack/subunit"
)

// printPackets prints each packet of a stream of packets shorter than 64
// bytes, whose length is then the one byte at offset 3.
func printPackets(stream []byte) {
	for len(stream) > 0 {
		n := int(stream[3])
		fmt.Printf("% x\n", stream[:n])
		stream = stream[n:]
	}
}

func ExampleWriter() {
	var buf bytes.Buffer
	w, err := subunit.NewWriter(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	events := []*subunit.Event{
		{ // "foo" exists: python-subunit's CONSTANT_ENUM
			Flags:  subunit.FlagTestID | subunit.FlagRunnable,
			Status: subunit.StatusExists,
			TestID: []byte("foo"),
		},
		{ // "bar" succeeded at a given time: CONSTANT_TIMESTAMP
			Flags:     subunit.FlagTestID | subunit.FlagTimestamp | subunit.FlagRunnable,
			Status:    subunit.StatusSuccess,
			TestID:    []byte("bar"),
			Timestamp: time.Date(2001, 12, 12, 12, 59, 59, 45000, time.UTC),
		},
	}
	for _, ev := range events {
		if err := w.Write(ev); err != nil {
			fmt.Println(err)
			return
		}
		// Each packet is flushed as it is written (WithFlushEachPacket).
		fmt.Printf("% x\n", buf.Bytes())
		buf.Reset()
	}
	// Output:
	// b3 29 01 0c 03 66 6f 6f 08 55 5f 1b
	// b3 2b 03 13 3c 17 54 cf 80 af c8 03 62 61 72 49 96 3e 2d
}

func ExampleWriter_WriteFile() {
	var buf bytes.Buffer
	w, err := subunit.NewWriter(&buf, subunit.WithMaxChunk(5))
	if err != nil {
		fmt.Println(err)
		return
	}
	// The attachment "log" of the failed test "t", read from a reader in
	// chunks of 5 bytes: the MIME type goes on the first packet, the status and
	// EOF on the last.
	ev := &subunit.Event{
		Flags:    subunit.FlagTestID,
		Status:   subunit.StatusFail,
		TestID:   []byte("t"),
		MIME:     []byte("text/plain"),
		FileName: []byte("log"),
	}
	if err := w.WriteFile(ev, strings.NewReader("hello, world")); err != nil {
		fmt.Println(err)
		return
	}
	printPackets(buf.Bytes())
	// Output:
	// b3 28 60 1f 01 74 0a 74 65 78 74 2f 70 6c 61 69 6e 03 6c 6f 67 05 68 65 6c 6c 6f 83 72 e9 c9
	// b3 28 40 14 01 74 03 6c 6f 67 05 2c 20 77 6f 72 20 27 1f e0
	// b3 28 56 11 01 74 03 6c 6f 67 02 6c 64 1f c8 96 f4
}

func ExampleWithMaxChunk() {
	var buf bytes.Buffer
	w, err := subunit.NewWriter(&buf, subunit.WithMaxChunk(4))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Content longer than the chunk size is split by Write too.
	ev := &subunit.Event{
		Flags:       subunit.FlagFile | subunit.FlagEOF,
		FileName:    []byte("out"),
		FileContent: []byte("abcdef"),
	}
	if err := w.Write(ev); err != nil {
		fmt.Println(err)
		return
	}
	printPackets(buf.Bytes())
	// Output:
	// b3 20 40 11 03 6f 75 74 04 61 62 63 64 34 5b 40 f1
	// b3 20 50 0f 03 6f 75 74 02 65 66 eb 3b 89 e3
}

func ExampleWithFlushEachPacket() {
	var buf bytes.Buffer
	w, err := subunit.NewWriter(&buf, subunit.WithFlushEachPacket(false))
	if err != nil {
		fmt.Println(err)
		return
	}
	ev := &subunit.Event{Flags: subunit.FlagTestID, Status: subunit.StatusSkip, TestID: []byte("x")}
	for range 3 {
		if err := w.Write(ev); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("before Flush:", buf.Len(), "bytes")
	if err := w.Flush(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("after Flush:", buf.Len(), "bytes")
	// Output:
	// before Flush: 0 bytes
	// after Flush: 30 bytes
}
