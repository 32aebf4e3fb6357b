package file

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/sync/errgroup"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/store"
)

// downloadParallelism bounds the objects downloaded at the same time.
const downloadParallelism = 4

// download copies every object into dir and records, in a temp table named
// after raw, which spill file holds which object. The caller drops the
// table (fileSet.names) and removes dir.
func (s *Source) download(ctx context.Context, db *duck.DB, st store.Store, objs []store.ObjectInfo, dir, raw string) (fileSet, error) {
	paths := make([]string, len(objs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(downloadParallelism)
	for i, o := range objs {
		g.Go(func() (err error) {
			paths[i], err = s.spill(gctx, st, o, filepath.Join(dir, fmt.Sprintf("%05d.%s", i, s.format)))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return fileSet{}, err
	}
	urls := make([]string, len(objs))
	for i, o := range objs {
		urls[i] = s.gcs.url(o.Name)
	}
	names := "_objects_" + raw
	q := `CREATE OR REPLACE TEMP TABLE ` + duck.Ident(names) + ` AS SELECT unnest($1::VARCHAR[]) AS path, unnest($2::VARCHAR[]) AS name`
	if _, err := db.ExecContext(ctx, q, paths, urls); err != nil {
		return fileSet{}, fmt.Errorf("record object names: %w", err)
	}
	return fileSet{paths: paths, names: names, urls: urls}, nil
}

// spill streams one object into the file base plus the extension of the
// compression its bytes have, checking that compressed bytes decode to
// their end, and returns the file's path.
func (s *Source) spill(ctx context.Context, st store.Store, o store.ObjectInfo, base string) (string, error) {
	url := s.gcs.url(o.Name)
	rc, err := st.NewReader(ctx, o.Name)
	if errors.Is(err, store.ErrNotExist) {
		return "", fmt.Errorf("object %s was deleted while the source was being read; rerun: %w", url, err)
	}
	if err != nil {
		return "", err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 1<<20)
	ext := codecExt(br)
	f, err := os.Create(base + ext)
	if err != nil {
		return "", fmt.Errorf("download %s: %w", url, err)
	}
	err = copyVerified(f, br, ext)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("download %s: %w", url, err)
	}
	return base + ext, nil
}

// copyVerified copies src to dst; for compressed data (ext ".gz" or
// ".zst") it also decodes the bytes and fails if they do not decode.
func copyVerified(dst io.Writer, src *bufio.Reader, ext string) error {
	if ext == "" {
		_, err := src.WriteTo(dst)
		return err
	}
	v := newVerifier(ext)
	_, err := src.WriteTo(io.MultiWriter(dst, v))
	verr := v.finish()
	if err != nil && err != verr { // the download or the file failed, not the data
		return err
	}
	if verr != nil {
		return fmt.Errorf("the object is damaged: %w", verr)
	}
	return nil
}

// codecExt is ".gz" or ".zst" when the buffered bytes start with the gzip
// or zstd magic number, else "".
func codecExt(br *bufio.Reader) string {
	head, _ := br.Peek(4) // a shorter object is simply not compressed
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return ".gz"
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return ".zst"
	}
	return ""
}
