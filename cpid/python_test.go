package cpid

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

// refstackClient runs refstack-client's own code on tasks (see
// testdata/refstack_client_check.py) and returns its answers, or skips the
// test when the Debian package refstack-client is not installed.
func refstackClient(t *testing.T, tasks []map[string]string) []any {
	t.Helper()
	python := testenv.Python(t, "refstack_client.refstack_client")
	dir := t.TempDir() // importing refstack-client writes a tempest.log in the working directory
	in, err := json.Marshal(tasks)
	if err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs(filepath.Join("testdata", "refstack_client_check.py"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, script)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(in)
	// requests would send 127.0.0.1 through a proxy named in the environment.
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("refstack_client_check.py: %v\n%s", err, stderr.String())
	}
	var answers []any
	if err := json.Unmarshal(out, &answers); err != nil || len(answers) != len(tasks) {
		t.Fatalf("refstack_client_check.py gave %q (%v), want %d answers", out, err, len(tasks))
	}
	return answers
}

// TestMatchesRefstackClient runs refstack-client's own code (one Python
// process, as importing it takes seconds) on the tables of the other tests:
//   - HashURL agrees with its fallback on every URL of hashCases, including
//     which ones it rejects;
//   - Discover gives the CPID it gives for the same Keystone replies, and
//     sends the same token request body;
//   - CredentialsFromTempestConf reads what it reads from the same
//     tempest.conf files, and fails where it fails (except where confCases
//     documents a difference).
func TestMatchesRefstackClient(t *testing.T) {
	var tasks []map[string]string
	for _, tt := range hashCases {
		tasks = append(tasks, map[string]string{"kind": "hash", "url": tt.url})
	}
	scenarios := keystoneScenarios(t)
	var servers []*fakeKeystone
	for _, s := range scenarios {
		k := newKeystone(t, reply(s.status, s.body))
		servers = append(servers, k)
		path := "/v3/auth/tokens"
		if s.version == "v2" {
			path = "/v2.0/tokens"
		}
		tasks = append(tasks, map[string]string{"kind": "keystone", "version": s.version, "url": k.URL + path})
	}
	var dirs []string
	for _, tt := range confCases {
		dir := writeConf(t, tt)
		dirs = append(dirs, dir)
		tasks = append(tasks, map[string]string{"kind": "conf", "path": filepath.Join(dir, "tempest.conf")})
	}
	answers := refstackClient(t, tasks)
	hashAnswers, answers := answers[:len(hashCases)], answers[len(hashCases):]
	keystoneAnswers, confAnswers := answers[:len(scenarios)], answers[len(scenarios):]

	t.Run("HashURL", func(t *testing.T) {
		for i, tt := range hashCases {
			got, err := HashURL(tt.url)
			want, ok := hashAnswers[i].(string)
			switch {
			case ok && (err != nil || got != want):
				t.Errorf("HashURL(%q) = %q, %v; refstack-client gives %q", tt.url, got, err, want)
			case !ok && err == nil:
				t.Errorf("HashURL(%q) = %q; refstack-client fails: %v", tt.url, got, hashAnswers[i])
			}
		}
	})
	t.Run("Discover", func(t *testing.T) {
		for i, s := range scenarios {
			k := servers[i]
			c := v3Creds(k.URL)
			if s.version == "v2" {
				c.AuthURL = k.URL + "/v2.0"
			}
			res, err := Discover(context.Background(), c)
			if err != nil {
				t.Fatalf("%s %s: %v", s.version, s.name, err)
			}
			if want, _ := keystoneAnswers[i].(string); res.CPID != want {
				t.Errorf("%s %s: CPID %q (%v, fallback %v); refstack-client gives %v", s.version, s.name, res.CPID, res.Method, res.Fallback, keystoneAnswers[i])
			}
			// refstack-client sent the first request, Discover the second.
			reqs := k.requests()
			if len(reqs) != 2 || reqs[0].path != reqs[1].path || !sameJSON(t, reqs[0].body, reqs[1].body) {
				t.Errorf("%s %s: requests differ:\n%s", s.version, s.name, requestBodies(reqs))
			}
		}
	})
	t.Run("tempest.conf", func(t *testing.T) {
		for i, tt := range confCases {
			checkConfAgainstPython(t, tt, dirs[i], confAnswers[i])
		}
	})
}

type keystoneScenario struct {
	version, name string
	status        int
	body          string
}

func keystoneScenarios(t *testing.T) []keystoneScenario {
	var s []keystoneScenario
	add := func(version, name string, status int, body string) {
		s = append(s, keystoneScenario{version, name, status, body})
	}
	add("v3", "fixture", 201, fixture(t, "v3-token.json"))
	add("v3", "unit case", 201, v3Token(`[{"type": "compute", "id": "test-id1"}, {"type": "identity", "id": "test-id2"}]`))
	add("v3", "null and empty ids skipped", 201, v3Token(`[{"type": "identity", "id": null}, {"type": "identity", "id": ""}, {"type": "identity", "id": "third"}]`))
	add("v3", "no identity", 201, v3Token(`[{"type": "compute", "id": "c"}]`))
	add("v3", "identity without id", 201, v3Token(`[{"type": "identity"}, {"type": "identity", "id": "later"}]`))
	add("v3", "entry without type", 201, v3Token(`[{"id": "x"}, {"type": "identity", "id": "y"}]`))
	add("v3", "empty catalog", 201, v3Token(`[]`))
	add("v3", "no catalog", 201, `{"token": {}}`)
	add("v3", "not JSON", 201, `nope`)
	add("v3", "401", 401, `{"error": {"code": 401, "message": "no", "title": "Unauthorized"}}`)
	add("v3", "403", 403, `{"error": {"code": 403, "message": "no", "title": "Forbidden"}}`)
	add("v3", "500 not JSON", 500, `<html>oops</html>`)
	add("v2", "fixture", 200, fixture(t, "v2-token.json"))
	add("v2", "203", 203, fixture(t, "v2-token.json"))
	add("v2", "empty first endpoint id goes on", 200, v2Token(`[{"type": "identity", "endpoints": [{"id": ""}]}, {"type": "identity", "endpoints": [{"id": "next"}]}]`))
	add("v2", "no endpoints stops", 200, v2Token(`[{"type": "identity", "endpoints": []}, {"type": "identity", "endpoints": [{"id": "never"}]}]`))
	add("v2", "endpoint without id stops", 200, v2Token(`[{"type": "identity", "endpoints": [{}]}, {"type": "identity", "endpoints": [{"id": "never"}]}]`))
	add("v2", "empty catalog", 200, v2Token(`[]`))
	add("v2", "401", 401, `{"error": {"code": 401, "message": "no", "title": "Unauthorized"}}`)
	return s
}

func requestBodies(reqs []recorded) string {
	var b strings.Builder
	for _, r := range reqs {
		fmt.Fprintf(&b, "%s %s %s\n", r.method, r.path, r.body)
	}
	return b.String()
}

// checkConfAgainstPython compares CredentialsFromTempestConf on tt with
// refstack-client's answer.
func checkConfAgainstPython(t *testing.T, tt confCase, dir string, answer any) {
	t.Helper()
	got, err := CredentialsFromTempestConf(strings.NewReader(tt.conf), dir)
	py, pyOK := answer.(map[string]any)
	if pyOK && py["error"] != nil {
		pyOK = false
	}
	if tt.pythonDiffers != "" {
		if (err == nil) == pyOK {
			t.Errorf("%s: marked as differing (%s), but both agree: Go %v, refstack-client %v", tt.name, tt.pythonDiffers, err, answer)
		}
		return
	}
	if err != nil || !pyOK {
		if (err == nil) != pyOK {
			t.Errorf("%s: Go error %v; refstack-client %v", tt.name, err, answer)
		}
		return
	}
	suffix := "/auth/tokens"
	if got.AuthVersion == 2 {
		suffix = "/tokens"
	}
	want := map[string]any{
		"auth_version": fmt.Sprintf("v%d", got.AuthVersion),
		"auth_url":     got.AuthURL + suffix,
		"domain_name":  got.DomainName,
		"username":     got.Username,
		"password":     got.Password,
		"tenant_id":    nilIfEmpty(got.ProjectID),
		"tenant_name":  nilIfEmpty(got.ProjectName),
	}
	for k, w := range want {
		pv := py[k]
		if f, ok := pv.(float64); ok { // an unquoted number in accounts.yaml
			pv = fmt.Sprint(f)
		}
		if pv != w {
			t.Errorf("%s: %s = %#v; refstack-client has %#v", tt.name, k, w, py[k])
		}
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
