package subunit_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/refstack-go/refstack/subunit"
)

// Read a stream that mixes a v2 packet, plain text and a v1 test.
func ExampleReader() {
	var stream bytes.Buffer
	// "foo exists", as python-subunit writes it.
	stream.Write([]byte{0xb3, 0x29, 0x01, 0x0c, 0x03, 'f', 'o', 'o', 0x08, 0x55, 0x5f, 0x1b})
	stream.WriteString("chatter\ntest: bar\nsuccess: bar\n")

	r, err := subunit.NewReader(&stream)
	if err != nil {
		log.Fatal(err)
	}
	for ev, err := range r.All() {
		if err != nil {
			log.Fatal(err)
		}
		switch {
		case ev.Passthrough:
			fmt.Printf("text %q\n", ev.FileContent)
		default:
			fmt.Printf("%s %s\n", ev.TestID, ev.Status)
		}
	}
	// Output:
	// foo exists
	// text "chatter\n"
	// bar inprogress
	// bar success
}

// Bad packets are reported with their position; lenient mode reads on.
func ExampleReader_Next_badPacket() {
	good := []byte{0xb3, 0x29, 0x03, 0x0c, 0x03, 'f', 'o', 'o', 0x45, 0x9d, 0xfe, 0x10}
	bad := bytes.Clone(good)
	bad[len(bad)-1] = 0 // break the CRC
	r, _ := subunit.NewReader(bytes.NewReader(append(bad, good...)))
	for ev, err := range r.All() {
		var ce *subunit.ChecksumError
		if errors.As(err, &ce) {
			fmt.Println("skipped:", strings.TrimPrefix(err.Error(), "subunit: "))
			continue
		}
		fmt.Printf("%s %s at byte %d\n", ev.TestID, ev.Status, ev.Offset)
	}
	// Output:
	// skipped: packet at byte 0: bad CRC32 at byte 0: computed 0x459dfe10, stored 0x459dfe00
	// foo success at byte 12
}

// Decode on a second core while this one counts: the events are the same.
func ExampleWithReadAhead() {
	var stream bytes.Buffer
	w, _ := subunit.NewWriter(&stream)
	for i := range 1000 {
		id := []byte(fmt.Sprintf("test_%d", i))
		status := subunit.StatusSuccess
		if i%100 == 0 {
			status = subunit.StatusFail
		}
		w.Write(&subunit.Event{Flags: subunit.FlagTestID, Status: status, TestID: id})
	}

	r, err := subunit.NewReader(&stream, subunit.WithReadAhead())
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close() // needed only when the loop may stop before the end
	var stats subunit.Stats
	for rec, err := range subunit.Records(r) {
		if err != nil {
			log.Fatal(err)
		}
		stats.Add(rec)
	}
	fmt.Println(stats.Total(), "tests,", stats.Failed(), "failed")
	// Output:
	// 1000 tests, 10 failed
}
