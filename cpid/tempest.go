package cpid

import (
	"crypto/tls"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v2"
)

// maxAccountsFile caps the size of an accounts.yaml.
const maxAccountsFile = 16 << 20

// CredentialsFromTempestConfFile is CredentialsFromTempestConf on the file at
// path, with relative paths in it taken against the file's directory and
// errors naming the path.
func CredentialsFromTempestConfFile(path string) (Credentials, error) {
	f, err := os.Open(path)
	if err != nil {
		return Credentials{}, fmt.Errorf("cpid: %w", err)
	}
	defer f.Close()
	return credentialsFromTempestConf(f, path, filepath.Dir(path))
}

// CredentialsFromTempestConf reads the credentials refstack-client reads from
// a tempest.conf (see package doc for the CPID; errors are *ConfigError
// naming the line, section and key):
//
//   - [identity] auth_version: v3 (the default) or v2, exactly;
//   - [identity] uri_v3 for v3, uri for v2: the auth URL (trailing "/"
//     removed), required;
//   - [identity] domain_name (default "Default"): the user's and project's
//     domain;
//   - [auth] test_accounts_file: an accounts.yaml ("~" expanded, a relative
//     path taken against dir) holding a non-empty list whose FIRST account
//     gives username, password, tenant_id or project_id, tenant_name or
//     project_name (and, where refstack-client ignores them,
//     user_domain_name, project_domain_name or domain_name);
//   - otherwise the deprecated [identity] username, password, tenant_id or
//     project_id, tenant_name or project_name;
//   - [identity] ca_certificates_file and disable_ssl_certificate_validation,
//     which Tempest honours and refstack-client ignores, become TLSConfig.
//
// Differences from refstack-client: a relative test_accounts_file is taken
// against dir, not against the working directory; the TLS settings are
// honoured; and, where refstack-client crashes or would send a request bound
// to fail, a missing [identity] tenant_name is allowed when project_name or a
// project id is given, an account without username or password is an error,
// an account's own domains are used, and values are taken literally (no '%'
// interpolation).
func CredentialsFromTempestConf(r io.Reader, dir string) (Credentials, error) {
	return credentialsFromTempestConf(r, "tempest.conf", dir)
}

func credentialsFromTempestConf(r io.Reader, name, dir string) (Credentials, error) {
	f, err := parseINI(r, name)
	if err != nil {
		return Credentials{}, err
	}
	cerr := func(v iniValue, section, key string, err error) error {
		return &ConfigError{File: name, Line: v.line, Section: section, Key: key, Err: err}
	}
	// get returns a value; "present" is configparser's has_option.
	get := func(section, key string) (string, iniValue, bool) {
		v, ok := f.get(section, key)
		return v.value, v, ok
	}

	c := Credentials{AuthVersion: 3}
	if v, at, ok := get("identity", "auth_version"); ok {
		switch v {
		case "v3":
		case "v2":
			c.AuthVersion = 2
		default:
			return Credentials{}, cerr(at, "identity", "auth_version", fmt.Errorf("%w: %q, want v2 or v3", ErrBadValue, v))
		}
	}
	uriKey := "uri_v3"
	if c.AuthVersion == 2 {
		uriKey = "uri"
	}
	uri, at, ok := get("identity", uriKey)
	if !ok || uri == "" {
		return Credentials{}, cerr(at, "identity", uriKey, fmt.Errorf("%w: the Keystone URL is needed for auth_version v%d", ErrMissing, c.AuthVersion))
	}
	c.AuthURL = strings.TrimRight(uri, "/")
	if _, err := Hostname(c.AuthURL); err != nil {
		return Credentials{}, cerr(at, "identity", uriKey, fmt.Errorf("%w: %w", ErrBadValue, err))
	}
	c.DomainName = "Default"
	if v, _, ok := get("identity", "domain_name"); ok {
		c.DomainName = v
	}

	if path, at, ok := get("auth", "test_accounts_file"); ok {
		acct, file, err := readFirstAccount(path, dir)
		if err != nil {
			return Credentials{}, cerr(at, "auth", "test_accounts_file", err)
		}
		c.Username, c.Password = acct.Username, acct.Password
		c.ProjectID = firstNonEmpty(acct.TenantID, acct.ProjectID)
		c.ProjectName = firstNonEmpty(acct.TenantName, acct.ProjectName)
		c.UserDomainName = firstNonEmpty(acct.UserDomainName, acct.DomainName)
		c.ProjectDomainName = firstNonEmpty(acct.ProjectDomainName, acct.DomainName)
		c.Source = fmt.Sprintf("%s [auth] test_accounts_file: %s, first account", name, file)
	} else if _, _, ok := get("identity", "username"); ok {
		c.Username, _, _ = get("identity", "username")
		c.Password, at, ok = get("identity", "password")
		if !ok {
			return Credentials{}, cerr(at, "identity", "password", fmt.Errorf("%w: [identity] username is set without it", ErrMissing))
		}
		c.ProjectID, _, ok = get("identity", "tenant_id")
		if !ok { // refstack-client: has_option tenant_id, else project_id
			c.ProjectID, _, _ = get("identity", "project_id")
		}
		tenant, _, _ := get("identity", "tenant_name")
		project, _, _ := get("identity", "project_name")
		c.ProjectName = firstNonEmpty(tenant, project)
		c.Source = name + " [identity] username (deprecated: use [auth] test_accounts_file)"
	} else {
		return Credentials{}, &ConfigError{File: name, Err: fmt.Errorf("%w: no user: set [auth] test_accounts_file (an accounts.yaml) or the deprecated [identity] username and password", ErrCredentials)}
	}

	tlsConfig, err := tempestTLS(f, dir, cerr)
	if err != nil {
		return Credentials{}, err
	}
	c.TLSConfig = tlsConfig
	return c, nil
}

// tempestTLS reads [identity] ca_certificates_file and
// disable_ssl_certificate_validation.
func tempestTLS(f *iniFile, dir string, cerr func(iniValue, string, string, error) error) (*tls.Config, error) {
	var cfg *tls.Config
	if v, ok := f.get("identity", "disable_ssl_certificate_validation"); ok {
		insecure, err := parseBool(v.value)
		if err != nil {
			return nil, cerr(v, "identity", "disable_ssl_certificate_validation", err)
		}
		if insecure {
			cfg = &tls.Config{InsecureSkipVerify: true}
		}
	}
	if v, ok := f.get("identity", "ca_certificates_file"); ok && v.value != "" {
		path, err := resolvePath(v.value, dir)
		if err != nil {
			return nil, cerr(v, "identity", "ca_certificates_file", err)
		}
		pool, err := loadCAFile(path)
		if err != nil {
			return nil, cerr(v, "identity", "ca_certificates_file", err)
		}
		if cfg == nil {
			cfg = &tls.Config{}
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

// parseBool reads a boolean as oslo.config does.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "1", "on", "yes":
		return true, nil
	case "false", "0", "off", "no":
		return false, nil
	}
	return false, fmt.Errorf("%w: %q, want true or false", ErrBadValue, s)
}

// account is one entry of Tempest's accounts.yaml (other keys, such as roles
// and resources, are ignored).
type account struct {
	Username          string `yaml:"username"`
	Password          string `yaml:"password"`
	TenantName        string `yaml:"tenant_name"`
	ProjectName       string `yaml:"project_name"`
	TenantID          string `yaml:"tenant_id"`
	ProjectID         string `yaml:"project_id"`
	DomainName        string `yaml:"domain_name"`
	UserDomainName    string `yaml:"user_domain_name"`
	ProjectDomainName string `yaml:"project_domain_name"`
}

// lenientAccount decodes an account, remembering instead of failing when the
// entry is not a mapping: only the first entry matters.
type lenientAccount struct {
	account
	ok bool
}

func (a *lenientAccount) UnmarshalYAML(unmarshal func(any) error) error {
	a.ok = unmarshal(&a.account) == nil
	return nil
}

// yamlKind names the kind of a decoded YAML value for messages.
func yamlKind(v any) string {
	switch v.(type) {
	case map[any]any:
		return "a mapping"
	case string:
		return "a string"
	}
	return fmt.Sprintf("a %T", v)
}

// readFirstAccount reads the accounts.yaml at path (resolved against dir)
// and returns its first account and the resolved path.
func readFirstAccount(path, dir string) (account, string, error) {
	if path == "" {
		return account{}, "", fmt.Errorf("%w: empty path", ErrBadValue)
	}
	file, err := resolvePath(path, dir)
	if err != nil {
		return account{}, "", err
	}
	fh, err := os.Open(file)
	if err != nil {
		return account{}, file, fmt.Errorf("accounts file: %w", err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxAccountsFile+1))
	if err != nil {
		return account{}, file, fmt.Errorf("accounts file %s: %w", file, err)
	}
	if len(data) > maxAccountsFile {
		return account{}, file, fmt.Errorf("accounts file %s: %w: larger than %d bytes", file, ErrBadValue, maxAccountsFile)
	}
	var shape any
	if err := yaml.Unmarshal(data, &shape); err != nil {
		return account{}, file, fmt.Errorf("accounts file %s: %w: %s", file, ErrSyntax, strings.Join(strings.Fields(err.Error()), " "))
	}
	switch shape.(type) {
	case nil:
		return account{}, file, fmt.Errorf("accounts file %s: %w: no account in it (want a YAML list of accounts)", file, ErrCredentials)
	case []any:
	default:
		return account{}, file, fmt.Errorf("accounts file %s: %w: want a YAML list of accounts, got %s", file, ErrSyntax, yamlKind(shape))
	}
	var accounts []lenientAccount
	if err := yaml.Unmarshal(data, &accounts); err != nil {
		return account{}, file, fmt.Errorf("accounts file %s: %w: %s", file, ErrSyntax, strings.Join(strings.Fields(err.Error()), " "))
	}
	if len(accounts) == 0 {
		return account{}, file, fmt.Errorf("accounts file %s: %w: no account in it (want a YAML list of accounts)", file, ErrCredentials)
	}
	if !accounts[0].ok {
		return account{}, file, fmt.Errorf("accounts file %s: %w: the first account is not a mapping of strings (username: ..., password: ...)", file, ErrSyntax)
	}
	a := accounts[0].account
	switch {
	case a.Username == "":
		return account{}, file, fmt.Errorf("accounts file %s: first account: %w: no username", file, ErrCredentials)
	case a.Password == "":
		return account{}, file, fmt.Errorf("accounts file %s: first account: %w: no password", file, ErrCredentials)
	}
	return a, file, nil
}

// resolvePath expands a leading "~" or "~/" to the home directory and takes
// a relative path against dir.
func resolvePath(p, dir string) (string, error) {
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("expand %q: %w", p, err)
		}
		p = filepath.Join(home, p[1:])
	}
	if !filepath.IsAbs(p) && dir != "" {
		p = filepath.Join(dir, p)
	}
	return p, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
