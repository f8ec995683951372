package webui

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/guideline"
)

// dirGuidelines serves guidelines from a directory laid out like the
// interop repository, as the server's cache does from its source.
type dirGuidelines struct{ src guideline.Source }

func (d dirGuidelines) List(ctx context.Context) (*guideline.Listing, error) {
	return guideline.List(ctx, d.src)
}

func (d dirGuidelines) Get(ctx context.Context, file string) (*guideline.Guideline, error) {
	data, _, err := guideline.Resolve(ctx, d.src, file)
	if err != nil {
		return nil, err
	}
	return guideline.Parse(data)
}

// testGuidelines reads testdata/guidelines: 2015.03 (schema 1.2), 2016.01
// (1.5), 2019.11, 2020.06 and next (2.0), and the add-ons dns.2020.06,
// dns.next and orchestration.2020.06.
func testGuidelines(t testing.TB) Guidelines {
	t.Helper()
	src, err := guideline.NewDirSource("testdata/guidelines")
	if err != nil {
		t.Fatal(err)
	}
	return dirGuidelines{src}
}

// offlineGuidelines fails as a source without network and cache does.
type offlineGuidelines struct{}

var errOffline = errors.New("guideline source offline: dial tcp: no route to host")

func (offlineGuidelines) List(context.Context) (*guideline.Listing, error) { return nil, errOffline }
func (offlineGuidelines) Get(context.Context, string) (*guideline.Guideline, error) {
	return nil, errOffline
}

// brokenGetGuidelines lists guidelines but cannot read any.
type brokenGetGuidelines struct{ Guidelines }

func (brokenGetGuidelines) Get(context.Context, string) (*guideline.Guideline, error) {
	return nil, errOffline
}

// Test names of testdata/guidelines/2020.06.json.
const (
	tListServers   = "tempest.api.compute.servers.test_create_server.ServersTestJSON.test_list_servers"
	tServerDetails = "tempest.api.compute.servers.test_create_server.ServersTestJSON.test_verify_server_details" // flagged
	tListImages    = "tempest.api.compute.images.test_list_images.ListImagesTestJSON.test_list_images"
	tImagesAlias   = "tempest.api.image.v2.test_images.ListImagesTest.test_list_images" // alias of tListImages
	tContainer     = "tempest.api.object_storage.test_container_services.ContainerTest.test_create_container"
	tAttachVolume  = "tempest.api.compute.volumes.test_attach_volume.AttachVolumeTestJSON.test_attach_detach_volume" // advisory
	tCreateZone    = "designate_tempest_plugin.tests.api.v2.test_zones.ZonesTest.test_create_zone"
)

// fixture is a store with known results.
type fixture struct {
	store storage.Store
	// compliant passes every non-flagged required test of 2020.06 for the
	// platform (one through an alias) and an advisory test; its meta says
	// guideline 2020.06.json and target platform.
	compliant string
	// failing passes one required test and has no meta.
	failing string
	// dns passes the DNS add-on test, meta target dns.
	dns string
	// private has an uploader and is not shared; shared has both.
	private, shared string
	// hostile has HTML in a test name and in its meta values.
	hostile string
}

const secretCPID = "cpid-0123456789abcdef-secret"

func newFixture(t testing.TB) *fixture {
	t.Helper()
	st := openStore(t)
	f := &fixture{store: st}
	base := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	add := func(minutes int, meta map[string]string, tests ...string) string {
		nr := storage.NewResult{CPID: secretCPID, DurationSeconds: 1234, CreatedAt: base.Add(time.Duration(minutes) * time.Minute), Meta: meta}
		for _, n := range tests {
			nr.Tests = append(nr.Tests, storage.Test{Name: n})
		}
		r, err := st.CreateResult(context.Background(), nr)
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	f.compliant = add(0, map[string]string{"guideline": "2020.06.json", "target": "platform"}, tListServers, tImagesAlias, tContainer, tAttachVolume)
	f.failing = add(1, nil, tListServers)
	f.dns = add(2, map[string]string{"target": "dns"}, tCreateZone, tListServers)
	f.private = add(3, map[string]string{"user": "openid-alice"}, tListServers)
	f.shared = add(4, map[string]string{"user": "openid-bob", "shared": "true"}, tListServers)
	f.hostile = add(5, map[string]string{"guideline": `<script>alert("g")</script>.json`, "target": `"><script>alert('t')</script>`, "shared": "1"},
		`<script>alert("test")</script>`, tListServers)
	return f
}

// handler builds the UI on the fixture's store and guidelines.
func (f *fixture) handler(t testing.TB, g Guidelines) http.Handler {
	t.Helper()
	h, err := New(Config{Store: f.store, Guidelines: g})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// get requests path from h and returns the status and body.
func get(t testing.TB, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

// attr returns the value of attribute name of the element with id, or
// fails the test.
func attr(t testing.TB, body, id, name string) string {
	t.Helper()
	tag := regexp.MustCompile(`<[a-z0-9]+[^>]*\sid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(body)
	if tag == "" {
		t.Fatalf("no element with id %q in the page", id)
	}
	m := regexp.MustCompile(`\s` + regexp.QuoteMeta(name) + `="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		t.Fatalf("element %q has no attribute %s: %s", id, name, tag)
	}
	return m[1]
}

// text returns the text of the element with id up to its first closing
// tag, tags removed.
func text(t testing.TB, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)\sid="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no element with id %q in the page", id)
	}
	return strings.TrimSpace(m[1])
}

// count counts the occurrences of a regular expression.
func count(body, re string) int {
	return len(regexp.MustCompile(re).FindAllStringIndex(body, -1))
}

func mustContain(t testing.TB, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page does not contain %q", w)
		}
	}
}

func mustNotContain(t testing.TB, body string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(body, b) {
			t.Errorf("page contains %q", b)
		}
	}
}

// regexpAll returns the submatches of every match of re.
func regexpAll(body, re string) [][]string {
	return regexp.MustCompile(re).FindAllStringSubmatch(body, -1)
}
