package pipeline

import (
	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/sources/file"
)

// DefaultRegistry returns a registry with every built-in source kind.
func DefaultRegistry() *sources.Registry {
	r := sources.NewRegistry()
	file.Register(r)
	return r
}
