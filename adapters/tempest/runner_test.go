package tempest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/refstack-go/refstack/adapters/tempest/tempesttest"
	"github.com/refstack-go/refstack/subunit"
)

var fakeTests = []string{
	"tempest.api.compute.T.test_one[id-11111111-0000-4000-8000-000000000001,smoke]",
	"tempest.api.compute.T.test_two[id-11111111-0000-4000-8000-000000000002]",
	"tempest.api.image.T.test_three",
	"tempest.scenario.T.test_four[id-11111111-0000-4000-8000-000000000004]",
}

func newRunner(t *testing.T, w *tempesttest.Workspace, opts ...Option) *Runner {
	t.Helper()
	r, err := New(append([]Option{WithExecutable(fakeTempest), WithDir(w.Dir), WithConfig(w.Conf)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestVersionAndList(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		version string
		flag    string
	}{{"33.0.0", FlagIncludeList}, {"25.1.0", FlagWhitelistFile}} {
		w := tempesttest.NewWorkspace(t, fakeTests, "http://127.0.0.1:1/v3", map[string]string{"FAKE_TEMPEST_VERSION": tt.version})
		r := newRunner(t, w)
		v, err := r.Version(ctx)
		if err != nil || v.IncludeListFlag() != tt.flag {
			t.Fatalf("Version = %v, %v; want flag %s", v, err, tt.flag)
		}
		ids, err := r.ListTests(ctx)
		if err != nil || !slices.Equal(ids, fakeTests) {
			t.Fatalf("ListTests = %q, %v", ids, err)
		}
		// The include list made from a match selects exactly the matched tests,
		// with the flag this Tempest takes.
		sel := Match([]string{"tempest.api.compute.T.test_two", "tempest.api.image.T.test_three[id-x]"}, ids)
		inc := filepath.Join(t.TempDir(), "include")
		var buf bytes.Buffer
		if err := sel.WriteIncludeList(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(inc, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		args, _ := Select{IncludeList: inc, IncludeFlag: v.IncludeListFlag()}.ListArgs()
		got, err := r.ListTests(ctx, args...)
		if err != nil || !slices.Equal(got, []string{fakeTests[1], fakeTests[2]}) {
			t.Fatalf("ListTests(%q) = %q, %v", args, got, err)
		}
		for _, c := range w.Calls(t) {
			if c.TempestConfigDir != filepath.Dir(w.Conf) || c.TempestConfig != "tempest.conf" || c.Cwd != w.Dir {
				t.Errorf("call %q: TEMPEST_CONFIG_DIR=%q TEMPEST_CONFIG=%q cwd=%q", c.Args, c.TempestConfigDir, c.TempestConfig, c.Cwd)
			}
		}
	}
}

func TestListFails(t *testing.T) {
	w := tempesttest.NewWorkspace(t, fakeTests, "http://127.0.0.1:1/v3", nil)
	os.Remove(filepath.Join(w.Dir, ".stestr.conf"))
	_, err := newRunner(t, w).ListTests(context.Background())
	var exit *Exit
	if !errors.As(err, &exit) || exit.Code != 2 {
		t.Fatalf("err = %v, want an *Exit with code 2", err)
	}
}

func TestExecutableNotFound(t *testing.T) {
	if _, err := New(WithExecutable(filepath.Join(t.TempDir(), "tempest"))); err == nil {
		t.Error("a missing executable was accepted")
	}
	if _, err := New(WithGracePeriod(0)); err == nil {
		t.Error("a zero grace period was accepted")
	}
}

// runFake runs the fake to its end, following its stream, and returns the
// records, the saved stream and the exit.
func runFake(t *testing.T, ctx context.Context, r *Runner, onRecord func(*subunit.Record)) ([]*subunit.Record, []byte, *Exit) {
	t.Helper()
	args, _ := Select{}.RunArgs(false)
	p, err := r.Start(ctx, args...)
	if err != nil {
		t.Fatal(err)
	}
	var saved bytes.Buffer
	var recs []*subunit.Record
	ferr := Follow(p.Stdout(), &saved, func(rec *subunit.Record) error {
		recs = append(recs, rec)
		if onRecord != nil {
			onRecord(rec)
		}
		return nil
	})
	exit, err := p.Wait()
	if err != nil || ferr != nil {
		t.Fatalf("Wait: %v; Follow: %v", err, ferr)
	}
	return recs, saved.Bytes(), exit
}

func TestRun(t *testing.T) {
	w := tempesttest.NewWorkspace(t, fakeTests, "http://127.0.0.1:1/v3", map[string]string{
		"FAKE_TEMPEST_FAIL": "test_two", "FAKE_TEMPEST_DELAY": "2ms", "FAKE_TEMPEST_GARBAGE": "a warning on stdout",
	})
	var stderr syncBuffer
	recs, saved, exit := runFake(t, context.Background(), newRunner(t, w, WithStderr(&stderr)), nil)
	var got []string
	for _, r := range recs {
		got = append(got, r.TestID+"="+r.Status.String())
	}
	want := []string{fakeTests[0] + "=success", fakeTests[1] + "=fail", fakeTests[2] + "=success"}
	if !slices.Equal(got, want) {
		t.Errorf("records:\n%q\nwant\n%q", got, want)
	}
	if exit.Code != 1 || exit.Interrupted || exit.Killed {
		t.Errorf("exit = %+v, want code 1", exit)
	}
	if !strings.Contains(string(stderr.Bytes()), "running 3 tests") || !strings.Contains(exit.Stderr, "running 3 tests") {
		t.Errorf("stderr %q / tail %q", stderr.Bytes(), exit.Stderr)
	}
	// stestr's own copy (.stestr/0) holds the same packets as the stream saved
	// live, which also kept the text before them.
	repo, err := os.ReadFile(filepath.Join(w.Dir, ".stestr", "0"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(saved, append([]byte("a warning on stdout"), repo...)) {
		t.Errorf("saved stream (%d bytes) is not the text plus .stestr/0 (%d bytes)", len(saved), len(repo))
	}
	if c := w.Calls(t); !slices.Equal(c[len(c)-1].Args, []string{"run", "--subunit", "--serial", "--regex", "tempest.api"}) {
		t.Errorf("command line %q", c[len(c)-1].Args)
	}
}

func TestRunInterrupted(t *testing.T) {
	for _, tt := range []struct {
		name   string
		ignore bool
	}{{"stops on SIGINT", false}, {"killed after the grace period", true}} {
		t.Run(tt.name, func(t *testing.T) {
			hang := filepath.Join(t.TempDir(), "hanging")
			settings := map[string]string{"FAKE_TEMPEST_HANG_AFTER": "1", "FAKE_TEMPEST_HANG_FILE": hang}
			if tt.ignore {
				settings["FAKE_TEMPEST_IGNORE_SIGINT"] = "1"
			}
			w := tempesttest.NewWorkspace(t, fakeTests, "http://127.0.0.1:1/v3", settings)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := newRunner(t, w, WithGracePeriod(200*time.Millisecond))
			// Cancel once the first test is in and the fake waits in the second.
			recs, saved, exit := runFake(t, ctx, r, func(*subunit.Record) {
				go func() {
					for {
						if _, err := os.Stat(hang); err == nil {
							cancel()
							return
						}
						time.Sleep(5 * time.Millisecond)
					}
				}()
			})
			if len(recs) != 2 || !recs[0].Complete || recs[1].Complete || recs[1].TestID != fakeTests[1] {
				t.Fatalf("records %+v: want one complete, one open", recs)
			}
			if len(saved) == 0 {
				t.Error("no stream saved")
			}
			if !exit.Interrupted || exit.Killed != tt.ignore {
				t.Errorf("exit = %+v, want Interrupted, Killed=%v", exit, tt.ignore)
			}
			if tt.ignore && exit.Signal != "killed" {
				t.Errorf("signal %q, want killed", exit.Signal)
			}
			if !tt.ignore && (exit.Code != 1 || !strings.Contains(exit.Stderr, "KeyboardInterrupt")) {
				t.Errorf("exit = %+v, want the fake's own exit 1", exit)
			}
		})
	}
}

func TestStartFails(t *testing.T) {
	w := tempesttest.NewWorkspace(t, fakeTests, "http://127.0.0.1:1/v3", map[string]string{
		"FAKE_TEMPEST_FAIL_START": "oslo_config.cfg.ConfigFileParseError: Failed to parse tempest.conf",
	})
	recs, saved, exit := runFake(t, context.Background(), newRunner(t, w), nil)
	if len(recs) != 0 || len(saved) != 0 || exit.Code != 1 {
		t.Fatalf("records %d, saved %d bytes, exit %+v", len(recs), len(saved), exit)
	}
	if want := "exit status 1: oslo_config.cfg.ConfigFileParseError: Failed to parse tempest.conf"; exit.Error() != want {
		t.Errorf("Error() = %q, want %q", exit.Error(), want)
	}
	if _, err := os.Stat(filepath.Join(w.Dir, ".stestr", "0")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".stestr/0: %v, want none", err)
	}
}
