package server

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/ssh"

	"github.com/refstack-go/refstack/adapters/storage"
)

// TokenLeeway is the clock skew allowed when a token's expiry is checked,
// RefStack's JWT_VALIDATION_LEEWAY.
const TokenLeeway = 42 * time.Second

// ClaimOpenID is the token claim that names the user, as RefStack's.
const ClaimOpenID = "user_openid"

// caller is who sent a request.
type caller struct {
	openid string // "" when anonymous
	admin  bool   // foundation admin
}

func (c *caller) authenticated() bool { return c.openid != "" }

// adminKey is a foundation admin's public key.
type adminKey struct {
	blob string         // base64 of the key, as stored and sent in X-Public-Key
	rsa  *rsa.PublicKey // nil for a key that is not RSA (it cannot sign tokens)
}

// parseAdminKey reads an OpenSSH public key line.
func parseAdminKey(line string) (adminKey, error) {
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return adminKey{}, fmt.Errorf("not an OpenSSH public key: %w", err)
	}
	return adminKey{blob: base64.StdEncoding.EncodeToString(pub.Marshal()), rsa: rsaKey(pub)}, nil
}

// rsaKey returns the RSA key of pub, nil when it is of another type.
func rsaKey(pub ssh.PublicKey) *rsa.PublicKey {
	if cpk, ok := pub.(ssh.CryptoPublicKey); ok {
		if k, ok := cpk.CryptoPublicKey().(*rsa.PublicKey); ok {
			return k
		}
	}
	return nil
}

// OpenID returns the identity this server gives the user that registers
// pubKey, an OpenSSH public key line, as its first key: "key:" and the
// key's SHA-256 fingerprint as ssh-keygen -l prints it
// ("key:SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8").
func OpenID(pubKey string) (string, error) {
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(pubKey))
	if err != nil {
		return "", fmt.Errorf("server: not an OpenSSH public key: %w", err)
	}
	return "key:" + ssh.FingerprintSHA256(pub), nil
}

// Messages of token failures, RefStack's.
const (
	msgBearer     = "Authorization schema 'Bearer' should be used"
	msgNoOpenID   = "Token does not contain user's openid"
	msgBadToken   = "Token is not valid"
	msgNeedsLogin = "Authentication is required: send Authorization: Bearer <token>, an RS256 JWT signed with one of your registered keys (refstack token -i KEY makes one)"
)

// callerFrom authenticates the Authorization header: a JWT naming the user
// in its user_openid claim, signed RS256 by one of that user's keys or by an
// admin key, with an exp claim, checked with TokenLeeway. No header is the
// anonymous caller. A bad header is a 401 (RefStack answers 400).
func (s *Server) callerFrom(ctx context.Context, header string) (*caller, error) {
	if header == "" {
		return &caller{}, nil
	}
	scheme, tok, _ := strings.Cut(strings.TrimSpace(header), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return nil, abortf(http.StatusUnauthorized, msgBearer)
	}
	tok = strings.TrimSpace(tok)
	var unverified jwt.MapClaims
	if _, _, err := jwt.NewParser().ParseUnverified(tok, &unverified); err != nil {
		return nil, abortf(http.StatusUnauthorized, "%s: %v", msgBadToken, err)
	}
	openid, _ := unverified[ClaimOpenID].(string)
	if openid == "" {
		return nil, abortf(http.StatusUnauthorized, msgNoOpenID)
	}
	keys, err := s.store.PubKeys(ctx, openid)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("keys of %q: %w", openid, err)
	}
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired(),
		jwt.WithLeeway(TokenLeeway), jwt.WithTimeFunc(s.now))
	verify := func(k *rsa.PublicKey) error {
		if k == nil {
			return errors.New("not an RSA key")
		}
		_, err := parser.Parse(tok, func(*jwt.Token) (any, error) { return k, nil })
		return err
	}
	var lastErr error
	for _, k := range keys {
		pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(k.Format + " " + k.PubKey))
		if err != nil {
			continue
		}
		if lastErr = verify(rsaKey(pub)); lastErr == nil {
			c := &caller{openid: openid}
			for _, k := range keys {
				c.admin = c.admin || s.admins[k.PubKey]
			}
			return c, nil
		}
	}
	for _, k := range s.adminKeys {
		if verify(k.rsa) == nil {
			return &caller{openid: openid, admin: true}, nil
		}
	}
	if lastErr != nil && errors.Is(lastErr, jwt.ErrTokenExpired) {
		return nil, abortf(http.StatusUnauthorized, "%s: the token has expired", msgBadToken)
	}
	if len(keys) == 0 {
		return nil, abortf(http.StatusUnauthorized, "%s: no user %q with a registered key", msgBadToken, openid)
	}
	return nil, abortf(http.StatusUnauthorized, "%s: no key of %q verifies it", msgBadToken, openid)
}
