// Command score-many scores several test runs against several guidelines at
// once, as a dashboard or a server would: each guideline is prepared once
// (score.Prepare) and every run is scored against every card concurrently
// with golang.org/x/sync/errgroup.
//
// Usage:
//
//	score-many -guideline 2019.11.json -guideline 2020.06.json [-target platform] RESULTS.json|STREAM...
//
// Runs are RefStack results documents or subunit streams (v1 or v2). It
// prints one line per run and guideline, in the order given:
//
//	run.subunit  2020.06  97.5%  (195/200)  compliant: NO
//
// Exit status: 0 when every pairing was scored, 2 on bad usage or input.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"text/tabwriter"

	"golang.org/x/sync/errgroup"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/score"
	"github.com/refstack-go/refstack/submit"
	"github.com/refstack-go/refstack/subunit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("score-many", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var guidelines listFlag
	fs.Var(&guidelines, "guideline", "guideline `FILE` (repeat for several)")
	target := fs.String("target", "platform", "program: platform, compute, object, dns, orchestration")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if len(guidelines) == 0 || fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: score-many -guideline FILE [-guideline FILE...] [-target T] RUN...")
		return 2
	}
	reports, err := scoreAll(ctx, guidelines, fs.Args(), *target)
	if err != nil {
		fmt.Fprintln(stderr, "score-many:", err)
		return 2
	}
	tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', 0)
	for i, runPath := range fs.Args() {
		for _, r := range reports[i] {
			verdict := "NO"
			if r.Compliant {
				verdict = "YES"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s%%\t(%d/%d)\tcompliant: %s\n", runPath, r.Guideline, score.FormatPercent(r.RequiredPassPercent), r.RequiredPassed, r.RequiredTotal, verdict)
		}
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintln(stderr, "score-many:", err)
		return 2
	}
	return 0
}

// scoreAll returns reports[run][guideline]. Guidelines are loaded and
// prepared concurrently, then runs are read concurrently and each scored
// against every card; the first error cancels the rest.
func scoreAll(ctx context.Context, guidelines, runs []string, target string) ([][]*score.Report, error) {
	cards := make([]*score.Card, len(guidelines))
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, path := range guidelines {
		g.Go(func() error {
			gl, err := guideline.Load(path)
			if err != nil {
				return err
			}
			if cards[i], err = score.Prepare(gl, score.Options{Target: target}); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	reports := make([][]*score.Report, len(runs))
	// A group's context ends when its Wait returns: the runs get their own.
	g, runCtx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, path := range runs {
		g.Go(func() error {
			passed, err := readRun(runCtx, path)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			// Cards are read-only: many goroutines score against one at once.
			reports[i] = make([]*score.Report, len(cards))
			for j, c := range cards {
				reports[i][j] = c.Score(passed)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return reports, nil
}

// readRun reads the passed tests of a results document or a subunit stream.
func readRun(ctx context.Context, path string) ([]score.Passed, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if b, _ := br.Peek(1); len(b) == 1 && b[0] == '{' {
		data, err := io.ReadAll(br)
		if err != nil {
			return nil, err
		}
		doc, err := submit.ParseResults(data)
		if err != nil {
			return nil, err
		}
		out := make([]score.Passed, len(doc.Results))
		for i, r := range doc.Results {
			out[i] = score.Passed{Name: r.Name, UUID: r.UUID}
		}
		return out, nil
	}
	rd, err := subunit.NewReader(br)
	if err != nil {
		return nil, err
	}
	var out []score.Passed
	tests := 0
	for rec, err := range subunit.Records(rd, subunit.WithAttachmentLimit(0), subunit.WithRecordReuse()) {
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		tests++
		if rec.Complete && rec.Status == subunit.StatusSuccess {
			res := submit.ResultFor(rec.TestID)
			out = append(out, score.Passed{Name: res.Name, UUID: res.UUID})
		}
	}
	if tests == 0 {
		return nil, errors.New("no test found")
	}
	return out, nil
}
