package server

import (
	"fmt"
	"net/http"
	"net/url"
)

// CORS, as RefStack's CORSHook: only a request whose Origin equals one of
// the configured origins exactly gets the Access-Control headers, so a
// web UI served from another host can call the API with a token. Unlike
// RefStack, DELETE is among the allowed methods (the API has DELETE
// endpoints) and a preflight OPTIONS request is answered (RefStack had no
// handler for it, so browsers refused every non-simple request).
const (
	corsMethods = "GET, OPTIONS, PUT, POST, DELETE"
	corsHeaders = "origin, authorization, accept, content-type, x-signature, x-public-key"
)

// WithCORSOrigins names the origins ("https://ui.example.org", scheme,
// host and port as a browser sends them) allowed to call the API from a
// page of theirs (RefStack's allowed_cors_origins; default none).
func WithCORSOrigins(origins ...string) Option {
	return func(o *options) error {
		for _, origin := range origins {
			u, err := url.Parse(origin)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
				u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
				return fmt.Errorf("server: CORS origin %q: want scheme://host[:port], nothing after it", origin)
			}
			o.corsOrigins = append(o.corsOrigins, origin)
		}
		return nil
	}
}

// cors adds the CORS headers for an allowed Origin and answers its
// preflight requests; other requests pass through untouched.
func (s *Server) cors(h http.Handler) http.Handler {
	if len(s.corsOrigins) == 0 {
		return h
	}
	allowed := make(map[string]bool, len(s.corsOrigins))
	for _, o := range s.corsOrigins {
		allowed[o] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		w.Header().Add("Vary", "Origin")
		if !allowed[origin] {
			h.ServeHTTP(w, r)
			return
		}
		hd := w.Header()
		hd.Set("Access-Control-Allow-Origin", origin)
		hd.Set("Access-Control-Allow-Methods", corsMethods)
		hd.Set("Access-Control-Allow-Headers", corsHeaders)
		hd.Set("Access-Control-Allow-Credentials", "true")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			hd.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.ServeHTTP(w, r)
	})
}
