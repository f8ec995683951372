// Command score-gate is a CI gate: it scores a subunit stream (v1 or v2) from
// a Tempest run against an interop guideline, prints RefStack's sentence and
// verdict, and exits 1 when the cloud is not compliant, so that the build
// fails.
//
// Usage:
//
//	tempest run --subunit | score-gate -guideline 2020.06.json [-target platform] [-match name|id]
//	score-gate -guideline 2020.06.json run.subunit
//
// Exit status: 0 compliant, 1 not compliant, 2 bad usage or input.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/score"
	"github.com/refstack-go/refstack/submit"
	"github.com/refstack-go/refstack/subunit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program: it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("score-gate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("guideline", "", "guideline `FILE` (required)")
	target := fs.String("target", "platform", "program: platform, compute, object, dns, orchestration")
	match := fs.String("match", "name", "matching: name or id")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *path == "" || fs.NArg() > 1 {
		fmt.Fprintln(stderr, "usage: score-gate -guideline FILE [-target T] [-match name|id] [STREAM|-]")
		return 2
	}
	g, err := guideline.Load(*path)
	if err != nil {
		fmt.Fprintln(stderr, "score-gate:", err)
		return 2
	}
	s, err := score.NewScorer(g, score.Options{Target: *target, Match: score.Match(*match)})
	if err != nil {
		fmt.Fprintln(stderr, "score-gate:", err)
		return 2
	}
	in := stdin
	if name := fs.Arg(0); name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(stderr, "score-gate:", err)
			return 2
		}
		defer f.Close()
		in = f
	}
	if err := feed(ctx, in, s); err != nil {
		fmt.Fprintln(stderr, "score-gate:", err)
		return 2
	}
	r := s.Report()
	fmt.Fprintln(stdout, r.Sentence())
	fmt.Fprintln(stdout, r.ComplianceLine())
	if !r.Compliant {
		return 1
	}
	return 0
}

// feed scores the stream's passed tests as they complete, in bounded memory.
func feed(ctx context.Context, in io.Reader, s *score.Scorer) error {
	rd, err := subunit.NewReader(in)
	if err != nil {
		return err
	}
	tests := 0
	for rec, err := range subunit.Records(rd, subunit.WithAttachmentLimit(0), subunit.WithRecordReuse()) {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		tests++
		if rec.Complete && rec.Status == subunit.StatusSuccess {
			res := submit.ResultFor(rec.TestID) // name without [attributes], uuid from id-
			s.Add(score.Passed{Name: res.Name, UUID: res.UUID})
		}
	}
	if tests == 0 {
		return errors.New("no test in the stream")
	}
	return nil
}
