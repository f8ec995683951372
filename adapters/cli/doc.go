// Package cli wires the refstack command line to the library packages. It
// builds the urfave/cli application, one file per command, and maps errors to
// exit codes. It writes only to the writers it is given and never exits the
// process: Run returns the exit code and adapters/refstack passes it to os.Exit.
//
// Exit codes: 0 success; 1 a check failed (the stream holds failed tests);
// 2 usage error (unknown command or flag, missing or extra argument, bad flag
// value); 3 the command could not finish (I/O error, a bad packet under
// --strict, interrupted).
package cli
