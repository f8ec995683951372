package submit

import (
	"bytes"
	"io"
	"testing"

	"github.com/refstack-go/refstack/subunit"
)

// testdata/v1.subunit is a hand-written subunit v1 stream with every outcome
// and the test-id shapes refstack-client treats specially. testdata/v2.subunit
// is the same stream in subunit v2: every event of v1.subunit, as
// subunit.Reader translates it, written again by subunit.Writer. go test
// -update rewrites it; otherwise this test checks it still matches.
func TestV2Fixture(t *testing.T) {
	golden(t, "v2.subunit", v1ToV2(t, readTestdata(t, "v1.subunit")))
}

// v1ToV2 rewrites a stream as pure subunit v2.
func v1ToV2(t *testing.T, v1 []byte) []byte {
	t.Helper()
	rd, err := subunit.NewReader(bytes.NewReader(v1), subunit.WithStrict())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w, err := subunit.NewWriter(&out)
	if err != nil {
		t.Fatal(err)
	}
	for {
		ev, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if out.Len() == 0 || out.Bytes()[0] != 0xB3 {
		t.Fatal("v2 stream does not start with a packet")
	}
	return out.Bytes()
}
