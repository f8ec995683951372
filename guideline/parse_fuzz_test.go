package guideline_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/refstack-go/refstack/guideline"
)

// FuzzParse checks Parse never panics, accepts exactly the syntactically
// valid JSON objects that encoding/json accepts (or rejects them with a
// position inside the input), and answers the default test-list query on
// whatever it loads.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{"", "{}", "[]", `{"schema": "1.2", "capabilities": {"c": {"tests": ["a"]}}}`,
		"{\"a\": \"\\ud800\"}", `{"a": 1e}`, `{"a": -0.5E+3}`, "\xef\xbb\xbf{}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := guideline.Parse(data)
		if err != nil {
			pe, ok := err.(*guideline.ParseError)
			if !ok {
				t.Fatalf("error %T %v, want *ParseError", err, err)
			}
			if pe.Offset < 0 || pe.Offset > len(data) || pe.Line < 1 || pe.Column < 1 {
				t.Fatalf("position out of range: %+v (input %d bytes)", pe, len(data))
			}
			var v any
			valid := json.Unmarshal(data, &v) == nil
			if _, isObject := v.(map[string]any); valid && isObject && pe.Pointer == "" {
				t.Fatalf("syntax error %v on a JSON object encoding/json accepts", err)
			}
			return
		}
		if !json.Valid(data) && !(len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf") {
			t.Fatalf("accepted JSON encoding/json rejects: %q", data)
		}
		g.TestListText(guideline.DefaultQuery())
	})
}
