package storage_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refstack-go/refstack/adapters/storage"
)

// durableChildEnv makes the test binary act as the uploading process of
// TestSQLiteSurvivesKill.
const durableChildEnv = "REFSTACK_STORAGE_DURABLE_CHILD"

// TestSQLiteSurvivesKill has a child process store uploads and report
// each id once CreateResult returns, then kills it with SIGKILL mid-run:
// every reported upload is in the database, whole, when it is opened
// again.
func TestSQLiteSurvivesKill(t *testing.T) {
	if path := os.Getenv(durableChildEnv); path != "" {
		durableChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "refstack.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSQLiteSurvivesKill$")
	cmd.Env = append(os.Environ(), durableChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if id, ok := strings.CutPrefix(sc.Text(), "stored "); ok {
			if acked = append(acked, id); len(acked) == 20 {
				cmd.Process.Kill() // SIGKILL on Unix
				break
			}
		}
	}
	cmd.Wait()
	if len(acked) < 20 {
		t.Fatalf("the child stored %d uploads before it ended, want 20", len(acked))
	}

	s, err := storage.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatalf("re-open after SIGKILL: %v", err)
	}
	defer s.Close()
	for _, id := range acked {
		tests, err := s.Tests(context.Background(), id)
		if err != nil || len(tests) != 50 {
			t.Errorf("acknowledged upload %s after SIGKILL: %d tests, %v; want 50", id, len(tests), err)
		}
	}
}

// durableChild uploads until it is killed, printing each stored id.
func durableChild(path string) {
	ctx := context.Background()
	s, err := storage.Open(ctx, "sqlite:"+path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	tests := make([]storage.Test, 50)
	for i := range tests {
		tests[i] = storage.Test{Name: fmt.Sprintf("tempest.test_%02d", i)}
	}
	for {
		r, err := s.CreateResult(ctx, storage.NewResult{Tests: tests})
		if err != nil {
			fmt.Println("upload:", err)
			os.Exit(1)
		}
		fmt.Println("stored", r.ID)
	}
}
