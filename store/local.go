package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// localStore is a Store over a directory. Objects are regular files (or
// symbolic links to regular files); folders are created on demand and are
// not objects.
type localStore struct {
	dir string
	// afterListBatch, when set (tests only), runs after each folder has been
	// read during a listing, before its entries are examined.
	afterListBatch func()
}

func newLocal(dir string) *localStore { return &localStore{dir: dir} }

func (s *localStore) String() string { return s.dir }

func (s *localStore) Close() error { return nil }

// path maps a valid name (or "") to its file system path.
func (s *localStore) path(name string) string {
	return filepath.Join(s.dir, filepath.FromSlash(name))
}

func (s *localStore) LocalPath(name string) (string, bool) {
	if checkName(name) != nil {
		return "", false
	}
	return s.path(name), true
}

// checkRoot reports a missing root, or a root that is not a folder.
func (s *localStore) checkRoot() error {
	fi, err := os.Stat(s.dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &notFound{msg: fmt.Sprintf("root directory %q does not exist", s.dir)}
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("root %q is not a directory", s.dir)
	}
	return nil
}

// fsError turns a "no such file" from the file system into the package's
// not-found error for name (or for the root, when that is what is missing).
func (s *localStore) fsError(name string, err error) error {
	if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
		return err
	}
	if rootErr := s.checkRoot(); rootErr != nil {
		return rootErr
	}
	return objectNotFound(name)
}

// statFile returns the info of the regular file behind name.
func (s *localStore) statFile(name string) (fs.FileInfo, error) {
	fi, err := os.Stat(s.path(name))
	if err != nil {
		return nil, s.fsError(name, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, &notFound{msg: fmt.Sprintf("object %q not found (it is a folder or not a regular file)", name)}
	}
	return fi, nil
}

func (s *localStore) Stat(_ context.Context, name string) (ObjectInfo, error) {
	if err := checkName(name); err != nil {
		return ObjectInfo{}, opError("stat", s.dir, err)
	}
	fi, err := s.statFile(name)
	if err != nil {
		return ObjectInfo{}, opError("stat", s.path(name), err)
	}
	return localInfo(name, fi), nil
}

func (s *localStore) NewReader(_ context.Context, name string) (io.ReadCloser, error) {
	if err := checkName(name); err != nil {
		return nil, opError("read", s.dir, err)
	}
	f, err := s.open(name)
	if err != nil {
		return nil, opError("read", s.path(name), err)
	}
	return &errorReader{rc: f, prefix: "store: read " + s.path(name)}, nil
}

// open opens the regular file behind name.
func (s *localStore) open(name string) (*os.File, error) {
	f, err := os.Open(s.path(name))
	if err != nil {
		return nil, s.fsError(name, err)
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, &notFound{msg: fmt.Sprintf("object %q not found (it is a folder or not a regular file)", name)}
	}
	return f, nil
}

func (s *localStore) Delete(_ context.Context, name string) error {
	if err := checkName(name); err != nil {
		return opError("delete", s.dir, err)
	}
	if err := s.remove(name); err != nil {
		return opError("delete", s.path(name), err)
	}
	return nil
}

// remove deletes the file behind name; a missing file or a folder is left
// alone without error, as neither is an object.
func (s *localStore) remove(name string) error {
	p := s.path(name)
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || err == nil && fi.IsDir() {
		return nil
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (s *localStore) Copy(ctx context.Context, src, dst string) error {
	if err := s.copy(ctx, src, dst); err != nil {
		return opError("copy", s.path(src)+" to "+s.path(dst), err)
	}
	return nil
}

func (s *localStore) copy(ctx context.Context, src, dst string) error {
	if err := errors.Join(checkName(src), checkName(dst)); err != nil {
		return err
	}
	in, err := s.open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	w, err := s.newWriter(ctx, dst, WriteOptions{})
	if err != nil {
		return err
	}
	defer w.Abort()
	if _, err := io.Copy(w.f, in); err != nil {
		return err
	}
	return w.commit()
}

func (s *localStore) Move(ctx context.Context, src, dst string) error {
	if err := s.move(ctx, src, dst); err != nil {
		return opError("move", s.path(src)+" to "+s.path(dst), err)
	}
	return nil
}

func (s *localStore) move(ctx context.Context, src, dst string) error {
	if err := errors.Join(checkName(src), checkName(dst)); err != nil {
		return err
	}
	if _, err := s.statFile(src); err != nil || src == dst {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path(dst)), 0o777); err != nil {
		return err
	}
	err := os.Rename(s.path(src), s.path(dst))
	if errors.Is(err, syscall.EXDEV) { // a mount point inside the root
		if err := s.copy(ctx, src, dst); err != nil {
			return err
		}
		return s.remove(src)
	}
	if err != nil {
		return s.fsError(src, err)
	}
	syncDir(filepath.Dir(s.path(dst)))
	return nil
}

// syncDir makes a rename in dir durable. It is best effort: some file
// systems refuse to fsync a folder, and the rename is already visible.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
