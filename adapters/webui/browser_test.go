package webui

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/refstack-go/refstack/internal/testenv"
)

// The browser tests run Debian's chromium headless against the pages on
// 127.0.0.1, one process at a time, and check what it made of them: the DOM
// after the script ran, and screenshots decoded as PNG.

const (
	chromiumPath = "/usr/bin/chromium"
	shotWidth    = 1280
	shotHeight   = 2000
)

// browser runs chromium for one page.
type browser struct {
	t    *testing.T
	path string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: skipped in -short mode")
	}
	return &browser{t: t, path: testenv.Tool(t, chromiumPath)}
}

// run runs chromium headless with the page-specific args and returns its
// standard output.
func (b *browser) run(args ...string) []byte {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
		"--user-data-dir=" + b.t.TempDir(),
		fmt.Sprintf("--window-size=%d,%d", shotWidth, shotHeight),
	}
	cmd := exec.CommandContext(ctx, b.path, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		b.t.Fatalf("chromium %v: %v\n%s", args, err, lastLines(stderr.String(), 10))
	}
	return stdout.Bytes()
}

// dom returns the DOM of url after its scripts ran (and any navigation they
// started finished).
func (b *browser) dom(url string) string {
	b.t.Helper()
	return string(b.run("--virtual-time-budget=5000", "--dump-dom", url))
}

// screenshot takes a screenshot of url and decodes it.
func (b *browser) screenshot(url string) image.Image {
	b.t.Helper()
	file := filepath.Join(b.t.TempDir(), "shot.png")
	b.run("--virtual-time-budget=5000", "--screenshot="+file, url)
	data, err := os.ReadFile(file)
	if err != nil {
		b.t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	if out := os.Getenv("WEBUI_SCREENSHOTS"); out != "" { // keep them for a look
		name := strings.NewReplacer("/", "_", ":", "_", "?", "_", "&", "_").Replace(url)
		_ = os.WriteFile(filepath.Join(out, name+".png"), data, 0o644)
	}
	return img
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// TestBrowserHashRedirect checks that RefStack's #/results/<id> address,
// as upload answers and old links give it, lands on the report.
func TestBrowserHashRedirect(t *testing.T) {
	b := newBrowser(t)
	f := newFixture(t)
	srv := httptest.NewServer(f.handler(t, testGuidelines(t)))
	defer srv.Close()

	dom := b.dom(srv.URL + "/#/results/" + f.compliant)
	if !strings.Contains(dom, `<dd id="result-id"><code>`+f.compliant+`</code></dd>`) {
		t.Fatalf("the hash address did not land on the report:\n%.2000s", dom)
	}
	if !strings.Contains(dom, `data-compliant="yes"`) {
		t.Error("no compliance figures on the report")
	}
	// The script marked the selector forms: their buttons are hidden.
	if !strings.Contains(dom, `class="selector js-autosubmit"`) {
		t.Error("the script did not enhance the selector form")
	}
}

// badge colours of style.css.
var (
	badgeYes = color.RGBA{0x00, 0x87, 0x5a, 0xff}
	badgeNo  = color.RGBA{0xd1, 0x24, 0x2f, 0xff}
)

// TestBrowserScreenshots checks the rendered report: full size, not blank,
// and the compliance badge in its colour, green for YES and red for NO.
func TestBrowserScreenshots(t *testing.T) {
	b := newBrowser(t)
	f := newFixture(t)
	srv := httptest.NewServer(f.handler(t, testGuidelines(t)))
	defer srv.Close()

	tests := []struct {
		name      string
		id        string
		want, not color.RGBA
	}{
		{"compliant", f.compliant, badgeYes, badgeNo},
		{"not compliant", f.failing, badgeNo, badgeYes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := b.screenshot(srv.URL + "/results/" + tt.id)
			if got := img.Bounds().Size(); got != image.Pt(shotWidth, shotHeight) {
				t.Fatalf("screenshot is %v, want %dx%d", got, shotWidth, shotHeight)
			}
			st := measure(img, tt.want)
			if st.nonWhite < 0.02 {
				t.Errorf("screenshot is blank: %.1f%% non-white pixels", 100*st.nonWhite)
			}
			// The badge is 22rem × 4.5rem at 16px: 352×72 pixels, less its
			// rounded corners and the text on it.
			if st.match < 352*72*6/10 {
				t.Errorf("%d pixels of the badge colour %v, want at least %d", st.match, tt.want, 352*72*6/10)
			}
			if w, h := st.box.Dx(), st.box.Dy(); w < 340 || w > 360 || h < 64 || h > 80 {
				t.Errorf("badge-coloured area is %dx%d at %v, want about 352x72", w, h, st.box.Min)
			}
			if other := measure(img, tt.not); other.match > 200 {
				t.Errorf("%d pixels of the other badge colour %v", other.match, tt.not)
			}
		})
	}
}

// shotStats is what measure finds in a screenshot.
type shotStats struct {
	nonWhite float64         // share of pixels that are not near white
	match    int             // pixels within tolerance of the colour
	box      image.Rectangle // bounding box of those pixels
}

func measure(img image.Image, c color.RGBA) shotStats {
	var st shotStats
	var nonWhite int
	r := img.Bounds()
	first := true
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			if p.R < 240 || p.G < 240 || p.B < 240 {
				nonWhite++
			}
			if near(p, c, 6) {
				st.match++
				pt := image.Rectangle{image.Pt(x, y), image.Pt(x+1, y+1)}
				if first {
					st.box, first = pt, false
				} else {
					st.box = st.box.Union(pt)
				}
			}
		}
	}
	st.nonWhite = float64(nonWhite) / float64(r.Dx()*r.Dy())
	return st
}

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// TestBrowserSelectors drives the report's selectors as a visitor does: a
// radio of the filter, then the program moving to an add-on, whose
// guideline list differs, then back to a core program.
func TestBrowserSelectors(t *testing.T) {
	b := newBrowser(t)
	f := newFixture(t)
	srv := httptest.NewServer(f.handler(t, testGuidelines(t)))
	defer srv.Close()
	c := startCDP(t, b)

	page := srv.URL + "/results/" + f.compliant
	c.navigate(page)
	if got := c.eval(`document.querySelectorAll("li.test").length`); got != "6" {
		t.Fatalf("%s tests listed, want 6", got)
	}
	// The submit buttons are hidden: the forms submit on change.
	if got := c.eval(`getComputedStyle(document.querySelector("#filter button")).display`); got != `"none"` {
		t.Errorf("filter button display %s", got)
	}

	c.act(`document.querySelector("input[name=filter][value=notpassed]").click()`)
	c.waitFor(`location.search.includes("filter=notpassed") && document.readyState === "complete"`)
	if got := c.eval(`Array.from(document.querySelectorAll("li.test")).map(e => e.dataset.passed).join()`); got != `"false,false"` {
		t.Errorf("not-passed filter shows tests passed=%s", got)
	}

	// Platform → DNS: the core guideline choice is dropped and DNS's
	// default guideline shows, without a notice.
	c.act(`var s=document.querySelector("#target"); s.value="dns"; s.dispatchEvent(new Event("change",{bubbles:true}))`)
	c.waitFor(`location.search.includes("target=dns") && document.readyState === "complete"`)
	if got := c.eval(`location.search`); got != `"?target=dns&filter=notpassed"` {
		t.Errorf("query after the program change %s", got)
	}
	if got := c.eval(`document.querySelector("#guideline").value + " " + document.querySelector("#compliance").dataset.compliant + " " + document.querySelectorAll(".notice").length`); got != `"2020.06.json no 0"` {
		t.Errorf("after the program change: %s", got)
	}

	// DNS → compute: back to the core group, the add-on's choice is
	// dropped and the core default shows.
	c.act(`var s=document.querySelector("#target"); s.value="compute"; s.dispatchEvent(new Event("change",{bubbles:true}))`)
	c.waitFor(`location.search.includes("target=compute") && document.readyState === "complete"`)
	if got := c.eval(`document.querySelector("#guideline").value + " " + document.querySelector("#compliance").dataset.requiredTotal`); got != `"2020.06.json 3"` {
		t.Errorf("after the change to compute: %s", got)
	}
	// compute → platform, same group: the guideline choice is kept.
	c.act(`var g=document.querySelector("#guideline"); g.value="2016.01.json"; g.dispatchEvent(new Event("change",{bubbles:true}))`)
	c.waitFor(`location.search.includes("guideline=2016.01.json") && document.readyState === "complete"`)
	c.act(`var s=document.querySelector("#target"); s.value="platform"; s.dispatchEvent(new Event("change",{bubbles:true}))`)
	c.waitFor(`location.search.includes("target=platform") && document.readyState === "complete"`)
	if got := c.eval(`document.querySelector("#guideline").value`); got != `"2016.01.json"` {
		t.Errorf("guideline after a change within the core group: %s", got)
	}
}

// TestBrowserGuidelines drives the guidelines browser's checkboxes: the
// test list follows the checked statuses and options.
func TestBrowserGuidelines(t *testing.T) {
	b := newBrowser(t)
	f := newFixture(t)
	srv := httptest.NewServer(f.handler(t, testGuidelines(t)))
	defer srv.Close()
	c := startCDP(t, b)

	c.navigate(srv.URL + "/guidelines")
	count := `document.querySelector("#testlist-download").dataset.count + " " + document.querySelectorAll("article.capability").length`
	if got := c.eval(count); got != `"4 3"` {
		t.Fatalf("default test list and capabilities: %s", got)
	}
	steps := []struct {
		click, wait, want string
	}{
		{`input[name=status][value=advisory]`, `location.search.includes("status=advisory")`, `"5 4"`},
		{`input[name=flag]`, `location.search.includes("flag=true")`, `"6 4"`},
		{`input[name=alias]`, `!location.search.includes("alias=")`, `"5 4"`},
	}
	for _, s := range steps {
		c.act(`document.querySelector(` + jsString(s.click) + `).click()`)
		c.waitFor(s.wait + ` && document.readyState === "complete"`)
		if got := c.eval(count); got != s.want {
			t.Errorf("after clicking %s: %s, want %s", s.click, got, s.want)
		}
	}
	// Unchecking every status leaves no test list.
	for _, st := range []string{"required", "advisory"} {
		c.act(`document.querySelector("input[name=status][value=` + st + `]").click()`)
		c.waitFor(`!location.search.includes("status=` + st + `") && document.readyState === "complete"`)
	}
	if got := c.eval(`document.querySelector("#testlist-empty").textContent`); got != `"No tests matching selected criteria."` {
		t.Errorf("with no status checked: %s", got)
	}
}
