package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// sessionSettings fix how PostgreSQL prints values, whatever the server's
// or the DSN's defaults: ISO dates, timestamptz in UTC, UTF-8 text.
func sessionSettings() map[string]string {
	return map[string]string{
		"client_encoding": "UTF8",
		"datestyle":       "ISO, YMD",
		"intervalstyle":   "postgres",
		"timezone":        "UTC",
	}
}

// connect opens a connection with the DSN from the source's environment
// variable. The returned scrubber removes the DSN and password from error
// text; use it on every error that comes from pgx.
func (s *Source) connect(ctx context.Context) (*pgx.Conn, scrubber, error) {
	dsn := os.Getenv(s.spec.DSNEnv)
	if strings.TrimSpace(dsn) == "" {
		return nil, scrubber{}, fmt.Errorf("environment variable %s (dsn_env) is not set or empty; put the PostgreSQL connection string in it",
			s.spec.DSNEnv)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's message quotes the connection string: never pass it on.
		return nil, scrubber{}, fmt.Errorf("the connection string in %s is not valid; use postgres://user@host:5432/db or host=… dbname=… form",
			s.spec.DSNEnv)
	}
	sc := newScrubber(dsn, cfg.Password)
	settings := sessionSettings()
	for k := range cfg.RuntimeParams {
		if _, ours := settings[strings.ToLower(k)]; ours {
			delete(cfg.RuntimeParams, k)
		}
	}
	for k, v := range settings {
		cfg.RuntimeParams[k] = v
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "journey"
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, scrubber{}, fmt.Errorf("connect with the DSN in %s: %w", s.spec.DSNEnv, sc.scrub(ctx, err))
	}
	return conn, sc, nil
}

// scrubber removes secrets from error text.
type scrubber struct {
	secrets []string
}

func newScrubber(dsn, password string) scrubber {
	var sc scrubber
	add := func(v string) {
		if v = strings.TrimSpace(v); v != "" {
			sc.secrets = append(sc.secrets, v)
		}
	}
	add(dsn)
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		add(u.User.String())
		if p, ok := u.User.Password(); ok {
			add(url.QueryEscape(p))
			add(url.PathEscape(p))
		}
	}
	add(password)
	return sc
}

// scrub returns err with every secret replaced by "xxxxx". The result
// unwraps to the context's error when the context ended, else to the
// server's *pgconn.PgError if there is one, and to nothing else: pgx's
// connect errors carry the whole configuration, password included.
func (sc scrubber) scrub(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, s := range sc.secrets {
		msg = strings.ReplaceAll(msg, s, "xxxxx")
	}
	e := &scrubbed{msg: msg}
	var pgErr *pgconn.PgError
	switch {
	case ctx.Err() != nil:
		e.cause = ctx.Err()
	case errors.As(err, &pgErr):
		e.cause = pgErr
	}
	return e
}

type scrubbed struct {
	msg   string
	cause error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.cause }
