package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/journeydata/journey/pipeline"
	"github.com/journeydata/journey/sinks"
)

// runPlan is what every bench run reads and where it writes.
type runPlan struct {
	config   string // the configuration the runs read
	asOf     string
	dir      string // the runs' output folders and logs
	env      []string
	settings benchConfig
	cleanup  func()
}

// benchConfig is the DuckDB configuration the runs used.
type benchConfig struct {
	MemoryLimit string `json:"memory_limit"` // "" is DuckDB's default, 80 % of RAM
	Threads     int    `json:"threads"`      // 0 is one per core
	Config      string `json:"config"`
}

// prepareRuns returns the plan of the runs on ds: its configuration, or a
// copy beside it with duckdb.memory_limit set to memoryLimit.
func prepareRuns(ds *dataset, memoryLimit, dir string) (*runPlan, error) {
	p := &runPlan{config: ds.config, asOf: ds.asOf, dir: dir, env: os.Environ(), cleanup: func() {}}
	if memoryLimit != "" {
		copied, err := withMemoryLimit(ds.config, memoryLimit)
		if err != nil {
			return nil, err
		}
		p.config, p.cleanup = copied, func() { _ = os.Remove(copied) }
	}
	cfg, err := pipeline.Load(p.config)
	if err != nil {
		p.cleanup()
		return nil, fmt.Errorf("read the data set's configuration: %w", err)
	}
	p.settings = benchConfig{MemoryLimit: cfg.DuckDB.MemoryLimit, Threads: cfg.DuckDB.Threads, Config: p.config}
	if !cfg.PII.Keep() && os.Getenv(cfg.PII.KeyEnv) == "" {
		// The data are invented, as the demo's: a fixed key will do.
		p.env = append(p.env, cfg.PII.KeyEnv+"="+demoPIIKey)
	}
	return p, nil
}

// withMemoryLimit writes a copy of the configuration at path with
// duckdb.memory_limit set, beside it (its paths are relative to it), and
// returns the copy's path.
func withMemoryLimit(path, limit string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("set the memory limit: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return "", fmt.Errorf("set the memory limit: %s is not a YAML mapping (%v)", path, err)
	}
	duck := mappingValue(doc.Content[0], "duckdb")
	*mappingValue(duck, "memory_limit") = yaml.Node{Kind: yaml.ScalarNode, Value: limit}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return "", fmt.Errorf("set the memory limit: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".bench-*.yaml")
	if err == nil {
		_, err = f.Write(out)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return "", fmt.Errorf("set the memory limit: write the configuration's copy: %w", err)
	}
	return f.Name(), nil
}

// mappingValue returns the value node of key in the mapping m, adding an
// empty mapping under key when it is missing.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			if v.Kind != yaml.MappingNode {
				*v = yaml.Node{Kind: yaml.MappingNode}
			}
			return v
		}
	}
	v := &yaml.Node{Kind: yaml.MappingNode}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	return v
}

func (p *runPlan) logPath(i int) string { return filepath.Join(p.dir, "run-"+strconv.Itoa(i+1)+".log") }
func (p *runPlan) outPath(i int) string { return filepath.Join(p.dir, "out-"+strconv.Itoa(i+1)) }

// benchRun runs the pipeline once in a child process and reads back its
// manifest and peak RSS. The child's stderr (its JSON logs) goes to a log
// file.
func (e env) benchRun(ctx context.Context, exe string, p *runPlan, i int) (benchRunResult, error) {
	var res benchRunResult
	log, err := os.Create(p.logPath(i))
	if err != nil {
		return res, fmt.Errorf("create the run's log: %w", err)
	}
	defer log.Close()
	cmd := child(ctx, exe, "run", "--config", p.config, "--as-of", p.asOf, "--out", p.outPath(i))
	cmd.Env, cmd.Stdout, cmd.Stderr = p.env, log, log
	start := e.now()
	err = cmd.Run()
	res.WallSeconds = e.now().Sub(start).Seconds()
	if err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		return res, fmt.Errorf("%s (%w); its log is %s", lastLine(p.logPath(i), "journey run: "), err, p.logPath(i))
	}
	res.MaxRSSBytes = maxRSS(cmd.ProcessState)
	m, err := sinks.ReadManifest(p.outPath(i), p.asOf)
	if err != nil {
		return res, err
	}
	res.RunID, res.SpillPeakBytes, res.manifest = m.RunID, m.SpillPeakBytes, m
	res.Durations = maps.Clone(m.Durations)
	if res.Durations == nil {
		res.Durations = map[string]float64{}
	}
	// The manifest is committed inside the publish stage, so it cannot hold
	// that stage's time; the run's "stage finished" log lines do.
	for stage, seconds := range stageTimes(p.logPath(i)) {
		if _, ok := res.Durations[stage]; !ok {
			res.Durations[stage] = seconds
		}
	}
	return res, nil
}

// stageTimes reads the seconds of the "stage finished" lines of a run's
// JSON log.
func stageTimes(path string) map[string]float64 {
	out := map[string]float64{}
	f, err := os.Open(path)
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var l struct {
			Message string   `json:"message"`
			Stage   string   `json:"stage"`
			Seconds *float64 `json:"seconds"`
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Message == "stage finished" && l.Stage != "" && l.Seconds != nil {
			out[l.Stage] = *l.Seconds
		}
	}
	return out
}

// child is a command of this binary that is interrupted (SIGINT, as by
// Ctrl-C) when ctx is cancelled, so that it cleans up as it does for a
// user, and killed if it has not ended 30 s later.
func child(ctx context.Context, exe string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	return cmd
}

// lastLine is the last line of the file at path that starts with prefix
// (the reason a child printed before it failed), or prefix alone.
func lastLine(path, prefix string) string {
	b, _ := os.ReadFile(path)
	last := strings.TrimSpace(prefix)
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, prefix) {
			last = l
		}
	}
	return last
}
