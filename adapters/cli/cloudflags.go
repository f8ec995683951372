package cli

import (
	"errors"
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/cpid"
)

// envFlags maps the OS_* variables cpid.CredentialsFromEnv reads to the flags
// that carry them (each flag also reads the variable itself).
var envFlags = map[string]string{
	"OS_AUTH_URL":                      "os-auth-url",
	"OS_IDENTITY_API_VERSION":          "os-identity-api-version",
	"OS_USERNAME":                      "os-username",
	"OS_USER_ID":                       "os-user-id",
	"OS_PASSWORD":                      "os-password",
	"OS_PROJECT_NAME":                  "os-project-name",
	"OS_PROJECT_ID":                    "os-project-id",
	"OS_DOMAIN_NAME":                   "os-domain-name",
	"OS_DOMAIN_ID":                     "os-domain-id",
	"OS_USER_DOMAIN_NAME":              "os-user-domain-name",
	"OS_USER_DOMAIN_ID":                "os-user-domain-id",
	"OS_PROJECT_DOMAIN_NAME":           "os-project-domain-name",
	"OS_PROJECT_DOMAIN_ID":             "os-project-domain-id",
	"OS_APPLICATION_CREDENTIAL_ID":     "os-application-credential-id",
	"OS_APPLICATION_CREDENTIAL_NAME":   "os-application-credential-name",
	"OS_APPLICATION_CREDENTIAL_SECRET": "os-application-credential-secret",
}

// cloudFlags returns the flags that say which cloud to log in to, for every
// command that needs a CPID: a clouds.yaml entry (--os-cloud), OS_* options,
// or a tempest.conf (-c). credentialsFromFlags reads them. They include
// -k/--insecure, --os-cacert and --timeout; a command using them must not
// define those again.
func cloudFlags() []ucli.Flag {
	str := func(name, usage string, env ...string) *ucli.StringFlag {
		return &ucli.StringFlag{Name: name, Usage: usage, EnvVars: env}
	}
	return []ucli.Flag{
		&ucli.StringFlag{Name: "conf-file", Aliases: []string{"c"}, TakesFile: true,
			Usage: "read the Keystone URL and the first test account from this tempest.conf, as refstack-client does (the --os-* options are then ignored)"},
		str("os-cloud", "use this entry of clouds.yaml (searched in $OS_CLIENT_CONFIG_FILE, ., ~/.config/openstack, /etc/openstack); --os-* options override its values", "OS_CLOUD"),
		str("os-auth-url", "Keystone URL, e.g. https://keystone.example.org:5000/v3", "OS_AUTH_URL"),
		str("os-identity-api-version", "Keystone API: 2 or 3 (default: from the URL, else what Keystone offers, v3 first)", "OS_IDENTITY_API_VERSION"),
		str("os-username", "user name", "OS_USERNAME"),
		str("os-user-id", "user id", "OS_USER_ID"),
		str("os-password", "password", "OS_PASSWORD"),
		str("os-project-name", "project to scope the token to", "OS_PROJECT_NAME", "OS_TENANT_NAME"),
		str("os-project-id", "project id to scope the token to", "OS_PROJECT_ID", "OS_TENANT_ID"),
		str("os-user-domain-name", "the user's domain", "OS_USER_DOMAIN_NAME"),
		str("os-user-domain-id", "the user's domain id", "OS_USER_DOMAIN_ID"),
		str("os-project-domain-name", "the project's domain", "OS_PROJECT_DOMAIN_NAME"),
		str("os-project-domain-id", "the project's domain id", "OS_PROJECT_DOMAIN_ID"),
		str("os-domain-name", "default domain of the user and the project", "OS_DOMAIN_NAME", "OS_DEFAULT_DOMAIN_NAME"),
		str("os-domain-id", "default domain id of the user and the project", "OS_DOMAIN_ID", "OS_DEFAULT_DOMAIN_ID"),
		str("os-application-credential-id", "application credential id (instead of a password)", "OS_APPLICATION_CREDENTIAL_ID"),
		str("os-application-credential-name", "application credential name (with the user)", "OS_APPLICATION_CREDENTIAL_NAME"),
		str("os-application-credential-secret", "application credential secret", "OS_APPLICATION_CREDENTIAL_SECRET"),
		&ucli.StringFlag{Name: "os-cacert", EnvVars: []string{"OS_CACERT"}, TakesFile: true,
			Usage: "trust the CA certificates in this PEM file instead of the system's"},
		&ucli.BoolFlag{Name: "insecure", Aliases: []string{"k"}, DisableDefaultText: true,
			Usage: "do not verify Keystone's TLS certificate"},
		&ucli.DurationFlag{Name: "timeout", Value: cpid.DefaultTimeout,
			Usage: "give up on Keystone after this long and use the hash of the URL's host name (0: no limit)"},
	}
}

// credentialsFromFlags turns the cloud flags into credentials and Discover
// options: -c reads a tempest.conf; else --os-cloud reads clouds.yaml with the
// --os-* values on top; else the --os-* values alone. Errors are *ExitError:
// a usage error when no cloud is given or a value is bad, "could not finish"
// when a file cannot be read or parsed.
func credentialsFromFlags(c *ucli.Context) (cpid.Credentials, []cpid.Option, error) {
	if c.Duration("timeout") < 0 {
		return cpid.Credentials{}, nil, usageErrorf("--timeout: negative duration %v", c.Duration("timeout"))
	}
	opts := []cpid.Option{cpid.WithTimeout(c.Duration("timeout"))}
	if c.Bool("insecure") {
		opts = append(opts, cpid.WithInsecure(true))
	}
	if ca := c.String("os-cacert"); ca != "" {
		opts = append(opts, cpid.WithCAFile(ca))
	}

	if conf := c.String("conf-file"); conf != "" {
		creds, err := cpid.CredentialsFromTempestConfFile(conf)
		if err != nil {
			return cpid.Credentials{}, nil, notFinished(err)
		}
		return creds, opts, nil
	}

	flags, err := cpid.CredentialsFromEnv(func(env string) string {
		if name, ok := envFlags[env]; ok {
			return c.String(name)
		}
		return "" // OS_CACERT is an option above
	})
	var ee *cpid.EnvError
	if errors.As(err, &ee) {
		return cpid.Credentials{}, nil, usageErrorf("--%s (or %s): %v", envFlags[ee.Var], ee.Var, ee.Err)
	}
	if err != nil {
		return cpid.Credentials{}, nil, usageErrorf("%v", err)
	}

	if cloud := c.String("os-cloud"); cloud != "" {
		creds, err := cpid.CredentialsFromCloudsYAML(cloud, cpid.WithOverrides(flags))
		if err != nil {
			return cpid.Credentials{}, nil, notFinished(err)
		}
		return creds, opts, nil
	}
	if flags.AuthURL == "" {
		return cpid.Credentials{}, nil, usageErrorf("no cloud given: use --os-cloud NAME, --os-auth-url URL or -c tempest.conf (or set OS_CLOUD or OS_AUTH_URL)")
	}
	flags.Source = "--os-* options and OS_* variables"
	return flags, opts, nil
}

// discover runs cpid.Discover and maps its errors to exit codes: a bad auth
// URL or --os-cacert is a usage error, an interrupt "could not finish". A
// fallback to the host name hash is not an error (see Result.Fallback).
func discover(c *ucli.Context, creds cpid.Credentials, opts []cpid.Option) (cpid.Result, error) {
	res, err := cpid.Discover(c.Context, creds, opts...)
	switch {
	case err == nil:
		return res, nil
	case c.Context.Err() != nil:
		return cpid.Result{}, notFinished(fmt.Errorf("interrupted: %w", err))
	case errors.Is(err, cpid.ErrAuthURL), errors.Is(err, cpid.ErrNoAuthURL), errors.Is(err, cpid.ErrVersion):
		return cpid.Result{}, usageErrorf("%v (from %s)", err, creds.Source)
	}
	if ca := c.String("os-cacert"); ca != "" {
		return cpid.Result{}, usageErrorf("--os-cacert: %v", err) // the one option that can be bad here
	}
	return cpid.Result{}, usageErrorf("%v", err)
}
