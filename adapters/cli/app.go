package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// env is what every command may use: the process's standard streams. Commands
// read and write nothing else (no os.Stdin, os.Stdout, os.Stderr).
type env struct {
	prog           string // the program name, for messages
	stdin          io.Reader
	stdout, stderr io.Writer
}

// commands lists the top-level commands. Adding one is a new file with a
// func(*env) *ucli.Command and one line here.
func commands(e *env) []*ucli.Command {
	return []*ucli.Command{
		subunitCommand(e),
		cpidCommand(e),
		resultsCommand(e), uploadCommand(e), uploadSubunitCommand(e), listCommand(e), signCommand(e), keygenCommand(e),
		guidelineCommand(e),
		testCommand(e),
		scoreCommand(e),
		serveCommand(e),
		tokenCommand(e),
	}
}

// Run runs the refstack command line. args[0] is the program name, as in
// os.Args. It reads stdin only when a command is given "-" as its input, writes
// only to stdout and stderr, and returns the exit code (see the package doc).
// A nil stdin reads as empty; nil stdout or stderr discard what they get. Run
// may be called from several goroutines at once.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		args = []string{"refstack"}
	}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	e := &env{prog: filepath.Base(args[0]), stdin: stdin, stdout: stdout, stderr: stderr}
	app := newApp(e)
	err := app.RunContext(ctx, hoistFlags(app.Commands, args))
	code := exitCode(err)
	var ee *ExitError
	if err != nil && (!errors.As(err, &ee) || ee.Err != nil) {
		fmt.Fprintf(stderr, "%s: %v\n", app.Name, err)
		if code == CodeUsage {
			fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", helpPath(app.Name, app.Commands, args[1:]))
		}
	}
	return code
}

// newApp builds the application. It holds no state beyond e, so each Run
// builds its own.
func newApp(e *env) *ucli.App {
	app := &ucli.App{
		Name:            e.prog,
		HelpName:        e.prog,
		Usage:           "RefStack interoperability tooling for OpenStack clouds",
		Description:     "refstack works with the results of Tempest runs: it reads, filters and converts subunit\nstreams, finds a cloud's CPID, and signs and uploads results to a RefStack server.\nInputs are file paths, or - for standard input.",
		Commands:        commands(e),
		Reader:          e.stdin,
		Writer:          e.stdout,
		ErrWriter:       e.stderr,
		HideHelpCommand: true,
		// urfave/cli's own help flag is a package variable it writes to while
		// parsing; each app gets its own instead, so that Run is safe to call
		// from several goroutines.
		HideHelp:     true,
		Flags:        []ucli.Flag{helpFlag()},
		OnUsageError: onUsageError,
		// urfave/cli must never exit the process: Run maps errors to codes.
		ExitErrHandler: func(*ucli.Context, error) {},
		Action: func(c *ucli.Context) error {
			return noCommand(c, "", ucli.ShowAppHelp)
		},
	}
	prepare(app.Commands)
	return app
}

// prepare gives every command its own help flag, makes it report flag parsing
// errors as usage errors instead of printing its help, and makes any error of
// its action that is not an *ExitError one that stopped the command.
func prepare(cmds []*ucli.Command) {
	for _, c := range cmds {
		c.HideHelp, c.HideHelpCommand = true, true
		c.Flags = append(c.Flags, helpFlag())
		c.OnUsageError = onUsageError
		if act := c.Action; act != nil {
			c.Action = func(ctx *ucli.Context) error {
				err := act(ctx)
				var ee *ExitError
				if err != nil && !errors.As(err, &ee) {
					return notFinished(err)
				}
				return err
			}
		}
		prepare(c.Subcommands)
	}
}

func helpFlag() ucli.Flag {
	return &ucli.BoolFlag{Name: "help", Aliases: []string{"h"}, Usage: "show help", DisableDefaultText: true}
}

func onUsageError(c *ucli.Context, err error, _ bool) error {
	if p := cmdPath(c); p != "" {
		err = fmt.Errorf("%s: %w", p, err)
	}
	return &ExitError{Code: CodeUsage, Err: err}
}

// helpPath returns the program name followed by the command words of args
// that name a command, to point the user at the right --help.
func helpPath(name string, cmds []*ucli.Command, args []string) string {
	path := name
	for _, a := range args {
		var next *ucli.Command
		for _, c := range cmds {
			if c.HasName(a) {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		path += " " + next.Name
		cmds = next.Subcommands
	}
	return path
}

// noCommand is the action of a command that needs a subcommand (prefix is
// its own words, "" at the top): "help" alone prints its help; nothing prints
// the help on standard error and is a usage error; anything else is an unknown
// command.
func noCommand(c *ucli.Context, prefix string, show func(*ucli.Context) error) error {
	switch {
	case c.NArg() == 1 && c.Args().First() == "help":
		return show(c)
	case c.Args().Present():
		return usageErrorf("unknown command %q", prefix+c.Args().First())
	}
	c.App.Writer = c.App.ErrWriter
	if err := show(c); err != nil {
		return err
	}
	return &ExitError{Code: CodeUsage}
}

// cmdPath returns the command words of c without the program name ("subunit
// ls"), or "" at the top level.
func cmdPath(c *ucli.Context) string {
	if c.Command == nil {
		return ""
	}
	p, ok := strings.CutPrefix(c.Command.HelpName, c.App.Name+" ")
	if !ok {
		return ""
	}
	return p
}
