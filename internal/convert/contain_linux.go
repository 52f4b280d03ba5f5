package convert

import (
	"os"
	"os/exec"
	"sync"
	"syscall"

	"github.com/chancery/chancery/internal/nonet"
)

// contain makes a conversion's processes end with it and with the server. LibreOffice's
// process group is killed at the conversion's end, but a process that leaves the group
// (setsid(2), as code a hostile letter took over can do) would run on, and a server killed
// outright (kill -9, the OOM killer) left them all running, their time limit gone with it.
// So the conversion runs in a PID namespace of its own, whose processes the kernel kills
// when its first one ends, and that first one is killed when the server's thread that
// started it ends (Pdeathsig; ToPDF keeps that thread for the conversion). A PID namespace
// needs a user namespace (nonet's) or root; where one cannot be made (pidNamespaces), the
// conversion runs without, its process group still killed.
func contain(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if pidNamespaces() {
		cmd.SysProcAttr.Cloneflags |= syscall.CLONE_NEWPID
	}
}

// pidNamespaces reports whether this process can start a conversion in a PID namespace of its
// own: found out once, by starting the system's true(1) so, isolated as conversions are.
var pidNamespaces = sync.OnceValue(func() bool {
	path, err := exec.LookPath("true")
	if err != nil {
		return false
	}
	cmd := exec.Command(path)
	cmd.Env = []string{}
	nonet.Isolate(cmd)
	if cmd.SysProcAttr == nil {
		if os.Geteuid() != 0 {
			return false
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Cloneflags |= syscall.CLONE_NEWPID
	return cmd.Run() == nil
})
