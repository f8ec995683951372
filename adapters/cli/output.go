package cli

import "fmt"

// outputError reports a failed write to the command's output (a closed pipe,
// a full disk) as an error that stops the command.
func outputError(err error) error {
	if err == nil {
		return nil
	}
	return notFinished(fmt.Errorf("write output: %w", err))
}
