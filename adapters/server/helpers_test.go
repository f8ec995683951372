package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/adapters/storage/storagetest"
	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/submit"
)

// eachStore runs f once per database backend storagetest offers (SQLite
// always; MariaDB and PostgreSQL when configured), each on a fresh
// database.
func eachStore(t *testing.T, f func(t *testing.T, url string)) {
	t.Helper()
	urls := storagetest.Stores(t)
	names := make([]string, 0, len(urls))
	for n := range urls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Run(n, func(t *testing.T) { f(t, urls[n]) })
	}
}

// sqliteStore returns the URL of a fresh SQLite database, for the tests that
// need not run on every backend.
func sqliteStore(t *testing.T) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "refstack.db")
}

// clock is a settable clock; each read advances it one second, so that
// uploads get distinct, ordered created_at values.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// testEnv is a server over a real store behind httptest.
type testEnv struct {
	t     testing.TB
	store storage.Store
	srv   *Server
	ts    *httptest.Server
	clock *clock
}

var t0 = time.Date(2020, 6, 1, 12, 0, 0, 0, time.UTC)

func newEnv(t testing.TB, url string, opts ...Option) *testEnv {
	t.Helper()
	st, err := storage.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { st.Close() })
	src, err := guideline.NewDirSource(filepath.Join("testdata", "guidelines"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGuidelines(src, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{now: t0}
	srv, err := New(st, g, append([]Option{WithClock(c.Now), WithUIURL("http://ui.example")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &testEnv{t: t, store: st, srv: srv, ts: ts, clock: c}
}

// answer is an HTTP answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into v, failing the test when it is not JSON.
func (a answer) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("answer %d %q: %v", a.status, a.body, err)
	}
}

// errorBody decodes a RefStack error body.
func (a answer) err(t testing.TB) (title, detail string) {
	t.Helper()
	var b struct {
		Code   int     `json:"code"`
		Title  string  `json:"title"`
		Detail *string `json:"detail"`
	}
	a.json(t, &b)
	if b.Code != a.status {
		t.Errorf("error body code %d, status %d", b.Code, a.status)
	}
	if ct := a.header.Get("Content-Type"); ct != contentJSON {
		t.Errorf("error Content-Type %q", ct)
	}
	if b.Detail != nil {
		detail = *b.Detail
	}
	return b.Title, detail
}

// do sends a request; hdr holds header name, value pairs.
func (e *testEnv) do(method, path string, body []byte, hdr ...string) answer {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: data}
}

// user is a test user: a key and, once registered, its openid.
type user struct {
	name   string
	signer *submit.Signer
	openid string
}

var (
	signersMu sync.Mutex
	signers   = map[string]*submit.Signer{}
)

// signer loads testdata/keys/NAME.pem (2048-bit keys made once with
// openssl genrsa -traditional).
func signer(t testing.TB, name string) *submit.Signer {
	t.Helper()
	signersMu.Lock()
	defer signersMu.Unlock()
	if s, ok := signers[name]; ok {
		return s
	}
	s, err := submit.LoadSigner(filepath.Join("testdata", "keys", name+".pem"))
	if err != nil {
		t.Fatal(err)
	}
	signers[name] = s
	return s
}

// register registers name's key as a new user (no token) and returns it.
func (e *testEnv) register(name string) *user {
	e.t.Helper()
	u := &user{name: name, signer: signer(e.t, name)}
	a := e.do("POST", "/v1/profile/pubkeys", keyBody(e.t, u.signer, name+"@test"))
	if a.status != http.StatusCreated {
		e.t.Fatalf("register %s: %d %s", name, a.status, a.body)
	}
	var err error
	if u.openid, err = OpenID(u.signer.PublicKey()); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// keyBody is a key registration body for s.
func keyBody(t testing.TB, s *submit.Signer, comment string) []byte {
	t.Helper()
	sig, err := s.SelfSignature()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]string{"raw_key": strings.TrimSpace(s.AuthorizedKey(comment)), "self_signature": sig})
	return b
}

// auth returns the Authorization header pair of a fresh token for u.
func (e *testEnv) auth(u *user) []string {
	e.t.Helper()
	tok, err := Token(u.signer, u.openid, time.Now().Add(time.Hour))
	if err != nil {
		e.t.Fatal(err)
	}
	return []string{"Authorization", "Bearer " + tok}
}

// doc returns a results document with n passed tests.
func doc(cpid string, n int) *submit.Results {
	r := &submit.Results{CPID: cpid, DurationSeconds: 42}
	for i := range n {
		r.Results = append(r.Results, submit.Result{Name: "tempest.api.t.T.test_" + itoa(i), UUID: "0000-" + itoa(i)})
	}
	return r
}

func itoa(i int) string { return jsonInt(i) }

func jsonInt(i int) string { b, _ := json.Marshal(i); return string(b) }

// upload posts body, signed by u when u is not nil, and returns the answer.
func (e *testEnv) upload(body []byte, u *user) answer {
	e.t.Helper()
	hdr := []string{"Content-Type", "application/json"}
	if u != nil {
		sig, err := u.signer.Sign(body)
		if err != nil {
			e.t.Fatal(err)
		}
		hdr = append(hdr, submit.HeaderSignature, sig.Hex, submit.HeaderPublicKey, sig.PublicKey)
	}
	return e.do("POST", "/v1/results/", body, hdr...)
}

// mustUpload uploads and returns the new result's id.
func (e *testEnv) mustUpload(body []byte, u *user) string {
	e.t.Helper()
	a := e.upload(body, u)
	if a.status != http.StatusCreated {
		e.t.Fatalf("upload: %d %s", a.status, a.body)
	}
	var ans struct {
		TestID string `json:"test_id"`
		URL    string `json:"url"`
	}
	a.json(e.t, &ans)
	if ans.TestID == "" || ans.URL != "http://ui.example/#/results/"+ans.TestID {
		e.t.Fatalf("upload answer %s", a.body)
	}
	return ans.TestID
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// storageAll selects every stored result.
func storageAll() storage.ResultFilter { return storage.ResultFilter{Visibility: storage.All} }

type storageTest = storage.Test

// testTimeout bounds the external programs a test runs.
const testTimeout = 2 * time.Minute
