package gen

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// FileInfo describes one written file.
type FileInfo struct {
	Path   string `json:"path"` // relative to the output folder
	Source string `json:"source"`
	Entity string `json:"entity"`
	Format Format `json:"format"`
	Rows   int64  `json:"rows"`  // records (a CSV header is not one)
	Bytes  int64  `json:"bytes"` // file size
	text   string // where the rows went: the file, or its staging CSV
}

// sink writes blocks, in block order, to one open part file per entity.
type sink struct {
	dir    string
	l      layout
	hdr    *maker // renders the CSV header lines
	cur    [numEntities]*partFile
	files  []FileInfo
	paths  []string // every file created, to remove after a failure
	dirt   [numEntities][numDirt]int64
	counts Counts
}

type partFile struct {
	f    *os.File
	bw   *bufio.Writer
	info FileInfo
	part int
}

func newSink(dir string, l layout, hdr *maker) *sink {
	return &sink{dir: dir, l: l, hdr: hdr}
}

// write appends a block's rows to its part files and adds up its counts.
func (s *sink) write(out *blockOut) error {
	part := s.l.part(out.block)
	for e := range numEntities {
		pf, err := s.file(e, part)
		if err != nil {
			return err
		}
		bf := &out.files[e]
		if _, err := pf.bw.Write(bf.w.b); err != nil {
			return fmt.Errorf("write %s: %w", pf.info.text, err)
		}
		pf.info.Rows += int64(bf.w.rows)
		for k, n := range bf.dirt {
			s.dirt[e][k] += n
		}
	}
	s.counts.add(out.counts)
	return nil
}

// file returns the open part file of entity e, opening part p (and closing
// the previous part) when the block starts a new one.
func (s *sink) file(e, p int) (*partFile, error) {
	if pf := s.cur[e]; pf != nil && pf.part == p {
		return pf, nil
	}
	if err := s.closeFile(e); err != nil {
		return nil, err
	}
	path := s.l.textPath(s.dir, e, p)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	s.paths = append(s.paths, path, filepath.Join(s.dir, s.l.name(e, p)))
	spec := entitySpecs[e]
	pf := &partFile{f: f, bw: bufio.NewWriterSize(f, 1<<20), part: p, info: FileInfo{
		Path: s.l.name(e, p), Source: spec.source, Entity: spec.entity, Format: s.l.formats[e], text: path,
	}}
	s.cur[e] = pf
	if !s.l.json(e) {
		w := rowWriter{delim: spec.delim}
		s.hdr.header(e, &w)
		if _, err := pf.bw.Write(w.b); err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
	}
	return pf, nil
}

func (s *sink) closeFile(e int) error {
	pf := s.cur[e]
	if pf == nil {
		return nil
	}
	s.cur[e] = nil
	err := pf.bw.Flush()
	if cerr := pf.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", pf.info.text, err)
	}
	st, err := os.Stat(pf.info.text)
	if err != nil {
		return fmt.Errorf("write %s: %w", pf.info.text, err)
	}
	pf.info.Bytes = st.Size()
	s.files = append(s.files, pf.info)
	return nil
}

// remove closes and deletes every file written, after a failure.
func (s *sink) remove() {
	_ = s.close()
	for _, p := range s.paths {
		_ = os.Remove(p)
	}
	for _, name := range []string{stagingDir, TruthFile, ConfigFile} {
		_ = os.RemoveAll(filepath.Join(s.dir, name))
	}
}

// close closes every open part file, in entity order.
func (s *sink) close() error {
	var first error
	for e := range numEntities {
		if err := s.closeFile(e); err != nil && first == nil {
			first = err
		}
	}
	return first
}
