package cpid

import (
	"errors"
	"strings"
	"testing"
)

// hashCases are auth URLs and the host name Python's urllib.parse gives for
// them ("" when refstack-client raises). python_test.go checks the same table
// against refstack-client itself.
var hashCases = []struct {
	url, host string
}{
	{"http://some.url:5000/v2", "some.url"}, // refstack-client's unit test
	{"http://0.0.0.0:35357/v2.0", "0.0.0.0"},
	{"HTTPS://KeyStone.Example.COM:5000/v3", "keystone.example.com"},
	{"https://keystone.example.com", "keystone.example.com"},
	{"https://keystone.example.com/", "keystone.example.com"},
	{"https://keystone.example.com:443/identity/v3/auth/tokens?x=1#frag", "keystone.example.com"},
	{"https://keystone.example.com?x=1", "keystone.example.com"},
	{"https://keystone.example.com#frag", "keystone.example.com"},
	{"http://user:pass@Keystone:5000/v3", "keystone"},
	{"http://us@er:p@ss@host/", "host"},
	{"http://127.0.0.1:5000/v3/auth/tokens", "127.0.0.1"},
	{"http://[fe80::1]:5000/v3", "fe80::1"},
	{"http://[FE80::1]/v3", "fe80::1"},
	{"http://[FE80::1%25ETH0]:5000/v3", "fe80::1%25ETH0"}, // the zone keeps its case
	{"http://[::ffff:1.2.3.4]/", "::ffff:1.2.3.4"},
	{"http://host:notaport/v3", "host"}, // urllib does not check the port
	{"http://host:/v3", "host"},
	{" \t http://lead.ing/", "lead.ing"},
	{"http://ta\tb.c\n/", "tab.c"},
	{"Http://MiXeD/", "mixed"},
	{"http://ÄÖÜ.example/", "äöü.example"},
	{"ftp://keystone/v3", ""},
	{"keystone.example.com:5000/v3", ""},
	{"keystone.example.com", ""},
	{"", ""},
	{"//keystone/v3", ""},
	{"http:keystone/v3", ""},
	{"http://:5000/v3", ""},
	{"http:///v3", ""},
	{"http://user@/v3", ""},
	{"http://[fe80::1/v3", ""},
	{"http://fe80::1]/v3", ""},
	{"http://[1.2.3.4]/", ""},
	{"http://[not-an-ip]/", ""},
	{"1http://host/", ""},
	{"ht tp://host/", ""},
}

func TestHashURL(t *testing.T) {
	for _, tt := range hashCases {
		got, err := HashURL(tt.url)
		if tt.host == "" {
			if err == nil || !errors.Is(err, ErrAuthURL) {
				t.Errorf("HashURL(%q) = %q, %v; want an error wrapping ErrAuthURL", tt.url, got, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("HashURL(%q): %v", tt.url, err)
			continue
		}
		if want := md5hex(tt.host); got != want {
			t.Errorf("HashURL(%q) = %q, want md5(%q) = %q", tt.url, got, tt.host, want)
		}
		if h, _ := Hostname(tt.url); h != tt.host {
			t.Errorf("Hostname(%q) = %q, want %q", tt.url, h, tt.host)
		}
	}
}

// The published values: refstack-client's unit test and the reference notes.
func TestHashURLKnownValues(t *testing.T) {
	for url, want := range map[string]string{
		"http://some.url:5000/v2":               "a7fd82e13f0f6eba9f65d753a9e6dd4d",
		"http://0.0.0.0:35357/v2.0":             "f1f17934834ae2613699701054ef9684",
		"HTTPS://KeyStone.Example.COM:5000/v3":  "b33dc8a37c8607c6a7612f6296139578",
		"http://127.0.0.1:35357/v3/auth/tokens": "f528764d624db129b32c21fbca0cb8d6",
	} {
		if got, err := HashURL(url); got != want || err != nil {
			t.Errorf("HashURL(%q) = %q, %v; want %q", url, got, err, want)
		}
	}
}

func TestHashURLErrorText(t *testing.T) {
	_, err := HashURL("ftp://admin:s3cret@keystone/v3")
	if err == nil || !strings.Contains(err.Error(), "admin:xxxxx@keystone") || strings.Contains(err.Error(), "s3cret") ||
		!strings.Contains(err.Error(), "scheme must be http or https") {
		t.Errorf("error %v: want the URL with its password redacted and the reason", err)
	}
}

func FuzzHostname(f *testing.F) {
	for _, tt := range hashCases {
		f.Add(tt.url)
	}
	f.Fuzz(func(t *testing.T, u string) {
		host, err := Hostname(u)
		if err != nil {
			if !errors.Is(err, ErrAuthURL) {
				t.Fatalf("error %v does not wrap ErrAuthURL", err)
			}
			return
		}
		if host == "" || strings.ContainsAny(host, "/?#@") {
			t.Fatalf("Hostname(%q) = %q", u, host)
		}
		if h, _, _ := strings.Cut(host, "%"); h != strings.ToLower(h) {
			t.Fatalf("Hostname(%q) = %q is not lower-case", u, host)
		}
	})
}
