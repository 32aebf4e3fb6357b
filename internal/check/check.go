// Package check collects configuration problems, each naming the exact field
// (as a path such as "sources[2].columns.order_id"), what is wrong and how to
// fix it, so that `journey validate` can report every mistake at once.
package check

import (
	"fmt"
	"strings"
)

// Problem is one mistake in a configuration.
type Problem struct {
	Field   string // path of the field, e.g. "sources[1].timezone"
	Message string // what is wrong
	Fix     string // what to do about it
}

// String renders "field: message (fix: …)".
func (p Problem) String() string {
	s := p.Field + ": " + p.Message
	if p.Fix != "" {
		s += " (fix: " + p.Fix + ")"
	}
	return s
}

// List accumulates problems under a field path prefix.
type List struct {
	prefix   string
	problems *[]Problem
}

// NewList returns an empty list.
func NewList() List { return List{problems: new([]Problem)} }

// Under returns a view of the list that prefixes field names with path.
func (l List) Under(path string) List {
	return List{prefix: join(l.prefix, path), problems: l.problems}
}

// Add records a problem with the field relative to the list's prefix.
func (l List) Add(field, fix, format string, args ...any) {
	*l.problems = append(*l.problems, Problem{
		Field: join(l.prefix, field), Message: fmt.Sprintf(format, args...), Fix: fix,
	})
}

// Problems returns what was recorded.
func (l List) Problems() []Problem { return *l.problems }

// Err returns nil when nothing was recorded, else an *Error.
func (l List) Err() error {
	if len(*l.problems) == 0 {
		return nil
	}
	return &Error{Problems: *l.problems}
}

// Error is a configuration with one or more problems.
type Error struct {
	Source   string // the configuration file, when known
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source + ": ")
	}
	fmt.Fprintf(&b, "%d configuration problem(s):", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

func join(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	case strings.HasPrefix(field, "["):
		return prefix + field
	}
	return prefix + "." + field
}
