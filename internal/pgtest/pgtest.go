// Package pgtest runs a throwaway PostgreSQL 15 server for tests, from
// Debian's binaries in /usr/lib/postgresql/15/bin: a fresh cluster in a temp
// folder (initdb), started on a free loopback port with fsync off (pg_ctl),
// stopped and removed when the test or the test binary ends.
//
// initdb refuses to run as root, so when the tests run as root the cluster
// folder is handed to the "postgres" user and initdb and pg_ctl run with
// that user's credentials.
//
// Starting a server takes about a second, so a test package normally starts
// one for all its tests and gives each test its own database:
//
//	var pg pgtest.Shared
//
//	func TestMain(m *testing.M) { os.Exit(pg.Main(m)) }
//
//	func TestX(t *testing.T) { dsn := pg.Get(t).NewDatabase(t) }
//
// A missing PostgreSQL installation fails the test (it never skips): run
// `make deps`, which installs Debian's postgresql package.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

// BinDir is where Debian installs the PostgreSQL 15 server programs.
const BinDir = "/usr/lib/postgresql/15/bin"

// errMissing is the error when the server programs are not installed.
var errMissing = errors.New("PostgreSQL 15 is not installed: run `make deps` (installs Debian's postgresql)")

// Server is one running PostgreSQL cluster. Its methods are safe for
// concurrent use.
type Server struct {
	dir  string // temp folder holding data/, the socket and the log
	port int
	cred *syscall.Credential // nil when not running as root

	mu      sync.Mutex
	stopped bool
	dbs     int // databases handed out by NewDatabase
}

// Start starts a server for one test and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Shared starts one server lazily for a whole test package; see the package
// documentation. The zero value is ready to use.
type Shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Get returns the package's server, starting it on the first call; a failed
// start fails every test that asks for it.
func (sh *Shared) Get(t testing.TB) *Server {
	t.Helper()
	sh.once.Do(func() { sh.srv, sh.err = start() })
	if sh.err != nil {
		t.Fatal(sh.err)
	}
	return sh.srv
}

// Main runs the package's tests and then stops the server if one was
// started; it returns the exit code for os.Exit.
func (sh *Shared) Main(m *testing.M) int {
	code := m.Run()
	sh.once.Do(func() {}) // a server can no longer be started
	if sh.srv != nil {
		sh.srv.Stop()
	}
	return code
}

// DSN is the connection string of the server's "postgres" database as the
// superuser postgres (trust authentication, no password).
func (s *Server) DSN() string { return s.dsn("postgres") }

func (s *Server) dsn(db string) string {
	return fmt.Sprintf("host=127.0.0.1 port=%d user=postgres dbname=%s sslmode=disable", s.port, db)
}

// NewDatabase creates an empty database for one test and returns its DSN,
// so tests sharing a server do not see each other's tables.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	s.mu.Lock()
	s.dbs++
	name := fmt.Sprintf("test_%d", s.dbs)
	s.mu.Unlock()
	if err := s.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return s.dsn(name)
}

// Exec runs statements on the "postgres" database on a new connection.
func (s *Server) Exec(ctx context.Context, sql string, args ...any) error {
	conn, err := pgx.Connect(ctx, s.DSN())
	if err != nil {
		return fmt.Errorf("pgtest: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		return fmt.Errorf("pgtest: %s: %w", firstLine(sql), err)
	}
	return nil
}

// TerminateBackends ends, from another connection, every session whose
// application_name is app (set it with application_name=… in the DSN), as
// an administrator or a failover would; it returns how many it ended.
func (s *Server) TerminateBackends(ctx context.Context, app string) (int, error) {
	conn, err := pgx.Connect(ctx, s.DSN())
	if err != nil {
		return 0, fmt.Errorf("pgtest: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var n int
	err = conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1 AND pid <> pg_backend_pid()`, app).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("pgtest: terminate backends of %q: %w", app, err)
	}
	return n, nil
}

// Crash stops the server abruptly (pg_ctl stop -m immediate), cutting every
// connection without a goodbye. The server is not restarted.
func (s *Server) Crash() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil
	}
	s.stopped = true
	defer os.RemoveAll(s.dir)
	return s.ctl("stop", "-m", "immediate")
}

// Stop shuts the server down and removes its folder; calling it again does
// nothing. Failures are reported on stderr: there is nobody to return them to.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	s.stopped = true
	if err := s.ctl("stop", "-m", "fast"); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	_ = os.RemoveAll(s.dir)
}

// start creates and starts a cluster, retrying with another port if the
// free port found was taken in the meantime.
func start() (*Server, error) {
	for _, p := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := os.Stat(filepath.Join(BinDir, p)); err != nil {
			return nil, errMissing
		}
	}
	cred, err := credential()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: create cluster folder: %w", err)
	}
	s := &Server{dir: dir, cred: cred}
	if err := s.initdb(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		if s.port, err = freePort(); err != nil {
			break
		}
		if err = s.ctl("start", "-w", "-t", "60", "-l", filepath.Join(dir, "log"), "-o", s.serverOptions()); err == nil {
			return s, nil
		}
		if attempt == 2 {
			break
		}
	}
	_ = os.RemoveAll(dir)
	return nil, err
}

func (s *Server) initdb() error {
	if s.cred != nil {
		if err := os.Chown(s.dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			return fmt.Errorf("pgtest: hand %s to the postgres user: %w", s.dir, err)
		}
	}
	return s.run("initdb", "-D", filepath.Join(s.dir, "data"), "-A", "trust", "--no-sync", "-U", "postgres",
		"-E", "UTF8", "--locale", "C", "--no-instructions")
}

func (s *Server) serverOptions() string {
	return fmt.Sprintf("-p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c listen_addresses=127.0.0.1",
		s.port, s.dir)
}

// ctl runs pg_ctl on the cluster.
func (s *Server) ctl(args ...string) error {
	return s.run("pg_ctl", append([]string{"-D", filepath.Join(s.dir, "data")}, args...)...)
}

// run runs a server program as the postgres user (when we are root),
// returning its output, and the server log's tail, on failure.
func (s *Server) run(prog string, args ...string) error {
	cmd := exec.Command(filepath.Join(BinDir, prog), args...)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	out, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
	if len(log) > 2000 {
		log = log[len(log)-2000:]
	}
	return fmt.Errorf("pgtest: %s %s: %w\n%s%s", prog, strings.Join(args, " "), err, out, log)
}

// credential is the postgres user's identity when running as root, else nil
// (the server then runs as the current user).
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgtest: look up the postgres user (initdb refuses to run as root): %w; %v", err, errMissing)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("pgtest: uid of postgres %q: %w", u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("pgtest: gid of postgres %q: %w", u.Gid, err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	return s
}
