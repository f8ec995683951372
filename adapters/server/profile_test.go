package server

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestProfileAndKeys(t *testing.T) {
	eachStore(t, func(t *testing.T, dbURL string) {
		e := newEnv(t, dbURL)
		if a := e.do("GET", "/v1/profile", nil); a.status != 401 || a.header.Get("WWW-Authenticate") == "" {
			t.Errorf("anonymous profile: %d %v", a.status, a.header)
		}
		alice := e.register("alice")
		if !strings.HasPrefix(alice.openid, "key:SHA256:") {
			t.Errorf("openid %q", alice.openid)
		}
		a := e.do("GET", "/v1/profile", nil, e.auth(alice)...)
		var p map[string]any
		a.json(t, &p)
		if a.status != 200 || p["openid"] != alice.openid || p["is_admin"] != false {
			t.Errorf("profile: %d %s", a.status, a.body)
		}
		// A second key, added with a token, belongs to alice: uploads
		// signed with it are hers.
		bobKey := signer(t, "bob")
		a = e.do("POST", "/v1/profile/pubkeys", keyBody(t, bobKey, "second key"), e.auth(alice)...)
		var keyID string
		a.json(t, &keyID)
		if a.status != 201 || keyID == "" {
			t.Fatalf("add key: %d %s", a.status, a.body)
		}
		id := e.mustUpload(doc("c", 1).Body(), &user{signer: bobKey})
		if a := e.do("GET", "/v1/results/"+id, nil, e.auth(alice)...); !strings.Contains(string(a.body), `"user_role":"owner"`) {
			t.Errorf("upload signed by alice's second key: %s", a.body)
		}
		// Tokens signed by the second key name alice too.
		if a := e.do("GET", "/v1/profile", nil, e.auth(&user{signer: bobKey, openid: alice.openid})...); a.status != 200 {
			t.Errorf("token of the second key: %d %s", a.status, a.body)
		}
		a = e.do("GET", "/v1/profile/pubkeys", nil, e.auth(alice)...)
		var keys []map[string]string
		a.json(t, &keys)
		if len(keys) != 2 || keys[1]["id"] != keyID || keys[1]["comment"] != "second key" || keys[1]["format"] != "ssh-rsa" ||
			keys[1]["openid"] != alice.openid || "ssh-rsa "+keys[1]["pubkey"] != bobKey.PublicKey() {
			t.Errorf("keys: %s", a.body)
		}
		// The same key again, by anyone: 409.
		for _, hdr := range [][]string{nil, e.auth(alice)} {
			a = e.do("POST", "/v1/profile/pubkeys", keyBody(t, bobKey, ""), hdr...)
			if title, _ := a.err(t); a.status != 409 || title != "Public key already exists." {
				t.Errorf("duplicate key: %d %s", a.status, a.body)
			}
		}
		if a := e.do("DELETE", "/v1/profile/pubkeys/"+keyID, nil); a.status != 401 {
			t.Errorf("anonymous delete: %d", a.status)
		}
		if a := e.do("DELETE", "/v1/profile/pubkeys/"+keyID, nil, e.auth(alice)...); a.status != 204 {
			t.Errorf("delete: %d %s", a.status, a.body)
		}
		if a := e.do("DELETE", "/v1/profile/pubkeys/"+keyID, nil, e.auth(alice)...); a.status != 404 {
			t.Errorf("delete again: %d %s", a.status, a.body)
		}
		// alice's first key deleted, its identity cannot be claimed again
		// without a token.
		keys = nil
		e.do("GET", "/v1/profile/pubkeys", nil, e.auth(alice)...).json(t, &keys)
		e.do("DELETE", "/v1/profile/pubkeys/"+keys[0]["id"], nil, e.auth(alice)...)
		a = e.do("POST", "/v1/profile/pubkeys", keyBody(t, alice.signer, ""))
		if a.status != 409 {
			t.Errorf("re-registering a user's identity: %d %s", a.status, a.body)
		}
	})
}

func TestKeyRegistrationRefusals(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	s := signer(t, "alice")
	sig, _ := s.SelfSignature()
	other, _ := signer(t, "bob").SelfSignature()
	body := func(key, sig string) []byte {
		b, _ := json.Marshal(map[string]string{"raw_key": key, "self_signature": sig})
		return b
	}
	for _, tc := range []struct {
		name   string
		body   []byte
		status int
		title  string
	}{
		{"not json", []byte("{"), 400, "Malformed request"},
		{"extra key", []byte(`{"raw_key": "a", "self_signature": "b", "x": 1}`), 400, titleSchema},
		{"missing", []byte(`{"raw_key": "a"}`), 400, titleSchema},
		{"number", []byte(`{"raw_key": 1, "self_signature": "b"}`), 400, titleSchema},
		{"format", body("ssh-ed25519 AAAA", sig), 400, "Public key has unsupported format"},
		{"hex", body(s.PublicKey(), "zz"), 400, "Malformed signature"},
		{"key", body("ssh-rsa AAAA", sig), 400, "Malformed public key"},
		{"other key's signature", body(s.PublicKey(), other), 400, "Signature verification failed"},
		{"long comment", body(s.PublicKey()+" "+strings.Repeat("c", 300), sig), 400, "The key's comment is 300 bytes long; the limit is 255."},
	} {
		a := e.do("POST", "/v1/profile/pubkeys", tc.body)
		if title, _ := a.err(t); a.status != tc.status || title != tc.title {
			t.Errorf("%s: %d %s", tc.name, a.status, a.body)
		}
	}
	closed := newEnv(t, sqliteStore(t), WithOpenRegistration(false))
	if a := closed.do("POST", "/v1/profile/pubkeys", body(s.PublicKey(), sig)); a.status != 401 {
		t.Errorf("closed registration: %d %s", a.status, a.body)
	}
}

func TestTokens(t *testing.T) {
	adminKey := strings.TrimSpace(signer(t, "admin").AuthorizedKey(""))
	e := newEnv(t, sqliteStore(t), WithAdminKeys(adminKey))
	alice := e.register("alice")
	bob := e.register("bob")
	now := time.Now()
	e.clock.Set(now)
	mint := func(u *user, openid string, exp time.Time) string {
		tok, err := Token(u.signer, openid, exp)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	// A token made by Token is a standard RS256 JWT.
	tok := mint(alice, alice.openid, now.Add(time.Hour))
	parsed, err := jwt.Parse(tok, func(*jwt.Token) (any, error) { return &signerKey(t, "alice").PublicKey, nil }, jwt.WithValidMethods([]string{"RS256"}))
	if err != nil || parsed.Claims.(jwt.MapClaims)["user_openid"] != alice.openid {
		t.Fatalf("jwt.Parse: %v %v", err, parsed)
	}
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"user_openid": alice.openid, "exp": now.Add(time.Hour).Unix()})
	hsTok, _ := hs.SignedString([]byte(alice.signer.PublicKey()))
	noExp := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"user_openid": alice.openid})
	noExpTok, _ := noExp.SignedString(signerKey(t, "alice"))
	noOpenID := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"exp": now.Add(time.Hour).Unix()})
	noOpenIDTok, _ := noOpenID.SignedString(signerKey(t, "alice"))
	for _, tc := range []struct {
		name, header string
		status       int
		detail       string
		admin        bool
	}{
		{"valid", "Bearer " + tok, 200, "", false},
		{"lower-case scheme", "bearer " + tok, 200, "", false},
		{"within leeway", "Bearer " + mint(alice, alice.openid, now.Add(-30*time.Second)), 200, "", false},
		{"expired", "Bearer " + mint(alice, alice.openid, now.Add(-time.Minute)), 401, msgBadToken + ": the token has expired", false},
		{"basic", "Basic YTpi", 401, msgBearer, false},
		{"garbage", "Bearer abc", 401, "", false},
		{"no openid", "Bearer " + noOpenIDTok, 401, msgNoOpenID, false},
		{"no exp", "Bearer " + noExpTok, 401, "", false},
		{"HS256 with the public key", "Bearer " + hsTok, 401, "", false},
		{"bob's key for alice", "Bearer " + mint(bob, alice.openid, now.Add(time.Hour)), 401, msgBadToken + ": no key of \"" + alice.openid + "\" verifies it", false},
		{"unknown user", "Bearer " + mint(alice, "key:nobody", now.Add(time.Hour)), 401, "", false},
		{"admin key for anyone", "Bearer " + mint(&user{signer: signer(t, "admin")}, "key:anyone", now.Add(time.Hour)), 200, "", true},
	} {
		a := e.do("GET", "/v1/profile", nil, "Authorization", tc.header)
		if a.status != tc.status {
			t.Errorf("%s: %d %s", tc.name, a.status, a.body)
			continue
		}
		if a.status == 401 {
			if _, d := a.err(t); tc.detail != "" && d != tc.detail {
				t.Errorf("%s: detail %q, want %q", tc.name, d, tc.detail)
			}
			// A bad token fails even an anonymous endpoint, as in RefStack.
			if a := e.do("GET", "/v1/results", nil, "Authorization", tc.header); a.status != 401 {
				t.Errorf("%s on the list: %d", tc.name, a.status)
			}
			continue
		}
		var p map[string]any
		a.json(t, &p)
		if p["is_admin"] != tc.admin {
			t.Errorf("%s: %s", tc.name, a.body)
		}
	}
}

// signerKey returns the *rsa.PrivateKey of testdata/keys/NAME.pem.
func signerKey(t *testing.T, name string) *rsa.PrivateKey {
	t.Helper()
	k, err := jwt.ParseRSAPrivateKeyFromPEM(readFile(t, "testdata/keys/"+name+".pem"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var _ = rand.Reader
