package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/journeydata/journey/internal/gen"
)

// datasetKey names a generated data set in the bench cache: the same key
// gives the same files.
type datasetKey struct {
	Customers int     `json:"customers"`
	Seed      uint64  `json:"seed"`
	Format    string  `json:"format"`
	Dirt      float64 `json:"dirt"`
}

// dir is the key's folder name in the cache.
func (k datasetKey) dir() string {
	return fmt.Sprintf("customers-%d_seed-%d_%s_dirt-%s", k.Customers, k.Seed, k.Format, strconv.FormatFloat(k.Dirt, 'g', -1, 64))
}

// completeMarker is written into a data set's folder once it is wholly
// generated; a folder without it is not reused.
const completeMarker = ".bench-complete.json"

// marker is the content of completeMarker: what was generated and how long
// it took.
type marker struct {
	datasetKey
	GenerateSeconds  float64 `json:"generate_seconds"`
	GenerateMaxRSS   int64   `json:"generate_max_rss_bytes"`
	GeneratorVersion string  `json:"generator_version"`
}

// dataset is a generated data set ready to run.
type dataset struct {
	dir    string
	config string // its journey.yaml
	asOf   string // from truth.json
	info   benchDataset
}

// dataset returns the cached data set of key, generating it first (with
// `journey gen` in a child process) when it is missing or incomplete.
func (e env) dataset(ctx context.Context, exe, cache string, key datasetKey) (*dataset, error) {
	dir := filepath.Join(cache, key.dir())
	m, err := readMarker(dir)
	reused := err == nil
	if !reused {
		if m, err = e.generate(ctx, exe, dir, key); err != nil {
			return nil, err
		}
	} else {
		fmt.Fprintf(e.stderr, "journey bench: reusing the data set in %s\n", dir)
	}
	truth, err := gen.ReadTruth(dir)
	if err != nil {
		return nil, fmt.Errorf("read the data set's truth in %s: %w", dir, err)
	}
	bytes, files := folderSize(dir)
	return &dataset{dir: dir, config: filepath.Join(dir, gen.ConfigFile), asOf: truth.AsOf, info: benchDataset{
		datasetKey: key, Dir: dir, Reused: reused, AsOf: truth.AsOf, Bytes: bytes, Files: files,
		GenerateSeconds: m.GenerateSeconds, GenerateMaxRSS: m.GenerateMaxRSS,
	}}, nil
}

// readMarker reads the complete-marker of the data set in dir.
func readMarker(dir string) (marker, error) {
	var m marker
	b, err := os.ReadFile(filepath.Join(dir, completeMarker))
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(b, &m)
}

// generate writes the data set of key into a fresh folder beside dir, marks
// it complete and renames it to dir, so that an interrupted generation is
// never taken for a data set.
func (e env) generate(ctx context.Context, exe, dir string, key datasetKey) (marker, error) {
	m := marker{datasetKey: key, GeneratorVersion: Version}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return m, fmt.Errorf("create the bench cache: %w", err)
	}
	// Leftovers: an incomplete folder at dir, or partial folders of
	// interrupted generations of the same key.
	stale, _ := filepath.Glob(dir + ".partial-*")
	for _, p := range append(stale, dir) {
		if err := os.RemoveAll(p); err != nil {
			return m, fmt.Errorf("remove the incomplete data set %s: %w", p, err)
		}
	}
	partial := fmt.Sprintf("%s.partial-%d", dir, os.Getpid())
	fmt.Fprintf(e.stderr, "journey bench: generating %s customers (seed %d, %s, dirt %g) into %s\n",
		thousands(int64(key.Customers)), key.Seed, key.Format, key.Dirt, dir)
	cmd := child(ctx, exe, "gen", "--customers", strconv.Itoa(key.Customers),
		"--seed", strconv.FormatUint(key.Seed, 10), "--format", key.Format,
		"--dirt", strconv.FormatFloat(key.Dirt, 'g', -1, 64), "--out", partial)
	cmd.Stdout, cmd.Stderr = e.stderr, e.stderr
	start := e.now()
	err := cmd.Run()
	m.GenerateSeconds = e.now().Sub(start).Seconds()
	if err != nil {
		_ = os.RemoveAll(partial)
		if ctx.Err() != nil {
			return m, ctx.Err()
		}
		return m, fmt.Errorf("generate the data set (journey gen): %w", err)
	}
	m.GenerateMaxRSS = maxRSS(cmd.ProcessState)
	b, err := json.MarshalIndent(m, "", "  ")
	if err == nil {
		err = os.WriteFile(filepath.Join(partial, completeMarker), append(b, '\n'), 0o644)
	}
	if err == nil {
		err = os.Rename(partial, dir)
	}
	if err != nil {
		_ = os.RemoveAll(partial)
		return m, fmt.Errorf("mark the data set complete: %w", err)
	}
	return m, nil
}

// folderSize is the total size and number of the data files under dir.
func folderSize(dir string) (bytes int64, files int) {
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || p == filepath.Join(dir, completeMarker) {
			return nil
		}
		switch d.Name() {
		case gen.ConfigFile, gen.TruthFile:
			return nil
		}
		if info, err := d.Info(); err == nil {
			bytes += info.Size()
			files++
		}
		return nil
	})
	return bytes, files
}
