package webui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestReportFigures checks the compliance figures of the report page for
// each program and guideline schema against what RefStack's page shows for
// the same data (refstack-server.md §9.3).
func TestReportFigures(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, testGuidelines(t))
	tests := []struct {
		name, path string
		// guideline and program selected
		version, target string
		compliant       string
		reqPassed       string // "passed/total"
		reqPct, nonPct  string
		nonFlagged      string            // "passed/total"
		caps            map[string]string // status → "capabilities/tests"
	}{
		{
			name: "meta guideline and target", path: "/results/" + f.compliant,
			version: "2020.06.json", target: "platform", compliant: "yes",
			reqPassed: "3/4", reqPct: "75.0%", nonFlagged: "3/3", nonPct: "100.0%",
			caps: map[string]string{"required": "3/4", "advisory": "1/1", "deprecated": "0/", "removed": "1/1"},
		},
		{
			name: "compute program", path: "/results/" + f.compliant + "?target=compute",
			version: "2020.06.json", target: "compute", compliant: "yes",
			reqPassed: "2/3", reqPct: "66.7%", nonFlagged: "2/2", nonPct: "100.0%",
			caps: map[string]string{"required": "2/3", "advisory": "1/1"},
		},
		{
			name: "object program", path: "/results/" + f.failing + "?target=object",
			version: "2020.06.json", target: "object", compliant: "no",
			reqPassed: "0/1", reqPct: "0.0%", nonFlagged: "0/1", nonPct: "0.0%",
			caps: map[string]string{"required": "1/1", "advisory": "0/"},
		},
		{
			name: "default guideline skips next", path: "/results/" + f.failing,
			version: "2020.06.json", target: "platform", compliant: "no",
			reqPassed: "1/4", reqPct: "25.0%", nonFlagged: "1/3", nonPct: "33.3%",
		},
		{
			name: "next chosen", path: "/results/" + f.failing + "?guideline=next.json",
			version: "next.json", target: "platform", compliant: "no",
			reqPassed: "1/4", reqPct: "25.0%", nonFlagged: "1/4", nonPct: "25.0%",
		},
		{
			name: "name without .json", path: "/results/" + f.compliant + "?guideline=2019.11",
			version: "2019.11.json", target: "platform", compliant: "yes",
			reqPassed: "3/4", reqPct: "75.0%", nonFlagged: "3/3", nonPct: "100.0%",
		},
		{
			name: "schema 1.5", path: "/results/" + f.compliant + "?guideline=2016.01.json",
			version: "2016.01.json", target: "platform", compliant: "yes",
			reqPassed: "2/3", reqPct: "66.7%", nonFlagged: "2/2", nonPct: "100.0%",
		},
		{
			// 1.2 has no aliases: only list_servers and create_container count.
			name: "schema 1.2", path: "/results/" + f.failing + "?guideline=2015.03.json",
			version: "2015.03.json", target: "platform", compliant: "no",
			reqPassed: "1/3", reqPct: "33.3%", nonFlagged: "1/2", nonPct: "50.0%",
		},
		{
			name: "dns from meta target", path: "/results/" + f.dns,
			version: "2020.06.json", target: "dns", compliant: "yes",
			reqPassed: "1/1", reqPct: "100.0%", nonFlagged: "1/1", nonPct: "100.0%",
			caps: map[string]string{"required": "1/1"},
		},
		{
			name: "dns chosen", path: "/results/" + f.compliant + "?target=dns&guideline=2020.06.json",
			version: "2020.06.json", target: "dns", compliant: "no",
			reqPassed: "0/1", reqPct: "0.0%", nonFlagged: "0/1", nonPct: "0.0%",
		},
		{
			name: "orchestration", path: "/results/" + f.dns + "?target=orchestration",
			version: "2020.06.json", target: "orchestration", compliant: "no",
			reqPassed: "0/1", reqPct: "0.0%", nonFlagged: "0/1", nonPct: "0.0%",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, h, tt.path)
			if code != http.StatusOK {
				t.Fatalf("status %d, want 200:\n%s", code, body)
			}
			if got := attr(t, body, "compliance", "data-compliant"); got != tt.compliant {
				t.Errorf("compliant = %s, want %s", got, tt.compliant)
			}
			req := attr(t, body, "compliance", "data-required-passed") + "/" + attr(t, body, "compliance", "data-required-total")
			non := attr(t, body, "compliance", "data-nonflagged-passed") + "/" + attr(t, body, "compliance", "data-nonflagged-total")
			if req != tt.reqPassed || non != tt.nonFlagged {
				t.Errorf("required %s non-flagged %s, want %s and %s", req, non, tt.reqPassed, tt.nonFlagged)
			}
			if got := text(t, body, "required-percent"); got != tt.reqPct {
				t.Errorf("required percent %s, want %s", got, tt.reqPct)
			}
			if got := text(t, body, "nonflagged-percent"); got != tt.nonPct {
				t.Errorf("non-flagged percent %s, want %s", got, tt.nonPct)
			}
			label := strings.TrimSuffix(tt.version, ".json")
			sentence := text(t, body, "sentence")
			wantSentence := fmt.Sprintf("This cloud passes %s (%s) of the tests in the %s required capabilities", tt.reqPct, tt.reqPassed, label)
			if !strings.HasPrefix(sentence, wantSentence) || !strings.HasSuffix(sentence, fmt.Sprintf("passes %s (%s) of the required tests.", tt.nonPct, tt.nonFlagged)) {
				t.Errorf("sentence %q, want it to start %q", sentence, wantSentence)
			}
			yesNo := map[string]string{"yes": "YES", "no": "NO"}[tt.compliant]
			if got := text(t, body, "compliance-badge"); got != "Compliance with "+label+": "+yesNo {
				t.Errorf("badge %q", got)
			}
			if !matches(body, `<option value="`+tt.version+`" selected>`) {
				t.Errorf("guideline %s is not the selected option", tt.version)
			}
			if !matches(body, `<option value="`+tt.target+`" data-group="[a-z]+" selected>`) {
				t.Errorf("program %s is not the selected option", tt.target)
			}
			for st, want := range tt.caps {
				got := attr(t, body, "status-"+st, "data-capabilities") + "/"
				if want != "0/" {
					got += attr(t, body, "status-"+st, "data-tests")
				}
				if got != want {
					t.Errorf("%s: capabilities/tests %s, want %s", st, got, want)
				}
			}
			mustNotContain(t, body, secretCPID)
		})
	}
}

func matches(body, re string) bool { return count(body, re) > 0 }

// TestReportCapabilityTable checks the per-capability counts, the test
// marks, flags and aliases, and the filters of the capability overview.
func TestReportCapabilityTable(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, testGuidelines(t))
	_, body := get(t, h, "/results/"+f.compliant)

	for capName, want := range map[string]string{
		"compute-images-list":          `data-passed="1" data-total="1"`,
		"compute-servers-create":       `data-passed="1" data-total="2"`,
		"objectstore-container-create": `data-passed="1" data-total="1"`,
		"compute-volume-attach":        `data-passed="1" data-total="1"`,
		"compute-servers-legacy":       `data-passed="0" data-total="1"`,
	} {
		if !strings.Contains(body, `data-capability="`+capName+`" `+want) {
			t.Errorf("capability %s: want %s", capName, want)
		}
	}
	// Colours: all passed, some passed, none passed.
	mustContain(t, body,
		`<span class="count count-all">[1/1]</span> compute-images-list`,
		`<span class="count count-some">[1/2]</span> compute-servers-create`,
		`<span class="count count-none">[0/1]</span> compute-servers-legacy`,
	)
	// Marks, flag tooltip, alias match and alias list.
	mustContain(t, body,
		`data-test="`+tListServers+`" data-passed="true" data-flagged="false"`,
		`data-test="`+tServerDetails+`" data-passed="false" data-flagged="true"`,
		`title="[D408] Test fails when the cloud uses cells v1."`,
		`passed as <code>`+tImagesAlias+`</code>`,
		`<summary>Aliases (1)</summary><ul><li><code>`+tImagesAlias+`</code>`,
	)
	if n := count(body, `class="mark pass"`); n != 4 {
		t.Errorf("%d passed marks, want 4", n)
	}
	if n := count(body, `class="mark fail"`); n != 2 {
		t.Errorf("%d failed marks, want 2", n)
	}
	// The passed tests, sorted, in the header.
	if got := attr(t, body, "passed-tests", "data-count"); got != "4" {
		t.Errorf("passed tests count %s", got)
	}
	mustContain(t, body, "<pre>"+tListServers+"\n"+tAttachVolume+"\n"+tImagesAlias+"\n"+tContainer+"</pre>")
	mustContain(t, body, `id="guideline-status">approved<`, `id="guideline-releases">stein, train, ussuri, victoria<`,
		`id="meta-guideline">2020.06<`, `id="meta-target">OpenStack Powered Platform<`)

	filters := []struct {
		filter string
		// filter count per status, tests shown
		required, shown int
		heading         string
		absent          string
	}{
		{"passed", 3, 4, "(Passed: 3 tests)", "compute-servers-legacy"},
		{"notpassed", 1, 2, "(Not Passed: 1 tests)", "compute-images-list"},
		{"flagged", 1, 1, "(Flagged: 1 tests)", "objectstore-container-create"},
	}
	for _, tt := range filters {
		t.Run(tt.filter, func(t *testing.T) {
			code, body := get(t, h, "/results/"+f.compliant+"?filter="+tt.filter)
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			if got := attr(t, body, "status-required", "data-filter-count"); got != fmt.Sprint(tt.required) {
				t.Errorf("required filter count %s, want %d", got, tt.required)
			}
			if n := count(body, `<li class="test" `); n != tt.shown {
				t.Errorf("%d tests shown, want %d", n, tt.shown)
			}
			mustContain(t, body, tt.heading, `value="`+tt.filter+`" checked`)
			// Filtered capabilities are open, to show the tests kept.
			if n, open := count(body, `<li class="cap" `), count(body, `<li class="cap" [^>]*>\s*<details open>`); n != open || n == 0 {
				t.Errorf("%d of %d capabilities open", open, n)
			}
			mustNotContain(t, body, `data-capability="`+tt.absent+`"`)
			// The selector keeps the filter.
			mustContain(t, body, `<input type="hidden" name="filter" value="`+tt.filter+`">`)
		})
	}
}

// TestReportSelection checks how the program and guideline are chosen when
// the query or the result's meta asks for one that does not exist.
func TestReportSelection(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, testGuidelines(t))

	// A core guideline that the DNS program does not have: its default.
	code, body := get(t, h, "/results/"+f.compliant+"?target=dns&guideline=2016.01.json")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	mustContain(t, body, "Guideline 2016.01 is not available for the OpenStack with DNS program; showing 2020.06.",
		`<option value="2020.06.json" selected>2020.06</option>`, `<option value="next.json">next</option>`)
	// The DNS selector lists the dns group only, newest first.
	if got := count(body, `<option value="[^"]+\.json"`); got != 2 {
		t.Errorf("%d guideline options for DNS, want 2", got)
	}
	if i, j := strings.Index(body, `value="next.json"`), strings.Index(body, `value="2020.06.json"`); i < 0 || i > j {
		t.Error("guidelines are not listed newest first")
	}
	if !strings.Contains(body, `href="/guidelines?guideline=2020.06.json&amp;target=dns"`) {
		t.Error("no link to the guideline in the browser")
	}

	// The hostile result's meta names no listed guideline nor program.
	code, body = get(t, h, "/results/"+f.hostile)
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	mustContain(t, body, "is not one of the five programs; showing OpenStack Powered Platform.", "is not listed for the OpenStack Powered Platform program; showing the default.")

	// The powered list for the platform program.
	_, body = get(t, h, "/results/"+f.failing)
	if got := count(body, `<option value="[^"]+\.json"`); got != 5 {
		t.Errorf("%d guideline options for the platform, want 5", got)
	}
}

// TestReportErrors checks the answers that are not a report.
func TestReportErrors(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, testGuidelines(t))
	tests := []struct {
		name, path string
		code       int
		want       string
	}{
		{"unknown id", "/results/0b3c9d7e-5f1a-4e2b-9c8d-7a6b5c4d3e2f", 404, "Test result 0b3c9d7e-5f1a-4e2b-9c8d-7a6b5c4d3e2f not found."},
		{"private", "/results/" + f.private, 404, "Test result " + f.private + " not found."},
		{"too long id", "/results/" + strings.Repeat("a", 65), 404, "not found."},
		{"html id", "/results/%3Cb%3Ex", 404, "Test result &lt;b&gt;x not found."},
		{"unknown filter", "/results/" + f.compliant + "?filter=mine", 400, `Unknown filter &#34;mine&#34;`},
		{"unknown program", "/results/" + f.compliant + "?target=nfv", 400, `Unknown program &#34;nfv&#34;`},
		{"shared", "/results/" + f.shared, 200, `id="compliance"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, h, tt.path)
			if code != tt.code {
				t.Errorf("status %d, want %d", code, tt.code)
			}
			mustContain(t, body, tt.want)
			if tt.code != 200 {
				if got := attr(t, body, "error", "data-status"); got != fmt.Sprint(tt.code) {
					t.Errorf("error page status %s", got)
				}
			}
		})
	}
}

// TestReportGuidelinesUnavailable checks that the result is still shown,
// with a message, when guidelines cannot be loaded.
func TestReportGuidelinesUnavailable(t *testing.T) {
	f := newFixture(t)
	for name, g := range map[string]Guidelines{
		"listing": offlineGuidelines{},
		"file":    brokenGetGuidelines{testGuidelines(t)},
	} {
		t.Run(name, func(t *testing.T) {
			code, body := get(t, f.handler(t, g), "/results/"+f.compliant)
			if code != http.StatusServiceUnavailable {
				t.Errorf("status %d, want 503", code)
			}
			mustContain(t, body, `id="problem"`, "cannot be loaded right now", f.compliant)
			mustNotContain(t, body, `id="compliance"`, "no route to host")
		})
	}
}

// TestReportEscapes checks that test names and meta values are escaped.
func TestReportEscapes(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, testGuidelines(t))
	for _, path := range []string{"/results/" + f.hostile, "/"} {
		code, body := get(t, h, path)
		if code != http.StatusOK {
			t.Fatalf("%s: status %d", path, code)
		}
		mustNotContain(t, body, "<script>alert", `"><script>`)
		if n := count(body, `<script`); n != 1 { // the page's own script
			t.Errorf("%s: %d script tags, want 1", path, n)
		}
	}
	_, body := get(t, h, "/results/"+f.hostile)
	mustContain(t, body, `&lt;script&gt;alert(&#34;test&#34;)&lt;/script&gt;`, `&lt;script&gt;alert(&#34;g&#34;)&lt;/script&gt;`)
}
