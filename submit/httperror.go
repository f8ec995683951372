package submit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// HTTPError is an answer from the server other than the one expected.
type HTTPError struct {
	Method     string
	URL        string // without user info or password
	StatusCode int
	Status     string // "400 Bad Request"
	// Message is what the server said: the title and detail of a RefStack
	// error body ({"title": ..., "detail": ...}), else the start of the body
	// as text. Empty when the body was.
	Message string
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("submit: %s %s: %s", e.Method, e.URL, e.Status)
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Temporary reports whether the request may succeed when tried again (a 5xx
// answer).
func (e *HTTPError) Temporary() bool { return e.StatusCode >= 500 }

// maxErrorBody is how much of an error answer is read; maxMessage how much of
// it an HTTPError shows when it is not a RefStack error body.
const (
	maxErrorBody = 64 << 10
	maxMessage   = 512
)

// newHTTPError builds the error for resp, reading (some of) its body.
func newHTTPError(req *http.Request, resp *http.Response) *HTTPError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	return &HTTPError{
		Method:     req.Method,
		URL:        req.URL.Redacted(),
		StatusCode: resp.StatusCode,
		Status:     resp.Status,
		Message:    serverMessage(body),
	}
}

// serverMessage extracts the message of a RefStack error body, or returns the
// body's start as one line of text.
func serverMessage(body []byte) string {
	var e struct {
		Title  any `json:"title"`
		Detail any `json:"detail"`
	}
	if json.Unmarshal(body, &e) == nil && (e.Title != nil || e.Detail != nil) {
		var parts []string
		for _, v := range []any{e.Title, e.Detail} {
			if s := fmt.Sprint(v); v != nil && s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ": ")
	}
	text := strings.Join(strings.Fields(string(bytes.ToValidUTF8(body, []byte("\uFFFD")))), " ")
	if len(text) > maxMessage {
		cut := maxMessage
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "..."
	}
	return text
}
