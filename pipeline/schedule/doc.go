// Package schedule is the decision core of the `journey schedule` daemon:
// which snapshots are due, when to wake, and how to run them one at a time
// under a lock shared by every daemon, with an injected clock so that all of
// it is tested without sleeping.
//
// # Business dates and fire times
//
// A Schedule is a standard 5-field cron spec (or a descriptor such as
// @daily; @every is refused) read in an explicit business time zone. The run
// that fires on local day D+1 builds the snapshot for business date D
// ("yesterday"): the nightly 02:30 run on 2025-03-31 builds 2025-03-30. A
// schedule that fires several times on D+1 (e.g. "30 2-6 * * *") still
// produces D once; its later fires are retry ticks. D is due from its first
// fire on.
//
// # Daylight saving time
//
// robfig/cron skips a 02:30 job on spring-forward days and runs a 01:30 job
// twice on fall-back days. This package evaluates the cron spec on local
// wall-clock time, where neither happens, and turns each wall-clock fire
// into an instant with one rule: it fires at the earliest instant at which
// the local wall clock reads that time or later. So:
//
//   - a wall time that exists once fires then;
//   - a wall time in a spring-forward gap fires at the first instant after
//     the gap (Europe/Berlin 2025-03-30 02:30 fires at 03:00 CEST;
//     America/New_York 2025-03-09 02:30 at 03:00 EDT); several fires in one
//     gap collapse into that single instant;
//   - a wall time that a fall-back repeats fires at its first occurrence only
//     (America/New_York 2025-11-02 01:30 fires at 01:30 EDT, not again at
//     01:30 EST).
//
// On top of that, snapshots are deduplicated by business date, never by fire
// instant, and the ledger decides whether a date still needs a run.
//
// # The daemon
//
// Daemon.Run wakes at each fire time, asks the Ledger which of the most
// recent Config.MaxCatchUp scheduled dates are not complete, and if any are,
// takes the Locker's lock and runs them oldest first, one at a time,
// re-checking each under the lock. Missed fires while no daemon ran are
// caught up at start the same way. A date is never run twice once the ledger
// says it is complete; a failed or panicking run stays due and is retried at
// the next fire, at most Config.MaxAttempts times per date per local day. A
// daemon that finds the lock held retries when the holder's lease expires, so
// it takes over from a crashed daemon within one lock TTL. The lease is
// refreshed every third of its TTL during a run, and the run is cancelled if
// the lease is lost. When Run's context is cancelled, no new run starts; the
// current run keeps an uncancelled context for Config.Grace, then it is
// cancelled, and Run returns once it has returned.
//
// Nothing here reads the system clock: time comes from the Clock in Deps.
// Package schedtest holds a fake Clock, an in-memory Locker and Ledger.
package schedule
