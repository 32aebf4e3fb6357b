//go:build unix

package cli

import (
	"os"
	"runtime"
	"syscall"
)

// maxRSS is the peak resident set of a finished child process in bytes
// (ru_maxrss: KiB on Linux, bytes on macOS), or 0 when unknown.
//
// On Linux the child is started sharing this process's memory until it
// execs, and the kernel carries that memory's peak over into the child's:
// the figure is at least this process's own peak (selfMaxRSS), which the
// bench keeps small by generating data in a child too.
func maxRSS(ps *os.ProcessState) int64 {
	if ps == nil {
		return 0
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	return rssBytes(int64(ru.Maxrss))
}

// selfMaxRSS is this process's own peak resident set in bytes.
func selfMaxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return rssBytes(int64(ru.Maxrss))
}

func rssBytes(v int64) int64 {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return v
	}
	return v * 1024
}
