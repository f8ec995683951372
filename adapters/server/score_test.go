package server

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestScoreEndpoint(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	alice := e.register("alice")
	body := []byte(`{"cpid": "c", "duration_seconds": 1, "results": [
		{"name": "tempest.api.compute.T.test_boot"},
		{"name": "tempest.api.compute.T.test_list_old"},
		{"name": "tempest.api.object.O.test_put"},
		{"name": "renamed.test", "uuid": "11111111-0000-0000-0000-000000000004"}]}`)
	id := e.mustUpload(body, nil)
	a := e.do("GET", "/v1/results/"+id+"/score?guideline=2020.06&target=platform", nil)
	var rep map[string]any
	a.json(t, &rep)
	if a.status != 200 || rep["guideline"] != "2020.06" || rep["compliant"] != true || rep["target"] != "platform" {
		t.Fatalf("score: %d %s", a.status, a.body)
	}
	// match=id also counts the renamed advisory test.
	a = e.do("GET", "/v1/results/"+id+"/score?guideline=2020.06.json&target=compute&match=id", nil)
	if a.status != 200 || !strings.Contains(string(a.body), `"renamed.test"`) {
		t.Errorf("match=id: %d %s", a.status, a.body)
	}
	for _, tc := range []struct {
		query  string
		status int
	}{
		{"guideline=2020.06&target=nfv", 400},
		{"guideline=2020.06&match=fuzzy", 400},
		{"", 400},
		{"guideline=2099.01", 404},
		{"guideline=..%2Fx", 404},
	} {
		a := e.do("GET", "/v1/results/"+id+"/score?"+tc.query, nil)
		if a.err(t); a.status != tc.status {
			t.Errorf("%s: %d %s", tc.query, a.status, a.body)
		}
	}
	if a := e.do("GET", "/v1/results/00000000-0000-4000-8000-000000000000/score?guideline=2020.06", nil); a.status != 404 {
		t.Errorf("unknown result: %d", a.status)
	}
	// The result's metadata gives the defaults; private results need a token.
	private := e.mustUpload(body, alice)
	e.do("POST", "/v1/results/"+private+"/meta/guideline", []byte("2016.01.json"), e.auth(alice)...)
	if a := e.do("GET", "/v1/results/"+private+"/score", nil); a.status != 401 {
		t.Errorf("private: %d", a.status)
	}
	a = e.do("GET", "/v1/results/"+private+"/score", nil, e.auth(alice)...)
	rep = nil
	if err := json.Unmarshal(a.body, &rep); err != nil || a.status != 200 || rep["guideline"] != "2016.01" {
		t.Errorf("defaults from meta: %d %s", a.status, a.body)
	}
}
