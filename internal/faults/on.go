//go:build faultinject

package faults

import (
	"fmt"
	"os"
	"time"
)

const enabled = true

// hit stops the process at point when JOURNEY_FAULT names it: it records the
// point in the marker file and sleeps until the test kills it. A process
// that is never killed exits with status 98 after an hour rather than go on.
func hit(point string) {
	if !matches(os.Getenv(EnvPoint), point) {
		return
	}
	if marker := os.Getenv(EnvMarker); marker != "" {
		if err := writeMarker(marker, point); err != nil {
			fmt.Fprintf(os.Stderr, "faults: write marker %s: %v\n", marker, err)
			os.Exit(97)
		}
	}
	time.Sleep(time.Hour)
	os.Exit(98)
}

func writeMarker(path, point string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(f, point); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
