package server

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/submit"
)

func TestUploadAnonymous(t *testing.T) {
	eachStore(t, func(t *testing.T, dbURL string) {
		e := newEnv(t, dbURL)
		d := doc("cpid-1", 3)
		id := e.mustUpload(d.Body(), nil)

		tests, err := e.store.Tests(context.Background(), id)
		if err != nil || len(tests) != 3 || tests[0].Name != d.Results[0].Name || tests[2].UUID != d.Results[2].UUID {
			t.Fatalf("stored tests %+v, %v", tests, err)
		}
		res, err := e.store.Result(context.Background(), id)
		if err != nil || res.CPID != "cpid-1" || res.DurationSeconds != 42 || len(res.Meta) != 0 {
			t.Fatalf("stored result %+v, %v", res, err)
		}

		// Anyone sees an anonymous upload: no cpid, role user.
		a := e.do("GET", "/v1/results/"+id, nil)
		var got map[string]any
		a.json(t, &got)
		if a.status != 200 || got["cpid"] != nil || got["user_role"] != "user" || got["created_at"] != "2020-06-01 12:00:01" ||
			len(got["results"].([]any)) != 3 || got["results"].([]any)[1] != d.Results[1].Name || got["product_version"] != nil {
			t.Errorf("detail: %d %s", a.status, a.body)
		}
	})
}

func TestUploadRefusals(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	alice := signer(t, "alice")
	good := doc("c", 2).Body()
	sig, _ := alice.Sign(good)
	long := strings.Repeat("n", 513)
	tests := []struct {
		name         string
		body         string
		hdr          []string
		status       int
		title        string
		detailSubstr string
	}{
		{"not json", `{"cpid": `, nil, 400, "Malformed request", "not JSON"},
		{"not utf-8", "{\"cpid\": \"\xff\"}", nil, 400, "Malformed request", "byte 10"},
		{"trailing data", `{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a"}]} x`, nil, 400, "Malformed request", "after the JSON value"},
		{"array", `[]`, nil, 400, titleSchema, "want an object"},
		{"extra key", `{"cpid": "c", "duration_seconds": 1, "results": [], "meta": {}}`, nil, 400, titleSchema, "/meta: unknown key"},
		{"no cpid", `{"duration_seconds": 1, "results": []}`, nil, 400, titleSchema, "/cpid: missing"},
		{"cpid number", `{"cpid": 1, "duration_seconds": 1, "results": []}`, nil, 400, titleSchema, "/cpid: want a string"},
		{"float duration", `{"cpid": "c", "duration_seconds": 1.5, "results": []}`, nil, 400, titleSchema, "/duration_seconds"},
		{"results object", `{"cpid": "c", "duration_seconds": 1, "results": {}}`, nil, 400, titleSchema, "/results: want an array"},
		{"item not object", `{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a"}, 5]}`, nil, 400, titleSchema, "/results/1"},
		{"item without name", `{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a"}, {"uuid": "u"}]}`, nil, 400, titleSchema, "/results/1: no name"},
		{"uuid number", `{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a", "uuid": 1}]}`, nil, 400, titleSchema, "/results/0/uuid"},
		{"empty", `{"cpid": "c", "duration_seconds": 1, "results": []}`, nil, 400, msgEmptyResults, ""},
		{"duplicate", `{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a"}, {"name": "b"}, {"name": "a"}]}`, nil, 400, "The test name at /results/2 repeats the one at /results/0: \"a\"", ""},
		{"long name", `{"cpid": "c", "duration_seconds": 1, "results": [{"name": "` + long + `"}]}`, nil, 400, "The test name at /results/0 is 513 bytes long; the limit is 512", ""},
		{"long cpid", `{"cpid": "` + strings.Repeat("c", 129) + `", "duration_seconds": 1, "results": [{"name": "a"}]}`, nil, 400, "is 129 bytes long; the limit is 128", ""},
		{"long uuid", `{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a", "uuid": "` + strings.Repeat("u", 37) + `"}]}`, nil, 400, "The uuid at /results/0 is 37 bytes long", ""},
		{"nul in name", `{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a\u0000b"}]}`, nil, 400, "holds a NUL character", ""},
		{"negative duration", `{"cpid": "c", "duration_seconds": -1, "results": [{"name": "a"}]}`, nil, 400, "duration_seconds -1 is out of range", ""},
		{"huge duration", `{"cpid": "c", "duration_seconds": 99999999999, "results": [{"name": "a"}]}`, nil, 400, "out of range", ""},
		{"malformed signature", string(good), []string{submit.HeaderSignature, "xyz", submit.HeaderPublicKey, sig.PublicKey}, 400, "Malformed signature", ""},
		{"malformed key", string(good), []string{submit.HeaderSignature, sig.Hex, submit.HeaderPublicKey, "ssh-rsa !!!"}, 400, "Malformed public key", ""},
		{"key without signature", string(good), []string{submit.HeaderPublicKey, sig.PublicKey}, 400, "Signature verification failed", ""},
		{"wrong body", string(good) + " ", []string{submit.HeaderSignature, sig.Hex, submit.HeaderPublicKey, sig.PublicKey}, 400, "Signature verification failed", ""},
		{"unregistered key", string(good), []string{submit.HeaderSignature, sig.Hex, submit.HeaderPublicKey, sig.PublicKey}, 401, "Unauthorized", msgUnknownKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := e.do("POST", "/v1/results", []byte(tc.body), tc.hdr...)
			title, detail := a.err(t)
			if a.status != tc.status || !strings.Contains(title, tc.title) || !strings.Contains(detail, tc.detailSubstr) {
				t.Errorf("got %d %s; want %d, title %q, detail with %q", a.status, a.body, tc.status, tc.title, tc.detailSubstr)
			}
		})
	}
	if _, total, _ := e.store.ListResults(context.Background(), storageAll()); total != 0 {
		t.Errorf("%d results stored by refused uploads", total)
	}
	// UTF-8 names that RefStack's latin1 columns refused are stored.
	id := e.mustUpload([]byte(`{"cpid": "c", "duration_seconds": 1, "results": [{"name": "tempest.api.测试.test_ü"}]}`), nil)
	if tests, _ := e.store.Tests(context.Background(), id); len(tests) != 1 || tests[0].Name != "tempest.api.测试.test_ü" {
		t.Errorf("UTF-8 name stored as %+v", tests)
	}
}

func TestUploadBodyLimit(t *testing.T) {
	e := newEnv(t, sqliteStore(t), WithMaxBodyBytes(4096))
	d := doc("c", 200) // about 10 KiB
	a := e.upload(d.Body(), nil)
	title, detail := a.err(t)
	if a.status != http.StatusRequestEntityTooLarge || title != "Request Entity Too Large" || !strings.Contains(detail, "4096 bytes") {
		t.Errorf("got %d %s", a.status, a.body)
	}
	if a := e.upload(doc("c", 10).Body(), nil); a.status != 201 {
		t.Errorf("small upload: %d %s", a.status, a.body)
	}
}

func TestUploadAnonymousDisabled(t *testing.T) {
	e := newEnv(t, sqliteStore(t), WithAnonymousUploads(false))
	a := e.upload(doc("c", 1).Body(), nil)
	_, detail := a.err(t)
	if a.status != 401 || detail != "Anonymous result uploads are disabled. Please create a user account and an api key at http://ui.example/#/" {
		t.Errorf("got %d %s", a.status, a.body)
	}
	alice := e.register("alice")
	id := e.mustUpload(doc("c", 1).Body(), alice)
	if res, _ := e.store.Result(context.Background(), id); res.Meta["user"] != alice.openid {
		t.Errorf("meta %v, want user %s", res.Meta, alice.openid)
	}
}

// TestUploadRefstackClientBody uploads the bytes refstack-client sends
// (json.dumps, extra item keys) with upper-case hex.
func TestUploadRefstackClientBody(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	alice := e.register("alice")
	body := []byte(`{"cpid": "abc", "duration_seconds": 7, "results": [{"name": "t.A.test_a", "uuid": "9a438d88-10c6-4bcd-8b5b-5b6e25e1346f", "uid": "x"}, {"name": "t.A.test_b"}]}`)
	sig, _ := alice.signer.Sign(body)
	a := e.do("POST", "/v1/results/", body, "Content-type", "application/json",
		submit.HeaderSignature, strings.ToUpper(sig.Hex), submit.HeaderPublicKey, sig.PublicKey)
	if a.status != 201 {
		t.Fatalf("got %d %s", a.status, a.body)
	}
	var ans map[string]string
	a.json(t, &ans)
	tests, _ := e.store.Tests(context.Background(), ans["test_id"])
	if len(tests) != 2 || tests[0].UUID != "9a438d88-10c6-4bcd-8b5b-5b6e25e1346f" || tests[1].UUID != "" {
		t.Errorf("tests %+v", tests)
	}
	if !bytes.Contains(a.body, []byte(`"url":"http://ui.example/#/results/`)) {
		t.Errorf("answer %s", a.body)
	}
}
