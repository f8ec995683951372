package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/refstack-go/refstack/adapters/server"
	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/adapters/storage/storagetest"
	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/internal/loadgen"
	"github.com/refstack-go/refstack/submit"
)

// BenchmarkUpload measures signed uploads of 300-test results from 32
// concurrent clients through the whole HTTP stack, on each database backend
// this machine offers. It reports uploads/s and the 99th percentile latency.
//
//	go test -run '^$' -bench Upload -benchtime 2000x ./adapters/server
func BenchmarkUpload(b *testing.B) {
	for _, backend := range storagetest.Backends() {
		b.Run(backend, func(b *testing.B) { benchmarkUpload(b, storagetest.URL(b, backend)) })
	}
}

func benchmarkUpload(b *testing.B, dbURL string) {
	const clients, tests = 32, 300
	ctx := context.Background()
	st, err := storage.Open(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	src, _ := guideline.NewDirSource(filepath.Join("testdata", "guidelines"))
	g, _ := server.NewGuidelines(src, 0)
	srv, err := server.New(st, g)
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	key, err := submit.LoadSigner(filepath.Join("testdata", "keys", "alice.pem"))
	if err != nil {
		b.Fatal(err)
	}
	if err := loadgen.Register(ctx, http.DefaultClient, ts.URL, key); err != nil {
		b.Fatal(err)
	}
	// Bodies and signatures are made before the clock starts: the server
	// is measured, not the clients' RSA signing.
	type signed struct {
		body []byte
		sig  *submit.Signature
	}
	bodies := make([]signed, b.N)
	for i := range bodies {
		body := loadDoc("bench-"+itoa(i), tests).Body()
		sig, _ := key.Sign(body)
		bodies[i] = signed{body, sig}
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N {
					return
				}
				t0 := time.Now()
				if _, err := loadgen.UploadSigned(ctx, hc, ts.URL, bodies[i].body, bodies[i].sig); err != nil {
					b.Error(err)
					return
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "uploads/s")
	b.ReportMetric(float64(lat[(len(lat)*99)/100].Microseconds())/1000, "p99-ms")
}

func itoa(i int) string {
	return string(appendInt(nil, i))
}

func appendInt(b []byte, i int) []byte {
	if i >= 10 {
		b = appendInt(b, i/10)
	}
	return append(b, byte('0'+i%10))
}
