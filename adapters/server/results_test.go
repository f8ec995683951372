package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

type listed struct {
	Results []struct {
		ID                 string            `json:"id"`
		CreatedAt          string            `json:"created_at"`
		DurationSeconds    int64             `json:"duration_seconds"`
		VerificationStatus int               `json:"verification_status"`
		Meta               map[string]string `json:"meta"`
		URL                string            `json:"url"`
		CPID               *string           `json:"cpid"`
	} `json:"results"`
	Pagination struct {
		CurrentPage int `json:"current_page"`
		TotalPages  int `json:"total_pages"`
	} `json:"pagination"`
}

func (e *testEnv) list(query string, hdr ...string) (listed, answer) {
	e.t.Helper()
	a := e.do("GET", "/v1/results?"+query, nil, hdr...)
	var l listed
	if a.status == 200 {
		a.json(e.t, &l)
	}
	return l, a
}

func ids(l listed) []string {
	var out []string
	for _, r := range l.Results {
		out = append(out, r.ID)
	}
	return out
}

func TestVisibility(t *testing.T) {
	eachStore(t, func(t *testing.T, dbURL string) {
		adminKey := strings.TrimSpace(signer(t, "admin").AuthorizedKey(""))
		e := newEnv(t, dbURL, WithAdminKeys("# the foundation", adminKey))
		alice, bob := e.register("alice"), e.register("bob")
		admin := &user{name: "admin", signer: signer(t, "admin"), openid: "key:admin-without-user"}

		anon := e.mustUpload(doc("cloud-a", 2).Body(), nil)
		private := e.mustUpload(doc("cloud-b", 2).Body(), alice)
		shared := e.mustUpload(doc("cloud-c", 2).Body(), alice)
		if a := e.do("POST", "/v1/results/"+shared+"/meta/shared", []byte("true"), e.auth(alice)...); a.status != 201 {
			t.Fatalf("share: %d %s", a.status, a.body)
		}

		// The public list: anonymous uploads and shared results, newest
		// first, metadata cut to the writable keys.
		l, a := e.list("")
		if a.status != 200 || fmt.Sprint(ids(l)) != fmt.Sprint([]string{shared, anon}) || l.Pagination.TotalPages != 1 || l.Pagination.CurrentPage != 1 {
			t.Fatalf("public list %d %s", a.status, a.body)
		}
		if _, has := l.Results[0].Meta["user"]; has || l.Results[0].Meta["shared"] != "true" || l.Results[0].CPID != nil {
			t.Errorf("public item meta %v cpid %v", l.Results[0].Meta, l.Results[0].CPID)
		}
		if l.Results[0].URL != "http://ui.example/#/results/"+shared {
			t.Errorf("url %q", l.Results[0].URL)
		}
		// The owner sees the whole metadata of its results in the list.
		l, _ = e.list("", e.auth(alice)...)
		if l.Results[0].Meta["user"] != alice.openid {
			t.Errorf("owner's list meta %v", l.Results[0].Meta)
		}
		// signed: the caller's own results.
		l, a = e.list("signed", e.auth(alice)...)
		if fmt.Sprint(ids(l)) != fmt.Sprint([]string{shared, private}) {
			t.Errorf("alice's signed list %s", a.body)
		}
		l, _ = e.list("signed=", e.auth(bob)...)
		if len(l.Results) != 0 {
			t.Errorf("bob's signed list %v", ids(l))
		}
		a = e.do("GET", "/v1/results?signed", nil)
		if title, _ := a.err(t); a.status != 400 || title != "To see signed test results you need to authenticate" {
			t.Errorf("anonymous signed: %d %s", a.status, a.body)
		}

		// Detail: private results only for the owner and admins.
		for _, tc := range []struct {
			who    *user
			id     string
			status int
			role   string
			cpid   bool
		}{
			{nil, anon, 200, "user", false},
			{nil, private, 401, "", false},
			{bob, private, 401, "", false},
			{alice, private, 200, "owner", true},
			{admin, private, 200, "foundation", true},
			{bob, shared, 200, "user", false},
			{nil, "00000000-0000-4000-8000-000000000000", 404, "", false},
			{nil, "not-a-uuid", 404, "", false},
		} {
			var hdr []string
			name := "anonymous"
			if tc.who != nil {
				hdr, name = e.auth(tc.who), tc.who.name
			}
			a := e.do("GET", "/v1/results/"+tc.id, nil, hdr...)
			if a.status != tc.status {
				t.Errorf("%s GET %s: %d %s, want %d", name, tc.id, a.status, a.body, tc.status)
				continue
			}
			switch a.status {
			case 200:
				var d map[string]any
				a.json(t, &d)
				_, hasCPID := d["cpid"]
				_, hasUser := d["meta"].(map[string]any)["user"]
				if d["user_role"] != tc.role || hasCPID != tc.cpid || hasUser != (tc.cpid && tc.id != anon) {
					t.Errorf("%s GET %s: %s", name, tc.id, a.body)
				}
			case 404:
				if title, _ := a.err(t); title != "Test result "+tc.id+" not found" {
					t.Errorf("404 title %q", title)
				}
			case 401:
				a.err(t)
			}
		}
		// Meta reads: 403 for those who may not see the result.
		if a := e.do("GET", "/v1/results/"+private+"/meta", nil, e.auth(bob)...); a.status != 403 {
			t.Errorf("bob reads private meta: %d", a.status)
		}
		a = e.do("GET", "/v1/results/"+shared+"/meta", nil)
		if a.status != 200 || string(a.body) != `{"shared":"true"}` {
			t.Errorf("anonymous reads shared meta: %d %s", a.status, a.body)
		}
		a = e.do("GET", "/v1/results/"+shared+"/meta/user", nil)
		if a.status != 403 {
			t.Errorf("anonymous reads user key: %d %s", a.status, a.body)
		}
		a = e.do("GET", "/v1/results/"+shared+"/meta/user", nil, e.auth(alice)...)
		if a.status != 200 || string(a.body) != `"`+alice.openid+`"` {
			t.Errorf("owner reads user key: %d %s", a.status, a.body)
		}
		a = e.do("GET", "/v1/results/"+shared+"/meta/target", nil)
		if a.status != 200 || string(a.body) != `null` {
			t.Errorf("unset key: %d %s", a.status, a.body)
		}
	})
}

func TestListPagingAndFilters(t *testing.T) {
	eachStore(t, func(t *testing.T, dbURL string) {
		e := newEnv(t, dbURL, WithResultsPerPage(2))
		if l, a := e.list(""); a.status != 200 || len(l.Results) != 0 || l.Pagination.TotalPages != 0 || l.Pagination.CurrentPage != 1 || !strings.Contains(string(a.body), `"results":[]`) {
			t.Errorf("empty list: %d %s", a.status, a.body)
		}
		var all []string
		for i := range 5 {
			all = append([]string{e.mustUpload(doc(fmt.Sprintf("cloud-%d", i%2), 1).Body(), nil)}, all...)
		}
		// created_at: t0 + 1 s, + 2 s, ...: newest first.
		for page, want := range [][]string{all[0:2], all[2:4], all[4:5]} {
			l, a := e.list(fmt.Sprintf("page=%d", page+1))
			if a.status != 200 || fmt.Sprint(ids(l)) != fmt.Sprint(want) || l.Pagination.TotalPages != 3 || l.Pagination.CurrentPage != page+1 {
				t.Errorf("page %d: %s", page+1, a.body)
			}
		}
		l, _ := e.list("cpid=cloud-0")
		if l.Pagination.TotalPages != 2 || l.Results[0].ID != all[0] {
			t.Errorf("cpid filter: %v", ids(l))
		}
		q := url.Values{"start_date": {"2020-06-01 12:00:02"}, "end_date": {"2020-06-01 12:00:04"}}
		l, a := e.list(q.Encode())
		if fmt.Sprint(ids(l)) != fmt.Sprint(all[1:3]) || l.Pagination.TotalPages != 2 {
			t.Errorf("dates: %s", a.body)
		}
		// created_at fed back as a filter selects its own result.
		l, _ = e.list(url.Values{"start_date": {l.Results[0].CreatedAt}, "end_date": {l.Results[0].CreatedAt}}.Encode())
		if len(l.Results) != 1 || l.Results[0].ID != all[1] {
			t.Errorf("created_at round trip: %v", ids(l))
		}
		l, _ = e.list("verification_status=1")
		if len(l.Results) != 0 {
			t.Errorf("verified: %v", ids(l))
		}
		l, _ = e.list("verification_status=0")
		if l.Pagination.TotalPages != 3 {
			t.Errorf("unverified: %+v", l.Pagination)
		}
		for _, tc := range []struct{ query, title string }{
			{"page=x", "Invalid page number: The page number can not be converted to an integer"},
			{"page=", "Invalid page number: The page number can not be converted to an integer"},
			{"page=0", "Invalid page number: The page number less or equal zero."},
			{"page=-3", "Invalid page number: The page number less or equal zero."},
			{"page=4", "Invalid page number: The page number is greater than the total number of pages."},
			{"page=99999999999", "Invalid page number: The page number is greater than the total number of pages."},
			{"start_date=2020-06-01", `Invalid date format: time data "2020-06-01" does not match format "%Y-%m-%d %H:%M:%S"`},
			{url.Values{"start_date": {"2020-06-02 00:00:00"}, "end_date": {"2020-06-01 00:00:00"}}.Encode(), "Invalid dates: start_date more than end_date"},
			{"verification_status=yes", "Invalid verification_status value: yes"},
		} {
			a := e.do("GET", "/v1/results?"+tc.query, nil)
			if title, _ := a.err(t); a.status != 400 || title != tc.title {
				t.Errorf("%s: %d %s", tc.query, a.status, a.body)
			}
		}
		if a := e.do("GET", "/v1/results?product_id=p", nil); a.status != 404 {
			t.Errorf("product_id: %d %s", a.status, a.body)
		}
	})
}

func TestUpdateAndDelete(t *testing.T) {
	eachStore(t, func(t *testing.T, dbURL string) {
		adminKey := strings.TrimSpace(signer(t, "admin").AuthorizedKey("admin"))
		e := newEnv(t, dbURL, WithAdminKeys(adminKey))
		alice, bob, admin := e.register("alice"), e.register("bob"), e.register("admin")
		id := e.mustUpload(doc("c", 2).Body(), alice)
		path := "/v1/results/" + id

		check := func(what string, a answer, status int, wantDetail string) {
			t.Helper()
			if a.status != status {
				t.Errorf("%s: %d %s, want %d", what, a.status, a.body, status)
				return
			}
			if wantDetail != "" {
				if _, d := a.err(t); d != wantDetail {
					t.Errorf("%s: detail %q, want %q", what, d, wantDetail)
				}
			}
		}
		check("anonymous PUT", e.do("PUT", path, nil), 401, "")
		check("bob PUT", e.do("PUT", path, nil, e.auth(bob)...), 401, "")
		check("owner verifies", e.do("PUT", path, []byte(`{"verification_status": 1}`), e.auth(alice)...), 403,
			"You do not have permission to change a verification status.")
		check("bad value", e.do("PUT", path, []byte(`{"verification_status": 2}`), e.auth(admin)...), 400, "Invalid verification_status value: 2")
		check("not JSON", e.do("PUT", path, []byte(`{`), e.auth(admin)...), 400, "")
		check("verify unshared", e.do("PUT", path, []byte(`{"verification_status": 1}`), e.auth(admin)...), 403,
			"In order to mark a test verified, the test must be shared and have been associated to a guideline and target program.")
		// Private: others may not even see it.
		check("bob sets target", e.do("POST", path+"/meta/target", []byte("x"), e.auth(bob)...), 401, "")
		check("anonymous sets target", e.do("POST", path+"/meta/target", []byte("x")), 401, "")
		for k, v := range map[string]string{"shared": "true", "guideline": "2020.06.json", "target": "platform"} {
			check("set "+k, e.do("POST", path+"/meta/"+k, []byte(v), e.auth(alice)...), 201, "")
		}
		check("owner sets user", e.do("POST", path+"/meta/user", []byte("x"), e.auth(alice)...), 403, "")
		// Once shared, others may see the result but not change it.
		check("bob sets shared", e.do("POST", path+"/meta/shared", []byte("x"), e.auth(bob)...), 403, "")
		check("anonymous sets shared", e.do("POST", path+"/meta/shared", []byte("x")), 403, "")

		a := e.do("PUT", path, []byte(`{"verification_status": 1, "other": "ignored"}`), e.auth(admin)...)
		var d map[string]any
		a.json(t, &d)
		if a.status != 201 || d["verification_status"] != 1.0 || d["id"] != id || d["meta"].(map[string]any)["guideline"] != "2020.06.json" {
			t.Errorf("verify: %d %s", a.status, a.body)
		}
		// A verified result is frozen.
		check("delete verified", e.do("DELETE", path, nil, e.auth(alice)...), 403, "Can not delete a verified test run.")
		check("alter meta", e.do("POST", path+"/meta/target", []byte("compute"), e.auth(alice)...), 403,
			"Can not add/alter a new metadata key for a verified test run.")
		check("delete meta", e.do("DELETE", path+"/meta/target", nil, e.auth(admin)...), 403,
			"Can not delete a metadata key for a verified test run.")
		check("product", e.do("PUT", path, []byte(`{"product_version_id": null}`), e.auth(admin)...), 403,
			"Can not update product_version_id for a verified test run.")
		if l, _ := e.list("verification_status=1"); len(l.Results) != 1 {
			t.Errorf("verified filter: %v", ids(l))
		}
		check("unverify", e.do("PUT", path, []byte(`{"verification_status": 0}`), e.auth(admin)...), 201, "")
		check("empty PUT", e.do("PUT", path, nil, e.auth(alice)...), 201, "")

		// Metadata values are the raw body text.
		check("raw value", e.do("POST", path+"/meta/guideline", []byte(`"2019.11.json" `), e.auth(alice)...), 201, "")
		a = e.do("GET", path+"/meta/guideline", nil, e.auth(alice)...)
		if string(a.body) != `"\"2019.11.json\" "` {
			t.Errorf("raw value read back as %s", a.body)
		}
		check("delete meta", e.do("DELETE", path+"/meta/target", nil, e.auth(alice)...), 204, "")
		a = e.do("DELETE", path+"/meta/target", nil, e.auth(alice)...)
		if title, _ := a.err(t); a.status != 404 || title != "Metadata key target not found for test run "+id {
			t.Errorf("delete missing key: %d %s", a.status, a.body)
		}
		check("bob deletes", e.do("DELETE", path, nil, e.auth(bob)...), 403, "")
		check("owner deletes", e.do("DELETE", path, nil, e.auth(alice)...), 204, "")
		check("gone", e.do("GET", path, nil, e.auth(alice)...), 404, "")
	})
}

func TestRoutes(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	id := e.mustUpload(doc("c", 1).Body(), nil)
	for _, p := range []string{"/v1/results/" + id, "/v1/results/" + id + "/", "/api/v1/results/" + id, "/api/v1/results/" + id + "//"} {
		if a := e.do("GET", p, nil); a.status != 200 {
			t.Errorf("GET %s: %d %s", p, a.status, a.body)
		}
	}
	a := e.do("GET", "/v1/results/schema", nil)
	var schema map[string]any
	a.json(t, &schema)
	if a.status != 200 || schema["additionalProperties"] != false || fmt.Sprint(schema["required"]) != "[cpid duration_seconds results]" {
		t.Errorf("schema: %s", a.body)
	}
	a = e.do("PATCH", "/v1/results/"+id, nil)
	if _, d := a.err(t); a.status != 405 || a.header.Get("Allow") != "GET, PUT, DELETE" || !strings.Contains(d, "PATCH") {
		t.Errorf("PATCH: %d %v %s", a.status, a.header, a.body)
	}
	a = e.do("GET", "/v1/nothing", nil)
	if title, _ := a.err(t); a.status != 404 || title != "Not Found" {
		t.Errorf("unknown path: %d %s", a.status, a.body)
	}
	if a := e.do("GET", "/", nil); a.status != 404 {
		t.Errorf("no UI: %d", a.status)
	}
	ui := newEnv(t, sqliteStore(t), WithUI(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ui:"+r.URL.Path) })))
	if a := ui.do("GET", "/results/x", nil); string(a.body) != "ui:/results/x" {
		t.Errorf("UI: %s", a.body)
	}
	_ = time.Second
}
