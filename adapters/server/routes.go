package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// routes builds the handler tree: access log and panic recovery around
// everything, the API under /v1 and /api/v1, the UI elsewhere.
func (s *Server) routes() http.Handler {
	api := http.NewServeMux()
	api.HandleFunc("GET /v1/results", s.listResults)
	api.HandleFunc("POST /v1/results", s.upload)
	api.HandleFunc("GET /v1/results/schema", s.resultsSchema)
	api.HandleFunc("GET /v1/results/{id}", s.getResult)
	api.HandleFunc("PUT /v1/results/{id}", s.updateResult)
	api.HandleFunc("DELETE /v1/results/{id}", s.deleteResult)
	api.HandleFunc("GET /v1/results/{id}/meta", s.getMeta)
	api.HandleFunc("GET /v1/results/{id}/meta/{key}", s.getMetaKey)
	api.HandleFunc("POST /v1/results/{id}/meta/{key}", s.setMetaKey)
	api.HandleFunc("PUT /v1/results/{id}/meta/{key}", s.setMetaKey)
	api.HandleFunc("DELETE /v1/results/{id}/meta/{key}", s.deleteMetaKey)
	api.HandleFunc("GET /v1/results/{id}/score", s.scoreResult)
	api.HandleFunc("GET /v1/guidelines", s.listGuidelines)
	api.HandleFunc("GET /v1/guidelines/{file}", s.getGuideline)
	api.HandleFunc("GET /v1/guidelines/{file}/tests", s.guidelineTests)
	api.HandleFunc("GET /v1/profile", s.profile)
	api.HandleFunc("GET /v1/profile/pubkeys", s.listPubKeys)
	api.HandleFunc("POST /v1/profile/pubkeys", s.addPubKey)
	api.HandleFunc("GET /v1/profile/pubkeys/schema", s.pubkeySchema)
	api.HandleFunc("DELETE /v1/profile/pubkeys/{id}", s.deletePubKey)
	api.HandleFunc("/", s.noRoute(api))

	apiH := s.cors(s.authenticate(trimSlash(api)))
	root := http.NewServeMux()
	root.Handle("/v1/", apiH)
	root.Handle("/api/v1/", http.StripPrefix("/api", apiH))
	if s.ui != nil {
		root.Handle("/", s.ui)
	} else {
		root.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			s.fail(w, r, abortf(http.StatusNotFound, "no such page: %s (the API is under /v1)", r.URL.Path))
		})
	}
	return s.accessLog(s.recoverPanic(root))
}

// noRoute answers the API paths no pattern takes: 405 with Allow when
// another method would be served, else 404, both as JSON.
func (s *Server) noRoute(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.fail(w, r, abortf(http.StatusMethodNotAllowed, "%s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, strings.Join(allow, ", ")))
			return
		}
		s.fail(w, r, abortf(http.StatusNotFound, "no such API endpoint: %s", r.URL.Path))
	}
}

// trimSlash drops a trailing slash, which RefStack accepts everywhere
// (refstack-client posts to /v1/results/).
func trimSlash(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
			r2 := r.Clone(r.Context())
			r2.URL.Path = strings.TrimRight(p, "/")
			if r2.URL.RawPath != "" {
				r2.URL.RawPath = strings.TrimRight(r2.URL.RawPath, "/")
			}
			r = r2
		}
		h.ServeHTTP(w, r)
	})
}

// recoverPanic turns a panic of a handler into a logged 500.
func (s *Server) recoverPanic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.LogAttrs(r.Context(), slog.LevelError, "panic", slog.String("path", r.URL.Path), slog.Any("panic", v))
				s.fail(w, r, failure(http.StatusInternalServerError, http.StatusText(http.StatusInternalServerError), ""))
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// statusWriter records what was answered, for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// accessLog logs one line per request.
func (s *Server) accessLog(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)), slog.String("remote", r.RemoteAddr))
	})
}

// callerKey is the context key of the request's *caller.
type callerKey struct{}

// authenticate checks the Authorization header of every API request, as
// RefStack does (a bad token fails even an anonymous endpoint), and puts
// the caller in the request's context.
func (s *Server) authenticate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.callerFrom(r.Context(), r.Header.Get("Authorization"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	})
}

// callerOf returns the authenticated caller of a request (anonymous when
// none).
func callerOf(r *http.Request) *caller {
	if c, ok := r.Context().Value(callerKey{}).(*caller); ok {
		return c
	}
	return &caller{}
}
