package server

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/refstack-go/refstack/submit"
)

// Token returns a JWT that authenticates the user openid to a server until
// exp: RS256, signed with s (one of the user's registered keys, or an admin
// key), with the claims user_openid and exp. Send it as "Authorization:
// Bearer <token>". RefStack's server accepts the same tokens.
func Token(s *submit.Signer, openid string, exp time.Time) (string, error) {
	if s == nil {
		return "", errors.New("server: nil signer")
	}
	if openid == "" {
		return "", errors.New("server: empty openid")
	}
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT"})
	claims, err := json.Marshal(map[string]any{ClaimOpenID: openid, "exp": exp.Unix()})
	if err != nil {
		return "", fmt.Errorf("server: token claims: %w", err)
	}
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(header) + "." + enc.EncodeToString(claims)
	// RS256 is RSASSA-PKCS1-v1_5 with SHA-256, the upload signature.
	sig, err := s.Sign([]byte(input))
	if err != nil {
		return "", err
	}
	raw, err := hex.DecodeString(sig.Hex)
	if err != nil {
		return "", fmt.Errorf("server: token signature: %w", err)
	}
	return input + "." + enc.EncodeToString(raw), nil
}
