package gen

import (
	"context"
	"runtime"
	"sync"
)

// job is one block to generate and the channel its output arrives on.
type job struct {
	block int
	done  chan *blockOut
}

// generate makes every block of customers on o.Workers goroutines and hands
// the blocks to write one at a time, in block order, so the files come out
// the same whatever the scheduling. At most three blocks per worker are in
// memory at once. After write fails, or ctx ends, the remaining blocks are
// not written.
func generate(ctx context.Context, o *Options, cal *calendar, l layout, write func(*blockOut) error) error {
	workers := o.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job)
	order := make(chan chan *blockOut, 2*workers)
	pool := &sync.Pool{New: func() any { return new(blockOut) }}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(newMaker(o, cal, l), jobs, pool)
		}()
	}
	go dispatch(ctx, l.blocks, jobs, order)
	err := collect(order, pool, write, cancel)
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// work generates the blocks of the jobs it takes.
func work(m *maker, jobs <-chan job, pool *sync.Pool) {
	for j := range jobs {
		out := pool.Get().(*blockOut)
		m.run(j.block, out)
		j.done <- out
	}
}

// dispatch hands out the blocks in order and queues their output channels
// in the same order, until ctx ends; it closes both channels.
func dispatch(ctx context.Context, blocks int, jobs chan<- job, order chan<- chan *blockOut) {
	defer close(order)
	defer close(jobs)
	for b := range blocks {
		done := make(chan *blockOut, 1)
		select {
		case jobs <- job{b, done}:
		case <-ctx.Done():
			return
		}
		order <- done // its job is taken: the block will arrive
	}
}

// collect writes the blocks in order; after an error it cancels the rest
// and drains what is under way.
func collect(order <-chan chan *blockOut, pool *sync.Pool, write func(*blockOut) error, cancel func()) error {
	var err error
	for done := range order {
		out := <-done
		if err == nil {
			if err = write(out); err != nil {
				cancel()
			}
		}
		pool.Put(out)
	}
	return err
}
