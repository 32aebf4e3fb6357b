// Package journey is the root of the journey module. It holds the bundled
// demo data set, which `journey run` uses when no configuration is given.
package journey

import "embed"

// Demo holds testdata/demo: the demo configuration (journey.yaml) and the
// input files it reads, in their export shapes.
//
//go:embed testdata/demo/journey.yaml testdata/demo/*.csv testdata/demo/*.ndjson testdata/demo/*.parquet
var Demo embed.FS

// DemoDir is the folder of the demo files inside Demo.
const DemoDir = "testdata/demo"
