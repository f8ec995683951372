package submit

import (
	"encoding/json"
	"errors"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/refstack-go/refstack/internal/testenv"
)

var sample = &Results{
	CPID:            "a7fd82e13f0f6eba9f65d753a9e6dd4d",
	DurationSeconds: 2342,
	Results: []Result{
		{Name: "tempest.api.compute.test_a", UUID: "9a438d88-10c6-4bcd-8b5b-5b6e25e1346f"},
		{Name: "tempest.api.identity.test_b"},
	},
}

func TestBodyAndFile(t *testing.T) {
	wantBody := `{"cpid": "a7fd82e13f0f6eba9f65d753a9e6dd4d", "duration_seconds": 2342, "results": [` +
		`{"name": "tempest.api.compute.test_a", "uuid": "9a438d88-10c6-4bcd-8b5b-5b6e25e1346f"}, {"name": "tempest.api.identity.test_b"}]}`
	if got := string(sample.Body()); got != wantBody {
		t.Errorf("Body() =\n%s\nwant\n%s", got, wantBody)
	}
	wantFile := `{
    "cpid": "a7fd82e13f0f6eba9f65d753a9e6dd4d",
    "duration_seconds": 2342,
    "results": [
        {
            "name": "tempest.api.compute.test_a",
            "uuid": "9a438d88-10c6-4bcd-8b5b-5b6e25e1346f"
        },
        {
            "name": "tempest.api.identity.test_b"
        }
    ]
}`
	if got := string(sample.File()); got != wantFile {
		t.Errorf("File() =\n%s\nwant\n%s", got, wantFile)
	}
	for _, b := range [][]byte{sample.Body(), sample.File()} {
		got, err := ParseResults(b)
		if err != nil || !reflect.DeepEqual(got, sample) {
			t.Errorf("ParseResults(%s) = %+v, %v; want the sample back", b, got, err)
		}
	}
}

func TestPyStringEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", `"plain"`},
		{`q"b\s/`, `"q\"b\\s/"`},
		{"\n\r\t\b\f", `"\n\r\t\b\f"`},
		{"\x00\x1f\x7f", `"\u0000\u001f\u007f"`},
		{"<&>", `"<&>"`}, // no HTML escaping
		{"é€\u2028", `"\u00e9\u20ac\u2028"`},
		{"😀", `"\ud83d\ude00"`},
		{"a\xffb", `"a\ufffdb"`},
	}
	for _, tt := range tests {
		if got := string(appendPyString(nil, tt.in)); got != tt.want {
			t.Errorf("appendPyString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// Python's json.dumps is the reference for the string escapes.
func TestPyStringMatchesPython(t *testing.T) {
	py := testenv.Python(t)
	var in []string
	for r := rune(0); r < 0x300; r++ {
		in = append(in, string(r))
	}
	in = append(in, "\u2028\u2029\ufeff\uffff", "😀𝄞", "mixed \"quotes\" and \\ é\t")
	arg, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", "import json,sys\nfor s in json.load(sys.stdin): print(json.dumps(s))")
	cmd.Stdin = strings.NewReader(string(arg))
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(in) {
		t.Fatalf("python printed %d lines for %d strings", len(lines), len(in))
	}
	for i, s := range in {
		if got := string(appendPyString(nil, s)); got != lines[i] {
			t.Errorf("%q: ours %s, python %s", s, got, lines[i])
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		r    Results
		want string // substring of the error; "" for none
	}{
		{"ok", *sample, ""},
		{"no cpid", Results{Results: sample.Results}, "empty cpid"},
		{"negative duration", Results{CPID: "c", DurationSeconds: -1, Results: sample.Results}, "negative duration_seconds -1"},
		{"no results", Results{CPID: "c"}, "no passed test"},
		{"empty name", Results{CPID: "c", Results: []Result{{Name: "a"}, {UUID: "u"}}}, ""},
	}
	for _, tt := range tests {
		err := tt.r.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalidResults)):
			t.Errorf("%s: err = %v, want ErrInvalidResults with %q", tt.name, err, tt.want)
		}
	}
}

var parseResultsErrors = []struct {
	in, want string
}{
	{``, "not a JSON object"},
	{`[]`, "not a JSON object"},
	{`null`, "not a JSON object"},
	{`{"cpid": "c", "duration_seconds": 1, "results": []} x`, "data after the JSON object"},
	{`{"duration_seconds": 1, "results": []}`, `missing key "cpid"`},
	{`{"cpid": "c", "results": []}`, `missing key "duration_seconds"`},
	{`{"cpid": "c", "duration_seconds": 1}`, `missing key "results"`},
	{`{"cpid": "c", "duration_seconds": 1, "results": [], "meta": {}}`, `unknown key "meta"`},
	{`{"cpid": 1, "duration_seconds": 1, "results": []}`, "cpid: want a string, got 1"},
	{`{"cpid": null, "duration_seconds": 1, "results": []}`, "cpid: want a string"},
	{`{"cpid": "c", "duration_seconds": 1.5, "results": []}`, "duration_seconds: want an integer, got 1.5"},
	{`{"cpid": "c", "duration_seconds": 1e3, "results": []}`, "duration_seconds: want an integer"},
	{`{"cpid": "c", "duration_seconds": "1", "results": []}`, "duration_seconds: want an integer"},
	{`{"cpid": "c", "duration_seconds": 99999999999999999999, "results": []}`, "duration_seconds:"},
	{`{"cpid": "c", "duration_seconds": 1, "results": {}}`, "results: want an array of objects"},
	{`{"cpid": "c", "duration_seconds": 1, "results": null}`, "results: want an array of objects"},
	{`{"cpid": "c", "duration_seconds": 1, "results": ["a"]}`, "results: want an array of objects"},
	{`{"cpid": "c", "duration_seconds": 1, "results": [null]}`, "results[0]: want an object, got null"},
	{`{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a"}, {}]}`, `results[1]: missing key "name"`},
	{`{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a", "uid": "x"}]}`, `results[0]: unknown key "uid"`},
	{`{"cpid": "c", "duration_seconds": 1, "results": [{"name": 5}]}`, "results[0].name: want a string, got 5"},
	{`{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a", "uuid": null}]}`, "results[0].uuid: want a string, got null"},
}

func TestParseResultsErrors(t *testing.T) {
	for _, tt := range parseResultsErrors {
		_, err := ParseResults([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalidResults) {
			t.Errorf("ParseResults(%s) = %v, want ErrInvalidResults with %q", tt.in, err, tt.want)
		}
	}
}

func TestParseResultsAccepts(t *testing.T) {
	// Any key order, any spacing, unicode escapes, an empty results list.
	got, err := ParseResults([]byte("\n{ \"results\":[{\"uuid\":\"u\",\"name\":\"caf\\u00e9\"}],\"duration_seconds\":-0,\"cpid\":\"c\"}\n"))
	want := &Results{CPID: "c", Results: []Result{{Name: "café", UUID: "u"}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
	got, err = ParseResults([]byte(`{"cpid": "c", "duration_seconds": 0, "results": []}`))
	if err != nil || got.Results == nil || len(got.Results) != 0 {
		t.Errorf("empty results: %+v, %v", got, err)
	}
}

// FuzzParseResults: no panic, and what parses encodes to a body that parses
// back to the same document.
func FuzzParseResults(f *testing.F) {
	f.Add(sample.Body())
	f.Add(sample.File())
	for _, tt := range parseResultsErrors {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseResults(data)
		if err != nil {
			return
		}
		valid := utf8.ValidString(r.CPID)
		for _, res := range r.Results {
			valid = valid && utf8.ValidString(res.Name) && utf8.ValidString(res.UUID)
		}
		for _, b := range [][]byte{r.Body(), r.File()} {
			r2, err := ParseResults(b)
			if err != nil {
				t.Fatalf("re-encoded %s does not parse: %v", b, err)
			}
			if valid && !reflect.DeepEqual(r, r2) {
				t.Fatalf("round trip: %+v became %+v", r, r2)
			}
		}
	})
}
