//go:build !unix

package sinks

import "context"

// exclusive runs fn. Without flock on this platform, lock changes on a local
// root rely on the store's best-effort generation check alone.
func (r *Root) exclusive(_ context.Context, _ string, fn func() error) error { return fn() }
