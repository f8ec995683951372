package server

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/submit"
)

// ContentTypeSubunit is the content type of a subunit upload.
const ContentTypeSubunit = "application/vnd.subunit"

// maxDuration is the largest duration_seconds stored (RefStack's INT column).
const maxDuration = 1<<31 - 1

// newUpload is an upload checked against the schema, before its content
// checks.
type newUpload struct {
	cpid     string
	duration int64
	tests    []storage.Test
	paths    []string // JSON pointer of each test's name, for messages
}

// upload is POST /v1/results: a results document (RefStack's upload) or a
// subunit stream (Content-Type application/vnd.subunit).
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == ContentTypeSubunit {
		s.uploadSubunit(w, r)
		return
	}
	body, err := s.readBody(w, r, s.maxBody)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	up, err := parseUpload(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if signed(r) {
		if err := submit.Verify(body, r.Header.Get(submit.HeaderSignature), r.Header.Get(submit.HeaderPublicKey)); err != nil {
			s.fail(w, r, verifyFailure(err))
			return
		}
	}
	s.store1(w, r, up)
}

// signed reports whether an upload carries a signature to check: RefStack
// checks it when either header is there.
func signed(r *http.Request) bool {
	return r.Header.Get(submit.HeaderSignature) != "" || r.Header.Get(submit.HeaderPublicKey) != ""
}

// verifyFailure is the 400 of a failed signature check, with RefStack's
// title.
func verifyFailure(err error) error {
	var ve *submit.VerifyError
	if errors.As(err, &ve) {
		return failure(http.StatusBadRequest, ve.Err.Error(), ve.Reason)
	}
	return failure(http.StatusBadRequest, submit.ErrSignatureVerification.Error(), err.Error())
}

// parseUpload checks a JSON upload as RefStack's schema does (an object with
// exactly cpid, duration_seconds and results), and further: every item is
// an object with a string name and, when present, a string uuid (RefStack
// checks only the first item and fails with 500 on the others).
func parseUpload(body []byte) (*newUpload, error) {
	if !utf8.Valid(body) {
		return nil, failure(http.StatusBadRequest, titleMalformed, fmt.Sprintf("the body is not UTF-8 (byte %d)", invalidUTF8At(body)))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, failure(http.StatusBadRequest, titleMalformed, "the body is not JSON: "+err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, failure(http.StatusBadRequest, titleMalformed, fmt.Sprintf("data after the JSON value at byte %d", dec.InputOffset()))
	}
	schemaErr := func(format string, args ...any) error {
		return failure(http.StatusBadRequest, titleSchema, fmt.Sprintf(format, args...))
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, schemaErr("/: want an object with cpid, duration_seconds and results")
	}
	for k := range obj {
		if k != "cpid" && k != "duration_seconds" && k != "results" {
			return nil, schemaErr("/%s: unknown key (allowed: cpid, duration_seconds, results)", k)
		}
	}
	for _, k := range []string{"cpid", "duration_seconds", "results"} {
		if _, ok := obj[k]; !ok {
			return nil, schemaErr("/%s: missing", k)
		}
	}
	up := &newUpload{}
	if up.cpid, ok = obj["cpid"].(string); !ok {
		return nil, schemaErr("/cpid: want a string")
	}
	num, ok := obj["duration_seconds"].(json.Number)
	if !ok {
		return nil, schemaErr("/duration_seconds: want an integer")
	}
	d, err := num.Int64()
	if err != nil {
		return nil, schemaErr("/duration_seconds: want an integer, not %s", num)
	}
	up.duration = d
	items, ok := obj["results"].([]any)
	if !ok {
		return nil, schemaErr("/results: want an array")
	}
	up.tests = make([]storage.Test, 0, len(items))
	up.paths = make([]string, 0, len(items))
	for i, it := range items {
		item, ok := it.(map[string]any)
		if !ok {
			return nil, schemaErr("/results/%d: want an object with name and uuid", i)
		}
		name, ok := item["name"].(string)
		if !ok {
			if _, has := item["name"]; has {
				return nil, schemaErr("/results/%d/name: want a string", i)
			}
			return nil, schemaErr("/results/%d: no name", i)
		}
		t := storage.Test{Name: name}
		if u, has := item["uuid"]; has {
			if t.UUID, ok = u.(string); !ok {
				return nil, schemaErr("/results/%d/uuid: want a string", i)
			}
		}
		up.tests = append(up.tests, t)
		up.paths = append(up.paths, fmt.Sprintf("/results/%d", i))
	}
	return up, nil
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// check makes the checks RefStack's database made with a 500, as 400s that
// say which value is wrong.
func (up *newUpload) check() error {
	bad := func(format string, args ...any) error {
		msg := fmt.Sprintf(format, args...)
		return failure(http.StatusBadRequest, msg, "")
	}
	if len(up.cpid) > storage.MaxCPID {
		return bad("cpid %s is %d bytes long; the limit is %d.", limitText(up.cpid), len(up.cpid), storage.MaxCPID)
	}
	if strings.ContainsRune(up.cpid, 0) {
		return bad("cpid %s holds a NUL character.", limitText(up.cpid))
	}
	if up.duration < 0 || up.duration > maxDuration {
		return bad("duration_seconds %d is out of range (0 to %d).", up.duration, maxDuration)
	}
	seen := make(map[string]int, len(up.tests))
	for i, t := range up.tests {
		p := up.paths[i]
		switch {
		case t.Name == "":
			return bad("The test name at %s is empty.", p)
		case len(t.Name) > storage.MaxTestName:
			return bad("The test name at %s is %d bytes long; the limit is %d: %s", p, len(t.Name), storage.MaxTestName, limitText(t.Name))
		case strings.ContainsRune(t.Name, 0):
			return bad("The test name at %s holds a NUL character.", p)
		case len(t.UUID) > storage.MaxUUID:
			return bad("The uuid at %s is %d bytes long; the limit is %d: %s", p, len(t.UUID), storage.MaxUUID, limitText(t.UUID))
		case strings.ContainsRune(t.UUID, 0):
			return bad("The uuid at %s holds a NUL character.", p)
		}
		if j, dup := seen[t.Name]; dup {
			return bad("The test name at %s repeats the one at %s: %s", p, up.paths[j], limitText(t.Name))
		}
		seen[t.Name] = i
	}
	return nil
}

// Messages of refused uploads, RefStack's.
const (
	msgEmptyResults = "Uploaded results must contain at least one passing test."
	msgUnknownKey   = "User with specified key not found. Please log into the RefStack server to upload your key."
)

// store1 makes the checks that follow the signature check, finds the
// uploader and stores the upload.
func (s *Server) store1(w http.ResponseWriter, r *http.Request, up *newUpload) {
	if len(up.tests) == 0 {
		s.fail(w, r, failure(http.StatusBadRequest, msgEmptyResults, ""))
		return
	}
	if err := up.check(); err != nil {
		s.fail(w, r, err)
		return
	}
	meta := map[string]string{}
	if pub := r.Header.Get(submit.HeaderPublicKey); pub != "" {
		owner, err := s.keyOwner(r, pub)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		meta[metaUser] = owner
	} else if !s.anonymous {
		s.fail(w, r, abortf(http.StatusUnauthorized, "Anonymous result uploads are disabled. Please create a user account and an api key at %s/#/", s.uiBase(r)))
		return
	}
	res, err := s.store.CreateResult(r.Context(), storage.NewResult{
		CPID: up.cpid, DurationSeconds: up.duration, CreatedAt: s.now().UTC(), Tests: up.tests, Meta: meta,
	})
	if err != nil {
		if errors.Is(err, storage.ErrInvalid) {
			s.fail(w, r, failure(http.StatusBadRequest, err.Error(), ""))
			return
		}
		s.fail(w, r, fmt.Errorf("store upload: %w", err))
		return
	}
	s.writeJSON(w, r, http.StatusCreated, map[string]string{"test_id": res.ID, "url": s.resultURL(r, res.ID)})
}

func (s *Server) uiBase(r *http.Request) string {
	if s.uiURL != "" {
		return s.uiURL
	}
	return "http://" + r.Host
}

// keyOwner returns the openid of the user that registered the key of an
// X-Public-Key header (verified already): 401 when nobody did.
func (s *Server) keyOwner(r *http.Request, pub string) (string, error) {
	fields := strings.Fields(pub)
	if len(fields) < 2 {
		return "", abortf(http.StatusUnauthorized, msgUnknownKey)
	}
	raw, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return "", abortf(http.StatusUnauthorized, msgUnknownKey)
	}
	sum := md5.Sum(raw)
	k, err := s.store.PubKeyByBlob(r.Context(), hex.EncodeToString(sum[:]), fields[1])
	if errors.Is(err, storage.ErrNotFound) {
		return "", abortf(http.StatusUnauthorized, msgUnknownKey)
	}
	if err != nil {
		return "", fmt.Errorf("look up key: %w", err)
	}
	return k.OpenID, nil
}
