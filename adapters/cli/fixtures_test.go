package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/refstack-go/refstack/subunit"
)

// The repository's own test streams live in testdata and are built here with
// subunit.Writer; go test -update rewrites them, and otherwise this test checks
// that they still match their recipe.
func TestFixtures(t *testing.T) {
	for name, build := range map[string]func(*testing.T) []byte{
		"mixed.subunit": mixedStream,
		"clean.subunit": cleanStream,
		"smoke.subunit": smokeStream,
	} {
		t.Run(name, func(t *testing.T) { golden(t, name, build(t)) })
	}
}

// fixture returns the path of a stream in testdata.
func fixture(name string) string { return filepath.Join("testdata", name) }

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(fixture(name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// streamBuilder writes a test stream: events through a subunit.Writer, raw
// bytes (text, broken packets) in between.
type streamBuilder struct {
	t     *testing.T
	buf   bytes.Buffer
	w     *subunit.Writer
	clock time.Time
}

func newStreamBuilder(t *testing.T) *streamBuilder {
	b := &streamBuilder{t: t, clock: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)}
	w, err := subunit.NewWriter(&b.buf)
	if err != nil {
		t.Fatal(err)
	}
	b.w = w
	return b
}

func (b *streamBuilder) raw(s string) {
	if err := b.w.Flush(); err != nil {
		b.t.Fatal(err)
	}
	b.buf.WriteString(s)
}

func (b *streamBuilder) write(ev *subunit.Event) {
	if err := b.w.Write(ev); err != nil {
		b.t.Fatal(err)
	}
}

// status writes a status event of id at the next tick of the clock; no tags
// when tags is empty.
func (b *streamBuilder) status(id string, st subunit.Status, tags ...string) {
	b.clock = b.clock.Add(250 * time.Millisecond)
	ev := &subunit.Event{
		Flags:     subunit.FlagTestID | subunit.FlagTimestamp | subunit.FlagRunnable,
		Status:    st,
		Timestamp: b.clock,
		TestID:    []byte(id),
	}
	for _, tag := range tags {
		ev.Flags |= subunit.FlagTags
		ev.Tags = append(ev.Tags, []byte(tag))
	}
	b.write(ev)
}

// file writes one chunk of an attachment of id ("" for a run-level file).
func (b *streamBuilder) file(id, name, mime, content string, eof bool) {
	ev := &subunit.Event{
		Flags:       subunit.FlagFile | subunit.FlagRunnable,
		FileName:    []byte(name),
		FileContent: []byte(content),
		MIME:        []byte(mime),
	}
	if id != "" {
		ev.Flags |= subunit.FlagTestID
		ev.TestID = []byte(id)
	}
	if mime != "" {
		ev.Flags |= subunit.FlagMIME
	}
	if eof {
		ev.Flags |= subunit.FlagEOF
	}
	b.write(ev)
}

func (b *streamBuilder) bytes() []byte {
	if err := b.w.Flush(); err != nil {
		b.t.Fatal(err)
	}
	return b.buf.Bytes()
}

const (
	mimeText      = "text/plain;charset=utf8"
	mimeTraceback = "text/x-traceback;charset=utf8,language=python"
)

// cleanStream is a small Tempest-like run that python-subunit would write:
// every outcome, attachments, interleaved workers, a repeated id and a test
// that never finishes, but no text outside packets and no bad packet.
func cleanStream(t *testing.T) []byte {
	b := newStreamBuilder(t)
	const (
		ok    = "tempest.api.compute.servers.test_create.ServersTest.test_create[id-0001,smoke]"
		bad   = "tempest.api.compute.servers.test_create.ServersTest.test_delete[id-0002]"
		skip  = "tempest.api.network.test_ports.PortsTest.test_port_security[id-0003]"
		xfail = "tempest.api.volume.test_snapshots.SnapshotsTest.test_x[id-0004]"
		ux    = "tempest.api.volume.test_snapshots.SnapshotsTest.test_ux[id-0005]"
		fixt  = "setUpClass (tempest.api.identity.test_users.UsersTest)"
		hung  = "tempest.scenario.test_minimum.TestMinimum.test_basic[id-0006,slow]"
		noDot = "standalone_test"
	)
	b.status(ok, subunit.StatusInProgress)
	b.status(bad, subunit.StatusInProgress)
	b.file(ok, "stdout", mimeText, "server created\n", true)
	b.file(bad, "traceback", mimeTraceback, "Traceback (most recent call last):\n  File \"test_create.py\", line 7, in test_delete\n", false)
	b.status(ok, subunit.StatusSuccess, "worker-0")
	b.file(bad, "traceback", mimeTraceback, "testtools.matchers._impl.MismatchError: 204 != 404\n", true)
	b.file(bad, "stderr", mimeText, "warning: \x1b[31mred\x1b[0m <&>\n", true)
	b.status(bad, subunit.StatusFail, "worker-1")
	b.status(skip, subunit.StatusInProgress)
	b.file(skip, "reason", mimeText, "Port security is not enabled", true)
	b.status(skip, subunit.StatusSkip, "worker-0")
	b.status(xfail, subunit.StatusInProgress)
	b.status(xfail, subunit.StatusXFail, "worker-1")
	b.status(ux, subunit.StatusInProgress)
	b.status(ux, subunit.StatusUxSuccess, "worker-1")
	b.status(fixt, subunit.StatusInProgress)
	b.file(fixt, "reason", mimeText, "Identity v3 is disabled", true)
	b.status(fixt, subunit.StatusSkip, "worker-0")
	b.status(hung, subunit.StatusInProgress)
	b.status(noDot, subunit.StatusInProgress)
	b.status(noDot, subunit.StatusSuccess, "worker-1")
	b.status(ok, subunit.StatusInProgress)
	b.status(ok, subunit.StatusSuccess, "worker-1")
	return b.bytes()
}

// mixedStream adds what real streams also carry: text outside packets,
// run-level attachments, enumerated tests, an empty and a routed test id, and
// a packet with a bad CRC (which python-subunit reports as the failed test
// "subunit.parser").
func mixedStream(t *testing.T) []byte {
	b := newStreamBuilder(t)
	b.raw("tempest starting\n")
	b.status("pkg.mod.Listed.test_only_listed", subunit.StatusExists)
	b.status("pkg.mod.Class.test_one", subunit.StatusInProgress)
	b.status("pkg.mod.Class.test_one", subunit.StatusSuccess, "worker-0")
	b.raw("some chatter between packets\n")
	b.status("pkg.mod.Class.test_two", subunit.StatusInProgress)
	b.file("pkg.mod.Class.test_two", "traceback", mimeTraceback, "Traceback (most recent call last):\nValueError: two\n", true)
	b.file("", "stdout", "", "run-level output\n", false)
	b.status("pkg.mod.Class.test_two", subunit.StatusFail, "worker-1")
	b.status("", subunit.StatusSuccess)
	// A packet whose CRC is wrong: 0xB3, flags 0x2903, length 0x0B, "id", CRC.
	b.raw("\xb3\x29\x03\x0b\x02id\xde\xad\xbe\xef")
	b.status("pkg.mod.Class.test_three", subunit.StatusInProgress)
	ev := &subunit.Event{
		Flags:     subunit.FlagTestID | subunit.FlagRouteCode | subunit.FlagRunnable,
		Status:    subunit.StatusSkip,
		TestID:    []byte("pkg.mod.Class.test_routed"),
		RouteCode: []byte("0"),
	}
	b.write(ev)
	b.status("pkg.mod.Class.test_three", subunit.StatusSuccess, "worker-0", "smoke")
	b.status("pkg.mod.Class.test_hung", subunit.StatusInProgress)
	b.raw("tempest done\n")
	return b.bytes()
}

// smokeStream is a small run that passes: two workers, successes and a skip.
// README.md's first command reads it.
func smokeStream(t *testing.T) []byte {
	b := newStreamBuilder(t)
	tests := []struct {
		id     string
		status subunit.Status
	}{
		{"tempest.api.compute.flavors.test_flavors.FlavorsV2TestJSON.test_list_flavors[id-e36c0eaa-dff5-4082-ad1f-3f9a80aa3f59,smoke]", subunit.StatusSuccess},
		{"tempest.api.identity.v3.test_tokens.TokensV3Test.test_create_token[id-6f8e4436-fc96-4282-8122-e41df57197a9]", subunit.StatusSuccess},
		{"tempest.api.image.v2.test_images.ListImagesTest.test_list_images[id-1e341d7a-90a9-494c-b143-2cdf2aeb6aee,smoke]", subunit.StatusSuccess},
		{"tempest.api.network.test_networks.NetworksTest.test_list_networks[id-f7ffdeda-e200-4a7a-bcbe-05716e86bf43,smoke]", subunit.StatusSuccess},
		{"tempest.api.object_storage.test_account_services.AccountTest.test_list_containers[id-3499406a-ae53-4f8c-b43a-133d4dc6fe3f,smoke]", subunit.StatusSuccess},
		{"tempest.api.volume.test_volumes_get.VolumesGetTest.test_volume_create_get_delete[id-27fb0e9f-fb64-41dd-8bdb-1ffa762f0d51,smoke]", subunit.StatusSkip},
	}
	for i := 0; i < len(tests); i += 2 {
		a, c := tests[i], tests[i+1]
		b.status(a.id, subunit.StatusInProgress)
		b.status(c.id, subunit.StatusInProgress)
		if a.status == subunit.StatusSkip {
			b.file(a.id, "reason", mimeText, "Cinder is not available", true)
		}
		if c.status == subunit.StatusSkip {
			b.file(c.id, "reason", mimeText, "Cinder is not available", true)
		}
		b.status(a.id, a.status, "worker-0")
		b.status(c.id, c.status, "worker-1")
	}
	return b.bytes()
}
