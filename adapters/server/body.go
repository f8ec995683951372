package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// readBody reads a whole request body of at most limit bytes: 413 past it.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, bodyError(err, limit)
	}
	return data, nil
}

// bodyError maps an error reading a body: 413 past the limit, 400 else (the
// client went away or was too slow).
func bodyError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return abortf(http.StatusRequestEntityTooLarge, "the body is larger than this server's limit of %d bytes", limit)
	}
	return abortf(http.StatusBadRequest, "reading the body: %v", err)
}

func bytesTrimSpace(b []byte) []byte { return bytes.TrimSpace(b) }

// limitText shortens a value for an error message.
func limitText(s string) string {
	const n = 60
	if len(s) <= n {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q... (%d bytes)", s[:n], len(s))
}
