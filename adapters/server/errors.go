package server

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is an error answer. RefStack has two body shapes and clients
// show both: an aborted request ({"code", "title": reason phrase, "detail":
// message}) and an exception ({"title": message, "code"}, plus "detail" in
// development mode, which here carries the clear reason when there is one).
type apiError struct {
	status int
	title  string
	detail string
	abort  bool
}

func (e *apiError) Error() string {
	if e.detail == "" {
		return fmt.Sprintf("%d %s", e.status, e.title)
	}
	return fmt.Sprintf("%d %s: %s", e.status, e.title, e.detail)
}

// abortf is RefStack's pecan.abort(status, message): the title is the
// status's reason phrase and the message goes in detail.
func abortf(status int, format string, args ...any) *apiError {
	return &apiError{status: status, title: http.StatusText(status), detail: fmt.Sprintf(format, args...), abort: true}
}

// failure is an exception answer: the message is the title; detail, when
// not empty, says more (where, which value).
func failure(status int, title, detail string) *apiError {
	return &apiError{status: status, title: title, detail: detail}
}

// Titles RefStack gives its validation failures (sic).
const (
	titleMalformed = "Malformed request"
	titleSchema    = "Request doesnt correspond to schema"
)

// errorBody is the JSON of an apiError.
type errorBody struct {
	Code   int     `json:"code"`
	Title  string  `json:"title"`
	Detail *string `json:"detail,omitempty"`
}

func (e *apiError) body() []byte {
	b := errorBody{Code: e.status, Title: e.title}
	if e.abort || e.detail != "" {
		d := e.detail
		b.Detail = &d
	}
	data, err := json.Marshal(b)
	if err != nil { // cannot happen: strings and an int
		return []byte(`{"code": 500, "title": "Internal Server Error"}`)
	}
	return data
}
