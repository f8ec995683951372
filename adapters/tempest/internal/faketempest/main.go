// Command faketempest stands in for Tempest in the tests of package tempest
// and of the refstack command line. It answers the commands refstack runs:
//
//	tempest --version
//	tempest run --list-tests [SELECTION]
//	tempest run --subunit [--serial|--parallel] [SELECTION]
//
// where SELECTION is --regex R, --include-list F (Tempest 26 and later only,
// like the real one), --whitelist_file F or --exclude-regex R. Like Tempest it
// needs a .stestr.conf in its working directory, allocates the run number from
// .stestr/next-stream when the run starts, writes a real subunit v2 stream to
// standard output (with --subunit) and to .stestr/N when the run ends (not
// when it is killed), and exits 1 when a test failed.
//
// Settings come from the file .faketempest in the working directory (the
// workspace), KEY=VALUE lines, so that tests running at the same time do not
// share them; the environment gives the ones the file does not:
//
//	FAKE_TEMPEST_VERSION       the version it reports (default 33.0.0)
//	FAKE_TEMPEST_TESTS         file of the test ids it has, one per line
//	FAKE_TEMPEST_DELAY         time each test takes (Go duration, default 0)
//	FAKE_TEMPEST_FAIL          regexp: tests that fail
//	FAKE_TEMPEST_SKIP          regexp: tests that are skipped
//	FAKE_TEMPEST_LOG           file to append each command line, working
//	                           directory and TEMPEST_CONFIG* to, as JSON lines
//	FAKE_TEMPEST_FAIL_START    fail at once with this message on stderr: no
//	                           stream, no .stestr/N (Tempest's config errors)
//	FAKE_TEMPEST_HANG_AFTER    after this many tests, create FAKE_TEMPEST_HANG_FILE,
//	                           start the next test and wait for a signal
//	FAKE_TEMPEST_IGNORE_SIGINT ignore SIGINT (only SIGKILL stops it)
//	FAKE_TEMPEST_GARBAGE       write this text to standard output before the stream
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/refstack-go/refstack/subunit"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// settings are the KEY=VALUE lines of .faketempest, read once.
var settings = readSettings()

func readSettings() map[string]string {
	m := map[string]string{}
	data, err := os.ReadFile(".faketempest")
	if err != nil {
		return m
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}

// conf returns a setting from .faketempest, else from the environment.
func conf(key string) string {
	if v, ok := settings[key]; ok {
		return v
	}
	return os.Getenv(key)
}

func run(args []string) int {
	logCall(args)
	if len(args) == 1 && args[0] == "--version" {
		fmt.Printf("tempest %s\n", version())
		return 0
	}
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprintf(os.Stderr, "faketempest: unknown command %q\n", args)
		return 2
	}
	o, err := parseRun(args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "usage: tempest run [-h] ...\ntempest run: error: %v\n", err)
		return 2
	}
	if _, err := os.Stat(".stestr.conf"); err != nil {
		fmt.Println("No .stestr.conf file was found for local execution")
		return 2
	}
	tests, err := selected(o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "faketempest: %v\n", err)
		return 5
	}
	if o.list {
		for _, t := range tests {
			fmt.Println(t)
		}
		return 0
	}
	if msg := conf("FAKE_TEMPEST_FAIL_START"); msg != "" {
		fmt.Fprintln(os.Stderr, "Traceback (most recent call last):")
		fmt.Fprintln(os.Stderr, msg)
		return 1
	}
	return runTests(o, tests)
}

type runOptions struct {
	list, subunit, serial, parallel bool
	regex, exclude, include         string
}

func version() string {
	if v := conf("FAKE_TEMPEST_VERSION"); v != "" {
		return v
	}
	return "33.0.0"
}

func parseRun(args []string) (runOptions, error) {
	var o runOptions
	major, _ := strconv.Atoi(strings.SplitN(version(), ".", 2)[0])
	value := func(i *int) (string, error) {
		if *i+1 >= len(args) {
			return "", fmt.Errorf("argument %s: expected one argument", args[*i])
		}
		*i++
		return args[*i], nil
	}
	for i := 0; i < len(args); i++ {
		var err error
		switch a := args[i]; a {
		case "--list-tests", "-l":
			o.list = true
		case "--subunit":
			o.subunit = true
		case "--serial", "-t":
			o.serial = true
		case "--parallel":
			o.parallel = true
		case "--regex", "-r":
			o.regex, err = value(&i)
		case "--exclude-regex":
			o.exclude, err = value(&i)
		case "--whitelist_file", "--whitelist-file":
			o.include, err = value(&i)
		case "--include-list", "--include_list":
			if major < 26 {
				return o, fmt.Errorf("unrecognized arguments: %s", a)
			}
			o.include, err = value(&i)
		case "--concurrency", "-w":
			_, err = value(&i)
		default:
			return o, fmt.Errorf("unrecognized arguments: %s", a)
		}
		if err != nil {
			return o, err
		}
	}
	if o.serial && o.parallel {
		return o, fmt.Errorf("argument --parallel: not allowed with argument --serial")
	}
	return o, nil
}

// selected returns the tests the options select, as stestr selects them: a
// test is kept when an include-list line or the regex matches it (re.search),
// and no exclude regex does.
func selected(o runOptions) ([]string, error) {
	data, err := os.ReadFile(conf("FAKE_TEMPEST_TESTS"))
	if err != nil {
		return nil, err
	}
	var filters []*regexp.Regexp
	if o.include != "" {
		inc, err := os.ReadFile(o.include)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(inc), "\n") {
			line, _, _ = strings.Cut(strings.TrimSpace(line), "#")
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			re, err := regexp.Compile(line)
			if err != nil {
				return nil, fmt.Errorf("Invalid regex: %s in provided inclusion_list file", line)
			}
			filters = append(filters, re)
		}
	}
	if o.regex != "" {
		re, err := regexp.Compile(o.regex)
		if err != nil {
			return nil, err
		}
		filters = append(filters, re)
	}
	var exclude *regexp.Regexp
	if o.exclude != "" {
		if exclude, err = regexp.Compile(o.exclude); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, id := range strings.Split(string(data), "\n") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		keep := len(filters) == 0 && o.include == ""
		for _, f := range filters {
			keep = keep || f.MatchString(id)
		}
		if keep && (exclude == nil || !exclude.MatchString(id)) {
			out = append(out, id)
		}
	}
	return out, nil
}

func runTests(o runOptions, tests []string) int {
	sigs := make(chan os.Signal, 1)
	if conf("FAKE_TEMPEST_IGNORE_SIGINT") != "" {
		signal.Ignore(syscall.SIGINT)
	} else {
		signal.Notify(sigs, syscall.SIGINT)
	}
	n, err := allocate()
	if err != nil {
		fmt.Fprintf(os.Stderr, "faketempest: %v\n", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "faketempest: running %d tests as run %d\n", len(tests), n)

	var repo bytes.Buffer
	var out io.Writer = &repo
	if o.subunit {
		out = io.MultiWriter(os.Stdout, &repo)
	}
	if g := conf("FAKE_TEMPEST_GARBAGE"); g != "" && o.subunit {
		os.Stdout.WriteString(g)
	}
	w, err := subunit.NewWriter(out)
	if err != nil {
		panic(err)
	}
	delay, _ := time.ParseDuration(conf("FAKE_TEMPEST_DELAY"))
	fail := optRegexp("FAKE_TEMPEST_FAIL")
	skip := optRegexp("FAKE_TEMPEST_SKIP")
	hangAfter := -1
	if s := conf("FAKE_TEMPEST_HANG_AFTER"); s != "" {
		hangAfter, _ = strconv.Atoi(s)
	}
	failed := false
	for i, id := range tests {
		emit(w, id, subunit.StatusInProgress, "", "")
		wait := time.After(delay)
		if i == hangAfter {
			os.WriteFile(conf("FAKE_TEMPEST_HANG_FILE"), nil, 0o644)
			wait = time.After(time.Hour) // until a signal
		}
		select {
		case <-wait:
		case <-sigs:
			// stestr ends the run on KeyboardInterrupt and keeps what it has.
			fmt.Fprintln(os.Stderr, "KeyboardInterrupt")
			saveRun(n, repo.Bytes())
			return 1
		}
		switch {
		case fail != nil && fail.MatchString(id):
			failed = true
			emit(w, id, subunit.StatusFail, "traceback", "Traceback (most recent call last):\nAssertionError: fake failure\n")
		case skip != nil && skip.MatchString(id):
			emit(w, id, subunit.StatusSkip, "reason", "fake skip")
		default:
			emit(w, id, subunit.StatusSuccess, "", "")
		}
	}
	saveRun(n, repo.Bytes())
	if failed {
		return 1
	}
	return 0
}

func optRegexp(env string) *regexp.Regexp {
	if s := conf(env); s != "" {
		return regexp.MustCompile(s)
	}
	return nil
}

// emit writes one event of test id, with an attachment first when name is set.
func emit(w *subunit.Writer, id string, st subunit.Status, name, content string) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	base := subunit.Event{Flags: subunit.FlagTestID | subunit.FlagTimestamp | subunit.FlagTags,
		TestID: []byte(id), Timestamp: now, Tags: [][]byte{[]byte("worker-0")}}
	if name != "" {
		ev := base
		ev.Flags |= subunit.FlagFile | subunit.FlagEOF
		ev.FileName, ev.FileContent, ev.MIME = []byte(name), []byte(content), []byte("text/plain;charset=utf8")
		must(w.Write(&ev))
	}
	ev := base
	ev.Status = st
	must(w.Write(&ev))
	must(w.Flush())
}

func must(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "faketempest: %v\n", err)
		os.Exit(3)
	}
}

// allocate takes the run number from .stestr/next-stream, as stestr does when
// a run starts, making the repository when there is none.
func allocate() (int, error) {
	if err := os.MkdirAll(".stestr", 0o755); err != nil {
		return 0, err
	}
	n := 0
	if data, err := os.ReadFile(".stestr/next-stream"); err == nil {
		if n, err = strconv.Atoi(strings.TrimSpace(string(data))); err != nil {
			return 0, fmt.Errorf("Corrupt next-stream file: %q", data)
		}
	}
	return n, os.WriteFile(".stestr/next-stream", []byte(strconv.Itoa(n+1)+"\n"), 0o644)
}

// saveRun writes the run's stream to .stestr/N through a temporary file, as
// stestr's repository does.
func saveRun(n int, stream []byte) {
	path := filepath.Join(".stestr", strconv.Itoa(n))
	if err := os.WriteFile(path+".tmp", stream, 0o644); err == nil {
		os.Rename(path+".tmp", path)
	}
}

// logCall appends the call to $FAKE_TEMPEST_LOG.
func logCall(args []string) {
	path := conf("FAKE_TEMPEST_LOG")
	if path == "" {
		return
	}
	wd, _ := os.Getwd()
	line, _ := json.Marshal(map[string]any{
		"args": args, "cwd": wd,
		"TEMPEST_CONFIG_DIR": os.Getenv("TEMPEST_CONFIG_DIR"),
		"TEMPEST_CONFIG":     os.Getenv("TEMPEST_CONFIG"),
	})
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	bw.Write(append(line, '\n'))
	bw.Flush()
}
