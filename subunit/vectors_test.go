package subunit

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/refstack-go/refstack/internal/testenv"
)

type vector struct {
	Name            string           `json:"name"`
	Hex             string           `json:"hex"`
	PythonEvents    []map[string]any `json:"python_events"`
	PythonException string           `json:"python_exception"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.Shared(t, "reference", "subunit-v2-vectors"), "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

// pyTime formats t as Python's datetime.isoformat does after the reference
// reader rounded the nanoseconds half-to-even to microseconds.
func pyTime(t time.Time) string {
	ns := t.Nanosecond()
	us, rem := ns/1000, ns%1000
	if rem > 500 || (rem == 500 && us%2 == 1) {
		us++
	}
	t = time.Unix(t.Unix(), int64(us)*1000).UTC()
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05+00:00")
	}
	return t.Format("2006-01-02T15:04:05.000000+00:00")
}

// normalize renders what the reader produced in the shape of vectors.json:
// events as python-subunit reports them, bad packets as parser errors (named
// by their cause type), non-subunit bytes merged into "stdout" runs.
func normalize(evs []*Event, errs []error) []map[string]any {
	var out []map[string]any
	for i, ev := range evs {
		if err := errs[i]; err != nil {
			var pe *PacketError
			if !errors.As(err, &pe) {
				out = append(out, map[string]any{"error": err.Error()})
				continue
			}
			out = append(out, map[string]any{"parser_error": fmt.Sprintf("%T", pe.Err), "packet_data": hex.EncodeToString(pe.Data)})
			continue
		}
		if ev.Passthrough {
			if n := len(out); n > 0 && out[n-1]["stdout"] != nil {
				out[n-1]["stdout"] = out[n-1]["stdout"].(string) + hex.EncodeToString(ev.FileContent)
			} else {
				out = append(out, map[string]any{"stdout": hex.EncodeToString(ev.FileContent)})
			}
			continue
		}
		m := map[string]any{"runnable": ev.Runnable()}
		if ev.HasTestID() {
			m["test_id"] = string(ev.TestID)
		}
		if ev.Status != StatusUndefined {
			m["status"] = ev.Status.String()
		}
		if ev.Flags&FlagTags != 0 {
			tags := []any{}
			var ss []string
			for _, t := range ev.Tags {
				ss = append(ss, string(t))
			}
			slices.Sort(ss)
			ss = slices.Compact(ss)
			for _, s := range ss {
				tags = append(tags, s)
			}
			m["tags"] = tags
		}
		if ev.HasFile() {
			m["file_name"] = string(ev.FileName)
			m["file_bytes"] = hex.EncodeToString(ev.FileContent)
		}
		if ev.EOF() {
			m["eof"] = true
		}
		if ev.Flags&FlagMIME != 0 {
			m["mime"] = string(ev.MIME)
		}
		if ev.Flags&FlagRouteCode != 0 {
			m["route_code"] = string(ev.RouteCode)
		}
		if ev.HasTimestamp() {
			m["timestamp"] = pyTime(ev.Timestamp)
		}
		out = append(out, m)
	}
	return out
}

// readAll reads every event of data, cloning each, with errors in step.
func readAll(t testing.TB, src io.Reader, opts ...ReaderOption) ([]*Event, []error) {
	t.Helper()
	r, err := NewReader(src, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var evs []*Event
	var errs []error
	for ev, err := range r.All() {
		if ev != nil {
			ev = ev.Clone()
		}
		evs, errs = append(evs, ev), append(errs, err)
		if len(evs) > 100000 {
			t.Fatal("runaway reader")
		}
	}
	return evs, errs
}

// pyErrorType maps the reference reader's messages to our cause types.
func pyErrorType(msg string) string {
	switch {
	case strings.HasPrefix(msg, "Bad checksum"):
		return "*subunit.ChecksumError"
	case strings.Contains(msg, "extends past end of packet"):
		return "*subunit.FieldError"
	case strings.Contains(msg, "is not UTF8"), strings.Contains(msg, "contains NUL"):
		return "*subunit.UTF8Error"
	case strings.HasPrefix(msg, "Short read"):
		return "*subunit.TruncatedError"
	case strings.HasPrefix(msg, "3 byte maximum"):
		return "*subunit.LengthError"
	}
	return "unknown python error " + msg
}

// divergences lists the vectors where this reader deliberately does better
// than python-subunit, with what it gives instead (see doc.go, "Bad input").
var divergences = map[string]string{
	// Python crashes with struct.error: we report the packet.
	"testid_flag_empty_body":    `[{"parser_error":"*subunit.VarintError","packet_data":"b32901080edffa74"}]`,
	"timestamp_flag_short_body": `[{"parser_error":"*subunit.FieldError","packet_data":"b322010a000154b16e39"}]`,
	"varint_cut_at_body_end":    `[{"parser_error":"*subunit.VarintError","packet_data":"b329010940eaa3f583"}]`,
	// Header errors consume only the signature and rescan (Python swallows
	// up to the end of the input, or 6 bytes).
	"rust_length_too_small_2":          `[{"parser_error":"*subunit.LengthError","packet_data":"b3"},{"stdout":"20030200000000"}]`,
	"length_4_byte_varint":             `[{"parser_error":"*subunit.LengthError","packet_data":"b3"},{"stdout":"2140c00011"}]`,
	"length_4byte_varint_valid_packet": `[{"parser_error":"*subunit.LengthError","packet_data":"b3"},{"stdout":"2901c000000f03666f6f90ac560c"}]`,
	"declared_length_0_then_enum":      `[{"parser_error":"*subunit.LengthError","packet_data":"b3"},{"stdout":"20000000000000"},{"test_id":"foo","status":"exists","runnable":true}]`,
	"declared_length_1_then_enum":      `[{"parser_error":"*subunit.LengthError","packet_data":"b3"},{"stdout":"20000100000000"},{"test_id":"foo","status":"exists","runnable":true}]`,
	"declared_length_2_then_enum":      `[{"parser_error":"*subunit.LengthError","packet_data":"b3"},{"stdout":"20000200000000"},{"test_id":"foo","status":"exists","runnable":true}]`,
	"declared_length_3_then_enum":      `[{"parser_error":"*subunit.LengthError","packet_data":"b3"},{"stdout":"20000300000000"},{"test_id":"foo","status":"exists","runnable":true}]`,
	"declared_length_4_then_enum":      `[{"parser_error":"*subunit.LengthError","packet_data":"b3"},{"stdout":"20000400000000"},{"test_id":"foo","status":"exists","runnable":true}]`,
	"declared_length_5_then_enum":      `[{"parser_error":"*subunit.LengthError","packet_data":"b3"},{"stdout":"20000500000000"},{"test_id":"foo","status":"exists","runnable":true}]`,
	"declared_length_6_then_enum":      `[{"parser_error":"*subunit.LengthError","packet_data":"b3"},{"stdout":"20000600000000"},{"test_id":"foo","status":"exists","runnable":true}]`,
	"declared_length_7_then_enum":      `[{"parser_error":"*subunit.LengthError","packet_data":"b3"},{"stdout":"20000700000000"},{"test_id":"foo","status":"exists","runnable":true}]`,
	// A bad CRC behind an impossible version is a stray 0xB3: rescan after it.
	"rust_bad_version_0x3003": `[{"parser_error":"*subunit.ReservedError","packet_data":"b3"},{"stdout":"30030800000000"}]`,
	"latin1_b3_then_packet":   `[{"stdout":"78"},{"parser_error":"*subunit.ReservedError","packet_data":"b3"},{"stdout":"797a"},{"test_id":"foo","status":"exists","runnable":true}]`,
	// Python's quirks Q1 and Q2 lose packets after text: we keep them.
	"utf8_char_ending_b3_then_packet": `[{"stdout":"c3b3"},{"test_id":"foo","status":"exists","runnable":true}]`,
	"dangling_lead_byte_then_packet":  `[{"stdout":"e3"},{"test_id":"foo","status":"exists","runnable":true},{"test_id":"foo","status":"exists","runnable":true}]`,
	// c3 b3 is a valid 'ó': the packet's signature is taken as text. Python
	// parses the packet only through its quirk Q2 (and reports the b3 twice).
	"c3_then_packet": `[{"stdout":"c3b329010c03666f6f08555f1b"}]`,
}

func init() {
	// Truncated packets: the signature is reported and the rest rescanned.
	for k := 1; k <= 18; k++ {
		full := "b32b03133c1754cf80afc80362617249963e"
		cut := full[:2*k]
		want := `[{"parser_error":"*subunit.TruncatedError","packet_data":"b3"}`
		if len(cut) > 2 {
			want += `,{"stdout":"` + cut[2:] + `"}`
		}
		divergences[fmt.Sprintf("truncated_timestamp_packet_%02d", k)] = want + "]"
	}
}

func TestVectors(t *testing.T) {
	vs := loadVectors(t)
	if len(vs) != 105 {
		t.Errorf("got %d vectors, want 105", len(vs))
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			data, err := hex.DecodeString(v.Hex)
			if err != nil {
				t.Fatal(err)
			}
			var want []map[string]any
			if d, ok := divergences[v.Name]; ok {
				if err := json.Unmarshal([]byte(d), &want); err != nil {
					t.Fatal(err)
				}
			} else {
				if v.PythonException != "" {
					t.Fatalf("python crashes on this vector (%s) and no divergence is listed", v.PythonException)
				}
				for _, e := range v.PythonEvents {
					if msg, ok := e["parser_error"].(string); ok {
						e = map[string]any{"parser_error": pyErrorType(msg), "packet_data": e["packet_data"]}
					}
					want = append(want, e)
				}
			}
			// The same bytes, all at once and one byte per Read, must read the same.
			for name, src := range map[string]io.Reader{
				"whole":   bytes.NewReader(data),
				"onebyte": &oneByteReader{data: data},
			} {
				evs, errs := readAll(t, src, WithV1(false))
				got := normalize(evs, errs)
				if !jsonEqual(got, want) {
					g, _ := json.Marshal(got)
					w, _ := json.Marshal(want)
					t.Errorf("%s:\n got  %s\n want %s", name, g, w)
				}
			}
		})
	}
}

func jsonEqual(a, b []map[string]any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	var x, y any
	json.Unmarshal(ja, &x)
	json.Unmarshal(jb, &y)
	return reflect.DeepEqual(x, y)
}

// oneByteReader returns its data one byte per Read, with an empty read
// between bytes, the way a slow pipe might.
type oneByteReader struct {
	data  []byte
	empty bool
}

func (o *oneByteReader) Read(p []byte) (int, error) {
	if len(o.data) == 0 {
		return 0, io.EOF
	}
	if o.empty = !o.empty; o.empty {
		return 0, nil
	}
	p[0] = o.data[0]
	o.data = o.data[1:]
	return 1, nil
}
