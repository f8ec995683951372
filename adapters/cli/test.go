package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/adapters/tempest"
	"github.com/refstack-go/refstack/cpid"
	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/score"
	"github.com/refstack-go/refstack/submit"
	"github.com/refstack-go/refstack/subunit"
)

// testCommand is refstack-client's "test": run Tempest, write the results
// file beside the run's stream, upload it when asked.
func testCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "test",
		Usage:     "run Tempest against a cloud, save the results file and upload it when asked",
		UsageText: e.prog + " test -c TEMPEST_CONF [--test-list PATH|URL|GUIDELINE [--target T]] [-p] [-r TAG] [-u [-y] [-i KEY]] [-- TEMPEST ARGS]",
		Description: "Runs \"tempest run --subunit\" in the Tempest workspace (--workdir, where .stestr.conf\n" +
			"is; \"tempest init DIR\" makes one) with TEMPEST_CONFIG_DIR and TEMPEST_CONFIG set to the\n" +
			"-c file, as refstack-client does: serially unless -p, the CPID found from Keystone\n" +
			"before the run. Tempest's stream is read as it comes: saved to .stestr/[TAG-]N.subunit,\n" +
			"shown as a progress bar on a terminal (log lines every --progress-interval otherwise),\n" +
			"and turned into refstack-client's results file .stestr/[TAG-]N.json, N being the run's\n" +
			"number in .stestr/next-stream. Ctrl-C stops Tempest (SIGINT, SIGKILL after --kill-after)\n" +
			"and keeps the stream and the results of the tests that finished.\n\n" +
			"Tests: --test-list is a file or http(s) URL of test ids (RefStack's /v1/guidelines/V/tests\n" +
			"answer), or a guideline (a name such as 2020.06, or a JSON file) whose required tests for\n" +
			"--target are run, with the live score against them. The list is matched with what\n" +
			"Tempest has by name and by idempotent id (renamed tests are found) and passed with\n" +
			"--include-list (--whitelist_file before Tempest 26). Without a list, arguments after --\n" +
			"go to tempest run: flags as they are, anything else as --regex; with none, --regex\n" +
			"tempest.api.\n\n" +
			"-u uploads the results to --url (signed with -i KEY) after asking, unless -y; --bundle\n" +
			"OUT writes a signed bundle instead. -v also shows Tempest's standard error as it comes\n" +
			"(otherwise its end is shown when Tempest ran no test). Exit status: 0 all tests passed, 1 some failed,\n" +
			"2 bad command line or configuration, 3 Tempest ran no test, was interrupted, or the\n" +
			"upload failed.\n\n" + guidelineSourceHelp,
		Flags: append(append(append([]ucli.Flag{
			&ucli.StringFlag{Name: "conf-file", Aliases: []string{"c"}, TakesFile: true, Usage: "run with the tempest.conf `TEMPEST_CONF` (required)"},
			&ucli.StringFlag{Name: "workdir", Value: ".", EnvVars: []string{"REFSTACK_TEMPEST_DIR"}, TakesFile: true, Usage: "the Tempest workspace `DIR`: where .stestr.conf and .stestr are"},
			&ucli.StringFlag{Name: "tempest", Value: "tempest", EnvVars: []string{"REFSTACK_TEMPEST"}, TakesFile: true, Usage: "the Tempest executable `PATH`"},
			&ucli.StringFlag{Name: "test-list", Usage: "run the tests of `PATH|URL|GUIDELINE`: a test list file or URL, or a guideline name or file"},
			targetFlag(),
			&ucli.StringFlag{Name: "match", Value: string(score.MatchName), Usage: "live score matching: `HOW` = name (RefStack's: names and aliases) or id (also idempotent ids)"},
			&ucli.BoolFlag{Name: "parallel", Aliases: []string{"p"}, DisableDefaultText: true, Usage: "run tests in parallel (default: serially, as refstack-client)"},
			&ucli.StringFlag{Name: "result-file-tag", Aliases: []string{"r"}, Usage: "name the results file `TAG`-N.json"},
			&ucli.BoolFlag{Name: "upload", Aliases: []string{"u"}, DisableDefaultText: true, Usage: "upload the results after the run"},
			&ucli.DurationFlag{Name: "kill-after", Value: tempest.DefaultGracePeriod, Usage: "on Ctrl-C, give Tempest `DURATION` to stop before killing it"},
			&ucli.DurationFlag{Name: "progress-interval", Value: 30 * time.Second, Usage: "when standard error is not a terminal, log the progress every `DURATION`"},
		}, networkFlags()...), uploadFlags()...), sourceFlags()...),
		Action: func(c *ucli.Context) error { return runTestCommand(c, e) },
	}
}

// guidelineNameRE is what a guideline name looks like (2020.06, dns.next.json).
var guidelineNameRE = regexp.MustCompile(`^([a-z_]+\.)?(\d{4}\.\d{2}|next)(\.json)?$`)

// testFlags are the checked flags of a test run.
type testFlags struct {
	conf, dir, list, tag string
	args                 []string
	parallel, upload     bool
	bundle               string
	match                score.Match
	interval             time.Duration
}

// readTestFlags checks the flags before anything runs: every mistake is
// reported before Keystone is asked or Tempest started.
func readTestFlags(c *ucli.Context, e *env) (testFlags, error) {
	f := testFlags{conf: c.String("conf-file"), dir: c.String("workdir"), list: c.String("test-list"),
		tag: c.String("result-file-tag"), parallel: c.Bool("parallel"), upload: c.Bool("upload"),
		bundle: c.String("bundle"), match: score.Match(c.String("match")), interval: c.Duration("progress-interval")}
	f.args = c.Args().Slice()
	if len(f.args) > 0 && f.args[0] == "--" {
		f.args = f.args[1:]
	}
	if f.conf == "" {
		return f, usageErrorf("test: -c/--conf-file TEMPEST_CONF is required")
	}
	if err := checkReadable(f.conf); err != nil {
		return f, usageErrorf("test: -c: %v", err)
	}
	if err := tempest.CheckWorkspace(f.dir); err != nil {
		return f, usageErrorf("test: --workdir: %v", err)
	}
	switch {
	case f.match != score.MatchName && f.match != score.MatchID:
		return f, usageErrorf("test: --match %q: want name or id", f.match)
	case f.interval <= 0:
		return f, usageErrorf("test: --progress-interval %v: want more than 0", f.interval)
	case c.Duration("kill-after") <= 0:
		return f, usageErrorf("test: --kill-after %v: want more than 0", c.Duration("kill-after"))
	case f.list == "" && c.IsSet("target"):
		return f, usageErrorf("test: --target applies to a guideline: give --test-list GUIDELINE")
	case f.upload && f.bundle != "":
		return f, usageErrorf("test: -u uploads and --bundle writes a bundle instead: give one")
	case f.bundle != "" && c.String("sign") == "":
		return f, usageErrorf("test: --bundle needs -i KEY: a bundle is signed")
	case c.String("sign") != "" && !f.upload && f.bundle == "":
		return f, usageErrorf("test: -i signs an upload: give -u (or --bundle OUT)")
	}
	if strings.ContainsAny(f.tag, `/\`) {
		return f, usageErrorf("test: -r %q: a tag must not hold a path separator", f.tag)
	}
	if f.upload {
		if err := canConfirm(c, e); err != nil {
			return f, err
		}
	}
	if key := c.String("sign"); key != "" {
		if _, err := submit.LoadSigner(key); err != nil {
			return f, usageErrorf("test: -i: %v", err)
		}
	}
	return f, nil
}

// checkReadable checks that path is a regular file that can be read, as
// refstack-client checks the -c file.
func checkReadable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", path)
	}
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	return fh.Close()
}

func runTestCommand(c *ucli.Context, e *env) error {
	start := time.Now() // refstack-client's duration includes preparing the test list
	f, err := readTestFlags(c, e)
	if err != nil {
		return err
	}
	ctx := c.Context
	opts := []tempest.Option{tempest.WithExecutable(c.String("tempest")), tempest.WithDir(f.dir),
		tempest.WithConfig(f.conf), tempest.WithGracePeriod(c.Duration("kill-after"))}
	if c.Bool("verbose") {
		opts = append(opts, tempest.WithStderr(e.stderr))
	}
	runner, err := tempest.New(opts...)
	if err != nil {
		return usageErrorf("test: --tempest: %v", err)
	}
	v, err := runner.Version(ctx)
	if ctx.Err() != nil {
		return notFinished(fmt.Errorf("interrupted: %w", context.Cause(ctx)))
	}
	if err != nil {
		v = tempest.Version{Major: tempest.IncludeListSince}
		fmt.Fprintf(e.stderr, "warning: cannot tell the version of %s (%v): passing %s\n", runner.Executable(), err, v.IncludeListFlag())
	} else {
		fmt.Fprintf(e.stderr, "Tempest %s (%s) in %s\n", v, runner.Executable(), f.dir)
	}

	cloud, err := testCPID(c, e, f.conf)
	if err != nil {
		return err
	}

	sel := tempest.Select{Args: f.args, IncludeFlag: v.IncludeListFlag()}
	expected, g, cleanup, err := selectTests(c, e, runner, f, &sel)
	defer cleanup()
	if err != nil {
		return err
	}
	runArgs, err := sel.RunArgs(f.parallel)
	if err != nil {
		return usageErrorf("test: %v", err)
	}
	live := &liveRun{tally: tempest.NewTally(expected)}
	if g != nil {
		if live.scorer, err = score.NewScorer(g, score.Options{Target: c.String("target"), Match: f.match}); err != nil {
			return usageErrorf("test: --target: %v", err)
		}
	}

	run, err := tempest.NextRun(f.dir, f.tag)
	if err != nil {
		return notFinished(err)
	}
	stream, err := os.Create(run.StreamFile())
	if err != nil {
		return notFinished(err)
	}
	fmt.Fprintf(e.stderr, "Running: tempest %s\n", strings.Join(runArgs, " "))
	exit, ferr := follow(ctx, e, runner, runArgs, stream, live, f.interval)
	if cerr := stream.Close(); ferr == nil && cerr != nil {
		ferr = cerr
	}
	if fi, err := os.Stat(run.StreamFile()); err == nil && fi.Size() == 0 {
		os.Remove(run.StreamFile()) // Tempest wrote nothing: keep no empty file
	}
	duration := int64(time.Since(start) / time.Second)
	if exit == nil {
		return notFinished(ferr)
	}
	return finishTest(c, e, f, run, live, exit, ferr, cloud.CPID, duration)
}

// testCPID finds the cloud's CPID from the tempest.conf before the run, as
// refstack-client does. A tempest.conf without what it needs is a
// configuration error; Keystone not answering is a fallback, not an error.
func testCPID(c *ucli.Context, e *env, conf string) (cpid.Result, error) {
	creds, err := cpid.CredentialsFromTempestConfFile(conf)
	if err != nil {
		return cpid.Result{}, usageErrorf("test: -c: %v", err)
	}
	timeout := cpid.DefaultTimeout
	if c.IsSet("timeout") {
		timeout = c.Duration("timeout")
	}
	opts := []cpid.Option{cpid.WithTimeout(timeout)}
	if c.Bool("insecure") {
		opts = append(opts, cpid.WithInsecure(true))
	}
	res, err := discover(c, creds, opts)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(e.stderr, "CPID: %s (%s)\n", res.CPID, res.Method)
	if res.Fallback != nil {
		fmt.Fprintf(e.stderr, "warning: Keystone gave no CPID (%v): using the md5 of the host name %q\n", res.Fallback, res.Hostname)
	}
	return res, nil
}

// selectTests works out which tests run: it fills sel, and returns how many
// tests the run should have, the guideline when the list is one, and a
// cleanup for the include list file.
func selectTests(c *ucli.Context, e *env, runner *tempest.Runner, f testFlags, sel *tempest.Select) (int, *guideline.Guideline, func(), error) {
	nop := func() {}
	ctx := c.Context
	if f.list == "" {
		args, err := sel.ListArgs()
		if err != nil {
			return 0, nil, nop, usageErrorf("test: %v", err)
		}
		listed, err := runner.ListTests(ctx, args...)
		if err != nil {
			return 0, nil, nop, notFinished(err)
		}
		if len(listed) == 0 {
			return 0, nil, nop, notFinished(fmt.Errorf("no test of this Tempest is selected by: %s", strings.Join(args, " ")))
		}
		fmt.Fprintf(e.stderr, "%d tests selected by: %s\n", len(listed), strings.Join(args, " "))
		return len(listed), nil, nop, nil
	}
	if len(f.args) > 0 && !strings.HasPrefix(f.args[0], "-") {
		return 0, nil, nop, usageErrorf("test: --test-list and the regular expressions %q: give one or the other", f.args)
	}
	ids, g, err := loadTestList(c, f.list)
	if err != nil {
		return 0, nil, nop, err
	}
	installed, err := runner.ListTests(ctx)
	if err != nil {
		return 0, nil, nop, notFinished(err)
	}
	m := tempest.Match(ids, installed)
	fmt.Fprintf(e.stderr, "Test list %s: %d tests, %d found in this Tempest (%d by name, %d renamed found by idempotent id, %d by scenario): %d tests to run\n",
		f.list, m.Listed, m.Listed-len(m.Missing), m.Found[tempest.MatchName], m.Found[tempest.MatchID], m.Found[tempest.MatchScenario], len(m.Tests))
	if s := m.MissingSummary(3); s != "" {
		fmt.Fprintf(e.stderr, "warning: %s\n", s)
	}
	if len(m.Tests) == 0 {
		return 0, nil, nop, notFinished(fmt.Errorf("test list %s: none of its %d tests is in this Tempest: nothing to run", f.list, m.Listed))
	}
	tmp, err := os.CreateTemp("", "refstack-include-*.txt")
	if err != nil {
		return 0, nil, nop, notFinished(err)
	}
	cleanup := func() { os.Remove(tmp.Name()) }
	werr := m.WriteIncludeList(tmp)
	if err := tmp.Close(); werr == nil {
		werr = err
	}
	if werr != nil {
		return 0, nil, cleanup, notFinished(fmt.Errorf("include list %s: %w", tmp.Name(), werr))
	}
	sel.IncludeList = tmp.Name()
	return len(m.Tests), g, cleanup, nil
}

// loadTestList reads --test-list: an http(s) URL or a file holding test ids
// or a guideline's JSON (told apart by content), or a guideline name. For a
// guideline the list is its required tests for --target with their aliases
// and without flagged tests (the query refstack-client's README uses).
func loadTestList(c *ucli.Context, arg string) ([]string, *guideline.Guideline, error) {
	var data []byte
	switch {
	case isURL(arg):
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if c.Bool("insecure") {
			tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} // -k: the user asked
		}
		ids, body, err := tempest.FetchTestList(c.Context, &http.Client{Transport: tr, Timeout: c.Duration("timeout")}, arg)
		switch {
		case looksJSON(body):
			data = body
		case err != nil:
			return nil, nil, notFinished(err)
		default:
			return ids, nil, nil
		}
	case guideline.IsFilePath(arg) || !guidelineNameRE.MatchString(arg):
		fh, err := os.Open(arg)
		if err != nil {
			return nil, nil, usageErrorf("test: --test-list: %v", err)
		}
		defer fh.Close()
		head := make([]byte, 512)
		n, _ := io.ReadFull(fh, head)
		if !looksJSON(head[:n]) {
			ids, err := tempest.ReadTestList(io.MultiReader(bytes.NewReader(head[:n]), fh))
			if err != nil {
				return nil, nil, notFinished(fmt.Errorf("test list %s: %w", arg, err))
			}
			return ids, nil, nil
		}
	}
	var g *guideline.Guideline
	var err error
	if data != nil {
		if g, err = guideline.Parse(data); err != nil {
			return nil, nil, notFinished(fmt.Errorf("%s: %w", arg, err))
		}
	} else if g, err = loadGuideline(c, arg); err != nil {
		return nil, nil, err
	}
	q := guideline.Query{Target: c.String("target"), Types: []guideline.Status{guideline.Required}, Alias: true}
	ids, err := g.TestList(q)
	var te *guideline.TargetError
	if errors.As(err, &te) {
		return nil, nil, usageErrorf("test: --target: %v", err)
	}
	if err != nil {
		return nil, nil, notFinished(err)
	}
	return ids, g, nil
}

// looksJSON tells a guideline (a JSON object) from a test list.
func looksJSON(b []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n\ufeff"), []byte("{"))
}

// liveRun is the state the stream feeds and the progress display reads.
type liveRun struct {
	mu        sync.Mutex
	tally     *tempest.Tally
	scorer    *score.Scorer // nil without a guideline
	collector submit.Collector
	tests     int // test records seen, finished or not
}

func (l *liveRun) add(rec *subunit.Record) error {
	l.tally.Add(rec)
	l.mu.Lock()
	defer l.mu.Unlock()
	if rec.TestID != subunit.ParserErrorTestID {
		l.tests++
	}
	l.collector.Add(rec)
	if l.scorer != nil && rec.Complete && rec.Status == subunit.StatusSuccess {
		r := submit.ResultFor(rec.TestID)
		l.scorer.Add(score.Passed{Name: r.Name, UUID: r.UUID})
	}
	return nil
}

// scoreLine is the live score, "required: 30/377 passed", or "".
func (l *liveRun) scoreLine() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.scorer == nil {
		return ""
	}
	p := l.scorer.Progress()
	return fmt.Sprintf("required: %d/%d passed", p.RequiredPassed, p.RequiredTotal)
}

// follow runs Tempest, reads its stream into live and the stream file, and
// shows the progress until it ends. The exit is nil when Tempest could not be
// started.
func follow(ctx context.Context, e *env, runner *tempest.Runner, args []string, stream io.Writer, live *liveRun, interval time.Duration) (*tempest.Exit, error) {
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	p, err := runner.Start(runCtx, args...)
	if err != nil {
		return nil, err
	}
	started := time.Now()
	done := showProgress(e, live, started, interval)
	ferr := tempest.Follow(p.Stdout(), stream, live.add)
	if ferr != nil {
		stop() // the stream cannot be kept: stop Tempest
	}
	exit, err := p.Wait()
	done()
	if err != nil {
		return nil, err
	}
	return exit, ferr
}

// showProgress draws the progress on standard error until the returned func
// is called, which draws it a last time: a bar redrawn in place on a
// terminal, a log line every interval otherwise.
func showProgress(e *env, live *liveRun, started time.Time, interval time.Duration) func() {
	tty := isTerminal(e.stderr)
	draw := func(final bool) {
		c := live.tally.Counts(time.Since(started))
		if tty {
			end := ""
			if final {
				end = "\n"
			}
			fmt.Fprintf(e.stderr, "\r%s\x1b[K%s", tempest.FormatBar(c, live.scoreLine()), end)
			return
		}
		fmt.Fprintln(e.stderr, tempest.FormatLine(c, live.scoreLine()))
	}
	if tty {
		interval = 200 * time.Millisecond
	}
	quit, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				draw(false)
			case <-quit:
				return
			}
		}
	}()
	return func() {
		close(quit)
		<-finished
		draw(true)
	}
}

// finishTest writes the results file, reports, and uploads when asked.
func finishTest(c *ucli.Context, e *env, f testFlags, run tempest.Run, live *liveRun, exit *tempest.Exit, ferr error, cloud string, duration int64) error {
	counts := live.tally.Counts(time.Duration(duration) * time.Second)
	if ferr != nil {
		fmt.Fprintf(e.stderr, "error: %v\n", ferr)
	}
	if live.tests == 0 {
		// refstack-client: "no results file was made"; nothing to keep.
		if !c.Bool("verbose") && exit.Stderr != "" {
			fmt.Fprintf(e.stderr, "Tempest's standard error ended with:\n%s\n", strings.TrimRight(exit.Stderr, "\n"))
		}
		if f.upload || f.bundle != "" {
			fmt.Fprintln(e.stderr, "error: nothing to upload")
		}
		if exit.Interrupted {
			return notFinished(errors.New("interrupted before any test finished: no results"))
		}
		return notFinished(fmt.Errorf("tempest ran no test (%v): no results file written", exit))
	}
	doc := live.collector.Document(cloud, duration)
	if err := writeFileAtomic(run.ResultsFile(), 0o644, func(w io.Writer) error { _, err := w.Write(doc.File()); return err }); err != nil {
		return notFinished(err)
	}
	out := e.stdout
	fmt.Fprintf(out, "Ran %d tests in %s: %d passed, %d failed, %d skipped\n",
		counts.Done, tempest.FormatDuration(counts.Elapsed), counts.Passed, counts.Failed, counts.Skipped)
	fmt.Fprintf(out, "Results: %s (%d passed tests)\n", run.ResultsFile(), len(doc.Results))
	fmt.Fprintf(out, "Subunit stream: %s\n", run.StreamFile())
	if live.scorer != nil {
		fmt.Fprintln(out, live.scorer.Report().Sentence())
	}
	switch {
	case ferr != nil:
		return notFinished(fmt.Errorf("the stream could not be read to its end: %w", ferr))
	case exit.Interrupted:
		how := "stopped"
		if exit.Killed {
			how = "killed"
		}
		return notFinished(fmt.Errorf("interrupted: Tempest was %s; the results of the %d tests that finished are kept, not uploaded", how, counts.Done))
	}
	if f.upload || f.bundle != "" {
		if err := doc.Validate(); err != nil {
			return notFinished(fmt.Errorf("nothing to upload: %w", err))
		}
		if err := uploadOrBundle(c, e, doc); err != nil {
			return err
		}
	}
	if exit.Code != 0 {
		if exit.Signal != "" {
			return &ExitError{Code: CodeCheckFailed, Err: fmt.Errorf("%d of %d tests failed; tempest %v", counts.Failed, counts.Done, exit)}
		}
		return &ExitError{Code: CodeCheckFailed, Err: fmt.Errorf("%d of %d tests failed (tempest exit status %d)", counts.Failed, counts.Done, exit.Code)}
	}
	return nil
}
