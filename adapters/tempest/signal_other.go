//go:build !unix

package tempest

import (
	"os"
	"os/exec"
)

// setGroup does nothing where there are no process groups.
func setGroup(*exec.Cmd) {}

// signalGroup interrupts (or kills) Tempest itself; without process groups its
// workers are not reached.
func signalGroup(p *os.Process, kill bool) {
	if kill {
		_ = p.Kill()
		return
	}
	if err := p.Signal(os.Interrupt); err != nil {
		_ = p.Kill() // Windows cannot send an interrupt
	}
}

func exitSignal(*os.ProcessState) string { return "" }
