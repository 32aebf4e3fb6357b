package pipeline

import (
	"context"
	"io/fs"
	"path/filepath"
	"sync/atomic"
	"time"
)

// spillInterval is how often the spill sampler measures the temp folder.
const spillInterval = 250 * time.Millisecond

// spillSampler polls the size of the run's DuckDB temp folder, where
// operators spill beyond the memory limit, and keeps the largest size seen.
// DuckDB reuses and frees blocks of its temp files, so the folder's size
// is what was spilled at that moment, not the total ever written.
type spillSampler struct {
	dir  string
	peak atomic.Int64
	stop chan struct{}
	done chan struct{}
}

// watchSpill starts sampling the temp folder of the open database and
// returns the function that stops sampling. The peak goes into the
// manifest just before it is committed (recordSpill).
func (r *run) watchSpill(ctx context.Context) (stop func()) {
	var dir string
	if err := r.db.QueryRowContext(ctx, "SELECT current_setting('temp_directory')").Scan(&dir); err != nil || dir == "" {
		r.opt.Log.Warn().Err(err).Msg("spill sampler: the temp folder is unknown; spill is not measured")
		return func() {}
	}
	s := &spillSampler{dir: dir, stop: make(chan struct{}), done: make(chan struct{})}
	r.spill = s
	go s.loop()
	return func() {
		close(s.stop)
		<-s.done
	}
}

// recordSpill writes the peak measured so far into the manifest. It is
// called just before the manifest is committed.
func (r *run) recordSpill() {
	if r.spill != nil {
		r.spill.sample()
		r.manifest.SpillPeakBytes = r.spill.peak.Load()
	}
}

func (s *spillSampler) loop() {
	defer close(s.done)
	t := time.NewTicker(spillInterval)
	defer t.Stop()
	for {
		s.sample()
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
	}
}

// sample measures the folder once and raises the peak if it grew.
func (s *spillSampler) sample() {
	n := dirSize(s.dir)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

// dirSize is the total size of the regular files under dir; a folder that
// does not exist (DuckDB creates it on the first spill) or a file removed
// while walking counts as empty.
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			n += info.Size()
		}
		return nil
	})
	return n
}
