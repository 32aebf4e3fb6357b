// Package progress reports long work, such as a backfill of many snapshots:
// live bars on a terminal (vbauerster/mpb), and on anything else periodic
// JSON log lines through zerolog that an operator's log search can follow.
package progress

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Reporter owns the display of every task. Create it with New and call
// Close when the work is done.
type Reporter struct {
	log      zerolog.Logger
	bars     *mpb.Progress // nil when not on a terminal
	interval time.Duration
	stop     chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	tasks    []*Task
}

// Task is one counted piece of work.
type Task struct {
	r                  *Reporter
	name               string
	total              int64
	done, failed       int64
	bar                *mpb.Bar
	mu                 sync.Mutex
	finished, reported bool
}

// New reports to w: bars when w is a terminal, otherwise a JSON line per
// task on log every interval (and when a task finishes).
func New(w io.Writer, log zerolog.Logger, interval time.Duration) *Reporter {
	r := &Reporter{log: log, interval: interval, stop: make(chan struct{})}
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		r.bars = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))
		return r
	}
	r.wg.Add(1)
	go r.tick()
	return r
}

// Task starts a task of total steps.
func (r *Reporter) Task(name string, total int64) *Task {
	t := &Task{r: r, name: name, total: total}
	if r.bars != nil {
		t.bar = r.bars.AddBar(total,
			mpb.PrependDecorators(decor.Name(name+" ", decor.WC{W: len(name) + 1}), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.Percentage(), decor.Name(" "), decor.Elapsed(decor.ET_STYLE_GO)))
	}
	r.mu.Lock()
	r.tasks = append(r.tasks, t)
	r.mu.Unlock()
	return t
}

// Step counts one finished step; failed steps are counted apart.
func (t *Task) Step(failed bool) {
	t.mu.Lock()
	t.done++
	if failed {
		t.failed++
	}
	t.mu.Unlock()
	if t.bar != nil {
		t.bar.Increment()
	}
}

// Finish ends the task (its bar completes; a last JSON line is written).
func (t *Task) Finish() {
	t.mu.Lock()
	t.finished = true
	t.mu.Unlock()
	if t.bar != nil {
		t.bar.SetTotal(-1, true)
	}
}

// Close stops reporting after a last line or frame for every task.
func (r *Reporter) Close() {
	if r.bars != nil {
		r.bars.Wait()
		return
	}
	close(r.stop)
	r.wg.Wait()
	r.report()
}

func (r *Reporter) tick() {
	defer r.wg.Done()
	tk := time.NewTicker(r.interval)
	defer tk.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-tk.C:
			r.report()
		}
	}
}

// report logs every task that is still running, and each finished task once.
func (r *Reporter) report() {
	r.mu.Lock()
	tasks := append([]*Task(nil), r.tasks...)
	r.mu.Unlock()
	for _, t := range tasks {
		t.mu.Lock()
		if t.reported {
			t.mu.Unlock()
			continue
		}
		t.reported = t.finished
		done, failed, total, finished := t.done, t.failed, t.total, t.finished
		t.mu.Unlock()
		r.log.Info().Str("task", t.name).Int64("done", done).Int64("failed", failed).Int64("total", total).
			Bool("finished", finished).Msg("progress")
	}
}
