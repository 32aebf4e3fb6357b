// Package e2e runs the journey binary as a real child process, with real
// signals, to test what only a process can show: a backfill killed with
// SIGKILL resumes with only the missing snapshots, and a daemon stopped
// with SIGTERM leaves no partial publish.
package e2e
