package proc

import (
	"os/exec"
	"runtime"
	"testing"
)

func TestSelfIsAlive(t *testing.T) {
	self := Self()
	if self.Host == "" || self.PID <= 0 || !self.Local() || self.Gone() {
		t.Fatalf("Self() = %+v: local %v, gone %v", self, self.Local(), self.Gone())
	}
}

func TestGoneAfterExit(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no liveness check on this platform")
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no `true` command:", err)
	}
	id := Self()
	id.PID = cmd.Process.Pid
	if !id.Gone() {
		t.Fatalf("exited and reaped process %d is not gone", id.PID)
	}
	id.Host += "-elsewhere"
	if id.Gone() {
		t.Fatal("a process on another host counts as gone")
	}
}
