package cli

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// identityID is the CPID the fake Keystone's catalog gives.
const identityID = "4d57b1c8e6a14f2b9d3e0c7a5f8b2e61"

// v3TokenReply is a Keystone v3 token reply with a compute and an identity
// service.
const v3TokenReply = `{"token": {"methods": ["password"], "catalog": [
	{"type": "compute", "id": "c0ffee", "endpoints": []},
	{"type": "identity", "id": "` + identityID + `", "endpoints": []}]}}`

// cleanCloudEnv unsets every variable the cloud flags read, so that the
// developer's own cloud does not leak into the tests (t.Setenv restores them).
func cleanCloudEnv(t *testing.T) {
	t.Helper()
	vars := []string{"OS_CLOUD", "OS_CACERT", "OS_CERT", "OS_KEY", "OS_CLIENT_CONFIG_FILE",
		"OS_TENANT_NAME", "OS_TENANT_ID", "OS_DEFAULT_DOMAIN_NAME", "OS_DEFAULT_DOMAIN_ID"}
	for env := range envFlags {
		vars = append(vars, env)
	}
	for _, env := range vars {
		t.Setenv(env, "")
		os.Unsetenv(env)
	}
}

// keystone starts a local Keystone v3 that answers POST /v3/auth/tokens with
// status and body, and records the request bodies.
func keystone(t *testing.T, tls bool, status int, body string) (*httptest.Server, *[]string) {
	t.Helper()
	var bodies []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, r.Method+" "+r.URL.Path+" "+string(b))
		if r.URL.Path != "/v3/auth/tokens" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &bodies
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// loginFlags are the --os-* options for the fake Keystone at url.
func loginFlags(url string) []string {
	return []string{"--os-auth-url", url + "/v3", "--os-username", "demo", "--os-password", "secret",
		"--os-project-name", "demo", "--os-user-domain-name", "Default", "--os-project-domain-name", "Default"}
}

func TestCPIDText(t *testing.T) {
	cleanCloudEnv(t)
	srv, bodies := keystone(t, false, 201, v3TokenReply)
	r := run(t, "", append([]string{"cpid"}, loginFlags(srv.URL)...)...)
	want := "CPID:      " + identityID + "\n" +
		"Method:    keystone-v3-catalog (the identity service's id in the Keystone v3 catalog)\n" +
		"Auth URL:  " + srv.URL + "/v3\n" +
		"Token URL: " + srv.URL + "/v3/auth/tokens\n" +
		"Source:    --os-* options and OS_* variables\n"
	if r.code != CodeOK || r.stdout != want || r.stderr != "" {
		t.Errorf("code %d\nstdout:\n%s\nwant:\n%s\nstderr: %q", r.code, r.stdout, want, r.stderr)
	}
	wantBody := `{"auth":{"identity":{"methods":["password"],"password":{"user":{"domain":{"name":"Default"},"name":"demo","password":"secret"}}},"scope":{"project":{"domain":{"name":"Default"},"name":"demo"}}}}`
	if len(*bodies) != 1 || (*bodies)[0] != "POST /v3/auth/tokens "+wantBody {
		t.Errorf("requests %q", *bodies)
	}
}

func TestCPIDJSONAndFallback(t *testing.T) {
	cleanCloudEnv(t)
	srv, _ := keystone(t, false, 401, `{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}`)
	r := run(t, "", append([]string{"cpid", "--json"}, loginFlags(srv.URL)...)...)
	if r.code != CodeOK || r.stderr != "" {
		t.Fatalf("code %d, stderr %q", r.code, r.stderr)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("stdout %q: %v", r.stdout, err)
	}
	want := map[string]string{
		"cpid": md5hex("127.0.0.1"), "method": "url-hash", "auth_url": srv.URL + "/v3", "hostname": "127.0.0.1",
		"token_url": srv.URL + "/v3/auth/tokens", "source": "--os-* options and OS_* variables",
		"fallback": "POST " + srv.URL + "/v3/auth/tokens: 401 Unauthorized: The request you have made requires authentication.",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("keys %v", got)
	}

	r = run(t, "", append([]string{"cpid"}, loginFlags(srv.URL)...)...)
	for _, w := range []string{"CPID:      " + md5hex("127.0.0.1"), `url-hash (md5 of the auth URL's host name "127.0.0.1")`, "Fallback:  POST " + srv.URL + "/v3/auth/tokens: 401 Unauthorized"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("stdout %q does not contain %q", r.stdout, w)
		}
	}
}

// The flags read their OS_* variables.
func TestCPIDFromEnvironment(t *testing.T) {
	cleanCloudEnv(t)
	srv, bodies := keystone(t, false, 201, v3TokenReply)
	for k, v := range map[string]string{"OS_AUTH_URL": srv.URL + "/v3", "OS_USERNAME": "envuser", "OS_PASSWORD": "pw",
		"OS_TENANT_NAME": "envproj", "OS_DEFAULT_DOMAIN_NAME": "envdomain", "OS_IDENTITY_API_VERSION": "3"} {
		t.Setenv(k, v)
	}
	r := run(t, "", "cpid", "--os-password", "flag-wins")
	if r.code != CodeOK || !strings.Contains(r.stdout, identityID) {
		t.Fatalf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	b := (*bodies)[0]
	for _, w := range []string{`"name":"envuser"`, `"password":"flag-wins"`, `"name":"envproj"`, `"domain":{"name":"envdomain"}`} {
		if !strings.Contains(b, w) {
			t.Errorf("body %s does not contain %s", b, w)
		}
	}
}

func TestCPIDFromTempestConf(t *testing.T) {
	cleanCloudEnv(t)
	t.Setenv("OS_AUTH_URL", "http://ignored.example:5000/v3") // -c wins over OS_*
	srv, bodies := keystone(t, false, 201, v3TokenReply)
	dir := t.TempDir()
	conf := filepath.Join(dir, "tempest.conf")
	writeFile(t, conf, "[auth]\ntest_accounts_file = accounts.yaml\n[identity]\nuri_v3 = "+srv.URL+"/v3/\n")
	writeFile(t, filepath.Join(dir, "accounts.yaml"), "- {username: acct, password: pw, project_name: p}\n")
	r := run(t, "", "cpid", "-c", conf)
	if r.code != CodeOK || !strings.Contains(r.stdout, "CPID:      "+identityID) ||
		!strings.Contains(r.stdout, "Source:    "+conf+" [auth] test_accounts_file: "+filepath.Join(dir, "accounts.yaml")+", first account") {
		t.Errorf("code %d\nstdout:\n%s\nstderr: %q", r.code, r.stdout, r.stderr)
	}
	if len(*bodies) != 1 || !strings.Contains((*bodies)[0], `"name":"acct"`) || !strings.Contains((*bodies)[0], `"domain":{"name":"Default"}`) {
		t.Errorf("requests %q", *bodies)
	}
}

func TestCPIDFromCloudsYAML(t *testing.T) {
	cleanCloudEnv(t)
	srv, bodies := keystone(t, false, 201, v3TokenReply)
	clouds := filepath.Join(t.TempDir(), "clouds.yaml")
	writeFile(t, clouds, "clouds:\n  lab:\n    auth:\n      auth_url: "+srv.URL+"/v3\n      username: cloudy\n      password: from-yaml\n      project_id: pid\n      user_domain_id: default\n")
	t.Setenv("OS_CLIENT_CONFIG_FILE", clouds)
	t.Setenv("OS_CLOUD", "lab")
	r := run(t, "", "cpid", "--os-password", "from-flag")
	if r.code != CodeOK || !strings.Contains(r.stdout, identityID) || !strings.Contains(r.stdout, `Source:    clouds.yaml cloud "lab"`) {
		t.Errorf("code %d\nstdout:\n%s\nstderr: %q", r.code, r.stdout, r.stderr)
	}
	if len(*bodies) != 1 || !strings.Contains((*bodies)[0], `"password":"from-flag"`) || !strings.Contains((*bodies)[0], `"project":{"id":"pid"}`) {
		t.Errorf("requests %q", *bodies)
	}

	r = run(t, "", "cpid", "--os-cloud", "nope")
	if r.code != CodeNotFinished || !strings.Contains(r.stderr, `cloud "nope" not found`) {
		t.Errorf("unknown cloud: code %d, stderr %q", r.code, r.stderr)
	}
}

func TestCPIDTLS(t *testing.T) {
	cleanCloudEnv(t)
	srv, _ := keystone(t, true, 201, v3TokenReply)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	writeFile(t, ca, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	for _, tt := range []struct {
		name  string
		extra []string
		want  string
	}{
		{"verified against the system roots", nil, "Fallback:  Post \"" + srv.URL + "/v3/auth/tokens\": tls: failed to verify certificate"},
		{"-k", []string{"-k"}, "CPID:      " + identityID},
		{"--insecure", []string{"--insecure"}, "CPID:      " + identityID},
		{"--os-cacert", []string{"--os-cacert", ca}, "CPID:      " + identityID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "", append(append([]string{"cpid"}, loginFlags(srv.URL)...), tt.extra...)...)
			if r.code != CodeOK || !strings.Contains(r.stdout, tt.want) {
				t.Errorf("code %d, stdout %q does not contain %q (stderr %q)", r.code, r.stdout, tt.want, r.stderr)
			}
		})
	}
	t.Run("OS_CACERT", func(t *testing.T) {
		t.Setenv("OS_CACERT", ca)
		r := run(t, "", append([]string{"cpid"}, loginFlags(srv.URL)...)...)
		if r.code != CodeOK || !strings.Contains(r.stdout, identityID) {
			t.Errorf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
	})
}

func TestCPIDSlowKeystone(t *testing.T) {
	cleanCloudEnv(t)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })

	r := run(t, "", append([]string{"cpid", "--timeout", "100ms"}, loginFlags(srv.URL)...)...)
	if r.code != CodeOK || !strings.Contains(r.stdout, "Fallback:  no answer within 100ms") {
		t.Errorf("timeout: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	r = runCtx(t, ctx, "", append([]string{"cpid", "--timeout", "0"}, loginFlags(srv.URL)...)...)
	if r.code != CodeNotFinished || !strings.Contains(r.stderr, "interrupted") || r.stdout != "" {
		t.Errorf("interrupt: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestCPIDErrors(t *testing.T) {
	cleanCloudEnv(t)
	dir := t.TempDir()
	badConf := filepath.Join(dir, "bad.conf")
	writeFile(t, badConf, "[identity]\nauth_version = v4\n")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no cloud", []string{"cpid"}, CodeUsage, "no cloud given: use --os-cloud NAME, --os-auth-url URL or -c tempest.conf"},
		{"argument", []string{"cpid", "tempest.conf"}, CodeUsage, `unexpected arguments ["tempest.conf"]`},
		{"bad API version", []string{"cpid", "--os-auth-url", "http://ks/v3", "--os-identity-api-version", "4"}, CodeUsage,
			`--os-identity-api-version (or OS_IDENTITY_API_VERSION): bad value: "4", want 2 or 3`},
		{"ftp URL", []string{"cpid", "--os-auth-url", "ftp://ks/v3"}, CodeUsage, "scheme must be http or https"},
		{"negative timeout", []string{"cpid", "--os-auth-url", "http://ks/v3", "--timeout", "-1s"}, CodeUsage, "--timeout: negative duration"},
		{"bad timeout", []string{"cpid", "--os-auth-url", "http://ks/v3", "--timeout", "soon"}, CodeUsage, "timeout"},
		{"missing CA file", []string{"cpid", "--os-auth-url", "http://ks/v3", "--os-cacert", filepath.Join(dir, "none.pem")}, CodeUsage, "--os-cacert: cpid: WithCAFile: CA file: open "},
		{"missing tempest.conf", []string{"cpid", "-c", filepath.Join(dir, "none.conf")}, CodeNotFinished, "none.conf: no such file"},
		{"bad tempest.conf", []string{"cpid", "-c", badConf}, CodeNotFinished, badConf + `:2: [identity] auth_version: bad value: "v4", want v2 or v3`},
		{"unknown flag", []string{"cpid", "--os-region", "x"}, CodeUsage, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "", tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
				t.Errorf("code %d (want %d), stdout %q, stderr %q (want %q)", r.code, tt.code, r.stdout, r.stderr, tt.want)
			}
		})
	}
}

// Help never shows the values of the OS_* variables (testdata/help.golden
// holds the text itself).
func TestCPIDHelpHidesSecrets(t *testing.T) {
	cleanCloudEnv(t)
	t.Setenv("OS_PASSWORD", "do-not-show")
	t.Setenv("OS_APPLICATION_CREDENTIAL_SECRET", "do-not-show")
	r := run(t, "", "cpid", "--help")
	if r.code != CodeOK || strings.Contains(r.stdout, "do-not-show") || !strings.Contains(r.stdout, "[$OS_PASSWORD]") {
		t.Errorf("code %d; help:\n%s", r.code, r.stdout)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
