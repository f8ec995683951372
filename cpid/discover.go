package cpid

import (
	"context"
	"errors"
	"fmt"
)

// Method says how a CPID was found.
type Method int

const (
	// KeystoneV3Catalog: the id of the identity service in the catalog of a
	// Keystone v3 token.
	KeystoneV3Catalog Method = iota + 1
	// KeystoneV2Catalog: the id of the first endpoint of the identity service
	// in the catalog of a Keystone v2.0 token.
	KeystoneV2Catalog
	// URLHash: the md5 of the auth URL's host name (HashURL), because Keystone
	// did not give one.
	URLHash
)

// String returns "keystone-v3-catalog", "keystone-v2-catalog" or "url-hash".
func (m Method) String() string {
	switch m {
	case KeystoneV3Catalog:
		return "keystone-v3-catalog"
	case KeystoneV2Catalog:
		return "keystone-v2-catalog"
	case URLHash:
		return "url-hash"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// Result is a discovered CPID and how it was found.
type Result struct {
	CPID     string
	Method   Method
	AuthURL  string // Credentials.AuthURL, as given
	Hostname string // the lower-cased host name of AuthURL, which URLHash hashes
	TokenURL string // where the token was asked for; "" when no request got that far
	// Fallback says why Keystone did not give the CPID when Method is
	// URLHash, and is nil otherwise. It wraps ErrCredentials, ErrNoCatalog,
	// ErrNoIdentityService, ErrBadReply, ErrTimeout or ErrVersion, or is (or
	// wraps) an *HTTPError or a network error (*url.Error).
	Fallback error
}

// Discover finds the CPID of the cloud that c logs in to (see the package
// documentation for the rules). A failure to get it from Keystone is not an
// error: the Result then holds the fallback hash and the reason. The error is
// non-nil only when c.AuthURL is not an http(s) URL with a host name (it wraps
// ErrAuthURL or ErrNoAuthURL), when c.AuthVersion is not 0, 2 or 3, when an
// option is bad, or when ctx is done before the answer (it wraps ctx.Err()).
func Discover(ctx context.Context, c Credentials, opts ...Option) (Result, error) {
	if c.AuthURL == "" {
		return Result{}, fmt.Errorf("cpid: %w", ErrNoAuthURL)
	}
	host, err := Hostname(c.AuthURL)
	if err != nil {
		return Result{}, err
	}
	if c.AuthVersion != 0 && c.AuthVersion != 2 && c.AuthVersion != 3 {
		return Result{}, fmt.Errorf("cpid: AuthVersion %d: %w: want 2, 3 or 0", c.AuthVersion, ErrVersion)
	}
	o, err := makeOptions(opts)
	if err != nil {
		return Result{}, err
	}
	hc, done, err := o.client(c.TLSConfig)
	if err != nil {
		return Result{}, err
	}
	defer done()
	if err := ctx.Err(); err != nil {
		return Result{}, ctxError(ctx)
	}

	kctx := ctx
	if o.timeout > 0 {
		var cancel context.CancelFunc
		kctx, cancel = context.WithTimeoutCause(ctx, o.timeout, ErrTimeout)
		defer cancel()
	}
	id, method, tokenURL, ferr := keystone{hc: hc}.lookup(kctx, c)
	res := Result{AuthURL: c.AuthURL, Hostname: host, TokenURL: tokenURL}
	if ferr == nil {
		res.CPID, res.Method = id, method
		return res, nil
	}
	if ctx.Err() != nil {
		return Result{}, ctxError(ctx)
	}
	if errors.Is(context.Cause(kctx), ErrTimeout) {
		if errors.Is(ferr, ErrTimeout) {
			ferr = fmt.Errorf("no answer within %v: %w", o.timeout, ferr)
		} else {
			ferr = fmt.Errorf("%w: no answer within %v: %w", ErrTimeout, o.timeout, ferr)
		}
	}
	res.CPID, err = HashURL(c.AuthURL)
	if err != nil {
		return Result{}, err // cannot happen: Hostname succeeded
	}
	res.Method, res.Fallback = URLHash, ferr
	return res, nil
}

// ctxError reports that ctx ended Discover, keeping both ctx.Err() and a
// custom cause for errors.Is.
func ctxError(ctx context.Context) error {
	err, cause := ctx.Err(), context.Cause(ctx)
	if cause == nil || cause == err {
		return fmt.Errorf("cpid: %w", err)
	}
	return fmt.Errorf("cpid: %w: %w", err, cause)
}
