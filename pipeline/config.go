package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/journeydata/journey/internal/check"
	"github.com/journeydata/journey/pipeline/gates"
	"github.com/journeydata/journey/sources"
)

// Config is journey.yaml: the business time zone, where outputs go, how
// DuckDB may use the machine, metric settings and the sources.
type Config struct {
	// Timezone is the business time zone: a snapshot for day D holds what
	// happened before the end of D there. Default UTC.
	Timezone string `yaml:"timezone"`
	// Output is the output root: a local folder (relative paths are
	// relative to the config file) or gs://bucket/prefix.
	Output string `yaml:"output"`
	// WorkDir holds the run's DuckDB database and spill files; default a
	// folder under the system temp directory.
	WorkDir string         `yaml:"work_dir"`
	DuckDB  DuckDBSettings `yaml:"duckdb"`
	Metrics Metrics        `yaml:"metrics"`
	Gates   gates.Config   `yaml:"gates"`
	PII     PII            `yaml:"pii"`
	// Schedule configures `journey schedule`.
	Schedule ScheduleSettings `yaml:"schedule"`
	// Retention and Publish govern the output root (see publishing.go).
	Retention Retention       `yaml:"retention"`
	Publish   PublishSettings `yaml:"publish"`
	// Sharding configures sharded runs (see shard.go).
	Sharding Sharding       `yaml:"sharding"`
	Sources  []sources.Spec `yaml:"sources"`

	// Path is the file the configuration was read from ("" when built in code).
	Path string `yaml:"-"`
	// Hash is the SHA-256 of the configuration file's bytes.
	Hash string `yaml:"-"`
}

// DuckDBSettings bound DuckDB's use of the machine.
type DuckDBSettings struct {
	MemoryLimit   string `yaml:"memory_limit"`   // e.g. 4GB; default DuckDB's (80 % of RAM)
	Threads       int    `yaml:"threads"`        // default: one per core
	TempDirectory string `yaml:"temp_directory"` // spill folder; default inside work_dir
}

// Sharding configures sharded runs.
type Sharding struct {
	// Count is the number of shards when a platform gives the shard's
	// index alone (JOB_COMPLETION_INDEX); JOURNEY_SHARD_COUNT overrides it.
	Count int `yaml:"count"`
}

// Metrics holds the windows and horizons of the metric definitions.
type Metrics struct {
	SurveyWindowDays   int     `yaml:"survey_window_days"`   // NPS/CSAT/CES window in kpi_daily (90)
	ActivityWindowDays int     `yaml:"activity_window_days"` // "active" and 90-day touchpoints (90)
	NegativeWindowDays int     `yaml:"negative_window_days"` // negative experiences window (90)
	RepeatWindowDays   int     `yaml:"repeat_window_days"`   // repeat purchase rate window (365)
	LapsedAfterDays    int     `yaml:"lapsed_after_days"`    // journey stage "lapsed" after this (365)
	CLVMonths          int     `yaml:"clv_months"`           // CLV horizon (12)
	CLVMonthlyDiscount float64 `yaml:"clv_monthly_discount"` // CLV monthly discount rate (0.01)
}

// Dir is the folder relative paths of the configuration are resolved against.
func (c *Config) Dir() string {
	if c.Path == "" {
		return "."
	}
	return filepath.Dir(c.Path)
}

// Resolve turns a path of the configuration into a usable one.
func (c *Config) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || strings.Contains(p, "://") {
		return p
	}
	return filepath.Join(c.Dir(), p)
}

// Location is the business time zone.
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Load reads, defaults and validates a configuration file. A *check.Error
// lists every problem found.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		l := check.NewList()
		l.Add("config", "pass --config with the path of your journey.yaml", "cannot read %s: %v", path, errors.Unwrap(err))
		return nil, l.Err()
	}
	c, err := Parse(b)
	if err != nil {
		var ce *check.Error
		if errors.As(err, &ce) {
			ce.Source = path
		}
		return nil, err
	}
	c.Path = path
	return c, nil
}

// Parse decodes, defaults and validates configuration bytes.
func Parse(b []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, yamlProblems(err)
	}
	sum := sha256.Sum256(b)
	c.Hash = hex.EncodeToString(sum[:])
	c.applyDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

var (
	yamlLine     = regexp.MustCompile(`line (\d+): (.*)`)
	unknownField = regexp.MustCompile(`^field (\S+) not found in type`)
)

// yamlProblems turns decoder errors into problems naming the line.
func yamlProblems(err error) error {
	l := check.NewList()
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, e := range te.Errors {
			field, msg := "yaml", e
			if m := yamlLine.FindStringSubmatch(e); m != nil {
				field, msg = "line "+m[1], m[2]
			}
			if m := unknownField.FindStringSubmatch(msg); m != nil {
				msg = fmt.Sprintf("unknown field %q", m[1])
			}
			l.Add(field, "check the spelling and type against the configuration reference in the README", "%s", msg)
		}
		return l.Err()
	}
	l.Add("yaml", "fix the YAML syntax", "%v", err)
	return l.Err()
}

func (c *Config) applyDefaults() {
	if c.Timezone == "" {
		c.Timezone = "UTC"
	}
	if c.Output == "" {
		c.Output = "out"
	}
	m := &c.Metrics
	defaultInt(&m.SurveyWindowDays, 90)
	defaultInt(&m.ActivityWindowDays, 90)
	defaultInt(&m.NegativeWindowDays, 90)
	defaultInt(&m.RepeatWindowDays, 365)
	defaultInt(&m.LapsedAfterDays, 365)
	defaultInt(&m.CLVMonths, 12)
	if m.CLVMonthlyDiscount == 0 {
		m.CLVMonthlyDiscount = 0.01
	}
	c.Gates.ApplyDefaults()
	c.PII.applyDefaults()
	if c.Schedule.Listen == "" {
		c.Schedule.Listen = DefaultListen
	}
	c.Publish.applyDefaults()
	for i := range c.Sources {
		if c.Sources[i].Kind == "" {
			c.Sources[i].Kind = "file"
		}
	}
}

func defaultInt(v *int, def int) {
	if *v == 0 {
		*v = def
	}
}
