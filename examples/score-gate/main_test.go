package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testGuideline = `{"id": "2016.01", "schema": "1.4", "status": "approved",
 "platform": {"required": ["compute"]},
 "components": {"compute": {"required": ["compute-servers"], "advisory": [], "deprecated": [], "removed": []}},
 "capabilities": {"compute-servers": {"tests": {
   "t.servers.test_create": {"idempotent_id": "id-11111111-2222-4333-8444-555555555555"},
   "t.servers.test_list": {"idempotent_id": "id-66666666-7777-4888-9999-000000000000", "flagged": {"reason": "[D401] slow"}}}}}}`

func TestRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "2016.01.json")
	if err := os.WriteFile(path, []byte(testGuideline), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, stream string
		args         []string
		code         int
		want         string
	}{
		{"compliant", "test: t.servers.test_create[id-x,smoke]\nsuccess: t.servers.test_create[id-x,smoke]\n", nil, 0,
			"this cloud passes 100.0% (1/1) of the required tests.\nCompliance with 2016.01: YES\n"},
		{"renamed, by name", "test: t.servers.test_create_v2[id-11111111-2222-4333-8444-555555555555]\nsuccess: t.servers.test_create_v2[id-11111111-2222-4333-8444-555555555555]\n", nil, 1,
			"Compliance with 2016.01: NO\n"},
		{"renamed, by id", "test: t.servers.test_create_v2[id-11111111-2222-4333-8444-555555555555]\nsuccess: t.servers.test_create_v2[id-11111111-2222-4333-8444-555555555555]\n", []string{"-match", "id"}, 0,
			"Compliance with 2016.01: YES\n"},
		{"failed", "test: t.servers.test_create\nfailure: t.servers.test_create\n", nil, 1, "Compliance with 2016.01: NO\n"},
		{"empty", "", nil, 2, ""},
		{"bad target", "test: a\nsuccess: a\n", []string{"-target", "dns"}, 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"-guideline", path}, tc.args...)
			code := run(context.Background(), append(args, "-"), strings.NewReader(tc.stream), &stdout, &stderr)
			if code != tc.code || !strings.HasSuffix(stdout.String(), tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and %q", code, stdout.String(), stderr.String(), tc.code, tc.want)
			}
		})
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), nil, strings.NewReader(""), &bytes.Buffer{}, &stderr); code != 2 {
		t.Errorf("no -guideline: exit %d", code)
	}
}
