package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/journeydata/journey/sources"
)

// checkRejectRatios fails when a source rejected more than its
// max_reject_ratio of the records it read (records left out by its filters
// aside), naming the source and its most common reasons. It runs before
// anything is published.
func (r *run) checkRejectRatios(ctx context.Context, counts map[string]sources.Counts) error {
	for _, spec := range r.cfg.Sources {
		c := counts[spec.Name]
		if c.Read == 0 || spec.RejectLimit() >= 1 {
			continue
		}
		bad, err := r.db.Int64(ctx, `SELECT count(*) FROM rejects WHERE source = $1 AND NOT starts_with(reason, $2)`,
			spec.Name, sources.FilterReason)
		if err != nil {
			return fmt.Errorf("source %s: count rejects: %w", spec.Name, err)
		}
		ratio := float64(bad) / float64(c.Read)
		if ratio <= spec.RejectLimit() {
			continue
		}
		top, err := r.topReasons(ctx, spec.Name)
		if err != nil {
			return err
		}
		return sourceError{fmt.Errorf("source %s: %d of %d records rejected (%.1f %%), above max_reject_ratio %.1f %%; top reasons: %s; fix the mapping or the export, or raise sources[].max_reject_ratio",
			spec.Name, bad, c.Read, 100*ratio, 100*spec.RejectLimit(), top)}
	}
	return nil
}

// topReasons summarises the three most common reject reasons of a source,
// with quoted values folded so that one rule counts as one reason.
func (r *run) topReasons(ctx context.Context, source string) (string, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT regexp_replace(reason, '''[^'']*''', '''…''', 'g') AS why, count(*) AS n, min(location)
		FROM rejects WHERE source = $1 AND NOT starts_with(reason, $2)
		GROUP BY why ORDER BY n DESC, why LIMIT 3`, source, sources.FilterReason)
	if err != nil {
		return "", fmt.Errorf("source %s: summarise rejects: %w", source, err)
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var why, at string
		var n int64
		if err := rows.Scan(&why, &n, &at); err != nil {
			return "", fmt.Errorf("source %s: summarise rejects: %w", source, err)
		}
		parts = append(parts, fmt.Sprintf("%d × %s (e.g. %s)", n, why, at))
	}
	return strings.Join(parts, "; "), rows.Err()
}

// logUnmappedColumns notes, once per run, the source columns no field maps:
// schema drift such as a new column is ignored, not an error.
func (r *run) logUnmappedColumns(spec sources.Spec, have []string) {
	var extra []string
	for _, c := range have {
		mapped := false
		for _, col := range spec.Columns {
			mapped = mapped || col == c
		}
		if !mapped {
			extra = append(extra, c)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		r.opt.Log.Info().Str("source", spec.Name).Strs("columns", extra).Msg("source columns not in the mapping are ignored")
	}
}
