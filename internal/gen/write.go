package gen

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// ErrOutputFolder marks an output folder Write refuses to write into.
var ErrOutputFolder = errors.New("unusable output folder")

// Summary is what Write produced.
type Summary struct {
	Dir   string     // the output folder
	Files []FileInfo // data files, per source in part order
	Truth Truth
	// Generate and Convert are the times spent writing rows and converting
	// staging CSV to Parquet; zero unless Options.Now is set.
	Generate, Convert time.Duration
}

// Write generates the data set described by opts into opts.Out: the
// exports (see the package documentation), truth.json and journey.yaml.
// The folder must be absent, empty, or hold an earlier data set (a
// truth.json), whose files are replaced. Invalid options are reported
// before anything is written; after a failure (or when ctx ends) the files
// written so far are removed.
func Write(ctx context.Context, opts Options) (*Summary, error) {
	o := opts.withDefaults()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o.From, o.To = civil(o.From), civil(o.To)
	cal, err := newCalendar(o.From, o.To)
	if err != nil {
		return nil, err
	}
	if err := prepareDir(o.Out); err != nil {
		return nil, err
	}
	l := newLayout(&o)
	tick := stopwatch(o.Now)
	s := newSink(o.Out, l, &maker{})
	err = generate(ctx, &o, cal, l, s.write)
	if cerr := s.close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.remove()
		return nil, fmt.Errorf("generate: %w", err)
	}
	sum := &Summary{Dir: o.Out, Generate: tick()}
	if err := finish(ctx, &o, l, s, sum, tick); err != nil {
		s.remove()
		return nil, err
	}
	return sum, nil
}

// finish converts the Parquet files and writes truth.json and journey.yaml.
func finish(ctx context.Context, o *Options, l layout, s *sink, sum *Summary, tick func() time.Duration) error {
	slices.SortStableFunc(s.files, func(a, b FileInfo) int {
		return entityOf(a.Source) - entityOf(b.Source)
	})
	if err := convertParquet(ctx, o.Out, s.files); err != nil {
		return err
	}
	sum.Convert = tick()
	sum.Files, sum.Truth = s.files, newTruth(o, l, s)
	if err := writeJSON(o.Out, TruthFile, sum.Truth); err != nil {
		return err
	}
	return writeConfig(o.Out, &sum.Truth, l)
}

// stopwatch returns a function that reports the time since its last call,
// or always 0 without a clock.
func stopwatch(now func() time.Time) func() time.Duration {
	if now == nil {
		return func() time.Duration { return 0 }
	}
	last := now()
	return func() time.Duration {
		t := now()
		d := t.Sub(last)
		last = t
		return d
	}
}

// prepareDir creates dir, or empties it of an earlier data set: the files
// its truth.json lists, the configuration and the staging folder. Any other
// non-empty folder is refused, so that nothing else is overwritten.
func prepareDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("%w: %v", ErrOutputFolder, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("%w: %v", ErrOutputFolder, err)
	case len(entries) == 0:
		return nil
	}
	old, err := ReadTruth(dir)
	if err != nil {
		return fmt.Errorf("%w: %s is not empty and holds no generated data set (no readable %s); choose an empty or new folder", ErrOutputFolder, dir, TruthFile)
	}
	remove := []string{TruthFile, ConfigFile, stagingDir}
	for _, src := range old.Sources {
		remove = append(remove, src.Files...)
	}
	for _, name := range remove {
		if !filepath.IsLocal(name) {
			return fmt.Errorf("%w: %s: %s lists %q, outside the folder; remove the folder yourself", ErrOutputFolder, dir, TruthFile, name)
		}
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("remove the earlier data set: %w", err)
		}
	}
	return nil
}
