// Package sql holds the pipeline's SQL models, one table per file, embedded
// into the binary. Each file starts with a header naming the table it builds
// and the tables it reads (see package transforms).
package sql

import "embed"

// Files holds every *.sql file of this folder.
//
//go:embed *.sql
var Files embed.FS
