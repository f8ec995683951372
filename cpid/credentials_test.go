package cpid

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func getenv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestCredentialsFromEnv(t *testing.T) {
	const url = "https://ks.example.org:5000/v3"
	tests := []struct {
		name string
		env  map[string]string
		want Credentials
	}{
		{"openrc v3", map[string]string{
			"OS_AUTH_URL": url, "OS_USERNAME": "demo", "OS_PASSWORD": "pw", "OS_PROJECT_NAME": "demo-proj",
			"OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_ID": "default", "OS_IDENTITY_API_VERSION": "3",
			"OS_REGION_NAME": "RegionOne", "OS_INTERFACE": "public",
		}, Credentials{AuthURL: url, AuthVersion: 3, Username: "demo", Password: "pw", ProjectName: "demo-proj", UserDomainName: "Default", ProjectDomainID: "default"}},
		{"old v2 names", map[string]string{
			"OS_AUTH_URL": "http://ks:5000/v2.0", "OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_TENANT_NAME": "t", "OS_TENANT_ID": "tid", "OS_IDENTITY_API_VERSION": "2.0",
		}, Credentials{AuthURL: "http://ks:5000/v2.0", AuthVersion: 2, Username: "u", Password: "p", ProjectName: "t", ProjectID: "tid"}},
		{"project names win over tenant names", map[string]string{
			"OS_AUTH_URL": url, "OS_PROJECT_NAME": "p", "OS_TENANT_NAME": "t", "OS_PROJECT_ID": "pid", "OS_TENANT_ID": "tid",
		}, Credentials{AuthURL: url, ProjectName: "p", ProjectID: "pid"}},
		{"ids, domains, default domains", map[string]string{
			"OS_AUTH_URL": url, "OS_USER_ID": "uid", "OS_DOMAIN_NAME": "dn", "OS_DEFAULT_DOMAIN_NAME": "ignored", "OS_DEFAULT_DOMAIN_ID": "ddid",
			"OS_USER_DOMAIN_ID": "udid", "OS_PROJECT_DOMAIN_NAME": "pdn", "OS_IDENTITY_API_VERSION": "v3.14",
		}, Credentials{AuthURL: url, AuthVersion: 3, UserID: "uid", DomainName: "dn", DomainID: "ddid", UserDomainID: "udid", ProjectDomainName: "pdn"}},
		{"application credential", map[string]string{
			"OS_AUTH_URL": url, "OS_AUTH_TYPE": "v3applicationcredential", "OS_APPLICATION_CREDENTIAL_ID": "acid", "OS_APPLICATION_CREDENTIAL_NAME": "acn", "OS_APPLICATION_CREDENTIAL_SECRET": "s",
		}, Credentials{AuthURL: url, ApplicationCredentialID: "acid", ApplicationCredentialName: "acn", ApplicationCredentialSecret: "s"}},
		{"URL only", map[string]string{"OS_AUTH_URL": url}, Credentials{AuthURL: url}},
		{"nothing", map[string]string{}, Credentials{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CredentialsFromEnv(getenv(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if got.Source != "OS_* environment variables" || got.TLSConfig != nil {
				t.Errorf("Source %q, TLSConfig %v", got.Source, got.TLSConfig)
			}
			got.Source = ""
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestCredentialsFromEnvErrors(t *testing.T) {
	const url = "https://ks/v3"
	tests := []struct {
		name  string
		env   map[string]string
		is    error
		inErr string
	}{
		{"API version 1", map[string]string{"OS_AUTH_URL": url, "OS_IDENTITY_API_VERSION": "1"}, ErrBadValue, `OS_IDENTITY_API_VERSION: bad value: "1", want 2 or 3`},
		{"API version 2.1", map[string]string{"OS_AUTH_URL": url, "OS_IDENTITY_API_VERSION": "2.1"}, ErrBadValue, "OS_IDENTITY_API_VERSION"},
		{"API version words", map[string]string{"OS_AUTH_URL": url, "OS_IDENTITY_API_VERSION": "three"}, ErrBadValue, "OS_IDENTITY_API_VERSION"},
		{"API version 3.x", map[string]string{"OS_AUTH_URL": url, "OS_IDENTITY_API_VERSION": "3.x"}, ErrBadValue, "OS_IDENTITY_API_VERSION"},
		{"CA file missing", map[string]string{"OS_AUTH_URL": url, "OS_CACERT": "testdata/none.pem"}, os.ErrNotExist, "OS_CACERT"},
		{"CA file not PEM", map[string]string{"OS_AUTH_URL": url, "OS_CACERT": "testdata/tempest/accounts.yaml"}, nil, "cpid: OS_CACERT: CA file testdata/tempest/accounts.yaml: bad value: no PEM certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CredentialsFromEnv(getenv(tt.env))
			var ee *EnvError
			if !errors.As(err, &ee) || ee.Var == "" || !strings.HasPrefix(err.Error(), "cpid: "+ee.Var+": ") {
				t.Errorf("error %v is not an *EnvError naming the variable", err)
			}
			if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) || !strings.Contains(err.Error(), tt.inErr) {
				t.Errorf("error %v; want one wrapping %v and containing %q", err, tt.is, tt.inErr)
			}
		})
	}
}

func TestCredentialsFromEnvCACert(t *testing.T) {
	k := newTLSKeystone(t, reply(201, "{}"))
	ca := writeCA(t, k)
	got, err := CredentialsFromEnv(getenv(map[string]string{"OS_AUTH_URL": "https://ks/v3", "OS_CACERT": ca}))
	if err != nil || got.TLSConfig == nil || got.TLSConfig.RootCAs == nil || got.TLSConfig.InsecureSkipVerify {
		t.Errorf("got %+v, %v; want a TLSConfig with the CA", got, err)
	}
}

func TestParseAPIVersion(t *testing.T) {
	for in, want := range map[string]int{"2": 2, "2.0": 2, "v2.0": 2, "V2": 2, "3": 3, "3.0": 3, "3.14": 3, " v3 ": 3,
		"": 0, "1": 0, "4": 0, "2.1": 0, "3.": 0, "v": 0, "3.x": 0, "x3": 0} {
		got, err := parseAPIVersion(in)
		if got != want || (err == nil) != (want != 0) {
			t.Errorf("parseAPIVersion(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}
