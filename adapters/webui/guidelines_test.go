package webui

import (
	"net/http"
	"strings"
	"testing"
)

// TestGuidelinesPage checks the browser's selection, capability list and
// test-list link for each program and schema.
func TestGuidelinesPage(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, testGuidelines(t))
	tests := []struct {
		name, query string
		version     string // selected option
		status      string
		releases    string
		caps        []string // capabilities shown, in order
		link        string   // the test-list href, "" for none
		lines       string   // the test-list count
	}{
		{
			name: "defaults", query: "", version: "2020.06.json", status: "approved", releases: "stein, train, ussuri, victoria",
			caps:  []string{"compute-images-list", "compute-servers-create", "objectstore-container-create"},
			link:  "/v1/guidelines/2020.06.json/tests?alias=true&amp;flag=false&amp;target=platform&amp;type=required",
			lines: "4", // 3 non-flagged required tests and 1 alias
		},
		{
			name: "every status with flagged, no aliases", query: "?opts=1&status=required&status=advisory&status=deprecated&status=removed&flag=true",
			version: "2020.06.json", status: "approved",
			caps:  []string{"compute-images-list", "compute-servers-create", "compute-servers-legacy", "compute-volume-attach", "objectstore-container-create"},
			link:  "/v1/guidelines/2020.06.json/tests?alias=false&amp;flag=true&amp;target=platform&amp;type=required%2Cadvisory%2Cdeprecated%2Cremoved",
			lines: "6",
		},
		{
			name: "compute advisory", query: "?target=compute&guideline=2019.11&status=advisory",
			version: "2019.11.json", status: "superseded", releases: "rocky, stein, train, ussuri",
			caps:  []string{"compute-volume-attach"},
			link:  "/v1/guidelines/2019.11.json/tests?alias=true&amp;flag=false&amp;target=compute&amp;type=advisory",
			lines: "1",
		},
		{
			name: "nothing checked", query: "?opts=1&alias=true",
			version: "2020.06.json", status: "approved",
		},
		{
			name: "schema 1.2", query: "?guideline=2015.03.json&opts=1&status=required&flag=true",
			version: "2015.03.json", status: "superseded", releases: "icehouse, juno",
			caps:  []string{"compute-servers-create", "objectstore-container-create"},
			link:  "/v1/guidelines/2015.03.json/tests?alias=false&amp;flag=true&amp;target=platform&amp;type=required",
			lines: "3",
		},
		{
			name: "dns add-on", query: "?target=dns",
			version: "2020.06.json", status: "approved", releases: "stein, train",
			caps:  []string{"dns-zone-crud"},
			link:  "/v1/guidelines/dns.2020.06.json/tests?alias=true&amp;flag=false&amp;target=dns&amp;type=required",
			lines: "1",
		},
		{
			name: "orchestration add-on", query: "?target=orchestration&guideline=orchestration.2020.06.json",
			version: "2020.06.json", status: "approved",
			caps:  []string{"stack-create"},
			link:  "/v1/guidelines/orchestration.2020.06.json/tests?alias=true&amp;flag=false&amp;target=orchestration&amp;type=required",
			lines: "1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, h, "/guidelines"+tt.query)
			if code != http.StatusOK {
				t.Fatalf("status %d:\n%s", code, body)
			}
			if !matches(body, `<option value="`+tt.version+`" selected>`) {
				t.Errorf("%s is not selected", tt.version)
			}
			if got := text(t, body, "guideline-status"); got != tt.status {
				t.Errorf("status %q, want %q", got, tt.status)
			}
			if tt.releases != "" {
				if got := text(t, body, "guideline-releases"); got != tt.releases {
					t.Errorf("releases %q, want %q", got, tt.releases)
				}
			}
			var caps []string
			for _, m := range regexpAll(body, `<article class="capability" id="cap-([^"]+)"`) {
				caps = append(caps, m[1])
			}
			if strings.Join(caps, " ") != strings.Join(tt.caps, " ") {
				t.Errorf("capabilities %v, want %v", caps, tt.caps)
			}
			if tt.link == "" {
				mustContain(t, body, "No tests matching selected criteria.", "No capability has the checked statuses.")
				mustNotContain(t, body, `id="testlist-download"`)
				return
			}
			if got := attr(t, body, "testlist-download", "href"); got != tt.link {
				t.Errorf("test-list link\n%s, want\n%s", got, tt.link)
			}
			if got := attr(t, body, "testlist-download", "data-count"); got != tt.lines {
				t.Errorf("test-list count %s, want %s", got, tt.lines)
			}
			mustContain(t, body, "Test List ("+tt.lines+")", `wget &#34;http://example.com`+strings.ReplaceAll(tt.link, "&amp;", "&amp;"))
		})
	}
}

// TestGuidelinesDetails checks flags, aliases, achievements and criteria.
func TestGuidelinesDetails(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, testGuidelines(t))
	_, body := get(t, h, "/guidelines")
	mustContain(t, body,
		`<span class="flag" title="[D408] Test fails when the cloud uses cells v1." aria-label="Flagged">`,
		`<li>alias <code>`+tImagesAlias+`</code></li>`,
		`<small class="uuid">id-1c2b6b57-5c2a-4a5f-a3c4-2ce4c0a28d44</small>`,
		"<li>Atomic</li><li>Used by Clients</li>",
		"<summary><h2>Criteria (2)</h2></summary>",
		"<td>Used by Clients</td><td>Called by common OpenStack clients.</td><td>40</td>",
		"Project: swift",
	)
	_, body = get(t, h, "/guidelines?guideline=2015.03")
	mustContain(t, body, `title="Interop Working Group has flagged this test."`)
}

func TestGuidelinesErrors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name  string
		g     Guidelines
		query string
		code  int
		want  string
	}{
		{"unknown program", testGuidelines(t), "?target=nfv", 400, "Unknown program &#34;nfv&#34;"},
		{"unknown status", testGuidelines(t), "?status=optional", 400, "Unknown capability status &#34;optional&#34;"},
		{"offline", offlineGuidelines{}, "", 503, "The guidelines cannot be loaded right now."},
		{"file unreadable", brokenGetGuidelines{testGuidelines(t)}, "", 503, "Guideline 2020.06.json cannot be loaded right now."},
		{"not in the program", testGuidelines(t), "?target=dns&guideline=2016.01", 200, "Guideline 2016.01 is not available for the OpenStack with DNS program; showing 2020.06."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, f.handler(t, tt.g), "/guidelines"+tt.query)
			if code != tt.code {
				t.Errorf("status %d, want %d", code, tt.code)
			}
			mustContain(t, body, tt.want)
			mustNotContain(t, body, "no route to host")
		})
	}
}

// TestGuidelinesAPIPrefix checks that the download link follows the API's
// mount point.
func TestGuidelinesAPIPrefix(t *testing.T) {
	f := newFixture(t)
	h, err := New(Config{Store: f.store, Guidelines: testGuidelines(t), APIPrefix: "/api/v1/"})
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, h, "/guidelines?target=dns")
	if got := attr(t, body, "testlist-download", "href"); !strings.HasPrefix(got, "/api/v1/guidelines/dns.2020.06.json/tests?") {
		t.Errorf("link %s", got)
	}
	if got := attr(t, body, "testlist-download", "download"); got != "2020.06-test-list.txt" {
		t.Errorf("download name %s", got)
	}
}
