//go:build !unix

package store

import "io/fs"

// inode is unknown on this platform; localGeneration then relies on the size
// and modification time alone.
func inode(fs.FileInfo) uint64 { return 0 }
