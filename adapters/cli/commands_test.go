package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/subunit"
)

const cleanStats = `Total tests:       9
Passed tests:      5
Failed tests:      2
Skipped tests:     2
Seen tags: worker-0, worker-1
`

func TestStats(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
	}{
		{"clean", []string{"clean.subunit"}, CodeCheckFailed, cleanStats},
		{"text and bad packet", []string{"mixed.subunit"}, CodeCheckFailed,
			"tempest starting\nsome chatter between packets\nrun-level output\ntempest done\n" +
				"Total tests:       7\nPassed tests:      3\nFailed tests:      3\nSkipped tests:     1\nSeen tags: smoke, worker-0, worker-1\n"},
		{"no passthrough", []string{"--no-passthrough", "mixed.subunit"}, CodeCheckFailed,
			"Total tests:       7\nPassed tests:      3\nFailed tests:      3\nSkipped tests:     1\nSeen tags: smoke, worker-0, worker-1\n"},
		{"v1", []string{"v1.txt"}, CodeCheckFailed,
			"some chatter that is not a directive\n" +
				"Total tests:       5\nPassed tests:      2\nFailed tests:      2\nSkipped tests:     1\nSeen tags: worker-3\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"subunit", "stats"}, tt.args...)
			args[len(args)-1] = fixture(args[len(args)-1])
			r := run(t, "", args...)
			if r.code != tt.code || r.stdout != tt.stdout {
				t.Errorf("got code %d and\n%s\nwant code %d and\n%s", r.code, r.stdout, tt.code, tt.stdout)
			}
		})
	}
}

func TestStatsEmptyStreamSucceeds(t *testing.T) {
	r := run(t, "", "subunit", "stats", "-")
	want := "Total tests:       0\nPassed tests:      0\nFailed tests:      0\nSkipped tests:     0\nSeen tags: \n"
	if r.code != CodeOK || r.stdout != want {
		t.Errorf("got %d %q, want 0 %q", r.code, r.stdout, want)
	}
}

func TestStatsJSON(t *testing.T) {
	tests := []struct {
		in   string
		want statsJSON
	}{
		{"clean.subunit", statsJSON{Total: 9, Passed: 5, Failed: 2, Skipped: 2, XFail: 1, UxSuccess: 1, Tags: []string{"worker-0", "worker-1"}}},
		// --json drops the text outside tests: the output is JSON only.
		{"mixed.subunit", statsJSON{Total: 7, Passed: 3, Failed: 3, Skipped: 1, Tags: []string{"smoke", "worker-0", "worker-1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r := run(t, "", "subunit", "stats", "--json", fixture(tt.in))
			var got statsJSON
			dec := json.NewDecoder(strings.NewReader(r.stdout))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("output %q: %v", r.stdout, err)
			}
			if _, err := dec.Token(); err != io.EOF {
				t.Errorf("more than one JSON value in %q", r.stdout)
			}
			if !slices.Equal(got.Tags, tt.want.Tags) || got.Total != tt.want.Total || got.Passed != tt.want.Passed ||
				got.Failed != tt.want.Failed || got.Skipped != tt.want.Skipped || got.XFail != tt.want.XFail || got.UxSuccess != tt.want.UxSuccess {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			for _, key := range []string{`"total"`, `"passed"`, `"failed"`, `"skipped"`, `"xfail"`, `"uxsuccess"`, `"tags"`} {
				if !strings.Contains(r.stdout, key) {
					t.Errorf("key %s missing from %s", key, r.stdout)
				}
			}
		})
	}
	r := run(t, "", "subunit", "stats", "--json", "-")
	if !strings.Contains(r.stdout, `"tags": []`) {
		t.Errorf("empty stream: tags should be [], got %s", r.stdout)
	}
}

const (
	idOK    = "tempest.api.compute.servers.test_create.ServersTest.test_create[id-0001,smoke]"
	idBad   = "tempest.api.compute.servers.test_create.ServersTest.test_delete[id-0002]"
	idSkip  = "tempest.api.network.test_ports.PortsTest.test_port_security[id-0003]"
	idXFail = "tempest.api.volume.test_snapshots.SnapshotsTest.test_x[id-0004]"
	idUx    = "tempest.api.volume.test_snapshots.SnapshotsTest.test_ux[id-0005]"
	idFixt  = "setUpClass (tempest.api.identity.test_users.UsersTest)"
	idHung  = "tempest.scenario.test_minimum.TestMinimum.test_basic[id-0006,slow]"
	idNoDot = "standalone_test"
)

func TestLs(t *testing.T) {
	lines := func(ids ...string) string {
		if len(ids) == 0 {
			return ""
		}
		return strings.Join(ids, "\n") + "\n"
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"all", []string{"clean.subunit"}, CodeCheckFailed, lines(idOK, idBad, idSkip, idXFail, idUx, idFixt, idNoDot, idOK, idHung)},
		{"one status", []string{"--status", "skip", "clean.subunit"}, CodeCheckFailed, lines(idSkip, idFixt)},
		{"comma list", []string{"--status", "fail,uxsuccess", "clean.subunit"}, CodeCheckFailed, lines(idBad, idUx)},
		{"repeated flag", []string{"--status", "xfail", "--status", " success ", "clean.subunit"}, CodeCheckFailed, lines(idOK, idXFail, idNoDot, idOK)},
		{"never finished", []string{"--status", "inprogress", "clean.subunit"}, CodeCheckFailed, lines(idHung)},
		{"nothing matches", []string{"--status", "unknown", "clean.subunit"}, CodeCheckFailed, ""},
		{"mixed", []string{"mixed.subunit"}, CodeCheckFailed, "tempest starting\npkg.mod.Class.test_one\nsome chatter between packets\n" +
			"run-level output\npkg.mod.Class.test_two\nsubunit.parser\npkg.mod.Class.test_routed\npkg.mod.Class.test_three\ntempest done\npkg.mod.Class.test_hung\n"},
		{"mixed, no passthrough", []string{"--no-passthrough", "mixed.subunit"}, CodeCheckFailed, lines("pkg.mod.Class.test_one",
			"pkg.mod.Class.test_two", "subunit.parser", "pkg.mod.Class.test_routed", "pkg.mod.Class.test_three", "pkg.mod.Class.test_hung")},
		{"exists", []string{"--exists", "--no-passthrough", "--status", "exists", "mixed.subunit"}, CodeCheckFailed, lines("pkg.mod.Listed.test_only_listed")},
		{"v1", []string{"--no-passthrough", "v1.txt"}, CodeCheckFailed, lines("v1.pkg.Class.test_ok", "v1.pkg.Class.test_bad",
			"v1.pkg.Class.test_skip", "v1.pkg.Class.test_x", "v1.pkg.Class.test_lost")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"subunit", "ls"}, tt.args...)
			args[len(args)-1] = fixture(args[len(args)-1])
			r := run(t, "", args...)
			if r.code != tt.code || r.stdout != tt.want {
				t.Errorf("got code %d and\n%s\nwant code %d and\n%s", r.code, r.stdout, tt.code, tt.want)
			}
		})
	}
}

func TestLsSucceedsWithoutFailures(t *testing.T) {
	// uxsuccess is not a failure for subunit-ls (testtools' StreamSummary).
	b := newStreamBuilder(t)
	b.status("a", subunit.StatusInProgress)
	b.status("a", subunit.StatusSuccess)
	b.status("b", subunit.StatusUxSuccess)
	b.status("c", subunit.StatusSkip)
	r := run(t, string(b.bytes()), "subunit", "ls", "-")
	if r.code != CodeOK || r.stdout != "a\nb\nc\n" {
		t.Errorf("got %d %q, want 0 \"a\\nb\\nc\\n\"", r.code, r.stdout)
	}
}

// record is what the filter tests compare: a test as read back.
type record struct {
	id     string
	status subunit.Status
}

// readBack parses a stream and returns its records in completion order, the
// events of each test id, and the events outside tests.
func readBack(t *testing.T, data []byte) (recs []record, byID map[string][]*subunit.Event, runLevel []*subunit.Event) {
	t.Helper()
	byID = map[string][]*subunit.Event{}
	rd, err := subunit.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	a, err := subunit.NewAssembler(func(r *subunit.Record) error {
		recs = append(recs, record{r.TestID, r.Status})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for ev, err := range rd.All() {
		if err != nil {
			if aerr := a.AddError(err); aerr != nil {
				t.Fatal(aerr)
			}
			continue
		}
		if ev.HasTestID() {
			byID[string(ev.TestID)] = append(byID[string(ev.TestID)], ev.Clone())
		} else {
			runLevel = append(runLevel, ev.Clone())
		}
		if err := a.Add(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	return recs, byID, runLevel
}

func TestFilter(t *testing.T) {
	ss, sf, sk, sx, su, sp := subunit.StatusSuccess, subunit.StatusFail, subunit.StatusSkip, subunit.StatusXFail, subunit.StatusUxSuccess, subunit.StatusInProgress
	tests := []struct {
		name     string
		args     []string
		want     []record
		runLevel int // events without a test id in the output
	}{
		{"everything", []string{"clean.subunit"},
			[]record{{idOK, ss}, {idBad, sf}, {idSkip, sk}, {idXFail, sx}, {idUx, su}, {idFixt, sk}, {idNoDot, ss}, {idOK, ss}, {idHung, sp}}, 0},
		{"failures", []string{"--status", "fail", "clean.subunit"}, []record{{idBad, sf}}, 0},
		{"failures and hung tests", []string{"--status", "fail,inprogress", "clean.subunit"}, []record{{idBad, sf}, {idHung, sp}}, 0},
		{"regex and status", []string{"--status", "success", "--regex", `compute\.servers`, "clean.subunit"}, []record{{idOK, ss}, {idOK, ss}}, 0},
		{"without regex", []string{"--without-regex", `\[id-000[1-3]`, "clean.subunit"},
			[]record{{idXFail, sx}, {idUx, su}, {idFixt, sk}, {idNoDot, ss}, {idHung, sp}}, 0},
		{"both regexes", []string{"--regex", "volume", "--without-regex", "test_ux", "clean.subunit"}, []record{{idXFail, sx}}, 0},
		{"fixture skips", []string{"--regex", "^setUpClass", "--status", "skip", "clean.subunit"}, []record{{idFixt, sk}}, 0},
		{"nothing", []string{"--status", "unknown", "clean.subunit"}, nil, 0},
		{"mixed keeps text, wrapped", []string{"mixed.subunit"}, []record{{"pkg.mod.Class.test_one", ss}, {"pkg.mod.Class.test_two", sf},
			{"", ss}, {subunit.ParserErrorTestID, sf}, {"pkg.mod.Class.test_routed", sk}, {"pkg.mod.Class.test_three", ss},
			{"pkg.mod.Listed.test_only_listed", subunit.StatusExists}, {"pkg.mod.Class.test_hung", sp}}, 4},
		{"mixed failures, no passthrough", []string{"--status", "fail", "--no-passthrough", "mixed.subunit"},
			[]record{{"pkg.mod.Class.test_two", sf}, {subunit.ParserErrorTestID, sf}}, 0},
		{"exists", []string{"--status", "exists", "mixed.subunit"}, []record{{"pkg.mod.Listed.test_only_listed", subunit.StatusExists}}, 4},
		{"v1 comes out as v2", []string{"--status", "fail", "--no-passthrough", "v1.txt"},
			[]record{{"v1.pkg.Class.test_bad", sf}, {"v1.pkg.Class.test_lost", sf}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.args[len(tt.args)-1]
			args := append(append([]string{"subunit", "filter"}, tt.args[:len(tt.args)-1]...), fixture(in))
			r := run(t, "", args...)
			if r.code != CodeOK {
				t.Fatalf("code %d, stderr %q", r.code, r.stderr)
			}
			got, gotEvents, gotRun := readBack(t, []byte(r.stdout))
			slices.SortStableFunc(got, func(a, b record) int { return strings.Compare(a.id, b.id) })
			want := slices.Clone(tt.want)
			slices.SortStableFunc(want, func(a, b record) int { return strings.Compare(a.id, b.id) })
			if !slices.Equal(got, want) {
				t.Errorf("records\n got %v\nwant %v", got, want)
			}
			if len(gotRun) != tt.runLevel {
				t.Errorf("%d run-level events, want %d", len(gotRun), tt.runLevel)
			}
			// Stream-preserving: a kept test has all its input events, unchanged, in order.
			_, inEvents, _ := readBack(t, readFixture(t, in))
			for id, evs := range gotEvents {
				if id == subunit.ParserErrorTestID {
					continue // made from the bad packet, not copied
				}
				if !slices.EqualFunc(evs, inEvents[id], (*subunit.Event).Equal) {
					t.Errorf("%s: %d events differ from the %d of the input", id, len(evs), len(inEvents[id]))
				}
			}
		})
	}
}

// Without a flag, filter copies a clean stream byte for byte.
func TestFilterCopiesStream(t *testing.T) {
	inputs := []string{fixture("clean.subunit")}
	for _, in := range inputs {
		data := readFixture(t, "clean.subunit")
		r := run(t, "", "subunit", "filter", in)
		if r.code != CodeOK || r.stdout != string(data) {
			t.Errorf("%s: code %d, %d bytes out for %d in; want the same bytes", in, r.code, len(r.stdout), len(data))
		}
	}
}

func TestFilterSharedFixturesRoundTrip(t *testing.T) {
	for _, in := range sharedFixtures(t) {
		r := run(t, "", "subunit", "filter", in)
		data := mustRead(t, in)
		if r.code != CodeOK || r.stdout != string(data) {
			t.Errorf("%s: code %d, output differs from the input (%d vs %d bytes)", in, r.code, len(r.stdout), len(data))
		}
	}
}

func TestJUnit(t *testing.T) {
	tests := []struct {
		in                               string
		tests, failures, errors, skipped int
	}{
		{"clean.subunit", 9, 2, 1, 2},
		{"mixed.subunit", 7, 2, 1, 1},
		{"v1.txt", 5, 2, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r := run(t, "", "subunit", "junit", fixture(tt.in))
			if r.code != CodeCheckFailed {
				t.Errorf("code %d, want %d: the suite has failures", r.code, CodeCheckFailed)
			}
			golden(t, strings.TrimSuffix(tt.in, filepath.Ext(tt.in))+".junit.xml", []byte(r.stdout))
			var doc struct {
				Tests    int `xml:"tests,attr"`
				Failures int `xml:"failures,attr"`
				Suite    struct {
					Tests    int `xml:"tests,attr"`
					Failures int `xml:"failures,attr"`
					Errors   int `xml:"errors,attr"`
					Skipped  int `xml:"skipped,attr"`
					Cases    []struct {
						Failure *struct{} `xml:"failure"`
						Error   *struct{} `xml:"error"`
						Skipped *struct{} `xml:"skipped"`
					} `xml:"testcase"`
				} `xml:"testsuite"`
			}
			if err := xml.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatalf("not XML: %v", err)
			}
			s := doc.Suite
			if s.Tests != tt.tests || s.Failures != tt.failures || s.Errors != tt.errors || s.Skipped != tt.skipped ||
				doc.Tests != tt.tests || doc.Failures != tt.failures {
				t.Errorf("counts %+v", doc)
			}
			var f, e, k int
			for _, c := range s.Cases {
				f += btoi(c.Failure != nil)
				e += btoi(c.Error != nil)
				k += btoi(c.Skipped != nil)
			}
			if len(s.Cases) != tt.tests || f != tt.failures || e != tt.errors || k != tt.skipped {
				t.Errorf("%d cases, %d failures, %d errors, %d skipped; the attributes say %+v", len(s.Cases), f, e, k, s)
			}
		})
	}
}

func TestJUnitSuccess(t *testing.T) {
	b := newStreamBuilder(t)
	b.status("a.B.test_c", subunit.StatusInProgress)
	b.status("a.B.test_c", subunit.StatusSuccess)
	r := run(t, string(b.bytes()), "subunit", "junit", "--suite-name", "tempest <smoke>", "-")
	if r.code != CodeOK {
		t.Errorf("code %d, want 0", r.code)
	}
	for _, want := range []string{`name="tempest &lt;smoke&gt;"`, `<testcase classname="a.B" name="test_c" time="0.250">`, `tests="1" failures="0"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %s:\n%s", want, r.stdout)
		}
	}
	r = run(t, "", "subunit", "junit", "-")
	if err := xml.Unmarshal([]byte(r.stdout), new(struct{})); err != nil || r.code != CodeOK || !strings.Contains(r.stdout, `tests="0"`) {
		t.Errorf("empty stream: code %d, %v:\n%s", r.code, err, r.stdout)
	}
}

func TestSplitTestID(t *testing.T) {
	tests := []struct{ id, class, name string }{
		{"tempest.api.compute.servers.test_x.ServersTest.test_y[id-1234,smoke]", "tempest.api.compute.servers.test_x.ServersTest", "test_y[id-1234,smoke]"},
		{"pkg.Class.test[a.b.c]", "pkg.Class", "test[a.b.c]"},
		{"setUpClass (tempest.api.data_processing.test_jobs.JobTest)", "tempest.api.data_processing.test_jobs.JobTest", "setUpClass"},
		{"standalone", "", "standalone"},
		{"[only.attrs]", "", "[only.attrs]"},
		{"trailing.", "trailing", ""},
	}
	for _, tt := range tests {
		class, name := splitTestID(tt.id)
		if class != tt.class || name != tt.name {
			t.Errorf("splitTestID(%q) = %q, %q; want %q, %q", tt.id, class, name, tt.class, tt.name)
		}
	}
}

func TestFailureSummary(t *testing.T) {
	tests := []struct{ text, msg, typ string }{
		{"Traceback (most recent call last):\n  File \"x.py\"\nValueError: bad value\n\n", "ValueError: bad value", "ValueError"},
		{"Traceback:\ntesttools.matchers._impl.MismatchError: 1 != 2", "testtools.matchers._impl.MismatchError: 1 != 2", "testtools.matchers._impl.MismatchError"},
		{"KeyboardInterrupt", "KeyboardInterrupt", "KeyboardInterrupt"},
		{"it broke: badly", "it broke: badly", ""},
		{"subunit: packet at byte 4: bad CRC32", "subunit: packet at byte 4: bad CRC32", ""},
		{"Error:no space", "Error:no space", ""},
		{"", "", ""},
		{strings.Repeat("é", 300), strings.Repeat("é", 200) + "...", ""},
	}
	for _, tt := range tests {
		msg, typ := failureSummary(tt.text)
		if msg != tt.msg || typ != tt.typ {
			t.Errorf("failureSummary(%q) = %q, %q; want %q, %q", tt.text, msg, typ, tt.msg, tt.typ)
		}
	}
}

func TestXMLText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain\ttext\r\n", "plain\ttext\r\n"},
		{"\x1b[31mred\x1b[0m", "\uFFFD[31mred\uFFFD[0m"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"nul\x00", "nul\uFFFD"},
		{"\uFFFE", "\uFFFD"},
		{"ok ünïcode 😀", "ok ünïcode 😀"},
	}
	for _, tt := range tests {
		if got := xmlText([]byte(tt.in)); got != tt.want {
			t.Errorf("xmlText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSpool(t *testing.T) {
	s := &spool{dir: t.TempDir()}
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	var want bytes.Buffer
	for range 5 { // 5 MiB: past spoolMemory, so on disk
		if _, err := s.Write(chunk); err != nil {
			t.Fatal(err)
		}
		want.Write(chunk)
	}
	if s.file == nil {
		t.Fatal("5 MiB stayed in memory")
	}
	name := s.file.Name()
	var got bytes.Buffer
	if _, err := s.WriteTo(&got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Error("spooled bytes differ")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(&got); err != nil || fileExists(name) {
		t.Errorf("temporary file %s left behind", name)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
