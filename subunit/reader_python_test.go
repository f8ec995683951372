package subunit

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

// pyDumpEvents prints, as one JSON list, the events python-subunit's v2 reader
// gives for a file, in the normalised shape of vectors.json.
const pyDumpEvents = `
import sys, json
from subunit import v2
from testtools import StreamResult

class Dump(StreamResult):
    def __init__(self):
        super().__init__()
        self.out = []
    def status(self, test_id=None, test_status=None, test_tags=None, runnable=True,
               file_name=None, file_bytes=None, eof=False, mime_type=None,
               route_code=None, timestamp=None):
        if file_name == "Packet data" and test_id == "subunit.parser":
            self.out.append({"parser_error": "?", "packet_data": bytes(file_bytes).hex()})
            return
        if test_id == "subunit.parser":
            self.out[-1]["parser_error"] = bytes(file_bytes).decode()
            return
        if test_id is None and file_name == "stdout" and test_status is None and mime_type is None:
            if self.out and "stdout" in self.out[-1]:
                self.out[-1]["stdout"] += bytes(file_bytes).hex()
            else:
                self.out.append({"stdout": bytes(file_bytes).hex()})
            return
        e = {"runnable": runnable}
        if test_id is not None: e["test_id"] = test_id
        if test_status is not None: e["status"] = test_status
        if test_tags is not None: e["tags"] = sorted(test_tags)
        if file_name is not None:
            e["file_name"] = file_name
            e["file_bytes"] = bytes(file_bytes).hex()
        if eof: e["eof"] = True
        if mime_type is not None: e["mime"] = mime_type
        if route_code is not None: e["route_code"] = route_code
        if timestamp is not None: e["timestamp"] = timestamp.isoformat()
        self.out.append(e)

d = Dump()
with open(sys.argv[1], "rb") as f:
    v2.ByteStreamToStreamResult(f, non_subunit_name="stdout").run(d)
json.dump(d.out, sys.stdout)
`

// TestReaderMatchesPython reads each real stream and compares every event
// with what python-subunit's reader reports for it.
func TestReaderMatchesPython(t *testing.T) {
	py := testenv.Python(t, "subunit", "testtools")
	files, _ := filepath.Glob(filepath.Join(testenv.Shared(t, "fixtures", "subunit"), "*.subunit"))
	if len(files) == 0 {
		t.Skip("no fixture streams found")
	}
	script := filepath.Join(t.TempDir(), "dump.py")
	if err := os.WriteFile(script, []byte(pyDumpEvents), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			out, err := exec.Command(py, script, file).Output()
			if err != nil {
				t.Fatalf("python: %v", err)
			}
			var want []map[string]any
			if err := json.Unmarshal(out, &want); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			evs, errs := readAll(t, bytes.NewReader(data), WithV1(false))
			got := normalize(evs, errs)
			if len(got) != len(want) {
				t.Fatalf("got %d events, python %d", len(got), len(want))
			}
			for i := range got {
				if !jsonEqual(got[i:i+1], want[i:i+1]) {
					g, _ := json.Marshal(got[i])
					w, _ := json.Marshal(want[i])
					t.Errorf("event %d:\n got  %s\n want %s", i, g, w)
				}
			}
		})
	}
}
