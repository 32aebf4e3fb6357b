// Package faults marks the places in the program where a fault test may stop
// the process, so that crash safety is tested with real processes and real
// signals rather than with mocks.
//
// Point is a no-op in every ordinary build. In a build with the faultinject
// tag (go build -tags duckdb_arrow,faultinject ./cmd/journey), a process
// whose environment variable JOURNEY_FAULT names the point it reaches writes
// the point's name to the file named by JOURNEY_FAULT_MARKER and then sleeps,
// so that the test, which polls for the marker, can kill it there (SIGKILL).
// JOURNEY_FAULT matches one point exactly, or every point that starts with
// its text when it ends with '*' ("publish.upload:customer_metrics/*").
//
// The points of the publish protocol are listed in the sinks package
// documentation.
package faults

// Environment variables read by builds with the faultinject tag.
const (
	// EnvPoint names the point to stop at.
	EnvPoint = "JOURNEY_FAULT"
	// EnvMarker names the file written when the point is reached.
	EnvMarker = "JOURNEY_FAULT_MARKER"
)

// Point marks the named place in the program. It does nothing unless the
// program was built with the faultinject tag and JOURNEY_FAULT names it.
func Point(name string) { hit(name) }

// Enabled reports whether this build honours JOURNEY_FAULT.
func Enabled() bool { return enabled }

// matches reports whether the JOURNEY_FAULT value want names point.
func matches(want, point string) bool {
	if want == "" {
		return false
	}
	if n := len(want) - 1; want[n] == '*' {
		return len(point) >= n && point[:n] == want[:n]
	}
	return want == point
}
