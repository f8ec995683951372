package webui_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/refstack-go/refstack/adapters/server"
	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/adapters/webui"
	"github.com/refstack-go/refstack/guideline"
)

func ExampleNew() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "webui-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := storage.Open(ctx, "sqlite:"+filepath.Join(dir, "db"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	src, err := guideline.NewDirSource("testdata/guidelines")
	if err != nil {
		log.Fatal(err)
	}
	// The server's guideline cache serves the pages, as `refstack serve`
	// wires it.
	guides, err := server.NewGuidelines(src, 0)
	if err != nil {
		log.Fatal(err)
	}

	// An anonymous upload that passed one test of 2020.06.
	res, err := store.CreateResult(ctx, storage.NewResult{
		CreatedAt: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC),
		Tests:     []storage.Test{{Name: "tempest.api.object_storage.test_container_services.ContainerTest.test_create_container"}},
		Meta:      map[string]string{"guideline": "2020.06.json", "target": "object"},
	})
	if err != nil {
		log.Fatal(err)
	}

	h, err := webui.New(webui.Config{Store: store, Guidelines: guides, APIPrefix: "/v1"})
	if err != nil {
		log.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/results/"+res.ID, nil))
	fmt.Println(rec.Code)
	fmt.Println(regexp.MustCompile(`id="compliance-badge">([^<]*)<`).FindStringSubmatch(rec.Body.String())[1])
	fmt.Println(regexp.MustCompile(`id="sentence">([^<]*)<`).FindStringSubmatch(rec.Body.String())[1])
	// Output:
	// 200
	// Compliance with 2020.06: YES
	// This cloud passes 100.0% (1/1) of the tests in the 2020.06 required capabilities for the OpenStack Powered Object Storage program. Excluding flagged tests, this cloud passes 100.0% (1/1) of the required tests.
}
