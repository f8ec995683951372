package server

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/submit"
)

// uploadSubunit stores the passed tests of a subunit stream (v1, v2 or
// mixed), read as a stream and converted as refstack-client converts it. The
// query gives cpid (required) and duration_seconds (default: the span of the
// stream's timestamps, else 0). A signature, in the same headers as a JSON
// upload's, is over the raw stream bytes. A test that passed more than once
// is stored once.
func (s *Server) uploadSubunit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cpid, ok := q["cpid"]
	if !ok {
		s.fail(w, r, failure(http.StatusBadRequest, "A subunit upload needs the cloud's cpid as a query parameter.", "POST /v1/results?cpid=<cpid>[&duration_seconds=N]"))
		return
	}
	duration := int64(-1)
	if v := q.Get("duration_seconds"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.fail(w, r, failure(http.StatusBadRequest, titleSchema, fmt.Sprintf("duration_seconds: want an integer, not %s", limitText(v))))
			return
		}
		duration = n
	}
	var check *digestCheck
	if signed(r) {
		var err error
		if check, err = newDigestCheck(r.Header.Get(submit.HeaderSignature), r.Header.Get(submit.HeaderPublicKey)); err != nil {
			s.fail(w, r, verifyFailure(err))
			return
		}
	}
	h := sha256.New()
	body := io.TeeReader(http.MaxBytesReader(w, r.Body, s.maxSubunit), h)
	coll, err := submit.CollectStream(body)
	if err == nil {
		_, err = io.Copy(io.Discard, body) // the signature covers every byte
	}
	if err != nil {
		s.fail(w, r, bodyError(err, s.maxSubunit))
		return
	}
	if check != nil {
		if err := check.verify(h.Sum(nil)); err != nil {
			s.fail(w, r, verifyFailure(err))
			return
		}
	}
	if duration < 0 {
		duration = 0
		if span, ok := coll.Span(); ok {
			duration = int64(span.Seconds())
		}
	}
	up := &newUpload{cpid: cpid[len(cpid)-1], duration: duration}
	seen := map[string]bool{}
	for i, res := range coll.Results() {
		if seen[res.Name] {
			continue
		}
		seen[res.Name] = true
		up.tests = append(up.tests, storage.Test{Name: res.Name, UUID: res.UUID})
		up.paths = append(up.paths, fmt.Sprintf("passed test %d", i+1))
	}
	s.store1(w, r, up)
}

// digestCheck verifies a signature over a body read as a stream: the
// headers are checked before the body is read, the signature over its
// SHA-256 after. Failures are those of submit.Verify.
type digestCheck struct {
	sig []byte
	key *rsa.PublicKey // nil for a key that is not RSA: verification fails
	typ string
}

func newDigestCheck(sigHex, pubLine string) (*digestCheck, error) {
	sig, err := hex.DecodeString(sigHex)
	if err != nil {
		return nil, &submit.VerifyError{Err: submit.ErrMalformedSignature, Reason: err.Error()}
	}
	fields := strings.Fields(pubLine)
	if len(fields) < 2 {
		return nil, &submit.VerifyError{Err: submit.ErrMalformedPublicKey, Reason: `want "TYPE BASE64 [COMMENT]"`}
	}
	blob, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return nil, &submit.VerifyError{Err: submit.ErrMalformedPublicKey, Reason: "key data: " + err.Error()}
	}
	pub, err := ssh.ParsePublicKey(blob)
	if err != nil {
		return nil, &submit.VerifyError{Err: submit.ErrMalformedPublicKey, Reason: err.Error()}
	}
	if pub.Type() != fields[0] {
		return nil, &submit.VerifyError{Err: submit.ErrMalformedPublicKey, Reason: fmt.Sprintf("key type %q does not match its data (%s)", fields[0], pub.Type())}
	}
	return &digestCheck{sig: sig, key: rsaKey(pub), typ: pub.Type()}, nil
}

func (c *digestCheck) verify(sum []byte) error {
	if c.key == nil {
		return &submit.VerifyError{Err: submit.ErrSignatureVerification, Reason: c.typ + " key: only RSA signatures are checked"}
	}
	if err := rsa.VerifyPKCS1v15(c.key, crypto.SHA256, sum, c.sig); err != nil {
		return &submit.VerifyError{Err: submit.ErrSignatureVerification, Reason: err.Error()}
	}
	return nil
}
