package cpid

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const cloudsYAML = `
clouds:
  devstack:
    auth:
      auth_url: http://192.168.1.10/identity
      username: demo
      password: secret
      project_name: demo
      user_domain_id: default
      project_domain_id: default
    region_name: RegionOne
    identity_api_version: 3
  by-ids:
    auth:
      auth_url: https://ks.example.org:5000/v3
      user_id: uid
      password: pw
      project_id: pid
  default-domain:
    auth:
      auth_url: https://ks.example.org:5000/v3
      username: u
      password: pw
      project_name: p
      domain_name: corp
  domain-scoped:
    auth:
      auth_url: https://ks.example.org:5000/v3
      username: admin
      password: pw
      user_domain_name: Default
      domain_id: default
  appcred:
    auth_type: v3applicationcredential
    auth:
      auth_url: https://ks.example.org:5000
      application_credential_id: acid
      application_credential_secret: acs
  insecure:
    auth:
      auth_url: https://ks.example.org:5000/v3
      username: u
      password: pw
    verify: false
  no-url:
    auth:
      username: u
`

// noTLSEnv clears the variables gophercloud's clouds package reads itself.
func noTLSEnv(t *testing.T) {
	for _, k := range []string{"OS_CACERT", "OS_CERT", "OS_KEY", "OS_CLIENT_CONFIG_FILE"} {
		t.Setenv(k, "")
	}
}

func TestCredentialsFromCloudsYAML(t *testing.T) {
	noTLSEnv(t)
	tests := []struct {
		cloud    string
		want     Credentials
		insecure bool
	}{
		{"devstack", Credentials{AuthURL: "http://192.168.1.10/identity", Username: "demo", Password: "secret", ProjectName: "demo", UserDomainID: "default", ProjectDomainID: "default"}, false},
		{"by-ids", Credentials{AuthURL: "https://ks.example.org:5000/v3", UserID: "uid", Password: "pw", ProjectID: "pid"}, false},
		{"default-domain", Credentials{AuthURL: "https://ks.example.org:5000/v3", Username: "u", Password: "pw", ProjectName: "p", UserDomainName: "corp", ProjectDomainName: "corp"}, false},
		{"domain-scoped", Credentials{AuthURL: "https://ks.example.org:5000/v3", Username: "admin", Password: "pw", UserDomainName: "Default", DomainID: "default"}, false},
		{"appcred", Credentials{AuthURL: "https://ks.example.org:5000", ApplicationCredentialID: "acid", ApplicationCredentialSecret: "acs"}, false},
		{"insecure", Credentials{AuthURL: "https://ks.example.org:5000/v3", Username: "u", Password: "pw"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.cloud, func(t *testing.T) {
			got, err := CredentialsFromCloudsYAML(tt.cloud, WithCloudsYAML(strings.NewReader(cloudsYAML)))
			if err != nil {
				t.Fatal(err)
			}
			if got.Source != `clouds.yaml cloud "`+tt.cloud+`"` {
				t.Errorf("Source %q", got.Source)
			}
			if tt.insecure != (got.TLSConfig != nil && got.TLSConfig.InsecureSkipVerify) {
				t.Errorf("TLSConfig %+v, want insecure %v", got.TLSConfig, tt.insecure)
			}
			got.Source, got.TLSConfig = "", nil
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestCredentialsFromCloudsYAMLSecureAndOverrides(t *testing.T) {
	noTLSEnv(t)
	secure := "clouds:\n  devstack:\n    auth:\n      password: from-secure\n"
	got, err := CredentialsFromCloudsYAML("devstack", WithCloudsYAML(strings.NewReader(cloudsYAML)), WithSecureYAML(strings.NewReader(secure)),
		WithOverrides(Credentials{ProjectName: "override-proj", UserDomainName: "named", AuthVersion: 3, Source: "ignored"}))
	if err != nil {
		t.Fatal(err)
	}
	want := Credentials{AuthURL: "http://192.168.1.10/identity", AuthVersion: 3, Username: "demo", Password: "from-secure",
		ProjectName: "override-proj", UserDomainName: "named", ProjectDomainID: "default", Source: `clouds.yaml cloud "devstack"`}
	if got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestCredentialsFromCloudsYAMLLocations(t *testing.T) {
	noTLSEnv(t)
	k := newTLSKeystone(t, reply(201, "{}"))
	ca := writeCA(t, k)
	dir := t.TempDir()
	path := filepath.Join(dir, "clouds.yaml")
	yaml := "clouds:\n  c:\n    auth: {auth_url: 'https://ks/v3', username: u, password: p}\n    cacert: " + ca + "\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := CredentialsFromCloudsYAML("c", WithCloudsLocations(filepath.Join(dir, "missing.yaml"), path))
	if err != nil {
		t.Fatal(err)
	}
	if got.AuthURL != "https://ks/v3" || got.TLSConfig == nil || got.TLSConfig.RootCAs == nil {
		t.Errorf("got %+v; want the URL and a TLSConfig with the CA", got)
	}

	t.Setenv("OS_CLIENT_CONFIG_FILE", path)
	if got, err := CredentialsFromCloudsYAML("c"); err != nil || got.Username != "u" {
		t.Errorf("OS_CLIENT_CONFIG_FILE: got %+v, %v", got, err)
	}
}

func TestCredentialsFromCloudsYAMLErrors(t *testing.T) {
	noTLSEnv(t)
	tests := []struct {
		name  string
		cloud string
		opts  []CloudsOption
		is    error
		inErr string
	}{
		{"no cloud name", "", []CloudsOption{WithCloudsYAML(strings.NewReader(cloudsYAML))}, nil, "no cloud name"},
		{"unknown cloud", "nope", []CloudsOption{WithCloudsYAML(strings.NewReader(cloudsYAML))}, nil, `cloud "nope" not found`},
		{"no auth_url", "no-url", []CloudsOption{WithCloudsYAML(strings.NewReader(cloudsYAML))}, ErrNoAuthURL, "auth.auth_url"},
		{"bad YAML", "c", []CloudsOption{WithCloudsYAML(strings.NewReader("clouds:\n  c: [\n"))}, nil, "yaml: line"},
		{"no file", "c", []CloudsOption{WithCloudsLocations("testdata/none.yaml")}, nil, "clouds file not found"},
		{"missing cacert", "c", []CloudsOption{WithCloudsYAML(strings.NewReader("clouds:\n  c:\n    auth: {auth_url: 'https://ks'}\n    cacert: /nonexistent/ca.pem\n"))}, nil, "CA cert"},
		{"nil reader", "c", []CloudsOption{WithCloudsYAML(nil)}, nil, "nil reader"},
		{"nil secure reader", "c", []CloudsOption{WithSecureYAML(nil)}, nil, "nil reader"},
		{"no locations", "c", []CloudsOption{WithCloudsLocations()}, nil, "no path"},
		{"nil option", "c", []CloudsOption{nil}, nil, "nil CloudsOption"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CredentialsFromCloudsYAML(tt.cloud, tt.opts...)
			if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) || !strings.Contains(err.Error(), tt.inErr) {
				t.Errorf("error %v; want one wrapping %v and containing %q", err, tt.is, tt.inErr)
			}
		})
	}
}
