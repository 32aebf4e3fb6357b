package schedule

import (
	"errors"
	"time"
)

// Status is a snapshot of a daemon's state for health checks and metrics.
type Status struct {
	Owner           string        // this daemon's lock owner name
	NextFire        time.Time     // the next scheduled fire; zero before Run
	Running         string        // the date being built, "" when idle
	RunningSince    time.Time     // when that run started
	LastAsOf        string        // the date of the last finished run
	LastSuccess     time.Time     // when the last successful run finished
	LastSuccessAsOf string        // and its date
	LastDuration    time.Duration // how long the last finished run took
	LastError       string        // the last error of a run, the ledger or the lock
	LastErrorAt     time.Time     // when it happened
	LockHolder      string        // who holds the lock this daemon waits for; "" when not waiting
	Runs            int64         // runs started
	Failures        int64         // runs that failed, panicked or were cancelled
}

// Status returns the daemon's current state; safe for concurrent use.
func (d *Daemon) Status() Status {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.st
}

// setNext records the next fire.
func (d *Daemon) setNext(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.st.NextFire = t
}

// setLockHolder records who holds the lock ("" once this daemon has it).
func (d *Daemon) setLockHolder(holder string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.st.LockHolder = holder
}

// noteError records an error that is not a run's and logs it.
func (d *Daemon) noteError(err error) {
	d.mu.Lock()
	d.st.LastError, d.st.LastErrorAt = err.Error(), d.deps.Clock.Now()
	d.mu.Unlock()
	d.deps.Log.Error().Err(err).Msg("schedule")
}

// begin records the start of a run and counts the attempt.
func (d *Daemon) begin(asOf string, at time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.st.Running, d.st.RunningSince = asOf, at
	d.st.Runs++
	day := LocalDate(at, d.sched.Location())
	a := d.attempts[asOf]
	if a.day != day {
		a = attempt{day: day}
	}
	a.n++
	d.attempts[asOf] = a
}

// finish records and logs the outcome of a run.
func (d *Daemon) finish(asOf string, start, end time.Time, err error) {
	d.mu.Lock()
	d.st.Running, d.st.RunningSince = "", time.Time{}
	d.st.LastAsOf, d.st.LastDuration = asOf, end.Sub(start)
	if err == nil {
		d.st.LastSuccess, d.st.LastSuccessAsOf = end, asOf
	} else {
		d.st.Failures++
		d.st.LastError, d.st.LastErrorAt = err.Error(), end
	}
	d.mu.Unlock()
	ev := d.deps.Log.Info()
	if err != nil {
		ev = d.deps.Log.Error().Err(err)
		var pe *PanicError
		if errors.As(err, &pe) {
			ev = ev.Bytes("stack", pe.Stack)
		}
	}
	ev.Str("as_of", asOf).Dur("duration", end.Sub(start)).Msg("snapshot run finished")
}

// attempt counts one date's runs on one local day.
type attempt struct {
	day string
	n   int
}

// canAttempt reports whether asOf has runs left today.
func (d *Daemon) canAttempt(asOf string, now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	a, ok := d.attempts[asOf]
	return !ok || a.day != LocalDate(now, d.sched.Location()) || a.n < d.cfg.MaxAttempts
}

// forgetAttempts drops the counts of dates no longer in the window.
func (d *Daemon) forgetAttempts(window []string) {
	keep := make(map[string]bool, len(window))
	for _, w := range window {
		keep[w] = true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for k := range d.attempts {
		if !keep[k] {
			delete(d.attempts, k)
		}
	}
}
