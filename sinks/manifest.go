package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/journeydata/journey/store"
)

// Manifest describes one published snapshot. It is written last, as the
// commit point: a snapshot without a manifest is not published.
type Manifest struct {
	RunID      string                `json:"run_id"`
	AsOf       string                `json:"as_of"`
	Status     string                `json:"status"`
	Timezone   string                `json:"timezone"`
	Cutoff     string                `json:"cutoff"`
	ConfigHash string                `json:"config_hash"`
	Version    string                `json:"version"`
	StartedAt  string                `json:"started_at"`
	FinishedAt string                `json:"finished_at"`
	Tables     map[string]TableStats `json:"tables"`
	Sources    map[string]SourceInfo `json:"sources"`
	Identity   IdentityStats         `json:"identity"`
	Models     map[string]any        `json:"models,omitempty"`
	Gates      string                `json:"gates,omitempty"`
	Durations  map[string]float64    `json:"durations_seconds"`
	// SpillPeakBytes is the largest size of the run's DuckDB temp folder,
	// sampled every 250 ms: how much was spilled to disk at the peak.
	SpillPeakBytes int64 `json:"spill_peak_bytes"`
}

// TableStats is what was published of one table.
type TableStats struct {
	Rows int64 `json:"rows"`
	// Files are the table's files, relative to the output root.
	Files []string `json:"files"`
	// CRC32C maps each file to the CRC32C (Castagnoli) of its bytes, in hex,
	// as GCS reports it, so that a reader can check that a file is the one
	// this snapshot published.
	CRC32C map[string]string `json:"crc32c,omitempty"`
	// Skipped says why the files were not published, when they were not:
	// journey_events keeps the version of the newest snapshot, so a backfill
	// of an older date leaves it alone.
	Skipped string `json:"skipped,omitempty"`
}

// SourceInfo reconciles one source: read = loaded + rejected.
type SourceInfo struct {
	Entity   string      `json:"entity"`
	Read     int64       `json:"read"`
	Loaded   int64       `json:"loaded"`
	Rejected int64       `json:"rejected"`
	Inputs   []InputInfo `json:"inputs"`
}

// InputInfo fingerprints one input file or object.
type InputInfo struct {
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	ModTime string `json:"mod_time,omitempty"`
}

// IdentityStats counts how the records of the snapshot were matched to customers.
type IdentityStats struct {
	Records        int64   `json:"records"`
	MatchedByID    int64   `json:"matched_by_customer_id"`
	MatchedByEmail int64   `json:"matched_by_email"`
	Unmatched      int64   `json:"unmatched"`
	MatchRate      float64 `json:"match_rate"`
}

// manifestDir holds the manifests under the root.
const manifestDir = "_manifests/"

// ManifestName is the name of a snapshot's manifest under the output root.
func ManifestName(asOf string) string {
	return manifestDir + "snapshot_date=" + asOf + ".json"
}

// ManifestPath is where the manifest of a snapshot lives under a local root.
func ManifestPath(root, asOf string) string {
	return filepath.Join(root, filepath.FromSlash(ManifestName(asOf)))
}

// ReadManifest reads a snapshot's manifest from a local output root (tests
// and tools); LoadManifest reads it from any root.
func ReadManifest(root, asOf string) (*Manifest, error) {
	b, err := os.ReadFile(ManifestPath(root, asOf))
	if err != nil {
		return nil, fmt.Errorf("read manifest of %s: %w", asOf, err)
	}
	return decodeManifest(asOf, b)
}

// LoadManifest reads a snapshot's manifest; a snapshot that is not published
// gives an error matching store.ErrNotExist.
func LoadManifest(ctx context.Context, root *Root, asOf string) (*Manifest, error) {
	b, err := root.ReadFile(ctx, ManifestName(asOf))
	if err != nil {
		return nil, fmt.Errorf("read manifest of %s: %w", asOf, err)
	}
	return decodeManifest(asOf, b)
}

func decodeManifest(asOf string, b []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read manifest of %s: %w", asOf, err)
	}
	return &m, nil
}

// PublishedDates lists the dates of the published snapshots (those with a
// manifest), oldest first.
func PublishedDates(ctx context.Context, root *Root) ([]string, error) {
	infos, err := root.List(ctx, manifestDir)
	if errors.Is(err, store.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list published snapshots: %w", err)
	}
	var dates []string
	for _, o := range infos {
		rest, ok := strings.CutPrefix(o.Name, manifestDir+"snapshot_date=")
		if d, json := strings.CutSuffix(rest, ".json"); ok && json && !strings.Contains(d, "/") {
			dates = append(dates, d)
		}
	}
	slices.Sort(dates)
	return dates, nil
}

func encodeManifest(m *Manifest) ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	return append(b, '\n'), nil
}
