package tempest

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/refstack-go/refstack/adapters/tempest/tempesttest"
)

// fakeTempest is the fake Tempest executable TestMain builds.
var fakeTempest string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "faketempest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fakeTempest, err = tempesttest.Build(context.Background(), dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
