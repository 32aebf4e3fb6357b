package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
)

// extract connects, plans and streams the rows into the raw table; on any
// failure after the raw table was created it drops it again.
func (s *Source) extract(ctx context.Context, db *duck.DB, req sources.Request) (sources.Extracted, error) {
	conn, sc, err := s.connect(ctx)
	if err != nil {
		return sources.Extracted{}, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return sources.Extracted{}, fmt.Errorf("begin read-only transaction: %w", sc.scrub(ctx, err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	p, err := s.plan(ctx, tx, req.Since, req.Shard)
	if err != nil {
		return sources.Extracted{}, sc.scrub(ctx, err)
	}
	l, err := openLoader(ctx, db, req.Raw, p.columns)
	if err != nil {
		return sources.Extracted{}, err
	}
	defer l.close()
	b := newBatcher(s.opt.mem, &p, s.fileName(), s.opt.batchSize)
	defer b.release()
	if err := s.stream(ctx, tx, &p, b, l, sc); err != nil {
		return sources.Extracted{}, errors.Join(err, l.discard(ctx))
	}
	if err := l.commit(); err != nil {
		return sources.Extracted{}, errors.Join(err, l.discard(ctx))
	}
	return sources.Extracted{
		Columns:     p.columns,
		HasLocation: true,
		Watermark:   b.watermark(),
		Inputs:      []sources.Input{s.input(b.total)},
		Sharded:     req.Shard != nil,
	}, nil
}

// stream runs the planned statement and loads its rows batch by batch.
func (s *Source) stream(ctx context.Context, tx pgx.Tx, p *plan, b *batcher, l *loader, sc scrubber) error {
	// Every column as text: PostgreSQL's own rendering, copied as is.
	args := append([]any{pgx.QueryResultFormats{pgx.TextFormatCode}}, p.args...)
	// Closing rows mid-result would read the rest of it: a failed load
	// cancels the query first.
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rows, err := tx.Query(qctx, p.sql, args...)
	if err != nil {
		return readError(ctx, tx.Conn(), 0, sc.scrub(ctx, err))
	}
	defer rows.Close()
	for rows.Next() {
		b.add(rows.RawValues())
		if b.full() {
			if err := s.load(ctx, b, l); err != nil {
				cancel()
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return readError(ctx, tx.Conn(), b.read, sc.scrub(ctx, err))
	}
	return s.load(ctx, b, l)
}

// load appends the current batch to the raw table and reports progress.
func (s *Source) load(ctx context.Context, b *batcher, l *loader) error {
	rec := b.flush()
	if rec == nil {
		return nil
	}
	err := l.append(ctx, rec)
	rec.Release()
	if ctx.Err() != nil {
		return fmt.Errorf("canceled after %d rows: %w", b.read, ctx.Err())
	}
	if err != nil {
		return fmt.Errorf("after %d rows: %w", b.read, err)
	}
	if s.opt.progress != nil {
		s.opt.progress(b.read)
	}
	return nil
}

// readError says what became of a read that failed after n rows: canceled,
// connection lost (the server went away or ended the session), or a
// failure of the statement itself.
func readError(ctx context.Context, conn *pgx.Conn, n int64, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("canceled after %d rows: %w", n, err)
	case conn.IsClosed():
		return fmt.Errorf("connection lost after %d rows: %w", n, err)
	}
	return fmt.Errorf("query failed after %d rows: %w", n, err)
}
