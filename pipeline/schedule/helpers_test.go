package schedule_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/journeydata/journey/pipeline/schedule"
	"github.com/journeydata/journey/pipeline/schedule/schedtest"
)

// world is what several daemons share: a fake clock, a ledger, a lock, and
// a recorder of every run. Use it inside synctest.Test.
type world struct {
	t      *testing.T
	clock  *schedtest.Clock
	ledger *schedtest.Ledger
	locker *schedtest.Locker

	mu       sync.Mutex
	runs     []runRec
	inFlight int
	maxIn    int
	// took is how long a run takes; behave, if set, decides its outcome
	// after that (nil: success, marking the ledger).
	took   time.Duration
	behave func(ctx context.Context, owner, asOf string, attempt int) error
}

// runRec is one started run.
type runRec struct {
	owner, asOf string
	at          time.Time
	err         error
}

func newWorld(t *testing.T, start time.Time, complete ...string) *world {
	clock := schedtest.NewClock(start)
	return &world{t: t, clock: clock, ledger: schedtest.NewLedger(complete...), locker: schedtest.NewLocker(clock)}
}

// runner returns owner's Runner.
func (w *world) runner(owner string) schedule.Runner { return runnerFunc{w: w, owner: owner} }

type runnerFunc struct {
	w     *world
	owner string
}

func (r runnerFunc) Run(ctx context.Context, asOf string) error {
	w := r.w
	i, attempt := w.start(r.owner, asOf)
	err := errors.New("panicked") // unless work returns
	defer func() { w.end(i, err) }()
	err = w.work(ctx, r.owner, asOf, attempt)
	return err
}

// work takes w.took, then behaves, then marks the ledger on success.
func (w *world) work(ctx context.Context, owner, asOf string, attempt int) error {
	err := w.clock.Sleep(ctx, w.took)
	if err == nil && w.behave != nil {
		err = w.behave(ctx, owner, asOf, attempt)
	}
	if err == nil {
		w.ledger.MarkComplete(asOf)
	}
	return err
}

func (w *world) start(owner, asOf string) (index, attempt int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.inFlight++
	w.maxIn = max(w.maxIn, w.inFlight)
	for _, r := range w.runs {
		if r.asOf == asOf {
			attempt++
		}
	}
	w.runs = append(w.runs, runRec{owner: owner, asOf: asOf, at: w.clock.Now()})
	return len(w.runs) - 1, attempt + 1
}

func (w *world) end(index int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.inFlight--
	w.runs[index].err = err
}

// record returns the runs so far as "asOf@time" in loc, with "!" for a
// failure and the owner if several daemons ran.
func (w *world) record(loc *time.Location, withOwner bool) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, r := range w.runs {
		s := r.asOf + "@" + r.at.In(loc).Format("01-02 15:04 MST")
		if r.err != nil {
			s += "!"
		}
		if withOwner {
			s += " by " + r.owner
		}
		out = append(out, s)
	}
	return out
}

// dates returns the dates of the runs so far.
func (w *world) dates() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, r := range w.runs {
		out = append(out, r.asOf)
	}
	return out
}

// daemon builds a daemon on the world's clock, ledger and runner; locker
// nil means the world's.
func (w *world) daemon(cfg schedule.Config, owner string, locker schedule.Locker) *schedule.Daemon {
	w.t.Helper()
	if locker == nil {
		locker = w.locker
	}
	d, err := schedule.New(cfg, schedule.Deps{Clock: w.clock, Ledger: w.ledger, Locker: locker, Runner: w.runner(owner), Owner: owner})
	if err != nil {
		w.t.Fatal(err)
	}
	return d
}

// running is a started daemon.
type running struct {
	d       *schedule.Daemon
	cancel  context.CancelFunc
	done    chan struct{}
	err     error
	stopped time.Time
}

// launch starts d.Run and lets it settle.
func (w *world) launch(d *schedule.Daemon) *running {
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{d: d, cancel: cancel, done: make(chan struct{})}
	go func() {
		r.err = d.Run(ctx)
		r.stopped = w.clock.Now()
		close(r.done)
	}()
	synctest.Wait()
	return r
}

// stop cancels the daemons and moves the clock until they have returned.
func (w *world) stop(rs ...*running) {
	w.t.Helper()
	for _, r := range rs {
		r.cancel()
	}
	for _, r := range rs {
		for !isClosed(r.done) {
			if !w.clock.Step() && !isClosed(r.done) {
				w.t.Fatal("daemon does not stop and nothing sleeps")
			}
		}
		if r.err != nil {
			w.t.Errorf("Run = %v", r.err)
		}
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func config(spec string, loc *time.Location) schedule.Config {
	return schedule.Config{Cron: spec, Location: loc}
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}
