//go:build unix

package tempest

import (
	"os"
	"os/exec"
	"syscall"
)

// setGroup makes the command the leader of a new process group, so that a
// signal reaches Tempest and every worker it starts, and a Ctrl-C on the
// terminal reaches refstack alone (which then stops Tempest in order).
func setGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// signalGroup sends SIGINT (or SIGKILL) to the process group of p. A group
// that is already gone is not an error.
func signalGroup(p *os.Process, kill bool) {
	sig := syscall.SIGINT
	if kill {
		sig = syscall.SIGKILL
	}
	if err := syscall.Kill(-p.Pid, sig); err != nil {
		_ = p.Signal(sig) // the group is gone; the leader may not be reaped yet
	}
}

// exitSignal names the signal that ended a process, or "".
func exitSignal(ps *os.ProcessState) string {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return ""
	}
	return ws.Signal().String()
}
