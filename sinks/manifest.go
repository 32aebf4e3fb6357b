package sinks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Manifest describes one published snapshot. It is written last; a
// snapshot without a manifest is not published.
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
}

// TableStats is what was published of one table.
type TableStats struct {
	Rows  int64    `json:"rows"`
	Files []string `json:"files"`
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

// ManifestPath is where the manifest of a snapshot lives under the root.
func ManifestPath(root, asOf string) string {
	return filepath.Join(root, "_manifests", "snapshot_date="+asOf+".json")
}

// ReadManifest reads a snapshot's manifest.
func ReadManifest(root, asOf string) (*Manifest, error) {
	b, err := os.ReadFile(ManifestPath(root, asOf))
	if err != nil {
		return nil, fmt.Errorf("read manifest of %s: %w", asOf, err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read manifest of %s: %w", asOf, err)
	}
	return &m, nil
}

// writeFileAtomic writes data to a hidden temporary file beside path,
// syncs it and renames it over path, so readers see the old or the new
// content, never a part.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
