package store

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/fnv"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"
)

func (s *localStore) List(ctx context.Context, prefix string) ([]ObjectInfo, error) {
	if err := checkPrefix(prefix); err != nil {
		return nil, opError("list", s.dir, err)
	}
	out, err := s.list(ctx, prefix, false, nil)
	if err != nil {
		return nil, opError("list", s.path(prefix), err)
	}
	return out, nil
}

func (s *localStore) Glob(ctx context.Context, pattern string) ([]ObjectInfo, error) {
	g, err := compileGlob(pattern)
	if err != nil {
		return nil, opError("glob", s.dir, err)
	}
	all, err := s.list(ctx, g.prefix, false, g.mayContain)
	if err != nil {
		return nil, opError("glob", s.path(pattern), err)
	}
	return slices.DeleteFunc(all, func(o ObjectInfo) bool { return !g.match(o.Name) }), nil
}

// list returns the regular files whose names start with prefix, sorted by
// name. Only folders that can hold such names are read, and of those only
// the ones keepDir (when not nil) accepts. Hidden files are skipped unless
// includeHidden.
func (s *localStore) list(ctx context.Context, prefix string, includeHidden bool, keepDir func(string) bool) ([]ObjectInfo, error) {
	if err := s.checkRoot(); err != nil {
		return nil, err
	}
	descend := func(dir string) bool {
		return relatedToPrefix(dir, prefix) && (keepDir == nil || keepDir(dir))
	}
	var out []ObjectInfo
	visit := func(name string, fi fs.FileInfo) {
		if strings.HasPrefix(name, prefix) && (includeHidden || !hidden(name)) {
			out = append(out, localInfo(name, fi))
		}
	}
	if err := s.walk(ctx, prefixDir(prefix), descend, visit); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b ObjectInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// prefixDir is the deepest folder holding every name that starts with prefix.
func prefixDir(prefix string) string {
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		return prefix[:i]
	}
	return ""
}

// relatedToPrefix reports whether folder dir may hold names starting with
// prefix: it lies either inside the prefix or on the way to it.
func relatedToPrefix(dir, prefix string) bool {
	return strings.HasPrefix(dir+"/", prefix) || strings.HasPrefix(prefix, dir+"/")
}

// walk visits the regular files in folder dir ("" is the root) and,
// recursively, in the sub-folders descend accepts. Entries that vanish while
// walking are skipped. Symbolic links to files are visited; links to folders
// are not followed (no cycles).
func (s *localStore) walk(ctx context.Context, dir string, descend func(string) bool, visit func(string, fs.FileInfo)) error {
	entries, err := os.ReadDir(s.path(dir))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil // the folder is not there (any more): nothing under it
	}
	if err != nil {
		return err
	}
	if s.afterListBatch != nil {
		s.afterListBatch()
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := path.Join(dir, e.Name())
		fi, err := s.entryInfo(name, e)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue // deleted since the folder was read, or a dangling link
		case err != nil:
			return err
		case e.IsDir() && descend(name):
			if err := s.walk(ctx, name, descend, visit); err != nil {
				return err
			}
		case fi.Mode().IsRegular():
			visit(name, fi)
		}
	}
	return nil
}

// entryInfo returns the info of a folder entry, following a symbolic link.
func (s *localStore) entryInfo(name string, e fs.DirEntry) (fs.FileInfo, error) {
	if e.Type()&fs.ModeSymlink != 0 {
		return os.Stat(s.path(name))
	}
	return e.Info()
}

func (s *localStore) DeletePrefix(ctx context.Context, prefix string) error {
	if err := s.deletePrefix(ctx, prefix); err != nil {
		return opError("delete prefix", s.path(prefix), err)
	}
	return nil
}

func (s *localStore) deletePrefix(ctx context.Context, prefix string) error {
	if prefix == "" {
		return errors.New("refusing an empty prefix, which would delete the whole root")
	}
	if err := checkPrefix(prefix); err != nil {
		return err
	}
	files, dirs, err := s.under(ctx, prefix)
	if err != nil {
		return err
	}
	for _, name := range files {
		if err := s.remove(name); err != nil {
			return err
		}
	}
	for _, dir := range slices.Backward(dirs) { // children were appended after parents
		_ = os.Remove(s.path(dir)) // fails, harmlessly, if something was added meanwhile
	}
	return nil
}

// under returns every file whose name starts with prefix, hidden ones
// included, and the folders whose names (with a trailing '/') do, parents
// before children.
func (s *localStore) under(ctx context.Context, prefix string) (files, dirs []string, err error) {
	start := prefixDir(prefix)
	if start != "" && strings.HasPrefix(start+"/", prefix) {
		dirs = append(dirs, start)
	}
	descend := func(dir string) bool {
		if strings.HasPrefix(dir+"/", prefix) {
			dirs = append(dirs, dir)
		}
		return relatedToPrefix(dir, prefix)
	}
	visit := func(name string, _ fs.FileInfo) {
		if strings.HasPrefix(name, prefix) {
			files = append(files, name)
		}
	}
	err = s.walk(ctx, start, descend, visit)
	return files, dirs, err
}

func localInfo(name string, fi fs.FileInfo) ObjectInfo {
	return ObjectInfo{
		Name:       name,
		Size:       fi.Size(),
		Updated:    fi.ModTime(),
		Generation: localGeneration(fi),
	}
}

// localGeneration derives a stand-in for a GCS generation from what changes
// when a file is replaced by rename: the inode, the size and the
// modification time. It is positive and never 0.
func localGeneration(fi fs.FileInfo) int64 {
	var b [24]byte
	binary.LittleEndian.PutUint64(b[0:], uint64(fi.ModTime().UnixNano()))
	binary.LittleEndian.PutUint64(b[8:], uint64(fi.Size()))
	binary.LittleEndian.PutUint64(b[16:], inode(fi))
	h := fnv.New64a()
	h.Write(b[:])
	return int64(h.Sum64()>>1) | 1
}
