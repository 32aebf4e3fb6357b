package file

import "github.com/journeydata/journey/sources"

// SetAfterList makes src, a file source, call f between listing its objects
// and downloading them.
func SetAfterList(src sources.Source, f func()) { src.(*Source).afterList = f }
