package sinks

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/journeydata/journey/store"
)

// upload is one staged file on its way to the output root.
type upload struct {
	name, local string
	size        int64
	sum         uint32
	// old is the object under name before the publish, if any; same says
	// that it already holds exactly these bytes, so nothing is written.
	old  *store.ObjectInfo
	same bool
}

// options are the preconditions of the upload: the generation observed
// before, or that there is still no object.
func (u upload) options() store.WriteOptions {
	if u.old == nil {
		return store.WriteOptions{IfNotExist: true}
	}
	return store.WriteOptions{IfGenerationMatch: u.old.Generation}
}

// tablePlan is what publishing does to one table.
type tablePlan struct {
	table   Table
	uploads []upload
	// stale are the objects in the table's folder (journey_events) or in
	// this snapshot's partition that the new version does not have.
	stale []string
	// skipped says why the table is not published at all.
	skipped string
}

// plan is the whole publish, decided before anything is written.
type plan struct {
	tables []tablePlan
	// prior is the manifest of this snapshot's date before the publish (nil
	// for a new date) and priorGen its generation.
	prior    *Manifest
	priorGen int64
	// changes is set when a re-run changes bytes of the published snapshot:
	// its manifest is then withdrawn before the first of them is written.
	changes bool
}

// priorRun is the run whose snapshot this publish replaces, if any.
func (p plan) priorRun() string {
	if p.prior == nil {
		return ""
	}
	return p.prior.RunID
}

// plan lists what is published now and compares every staged file with the
// object it would replace. m.Tables names the staged files.
func (s Snapshot) plan(ctx context.Context, m *Manifest) (plan, error) {
	var p plan
	if err := s.readPrior(ctx, &p); err != nil {
		return p, err
	}
	latest, hasLatest, err := ReadLatest(ctx, s.Out)
	if err != nil {
		return p, err
	}
	for _, t := range Tables() {
		tp := tablePlan{table: t}
		if t.Partition == ByEventMonth && hasLatest && latest.AsOf > s.AsOf {
			tp.skipped = fmt.Sprintf("not published: %s keeps the version of the newer snapshot %s", t.Name, latest.AsOf)
		} else if err := s.planTable(ctx, &tp, m.Tables[t.Name].Files); err != nil {
			return p, fmt.Errorf("plan %s: %w", t.Name, err)
		}
		if t.Partition == BySnapshot && p.prior != nil && tp.touches() {
			p.changes = true
		}
		p.tables = append(p.tables, tp)
	}
	return p, nil
}

// readPrior reads the manifest of this snapshot's date, if there is one.
func (s Snapshot) readPrior(ctx context.Context, p *plan) error {
	b, gen, err := s.Out.readVersion(ctx, ManifestName(s.AsOf))
	if errors.Is(err, store.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read manifest of %s: %w", s.AsOf, err)
	}
	if p.prior, err = decodeManifest(s.AsOf, b); err != nil {
		return err
	}
	p.priorGen = gen
	return nil
}

// planTable compares the staged files with the table's published objects.
func (s Snapshot) planTable(ctx context.Context, tp *tablePlan, files []string) error {
	existing, err := s.Out.List(ctx, s.prefix(tp.table))
	if err != nil && !errors.Is(err, store.ErrNotExist) {
		return err
	}
	for _, name := range files {
		u := upload{name: name, local: s.staged(name)}
		if u.size, u.sum, err = fileCRC(u.local); err != nil {
			return err
		}
		if i := slices.IndexFunc(existing, func(o store.ObjectInfo) bool { return o.Name == name }); i >= 0 {
			u.old = &existing[i]
			if u.same, err = s.Out.sameContent(ctx, *u.old, u.size, u.sum); err != nil {
				return err
			}
		}
		tp.uploads = append(tp.uploads, u)
	}
	for _, o := range existing {
		if !slices.Contains(files, o.Name) {
			tp.stale = append(tp.stale, o.Name)
		}
	}
	return nil
}

// touches reports whether publishing the table writes or deletes anything.
func (tp tablePlan) touches() bool {
	if tp.skipped != "" {
		return false
	}
	return len(tp.stale) > 0 || slices.ContainsFunc(tp.uploads, func(u upload) bool { return !u.same })
}

// prefix is the folder of the table that this snapshot replaces: its own
// partition, or the whole table for one replaced whole.
func (s Snapshot) prefix(t Table) string {
	if d := s.partDir(t); d != "" {
		return t.Name + "/" + d + "/"
	}
	return t.Name + "/"
}
