package server_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/refstack-go/refstack/adapters/cli"
	"github.com/refstack-go/refstack/adapters/server"
	"github.com/refstack-go/refstack/internal/loadgen"
	"github.com/refstack-go/refstack/submit"
)

// childEnv makes the test binary run "refstack serve" with the arguments in
// childArgsEnv (newline-separated) instead of the tests: the crash test
// kills it with SIGKILL as it would kill the real binary.
const (
	childEnv     = "REFSTACK_SERVER_TEST_CHILD"
	childArgsEnv = "REFSTACK_SERVER_TEST_ARGS"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, append([]string{"refstack"}, strings.Split(os.Getenv(childArgsEnv), "\n")...), nil, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// child is a refstack serve process.
type child struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

var servingAddr = regexp.MustCompile(`msg=serving addr=(\S+)`)

// startServe starts refstack serve on a free port over the database db and
// waits until it listens.
func startServe(t *testing.T, db string) *child {
	t.Helper()
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--guidelines", filepath.Join("testdata", "guidelines")}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", childArgsEnv+"="+strings.Join(args, "\n"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := servingAddr.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		c.done <- cmd.Wait()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	select {
	case a := <-addr:
		c.url = "http://" + a
	case err := <-c.done:
		t.Fatalf("refstack serve exited: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("refstack serve did not start")
	}
	return c
}

// TestKillDuringLoad kills the server with SIGKILL while 32 clients upload
// signed 300-test results, restarts it on the same database and checks
// that every upload it acknowledged (201 with a test_id) is there, whole.
// It then stops the server with SIGTERM, which must exit 0.
func TestKillDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills servers")
	}
	db := "sqlite:" + filepath.Join(t.TempDir(), "refstack.db")
	srv := startServe(t, db)
	key, err := submit.LoadSigner(filepath.Join("testdata", "keys", "alice.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := loadgen.Register(context.Background(), http.DefaultClient, srv.url, key); err != nil {
		t.Fatal(err)
	}

	const clients, tests = 32, 300
	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	load := loadgen.Clients{
		HTTP: &http.Client{Timeout: 10 * time.Second}, Base: srv.url, Key: key, N: clients,
		Doc:   func(c, i int) *submit.Results { return loadDoc(fmt.Sprintf("client-%d-%d", c, i), tests) },
		Pause: 10 * time.Millisecond,
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		load.Run(ctx, func(id string, _ time.Duration) {
			mu.Lock()
			acked = append(acked, id)
			mu.Unlock()
		}, nil)
	}()
	// Kill once some uploads are in: others are in flight.
	deadline := time.Now().Add(15 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 64 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-srv.done
	cancel()
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no upload acknowledged before the kill")
	}

	srv = startServe(t, db)
	tok, err := server.Token(key, mustOpenID(t, key.PublicKey()), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range acked {
		code, n, err := loadgen.StoredTests(context.Background(), http.DefaultClient, srv.url, tok, id)
		if err != nil {
			t.Fatal(err)
		}
		if code != http.StatusOK || n != tests {
			t.Errorf("acknowledged upload %s after the restart: %d, %d tests", id, code, n)
		}
	}
	t.Logf("%d acknowledged uploads, all present after SIGKILL and restart", len(acked))

	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-srv.done:
		if err != nil {
			t.Errorf("after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("no exit after SIGTERM")
	}
}

func mustOpenID(t *testing.T, pub string) string {
	t.Helper()
	id, err := server.OpenID(pub)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// loadDoc is a results document of n tests, named after tag.
func loadDoc(tag string, n int) *submit.Results {
	r := &submit.Results{CPID: tag, DurationSeconds: 600}
	for i := range n {
		r.Results = append(r.Results, submit.Result{
			Name: fmt.Sprintf("tempest.api.compute.servers.test_%s.ServersTestJSON.test_case_%d", tag, i),
			UUID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i),
		})
	}
	return r
}
