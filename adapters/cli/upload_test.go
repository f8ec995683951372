package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/refstack-go/refstack/submit"
)

// posted is one request the fake RefStack server got.
type posted struct {
	method, path, query, contentType string
	body                             []byte
	sigHex, pubKey                   string
}

// fakeRefStack is a RefStack API under /api that stores uploads (after the
// server's signature check) and answers with status, or 201.
type fakeRefStack struct {
	t      *testing.T
	srv    *httptest.Server
	status int // for POST; 0 means 201
	mu     sync.Mutex
	got    []posted
	list   func(w http.ResponseWriter, r *http.Request)
}

func newFakeRefStack(t *testing.T) *fakeRefStack {
	f := &fakeRefStack{t: t}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeRefStack) url() string { return f.srv.URL + "/api" }

func (f *fakeRefStack) requests() []posted {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]posted(nil), f.got...)
}

func (f *fakeRefStack) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p := posted{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"), body, r.Header.Get(submit.HeaderSignature), r.Header.Get(submit.HeaderPublicKey)}
	f.mu.Lock()
	f.got = append(f.got, p)
	f.mu.Unlock()
	if r.Method == http.MethodGet && f.list != nil {
		f.list(w, r)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/api/v1/results/" || p.contentType != "application/json" {
		f.t.Errorf("unexpected request %s %s (%s)", r.Method, r.URL, p.contentType)
	}
	if p.sigHex != "" || p.pubKey != "" {
		if err := submit.Verify(body, p.sigHex, p.pubKey); err != nil {
			w.WriteHeader(400)
			io.WriteString(w, `{"code": 400, "title": "`+err.Error()+`"}`)
			return
		}
	}
	if f.status != 0 {
		w.WriteHeader(f.status)
		io.WriteString(w, `{"code": 400, "title": "Request doesnt correspond to schema"}`)
		return
	}
	w.WriteHeader(201)
	io.WriteString(w, `{"test_id": "42", "url": "https://refstack.example/#/results/42"}`)
}

// fakeTTY is standard input or output that says it is a terminal.
type fakeTTY struct {
	io.Reader
	io.Writer
}

func (fakeTTY) IsTerminal() bool { return true }

// runIO runs the command line with the given standard input and output.
func runIO(t *testing.T, stdin io.Reader, stdout io.Writer, args ...string) result {
	t.Helper()
	var stderr bytes.Buffer
	code := Run(context.Background(), append([]string{"refstack"}, args...), stdin, stdout, &stderr)
	out := ""
	if b, ok := stdout.(interface{ String() string }); ok {
		out = b.String()
	}
	return result{code: code, stdout: out, stderr: stderr.String()}
}

// writeTestKey writes a fresh 2048-bit RSA key (PEM PKCS#1) and returns its
// path and signer.
func writeTestKey(t *testing.T) (string, *submit.Signer) {
	t.Helper()
	s, err := submit.GenerateKey(2048)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(path, s.PrivateKeyPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, s
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var testDoc = &submit.Results{
	CPID:            "a7fd82e13f0f6eba9f65d753a9e6dd4d",
	DurationSeconds: 12,
	Results:         []submit.Result{{Name: "tempest.api.a.A.test_x", UUID: "9a438d88-10c6-4bcd-8b5b-5b6e25e1346f"}, {Name: "tempest.api.b.B.test_y"}},
}

func TestUploadResultsFile(t *testing.T) {
	key, signer := writeTestKey(t)
	// The file's formatting does not matter: the body is refstack-client's encoding.
	file := writeTemp(t, "results.json", []byte(`{"results":[{"name":"tempest.api.a.A.test_x","uuid":"9a438d88-10c6-4bcd-8b5b-5b6e25e1346f"},{"name":"tempest.api.b.B.test_y"}],"cpid":"a7fd82e13f0f6eba9f65d753a9e6dd4d","duration_seconds":12}`))
	for _, signed := range []bool{true, false} {
		srv := newFakeRefStack(t)
		args := []string{"upload", "-y", "--url", srv.url()}
		if signed {
			args = append(args, "-i", key)
		}
		r := run(t, "", append(args, file)...)
		if r.code != CodeOK || r.stdout != "Test results uploaded!\nURL: https://refstack.example/#/results/42\n" {
			t.Fatalf("signed %v: code %d, stdout %q, stderr %q", signed, r.code, r.stdout, r.stderr)
		}
		got := srv.requests()
		if len(got) != 1 || !bytes.Equal(got[0].body, testDoc.Body()) {
			t.Fatalf("server got %+v, want one POST of %s", got, testDoc.Body())
		}
		if signed && got[0].pubKey != signer.PublicKey() || !signed && (got[0].sigHex != "" || got[0].pubKey != "") {
			t.Errorf("signed %v: headers %q %q", signed, got[0].sigHex, got[0].pubKey)
		}
		if !strings.Contains(r.stderr, "Uploading 2 passed tests") {
			t.Errorf("stderr %q", r.stderr)
		}
	}
}

func TestUploadURLFromEnvironment(t *testing.T) {
	srv := newFakeRefStack(t)
	t.Setenv("REFSTACK_URL", srv.url())
	r := run(t, "", "upload", "-y", writeTemp(t, "r.json", testDoc.File()))
	if r.code != CodeOK || len(srv.requests()) != 1 {
		t.Errorf("code %d, %d requests, stderr %q", r.code, len(srv.requests()), r.stderr)
	}
}

func TestUploadConfirmation(t *testing.T) {
	file := writeTemp(t, "r.json", testDoc.File())
	tests := []struct {
		name     string
		stdin    io.Reader
		args     []string
		code     int
		uploaded bool
		stderr   string
	}{
		{"not a terminal", strings.NewReader("yes\n"), nil, CodeUsage, false, "standard input is not a terminal, so there is no one to confirm the upload: pass -y"},
		{"-y", strings.NewReader(""), []string{"-y"}, CodeOK, true, ""},
		{"yes", fakeTTY{Reader: strings.NewReader("yes\n")}, nil, CodeOK, true, ". Ok? (yes/y): "},
		{"Y", fakeTTY{Reader: strings.NewReader(" Y \n")}, nil, CodeOK, true, ""},
		{"no", fakeTTY{Reader: strings.NewReader("n\n")}, nil, CodeNotFinished, false, "upload cancelled: the answer was not yes"},
		{"end of input", fakeTTY{Reader: strings.NewReader("")}, nil, CodeNotFinished, false, "upload cancelled: no answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeRefStack(t)
			args := append(append([]string{"upload", "--url", srv.url()}, tt.args...), file)
			r := runIO(t, tt.stdin, &bytes.Buffer{}, args...)
			if r.code != tt.code || (len(srv.requests()) == 1) != tt.uploaded || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("code %d, %d requests, stderr %q; want %d, uploaded %v, %q", r.code, len(srv.requests()), r.stderr, tt.code, tt.uploaded, tt.stderr)
			}
			if strings.Contains(tt.stderr, "Ok?") && !strings.Contains(r.stderr, "Test results will be uploaded to "+srv.url()+". Ok? (yes/y): ") {
				t.Errorf("prompt missing: %q", r.stderr)
			}
		})
	}
}

func TestUploadFailures(t *testing.T) {
	key, _ := writeTestKey(t)
	dir := t.TempDir()
	encrypted := writeTemp(t, "enc", []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"))
	good := writeTemp(t, "good.json", testDoc.File())
	srv := newFakeRefStack(t)
	rejecting := newFakeRefStack(t)
	rejecting.status = 400
	tests := []struct {
		name string
		args []string
		code int
		want []string // in stderr
	}{
		{"no file", []string{"upload", "-y"}, CodeUsage, []string{"upload: missing argument: give a results JSON file or a bundle"}},
		{"two files", []string{"upload", "-y", good, good}, CodeUsage, []string{"want one argument, got 2"}},
		{"missing file", []string{"upload", "-y", "--url", srv.url(), filepath.Join(dir, "nope.json")}, CodeNotFinished, []string{"nope.json", "no such file"}},
		{"not JSON", []string{"upload", "-y", "--url", srv.url(), writeTemp(t, "x.json", []byte("hello"))}, CodeNotFinished, []string{"x.json", "not a JSON object"}},
		{"unknown key", []string{"upload", "-y", "--url", srv.url(), writeTemp(t, "m.json", []byte(`{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a"}], "meta": 1}`))}, CodeNotFinished, []string{"m.json", `unknown key "meta"`}},
		{"no results", []string{"upload", "-y", "--url", srv.url(), writeTemp(t, "e.json", (&submit.Results{CPID: "c"}).Body())}, CodeNotFinished, []string{"e.json", "no passed test"}},
		{"missing key", []string{"upload", "-y", "--url", srv.url(), "-i", filepath.Join(dir, "nokey"), good}, CodeNotFinished, []string{"private key " + filepath.Join(dir, "nokey"), "no such file"}},
		{"encrypted key", []string{"upload", "-y", "--url", srv.url(), "-i", encrypted, good}, CodeNotFinished, []string{"private key " + encrypted + " (PEM PKCS#8 (encrypted))", "encrypted"}},
		{"key is not a key", []string{"upload", "-y", "--url", srv.url(), "-i", good, good}, CodeNotFinished, []string{"private key " + good, "no private key found"}},
		{"bad URL", []string{"upload", "-y", "--url", "refstack.example/api", good}, CodeUsage, []string{"--url", "want an http or https URL"}},
		{"bad attempts", []string{"upload", "-y", "--url", srv.url(), "--attempts", "0", good}, CodeUsage, []string{"attempts 0"}},
		{"bad timeout", []string{"upload", "-y", "--url", srv.url(), "--timeout", "0s", good}, CodeUsage, []string{"--timeout 0s"}},
		{"server rejects", []string{"upload", "-y", "--url", rejecting.url(), "-i", key, good}, CodeNotFinished, []string{"upload: submit: POST " + rejecting.url() + "/v1/results/: 400 Bad Request: Request doesnt correspond to schema"}},
		{"bundle without key", []string{"upload", "--bundle", filepath.Join(dir, "b"), good}, CodeUsage, []string{"--bundle needs -i KEY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "", tt.args...)
			if r.code != tt.code {
				t.Errorf("code %d, want %d (stderr %q)", r.code, tt.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not contain %q", r.stderr, w)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout %q", r.stdout)
			}
		})
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests made for bad input", n)
	}
}

// The off-line option: a bundle written where the key is, uploaded later
// byte for byte without the key; -i and --bundle do not apply to a bundle.
func TestUploadBundle(t *testing.T) {
	key, signer := writeTestKey(t)
	out := filepath.Join(t.TempDir(), "results.bundle")
	r := run(t, "", "upload", "-i", key, "--bundle", out, writeTemp(t, "r.json", testDoc.File()))
	if r.code != CodeOK || !strings.Contains(r.stdout, "Bundle written to "+out+": 2 passed tests of cloud a7fd82e13f0f6eba9f65d753a9e6dd4d") ||
		!strings.Contains(r.stdout, "refstack upload "+out) {
		t.Fatalf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	b, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := submit.ReadBundle(b)
	b.Close()
	if err != nil || !bytes.Equal(bundle.Body, testDoc.Body()) || bundle.Signature.PublicKey != signer.PublicKey() {
		t.Fatalf("bundle %+v, %v", bundle, err)
	}
	srv := newFakeRefStack(t)
	r = run(t, "", "upload", "-y", "--url", srv.url(), out)
	got := srv.requests()
	if r.code != CodeOK || len(got) != 1 || !bytes.Equal(got[0].body, bundle.Body) || got[0].sigHex != bundle.Signature.Hex || got[0].pubKey != signer.PublicKey() {
		t.Errorf("upload of the bundle: code %d, stderr %q, requests %+v", r.code, r.stderr, got)
	}
	// From standard input too.
	data, _ := os.ReadFile(out)
	if r := run(t, string(data), "upload", "-y", "--url", srv.url(), "-"); r.code != CodeOK {
		t.Errorf("bundle on stdin: code %d, stderr %q", r.code, r.stderr)
	}
	for _, args := range [][]string{{"-i", key}, {"--bundle", out + "2"}} {
		r := run(t, "", append(append([]string{"upload", "-y", "--url", srv.url()}, args...), out)...)
		if r.code != CodeUsage {
			t.Errorf("%q with a bundle: code %d, stderr %q", args, r.code, r.stderr)
		}
	}
	// A tampered bundle is refused before anything is sent.
	tampered := writeTemp(t, "t.bundle", bytes.Replace(data, []byte(`"signature": "`), []byte(`"signature": "00`), 1))
	r = run(t, "", "upload", "-y", "--url", srv.url(), tampered)
	if r.code != CodeNotFinished || !strings.Contains(r.stderr, "t.bundle: submit: invalid bundle: Signature verification failed") {
		t.Errorf("tampered: code %d, stderr %q", r.code, r.stderr)
	}
	if n := len(srv.requests()); n != 2 {
		t.Errorf("%d uploads, want 2", n)
	}
}

// The help of the RefStack client commands is golden: go test ./adapters/cli
// -update rewrites testdata/submit-help.golden after a deliberate change.
func TestSubmitHelpGolden(t *testing.T) {
	var all strings.Builder
	for _, cmd := range []string{"results", "upload", "upload-subunit", "list", "sign", "keygen"} {
		r := run(t, "", cmd, "--help")
		if r.code != CodeOK || r.stderr != "" {
			t.Errorf("%s --help: code %d, stderr %q; want 0 and nothing", cmd, r.code, r.stderr)
		}
		fmt.Fprintf(&all, "$ refstack %s --help\n%s\n", cmd, r.stdout)
	}
	golden(t, "submit-help.golden", []byte(all.String()))
}
