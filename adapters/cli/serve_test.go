package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/refstack-go/refstack/submit"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServe runs refstack serve in-process on a free port, uploads and
// lists through it, and stops it by cancelling its context (as SIGTERM
// does): it exits 0.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	guidelines := filepath.Join(dir, "guidelines")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"refstack", "serve", "--addr", "127.0.0.1:0", "--db", "sqlite:" + filepath.Join(dir, "r.db"),
			"--guidelines", dir, "--ui-url", "https://refstack.example", "--log-format", "json",
			"--cors-origin", "https://ui.example,http://127.0.0.1:3000"}, nil, nil, &stderr)
	}()
	_ = guidelines
	addrRE := regexp.MustCompile(`"msg":"serving","addr":"([^"]+)"`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == ""; {
		if m := addrRE.FindStringSubmatch(stderr.String()); m != nil {
			base = "http://" + m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no serving line: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	body := (&submit.Results{CPID: "c", DurationSeconds: 1, Results: []submit.Result{{Name: "t.A.test_a"}}}).Body()
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/results/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://127.0.0.1:3000")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "http://127.0.0.1:3000" {
		t.Errorf("--cors-origin: Access-Control-Allow-Origin %q", got)
	}
	var ans map[string]string
	json.NewDecoder(resp.Body).Decode(&ans)
	resp.Body.Close()
	if resp.StatusCode != 201 || !strings.HasPrefix(ans["url"], "https://refstack.example/#/results/") {
		t.Fatalf("upload: %d %v", resp.StatusCode, ans)
	}
	// refstack list reads it back through the API.
	if r := run(t, "", "list", "--url", base); r.code != 0 || !strings.Contains(r.stdout, ans["test_id"]) {
		t.Errorf("list: %d %q %q", r.code, r.stdout, r.stderr)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(stderr.String(), `"msg":"stopped"`) {
			t.Errorf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--log-format", "xml"},
		{"serve", "extra"},
		{"serve", "--admin-key", "/nonexistent/key.pub"},
		{"serve", "--guidelines", "/nonexistent/dir"},
		{"serve", "--cors-origin", "ui.example", "--db", "sqlite::memory:", "--addr", "127.0.0.1:0", "--guidelines", "."},
		{"serve", "--per-page", "0", "--db", "sqlite::memory:", "--addr", "127.0.0.1:0", "--guidelines", "."},
	} {
		if r := run(t, "", args...); r.code != CodeUsage {
			t.Errorf("%q: exit %d, want %d: %s", args, r.code, CodeUsage, r.stderr)
		}
	}
	if r := run(t, "", "serve", "--addr", "256.0.0.1:1", "--guidelines", "."); r.code != CodeNotFinished || !strings.Contains(r.stderr, "--addr") {
		t.Errorf("bad address: %d %s", r.code, r.stderr)
	}
}
