package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/score"
)

// scoreFormats are the renderings of refstack score.
var scoreFormats = []string{"text", "json", "markdown", "junit"}

func scoreCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "score",
		Usage:     "score a test run against a guideline as RefStack's result page does",
		ArgsUsage: "INPUT|-",
		Description: "Scores the tests that passed in INPUT against --guideline and --target exactly as the\n" +
			"result report page of RefStack does: the required, advisory, deprecated and removed\n" +
			"capabilities with their passed, not passed and flagged tests, the required pass\n" +
			"percentage with and without flagged tests, and compliance (every non-flagged required\n" +
			"test passed).\n\n" +
			"INPUT is a RefStack results JSON document, a subunit stream (v1 or v2; a test passed\n" +
			"when its final status is success), - for standard input (either, told apart by its\n" +
			"content), or a result on a RefStack server: https://HOST/api/v1/results/ID or the web\n" +
			"page's https://HOST/#/results/ID. For a server result, --guideline and --target default\n" +
			"to the result's own metadata when it has them.\n\n" +
			"--match name (the default) counts a test as passed when its name or one of its aliases\n" +
			"passed, as RefStack does; --match id also when a passed test carries its idempotent id\n" +
			"under another name (a renamed Tempest test).\n\n" +
			"--format text (default), json (stable, documented in package score), markdown (for CI\n" +
			"job summaries) or junit (a testcase per guideline test: passed, failed, or skipped when\n" +
			"flagged or not required).\n\n" +
			"With - and --live, the stream is scored while it is written (tempest run --subunit |\n" +
			"refstack score --live ... -): one progress line against the required tests is kept on\n" +
			"standard error (rewritten in place on a terminal, a line every --progress-interval\n" +
			"otherwise; --progress chooses), then the report is printed.\n\n" +
			"Exit status: 0 compliant, 1 not compliant, 2 bad usage or input, 3 interrupted or\n" +
			"output failed.\n\n" +
			guidelineSourceHelp,
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "guideline", Aliases: []string{"g"}, Usage: "score against `FILE|NAME`: a guideline file, or a name (2020.06, dns.2020.06) looked up in --source"},
			targetFlag(),
			&ucli.StringFlag{Name: "match", Value: string(score.MatchName), Usage: "how passed tests match guideline tests: `HOW` = name (RefStack's: name or alias) or id (also by idempotent id)"},
			&ucli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "report `FORMAT`: " + strings.Join(scoreFormats, ", ")},
			&ucli.BoolFlag{Name: "live", DisableDefaultText: true, Usage: "with -: score the stream as it is written, with a progress line on standard error"},
			&ucli.StringFlag{Name: "progress", Value: progressAuto, Usage: "progress line of --live: `MODE` = auto, terminal, lines or off"},
			&ucli.DurationFlag{Name: "progress-interval", Value: 10 * time.Second, Usage: "with --progress lines, write at most one line per `DURATION`"},
		}, sourceFlags()...),
		Action: func(c *ucli.Context) error { return runScore(e, c) },
	}
}

// inputError reports bad input (exit code 2, as bad usage).
func inputError(err error) error { return &ExitError{Code: CodeUsage, Err: err} }

func runScore(e *env, c *ucli.Context) error {
	cmd := cmdPath(c)
	if c.NArg() != 1 {
		return usageErrorf("%s: want one input (a results JSON file, a subunit file, a result URL or -), got %d arguments", cmd, c.NArg())
	}
	arg := c.Args().First()
	format := c.String("format")
	if !slices.Contains(scoreFormats, format) {
		return usageErrorf("%s: --format %q: want one of %s", cmd, format, strings.Join(scoreFormats, ", "))
	}
	match, err := score.ParseMatch(c.String("match"))
	if err != nil {
		return usageErrorf("%s: --match %q: want name or id", cmd, c.String("match"))
	}
	live := c.Bool("live")
	if live && arg != "-" {
		return usageErrorf("%s: --live reads standard input: give - as the input", cmd)
	}
	mode := c.String("progress")
	if !slices.Contains([]string{progressAuto, progressTerminal, progressLines, progressOff}, mode) {
		return usageErrorf("%s: --progress %q: want auto, terminal, lines or off", cmd, mode)
	}
	if c.Duration("progress-interval") < 0 {
		return usageErrorf("%s: --progress-interval %v: want 0 or more", cmd, c.Duration("progress-interval"))
	}

	guidelineArg, target := c.String("guideline"), c.String("target")
	var serverNames []string
	if isResultURL(arg) {
		res, err := fetchResult(c.Context, arg)
		if err != nil {
			return inputError(fmt.Errorf("%s: %w", cmd, err))
		}
		if guidelineArg == "" {
			guidelineArg = strings.TrimSuffix(res.Meta["guideline"], ".json")
		}
		if !c.IsSet("target") && res.Meta["target"] != "" {
			target = res.Meta["target"]
		}
		serverNames = res.Results
	}
	if guidelineArg == "" {
		return usageErrorf("%s: missing --guideline: give a guideline file or name (2020.06)", cmd)
	}
	g, err := loadGuideline(c, guidelineArg)
	if err != nil {
		var ee *ExitError
		if errors.As(err, &ee) && ee.Code == CodeNotFinished {
			ee.Code = CodeUsage // a guideline that cannot be had is bad input
		}
		return err
	}
	s, err := score.NewScorer(g, score.Options{Target: target, Match: match})
	if err != nil {
		var te *guideline.TargetError
		if errors.As(err, &te) {
			return usageErrorf("%s: --target %q: the guideline %s has no such program", cmd, target, g.ID)
		}
		return inputError(fmt.Errorf("%s: %s: %w", cmd, guidelineArg, err))
	}

	switch {
	case serverNames != nil:
		for _, n := range serverNames {
			s.Add(score.Passed{Name: n})
		}
	default:
		if err := scoreFile(e, c, arg, s, live, mode); err != nil {
			return err
		}
	}
	r := s.Report()
	if err := writeScore(e.stdout, r, format); err != nil {
		return outputError(err)
	}
	if !r.Compliant {
		return checkFailed()
	}
	return nil
}

// scoreFile reads a results document or a subunit stream from a file or
// standard input into s.
func scoreFile(e *env, c *ucli.Context, arg string, s *score.Scorer, live bool, mode string) error {
	name, r := "stdin", e.stdin
	if arg != "-" {
		f, err := os.Open(arg)
		if err != nil {
			return inputError(err) // *fs.PathError names the path
		}
		defer f.Close()
		name, r = arg, f
	}
	br := bufio.NewReaderSize(r, 64<<10)
	kind, err := sniffScoreInput(br)
	if err != nil {
		return inputError(fmt.Errorf("%s: %w", name, err))
	}
	if kind == inputResultsJSON {
		if err := scoreResultsJSON(name, br, s); err != nil {
			return inputError(err)
		}
		return nil
	}
	var prog *progressLine
	if live {
		prog = newProgressLine(e.stderr, mode, c.Duration("progress-interval"), s)
	}
	var onRecord func()
	if prog != nil {
		onRecord = func() { prog.record(time.Now()) }
	}
	n, err := scoreSubunit(c.Context, name, br, s, onRecord)
	prog.done()
	if err != nil {
		if c.Context.Err() != nil {
			return notFinished(err)
		}
		return inputError(err)
	}
	if n == 0 {
		return inputError(fmt.Errorf("%s: %w", name, errNoTests))
	}
	return nil
}

func writeScore(w io.Writer, r *score.Report, format string) error {
	switch format {
	case "json":
		return r.WriteJSON(w)
	case "markdown":
		return r.WriteMarkdown(w)
	case "junit":
		return r.WriteJUnit(w)
	}
	return r.WriteText(w)
}
