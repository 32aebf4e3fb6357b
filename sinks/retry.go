package sinks

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Policy bounds the requests that publishing makes to the output root. The
// store already retries transient HTTP failures (408, 429, 5xx, resets) with
// exponential backoff within RequestTimeout; Policy adds what the store does
// not do: an attempt whose request hangs is abandoned at its deadline and
// tried again, up to Attempts times.
type Policy struct {
	// RequestTimeout bounds one attempt of a request: a metadata call or a
	// small object, with the store's own retries. Transfers get one more
	// second per MiB on top. Zero means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// Attempts is how often a request that ran out of time is tried. Zero
	// means DefaultAttempts.
	Attempts int
	// Pause is the pause before the second attempt, doubled before each
	// further one. Zero means DefaultPause.
	Pause time.Duration
}

// Defaults for the zero Policy fields.
const (
	DefaultRequestTimeout = 2 * time.Minute
	DefaultAttempts       = 3
	DefaultPause          = time.Second
)

// bytesPerSecond is the slowest transfer rate an attempt is given time for.
const bytesPerSecond = 1 << 20

func (p Policy) withDefaults() Policy {
	if p.RequestTimeout <= 0 {
		p.RequestTimeout = DefaultRequestTimeout
	}
	if p.Attempts <= 0 {
		p.Attempts = DefaultAttempts
	}
	if p.Pause <= 0 {
		p.Pause = DefaultPause
	}
	return p
}

// deadline is the time one attempt that moves size bytes is given.
func (p Policy) deadline(size int64) time.Duration {
	return p.RequestTimeout + time.Duration(size/bytesPerSecond)*time.Second
}

// try runs fn, each attempt under its own deadline, and tries again when an
// attempt ran out of time while ctx did not. Any other error is final: the
// store has retried transient failures already. what names the request in
// the error.
func (p Policy) try(ctx context.Context, what string, size int64, fn func(context.Context) error) error {
	pause := p.Pause
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, p.deadline(size))
		err := fn(actx)
		timedOut := actx.Err() != nil || errors.Is(err, context.DeadlineExceeded)
		cancel()
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil || !timedOut:
			return err
		case attempt == p.Attempts:
			return fmt.Errorf("%s: gave up after %d attempts of %s each, none of which succeeded in time "+
				"(the store retries transient errors such as HTTP 503 within each attempt): %w", what, attempt, p.deadline(size), err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", what, ctx.Err())
		case <-time.After(pause):
		}
		pause *= 2
	}
}
