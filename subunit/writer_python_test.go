package subunit_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/refstack-go/refstack/internal/testenv"
	"github.com/refstack-go/refstack/subunit"
)

// pythonEncodeScript writes each event of the JSON file argv[1] with
// python-subunit's StreamResultToBytes and prints the bytes, one event a line,
// in hex.
const pythonEncodeScript = `
import datetime, io, json, sys
from subunit.v2 import StreamResultToBytes

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
with open(sys.argv[1]) as f:
    events = json.load(f)
for e in events:
    kw = dict(test_id=e["test_id"], test_status=e["status"], runnable=e["runnable"],
              eof=e["eof"], mime_type=e["mime"], route_code=e["route_code"])
    if e["tags"] is not None:
        kw["test_tags"] = set(e["tags"])
    if e["file_name"] is not None:
        kw["file_name"] = e["file_name"]
        kw["file_bytes"] = bytes.fromhex(e["file_bytes"])
    if e["ts"] is not None:
        kw["timestamp"] = EPOCH + datetime.timedelta(seconds=e["ts"][0], microseconds=e["ts"][1])
    out = io.BytesIO()
    StreamResultToBytes(out).status(**kw)
    print(out.getvalue().hex())
`

// pyEvent is an event as pythonEncodeScript reads it; nil means None.
type pyEvent struct {
	TestID    *string   `json:"test_id"`
	Status    *string   `json:"status"`
	Tags      []string  `json:"tags"`
	Runnable  bool      `json:"runnable"`
	FileName  *string   `json:"file_name"`
	FileBytes string    `json:"file_bytes"`
	EOF       bool      `json:"eof"`
	MIME      *string   `json:"mime"`
	RouteCode *string   `json:"route_code"`
	TS        *[2]int64 `json:"ts"` // seconds, microseconds
}

// TestWriterMatchesPython encodes random events with the Writer and with
// python-subunit and compares the bytes. The events have at most one tag
// (python writes a set, in no fixed order), microsecond timestamps (python
// drops nanoseconds) and an explicit runnable flag.
func TestWriterMatchesPython(t *testing.T) {
	py := testenv.Python(t, "subunit.v2")
	rng := rand.New(rand.NewPCG(20240601, 42))
	const n = 400
	evs := make([]*subunit.Event, n)
	pys := make([]pyEvent, n)
	for i := range evs {
		evs[i], pys[i] = randomPythonEvent(rng)
	}

	dir := t.TempDir()
	script := filepath.Join(dir, "encode.py")
	input := filepath.Join(dir, "events.json")
	data, err := json.Marshal(pys)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(input, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, []byte(pythonEncodeScript), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, script, input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.Bytes())
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != n {
		t.Fatalf("python wrote %d packets, want %d", len(lines), n)
	}
	var all bytes.Buffer
	for i, ev := range evs {
		want, err := hex.DecodeString(lines[i])
		if err != nil {
			t.Fatal(err)
		}
		all.Write(want)
		if got := encode(t, nil, ev); !bytes.Equal(got, want) {
			t.Errorf("event %d %+v:\n go     %x\n python %x", i, pys[i], got, want)
		}
	}
	// One Writer for all events writes the concatenation.
	if got := encode(t, []subunit.WriterOption{subunit.WithFlushEachPacket(false)}, evs...); !bytes.Equal(got, all.Bytes()) {
		t.Error("the stream of all events differs from python's")
	}
}

// randomPythonEvent returns an event and its description for python.
func randomPythonEvent(rng *rand.Rand) (*subunit.Event, pyEvent) {
	ev := &subunit.Event{}
	var py pyEvent
	maybe := func(p float64) bool { return rng.Float64() < p }
	str := func() (*string, []byte) {
		s := randomString(rng)
		return &s, []byte(s)
	}
	if maybe(0.8) {
		ev.Flags |= subunit.FlagTestID
		py.TestID, ev.TestID = str()
	}
	ev.Status = subunit.Status(rng.IntN(8))
	if ev.Status != subunit.StatusUndefined {
		s := ev.Status.String()
		py.Status = &s
	}
	switch rng.IntN(4) {
	case 0: // no tags
	case 1: // an empty set: python and the Writer both omit it
		ev.Tags, py.Tags = [][]byte{}, []string{}
	default:
		s := randomString(rng)
		ev.Tags, py.Tags = [][]byte{[]byte(s)}, []string{s}
	}
	if maybe(0.7) {
		ev.Flags |= subunit.FlagRunnable
		py.Runnable = true
	}
	if maybe(0.5) {
		ev.Flags |= subunit.FlagFile
		py.FileName, ev.FileName = str()
		var size int
		switch rng.IntN(6) {
		case 0:
			size = 0
		case 1:
			size = 16360 + rng.IntN(40) // around the 2/3-byte length boundary
		case 2:
			size = 20000 + rng.IntN(5000)
		default:
			size = rng.IntN(100)
		}
		ev.FileContent = make([]byte, size)
		for i := range ev.FileContent {
			ev.FileContent[i] = byte(rng.Uint32())
		}
		py.FileBytes = hex.EncodeToString(ev.FileContent)
	}
	if maybe(0.3) {
		ev.Flags |= subunit.FlagEOF
		py.EOF = true
	}
	if maybe(0.4) {
		py.MIME, ev.MIME = str() // an empty MIME type is omitted by both
	}
	if maybe(0.3) {
		ev.Flags |= subunit.FlagRouteCode
		py.RouteCode, ev.RouteCode = str()
	}
	if maybe(0.7) {
		var sec, usec int64
		switch rng.IntN(5) {
		case 0:
			sec, usec = 0, 0
		case 1:
			sec, usec = 0xFFFFFFFF, 999999
		default:
			sec, usec = int64(rng.Uint32()), rng.Int64N(1000000)
		}
		ev.Flags |= subunit.FlagTimestamp
		ev.Timestamp = time.Unix(sec, usec*1000)
		py.TS = &[2]int64{sec, usec}
	}
	return ev, py
}

// randomString returns a UTF-8 string without NUL, of 0 to about 200 bytes,
// with multibyte characters.
func randomString(rng *rand.Rand) string {
	alphabet := []string{"a", "z", "Q", "0", ".", "/", " ", "_", "-", "[", "é", "ß", "☃", "中", "𝄞", "\n"}
	var n int
	switch rng.IntN(5) {
	case 0:
		n = 0
	case 1:
		n = 55 + rng.IntN(20) // around the 1/2-byte varint boundary
	case 2:
		n = rng.IntN(200)
	default:
		n = 1 + rng.IntN(12)
	}
	var sb strings.Builder
	for range n {
		sb.WriteString(alphabet[rng.IntN(len(alphabet))])
	}
	return sb.String()
}
