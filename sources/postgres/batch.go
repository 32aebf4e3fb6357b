package postgres

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// batcher copies rows of PostgreSQL text values into Arrow record batches
// laid out as the raw table: the source's columns (utf8, NULL as null),
// then _file (utf8), _line (int64, 1-based ordinal in the read) and
// _location (utf8: "pk=…" or "row N").
type batcher struct {
	p        *plan
	size     int
	rb       *array.RecordBuilder
	cols     []*array.BinaryBuilder
	file     *array.BinaryBuilder
	line     *array.Int64Builder
	loc      *array.BinaryBuilder
	fileName []byte

	n     int   // rows in the current batch
	bytes int   // text bytes in the current batch
	read  int64 // rows read in all
	total int64 // text bytes read in all
	wm    []byte
	hasWM bool
	buf   []byte // scratch for _location
}

func newBatcher(mem memory.Allocator, p *plan, fileName string, size int) *batcher {
	fields := make([]arrow.Field, 0, len(p.columns)+3)
	for _, c := range p.columns {
		fields = append(fields, arrow.Field{Name: c, Type: arrow.BinaryTypes.String, Nullable: true})
	}
	fields = append(fields,
		arrow.Field{Name: "_file", Type: arrow.BinaryTypes.String},
		arrow.Field{Name: "_line", Type: arrow.PrimitiveTypes.Int64},
		arrow.Field{Name: "_location", Type: arrow.BinaryTypes.String})
	b := &batcher{p: p, size: size, rb: array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil)), fileName: []byte(fileName)}
	for i := range p.columns {
		b.cols = append(b.cols, b.rb.Field(i).(*array.StringBuilder).BinaryBuilder)
	}
	nc := len(p.columns)
	b.file = b.rb.Field(nc).(*array.StringBuilder).BinaryBuilder
	b.line = b.rb.Field(nc + 1).(*array.Int64Builder)
	b.loc = b.rb.Field(nc + 2).(*array.StringBuilder).BinaryBuilder
	return b
}

// add appends one row; vals are the row's values as PostgreSQL text (nil
// for NULL), valid only until the next row is read.
func (b *batcher) add(vals [][]byte) {
	if b.n == 0 {
		b.rb.Reserve(b.size)
	}
	b.read++
	b.n++
	for i, v := range vals {
		switch {
		case v == nil:
			b.cols[i].AppendNull()
			continue
		case b.p.isBool[i] && len(v) == 1 && v[0] == 't':
			b.cols[i].AppendString("true")
		case b.p.isBool[i] && len(v) == 1 && v[0] == 'f':
			b.cols[i].AppendString("false")
		default:
			b.cols[i].Append(v)
		}
		b.bytes += len(v)
		b.total += int64(len(v))
	}
	if b.p.wm >= 0 && vals[b.p.wm] != nil {
		// Rows come ordered by the watermark (NULLs last): the last
		// non-NULL value is the largest.
		b.wm = append(b.wm[:0], vals[b.p.wm]...)
		b.hasWM = true
	}
	b.file.Append(b.fileName)
	b.line.Append(b.read)
	b.loc.Append(b.location(vals))
}

// location renders the primary key as pk=value (pk=(a,b) for a composite
// key), or "row N" when there is none.
func (b *batcher) location(vals [][]byte) []byte {
	buf := b.buf[:0]
	switch len(b.p.pk) {
	case 0:
		buf = strconv.AppendInt(append(buf, "row "...), b.read, 10)
	case 1:
		buf = append(append(buf, "pk="...), vals[b.p.pk[0]]...)
	default:
		buf = append(buf, "pk=("...)
		for k, i := range b.p.pk {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, vals[i]...)
		}
		buf = append(buf, ')')
	}
	b.buf = buf
	return buf
}

// full reports whether the current batch should be loaded now.
func (b *batcher) full() bool { return b.n >= b.size || b.bytes >= maxBatchBytes }

// flush returns the current batch (the caller releases it) and starts a
// new one; it returns nil when the batch is empty.
func (b *batcher) flush() arrow.RecordBatch {
	if b.n == 0 {
		return nil
	}
	b.n, b.bytes = 0, 0
	return b.rb.NewRecordBatch()
}

// watermark is the largest watermark value read, as PostgreSQL printed it.
func (b *batcher) watermark() string {
	if !b.hasWM {
		return ""
	}
	return string(b.wm)
}

// release frees the builders' buffers.
func (b *batcher) release() { b.rb.Release() }
