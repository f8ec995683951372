// Command refstack is the refstack-go command line: it reads, filters and
// converts subunit test streams (and, as the project grows, scores them
// against interop guidelines and uploads them to a RefStack server).
//
// Install it with
//
//	go install github.com/refstack-go/refstack/adapters/refstack@latest
//
// and run "refstack --help" for the list of commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/refstack-go/refstack/adapters/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal the command winds down; a second one, say while
	// it waits on a terminal, kills the process as usual.
	go func() { <-ctx.Done(); stop() }()
	code := cli.Run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
