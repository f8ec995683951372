package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
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
	sig, _ := key.SelfSignature()
	reg, _ := json.Marshal(map[string]string{"raw_key": key.PublicKey(), "self_signature": sig})
	if resp, err := http.Post(srv.url+"/v1/profile/pubkeys", "application/json", bytes.NewReader(reg)); err != nil || resp.StatusCode != 201 {
		t.Fatalf("register: %v %v", resp, err)
	}

	const clients, tests = 32, 300
	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hc := &http.Client{Timeout: 10 * time.Second}
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				body := loadDoc(fmt.Sprintf("client-%d-%d", c, i), tests).Body()
				id, err := signedUpload(ctx, hc, srv.url, key, body)
				if err != nil {
					time.Sleep(10 * time.Millisecond)
					continue
				}
				mu.Lock()
				acked = append(acked, id)
				mu.Unlock()
			}
		}()
	}
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
		req, _ := http.NewRequest("GET", srv.url+"/v1/results/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			Results []string `json:"results"`
		}
		err = json.NewDecoder(resp.Body).Decode(&d)
		resp.Body.Close()
		if resp.StatusCode != 200 || err != nil || len(d.Results) != tests {
			t.Errorf("acknowledged upload %s after the restart: %d, %d tests, %v", id, resp.StatusCode, len(d.Results), err)
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

// signedUpload posts a signed body and returns the acknowledged id.
func signedUpload(ctx context.Context, hc *http.Client, base string, key *submit.Signer, body []byte) (string, error) {
	sig, err := key.Sign(body)
	if err != nil {
		return "", err
	}
	return signedUploadSig(ctx, hc, base, body, sig)
}

// signedUploadSig posts a body with its signature and returns the
// acknowledged id.
func signedUploadSig(ctx context.Context, hc *http.Client, base string, body []byte, sig *submit.Signature) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/v1/results/", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(submit.HeaderSignature, sig.Hex)
	req.Header.Set(submit.HeaderPublicKey, sig.PublicKey)
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	var ans struct {
		TestID string `json:"test_id"`
	}
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(data, &ans) != nil || ans.TestID == "" {
		return "", fmt.Errorf("upload: %s: %s", resp.Status, data)
	}
	return ans.TestID, nil
}
