package btyd

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// chunkSize is the number of rows in one unit of parallel work. It is fixed,
// not derived from the number of goroutines, so that sums built from
// per-chunk partial sums added in chunk order are bit-identical whatever the
// parallelism.
const chunkSize = 4096

// numChunks returns the number of chunks n rows are cut into.
func numChunks(n int) int { return (n + chunkSize - 1) / chunkSize }

// forEachChunk calls fn(k, lo, hi) once for every chunk k = 0..numChunks(n)-1
// covering rows [lo, hi), on at most workers goroutines, and returns when all
// calls have returned. fn must only write state owned by chunk k.
func forEachChunk(n, workers int, fn func(k, lo, hi int)) {
	chunks := numChunks(n)
	run := func(k int) { fn(k, k*chunkSize, min((k+1)*chunkSize, n)) }
	workers = min(workers, chunks)
	if workers <= 1 {
		for k := range chunks {
			run(k)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for k := int(next.Add(1)) - 1; k < chunks; k = int(next.Add(1)) - 1 {
				run(k)
			}
		})
	}
	wg.Wait()
}

// defaultWorkers returns w, or runtime.GOMAXPROCS(0) when w is 0.
func defaultWorkers(w int) int {
	if w == 0 {
		return runtime.GOMAXPROCS(0)
	}
	return w
}
