package gen

import (
	"fmt"
	"path/filepath"
)

// The exports, in the order files are written and listed.
const (
	entCustomers = iota
	entOrders
	entInteractions
	entNPS
	entCX
	numEntities
)

// entitySpec describes one export of the demo.
type entitySpec struct {
	base   string // file name without extension
	entity string // canonical entity it maps onto
	source string // source name in journey.yaml
	demo   Format // the demo's format of this export
	delim  byte   // CSV delimiter
}

var entitySpecs = [numEntities]entitySpec{
	entCustomers:    {"crm_contacts", "customers", "crm", FormatCSV, ';'},
	entOrders:       {"orders", "orders", "shop_orders", FormatCSV, ','},
	entInteractions: {"interactions", "interactions", "crm_touchpoints", FormatNDJSON, ','},
	entNPS:          {"nps_responses", "survey_responses", "nps_survey", FormatCSV, ','},
	entCX:           {"csat_ces", "survey_responses", "csat_ces_survey", FormatParquet, ','},
}

// Sizes. Customers are generated in blocks, each from its own random
// streams; a file part holds whole blocks. A part of 100k customers (the
// default of Options.PartCustomers) holds
// about 1M orders or 2M interactions (100–300 MB of text): DuckDB's
// readers split single files and globs of them across threads, and the
// Parquet parts hold row groups of RowGroupRows rows.
const (
	blockSize     = 1000
	partCustomers = 100_000
	RowGroupRows  = 100_000
	stagingDir    = ".staging"
)

// layout places the generated files.
type layout struct {
	formats    [numEntities]Format
	blocks     int
	partBlocks int // blocks per part
	parts      int
}

func newLayout(o *Options) layout {
	l := layout{blocks: (o.Customers + blockSize - 1) / blockSize, partBlocks: o.PartCustomers / blockSize}
	l.parts = (l.blocks + l.partBlocks - 1) / l.partBlocks
	for e := range numEntities {
		l.formats[e] = o.Format
		if o.Format == FormatDemo {
			l.formats[e] = entitySpecs[e].demo
		}
	}
	return l
}

// part is the file part of a block.
func (l layout) part(block int) int { return block / l.partBlocks }

// name is the file name of part p of entity e: orders.csv, or
// orders-0001.csv … when the data set has several parts.
func (l layout) name(e, p int) string {
	if l.parts == 1 {
		return entitySpecs[e].base + "." + string(l.formats[e])
	}
	return fmt.Sprintf("%s-%04d.%s", entitySpecs[e].base, p+1, l.formats[e])
}

// pattern is the path or glob the configuration reads entity e from.
func (l layout) pattern(e int) string {
	if l.parts == 1 {
		return l.name(e, 0)
	}
	return entitySpecs[e].base + "-*." + string(l.formats[e])
}

// textPath is where the rows of part p of entity e are written: the file
// itself, or for Parquet a CSV file in the staging folder that DuckDB
// converts.
func (l layout) textPath(dir string, e, p int) string {
	if l.formats[e] != FormatParquet {
		return filepath.Join(dir, l.name(e, p))
	}
	return filepath.Join(dir, stagingDir, fmt.Sprintf("%s-%04d.csv", entitySpecs[e].base, p+1))
}

// json reports whether entity e is written as NDJSON.
func (l layout) json(e int) bool { return l.formats[e] == FormatNDJSON }

// dirtKinds are the dirt kinds entity e's files can hold.
func (l layout) dirtKinds(e int) uint {
	if l.formats[e] == FormatParquet {
		return entityDirt[e] &^ textOnlyDirt
	}
	return entityDirt[e]
}
