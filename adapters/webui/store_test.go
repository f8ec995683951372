package webui

import (
	"context"
	"testing"

	"github.com/refstack-go/refstack/adapters/storage"
)

// openStore opens a new SQLite store in a temporary directory.
func openStore(t testing.TB) storage.Store {
	t.Helper()
	st, err := storage.Open(context.Background(), "sqlite:"+t.TempDir()+"/db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
