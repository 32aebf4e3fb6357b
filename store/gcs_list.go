package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"cloud.google.com/go/storage"
	"golang.org/x/sync/errgroup"
	"google.golang.org/api/iterator"
)

// listAttrs are the only object fields a listing asks GCS for.
var listAttrs = []string{"Name", "Size", "Updated", "Generation", "CRC32C", "MD5", "ContentType", "Metadata"}

// deleteParallelism bounds the concurrent deletes of DeletePrefix.
const deleteParallelism = 8

func (s *gcsStore) List(ctx context.Context, prefix string) ([]ObjectInfo, error) {
	if err := checkPrefix(prefix); err != nil {
		return nil, opError("list", s.root.String(), err)
	}
	out, err := s.list(ctx, prefix)
	if err != nil {
		return nil, opError("list", s.url(prefix), err)
	}
	return out, nil
}

func (s *gcsStore) Glob(ctx context.Context, pattern string) ([]ObjectInfo, error) {
	g, err := compileGlob(pattern)
	if err != nil {
		return nil, opError("glob", s.root.String(), err)
	}
	all, err := s.list(ctx, g.prefix)
	if err != nil {
		return nil, opError("glob", s.url(pattern), err)
	}
	return slices.DeleteFunc(all, func(o ObjectInfo) bool { return !g.match(o.Name) }), nil
}

// list returns the visible objects whose names start with prefix, sorted.
// Folder placeholders (names ending in '/', made by the console) and
// hidden objects are left out.
func (s *gcsStore) list(ctx context.Context, prefix string) ([]ObjectInfo, error) {
	var out []ObjectInfo
	err := s.eachObject(ctx, s.key(prefix), func(a *storage.ObjectAttrs) {
		if o := s.info(a); !strings.HasSuffix(a.Name, "/") && !hidden(o.Name) {
			out = append(out, o)
		}
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b ObjectInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// eachObject calls fn for every object whose key starts with keyPrefix,
// one page at a time, each page request under CallTimeout.
func (s *gcsStore) eachObject(ctx context.Context, keyPrefix string, fn func(*storage.ObjectAttrs)) error {
	q := &storage.Query{Prefix: keyPrefix, Projection: storage.ProjectionNoACL}
	if err := q.SetAttrSelection(listAttrs); err != nil {
		return err
	}
	token := ""
	for {
		var page []*storage.ObjectAttrs
		err := s.call(ctx, func(ctx context.Context) (err error) {
			token, err = iterator.NewPager(s.bucket.Objects(ctx, q), s.pageSize, token).NextPage(&page)
			return err
		})
		if err != nil {
			return s.mapErr(ctx, "", err)
		}
		s.bucketSeen.Store(true)
		for _, a := range page {
			fn(a)
		}
		if s.afterListBatch != nil {
			s.afterListBatch()
		}
		if token == "" {
			return nil
		}
	}
}

// info converts attributes to an ObjectInfo with a root-relative name.
func (s *gcsStore) info(a *storage.ObjectAttrs) ObjectInfo {
	name := a.Name
	if s.root.prefix != "" {
		name = strings.TrimPrefix(name, s.root.prefix+"/")
	}
	return ObjectInfo{
		Name:        name,
		Size:        a.Size,
		Updated:     a.Updated,
		Generation:  a.Generation,
		CRC32C:      a.CRC32C,
		HasCRC32C:   true,
		MD5:         a.MD5,
		ContentType: a.ContentType,
		Metadata:    a.Metadata,
	}
}

func (s *gcsStore) DeletePrefix(ctx context.Context, prefix string) error {
	if prefix == "" {
		return opError("delete prefix", s.root.String(), errors.New("refusing an empty prefix, which would delete the whole root"))
	}
	if err := checkPrefix(prefix); err != nil {
		return opError("delete prefix", s.root.String(), err)
	}
	if err := s.deletePrefix(ctx, prefix); err != nil {
		return opError("delete prefix", s.url(prefix), err)
	}
	return nil
}

// deletePrefix deletes everything under the prefix, hidden objects and
// folder placeholders included, a few objects at a time.
func (s *gcsStore) deletePrefix(ctx context.Context, prefix string) error {
	var keys []string
	if err := s.eachObject(ctx, s.key(prefix), func(a *storage.ObjectAttrs) { keys = append(keys, a.Name) }); err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(deleteParallelism)
	for _, key := range keys {
		g.Go(func() error { return s.deleteKey(gctx, key) })
	}
	return g.Wait()
}

func (s *gcsStore) Copy(ctx context.Context, src, dst string) error {
	if err := errors.Join(checkName(src), checkName(dst)); err != nil {
		return opError("copy", s.root.String(), err)
	}
	if err := s.copy(ctx, src, dst, 0); err != nil {
		return opError("copy", s.url(src)+" to "+s.url(dst), err)
	}
	return nil
}

// copy rewrites src (at generation gen, if not 0) into dst server-side.
func (s *gcsStore) copy(ctx context.Context, src, dst string, gen int64) error {
	from := s.object(src)
	if gen != 0 {
		from = from.Generation(gen)
	}
	err := s.call(ctx, func(ctx context.Context) error {
		_, err := s.object(dst).CopierFrom(from).Run(ctx)
		return err
	})
	if err != nil {
		return s.mapErr(ctx, src, err)
	}
	return nil
}

func (s *gcsStore) Move(ctx context.Context, src, dst string) error {
	if err := errors.Join(checkName(src), checkName(dst)); err != nil {
		return opError("move", s.root.String(), err)
	}
	if err := s.move(ctx, src, dst); err != nil {
		return opError("move", s.url(src)+" to "+s.url(dst), err)
	}
	return nil
}

// move copies the current generation of src, then deletes src only if it
// is still that generation.
func (s *gcsStore) move(ctx context.Context, src, dst string) error {
	a, err := s.attrs(ctx, src)
	if err != nil || src == dst {
		return err
	}
	if err := s.copy(ctx, src, dst, a.Generation); err != nil {
		return err
	}
	err = s.call(ctx, func(ctx context.Context) error {
		return s.object(src).If(storage.Conditions{GenerationMatch: a.Generation}).Delete(ctx)
	})
	if err == nil || errors.Is(err, storage.ErrObjectNotExist) {
		return nil
	}
	if err = s.mapErr(ctx, src, err); errors.Is(err, ErrPrecondition) {
		return fmt.Errorf("copied, but the source was replaced meanwhile and is left in place: %w", err)
	}
	return err
}
