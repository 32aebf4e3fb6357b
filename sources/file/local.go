package file

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/journeydata/journey/sources"
)

// localFiles expands the path (relative to the config) into a sorted file
// list.
func (s *Source) localFiles() (fileSet, []sources.Input, error) {
	pattern := s.spec.Path
	if !filepath.IsAbs(pattern) {
		pattern = filepath.Join(s.baseDir, pattern)
	}
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return fileSet{}, nil, fmt.Errorf("source %s: path %q is not a valid glob: %w", s.spec.Name, s.spec.Path, err)
	}
	var files []string
	var inputs []sources.Input
	for _, m := range matches {
		st, err := os.Stat(m)
		if err != nil {
			return fileSet{}, nil, fmt.Errorf("source %s: stat %s: %w", s.spec.Name, m, err)
		}
		if st.IsDir() {
			continue
		}
		files = append(files, m)
		inputs = append(inputs, sources.Input{Name: s.rel(m), Size: st.Size(), ModTime: st.ModTime().UTC().Format(time.RFC3339)})
	}
	if len(files) == 0 {
		return fileSet{}, nil, fmt.Errorf("source %s: no file matches path %q (looked for %s); check sources[].path, which is relative to the config file",
			s.spec.Name, s.spec.Path, pattern)
	}
	slices.Sort(files)
	return fileSet{paths: files, baseDir: s.baseDir}, inputs, nil
}

// rel names a file relative to the configuration's folder when it is inside it.
func (s *Source) rel(path string) string {
	if r, err := filepath.Rel(s.baseDir, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(path)
}
