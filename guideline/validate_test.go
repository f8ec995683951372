package guideline

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

func newTestValidator(t testing.TB) *Validator {
	t.Helper()
	v, err := NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// interopFiles lists the 27 guideline files of the shared fixtures.
func interopFiles(t *testing.T) []string {
	t.Helper()
	dir := testenv.Shared(t, "fixtures", "interop")
	var files []string
	for _, pat := range []string{"*.json", "add-ons/*.json", "verticals/*.json"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) != 27 {
		t.Fatalf("%d guideline files in %s, want 27", len(files), dir)
	}
	return files
}

// TestValidateInterop checks that every published guideline is valid, with
// the schema version of refstack-client-interop.md §B.2 and the quirks of
// §B.5–B.7 as warnings.
func TestValidateInterop(t *testing.T) {
	versions := map[string]string{
		"2015.03": "1.2", "2015.04": "1.2", "2015.05": "1.2",
		"2015.07": "1.5", "2016.01": "1.5",
		"2016.08": "1.6", "2017.01": "1.6", "2017.09": "1.6",
	}
	v := newTestValidator(t)
	for _, f := range interopFiles(t) {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r := v.Validate(data)
			for _, p := range r.Errors() {
				t.Errorf("error %s", p)
			}
			want := versions[name]
			if want == "" {
				want = "2.0"
			}
			if r.Version != want {
				t.Errorf("version %q, want %q", r.Version, want)
			}
		})
	}
}

// warningsAbout returns the pointers of the warnings whose message holds s.
func warningsAbout(r *Report, s string) []string {
	var ptrs []string
	for _, p := range r.Warnings() {
		if strings.Contains(p.Message, s) {
			ptrs = append(ptrs, p.Pointer)
		}
	}
	return ptrs
}

func TestValidateInteropQuirks(t *testing.T) {
	dir := testenv.Shared(t, "fixtures", "interop")
	v := newTestValidator(t)
	report := func(t *testing.T, name string) *Report {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		r := v.Validate(data)
		if !r.Valid() {
			t.Fatalf("%s: %v", name, r.Errors())
		}
		return r
	}
	t.Run("2020.06", func(t *testing.T) {
		r := report(t, "2020.06.json")
		want := []string{
			"/capabilities/identity-v3-tokens-delete/achievements/0",
			"/capabilities/identity-v3-tokens-delete/descriptin",
			"/capabilities/images-v2-import",
			"/capabilities/objectstore-slo-support/acheivements",
			"/capabilities/objectstore-slo-support/acheivements/5",
			"/capabilities/objectstore-dlo-support/acheivements",
			"/capabilities/objectstore-dlo-support/acheivements/6",
		}
		var got []string
		for _, p := range r.Problems {
			got = append(got, p.Pointer)
		}
		if !slices.Equal(got, want) {
			t.Errorf("warnings at\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("2018.02 required-since", func(t *testing.T) {
		r := report(t, "2018.02.json")
		if n := len(warningsAbout(r, `"required-since" is the 1.x spelling`)); n != 75 {
			t.Errorf("%d required-since warnings, want 75", n)
		}
		undefined := warningsAbout(r, "listed but not defined")
		if len(undefined) != 2 {
			t.Errorf("listed but undefined at %v, want volumes-v2-attach-detach and volumes-v3-attach-detach", undefined)
		}
	})
	t.Run("next undefined", func(t *testing.T) {
		r := report(t, "next.json")
		if n := len(warningsAbout(r, "listed but not defined")); n != 14 {
			t.Errorf("%d capabilities listed but not defined, want 14 (13 volumes-v2-* and volumes-v3-reserve)", n)
		}
	})
	t.Run("2017.01 empty id", func(t *testing.T) {
		r := report(t, "2017.01.json")
		got := warningsAbout(r, "empty idempotent id")
		want := []string{"/capabilities/volumes-list-api-versions/tests/tempest.api.volume.NEED_TEST/idempotent_id"}
		if !slices.Equal(got, want) {
			t.Errorf("empty ids at %v, want %v", got, want)
		}
	})
	for name, msg := range map[string]string{
		"add-ons/dns.2020.06.json":           "(10 of 10 tests",
		"add-ons/orchestration.2020.06.json": "(60 of 60 tests",
	} {
		t.Run(name, func(t *testing.T) {
			r := report(t, name)
			if n := len(warningsAbout(r, msg)); n != 1 {
				t.Errorf("%d warnings about %q, want 1: %v", n, msg, r.Problems)
			}
			got := warningsAbout(r, "criteria weights add up to 75, not 100")
			if !slices.Equal(got, []string{"/metadata/scoring/criteria"}) {
				t.Errorf("weight warnings at %v, want /metadata/scoring/criteria", got)
			}
		})
	}
}

// TestValidateInteropChecksEverything adds a bogus key to a capability of
// 2020.06, which the published schema does not notice (§B.7).
func TestValidateInteropChecksEverything(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testenv.Shared(t, "fixtures", "interop"), "2020.06.json"))
	if err != nil {
		t.Fatal(err)
	}
	const anchor = `"compute-servers-create": {`
	i := bytes.Index(data, []byte(anchor))
	if i < 0 {
		t.Fatal("no compute-servers-create in 2020.06.json")
	}
	i += len(anchor)
	bad := slices.Concat(data[:i], []byte(` "bogus": 1,`), data[i:])
	line := bytes.Count(data[:i], []byte("\n")) + 1
	r := newTestValidator(t).Validate(bad)
	errs := r.Errors()
	if len(errs) != 1 || errs[0].Pointer != "/capabilities/compute-servers-create/bogus" || errs[0].Line != line {
		t.Errorf("errors %v, want one at /capabilities/compute-servers-create/bogus on line %d", errs, line)
	}
}

func TestValidateValid(t *testing.T) {
	files, err := filepath.Glob("testdata/valid/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/valid files (%v)", err)
	}
	v := newTestValidator(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r := v.Validate(data)
			if !r.Valid() {
				t.Errorf("errors: %v", r.Errors())
			}
			if want, _, _ := strings.Cut(filepath.Base(f), "-"); r.Version+".json" != want && r.Version != want {
				t.Errorf("version %q, want the file name's %q", r.Version, want)
			}
			if !strings.Contains(f, "quirks") && len(r.Problems) > 0 {
				t.Errorf("problems: %v", r.Problems)
			}
		})
	}
}

func TestValidateQuirks(t *testing.T) {
	data, err := os.ReadFile("testdata/valid/2.0-quirks.json")
	if err != nil {
		t.Fatal(err)
	}
	const zone = "/capabilities/dns-zone-crud"
	const tests = zone + "/tests/designate_tempest_plugin.tests.api.v2.test_zones.ZonesTest."
	want := []struct {
		pointer      string
		line, column int
		message      string
	}{
		{"/components/os_powered_dns/capabilities/required/1", 24, 39, `capability "dns-record-crud" is listed but not defined`},
		{zone + "/acheivements", 33, 7, `misspelled key "acheivements": read as "achievements"`},
		{zone + "/acheivements/1", 33, 34, `achievement "discoverable" is not a criterion`},
		{zone + "/required-since", 35, 7, `"required-since" is the 1.x spelling`},
		{zone + "/descriptin", 36, 7, `misspelled key "descriptin"`},
		{tests + "test_create_zone/idempotent_id", 40, 28, `without the "id-" prefix (2 of 4 tests`},
		{tests + "test_delete_zone/idempotent-id", 43, 11, `misspelled key "idempotent-id"`},
		{tests + "test_delete_zone/flag", 44, 11, `read as "flagged"`},
		{tests + "test_list_zones/idempotent_id", 47, 28, `Tempest tags ",smoke"`},
		{tests + "test_show_zone/idempotent_id", 50, 28, "empty idempotent id"},
		{"/capabilities/dns-zone-export", 54, 24, "defined but listed in no component"},
		{"/capabilities/dns-zone-export/project", 59, 7, `duplicate key "project"`},
	}
	r := newTestValidator(t).Validate(data)
	if len(r.Problems) != len(want) {
		t.Errorf("%d problems, want %d: %v", len(r.Problems), len(want), r.Problems)
	}
	for i, p := range r.Problems[:min(len(r.Problems), len(want))] {
		w := want[i]
		if !p.Warning || p.Pointer != w.pointer || p.Line != w.line || p.Column != w.column || !strings.Contains(p.Message, w.message) {
			t.Errorf("problem %d = %+v\nwant warning at %s %d:%d containing %q", i, p, w.pointer, w.line, w.column, w.message)
		}
	}
}

// TestValidateInvalid checks each file of testdata/invalid: its first error
// is at the expected pointer and line and says what was expected.
func TestValidateInvalid(t *testing.T) {
	const (
		cap20 = "/capabilities/compute-servers-create"
		test1 = cap20 + "/tests/tempest.api.compute.servers.test_create_server.ServersTest.test_list_servers"
		test2 = cap20 + "/tests/tempest.api.compute.servers.test_create_server.ServersTest.test_verify_server_details"
	)
	cases := []struct {
		file         string
		errors       int
		pointer      string
		line, column int
		message      string
	}{
		{"empty.json", 1, "", 1, 1, "invalid JSON: empty document"},
		{"syntax-trailing-comma.json", 1, "", 5, 3, "invalid JSON: invalid character '}' looking for beginning of object key"},
		{"syntax-truncated.json", 1, "", 5, 1, "invalid JSON: unexpected EOF"},
		{"syntax-trailing-data.json", 1, "", 2, 1, "invalid JSON: data after the top-level value"},
		{"not-object.json", 1, "", 1, 1, "expected a JSON object"},
		{"no-schema.json", 1, "", 1, 1, `no schema version: expected "schema" (1.x) or "metadata"`},
		{"unknown-version.json", 1, "/schema", 3, 13, `unsupported schema version "1.0": expected one of 1.2, 1.3, 1.4, 1.5, 1.6, 2.0`},
		{"1.2-tests-not-list.json", 1, cap20 + "/tests", 44, 16, "expected array, but got object"},
		{"1.2-platform-undefined-component.json", 1, "/platform/required/1", 13, 7, `component "object" is not defined in components`},
		{"1.3-aliases.json", 1, test1 + "/aliases", 47, 11, `key "aliases" is not allowed; expected one of "flagged", "idempotent_id"`},
		{"1.4-capability-status.json", 1, cap20 + "/status", 50, 7, `key "status" is not allowed; expected one of "achievements", "admin", "description", "project", "required-since", "tests"`},
		{"1.6-designated-required.json", 1, "/designated-sections/required/nova/required", 64, 9, `key "required" is not allowed; expected one of "comment", "guidance", "sections"`},
		{"1.6-capability-without-tests.json", 1, cap20, 38, 31, `missing required key "tests"`},
		{"1.6-cutoff-not-string.json", 1, "/cutoff_score", 7, 19, "expected string, but got number"},
		{"1.6-missing-informational.json", 1, "/designated-sections", 53, 26, `missing required key "informational"`},
		{"2.0-admin-not-boolean.json", 1, cap20 + "/admin", 65, 16, "expected boolean, but got string"},
		{"2.0-bad-capability-name.json", 2, "/components/os_powered_compute/capabilities/required/0", 46, 11, `expected a string matching '^[a-z]`},
		{"2.0-bad-idempotent-id.json", 1, test1 + "/idempotent_id", 71, 28, `got "id-not-a-uuid"`},
		{"2.0-bad-status.json", 1, "/metadata/os_trademark_approval/status", 29, 17, `value must be one of "draft", "advisory", "approved", "superseded"`},
		{"2.0-bad-test-name.json", 1, cap20 + "/tests/run the server test", 76, 9, `name "run the server test": expected a name matching`},
		{"2.0-both-spellings.json", 1, cap20 + "/acheivements", 85, 7, `key "acheivements" is not allowed; expected one of "achievements", "admin"`},
		{"2.0-capability-unknown-key.json", 1, cap20 + "/bogus", 85, 7, `key "bogus" is not allowed`},
		{"2.0-cutoff-not-integer.json", 1, "/metadata/scoring/cutoff_score", 8, 23, "expected integer, but got string"},
		{"2.0-flag-without-date.json", 1, test2 + "/flagged", 78, 22, `missing required key "date"`},
		{"2.0-test-without-id.json", 1, test1, 70, 89, `missing required key "idempotent_id"`},
		{"2.0-undefined-platform-component.json", 1, "/platforms/OpenStack Powered Platform/components/1/name", 40, 19, `component "os_powered_storage" is not defined`},
	}
	files, err := filepath.Glob("testdata/invalid/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(cases) {
		t.Errorf("%d files in testdata/invalid, %d cases", len(files), len(cases))
	}
	v := newTestValidator(t)
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "invalid", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			r := v.Validate(data)
			errs := r.Errors()
			if r.Valid() || len(errs) != tc.errors {
				t.Fatalf("%d errors, want %d: %v", len(errs), tc.errors, errs)
			}
			p := errs[0]
			if p.Pointer != tc.pointer || p.Line != tc.line || p.Column != tc.column || !strings.Contains(p.Message, tc.message) {
				t.Errorf("first error %q at %d:%d: %s\nwant %q at %d:%d containing %q", p.Pointer, p.Line, p.Column, p.Message,
					tc.pointer, tc.line, tc.column, tc.message)
			}
		})
	}
}

func TestLocate(t *testing.T) {
	data := []byte("{\"a\": [1, {\"b/c\": true, \"d~e\" :\n  null}],\n\"\": \"x\", \"a\": 2}")
	l := locate(data)
	for ptr, want := range map[string]int{
		"":          0,
		"/a":        56, // the last of the duplicates, as encoding/json keeps
		"/a/0":      7,
		"/a/1":      10,
		"/a/1/b~1c": 18,
		"/a/1/d~0e": 34,
		"/":         46,
	} {
		if got, ok := l.val[ptr]; !ok || got != want {
			t.Errorf("offset of %q = %d, %v; want %d", ptr, got, ok, want)
		}
	}
	if !slices.Equal(l.dups, []string{"/a"}) {
		t.Errorf("dups %v, want [/a]", l.dups)
	}
	if got := l.key["/a/1/d~0e"]; got != 24 {
		t.Errorf("key offset of /a/1/d~0e = %d, want 24", got)
	}
}

func TestSchemas(t *testing.T) {
	for _, v := range SchemaVersions() {
		data, err := Schema(v)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(data, &doc); err != nil || !strings.HasSuffix(doc.ID, "/"+v+".json") {
			t.Errorf("schema %s: $id %q, %v", v, doc.ID, err)
		}
	}
	if _, err := Schema("1.0"); err == nil {
		t.Error("Schema(1.0) did not fail")
	}
}

func TestProblemString(t *testing.T) {
	for _, tc := range []struct {
		p    Problem
		want string
	}{
		{Problem{Line: 1, Column: 2, Message: "invalid JSON: x"}, "1:2: invalid JSON: x"},
		{Problem{Pointer: "/a", Line: 3, Column: 4, Message: "m"}, "3:4: /a: m"},
		{Problem{Pointer: "/a", Line: 3, Column: 4, Message: "m", Warning: true}, "3:4: /a: warning: m"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.p, got, tc.want)
		}
	}
}

func FuzzValidate(f *testing.F) {
	for _, pat := range []string{"testdata/valid/*.json", "testdata/invalid/*.json"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	v := newTestValidator(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := v.Validate(data)
		if json.Valid(data) == slices.ContainsFunc(r.Problems, func(p Problem) bool { return strings.HasPrefix(p.Message, "invalid JSON") }) {
			t.Errorf("json.Valid = %v but problems %v", json.Valid(data), r.Problems)
		}
		for _, p := range r.Problems {
			if p.Line < 1 || p.Column < 1 {
				t.Errorf("problem without a position: %+v", p)
			}
		}
	})
}

func BenchmarkValidate(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(testenv.Shared(b, "fixtures", "interop"), "2020.06.json"))
	if err != nil {
		b.Fatal(err)
	}
	v := newTestValidator(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if r := v.Validate(data); !r.Valid() {
			b.Fatal(r.Errors())
		}
	}
}
