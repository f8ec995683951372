package cpid

import (
	"crypto/tls"
	"fmt"
	"strconv"
	"strings"
)

// Credentials say where Keystone is and who logs in. It is plain data: build
// it by hand or with CredentialsFromEnv, CredentialsFromCloudsYAML or
// CredentialsFromTempestConf.
type Credentials struct {
	// AuthURL is the Keystone endpoint, versioned (https://h:5000/v3) or not
	// (https://h:5000). Required: its host name is also what the fallback
	// CPID hashes.
	AuthURL string

	// AuthVersion is the identity API to use: 2 (v2.0) or 3. Zero means the
	// version the AuthURL ends with, or the one Keystone offers (v3 first).
	AuthVersion int

	// The user: Username (with a domain on v3) or UserID, and Password.
	Username, UserID, Password string

	// The project to scope the token to; by id when both are set. With no
	// project, a v3 token is scoped to DomainID/DomainName if set.
	ProjectName, ProjectID string

	// DomainName and DomainID are the default domain of both the user and the
	// project (tempest.conf's [identity] domain_name, OS_DOMAIN_NAME), used
	// when the specific ones below are empty. IDs win over names.
	DomainName, DomainID               string
	UserDomainName, UserDomainID       string
	ProjectDomainName, ProjectDomainID string

	// A Keystone v3 application credential, used instead of the user's
	// password when ApplicationCredentialSecret is set. It is already scoped,
	// so the project fields are not sent.
	ApplicationCredentialID, ApplicationCredentialName, ApplicationCredentialSecret string

	// TLSConfig is the TLS client configuration that came with the
	// credentials (clouds.yaml cacert, cert, key and verify; OS_CACERT;
	// tempest.conf's ca_certificates_file and disable_ssl_certificate_validation),
	// or nil for the system roots with verification. Discover clones it and
	// applies WithInsecure and WithCAFile on top.
	TLSConfig *tls.Config

	// Source says where the credentials came from, for messages
	// ("OS_* environment variables", "clouds.yaml cloud \"x\"", ...).
	Source string
}

// canAuthenticate reports whether c holds enough to ask for a token on the
// given API version, and if not, why.
func (c Credentials) canAuthenticate(version int) error {
	if c.ApplicationCredentialSecret != "" {
		if version == 2 {
			return fmt.Errorf("%w: Keystone v2.0 takes no application credential", ErrCredentials)
		}
		if c.ApplicationCredentialID == "" && c.ApplicationCredentialName == "" {
			return fmt.Errorf("%w: an application credential secret needs the credential's id or name", ErrCredentials)
		}
		if c.ApplicationCredentialID == "" && c.Username == "" && c.UserID == "" {
			return fmt.Errorf("%w: an application credential name needs the user name or id", ErrCredentials)
		}
		if c.ApplicationCredentialID == "" && c.UserID == "" && c.userDomain() == (domain{}) {
			return fmt.Errorf("%w: an application credential name with a user name needs the user's domain", ErrCredentials)
		}
		return nil
	}
	if c.Password == "" {
		return fmt.Errorf("%w: no password", ErrCredentials)
	}
	switch {
	case version == 2 && c.Username == "":
		return fmt.Errorf("%w: Keystone v2.0 needs a user name", ErrCredentials)
	case c.Username == "" && c.UserID == "":
		return fmt.Errorf("%w: no user name or user id", ErrCredentials)
	}
	if version == 3 {
		if c.UserID == "" && c.userDomain() == (domain{}) {
			return fmt.Errorf("%w: Keystone v3 needs the user's domain with a user name (user domain or default domain, name or id)", ErrCredentials)
		}
		if c.ProjectID == "" && c.ProjectName != "" && c.projectDomain() == (domain{}) {
			return fmt.Errorf("%w: Keystone v3 needs the project's domain with a project name (project domain or default domain, name or id)", ErrCredentials)
		}
	}
	return nil
}

// domain is a Keystone domain by id or by name; id wins.
type domain struct{ id, name string }

func pickDomain(id, name, defID, defName string) domain {
	switch {
	case id != "":
		return domain{id: id}
	case name != "":
		return domain{name: name}
	case defID != "":
		return domain{id: defID}
	case defName != "":
		return domain{name: defName}
	}
	return domain{}
}

func (c Credentials) userDomain() domain {
	return pickDomain(c.UserDomainID, c.UserDomainName, c.DomainID, c.DomainName)
}

func (c Credentials) projectDomain() domain {
	return pickDomain(c.ProjectDomainID, c.ProjectDomainName, c.DomainID, c.DomainName)
}

// CredentialsFromEnv reads the OS_* variables python-openstackclient reads,
// through getenv (os.Getenv, or a map's lookup in tests):
//
//	OS_AUTH_URL (required)           OS_IDENTITY_API_VERSION (2, 2.0, 3, 3.x)
//	OS_USERNAME, OS_USER_ID          OS_PASSWORD
//	OS_PROJECT_NAME or OS_TENANT_NAME, OS_PROJECT_ID or OS_TENANT_ID
//	OS_DOMAIN_NAME or OS_DEFAULT_DOMAIN_NAME, OS_DOMAIN_ID or OS_DEFAULT_DOMAIN_ID
//	OS_USER_DOMAIN_NAME, OS_USER_DOMAIN_ID, OS_PROJECT_DOMAIN_NAME, OS_PROJECT_DOMAIN_ID
//	OS_APPLICATION_CREDENTIAL_ID, OS_APPLICATION_CREDENTIAL_NAME, OS_APPLICATION_CREDENTIAL_SECRET
//	OS_CACERT (a PEM file, read now)
//
// Unset variables leave their fields empty (an empty AuthURL makes Discover
// fail with ErrNoAuthURL). A bad OS_IDENTITY_API_VERSION or OS_CACERT is an
// *EnvError.
func CredentialsFromEnv(getenv func(string) string) (Credentials, error) {
	first := func(names ...string) string {
		for _, n := range names {
			if v := getenv(n); v != "" {
				return v
			}
		}
		return ""
	}
	c := Credentials{
		AuthURL:                     getenv("OS_AUTH_URL"),
		Username:                    getenv("OS_USERNAME"),
		UserID:                      getenv("OS_USER_ID"),
		Password:                    getenv("OS_PASSWORD"),
		ProjectName:                 first("OS_PROJECT_NAME", "OS_TENANT_NAME"),
		ProjectID:                   first("OS_PROJECT_ID", "OS_TENANT_ID"),
		DomainName:                  first("OS_DOMAIN_NAME", "OS_DEFAULT_DOMAIN_NAME"),
		DomainID:                    first("OS_DOMAIN_ID", "OS_DEFAULT_DOMAIN_ID"),
		UserDomainName:              getenv("OS_USER_DOMAIN_NAME"),
		UserDomainID:                getenv("OS_USER_DOMAIN_ID"),
		ProjectDomainName:           getenv("OS_PROJECT_DOMAIN_NAME"),
		ProjectDomainID:             getenv("OS_PROJECT_DOMAIN_ID"),
		ApplicationCredentialID:     getenv("OS_APPLICATION_CREDENTIAL_ID"),
		ApplicationCredentialName:   getenv("OS_APPLICATION_CREDENTIAL_NAME"),
		ApplicationCredentialSecret: getenv("OS_APPLICATION_CREDENTIAL_SECRET"),
		Source:                      "OS_* environment variables",
	}
	if v := getenv("OS_IDENTITY_API_VERSION"); v != "" {
		n, err := parseAPIVersion(v)
		if err != nil {
			return Credentials{}, &EnvError{Var: "OS_IDENTITY_API_VERSION", Err: err}
		}
		c.AuthVersion = n
	}
	if path := getenv("OS_CACERT"); path != "" {
		pool, err := loadCAFile(path)
		if err != nil {
			return Credentials{}, &EnvError{Var: "OS_CACERT", Err: err}
		}
		c.TLSConfig = &tls.Config{RootCAs: pool}
	}
	return c, nil
}

// parseAPIVersion reads an identity API version: "2", "2.0", "v2.0", "3",
// "3.x", "v3".
func parseAPIVersion(v string) (int, error) {
	s := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(v)), "v")
	major, minor, hasMinor := strings.Cut(s, ".")
	n, err := strconv.Atoi(major)
	if err == nil && hasMinor {
		_, err = strconv.Atoi(minor)
	}
	if err != nil || (n != 2 && n != 3) || (n == 2 && hasMinor && minor != "0") {
		return 0, fmt.Errorf("%w: %q, want 2 or 3", ErrBadValue, v)
	}
	return n, nil
}
