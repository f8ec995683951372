package cli

import (
	"crypto/rsa"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/ssh"

	"github.com/refstack-go/refstack/submit"
)

// parseAuthorized returns the RSA key of an OpenSSH public key line.
func parseAuthorized(t *testing.T, line string) (*rsa.PublicKey, string, []string, []byte, error) {
	t.Helper()
	pub, comment, opts, rest, err := ssh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	return pub.(ssh.CryptoPublicKey).CryptoPublicKey().(*rsa.PublicKey), comment, opts, rest, nil
}

func TestToken(t *testing.T) {
	key := filepath.Join(t.TempDir(), "k")
	if r := run(t, "", "keygen", "--bits", "2048", key); r.code != 0 {
		t.Fatal(r.stderr)
	}
	s, err := submit.LoadSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "token", "-i", key, "--ttl", "10m")
	if r.code != 0 {
		t.Fatalf("token: %d %s", r.code, r.stderr)
	}
	pub, _, _, _, _ := parseAuthorized(t, s.PublicKey())
	tok, err := jwt.Parse(strings.TrimSpace(r.stdout), func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired())
	if err != nil {
		t.Fatalf("parse %q: %v", r.stdout, err)
	}
	claims := tok.Claims.(jwt.MapClaims)
	exp, _ := claims.GetExpirationTime()
	if id, _ := claims["user_openid"].(string); !strings.HasPrefix(id, "key:SHA256:") || time.Until(exp.Time) > 10*time.Minute || time.Until(exp.Time) < 9*time.Minute {
		t.Errorf("claims %v", claims)
	}
	r = run(t, "", "token", "-i", key, "--openid", "key:someone")
	if tok, _, _ := jwt.NewParser().ParseUnverified(strings.TrimSpace(r.stdout), jwt.MapClaims{}); tok == nil || tok.Claims.(jwt.MapClaims)["user_openid"] != "key:someone" {
		t.Errorf("--openid: %q", r.stdout)
	}
	if r := run(t, "", "token"); r.code != CodeUsage {
		t.Errorf("no key: %d", r.code)
	}
	if r := run(t, "", "token", "-i", key, "--ttl", "-1s"); r.code != CodeUsage {
		t.Errorf("negative ttl: %d", r.code)
	}
}
