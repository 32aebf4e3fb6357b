package file

import (
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// verifier decodes compressed bytes as they are written, to the end, and
// discards the output: DuckDB reads a truncated gzip stream as if the data
// ended there, so a damaged object would otherwise lose rows silently.
type verifier struct {
	pw   *io.PipeWriter
	done chan error
}

// newVerifier starts decoding the codec of the spill extension ext
// (".gz" or ".zst").
func newVerifier(ext string) *verifier {
	pr, pw := io.Pipe()
	v := &verifier{pw: pw, done: make(chan error, 1)}
	go func() {
		err := decodeAll(ext, pr)
		pr.CloseWithError(err) // a decoder that gives up stops the writer too
		v.done <- err
	}()
	return v
}

// Write passes p to the decoder.
func (v *verifier) Write(p []byte) (int, error) { return v.pw.Write(p) }

// finish ends the stream and reports whether it decoded completely.
func (v *verifier) finish() error {
	v.pw.Close()
	return <-v.done
}

// decodeAll reads r through the decoder of ext to the end.
func decodeAll(ext string, r io.Reader) error {
	switch ext {
	case ".gz":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
	case ".zst":
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return fmt.Errorf("zstd: %w", err)
		}
		defer zr.Close()
		if _, err := zr.WriteTo(io.Discard); err != nil {
			return fmt.Errorf("zstd: %w", err)
		}
	}
	_, err := io.Copy(io.Discard, r)
	return err
}
