package store

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

type codec int

const (
	codecNone codec = iota
	codecGzip
	codecZstd
)

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// Decompress wraps r so that reading it yields decompressed data when name
// says the content is gzip (".gz", ".gzip") or zstd (".zst", ".zstd"), or,
// when the extension says neither, when the content starts with the gzip or
// zstd magic bytes; otherwise the data passes through unchanged. name is the
// object name or URL and is used only for the choice and in error messages.
// Concatenated gzip members and multi-frame zstd streams are read whole.
// When r comes from a Store reader whose bytes GCS already decompressed
// (an object stored with "Content-Encoding: gzip"), only the magic bytes
// decide, so "orders.csv.gz" uploaded with `gcloud storage cp -Z` reads the
// same as one uploaded as is.
//
// Decompression is streamed. Closing the returned reader closes r; on error r
// is closed too. An extension that contradicts the content is an error (for
// example "store: decompress a.csv.gz: gzip: invalid header").
func Decompress(name string, r io.ReadCloser) (io.ReadCloser, error) {
	c := codecByName(name)
	if t, ok := r.(interface{ wasTranscoded() bool }); ok && t.wasTranscoded() {
		c = codecNone
	}
	var src io.Reader = r
	if c == codecNone {
		br := bufio.NewReaderSize(r, 64<<10)
		c, src = codecByMagic(br), br
	}
	rc, err := openCodec(c, src, r)
	if err != nil {
		r.Close()
		return nil, opError("decompress", name, err)
	}
	if c == codecNone {
		return rc, nil
	}
	return &errorReader{rc: rc, prefix: "store: decompress " + name}, nil
}

func codecByName(name string) codec {
	switch strings.ToLower(path.Ext(name)) {
	case ".gz", ".gzip":
		return codecGzip
	case ".zst", ".zstd":
		return codecZstd
	}
	return codecNone
}

func codecByMagic(br *bufio.Reader) codec {
	head, _ := br.Peek(len(zstdMagic)) // short data is simply not compressed
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		return codecGzip
	case bytes.HasPrefix(head, zstdMagic):
		return codecZstd
	}
	return codecNone
}

// openCodec returns a reader decoding src with c; its Close releases the
// decoder and closes underlying.
func openCodec(c codec, src io.Reader, underlying io.Closer) (io.ReadCloser, error) {
	switch c {
	case codecGzip:
		zr, err := gzip.NewReader(src)
		if err != nil {
			return nil, err // already says "gzip: ..."
		}
		return &decoder{Reader: zr, close: func() { zr.Close() }, underlying: underlying}, nil
	case codecZstd:
		zr, err := zstd.NewReader(src)
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err) // bad options only; data errors surface on Read
		}
		return &decoder{Reader: zr, close: zr.Close, underlying: underlying}, nil
	}
	return &decoder{Reader: src, close: func() {}, underlying: underlying}, nil
}

// decoder is a decompressing reader that closes its source too. The
// decoder's own close error is dropped: it can only repeat a data error that
// Read has already returned.
type decoder struct {
	io.Reader
	close      func()
	underlying io.Closer
}

func (d *decoder) Close() error {
	d.close()
	return d.underlying.Close()
}
