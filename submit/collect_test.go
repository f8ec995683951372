package submit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"testing/iotest"
	"time"

	"github.com/refstack-go/refstack/internal/testenv"
	"github.com/refstack-go/refstack/subunit"
)

// The results documents of the repository's streams are golden: v1 and v2
// give the same passed tests in the same order.
func TestCollectGolden(t *testing.T) {
	var docs [][]byte
	for _, name := range []string{"v1.subunit", "v2.subunit"} {
		c, err := CollectStream(bytes.NewReader(readTestdata(t, name)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		doc := c.Document("0123456789abcdef0123456789abcdef", 92)
		golden(t, name+".json", doc.File())
		golden(t, name+".body", doc.Body())
		docs = append(docs, doc.Body())
	}
	if !bytes.Equal(docs[0], docs[1]) {
		t.Errorf("v1 and v2 differ:\n%s\n%s", docs[0], docs[1])
	}
}

func TestCollectRules(t *testing.T) {
	c, err := CollectStream(bytes.NewReader(readTestdata(t, "v1.subunit")))
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(c.Results()))
	for _, r := range c.Results() {
		names = append(names, r.Name)
	}
	// Only successes count; failures, errors, skips, xfail, uxsuccess,
	// setUpClass errors and the test left open do not.
	for _, bad := range []string{"test_fail", "test_error", "test_skip", "test_xfail", "test_uxsuccess", "setUpClass", "test_open_at_end", "test_other"} {
		for _, n := range names {
			if bytes.Contains([]byte(n), []byte(bad)) {
				t.Errorf("%q is listed as passed", n)
			}
		}
	}
	if len(names) != 17 {
		t.Errorf("%d passed, want 17: %q", len(names), names)
	}
	// A test that passed twice is listed twice, in stream order.
	twice := "tempest.api.object_storage.test_container.ContainerTest.test_twice"
	if i := slices.Index(names, twice); i < 0 || names[i+1] != twice {
		t.Errorf("test_twice not listed twice in a row: %q", names)
	}
	if c.Records() != 24 {
		t.Errorf("Records() = %d, want 24", c.Records())
	}
	span, ok := c.Span()
	if want := 92*time.Second + 750*time.Millisecond; !ok || span != want {
		t.Errorf("Span() = %v, %v; want %v", span, ok, want)
	}
}

func TestCollectorZero(t *testing.T) {
	var c Collector
	if _, ok := c.Span(); ok {
		t.Error("empty collector has a span")
	}
	doc := c.Document("x", 0)
	if got := string(doc.Body()); got != `{"cpid": "x", "duration_seconds": 0, "results": []}` {
		t.Errorf("Body() = %s", got)
	}
	if got := string(doc.File()); got != "{\n    \"cpid\": \"x\",\n    \"duration_seconds\": 0,\n    \"results\": []\n}" {
		t.Errorf("File() = %q", got)
	}
	if err := doc.Validate(); !errors.Is(err, ErrInvalidResults) {
		t.Errorf("Validate() = %v, want ErrInvalidResults for no results", err)
	}
	c.Add(&subunit.Record{TestID: "a", Status: subunit.StatusSuccess, Complete: true})
	doc2 := c.Document("x", 0)
	if len(doc.Results) != 0 || len(doc2.Results) != 1 {
		t.Errorf("Document does not copy: %d then %d results", len(doc.Results), len(doc2.Results))
	}
}

func TestCollectStreamErrors(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := CollectStream(io.MultiReader(bytes.NewReader(readTestdata(t, "v2.subunit")[:100]), iotest.ErrReader(boom)))
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want the source's error", err)
	}
	// Garbage is not an error: it is not subunit, so nothing passed.
	c, err := CollectStream(bytes.NewReader([]byte("\xb3\x29garbage\nmore\n")))
	if err != nil || len(c.Results()) != 0 {
		t.Errorf("garbage: %v, %d results; want no error and none", err, len(c.Results()))
	}
}

// refstack-client builds the results document from a v1 stream with its own
// code (SubunitProcessor, _form_result_content); its upload body (json.dumps)
// and its results file (_save_json_results) must equal ours byte for byte.
func TestSameAsRefstackClient(t *testing.T) {
	py := testenv.Python(t, "refstack_client.subunit_processor", "refstack_client.refstack_client")
	dir := t.TempDir()
	stream, err := filepath.Abs(filepath.Join("testdata", "v1.subunit"))
	if err != nil {
		t.Fatal(err)
	}
	// Arguments: the stream, then (cpid, duration, body path, file path) per case.
	script := `
import json, sys
from refstack_client.subunit_processor import SubunitProcessor
from refstack_client.refstack_client import RefstackClient
args = sys.argv[1:]
results = SubunitProcessor(args[0]).process_stream()
for i in range(1, len(args), 4):
    cpid, duration, body_path, file_path = args[i:i+4]
    content = RefstackClient._form_result_content(None, cpid, int(duration), results)
    with open(body_path, "w") as f:
        f.write(json.dumps(content))
    RefstackClient._save_json_results(None, content, file_path)
`
	cases := []struct {
		cpid     string
		duration int64
	}{
		{"0123456789abcdef0123456789abcdef", 92},
		{"caf\u00e9 \"cloud\"\n", 0},
	}
	args := []string{"-c", script, stream}
	for i, tt := range cases {
		args = append(args, tt.cpid, strconv.FormatInt(tt.duration, 10),
			filepath.Join(dir, fmt.Sprintf("body%d", i)), filepath.Join(dir, fmt.Sprintf("file%d", i)))
	}
	cmd := exec.Command(py, args...)
	cmd.Dir = dir // refstack-client's imports may write a log file in the working directory
	cmd.Env = append(os.Environ(), "PYTHONUTF8=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("refstack-client: %v\n%s", err, out)
	}
	c, err := CollectStream(bytes.NewReader(readTestdata(t, "v1.subunit")))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Results()) != 17 {
		t.Errorf("%d results, want 17", len(c.Results()))
	}
	for i, tt := range cases {
		doc := c.Document(tt.cpid, tt.duration)
		for _, cmp := range []struct {
			what, path string
			got        []byte
		}{
			{"upload body", filepath.Join(dir, fmt.Sprintf("body%d", i)), doc.Body()},
			{"results file", filepath.Join(dir, fmt.Sprintf("file%d", i)), doc.File()},
		} {
			want, err := os.ReadFile(cmp.path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(cmp.got, want) {
				t.Errorf("case %d: %s differs from refstack-client's:\nours:   %s\ntheirs: %s", i, cmp.what, cmp.got, want)
			}
		}
	}
}

// python-subunit's own v1-to-v2 conversion reads the same as ours.
func TestSubunit1to2Parity(t *testing.T) {
	tool := testenv.Tool(t, "/usr/bin/subunit-1to2")
	cmd := exec.Command(tool)
	cmd.Stdin = bytes.NewReader(readTestdata(t, "v1.subunit"))
	v2, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	theirs, err := CollectStream(bytes.NewReader(v2))
	if err != nil {
		t.Fatal(err)
	}
	ours, err := CollectStream(bytes.NewReader(readTestdata(t, "v2.subunit")))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := theirs.Document("c", 1).Body(), ours.Document("c", 1).Body(); !bytes.Equal(a, b) {
		t.Errorf("subunit-1to2 stream gives\n%s\nours gives\n%s", a, b)
	}
}
