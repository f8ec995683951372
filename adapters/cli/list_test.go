package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// serveResults answers list requests with total pages of two results.
func serveResults(t *testing.T, total int) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/results/" {
			t.Errorf("GET %s", r.URL)
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page < 1 || page > max(total, 1) {
			w.WriteHeader(400)
			io.WriteString(w, `{"code": 400, "title": "Invalid page number: The page number is greater than the total number of pages."}`)
			return
		}
		var items []string
		for i := 1; i <= 2 && total > 0; i++ {
			items = append(items, fmt.Sprintf(`{"id": "p%d-%d", "created_at": "2024-05-0%d 07:08:0%d", "duration_seconds": 60, "verification_status": 0, "meta": {}, "product_version": null, "url": "https://refstack.example/#/results/p%d-%d"}`, page, i, page, i, page, i))
		}
		fmt.Fprintf(w, `{"results": [%s], "pagination": {"current_page": %d, "total_pages": %d}}`, strings.Join(items, ", "), page, total)
	}
}

const threePages = "2024-05-01 07:08:01 - https://refstack.example/#/results/p1-1\n2024-05-01 07:08:02 - https://refstack.example/#/results/p1-2\n" +
	"2024-05-02 07:08:01 - https://refstack.example/#/results/p2-1\n2024-05-02 07:08:02 - https://refstack.example/#/results/p2-2\n" +
	"2024-05-03 07:08:01 - https://refstack.example/#/results/p3-1\n2024-05-03 07:08:02 - https://refstack.example/#/results/p3-2\n"

func TestList(t *testing.T) {
	srv := newFakeRefStack(t)
	srv.list = serveResults(t, 3)
	// A terminal on stdin but not on stdout: no pause.
	r := runIO(t, fakeTTY{Reader: strings.NewReader("")}, &bytes.Buffer{}, "list", "--url", srv.url(),
		"--start-date", "2024-05-01", "--end-date", "2024-05-03", "--cpid", "abc")
	if r.code != CodeOK || r.stdout != threePages {
		t.Fatalf("code %d, stdout\n%s\nstderr %q", r.code, r.stdout, r.stderr)
	}
	var queries []string
	for _, p := range srv.requests() {
		queries = append(queries, p.query)
	}
	want := []string{
		"page=1&start_date=2024-05-01+00%3A00%3A00&end_date=2024-05-03+23%3A59%3A59&cpid=abc",
		"page=2&start_date=2024-05-01+00%3A00%3A00&end_date=2024-05-03+23%3A59%3A59&cpid=abc",
		"page=3&start_date=2024-05-01+00%3A00%3A00&end_date=2024-05-03+23%3A59%3A59&cpid=abc",
	}
	if strings.Join(queries, "\n") != strings.Join(want, "\n") {
		t.Errorf("queries\n%s\nwant\n%s", strings.Join(queries, "\n"), strings.Join(want, "\n"))
	}
}

func TestListPausesOnTerminal(t *testing.T) {
	srv := newFakeRefStack(t)
	srv.list = serveResults(t, 3)
	const prompt = "Press Enter to go to next page..."
	out := &ttyBuffer{}
	r := runIO(t, fakeTTY{Reader: strings.NewReader("\n\n")}, out, "list", "--url", srv.url())
	if got := out.String(); r.code != CodeOK || strings.Count(got, prompt) != 2 || strings.ReplaceAll(got, prompt, "") != threePages {
		t.Errorf("code %d, stdout\n%s", r.code, got)
	}
	// The user stops (end of input) at the first pause.
	out = &ttyBuffer{}
	r = runIO(t, fakeTTY{Reader: strings.NewReader("")}, out, "list", "--url", srv.url(), "--start-date", "2024-05-01 07:00:00")
	if r.code != CodeOK || strings.Count(out.String(), "https://") != 2 {
		t.Errorf("stopped: code %d, stdout\n%s", r.code, out.String())
	}
}

// ttyBuffer is standard output that says it is a terminal.
type ttyBuffer struct{ bytes.Buffer }

func (*ttyBuffer) IsTerminal() bool { return true }

func TestListJSON(t *testing.T) {
	srv := newFakeRefStack(t)
	srv.list = serveResults(t, 2)
	r := run(t, "", "list", "--json", "--url", srv.url())
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); r.code != CodeOK || err != nil || len(got) != 4 {
		t.Fatalf("code %d, %v, stdout %s", r.code, err, r.stdout)
	}
	if got[3]["id"] != "p2-2" || got[3]["created_at"] != "2024-05-02 07:08:02" || got[3]["duration_seconds"] != 60.0 || got[3]["url"] != "https://refstack.example/#/results/p2-2" {
		t.Errorf("last item %v", got[3])
	}
	// No results: an empty array, one request.
	empty := newFakeRefStack(t)
	empty.list = serveResults(t, 0)
	if r := run(t, "", "list", "--json", "--url", empty.url()); r.code != CodeOK || r.stdout != "[]\n" || len(empty.requests()) != 1 {
		t.Errorf("empty: code %d, stdout %q, %d requests", r.code, r.stdout, len(empty.requests()))
	}
}

func TestListFailures(t *testing.T) {
	srv := newFakeRefStack(t)
	srv.list = func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, `{"code": 400, "title": "Invalid dates: start_date more than end_date"}`)
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--start-date", "24/04/2015"}, CodeUsage, `--start-date: "24/04/2015": want "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DD" (UTC)`},
		{[]string{"--end-date", "2015-04-24T01:02:03Z"}, CodeUsage, "--end-date:"},
		{[]string{"--start-date", "2015-04-25", "--end-date", "2015-04-24"}, CodeUsage, "--start-date is after --end-date"},
		{[]string{"extra"}, CodeUsage, `list: unexpected argument "extra"`},
		{nil, CodeNotFinished, "400 Bad Request: Invalid dates: start_date more than end_date"},
		{[]string{"--json"}, CodeNotFinished, "400 Bad Request"},
	}
	for _, tt := range tests {
		r := run(t, "", append([]string{"list", "--url", srv.url()}, tt.args...)...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
			t.Errorf("%q: code %d, stdout %q, stderr %q; want %d and %q", tt.args, r.code, r.stdout, r.stderr, tt.code, tt.want)
		}
	}
}
