package cli

import (
	"errors"
	"fmt"
)

// Exit codes returned by Run.
const (
	CodeOK          = 0 // success
	CodeCheckFailed = 1 // the command ran, and what it checked failed (e.g. failed tests)
	CodeUsage       = 2 // bad command line: unknown command or flag, bad value, missing argument
	CodeNotFinished = 3 // the command could not finish: I/O error, strict parse error, interrupt
)

// ExitError carries the exit code of a failed command. Commands return one
// (wrapping the cause) and Run finds it with errors.As. A nil Err means the
// command already reported everything and Run prints nothing.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// usageErrorf reports a bad command line (exit code 2).
func usageErrorf(format string, args ...any) error {
	return &ExitError{Code: CodeUsage, Err: fmt.Errorf(format, args...)}
}

// notFinished reports an error that stopped the command (exit code 3).
func notFinished(err error) error {
	return &ExitError{Code: CodeNotFinished, Err: err}
}

// checkFailed reports a completed command whose check failed (exit code 1),
// with nothing more to print.
func checkFailed() error {
	return &ExitError{Code: CodeCheckFailed}
}

// exitCode maps the error a command returned to an exit code. Errors that are
// not an *ExitError come from urfave/cli's own parsing (a missing required
// flag, say) and are usage errors.
func exitCode(err error) int {
	if err == nil {
		return CodeOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return CodeUsage
}
