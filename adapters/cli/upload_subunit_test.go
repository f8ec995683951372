package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/submit"
)

func TestUploadSubunit(t *testing.T) {
	key, signer := writeTestKey(t)
	srv := newFakeRefStack(t)
	r := run(t, "", "upload-subunit", "-y", "--url", srv.url(), "-i", key, "--keystone-endpoint", "http://0.0.0.0:35357/v2.0", fixture("clean.subunit"))
	if r.code != CodeOK || !strings.Contains(r.stdout, "URL: https://refstack.example/#/results/42") {
		t.Fatalf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "Number of passed tests in "+fixture("clean.subunit")+": 3\n") {
		t.Errorf("stderr %q", r.stderr)
	}
	// refstack-client's CPID for that endpoint, a duration of 0, the passed tests.
	want := &submit.Results{CPID: "f1f17934834ae2613699701054ef9684", Results: []submit.Result{
		{Name: "tempest.api.compute.servers.test_create.ServersTest.test_create", UUID: "0001"},
		{Name: "standalone_test"},
		{Name: "tempest.api.compute.servers.test_create.ServersTest.test_create", UUID: "0001"},
	}}
	got := srv.requests()
	if len(got) != 1 || !bytes.Equal(got[0].body, want.Body()) || got[0].pubKey != signer.PublicKey() {
		t.Errorf("server got %+v\nwant body %s", got, want.Body())
	}
}

func TestUploadSubunitStdinV1AndBundle(t *testing.T) {
	key, _ := writeTestKey(t)
	out := filepath.Join(t.TempDir(), "b")
	r := run(t, string(readFixture(t, "v1.txt")), "upload-subunit", "--keystone-endpoint", "https://KeyStone.Example.COM:5000/v3", "-i", key, "--bundle", out, "-")
	if r.code != CodeOK || !strings.Contains(r.stdout, "of cloud b33dc8a37c8607c6a7612f6296139578") {
		t.Fatalf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := submit.ReadBundle(f); err != nil {
		t.Error(err)
	}
}

func TestUploadSubunitFailures(t *testing.T) {
	srv := newFakeRefStack(t)
	noPass := writeTemp(t, "fail.subunit", []byte("test: a\nfailure: a\n"))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no endpoint", []string{"-y", fixture("clean.subunit")}, CodeUsage, "--keystone-endpoint URL is required"},
		{"endpoint without scheme", []string{"-y", "--keystone-endpoint", "keystone:5000/v3", fixture("clean.subunit")}, CodeUsage, "--keystone-endpoint:"},
		{"no file", []string{"-y", "--keystone-endpoint", "http://k:5000"}, CodeUsage, "missing input"},
		{"missing file", []string{"-y", "--keystone-endpoint", "http://k:5000", "/no/such.subunit"}, CodeNotFinished, "/no/such.subunit"},
		{"nothing passed", []string{"-y", "--keystone-endpoint", "http://k:5000", noPass}, CodeNotFinished, "fail.subunit: submit: invalid results document: no passed test"},
		{"no -y off a terminal", []string{"--keystone-endpoint", "http://k:5000", fixture("clean.subunit")}, CodeUsage, "pass -y"},
		{"strict bad packet", []string{"-y", "--strict", "--keystone-endpoint", "http://k:5000", fixture("mixed.subunit")}, CodeNotFinished, "bad CRC32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "", append([]string{"upload-subunit", "--url", srv.url()}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("code %d, stderr %q; want %d and %q", r.code, r.stderr, tt.code, tt.want)
			}
		})
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
	// Lenient by default: the bad packet is a warning, the rest is uploaded.
	r := run(t, "", "upload-subunit", "-y", "--url", srv.url(), "--keystone-endpoint", "http://k:5000", fixture("mixed.subunit"))
	if r.code != CodeOK || !strings.Contains(r.stderr, "warning:") || len(srv.requests()) != 1 {
		t.Errorf("lenient: code %d, stderr %q", r.code, r.stderr)
	}
}
