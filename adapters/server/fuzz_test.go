package server

import (
	"errors"
	"net/http"
	"testing"
)

// FuzzParseUpload: any body gives an upload or a 400 with RefStack's
// shape, never a panic; an accepted upload passes or fails its content
// checks with a 400.
func FuzzParseUpload(f *testing.F) {
	for _, s := range []string{
		`{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a", "uuid": "u"}]}`,
		`{"cpid": "c", "duration_seconds": 1, "results": [{"name": "a"}, {"name": "a"}]}`,
		`{"cpid": "c", "duration_seconds": 1.0, "results": []}`,
		`{"cpid": "c", "duration_seconds": -1, "results": [{"name": ""}]}`,
		`{"cpid": 1}`, `[]`, `{`, "\xff", `{"cpid": "c", "duration_seconds": 1, "results": [5]} x`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		up, err := parseUpload(body)
		if err == nil {
			err = up.check()
			if err == nil {
				if len(up.tests) != len(up.paths) {
					t.Fatalf("%d tests, %d paths", len(up.tests), len(up.paths))
				}
				return
			}
		}
		var ae *apiError
		if !errors.As(err, &ae) || ae.status != http.StatusBadRequest || ae.title == "" {
			t.Fatalf("error %v: want a 400 with a title", err)
		}
	})
}

// FuzzCaller: any Authorization header authenticates or fails with a 401,
// never a panic or another status.
func FuzzCaller(f *testing.F) {
	e := newEnv(f, "sqlite::memory:")
	for _, s := range []string{"", "Bearer x", "Basic abc", "Bearer a.b.c", "bearer eyJhbGciOiJub25lIn0.eyJ1c2VyX29wZW5pZCI6ImsifQ."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		_, err := e.srv.callerFrom(t.Context(), header)
		var ae *apiError
		if err != nil && (!errors.As(err, &ae) || ae.status != http.StatusUnauthorized) {
			t.Fatalf("%q: %v", header, err)
		}
	})
}
