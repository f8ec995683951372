package server

import (
	_ "embed"
	"net/http"
)

// The JSON Schemas RefStack serves: the upload document (which only checks
// the first item of results, as RefStack's; the server checks every item)
// and the key registration.
var (
	//go:embed schemas/results.json
	resultsSchemaJSON []byte
	//go:embed schemas/pubkey.json
	pubkeySchemaJSON []byte
)

// resultsSchema is GET /v1/results/schema.
func (s *Server) resultsSchema(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", contentJSON)
	_, _ = w.Write(resultsSchemaJSON)
}

// pubkeySchema is GET /v1/profile/pubkeys/schema.
func (s *Server) pubkeySchema(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", contentJSON)
	_, _ = w.Write(pubkeySchemaJSON)
}
