package store

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// maxNameLen is the GCS limit on object names, applied to both backends so
// that a name valid on one is valid on the other.
const maxNameLen = 1024

// checkName enforces the name rules of the package documentation.
func checkName(name string) error {
	if name == "" {
		return errors.New("empty name")
	}
	if len(name) > maxNameLen {
		return fmt.Errorf("invalid name %q: longer than %d bytes", name, maxNameLen)
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("invalid name %q: not valid UTF-8", name)
	}
	if strings.HasPrefix(name, "/") {
		return fmt.Errorf("invalid name %q: it starts with '/', but names are relative to the root", name)
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f {
			return fmt.Errorf("invalid name %q: it contains a control character", name)
		}
	}
	for _, seg := range strings.Split(name, "/") {
		switch seg {
		case "":
			return fmt.Errorf("invalid name %q: empty segment (\"//\" or a trailing '/')", name)
		case ".", "..":
			return fmt.Errorf("invalid name %q: %q segments are not allowed", name, seg)
		}
	}
	return nil
}

// checkPrefix accepts "" (everything) and otherwise a name, optionally
// followed by one '/'.
func checkPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	return checkName(strings.TrimSuffix(prefix, "/"))
}

// hidden reports whether name's base starts with '.', which List and Glob
// skip (see the package documentation).
func hidden(name string) bool {
	return strings.HasPrefix(path.Base(name), ".")
}
