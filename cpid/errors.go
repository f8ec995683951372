package cpid

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Sentinel errors. Errors from this package wrap them; test with errors.Is.
var (
	// ErrAuthURL: the auth URL is not an http(s) URL with a host name, so not
	// even the fallback hash can be computed.
	ErrAuthURL = errors.New("not an http(s) URL with a host name")

	// ErrNoAuthURL: no auth URL was given.
	ErrNoAuthURL = errors.New("no auth URL")

	// ErrCredentials: the credentials cannot authenticate (no user or no
	// password, a user name without a domain on Keystone v3, ...). Discover
	// then falls back without sending a request.
	ErrCredentials = errors.New("incomplete credentials")

	// ErrNoCatalog: Keystone gave a token without a service catalog, or with an
	// empty one (an unscoped token, or a user not allowed to see the catalog).
	ErrNoCatalog = errors.New("the token has no service catalog")

	// ErrNoIdentityService: the catalog names no identity service with an id.
	ErrNoIdentityService = errors.New("no identity service with an id in the catalog")

	// ErrBadReply: Keystone's reply is not the JSON expected (not JSON, a
	// missing key, a value of the wrong type, or larger than the read limit).
	ErrBadReply = errors.New("malformed reply")

	// ErrTimeout: Keystone did not answer within the WithTimeout duration.
	ErrTimeout = errors.New("timed out")

	// ErrVersion: the Keystone API version cannot be used or told.
	ErrVersion = errors.New("unusable identity API version")

	// Causes inside a *ConfigError.
	ErrSyntax    = errors.New("syntax error")
	ErrDuplicate = errors.New("repeated")
	ErrMissing   = errors.New("missing")
	ErrBadValue  = errors.New("bad value")
)

// HTTPError reports a Keystone reply with an unexpected status code, such as
// 401 for a wrong password or 403 for a user without a role on the project.
type HTTPError struct {
	Method     string // "POST" for the token request, "GET" for version discovery
	URL        string // the URL requested, with any password redacted
	StatusCode int
	Message    string // Keystone's error.message, or the start of the body
}

func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("%s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// EnvError reports a bad value in an OS_* environment variable.
type EnvError struct {
	Var string // "OS_IDENTITY_API_VERSION"
	Err error
}

func (e *EnvError) Error() string { return "cpid: " + e.Var + ": " + e.Err.Error() }

func (e *EnvError) Unwrap() error { return e.Err }

// ConfigError reports a problem in a configuration file: a tempest.conf, or
// the accounts.yaml it names. Err wraps ErrSyntax, ErrDuplicate, ErrMissing,
// ErrBadValue, ErrCredentials or an I/O or YAML error.
type ConfigError struct {
	File    string // the file's path, or "tempest.conf" when read from a reader
	Line    int    // 1-based; 0 when the problem has no line (a missing key)
	Section string // the [section], if any
	Key     string // the key, if any
	Err     error
}

func (e *ConfigError) Error() string {
	msg := "cpid: " + e.File
	if e.Line > 0 {
		msg += fmt.Sprintf(":%d", e.Line)
	}
	msg += ": "
	if e.Section != "" {
		msg += "[" + e.Section + "] "
	}
	if e.Key != "" {
		msg += e.Key + ": "
	}
	return msg + e.Err.Error()
}

func (e *ConfigError) Unwrap() error { return e.Err }

// redactURL hides the password of a URL with user info, for messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}
