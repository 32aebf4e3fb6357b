// Package crashtest holds the fault tests of publishing: real journey
// processes, built once with the faultinject tag, publish the bundled demo
// data to a local folder and to gs:// (fake-gcs-server, listening on
// 127.0.0.1 in the test process), are killed with SIGKILL at the publish
// protocol's fault points (see the sinks and internal/faults packages), and
// then the output root is checked the way BI readers would see it: the
// previous snapshots intact and readable with DuckDB, no partial object,
// _latest.json naming a complete snapshot; and a run without the fault
// completes and cleans up. Transient and permanent GCS failures are
// injected by an HTTP proxy in front of the fake server.
//
// The package has no code besides its tests; `go test -short` skips them.
package crashtest
