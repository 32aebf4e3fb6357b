package store

import (
	"fmt"
	"path"
	"strings"
)

// globPattern is a compiled Glob pattern: path.Match segments and "**".
type globPattern struct {
	segs   []string
	prefix string // longest literal prefix, unescaped
}

func compileGlob(pattern string) (globPattern, error) {
	if err := checkName(pattern); err != nil {
		return globPattern{}, err
	}
	segs := strings.Split(pattern, "/")
	for _, s := range segs {
		if strings.Contains(s, "**") && s != "**" {
			return globPattern{}, fmt.Errorf("pattern %q: '**' must be a whole segment: %w", pattern, path.ErrBadPattern)
		}
		if _, err := path.Match(s, ""); err != nil {
			return globPattern{}, fmt.Errorf("pattern %q: %w", pattern, err)
		}
	}
	return globPattern{segs: segs, prefix: literalPrefix(pattern)}, nil
}

// literalPrefix returns the part of pattern before its first unescaped
// '*', '?' or '[', with escapes resolved: every name matching pattern starts
// with it.
func literalPrefix(pattern string) string {
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; c {
		case '*', '?', '[':
			return b.String()
		case '\\':
			if i+1 < len(pattern) {
				i++
				b.WriteByte(pattern[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// match reports whether name matches the whole pattern.
func (g globPattern) match(name string) bool {
	return matchSegs(g.segs, strings.Split(name, "/"))
}

func matchSegs(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for len(pat) > 0 && pat[0] == "**" {
				pat = pat[1:]
			}
			for i := 0; i <= len(name); i++ {
				if matchSegs(pat, name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// mayContain reports whether some name inside folder dir (a name itself)
// could match, so that a local walk can skip whole folders.
func (g globPattern) mayContain(dir string) bool {
	for i, seg := range strings.Split(dir, "/") {
		if i >= len(g.segs) || g.segs[i] == "**" {
			return i < len(g.segs)
		}
		if i == len(g.segs)-1 {
			return false // the last pattern segment names objects, not folders
		}
		if ok, _ := path.Match(g.segs[i], seg); !ok {
			return false
		}
	}
	return true
}
