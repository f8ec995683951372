package submit

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/refstack-go/refstack/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite golden files and generated fixtures under testdata")

// golden compares got with testdata/name, rewriting the file under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testenv.Golden(t, filepath.Join("testdata", name), got, *update, "go test ./submit -update")
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
