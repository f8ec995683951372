package cpid

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// v3Creds logs in to the fake Keystone at base with Keystone v3 names.
func v3Creds(base string) Credentials {
	return Credentials{
		AuthURL: base + "/v3", Username: "tempest-user", Password: "secret",
		ProjectName: "tempest-project", DomainName: "Default",
	}
}

// The fallback CPID of every httptest server: md5("127.0.0.1").
var localHash = md5hex("127.0.0.1")

func TestDiscoverKeystoneV3(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		wantCPID string // "" means the fallback hash
		wantErr  error  // the sentinel Fallback wraps, when falling back
		wantHTTP int    // the *HTTPError status in Fallback, when falling back on one
		inErr    string // a substring of the Fallback message
	}{
		{name: "identity after compute", status: 201, body: fixture(t, "v3-token.json"), wantCPID: "4d57b1c8e6a14f2b9d3e0c7a5f8b2e61"},
		{name: "refstack-client unit case", status: 201, body: v3Token(`[{"type": "compute", "id": "test-id1"}, {"type": "identity", "id": "test-id2"}]`), wantCPID: "test-id2"},
		{name: "first identity with an id wins", status: 201, body: v3Token(`[{"type": "identity", "id": null}, {"type": "identity", "id": ""}, {"type": "identity", "id": "third"}, {"type": "identity", "id": "fourth"}]`), wantCPID: "third"},
		{name: "non-string type is not identity", status: 201, body: v3Token(`[{"type": 7, "id": "x"}, {"type": null, "id": "y"}, {"type": "identity", "id": "z"}]`), wantCPID: "z"},
		{name: "no identity service", status: 201, body: v3Token(`[{"type": "compute", "id": "c"}, {"type": "image", "id": "i"}]`), wantErr: ErrNoIdentityService},
		{name: "identity id null", status: 201, body: v3Token(`[{"type": "identity", "id": null}]`), wantErr: ErrNoIdentityService},
		{name: "identity without id key", status: 201, body: v3Token(`[{"type": "identity"}, {"type": "identity", "id": "later"}]`), wantErr: ErrNoIdentityService, inErr: `has no "id"`},
		{name: "empty catalog", status: 201, body: v3Token(`[]`), wantErr: ErrNoCatalog},
		{name: "null catalog", status: 201, body: v3Token(`null`), wantErr: ErrNoCatalog},
		{name: "no catalog", status: 201, body: `{"token": {"methods": ["password"]}}`, wantErr: ErrNoCatalog},
		{name: "no token", status: 201, body: `{"access": {}}`, wantErr: ErrBadReply, inErr: `no "token"`},
		{name: "entry without type", status: 201, body: v3Token(`[{"id": "x"}, {"type": "identity", "id": "y"}]`), wantErr: ErrBadReply, inErr: `catalog entry 0 has no "type"`},
		{name: "numeric id", status: 201, body: v3Token(`[{"type": "identity", "id": 42}]`), wantErr: ErrBadReply, inErr: "want a string, got 42"},
		{name: "catalog not a list", status: 201, body: v3Token(`{"type": "identity"}`), wantErr: ErrBadReply},
		{name: "entry not an object", status: 201, body: v3Token(`["identity"]`), wantErr: ErrBadReply},
		{name: "not JSON", status: 201, body: `<html>hello</html>`, wantErr: ErrBadReply, inErr: "not the JSON expected"},
		{name: "truncated JSON", status: 201, body: `{"token": {"catalog": [`, wantErr: ErrBadReply},
		{name: "empty body", status: 201, body: ``, wantErr: ErrBadReply},
		{name: "401", status: 401, body: `{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}`,
			wantHTTP: 401, inErr: "401 Unauthorized: The request you have made requires authentication."},
		{name: "403 catalog forbidden", status: 403, body: `{"error": {"code": 403, "message": "You are not authorized to perform the requested action.", "title": "Forbidden"}}`,
			wantHTTP: 403, inErr: "403 Forbidden: You are not authorized"},
		{name: "500 html", status: 500, body: "<html>\n<body>Internal   Server Error</body>\n</html>", wantHTTP: 500, inErr: "500 Internal Server Error: <html> <body>Internal Server Error</body> </html>"},
		{name: "200 is not a v3 reply", status: 200, body: fixture(t, "v3-token.json"), wantHTTP: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKeystone(t, reply(tt.status, tt.body))
			res, err := Discover(context.Background(), v3Creds(k.URL))
			if err != nil {
				t.Fatalf("Discover: %v", err)
			}
			if res.TokenURL != k.URL+"/v3/auth/tokens" || res.AuthURL != k.URL+"/v3" || res.Hostname != "127.0.0.1" {
				t.Errorf("TokenURL %q, AuthURL %q, Hostname %q", res.TokenURL, res.AuthURL, res.Hostname)
			}
			reqs := k.requests()
			if len(reqs) != 1 || reqs[0].method != "POST" || reqs[0].path != "/v3/auth/tokens" {
				t.Fatalf("requests %+v, want one POST /v3/auth/tokens", reqs)
			}
			if tt.wantCPID != "" {
				if res.CPID != tt.wantCPID || res.Method != KeystoneV3Catalog || res.Fallback != nil {
					t.Errorf("got %q by %v (fallback %v), want %q by keystone-v3-catalog", res.CPID, res.Method, res.Fallback, tt.wantCPID)
				}
				return
			}
			if res.CPID != localHash || res.Method != URLHash {
				t.Errorf("got %q by %v, want the hash %q by url-hash", res.CPID, res.Method, localHash)
			}
			checkFallback(t, res.Fallback, tt.wantErr, tt.wantHTTP, tt.inErr)
		})
	}
}

// checkFallback checks the reason Discover gives for falling back.
func checkFallback(t *testing.T, got, wantErr error, wantHTTP int, inErr string) {
	t.Helper()
	if got == nil {
		t.Fatal("Fallback is nil")
	}
	if wantErr != nil && !errors.Is(got, wantErr) {
		t.Errorf("Fallback %v does not wrap %v", got, wantErr)
	}
	var he *HTTPError
	if wantHTTP != 0 && (!errors.As(got, &he) || he.StatusCode != wantHTTP) {
		t.Errorf("Fallback %v: want an *HTTPError with status %d", got, wantHTTP)
	}
	if inErr != "" && !strings.Contains(got.Error(), inErr) {
		t.Errorf("Fallback %q does not contain %q", got, inErr)
	}
}

// The v3 request body is refstack-client's: password method, user name and
// domain, project scoped by name and domain.
func TestDiscoverV3RequestBody(t *testing.T) {
	tests := []struct {
		name  string
		creds func(base string) Credentials
		want  string
	}{
		{"tempest.conf style", v3Creds, `{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "tempest-user", "domain": {"name": "Default"}, "password": "secret"}}},
			"scope": {"project": {"name": "tempest-project", "domain": {"name": "Default"}}}}}`},
		{"specific domains win, ids over names", func(base string) Credentials {
			c := v3Creds(base)
			c.UserDomainName, c.ProjectDomainID, c.ProjectDomainName = "users", "pd-id", "ignored"
			return c
		}, `{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "tempest-user", "domain": {"name": "users"}, "password": "secret"}}},
			"scope": {"project": {"name": "tempest-project", "domain": {"id": "pd-id"}}}}}`},
		{"user id and project id", func(base string) Credentials {
			return Credentials{AuthURL: base + "/v3", UserID: "uid", Password: "secret", ProjectID: "pid", ProjectName: "ignored", DomainName: "Default"}
		}, `{"auth": {"identity": {"methods": ["password"], "password": {"user": {"id": "uid", "password": "secret"}}}, "scope": {"project": {"id": "pid"}}}}`},
		{"domain scope without project", func(base string) Credentials {
			return Credentials{AuthURL: base + "/v3", Username: "admin", Password: "secret", DomainID: "default"}
		}, `{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": "secret"}}}, "scope": {"domain": {"id": "default"}}}}`},
		{"application credential by id", func(base string) Credentials {
			return Credentials{AuthURL: base + "/v3", ApplicationCredentialID: "ac-id", ApplicationCredentialSecret: "s3", ProjectName: "not sent", Username: "not sent", DomainName: "Default"}
		}, `{"auth": {"identity": {"methods": ["application_credential"], "application_credential": {"id": "ac-id", "secret": "s3"}}}}`},
		{"application credential by name", func(base string) Credentials {
			return Credentials{AuthURL: base + "/v3", ApplicationCredentialName: "ac", ApplicationCredentialSecret: "s3", Username: "u", UserDomainName: "Default"}
		}, `{"auth": {"identity": {"methods": ["application_credential"], "application_credential": {"name": "ac", "secret": "s3", "user": {"name": "u", "domain": {"name": "Default"}}}}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKeystone(t, reply(201, fixture(t, "v3-token.json")))
			res, err := Discover(context.Background(), tt.creds(k.URL))
			if err != nil || res.Method != KeystoneV3Catalog {
				t.Fatalf("Discover: %+v, %v", res, err)
			}
			reqs := k.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			if !sameJSON(t, reqs[0].body, tt.want) {
				t.Errorf("body\n%s\nwant\n%s", reqs[0].body, tt.want)
			}
			if ct := reqs[0].header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if tok := reqs[0].header.Get("X-Auth-Token"); tok != "" {
				t.Errorf("X-Auth-Token %q sent", tok)
			}
		})
	}
}

func TestDiscoverKeystoneV2(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		wantCPID string
		wantErr  error
		wantHTTP int
		inErr    string
	}{
		{name: "first identity endpoint", status: 200, body: fixture(t, "v2-token.json"), wantCPID: "7c1e9a3b5d2f4e6a8b0c2d4e6f8a0b2c"},
		{name: "203", status: 203, body: fixture(t, "v2-token.json"), wantCPID: "7c1e9a3b5d2f4e6a8b0c2d4e6f8a0b2c"},
		{name: "empty first endpoint id goes on", status: 200, body: v2Token(`[{"type": "identity", "endpoints": [{"id": ""}, {"id": "not-first"}]}, {"type": "identity", "endpoints": [{"id": "next-service"}]}]`), wantCPID: "next-service"},
		{name: "null first endpoint id goes on", status: 200, body: v2Token(`[{"type": "identity", "endpoints": [{"id": null}]}, {"type": "identity", "endpoints": [{"id": "next-service"}]}]`), wantCPID: "next-service"},
		{name: "no endpoints stops", status: 200, body: v2Token(`[{"type": "identity", "endpoints": []}, {"type": "identity", "endpoints": [{"id": "never"}]}]`), wantErr: ErrNoIdentityService, inErr: "has no endpoints"},
		{name: "endpoint without id stops", status: 200, body: v2Token(`[{"type": "identity", "endpoints": [{"publicURL": "x"}]}, {"type": "identity", "endpoints": [{"id": "never"}]}]`), wantErr: ErrNoIdentityService, inErr: `has no "id"`},
		{name: "no endpoints key", status: 200, body: v2Token(`[{"type": "identity"}]`), wantErr: ErrNoIdentityService},
		{name: "no identity", status: 200, body: v2Token(`[{"type": "compute", "endpoints": [{"id": "c"}]}]`), wantErr: ErrNoIdentityService},
		{name: "empty catalog", status: 200, body: v2Token(`[]`), wantErr: ErrNoCatalog},
		{name: "no access", status: 200, body: `{"token": {}}`, wantErr: ErrBadReply},
		{name: "bad JSON", status: 200, body: `{"access": `, wantErr: ErrBadReply},
		{name: "401", status: 401, body: `{"error": {"message": "Invalid user / password", "code": 401, "title": "Unauthorized"}}`, wantHTTP: 401, inErr: "Invalid user / password"},
		{name: "201 is not a v2 reply", status: 201, body: fixture(t, "v2-token.json"), wantHTTP: 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKeystone(t, reply(tt.status, tt.body))
			c := Credentials{AuthURL: k.URL + "/v2.0", Username: "tempest-user", Password: "secret", ProjectName: "tempest-project"}
			res, err := Discover(context.Background(), c)
			if err != nil {
				t.Fatalf("Discover: %v", err)
			}
			if res.TokenURL != k.URL+"/v2.0/tokens" {
				t.Errorf("TokenURL %q", res.TokenURL)
			}
			if tt.wantCPID != "" {
				if res.CPID != tt.wantCPID || res.Method != KeystoneV2Catalog || res.Fallback != nil {
					t.Errorf("got %q by %v (fallback %v), want %q by keystone-v2-catalog", res.CPID, res.Method, res.Fallback, tt.wantCPID)
				}
				return
			}
			if res.CPID != localHash || res.Method != URLHash {
				t.Errorf("got %q by %v, want the hash", res.CPID, res.Method)
			}
			checkFallback(t, res.Fallback, tt.wantErr, tt.wantHTTP, tt.inErr)
		})
	}
}

// The v2 body names the tenant by id when there is one, else by name, as
// refstack-client does.
func TestDiscoverV2RequestBody(t *testing.T) {
	for _, tt := range []struct {
		projectID, want string
	}{
		{"", `{"auth": {"passwordCredentials": {"username": "u", "password": "p"}, "tenantName": "proj"}}`},
		{"tid", `{"auth": {"passwordCredentials": {"username": "u", "password": "p"}, "tenantId": "tid"}}`},
	} {
		k := newKeystone(t, reply(200, fixture(t, "v2-token.json")))
		c := Credentials{AuthURL: k.URL + "/identity/v2.0/", AuthVersion: 2, Username: "u", Password: "p", ProjectName: "proj", ProjectID: tt.projectID}
		if _, err := Discover(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		reqs := k.requests()
		if len(reqs) != 1 || reqs[0].path != "/identity/v2.0/tokens" || !sameJSON(t, reqs[0].body, tt.want) {
			t.Errorf("requests %+v, want one to /identity/v2.0/tokens with %s", reqs, tt.want)
		}
	}
}

// Which API is used: AuthVersion, else the URL's last segment, else the
// versions Keystone lists at the URL.
func TestDiscoverVersionChoice(t *testing.T) {
	tokens := map[string]http.HandlerFunc{
		"/v3/auth/tokens":          reply(201, fixture(t, "v3-token.json")),
		"/v2.0/tokens":             reply(200, fixture(t, "v2-token.json")),
		"/sub/v3/auth/tokens":      reply(201, fixture(t, "v3-token.json")),
		"/keystone/v3/auth/tokens": reply(201, fixture(t, "v3-token.json")),
	}
	tests := []struct {
		name       string
		path       string // appended to the server URL
		version    int
		v2Status   string
		wantMethod Method
		wantPaths  []string
		wantErr    error
		wantHTTP   int
	}{
		{name: "v3 suffix", path: "/v3", wantMethod: KeystoneV3Catalog, wantPaths: []string{"/v3/auth/tokens"}},
		{name: "v3 suffix with slash", path: "/v3/", wantMethod: KeystoneV3Catalog, wantPaths: []string{"/v3/auth/tokens"}},
		{name: "v3.0 suffix", path: "/keystone/v3", wantMethod: KeystoneV3Catalog, wantPaths: []string{"/keystone/v3/auth/tokens"}},
		{name: "v2.0 suffix", path: "/v2.0", wantMethod: KeystoneV2Catalog, wantPaths: []string{"/v2.0/tokens"}},
		{name: "AuthVersion wins over suffix", path: "/sub/v3", version: 3, wantMethod: KeystoneV3Catalog, wantPaths: []string{"/sub/v3/auth/tokens"}},
		{name: "unversioned: v3 preferred", path: "", v2Status: "supported", wantMethod: KeystoneV3Catalog, wantPaths: []string{"/", "/v3/auth/tokens"}},
		{name: "unversioned with slash", path: "/", v2Status: "supported", wantMethod: KeystoneV3Catalog, wantPaths: []string{"/", "/v3/auth/tokens"}},
		{name: "unversioned, AuthVersion 2", path: "", version: 2, v2Status: "supported", wantMethod: KeystoneV2Catalog, wantPaths: []string{"/", "/v2.0/tokens"}},
		{name: "unversioned, AuthVersion 2 but v2 deprecated", path: "", version: 2, v2Status: "deprecated", wantMethod: URLHash, wantPaths: []string{"/"}, wantErr: ErrVersion},
		{name: "unversioned, no versions document", path: "/nothing", wantMethod: URLHash, wantPaths: []string{"/nothing/"}, wantHTTP: 404},
		{name: "v4 suffix", path: "/v4", wantMethod: URLHash, wantErr: ErrVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			routes := map[string]http.HandlerFunc{}
			for p, h := range tokens {
				routes[p] = h
			}
			var k *fakeKeystone
			routes["/"] = func(w http.ResponseWriter, r *http.Request) {
				reply(300, versions(t, k.URL, tt.v2Status))(w, r)
			}
			k = newKeystone(t, route(routes))
			c := v3Creds(k.URL)
			c.AuthURL, c.AuthVersion = k.URL+tt.path, tt.version
			res, err := Discover(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if res.Method != tt.wantMethod {
				t.Errorf("method %v (fallback %v), want %v", res.Method, res.Fallback, tt.wantMethod)
			}
			var paths []string
			for _, r := range k.requests() {
				paths = append(paths, r.path)
			}
			if strings.Join(paths, " ") != strings.Join(tt.wantPaths, " ") {
				t.Errorf("requested %q, want %q", paths, tt.wantPaths)
			}
			if tt.wantMethod == URLHash {
				checkFallback(t, res.Fallback, tt.wantErr, tt.wantHTTP, "")
			}
		})
	}
}

// Credentials that cannot authenticate fall back without any request.
func TestDiscoverIncompleteCredentials(t *testing.T) {
	tests := []struct {
		name  string
		creds Credentials
		inErr string
	}{
		{"url only", Credentials{}, "no password"},
		{"no password", Credentials{Username: "u", DomainName: "d"}, "no password"},
		{"no user", Credentials{Password: "p"}, "no user name or user id"},
		{"v3 user name without domain", Credentials{Username: "u", Password: "p", ProjectID: "x"}, "user's domain"},
		{"v3 project name without domain", Credentials{UserID: "u", Password: "p", ProjectName: "x"}, "project's domain"},
		{"app credential secret alone", Credentials{ApplicationCredentialSecret: "s"}, "id or name"},
		{"app credential name without user", Credentials{ApplicationCredentialName: "n", ApplicationCredentialSecret: "s"}, "user name or id"},
		{"app credential name, user without domain", Credentials{ApplicationCredentialName: "n", ApplicationCredentialSecret: "s", Username: "u"}, "user's domain"},
		{"v2 with user id", Credentials{AuthVersion: 2, UserID: "u", Password: "p"}, "v2.0 needs a user name"},
		{"v2 with app credential", Credentials{AuthVersion: 2, ApplicationCredentialID: "a", ApplicationCredentialSecret: "s"}, "no application credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKeystone(t, reply(201, fixture(t, "v3-token.json")))
			c := tt.creds
			c.AuthURL = k.URL + "/v3"
			if c.AuthVersion == 2 {
				c.AuthURL = k.URL + "/v2.0"
			}
			res, err := Discover(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(k.requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
			if res.Method != URLHash || res.CPID != localHash || res.TokenURL != "" {
				t.Errorf("got %+v", res)
			}
			checkFallback(t, res.Fallback, ErrCredentials, 0, tt.inErr)
		})
	}
}

func TestDiscoverNetworkError(t *testing.T) {
	k := newKeystone(t, reply(201, "{}"))
	base := k.URL
	k.Close()
	res, err := Discover(context.Background(), v3Creds(base))
	if err != nil {
		t.Fatal(err)
	}
	var ue *url.Error
	if res.Method != URLHash || !errors.As(res.Fallback, &ue) {
		t.Errorf("got %v, fallback %v (%T); want url-hash and a *url.Error", res.Method, res.Fallback, res.Fallback)
	}
}

// A reply over the 16 MiB cap is a bad reply, not an out-of-memory.
func TestDiscoverReplyTooLarge(t *testing.T) {
	k := newKeystone(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(201)
		io := strings.Repeat(" ", 1<<20)
		w.Write([]byte(`{"token": {"catalog": [`))
		for i := 0; i <= maxReply>>20; i++ {
			if _, err := w.Write([]byte(io)); err != nil {
				return
			}
		}
		w.Write([]byte(`]}}`))
	})
	res, err := Discover(context.Background(), v3Creds(k.URL))
	if err != nil {
		t.Fatal(err)
	}
	checkFallback(t, res.Fallback, ErrBadReply, 0, "larger than 16777216 bytes")
}

func TestDiscoverTimeoutAndCancel(t *testing.T) {
	release := make(chan struct{})
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
	k := newKeystone(t, slow)
	t.Cleanup(func() { close(release) })

	t.Run("timeout falls back", func(t *testing.T) {
		start := time.Now()
		res, err := Discover(context.Background(), v3Creds(k.URL), WithTimeout(100*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v", d)
		}
		if res.Method != URLHash || res.CPID != localHash {
			t.Errorf("got %+v", res)
		}
		checkFallback(t, res.Fallback, ErrTimeout, 0, "no answer within 100ms")
	})
	t.Run("cancel is an error", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		res, err := Discover(ctx, v3Creds(k.URL), WithTimeout(0))
		if !errors.Is(err, context.Canceled) || res != (Result{}) {
			t.Errorf("got %+v, %v; want context.Canceled and no result", res, err)
		}
	})
	t.Run("caller's deadline is an error", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := Discover(ctx, v3Creds(k.URL))
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrTimeout) {
			t.Errorf("err %v; want context.DeadlineExceeded, not ErrTimeout", err)
		}
	})
	t.Run("custom cause kept", func(t *testing.T) {
		ctx, cancel := context.WithCancelCause(context.Background())
		stop := errors.New("user pressed ^C")
		cancel(stop)
		_, err := Discover(ctx, v3Creds(k.URL))
		if !errors.Is(err, context.Canceled) || !errors.Is(err, stop) {
			t.Errorf("err %v; want both context.Canceled and the cause", err)
		}
	})
}

// Discover's own errors: nothing to hash, a bad version, bad options.
func TestDiscoverErrors(t *testing.T) {
	k := newKeystone(t, reply(201, fixture(t, "v3-token.json")))
	ok := v3Creds(k.URL)
	with := func(f func(*Credentials)) Credentials { c := ok; f(&c); return c }
	tests := []struct {
		name  string
		creds Credentials
		opts  []Option
		is    error
		inErr string
	}{
		{"no auth URL", Credentials{}, nil, ErrNoAuthURL, "no auth URL"},
		{"ftp URL", with(func(c *Credentials) { c.AuthURL = "ftp://keystone/v3" }), nil, ErrAuthURL, "scheme must be http or https"},
		{"no scheme", with(func(c *Credentials) { c.AuthURL = "keystone:5000/v3" }), nil, ErrAuthURL, ""},
		{"no host", with(func(c *Credentials) { c.AuthURL = "http://:5000/v3" }), nil, ErrAuthURL, "no host name"},
		{"password redacted", with(func(c *Credentials) { c.AuthURL = "ftp://u:hunter2@keystone/v3" }), nil, ErrAuthURL, "u:xxxxx@"},
		{"AuthVersion 4", with(func(c *Credentials) { c.AuthVersion = 4 }), nil, ErrVersion, "AuthVersion 4"},
		{"negative timeout", ok, []Option{WithTimeout(-time.Second)}, nil, "negative duration"},
		{"nil client", ok, []Option{WithHTTPClient(nil)}, nil, "nil client"},
		{"nil option", ok, []Option{nil}, nil, "nil Option"},
		{"missing CA file", ok, []Option{WithCAFile("testdata/no-such.pem")}, nil, "no-such.pem"},
		{"CA file not PEM", ok, []Option{WithCAFile("testdata/keystone/v3-token.json")}, nil, "no PEM certificate"},
		{"empty CA path", ok, []Option{WithCAFile("")}, nil, "empty path"},
		{"TLS with a custom transport", ok, []Option{WithHTTPClient(&http.Client{Transport: roundTripFunc(nil)}), WithInsecure(true)}, nil, "need an *http.Transport"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Discover(context.Background(), tt.creds, tt.opts...)
			if err == nil {
				t.Fatalf("no error; got %+v", res)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v does not wrap %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.inErr) || strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q does not contain %q (or shows the password)", err, tt.inErr)
			}
		})
	}
	if n := len(k.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// WithHTTPClient's transport carries the requests; the caller's client is not
// changed.
func TestDiscoverWithHTTPClient(t *testing.T) {
	k := newKeystone(t, reply(201, fixture(t, "v3-token.json")))
	var seen []string
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.Method+" "+r.URL.Path)
		return http.DefaultTransport.RoundTrip(r)
	})}
	res, err := Discover(context.Background(), v3Creds(k.URL), WithHTTPClient(hc))
	if err != nil || res.Method != KeystoneV3Catalog {
		t.Fatalf("got %+v, %v", res, err)
	}
	if strings.Join(seen, ",") != "POST /v3/auth/tokens" {
		t.Errorf("transport saw %q", seen)
	}
	if ua := k.requests()[0].header.Get("User-Agent"); !strings.HasPrefix(ua, "refstack-go-cpid gophercloud/") {
		t.Errorf("User-Agent %q", ua)
	}
}
