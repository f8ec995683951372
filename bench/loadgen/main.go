// Command loadgen drives a refstack server with signed uploads from many
// concurrent clients, for bench/load.sh. It prints uploads/s and latency
// percentiles, and appends the id of every acknowledged upload (201 with a
// test_id) to -acked; with -check it verifies instead that every id of that
// file is stored, whole.
//
//	loadgen -url http://127.0.0.1:8000 -key KEY -register
//	loadgen -url URL -key KEY -clients 32 -tests 300 -duration 20s -acked ids.txt
//	loadgen -url URL -key KEY -tests 300 -check ids.txt
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/refstack-go/refstack/adapters/server"
	"github.com/refstack-go/refstack/internal/loadgen"
	"github.com/refstack-go/refstack/submit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8000", "server `URL`")
	keyPath := fs.String("key", "", "RSA private `KEY` to sign with (required)")
	register := fs.Bool("register", false, "register the key and exit")
	clients := fs.Int("clients", 32, "concurrent `N` clients")
	tests := fs.Int("tests", 300, "`N` passed tests per upload")
	duration := fs.Duration("duration", 20*time.Second, "upload for `D`")
	acked := fs.String("acked", "", "append acknowledged ids to `FILE`")
	check := fs.String("check", "", "verify that every id in `FILE` is stored")
	if err := fs.Parse(args); err != nil {
		return err
	}
	key, err := submit.LoadSigner(*keyPath)
	if err != nil {
		return err
	}
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}
	switch {
	case *register:
		return loadgen.Register(ctx, hc, *base, key)
	case *check != "":
		return verify(ctx, hc, *base, key, *check, *tests, out)
	}
	var sink io.Writer = io.Discard
	if *acked != "" {
		f, err := os.OpenFile(*acked, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		sink = f
	}
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	var (
		lat    []time.Duration
		fails  int
		runTag = time.Now().Format("150405.000")
	)
	load := loadgen.Clients{
		HTTP: hc, Base: *base, Key: key, N: *clients,
		Doc: func(c, i int) *submit.Results {
			doc := &submit.Results{CPID: fmt.Sprintf("load-%s-%d", runTag, c), DurationSeconds: 600}
			for j := range *tests {
				doc.Results = append(doc.Results, submit.Result{Name: fmt.Sprintf("tempest.api.load.c%d.u%d.T.test_%d", c, i, j)})
			}
			return doc
		},
		Pause: 50 * time.Millisecond,
	}
	start := time.Now()
	load.Run(ctx, func(id string, took time.Duration) {
		lat = append(lat, took)
		fmt.Fprintln(sink, id) // acknowledged: must survive anything
	}, func(error) { fails++ })
	elapsed := time.Since(start)
	slices.Sort(lat)
	if len(lat) == 0 {
		return fmt.Errorf("no upload acknowledged (%d failures)", fails)
	}
	p := func(q int) float64 { return float64(lat[min(len(lat)-1, len(lat)*q/100)].Microseconds()) / 1000 }
	fmt.Fprintf(out, "clients %d, tests/upload %d: %d uploads acknowledged in %.1f s (%d failed): %.1f uploads/s, p50 %.0f ms, p99 %.0f ms\n",
		*clients, *tests, len(lat), elapsed.Seconds(), fails, float64(len(lat))/elapsed.Seconds(), p(50), p(99))
	return nil
}

// verify checks that every id of the file is stored with its tests.
func verify(ctx context.Context, hc *http.Client, base string, key *submit.Signer, path string, tests int, out io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	openid, err := server.OpenID(key.PublicKey())
	if err != nil {
		return err
	}
	tok, err := server.Token(key, openid, time.Now().Add(time.Hour))
	if err != nil {
		return err
	}
	var n, missing int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		id := strings.TrimSpace(sc.Text())
		if id == "" {
			continue
		}
		n++
		code, n, err := loadgen.StoredTests(ctx, hc, base, tok, id)
		if err != nil {
			return err
		}
		if code != http.StatusOK || n != tests {
			missing++
			fmt.Fprintf(out, "MISSING %s: %d %s, %d tests\n", id, code, http.StatusText(code), n)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d acknowledged uploads checked, %d missing\n", n, missing)
	if missing > 0 {
		return errors.New("acknowledged uploads are missing")
	}
	return nil
}
