package storage_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/refstack-go/refstack/adapters/storage"
)

// Open an SQLite database in a directory, store an upload and list it.
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "refstack-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	s, err := storage.Open(ctx, "sqlite:"+filepath.Join(dir, "refstack.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	r, err := s.CreateResult(ctx, storage.NewResult{
		ID:              "8a3b6c2e-5f1d-4e7a-9b0c-1d2e3f4a5b6c",
		CPID:            "2a6b1e2e8f8c4d6f9e0e6e1f3a4b5c6d",
		DurationSeconds: 1200,
		CreatedAt:       time.Date(2024, 5, 17, 12, 30, 15, 0, time.UTC),
		Tests: []storage.Test{
			{Name: "tempest.api.compute.test_versions.TestVersions.test_list_api_versions", UUID: "6c0a0990-43b6-4529-9b3c-e0f9e5e4c9e1"},
			{Name: "tempest.api.identity.v3.test_tokens.TokensV3Test.test_create_token"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	page, total, err := s.ListResults(ctx, storage.ResultFilter{Visibility: storage.Public, Limit: 20})
	if err != nil {
		log.Fatal(err)
	}
	tests, err := s.Tests(ctx, r.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(total, page[0].ID, page[0].CreatedAt.Format("2006-01-02 15:04:05"), len(tests))

	_, err = s.CreateResult(ctx, storage.NewResult{Tests: []storage.Test{{Name: "a"}, {Name: "a"}}})
	fmt.Println(err)
	// Output:
	// 1 8a3b6c2e-5f1d-4e7a-9b0c-1d2e3f4a5b6c 2024-05-17 12:30:15 2
	// storage: results[1].name "a" repeats results[0]: invalid value
}
