// Package proc identifies the running process (host, boot, pid) and tells
// whether a process recorded earlier is certainly gone, so that a lock or a
// work folder left by a killed run can be reclaimed at once instead of after
// an expiry.
//
// A process counts as gone only when it ran on this very machine since its
// last boot (same host name and, on Linux, the same kernel boot id) and no
// process with its pid exists. Anything else, including a process on another
// machine and a pid that has been reused, counts as possibly alive: the
// caller must then wait for an expiry. Processes in another pid namespace
// with the same host name (containers sharing a host name) are
// indistinguishable and must not share a root.
package proc

import (
	"os"
	"strings"
)

// ID identifies a process.
type ID struct {
	Host   string `json:"host"`
	BootID string `json:"boot_id,omitempty"`
	PID    int    `json:"pid"`
}

// bootIDFile holds the kernel's random boot id on Linux.
const bootIDFile = "/proc/sys/kernel/random/boot_id"

// Self returns the identity of the calling process.
func Self() ID {
	host, _ := os.Hostname()
	boot, _ := os.ReadFile(bootIDFile)
	return ID{Host: host, BootID: strings.TrimSpace(string(boot)), PID: os.Getpid()}
}

// Local reports whether id was recorded on this machine since its last boot.
func (id ID) Local() bool {
	self := Self()
	return id.Host != "" && id.Host == self.Host && id.BootID == self.BootID
}

// Gone reports whether the process id is certainly not running: it was on
// this machine, since the last boot, and its pid no longer exists.
func (id ID) Gone() bool {
	return id.PID > 0 && id.Local() && !alive(id.PID)
}
