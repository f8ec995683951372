package tempest

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// StderrTail is how many bytes of Tempest's standard error an Exit keeps.
const StderrTail = 8 << 10

// Exit is how a Tempest process ended. It is also an error, for a command
// that had to succeed.
type Exit struct {
	Code        int    // the exit status, -1 when a signal ended it
	Signal      string // the signal that ended it ("killed", "interrupt"), or ""
	Interrupted bool   // the context was done and Tempest was asked to stop (SIGINT)
	Killed      bool   // it was still running after the grace period and got SIGKILL
	Stderr      string // the end of its standard error, at most StderrTail bytes
}

// Error describes the exit and quotes the last line of standard error.
func (e *Exit) Error() string {
	var b strings.Builder
	if e.Signal != "" {
		fmt.Fprintf(&b, "ended by signal %s", e.Signal)
	} else {
		fmt.Fprintf(&b, "exit status %d", e.Code)
	}
	if last := e.LastLine(); last != "" {
		fmt.Fprintf(&b, ": %s", last)
	}
	return b.String()
}

// LastLine returns the last non-empty line of standard error.
func (e *Exit) LastLine() string {
	lines := strings.Split(strings.TrimSpace(e.Stderr), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// Process is a running Tempest command, started by Runner.Start.
type Process struct {
	cmd         *exec.Cmd
	stdout      io.ReadCloser
	tail        *tailWriter
	exited      chan struct{}
	interrupted atomic.Bool
	killed      atomic.Bool
	waitOnce    sync.Once
	exit        *Exit
	waitErr     error
}

// Start starts "tempest ARGS" in the workspace, in its own process group, with
// its standard output on a pipe (Stdout) and its standard input empty. When
// ctx is done the whole group (Tempest and the stestr workers it started) gets
// SIGINT, as a Ctrl-C on a terminal would send it, and SIGKILL if it is still
// running after the grace period. The caller must read Stdout to its end, then
// call Wait; a caller that stops reading early must cancel ctx, or Tempest
// runs on (Wait discards the rest of its output).
func (r *Runner) Start(ctx context.Context, args ...string) (*Process, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("tempest: %w", context.Cause(ctx))
	}
	cmd := r.command(args...)
	setGroup(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("tempest: %w", err)
	}
	tail := &tailWriter{max: StderrTail}
	var errOut io.Writer = tail
	if r.o.stderr != nil {
		errOut = io.MultiWriter(tail, &keepGoing{w: r.o.stderr})
	}
	cmd.Stderr = errOut
	// Workers that outlive Tempest and keep its standard error open cannot
	// hold Wait up for longer than this.
	cmd.WaitDelay = r.o.grace
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("tempest: %w", err)
	}
	p := &Process{cmd: cmd, stdout: stdout, tail: tail, exited: make(chan struct{})}
	go p.watch(ctx, r.o.grace)
	return p, nil
}

// watch stops the process group when ctx is done: SIGINT, then SIGKILL after
// grace.
func (p *Process) watch(ctx context.Context, grace time.Duration) {
	select {
	case <-p.exited:
		return
	case <-ctx.Done():
	}
	p.interrupted.Store(true)
	signalGroup(p.cmd.Process, false)
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-p.exited:
	case <-t.C:
		p.killed.Store(true)
		signalGroup(p.cmd.Process, true)
	}
}

// Stdout is Tempest's standard output.
func (p *Process) Stdout() io.Reader { return p.stdout }

// Pid returns the process id of Tempest (and of its process group).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Wait discards what is left of standard output, waits for Tempest to end and
// says how it ended. A non-zero exit status is not an error: the error is for
// a process that could not be waited for. Wait may be called more than once.
func (p *Process) Wait() (*Exit, error) {
	p.waitOnce.Do(func() {
		_, _ = io.Copy(io.Discard, p.stdout) // the pipe may already be closed: nothing to do then
		err := p.cmd.Wait()
		close(p.exited)
		ps := p.cmd.ProcessState
		if ps == nil {
			p.waitErr = fmt.Errorf("tempest: %w", err)
			return
		}
		p.exit = &Exit{
			Code:        ps.ExitCode(),
			Signal:      exitSignal(ps),
			Interrupted: p.interrupted.Load(),
			Killed:      p.killed.Load(),
			Stderr:      p.tail.String(),
		}
	})
	return p.exit, p.waitErr
}

// tailWriter keeps the last max bytes written to it.
type tailWriter struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailWriter) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(b)
	if len(b) > t.max {
		b = b[len(b)-t.max:]
	}
	if over := len(t.buf) + len(b) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	t.buf = append(t.buf, b...)
	return n, nil
}

func (t *tailWriter) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// keepGoing writes to w until it fails, then drops what follows: a broken
// terminal must not block Tempest on a full standard error pipe.
type keepGoing struct {
	w      io.Writer
	failed bool
}

func (k *keepGoing) Write(b []byte) (int, error) {
	if !k.failed {
		if _, err := k.w.Write(b); err != nil {
			k.failed = true
		}
	}
	return len(b), nil
}
