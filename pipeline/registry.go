package pipeline

import (
	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/sources/file"
	"github.com/journeydata/journey/sources/postgres"
)

// DefaultRegistry returns a registry with every built-in source kind.
func DefaultRegistry() *sources.Registry {
	r := sources.NewRegistry()
	file.Register(r)
	postgres.Register(r)
	return r
}
