package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
)

// contentJSON is the content type of every JSON answer, RefStack's.
const contentJSON = "application/json; charset=UTF-8"

// writeJSON writes v as the JSON body of an answer with status.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentJSON)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// noContent answers 204 with no body and no content type, as RefStack.
func noContent(w http.ResponseWriter) {
	w.WriteHeader(http.StatusNoContent)
}

// fail answers an error: an *apiError as it says, anything else as a 500
// that is logged (its text is not shown to the client).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		s.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		ae = failure(http.StatusInternalServerError, http.StatusText(http.StatusInternalServerError), "")
	}
	if ae.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="refstack"`)
	}
	body := ae.body()
	w.Header().Set("Content-Type", contentJSON)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(ae.status)
	_, _ = w.Write(body)
}
