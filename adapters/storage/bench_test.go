package storage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/adapters/storage/storagetest"
)

// BenchmarkCreateResult stores 300-test uploads (the size of an interop
// guideline's required list) from parallel goroutines, on each backend.
func BenchmarkCreateResult(b *testing.B) {
	tests := make([]storage.Test, 300)
	for i := range tests {
		tests[i] = storage.Test{
			Name: fmt.Sprintf("tempest.api.compute.servers.test_servers.ServersTestJSON.test_case_%03d[id-%08x-1111-4222-8333-444455556666,smoke]", i, i),
			UUID: fmt.Sprintf("%08x-1111-4222-8333-444455556666", i),
		}
	}
	for _, backend := range storagetest.Backends() {
		b.Run(backend, func(b *testing.B) {
			s, err := storage.Open(context.Background(), storagetest.URL(b, backend))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					_, err := s.CreateResult(context.Background(), storage.NewResult{
						CPID: "2a6b1e2e8f8c4d6f9e0e6e1f3a4b5c6d", DurationSeconds: 1200, Tests: tests,
						Meta: map[string]string{"user": "https://openstackid.org/jane.doe"},
					})
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N*len(tests))/b.Elapsed().Seconds(), "tests/s")
		})
	}
}
