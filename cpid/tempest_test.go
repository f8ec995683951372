package cpid

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// confCase is a tempest.conf, the files beside it, and what it should give.
// python_test.go runs refstack-client on the same table.
type confCase struct {
	name  string
	conf  string
	files map[string]string // name -> content, written beside the conf

	want Credentials // compared without Source and TLSConfig

	// Errors: the sentinel, the line, the [section] and key the
	// *ConfigError names, and a substring of its message.
	wantErr              error
	line                 int
	section, key, inText string

	// pythonDiffers: refstack-client succeeds where we fail, or the reverse
	// (its crashes count as failures); the reason, for the cross-check.
	pythonDiffers string
}

const oneAccount = "- username: u1\n  password: p1\n  project_name: proj1\n"

var confCases = []confCase{
	{
		name:  "v3 with accounts file (default auth_version)",
		conf:  "[auth]\ntest_accounts_file = accounts.yaml\n[identity]\nuri_v3 = https://ks.example.org:5000/v3/\n",
		files: map[string]string{"accounts.yaml": oneAccount + "- username: u2\n  password: p2\n  project_name: proj2\n"},
		want:  Credentials{AuthURL: "https://ks.example.org:5000/v3", AuthVersion: 3, Username: "u1", Password: "p1", ProjectName: "proj1", DomainName: "Default"},
	},
	{
		name:  "v2 with tenant id and name",
		conf:  "[auth]\ntest_accounts_file = accounts.yaml\n[identity]\nauth_version = v2\nuri = http://ks:5000/v2.0\nuri_v3 = http://ks:5000/v3\n",
		files: map[string]string{"accounts.yaml": "- {username: u, password: p, tenant_name: t, tenant_id: tid, project_name: ignored, project_id: ignored}\n"},
		want:  Credentials{AuthURL: "http://ks:5000/v2.0", AuthVersion: 2, Username: "u", Password: "p", ProjectName: "t", ProjectID: "tid", DomainName: "Default"},
	},
	{
		name:  "project_id when tenant_id is empty; domain_name",
		conf:  "[auth]\ntest_accounts_file = accounts.yaml\n[identity]\nuri_v3 = http://ks/identity/v3\ndomain_name = corp\n",
		files: map[string]string{"accounts.yaml": "- username: u\n  password: 12345\n  tenant_id: ''\n  project_id: pid\n  project_name: p\n"},
		want:  Credentials{AuthURL: "http://ks/identity/v3", AuthVersion: 3, Username: "u", Password: "12345", ProjectName: "p", ProjectID: "pid", DomainName: "corp"},
		// refstack-client sends the number 12345, we the string: same credentials.
	},
	{
		name:  "account domains (refstack-client ignores them)",
		conf:  "[auth]\ntest_accounts_file = accounts.yaml\n[identity]\nuri_v3 = http://ks/v3\n",
		files: map[string]string{"accounts.yaml": "- {username: u, password: p, project_name: p, user_domain_name: ud, project_domain_name: pd}\n"},
		want:  Credentials{AuthURL: "http://ks/v3", AuthVersion: 3, Username: "u", Password: "p", ProjectName: "p", DomainName: "Default", UserDomainName: "ud", ProjectDomainName: "pd"},
	},
	{
		name: "deprecated identity username with tenant_name",
		conf: "[identity]\nuri_v3 = http://ks/v3\nusername = admin\npassword = pw\ntenant_name = admin-proj\nproject_name = ignored\n",
		want: Credentials{AuthURL: "http://ks/v3", AuthVersion: 3, Username: "admin", Password: "pw", ProjectName: "admin-proj", DomainName: "Default"},
	},
	{
		name: "deprecated with tenant_id, empty tenant_name falls to project_name",
		conf: "[identity]\nuri_v3 = http://ks/v3\nusername = admin\npassword = pw\ntenant_id = tid\nproject_id = ignored\ntenant_name =\nproject_name = pn\n",
		want: Credentials{AuthURL: "http://ks/v3", AuthVersion: 3, Username: "admin", Password: "pw", ProjectName: "pn", ProjectID: "tid", DomainName: "Default"},
	},
	{
		name:          "deprecated with project_name only",
		conf:          "[identity]\nuri_v3 = http://ks/v3\nusername = admin\npassword = pw\nproject_name = pn\nproject_id = pid\n",
		want:          Credentials{AuthURL: "http://ks/v3", AuthVersion: 3, Username: "admin", Password: "pw", ProjectName: "pn", ProjectID: "pid", DomainName: "Default"},
		pythonDiffers: "refstack-client requires [identity] tenant_name",
	},
	{
		name:  "accounts file wins over identity username",
		conf:  "[identity]\nuri_v3 = http://ks/v3\nusername = admin\npassword = pw\ntenant_name = t\n[auth]\ntest_accounts_file = accounts.yaml\n",
		files: map[string]string{"accounts.yaml": oneAccount},
		want:  Credentials{AuthURL: "http://ks/v3", AuthVersion: 3, Username: "u1", Password: "p1", ProjectName: "proj1", DomainName: "Default"},
	},
	{
		name:  "DEFAULT section, case-insensitive keys, colons, comments, continuation",
		conf:  "# comment\n; another\n[DEFAULT]\nURI_V3: http://ks/v3\n\n[auth]\n  # indented comment\nTest_Accounts_File=accounts.yaml\n[identity]\ndomain_name = multi\n   line\n",
		files: map[string]string{"accounts.yaml": oneAccount},
		want:  Credentials{AuthURL: "http://ks/v3", AuthVersion: 3, Username: "u1", Password: "p1", ProjectName: "proj1", DomainName: "multi\nline"},
	},
	{
		name:  "accounts file in a subdirectory, CRLF line ends",
		conf:  "[auth]\r\ntest_accounts_file = etc/accounts.yaml\r\n[identity]\r\nuri_v3 = http://ks/v3\r\n",
		files: map[string]string{"etc/accounts.yaml": oneAccount},
		want:  Credentials{AuthURL: "http://ks/v3", AuthVersion: 3, Username: "u1", Password: "p1", ProjectName: "proj1", DomainName: "Default"},
	},
	{
		name:          "password with a percent sign",
		conf:          "[identity]\nuri_v3 = http://ks/v3\nusername = u\npassword = 100%sure\ntenant_name = t\n",
		want:          Credentials{AuthURL: "http://ks/v3", AuthVersion: 3, Username: "u", Password: "100%sure", ProjectName: "t", DomainName: "Default"},
		pythonDiffers: "configparser's interpolation fails on a lone '%'",
	},

	// Errors.
	{name: "auth_version v4", conf: "[identity]\nauth_version = v4\nuri_v3 = http://ks/v3\n", wantErr: ErrBadValue, line: 2, section: "identity", key: "auth_version", inText: `"v4", want v2 or v3`},
	{name: "auth_version 3", conf: "[identity]\nauth_version = 3\n", wantErr: ErrBadValue, line: 2, section: "identity", key: "auth_version"},
	{name: "no uri_v3", conf: "[identity]\nuri = http://ks/v2.0\nusername = u\n", wantErr: ErrMissing, section: "identity", key: "uri_v3"},
	{name: "no uri for v2", conf: "[identity]\nauth_version = v2\nuri_v3 = http://ks/v3\nusername = u\n", wantErr: ErrMissing, section: "identity", key: "uri"},
	{name: "empty uri_v3", conf: "[identity]\nuri_v3 =\nusername = u\npassword = p\ntenant_name = t\n", wantErr: ErrMissing, line: 2, section: "identity", key: "uri_v3",
		pythonDiffers: "refstack-client would post to /auth/tokens and crash"},
	{name: "uri_v3 without scheme", conf: "[identity]\nuri_v3 = ks.example.org:5000/v3\nusername = u\npassword = p\ntenant_name = t\n", wantErr: ErrAuthURL, line: 2, section: "identity", key: "uri_v3",
		pythonDiffers: "refstack-client reads it and crashes later, when it hashes"},
	{name: "no identity section", conf: "[auth]\ntest_accounts_file = a.yaml\n", wantErr: ErrMissing, section: "identity", key: "uri_v3"},
	{name: "no credentials", conf: "[identity]\nuri_v3 = http://ks/v3\n", wantErr: ErrCredentials, inText: "[auth] test_accounts_file"},
	{name: "deprecated without password", conf: "[identity]\nuri_v3 = http://ks/v3\nusername = u\ntenant_name = t\n", wantErr: ErrMissing, section: "identity", key: "password"},
	{name: "accounts file missing", conf: "[auth]\ntest_accounts_file = nope.yaml\n[identity]\nuri_v3 = http://ks/v3\n", wantErr: os.ErrNotExist, line: 2, section: "auth", key: "test_accounts_file", inText: "nope.yaml"},
	{name: "accounts file empty list", conf: "[auth]\ntest_accounts_file = a.yaml\n[identity]\nuri_v3 = http://ks/v3\n", files: map[string]string{"a.yaml": "[]\n"},
		wantErr: ErrCredentials, line: 2, section: "auth", key: "test_accounts_file", inText: "no account"},
	{name: "accounts file empty", conf: "[auth]\ntest_accounts_file = a.yaml\n[identity]\nuri_v3 = http://ks/v3\n", files: map[string]string{"a.yaml": "# nothing\n"},
		wantErr: ErrCredentials, line: 2, section: "auth", key: "test_accounts_file", inText: "no account"},
	{name: "accounts file not a list", conf: "[auth]\ntest_accounts_file = a.yaml\n[identity]\nuri_v3 = http://ks/v3\n", files: map[string]string{"a.yaml": "username: u\npassword: p\n"},
		wantErr: ErrSyntax, line: 2, section: "auth", key: "test_accounts_file", inText: "want a YAML list of accounts, got a mapping"},
	{name: "first account not a mapping", conf: "[auth]\ntest_accounts_file = a.yaml\n[identity]\nuri_v3 = http://ks/v3\n", files: map[string]string{"a.yaml": "- just-a-name\n- {username: u, password: p}\n"},
		wantErr: ErrSyntax, line: 2, section: "auth", key: "test_accounts_file", inText: "first account is not a mapping"},
	{name: "later accounts are not read", conf: "[auth]\ntest_accounts_file = a.yaml\n[identity]\nuri_v3 = http://ks/v3\n", files: map[string]string{"a.yaml": "- {username: u, password: '0123', project_name: p}\n- not an account\n- [1, 2]\n"},
		want: Credentials{AuthURL: "http://ks/v3", AuthVersion: 3, Username: "u", Password: "0123", ProjectName: "p", DomainName: "Default"}},
	{name: "accounts file bad YAML", conf: "[auth]\ntest_accounts_file = a.yaml\n[identity]\nuri_v3 = http://ks/v3\n", files: map[string]string{"a.yaml": "- username: u\n  password: [unclosed\n"},
		wantErr: ErrSyntax, line: 2, section: "auth", key: "test_accounts_file", inText: "yaml: line"},
	{name: "first account without password", conf: "[auth]\ntest_accounts_file = a.yaml\n[identity]\nuri_v3 = http://ks/v3\n", files: map[string]string{"a.yaml": "- username: u\n- username: v\n  password: p\n"},
		wantErr: ErrCredentials, line: 2, section: "auth", key: "test_accounts_file", inText: "first account: incomplete credentials: no password", pythonDiffers: "refstack-client sends a null password"},
	{name: "bad boolean", conf: "[identity]\nuri_v3 = http://ks/v3\nusername = u\npassword = p\ntenant_name = t\ndisable_ssl_certificate_validation = maybe\n", wantErr: ErrBadValue, line: 6, section: "identity", key: "disable_ssl_certificate_validation",
		pythonDiffers: "refstack-client ignores TLS settings"},
	{name: "CA file missing", conf: "[identity]\nuri_v3 = http://ks/v3\nusername = u\npassword = p\ntenant_name = t\nca_certificates_file = ca.pem\n", wantErr: os.ErrNotExist, line: 6, section: "identity", key: "ca_certificates_file",
		pythonDiffers: "refstack-client ignores TLS settings"},

	// Syntax errors.
	{name: "key before any section", conf: "uri_v3 = http://ks/v3\n[identity]\n", wantErr: ErrSyntax, line: 1, inText: "before any [section]"},
	{name: "line without =", conf: "[identity]\nuri_v3 = http://ks/v3\njust words\n", wantErr: ErrSyntax, line: 3, inText: `"just words" is not "key = value"`},
	{name: "empty key", conf: "[identity]\n= value\n", wantErr: ErrSyntax, line: 2, inText: "no key"},
	{name: "bad section header", conf: "[identity\nuri_v3 = x\n", wantErr: ErrSyntax, line: 1, inText: "bad section header"},
	{name: "empty section name", conf: "[]\n", wantErr: ErrSyntax, line: 1},
	{name: "repeated key", conf: "[identity]\nuri_v3 = a\n\nURI_V3 = b\n", wantErr: ErrDuplicate, line: 4, section: "identity", key: "uri_v3", inText: "already set on line 2"},
	{name: "repeated section", conf: "[identity]\n[auth]\n[identity]\n", wantErr: ErrDuplicate, line: 3, section: "identity", inText: "already started on line 1"},
}

// writeConf writes tt's files into a new directory and returns it.
func writeConf(t *testing.T, tt confCase) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range tt.files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "tempest.conf"), []byte(tt.conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCredentialsFromTempestConf(t *testing.T) {
	for _, tt := range confCases {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeConf(t, tt)
			got, err := CredentialsFromTempestConf(strings.NewReader(tt.conf), dir)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("error: %v", err)
				}
				if got.Source == "" {
					t.Error("no Source")
				}
				got.Source, got.TLSConfig = "", nil
				if got != tt.want {
					t.Errorf("got  %+v\nwant %+v", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; got %+v", got)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v does not wrap %v", err, tt.wantErr)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *ConfigError", err)
			}
			if ce.File != "tempest.conf" || ce.Line != tt.line || ce.Section != tt.section || ce.Key != tt.key {
				t.Errorf("error at %s:%d [%s] %s, want tempest.conf:%d [%s] %s (%v)", ce.File, ce.Line, ce.Section, ce.Key, tt.line, tt.section, tt.key, err)
			}
			if !strings.Contains(err.Error(), tt.inText) {
				t.Errorf("error %q does not contain %q", err, tt.inText)
			}
		})
	}
}

func TestCredentialsFromTempestConfFile(t *testing.T) {
	got, err := CredentialsFromTempestConfFile(filepath.Join("testdata", "tempest", "tempest.conf"))
	if err != nil {
		t.Fatal(err)
	}
	want := Credentials{AuthURL: "https://keystone.example.org:5000/v3", AuthVersion: 3, Username: "tempest-user-1",
		Password: "Pa55w0rd%", ProjectName: "tempest-project-1", DomainName: "Default"}
	if !strings.Contains(got.Source, filepath.Join("testdata", "tempest", "accounts.yaml")) {
		t.Errorf("Source %q does not name the accounts file", got.Source)
	}
	got.Source = ""
	if got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}

	_, err = CredentialsFromTempestConfFile(filepath.Join("testdata", "no-such.conf"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "no-such.conf") {
		t.Errorf("missing file: %v", err)
	}

	dir := writeConf(t, confCase{conf: "[identity]\nuri_v3 = http://ks/v3\nusername = u\n"})
	_, err = CredentialsFromTempestConfFile(filepath.Join(dir, "tempest.conf"))
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.File != filepath.Join(dir, "tempest.conf") || !strings.HasPrefix(err.Error(), "cpid: "+filepath.Join(dir, "tempest.conf")+": [identity] password: missing") {
		t.Errorf("error %v: want one naming the file's path", err)
	}
}

func TestCredentialsFromTempestConfTLS(t *testing.T) {
	k := newTLSKeystone(t, reply(201, "{}"))
	base := "[identity]\nuri_v3 = http://ks/v3\nusername = u\npassword = p\ntenant_name = t\n"
	dir := t.TempDir()
	ca := writeCA(t, k)
	if err := os.Rename(ca, filepath.Join(dir, "ca.pem")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name              string
		extra             string
		wantNil, insecure bool
		roots             bool
	}{
		{"none", "", true, false, false},
		{"validation on", "disable_ssl_certificate_validation = False\n", true, false, false},
		{"validation off", "disable_ssl_certificate_validation = True\n", false, true, false},
		{"CA file, relative", "ca_certificates_file = ca.pem\n", false, false, true},
		{"both", "disable_ssl_certificate_validation = yes\nca_certificates_file = " + filepath.Join(dir, "ca.pem") + "\n", false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := CredentialsFromTempestConf(strings.NewReader(base+tt.extra), dir)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantNil {
				if c.TLSConfig != nil {
					t.Errorf("TLSConfig %+v, want nil", c.TLSConfig)
				}
				return
			}
			if c.TLSConfig == nil || c.TLSConfig.InsecureSkipVerify != tt.insecure || (c.TLSConfig.RootCAs != nil) != tt.roots {
				t.Errorf("TLSConfig %+v", c.TLSConfig)
			}
		})
	}
}

func TestResolvePath(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home directory:", err)
	}
	for in, want := range map[string]string{
		"~":               home,
		"~/accounts.yaml": filepath.Join(home, "accounts.yaml"),
		"/etc/a.yaml":     "/etc/a.yaml",
		"a.yaml":          filepath.Join("/conf", "a.yaml"),
		"../x/a.yaml":     "/x/a.yaml",
		"~other/a.yaml":   filepath.Join("/conf", "~other/a.yaml"),
	} {
		if got, err := resolvePath(in, "/conf"); got != want || err != nil {
			t.Errorf("resolvePath(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
