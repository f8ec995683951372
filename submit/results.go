package submit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Results is the document a RefStack server stores: the cloud's CPID, the
// run's duration and the tests that passed.
type Results struct {
	CPID            string
	DurationSeconds int64
	Results         []Result
}

// Result is one passed test. UUID is empty when the test id carried no "id-"
// attribute; it is then left out of the JSON.
type Result struct {
	Name string
	UUID string
}

// Body returns the document as refstack-client uploads it: json.dumps with
// its default settings, keys in the order cpid, duration_seconds, results and
// name, uuid; separators ", " and ": "; non-ASCII characters escaped. These
// are the bytes to sign and send.
func (r *Results) Body() []byte {
	b := make([]byte, 0, 64+80*len(r.Results))
	b = append(b, `{"cpid": `...)
	b = appendPyString(b, r.CPID)
	b = append(b, `, "duration_seconds": `...)
	b = appendPyInt(b, r.DurationSeconds)
	b = append(b, `, "results": [`...)
	for i, res := range r.Results {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, `{"name": `...)
		b = appendPyString(b, res.Name)
		if res.UUID != "" {
			b = append(b, `, "uuid": `...)
			b = appendPyString(b, res.UUID)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// File returns the document as refstack-client writes its results file:
// json.dumps with indent 4 and separators "," and ": ", with no final newline.
func (r *Results) File() []byte {
	b := make([]byte, 0, 96+100*len(r.Results))
	b = append(b, "{\n    \"cpid\": "...)
	b = appendPyString(b, r.CPID)
	b = append(b, ",\n    \"duration_seconds\": "...)
	b = appendPyInt(b, r.DurationSeconds)
	b = append(b, ",\n    \"results\": ["...)
	for i, res := range r.Results {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n        {\n            \"name\": "...)
		b = appendPyString(b, res.Name)
		if res.UUID != "" {
			b = append(b, ",\n            \"uuid\": "...)
			b = appendPyString(b, res.UUID)
		}
		b = append(b, "\n        }"...)
	}
	if len(r.Results) > 0 {
		b = append(b, "\n    "...)
	}
	return append(b, "]\n}"...)
}

// ErrInvalidResults is wrapped by every error of Validate and ParseResults
// about the document's content.
var ErrInvalidResults = errors.New("invalid results document")

// Validate makes the checks a RefStack server makes before it stores a
// document, and two it should: a non-empty CPID, a duration that is not
// negative, and at least one result ("Uploaded results must contain at least
// one passing test." on the server). An empty name (from an empty test id)
// passes, as on the server.
func (r *Results) Validate() error {
	switch {
	case r.CPID == "":
		return fmt.Errorf("submit: %w: empty cpid", ErrInvalidResults)
	case r.DurationSeconds < 0:
		return fmt.Errorf("submit: %w: negative duration_seconds %d", ErrInvalidResults, r.DurationSeconds)
	case len(r.Results) == 0:
		return fmt.Errorf("submit: %w: no passed test in results (the server rejects an upload without one)", ErrInvalidResults)
	}
	return nil
}

// ParseResults reads a results document in JSON, as Body or File write it
// or as any JSON encoder writes the same object. It accepts exactly what the
// server's schema accepts, with stricter items: an object with the keys cpid
// (a string), duration_seconds (an integer) and results (an array of objects
// with a string name and an optional string uuid), and nothing else. A
// missing key, an unknown key, a wrong type or trailing data is an error
// wrapping ErrInvalidResults that names the key. It does not call Validate.
func ParseResults(data []byte) (*Results, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil {
		return nil, fmt.Errorf("submit: %w: not a JSON object: %v", ErrInvalidResults, err)
	}
	if top == nil {
		return nil, fmt.Errorf("submit: %w: not a JSON object", ErrInvalidResults)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("submit: %w: data after the JSON object", ErrInvalidResults)
	}
	var r Results
	for _, key := range []string{"cpid", "duration_seconds", "results"} {
		if _, ok := top[key]; !ok {
			return nil, fmt.Errorf("submit: %w: missing key %q", ErrInvalidResults, key)
		}
	}
	for key := range top {
		switch key {
		case "cpid", "duration_seconds", "results":
		default:
			return nil, fmt.Errorf("submit: %w: unknown key %q (the server accepts only cpid, duration_seconds and results)", ErrInvalidResults, key)
		}
	}
	if err := decodeString(top["cpid"], &r.CPID); err != nil {
		return nil, fmt.Errorf("submit: %w: cpid: %v", ErrInvalidResults, err)
	}
	var n json.Number
	rawDuration := bytes.TrimSpace(top["duration_seconds"])
	if len(rawDuration) == 0 || rawDuration[0] == '"' || json.Unmarshal(rawDuration, &n) != nil || strings.ContainsAny(n.String(), ".eE") {
		return nil, fmt.Errorf("submit: %w: duration_seconds: want an integer, got %s", ErrInvalidResults, top["duration_seconds"])
	}
	d, err := n.Int64()
	if err != nil {
		return nil, fmt.Errorf("submit: %w: duration_seconds: %v", ErrInvalidResults, err)
	}
	r.DurationSeconds = d
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(top["results"], &items); err != nil || items == nil && !bytes.Equal(bytes.TrimSpace(top["results"]), []byte("[]")) {
		return nil, fmt.Errorf("submit: %w: results: want an array of objects", ErrInvalidResults)
	}
	r.Results = make([]Result, len(items))
	for i, it := range items {
		if it == nil {
			return nil, fmt.Errorf("submit: %w: results[%d]: want an object, got null", ErrInvalidResults, i)
		}
		for key := range it {
			if key != "name" && key != "uuid" {
				return nil, fmt.Errorf("submit: %w: results[%d]: unknown key %q (want name and uuid)", ErrInvalidResults, i, key)
			}
		}
		raw, ok := it["name"]
		if !ok {
			return nil, fmt.Errorf("submit: %w: results[%d]: missing key \"name\"", ErrInvalidResults, i)
		}
		if err := decodeString(raw, &r.Results[i].Name); err != nil {
			return nil, fmt.Errorf("submit: %w: results[%d].name: %v", ErrInvalidResults, i, err)
		}
		if raw, ok := it["uuid"]; ok {
			if err := decodeString(raw, &r.Results[i].UUID); err != nil {
				return nil, fmt.Errorf("submit: %w: results[%d].uuid: %v", ErrInvalidResults, i, err)
			}
		}
	}
	return &r, nil
}

// decodeString decodes a JSON string into s; null and other types are errors.
func decodeString(raw json.RawMessage, s *string) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '"' {
		return fmt.Errorf("want a string, got %s", raw)
	}
	return json.Unmarshal(raw, s)
}
