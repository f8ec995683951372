package server

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/submit"
)

// Limits of a key registration.
const (
	maxKeyBody    = 64 << 10
	maxKeyComment = 255
)

// needLogin answers 401 to anonymous callers.
func needLogin(c *caller) error {
	if !c.authenticated() {
		return abortf(http.StatusUnauthorized, msgNeedsLogin)
	}
	return nil
}

// profile is GET /v1/profile.
func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if err := needLogin(c); err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.store.User(r.Context(), c.openid)
	if err != nil && !errors.Is(err, storage.ErrNotFound) { // an admin key's token may name anyone
		s.fail(w, r, fmt.Errorf("user %q: %w", c.openid, err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"openid": c.openid, "email": u.Email, "fullname": u.Fullname, "is_admin": c.admin})
}

type pubKeyJSON struct {
	ID      string `json:"id"`
	OpenID  string `json:"openid"`
	Format  string `json:"format"`
	PubKey  string `json:"pubkey"`
	Comment string `json:"comment"`
}

// listPubKeys is GET /v1/profile/pubkeys.
func (s *Server) listPubKeys(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if err := needLogin(c); err != nil {
		s.fail(w, r, err)
		return
	}
	keys, err := s.store.PubKeys(r.Context(), c.openid)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, fmt.Errorf("keys of %q: %w", c.openid, err))
		return
	}
	out := make([]pubKeyJSON, 0, len(keys))
	for _, k := range keys {
		out = append(out, pubKeyJSON{ID: k.ID, OpenID: k.OpenID, Format: k.Format, PubKey: k.PubKey, Comment: k.Comment})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// addPubKey is POST /v1/profile/pubkeys {"raw_key", "self_signature"}:
// with a token it adds the key to the caller; without, it registers a new
// user owning the key (open registration), whose openid is OpenID(raw_key).
func (s *Server) addPubKey(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !c.authenticated() && !s.openReg {
		s.fail(w, r, abortf(http.StatusUnauthorized, "Registration of new users is closed on this server: a registered user (or an admin, for anyone) adds keys with a token."))
		return
	}
	body, err := s.readBody(w, r, maxKeyBody)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req struct {
		RawKey        *string `json:"raw_key"`
		SelfSignature *string `json:"self_signature"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) || !json.Valid(body) {
			s.fail(w, r, failure(http.StatusBadRequest, titleMalformed, "the body is not JSON: "+err.Error()))
			return
		}
		s.fail(w, r, failure(http.StatusBadRequest, titleSchema, "want {\"raw_key\": string, \"self_signature\": string}: "+err.Error()))
		return
	}
	if req.RawKey == nil || req.SelfSignature == nil {
		s.fail(w, r, failure(http.StatusBadRequest, titleSchema, "raw_key and self_signature are both required"))
		return
	}
	raw := strings.TrimSpace(*req.RawKey)
	if err := submit.VerifySelfSignature(raw, strings.TrimSpace(*req.SelfSignature)); err != nil {
		s.fail(w, r, verifyFailure(err))
		return
	}
	fields := strings.Fields(raw)
	blob, _ := base64.StdEncoding.DecodeString(fields[1]) // checked by VerifySelfSignature
	sum := md5.Sum(blob)
	k := storage.PubKey{ID: uuid.NewString(), Format: fields[0], PubKey: fields[1],
		Comment: strings.Join(fields[2:], " "), MD5: hex.EncodeToString(sum[:])}
	if len(k.Comment) > maxKeyComment {
		s.fail(w, r, failure(http.StatusBadRequest, fmt.Sprintf("The key's comment is %d bytes long; the limit is %d.", len(k.Comment), maxKeyComment), ""))
		return
	}
	ctx := r.Context()
	if c.authenticated() {
		k.OpenID = c.openid
		if _, err := s.store.User(ctx, c.openid); errors.Is(err, storage.ErrNotFound) {
			err = s.store.PutUser(ctx, storage.User{OpenID: c.openid}) // an admin registering for someone new
			if err != nil {
				s.fail(w, r, fmt.Errorf("add user: %w", err))
				return
			}
		} else if err != nil {
			s.fail(w, r, fmt.Errorf("user %q: %w", c.openid, err))
			return
		}
	} else {
		if k.OpenID, err = OpenID(raw); err != nil {
			s.fail(w, r, failure(http.StatusBadRequest, submit.ErrMalformedPublicKey.Error(), err.Error()))
			return
		}
		// The key's identity may belong to a user who since deleted this
		// key: only that user may give it back, with a token.
		if _, err := s.store.User(ctx, k.OpenID); err == nil {
			s.fail(w, r, failure(http.StatusConflict, "Public key already exists.", "the user "+k.OpenID+" exists: add the key with a token of one of its keys"))
			return
		} else if !errors.Is(err, storage.ErrNotFound) {
			s.fail(w, r, fmt.Errorf("user %q: %w", k.OpenID, err))
			return
		}
		if err := s.store.PutUser(ctx, storage.User{OpenID: k.OpenID}); err != nil {
			s.fail(w, r, fmt.Errorf("add user: %w", err))
			return
		}
	}
	if err := s.store.AddPubKey(ctx, k); err != nil {
		switch {
		case errors.Is(err, storage.ErrExists):
			s.fail(w, r, failure(http.StatusConflict, "Public key already exists.", ""))
		case errors.Is(err, storage.ErrInvalid):
			s.fail(w, r, failure(http.StatusBadRequest, err.Error(), ""))
		default:
			s.fail(w, r, fmt.Errorf("add key: %w", err))
		}
		return
	}
	s.writeJSON(w, r, http.StatusCreated, k.ID)
}

// deletePubKey is DELETE /v1/profile/pubkeys/{id}.
func (s *Server) deletePubKey(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if err := needLogin(c); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	err := s.store.DeletePubKey(r.Context(), c.openid, id)
	if errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, failure(http.StatusNotFound, fmt.Sprintf("Public key %s not found", id), ""))
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("delete key: %w", err))
		return
	}
	noContent(w)
}
