package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/submit"
)

// cleanResults is the document of testdata/clean.subunit: three passes (one
// test passed twice) and 4 whole seconds between its first and last timestamps.
func cleanResults(cpid string, duration int64) *submit.Results {
	return &submit.Results{CPID: cpid, DurationSeconds: duration, Results: []submit.Result{
		{Name: "tempest.api.compute.servers.test_create.ServersTest.test_create", UUID: "0001"},
		{Name: "standalone_test"},
		{Name: "tempest.api.compute.servers.test_create.ServersTest.test_create", UUID: "0001"},
	}}
}

func TestResults(t *testing.T) {
	clean := fixture("clean.subunit")
	tests := []struct {
		name string
		args []string
		want *submit.Results
	}{
		{"cpid as given", []string{"--cpid", "my-cloud", clean}, cleanResults("my-cloud", 4)},
		{"duration", []string{"--cpid", "c", "--duration", "3600", clean}, cleanResults("c", 3600)},
		{"zero duration", []string{"--cpid", "c", "--duration", "0", clean}, cleanResults("c", 0)},
		{"keystone endpoint", []string{"--keystone-endpoint", "http://some.url:5000/v2", clean}, cleanResults("a7fd82e13f0f6eba9f65d753a9e6dd4d", 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "", append([]string{"results"}, tt.args...)...)
			if r.code != CodeOK || r.stdout != string(tt.want.File())+"\n" {
				t.Errorf("code %d, stdout\n%s\nwant\n%s\nstderr %q", r.code, r.stdout, tt.want.File(), r.stderr)
			}
			if !strings.Contains(r.stderr, "Number of passed tests: 3\n") {
				t.Errorf("stderr %q", r.stderr)
			}
		})
	}
}

func TestResultsOutputFileAndStdin(t *testing.T) {
	out := filepath.Join(t.TempDir(), "0.json")
	r := run(t, string(readFixture(t, "v1.txt")), "results", "--cpid", "c", "--duration", "7", "-o", out, "-")
	if r.code != CodeOK || r.stdout != "" || !strings.Contains(r.stderr, "JSON results saved in: "+out) {
		t.Fatalf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := submit.ParseResults(data)
	if err != nil || doc.CPID != "c" || doc.DurationSeconds != 7 || len(doc.Results) != 1 {
		t.Fatalf("%s: %+v, %v", out, doc, err)
	}
	// refstack-client's file: indent 4, no final newline.
	if string(data) != string(doc.File()) || strings.HasSuffix(string(data), "\n") {
		t.Errorf("file is not in refstack-client's format:\n%s", data)
	}
	// The file uploads as it is.
	srv := newFakeRefStack(t)
	if r := run(t, "", "upload", "-y", "--url", srv.url(), out); r.code != CodeOK || len(srv.requests()) != 1 {
		t.Errorf("upload: code %d, stderr %q", r.code, r.stderr)
	}
}

func TestResultsNoPassWarns(t *testing.T) {
	r := run(t, "test: a\nskip: a\n", "results", "--cpid", "c", "-")
	if r.code != CodeOK || !strings.Contains(r.stderr, "warning: no test passed in stdin: RefStack will refuse these results") ||
		r.stdout != "{\n    \"cpid\": \"c\",\n    \"duration_seconds\": 0,\n    \"results\": []\n}\n" {
		t.Errorf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// Without --cpid or --keystone-endpoint the CPID is asked of Keystone, with
// refstack-client's fallback to the hash of the host name.
func TestResultsCPIDFromKeystone(t *testing.T) {
	for _, k := range []string{"OS_CLOUD", "OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME", "OS_CLIENT_CONFIG_FILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	keystone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v3/auth/tokens" {
			http.NotFound(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), `"wrong"`) {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error": {"code": 401, "message": "The request you have made requires authentication."}}`)
			return
		}
		w.Header().Set("X-Subject-Token", "tok")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"token": {"expires_at": "2099-01-01T00:00:00.000000Z", "methods": ["password"], "catalog": [{"type": "compute", "id": "nova", "endpoints": []}, {"type": "identity", "id": "keystone-service-id", "endpoints": []}]}}`)
	}))
	t.Cleanup(keystone.Close)
	cloud := []string{"--os-auth-url", keystone.URL + "/v3", "--os-username", "u", "--os-project-name", "p", "--os-user-domain-name", "Default", "--os-project-domain-name", "Default"}
	r := run(t, "", append(append([]string{"results"}, cloud...), "--os-password", "right", fixture("clean.subunit"))...)
	if r.code != CodeOK || r.stdout != string(cleanResults("keystone-service-id", 4).File())+"\n" {
		t.Errorf("catalog: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", append(append([]string{"results"}, cloud...), "--os-password", "wrong", fixture("clean.subunit"))...)
	// md5("127.0.0.1"), as refstack-client falls back.
	if r.code != CodeOK || r.stdout != string(cleanResults("f528764d624db129b32c21fbca0cb8d6", 4).File())+"\n" ||
		!strings.Contains(r.stderr, "warning: CPID from the host name of") {
		t.Errorf("fallback: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestResultsFailures(t *testing.T) {
	for _, k := range []string{"OS_CLOUD", "OS_AUTH_URL"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	clean := fixture("clean.subunit")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no CPID source", []string{clean}, CodeUsage, "results: no CPID: give --cpid C, --keystone-endpoint URL or the cloud's credentials"},
		{"both", []string{"--cpid", "c", "--keystone-endpoint", "http://k", clean}, CodeUsage, "give --cpid or --keystone-endpoint, not both"},
		{"empty cpid", []string{"--cpid", "", clean}, CodeUsage, "--cpid is empty"},
		{"bad endpoint", []string{"--keystone-endpoint", "ftp://k", clean}, CodeUsage, "--keystone-endpoint:"},
		{"negative duration", []string{"--cpid", "c", "--duration", "-1", clean}, CodeUsage, "--duration -1: want 0 or more"},
		{"no input", []string{"--cpid", "c"}, CodeUsage, "missing input"},
		{"missing input", []string{"--cpid", "c", "/no/such.subunit"}, CodeNotFinished, "/no/such.subunit"},
		{"unwritable output", []string{"--cpid", "c", "-o", "/no/such/dir/out.json", clean}, CodeNotFinished, "/no/such/dir"},
		{"strict", []string{"--cpid", "c", "--strict", fixture("mixed.subunit")}, CodeNotFinished, "bad CRC32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "", append([]string{"results"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
				t.Errorf("code %d, stdout %q, stderr %q; want %d and %q", r.code, r.stdout, r.stderr, tt.code, tt.want)
			}
		})
	}
}
