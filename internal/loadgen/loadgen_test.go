package loadgen_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/refstack-go/refstack/adapters/server"
	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/internal/loadgen"
	"github.com/refstack-go/refstack/submit"
)

// newServer runs a RefStack API over a fresh SQLite store.
func newServer(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	st, err := storage.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	src, err := guideline.NewDirSource(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	g, err := server.NewGuidelines(src, 0)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(st, g)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

func TestUploadAndCheck(t *testing.T) {
	base := newServer(t)
	ctx := context.Background()
	hc := http.DefaultClient
	key, err := submit.GenerateKey(2048)
	if err != nil {
		t.Fatal(err)
	}
	if err := loadgen.Register(ctx, hc, base, key); err != nil {
		t.Fatal(err)
	}
	if err := loadgen.Register(ctx, hc, base, key); err != nil {
		t.Fatalf("registering a known key again: %v", err)
	}

	const tests = 3
	doc := func(c, i int) *submit.Results {
		r := &submit.Results{CPID: fmt.Sprintf("c%d", c), DurationSeconds: 1}
		for j := range tests {
			r.Results = append(r.Results, submit.Result{Name: fmt.Sprintf("tempest.api.c%d.u%d.T.test_%d", c, i, j)})
		}
		return r
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var acked []string
	loadgen.Clients{HTTP: hc, Base: base, Key: key, N: 2, Doc: doc, Pause: time.Millisecond}.Run(runCtx,
		func(id string, took time.Duration) {
			if took <= 0 {
				t.Errorf("upload %s took %v", id, took)
			}
			if acked = append(acked, id); len(acked) >= 4 {
				cancel()
			}
		},
		func(err error) { t.Errorf("upload failed: %v", err) })
	if len(acked) < 4 {
		t.Fatalf("%d uploads acknowledged, want at least 4", len(acked))
	}

	openid, err := server.OpenID(key.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := server.Token(key, openid, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range acked {
		code, n, err := loadgen.StoredTests(ctx, hc, base, tok, id)
		if err != nil || code != http.StatusOK || n != tests {
			t.Errorf("StoredTests(%s) = %d, %d, %v; want 200, %d, nil", id, code, n, err, tests)
		}
	}
	if code, n, err := loadgen.StoredTests(ctx, hc, base, tok, "00000000-0000-4000-8000-000000000000"); err != nil || code != http.StatusNotFound || n != 0 {
		t.Errorf("StoredTests(unknown) = %d, %d, %v; want 404, 0, nil", code, n, err)
	}
}

func TestUploadRejected(t *testing.T) {
	base := newServer(t)
	key, err := submit.GenerateKey(2048)
	if err != nil {
		t.Fatal(err)
	}
	body := (&submit.Results{CPID: "x", Results: []submit.Result{{Name: "tempest.api.T.test_a"}}}).Body()
	other := []byte(string(body) + " ")
	sig, err := key.Sign(other) // a signature of other bytes
	if err != nil {
		t.Fatal(err)
	}
	if id, err := loadgen.UploadSigned(context.Background(), http.DefaultClient, base, body, sig); err == nil {
		t.Fatalf("upload with a wrong signature acknowledged as %s", id)
	}
}
