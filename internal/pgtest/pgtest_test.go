package pgtest_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/journeydata/journey/internal/pgtest"
)

var pg pgtest.Shared

func TestMain(m *testing.M) { os.Exit(pg.Main(m)) }

// TestServer starts the shared server, creates a database in it, and ends a
// session from another connection.
func TestServer(t *testing.T) {
	ctx := context.Background()
	srv := pg.Get(t)
	dsn := srv.NewDatabase(t) + " application_name=pgtest_victim"
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var v string
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v[:3] != "15." {
		t.Errorf("server version %s, want 15.x", v)
	}
	n, err := srv.TerminateBackends(ctx, "pgtest_victim")
	if err != nil || n != 1 {
		t.Fatalf("terminated %d sessions (%v), want 1", n, err)
	}
	if err := conn.Ping(ctx); err == nil {
		t.Error("ping after terminate succeeded")
	}
}

// TestCrash starts a server of its own and stops it abruptly.
func TestCrash(t *testing.T) {
	srv := pgtest.Start(t)
	if err := srv.Crash(); err != nil {
		t.Fatal(err)
	}
	if _, err := pgx.Connect(context.Background(), srv.DSN()); err == nil {
		t.Error("connect after crash succeeded")
	}
}
