package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/refstack-go/refstack/adapters/storage"
)

// maxMetaValue bounds a metadata value: what the stores hold (longer
// bodies get 413 before anything is read into memory).
const maxMetaValue = storage.MaxMetaValue

// getMeta is GET /v1/results/{id}/meta: all keys for the owner and admins,
// the writable ones for others who may see the result, 403 for the rest.
func (s *Server) getMeta(w http.ResponseWriter, r *http.Request) {
	res, rl, err := s.visibleResult(r, r.PathValue("id"), http.StatusForbidden)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, visibleMeta(res.Meta, rl))
}

// getMetaKey is GET /v1/results/{id}/meta/{key}: the value as a JSON
// string, or null when it is not set.
func (s *Server) getMetaKey(w http.ResponseWriter, r *http.Request) {
	res, err := s.loadResult(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	key := r.PathValue("key")
	rl := callerOf(r).roleFor(res)
	if rl == roleNone || rl == roleUser && !writableKey(key) {
		s.fail(w, r, abortf(http.StatusForbidden, "You may not read the metadata key %s of this test run.", key))
		return
	}
	var v *string
	if val, ok := res.Meta[key]; ok {
		v = &val
	}
	s.writeJSON(w, r, http.StatusOK, v)
}

// metaWrite makes the checks of a metadata change, in RefStack's order:
// the key must be writable, the caller the owner or an admin, the result
// not verified (verifiedMsg).
func (s *Server) metaWrite(r *http.Request, verifiedMsg string) (storage.Result, string, error) {
	id, key := r.PathValue("id"), r.PathValue("key")
	if !writableKey(key) {
		return storage.Result{}, key, abortf(http.StatusForbidden, "The metadata key %s can not be changed (writable keys: shared, guideline, target).", limitText(key))
	}
	res, _, err := s.ownedResult(r, id)
	if err != nil {
		return res, key, err
	}
	if res.VerificationStatus == 1 {
		return res, key, abortf(http.StatusForbidden, "%s", verifiedMsg)
	}
	return res, key, nil
}

// setMetaKey is POST /v1/results/{id}/meta/{key}: the raw body text is the
// value (the UI sends true, 2020.06.json, platform).
func (s *Server) setMetaKey(w http.ResponseWriter, r *http.Request) {
	res, key, err := s.metaWrite(r, "Can not add/alter a new metadata key for a verified test run.")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := s.readBody(w, r, maxMetaValue)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !utf8.Valid(body) || strings.ContainsRune(string(body), 0) {
		s.fail(w, r, failure(http.StatusBadRequest, fmt.Sprintf("The value of %s must be UTF-8 text without NUL characters.", key), ""))
		return
	}
	if err := s.store.SetMeta(r.Context(), res.ID, key, string(body)); err != nil {
		s.fail(w, r, s.storeErr(err, res.ID))
		return
	}
	s.writeJSON(w, r, http.StatusCreated, nil)
}

// deleteMetaKey is DELETE /v1/results/{id}/meta/{key}.
func (s *Server) deleteMetaKey(w http.ResponseWriter, r *http.Request) {
	res, key, err := s.metaWrite(r, "Can not delete a metadata key for a verified test run.")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.store.DeleteMeta(r.Context(), res.ID, key)
	if errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, failure(http.StatusNotFound, fmt.Sprintf("Metadata key %s not found for test run %s", key, res.ID), ""))
		return
	}
	if err != nil {
		s.fail(w, r, s.storeErr(err, res.ID))
		return
	}
	noContent(w)
}
