package sources

// MappingSQL is the statement Map runs for a source, for tests that check
// how a field is read.
func MappingSQL(spec Spec, src int, raw, mapped string, ex Extracted) string {
	e, _ := EntityByName(spec.Entity)
	m := mapper{spec: spec, entity: e, ex: ex}
	return m.statement(src, raw, ex.RowID(), mapped)
}
