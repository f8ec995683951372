package tempest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// DefaultGracePeriod is how long a Tempest asked to stop (SIGINT) may take
// before it is killed (SIGKILL).
const DefaultGracePeriod = 10 * time.Second

// Runner runs one installed Tempest in one workspace with one tempest.conf.
// It is safe for concurrent use.
type Runner struct {
	o   options
	env []string
}

type options struct {
	exe    string
	dir    string
	conf   string
	env    []string
	stderr io.Writer
	grace  time.Duration
}

// Option configures a Runner.
type Option func(*options) error

// WithExecutable runs path instead of "tempest" from $PATH. A name without a
// path separator is looked up in $PATH.
func WithExecutable(path string) Option {
	return func(o *options) error {
		if path == "" {
			return errors.New("tempest: empty executable")
		}
		o.exe = path
		return nil
	}
}

// WithDir runs Tempest in the workspace dir (default: the working directory).
func WithDir(dir string) Option {
	return func(o *options) error {
		if dir == "" {
			return errors.New("tempest: empty workspace directory")
		}
		o.dir = dir
		return nil
	}
}

// WithConfig sets TEMPEST_CONFIG_DIR and TEMPEST_CONFIG to the directory and
// base name of the tempest.conf at path, as refstack-client does (default:
// neither is set, and Tempest finds its configuration itself).
func WithConfig(path string) Option {
	return func(o *options) error {
		if path == "" {
			return errors.New("tempest: empty config path")
		}
		o.conf = path
		return nil
	}
}

// WithEnv gives the environment Tempest starts from, as "KEY=value" strings
// (default: this process's environment).
func WithEnv(env []string) Option {
	return func(o *options) error {
		o.env = append([]string(nil), env...)
		return nil
	}
}

// WithStderr sends Tempest's standard error to w as it comes, besides the
// tail every Exit keeps (default: nowhere else).
func WithStderr(w io.Writer) Option {
	return func(o *options) error {
		o.stderr = w
		return nil
	}
}

// WithGracePeriod sets how long Tempest may take to stop after SIGINT before
// it is killed (default DefaultGracePeriod). It must be more than 0.
func WithGracePeriod(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return fmt.Errorf("tempest: grace period %v: want more than 0", d)
		}
		o.grace = d
		return nil
	}
}

// New returns a Runner. It looks the executable up at once, so that a missing
// Tempest is reported before anything else is done.
func New(opts ...Option) (*Runner, error) {
	o := options{exe: "tempest", dir: ".", grace: DefaultGracePeriod, env: os.Environ()}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	exe, err := exec.LookPath(o.exe)
	if err != nil {
		return nil, fmt.Errorf("tempest: %w", err)
	}
	if !filepath.IsAbs(exe) {
		// Commands run in the workspace: a relative path must not change meaning.
		if exe, err = filepath.Abs(exe); err != nil {
			return nil, fmt.Errorf("tempest: %w", err)
		}
	}
	o.exe = exe
	env := o.env
	if o.conf != "" {
		abs, err := filepath.Abs(o.conf)
		if err != nil {
			return nil, fmt.Errorf("tempest: config: %w", err)
		}
		env = setEnv(env, "TEMPEST_CONFIG_DIR", filepath.Dir(abs))
		env = setEnv(env, "TEMPEST_CONFIG", filepath.Base(abs))
	}
	return &Runner{o: o, env: env}, nil
}

// setEnv returns env with key set to value, replacing any earlier setting.
func setEnv(env []string, key, value string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return append(out, key+"="+value)
}

// Executable returns the absolute path of the Tempest that runs.
func (r *Runner) Executable() string { return r.o.exe }

// Env returns the environment Tempest runs with.
func (r *Runner) Env() []string { return append([]string(nil), r.env...) }

// command builds a Tempest command in the workspace.
func (r *Runner) command(args ...string) *exec.Cmd {
	cmd := exec.Command(r.o.exe, args...)
	cmd.Dir = r.o.dir
	cmd.Env = r.env
	return cmd
}

// Version runs "tempest --version" and parses its answer.
func (r *Runner) Version(ctx context.Context) (Version, error) {
	out, err := r.output(ctx, "--version")
	if err != nil {
		return Version{}, err
	}
	return ParseVersion(out)
}

// ListTests runs "tempest run --list-tests" with the selection arguments args
// (a regex, an include list, ...) and returns the test ids it prints, in its
// order. Lines holding white space (log lines that found their way to
// standard output) are not test ids and are skipped.
func (r *Runner) ListTests(ctx context.Context, args ...string) ([]string, error) {
	out, err := r.output(ctx, append([]string{"run", "--list-tests"}, args...)...)
	if err != nil {
		return nil, err
	}
	var ids []string
	err = eachLine(bytes.NewReader(out), func(n int, line string) error {
		if line == "" || strings.ContainsAny(line, " \t") {
			return nil
		}
		if len(ids) == MaxTests {
			return &LineError{Line: n, Err: fmt.Errorf("more than %d tests: %w", MaxTests, ErrTooLong)}
		}
		ids = append(ids, line)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("tempest run --list-tests: %w", err)
	}
	return ids, nil
}

// maxOutput bounds what output keeps of a short command's standard output.
const maxOutput = 256 << 20

// output runs a short Tempest command and returns its standard output. When
// it fails, the error holds the end of its standard error.
func (r *Runner) output(ctx context.Context, args ...string) ([]byte, error) {
	p, err := r.Start(ctx, args...)
	if err != nil {
		return nil, err
	}
	out, rerr := io.ReadAll(io.LimitReader(p.Stdout(), maxOutput))
	exit, err := p.Wait()
	name := "tempest " + strings.Join(args, " ")
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", name, err)
	case rerr != nil:
		return nil, fmt.Errorf("%s: %w", name, rerr)
	case exit.Interrupted:
		return nil, fmt.Errorf("%s: interrupted: %w", name, context.Cause(ctx))
	case exit.Code != 0:
		return nil, fmt.Errorf("%s: %w", name, exit)
	}
	return out, nil
}
