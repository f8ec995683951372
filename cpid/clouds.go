package cpid

import (
	"errors"
	"fmt"
	"io"

	"github.com/gophercloud/gophercloud/v2/openstack/config/clouds"
)

// CloudsOption configures CredentialsFromCloudsYAML.
type CloudsOption func(*cloudsOptions) error

type cloudsOptions struct {
	parse     []clouds.ParseOption
	overrides *Credentials
}

// WithCloudsYAML reads clouds.yaml from r instead of searching the file
// system (and then reads no secure.yaml unless WithSecureYAML gives one).
func WithCloudsYAML(r io.Reader) CloudsOption {
	return func(o *cloudsOptions) error {
		if r == nil {
			return errors.New("cpid: WithCloudsYAML: nil reader")
		}
		o.parse = append(o.parse, clouds.WithCloudsYAML(r))
		return nil
	}
}

// WithSecureYAML reads secure.yaml (passwords kept apart from clouds.yaml)
// from r.
func WithSecureYAML(r io.Reader) CloudsOption {
	return func(o *cloudsOptions) error {
		if r == nil {
			return errors.New("cpid: WithSecureYAML: nil reader")
		}
		o.parse = append(o.parse, clouds.WithSecureYAML(r))
		return nil
	}
}

// WithCloudsLocations replaces the search path for clouds.yaml: the first of
// paths that can be opened is read, with the secure.yaml beside it.
func WithCloudsLocations(paths ...string) CloudsOption {
	return func(o *cloudsOptions) error {
		if len(paths) == 0 {
			return errors.New("cpid: WithCloudsLocations: no path")
		}
		o.parse = append(o.parse, clouds.WithLocations(paths...))
		return nil
	}
}

// WithOverrides makes the non-empty fields of c replace what the cloud's
// entry says, as python-openstackclient lets --os-* options and OS_*
// variables override a cloud's settings. Source is not overridden.
func WithOverrides(c Credentials) CloudsOption {
	return func(o *cloudsOptions) error {
		o.overrides = &c
		return nil
	}
}

// CredentialsFromCloudsYAML reads the credentials of the named cloud from
// clouds.yaml (and secure.yaml, and clouds-public.yaml for a profile) through
// gophercloud's clouds package. The file is searched for as
// python-openstackclient does: $OS_CLIENT_CONFIG_FILE alone if set, else
// ./clouds.yaml, then ${XDG_CONFIG_HOME:-~/.config}/openstack/clouds.yaml,
// then /etc/openstack/clouds.yaml. The cloud's cacert, cert, key and verify
// settings (and $OS_CACERT, $OS_CERT, $OS_KEY, which gophercloud reads)
// become Credentials.TLSConfig. An empty cloud name is an error; so is a
// missing file or cloud, or YAML that does not parse.
func CredentialsFromCloudsYAML(cloud string, opts ...CloudsOption) (Credentials, error) {
	if cloud == "" {
		return Credentials{}, errors.New("cpid: clouds.yaml: no cloud name given")
	}
	var o cloudsOptions
	for _, opt := range opts {
		if opt == nil {
			return Credentials{}, errors.New("cpid: nil CloudsOption")
		}
		if err := opt(&o); err != nil {
			return Credentials{}, err
		}
	}
	parse := append([]clouds.ParseOption{clouds.WithCloudName(cloud)}, o.parse...)
	ao, _, tlsConfig, err := clouds.Parse(parse...)
	if err != nil {
		return Credentials{}, fmt.Errorf("cpid: clouds.yaml: cloud %q: %w", cloud, err)
	}
	c := Credentials{
		AuthURL:                     ao.IdentityEndpoint,
		Username:                    ao.Username,
		UserID:                      ao.UserID,
		Password:                    ao.Password,
		ProjectID:                   ao.TenantID,
		ProjectName:                 ao.TenantName,
		UserDomainID:                ao.DomainID,
		UserDomainName:              ao.DomainName,
		ApplicationCredentialID:     ao.ApplicationCredentialID,
		ApplicationCredentialName:   ao.ApplicationCredentialName,
		ApplicationCredentialSecret: ao.ApplicationCredentialSecret,
		Source:                      fmt.Sprintf("clouds.yaml cloud %q", cloud),
	}
	if s := ao.Scope; s != nil {
		switch {
		case s.ProjectID != "" || s.ProjectName != "":
			c.ProjectDomainID, c.ProjectDomainName = s.DomainID, s.DomainName
		default: // a domain-scoped cloud
			c.DomainID, c.DomainName = s.DomainID, s.DomainName
			// gophercloud fills the user's domain id and name each from
			// user_domain_* else domain_*; when both are set, the one that
			// repeats the scope came from domain_*.
			if c.UserDomainID != "" && c.UserDomainName != "" {
				switch {
				case s.DomainID != "" && s.DomainID == c.UserDomainID:
					c.UserDomainID = ""
				case s.DomainName != "" && s.DomainName == c.UserDomainName:
					c.UserDomainName = ""
				}
			}
		}
	}
	if tlsConfig != nil && (tlsConfig.RootCAs != nil || tlsConfig.InsecureSkipVerify || len(tlsConfig.Certificates) > 0) {
		c.TLSConfig = tlsConfig
	}
	if o.overrides != nil {
		c = override(c, *o.overrides)
	}
	if c.AuthURL == "" {
		return Credentials{}, fmt.Errorf("cpid: clouds.yaml: cloud %q: auth.auth_url: %w", cloud, ErrNoAuthURL)
	}
	return c, nil
}

// override returns c with the non-empty fields of o. Fields that name the
// same thing two ways (a user by name or id, a domain by name or id) are
// replaced together, so that an overriding name is not hidden by the cloud's
// id.
func override(c, o Credentials) Credentials {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	pair := func(name, id *string, oName, oID string) {
		if oName != "" || oID != "" {
			*name, *id = oName, oID
		}
	}
	set(&c.AuthURL, o.AuthURL)
	if o.AuthVersion != 0 {
		c.AuthVersion = o.AuthVersion
	}
	pair(&c.Username, &c.UserID, o.Username, o.UserID)
	set(&c.Password, o.Password)
	pair(&c.ProjectName, &c.ProjectID, o.ProjectName, o.ProjectID)
	pair(&c.DomainName, &c.DomainID, o.DomainName, o.DomainID)
	pair(&c.UserDomainName, &c.UserDomainID, o.UserDomainName, o.UserDomainID)
	pair(&c.ProjectDomainName, &c.ProjectDomainID, o.ProjectDomainName, o.ProjectDomainID)
	pair(&c.ApplicationCredentialName, &c.ApplicationCredentialID, o.ApplicationCredentialName, o.ApplicationCredentialID)
	set(&c.ApplicationCredentialSecret, o.ApplicationCredentialSecret)
	if o.TLSConfig != nil {
		c.TLSConfig = o.TLSConfig
	}
	return c
}
