// Package fsutil holds small file-system helpers with crash-safe semantics.
package fsutil

import (
	"os"
	"path/filepath"
)

// WriteFileAtomic writes data to a hidden temporary file beside path, syncs
// it and renames it over path, so readers see the old or the new content,
// never a part of it, even if the process dies midway.
func WriteFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
