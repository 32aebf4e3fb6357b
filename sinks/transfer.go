package sinks

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"

	"github.com/journeydata/journey/internal/faults"
	"github.com/journeydata/journey/store"
)

// castagnoli is the CRC32C table; GCS reports CRC32C for every object.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Upload copies the local file to name under the preconditions of opts, as
// WriteFile does for bytes (a lost response is recognised by the stored
// object's size and CRC32C). Nothing is visible under name until the whole
// file is committed. The fault point "publish.upload:<name>" sits halfway
// through the bytes.
func (r *Root) Upload(ctx context.Context, name, local string, opts store.WriteOptions) error {
	size, sum, err := fileCRC(local)
	if err != nil {
		return fmt.Errorf("upload %s: %w", name, err)
	}
	err = r.policy.try(ctx, "upload "+name, size, func(ctx context.Context) error {
		return uploadOnce(ctx, r.st, name, local, size, opts)
	})
	if errors.Is(err, store.ErrPrecondition) {
		if same, serr := r.holds(ctx, name, size, sum); serr == nil && same {
			return nil
		}
	}
	return err
}

func uploadOnce(ctx context.Context, st store.Store, name, local string, size int64, opts store.WriteOptions) error {
	f, err := os.Open(local)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := st.NewWriter(ctx, name, opts)
	if err != nil {
		return err
	}
	defer w.Abort()
	if _, err := io.CopyN(w, f, size/2); err != nil {
		return err
	}
	faults.Point("publish.upload:" + name)
	if _, err := io.Copy(w, f); err != nil {
		return err
	}
	return w.Commit()
}

// Download copies name into the local file, which appears whole (temporary
// file, then rename) or not at all.
func (r *Root) Download(ctx context.Context, name, local string) error {
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		return fmt.Errorf("download %s: %w", name, err)
	}
	return r.policy.try(ctx, "download "+name, 0, func(ctx context.Context) error {
		return downloadOnce(ctx, r.st, name, local)
	})
}

func downloadOnce(ctx context.Context, st store.Store, name, local string) error {
	rc, err := st.NewReader(ctx, name)
	if err != nil {
		return err
	}
	defer rc.Close()
	tmp, err := os.CreateTemp(filepath.Dir(local), "."+filepath.Base(local)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, rc); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), local)
}

// holds reports whether the object name has exactly size bytes with the
// CRC32C sum: from the object's metadata on GCS, by reading it locally.
func (r *Root) holds(ctx context.Context, name string, size int64, sum uint32) (bool, error) {
	info, err := r.Stat(ctx, name)
	if errors.Is(err, store.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return r.sameContent(ctx, info, size, sum)
}

// sameContent reports whether the described object has size bytes with the
// CRC32C sum; it reads the object only when the metadata cannot tell.
func (r *Root) sameContent(ctx context.Context, info store.ObjectInfo, size int64, sum uint32) (bool, error) {
	if info.Size != size {
		return false, nil
	}
	if info.HasCRC32C {
		return info.CRC32C == sum, nil
	}
	var got uint32
	err := r.policy.try(ctx, "read "+info.Name, size, func(ctx context.Context) error {
		rc, err := r.st.NewReader(ctx, info.Name)
		if err != nil {
			return err
		}
		defer rc.Close()
		h := crc32.New(castagnoli)
		if _, err := io.Copy(h, rc); err != nil {
			return err
		}
		got = h.Sum32()
		return nil
	})
	return err == nil && got == sum, err
}

// fileCRC returns a local file's size and CRC32C.
func fileCRC(path string) (int64, uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	h := crc32.New(castagnoli)
	n, err := io.Copy(h, f)
	return n, h.Sum32(), err
}
