package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func guidelineJSON(id string, tests ...string) string {
	var b strings.Builder
	for i, t := range tests {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"` + t + `": {"idempotent_id": "id-` + t + `"}`)
	}
	return `{"id": "` + id + `", "schema": "1.6", "status": "approved", "platform": {"required": ["compute"]},
	 "components": {"compute": {"required": ["cap"], "advisory": [], "deprecated": [], "removed": []}},
	 "capabilities": {"cap": {"tests": {` + b.String() + `}}}}`
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"old.json":     guidelineJSON("2019.11", "t.a", "t.b"),
		"new.json":     guidelineJSON("2020.06", "t.a", "t.b", "t.c"),
		"results.json": `{"cpid": "c", "duration_seconds": 1, "results": [{"name": "t.a"}, {"name": "t.b"}]}`,
		"run.subunit":  "test: t.a\nsuccess: t.a\ntest: t.c\nsuccess: t.c\ntest: t.b\nfailure: t.b\n",
		"empty":        "",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := func(n string) string { return filepath.Join(dir, n) }
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-guideline", p("old.json"), "-guideline", p("new.json"), p("results.json"), p("run.subunit")}, &stdout, &stderr)
	want := []string{
		p("results.json") + "  2019.11  100.0%  (2/2)  compliant: YES",
		p("results.json") + "  2020.06  66.7%   (2/3)  compliant: NO",
		p("run.subunit") + "   2019.11  50.0%   (1/2)  compliant: NO",
		p("run.subunit") + "   2020.06  66.7%   (2/3)  compliant: NO",
	}
	if got := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n"); code != 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("exit %d, stderr %q, got\n%s\nwant\n%s", code, stderr.String(), stdout.String(), strings.Join(want, "\n"))
	}
	for _, args := range [][]string{
		{p("results.json")},
		{"-guideline", p("old.json")},
		{"-guideline", p("missing.json"), p("results.json")},
		{"-guideline", p("old.json"), p("empty")},
		{"-guideline", p("old.json"), "-target", "dns", p("results.json")},
	} {
		stderr.Reset()
		if code := run(context.Background(), args, &bytes.Buffer{}, &stderr); code != 2 || stderr.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}
