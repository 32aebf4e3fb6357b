// Package gates holds the quality gates of a run: checks on the tables the
// transforms built, evaluated after the transforms and before anything is
// published, so that a snapshot which breaks them never becomes visible.
//
// The contract:
//
//   - Configuration (Config, under gates: in journey.yaml) is decoded by the
//     pipeline and checked by Config.Validate, which does no I/O and records
//     every problem with its field path and a fix.
//   - Evaluate runs every gate against the run's DuckDB database: the built-in
//     gates (see Builtin; on unless defaults: false), the row-count and
//     identity gates, and the rules configured per table. Each gate is one SQL
//     query (a failed row-level gate runs a second for its examples);
//     identifiers are quoted with duck.Ident and values travel as
//     parameters. Evaluate reads and never writes.
//   - An error from Evaluate means a gate could not be evaluated (a missing
//     table or column, a failing query, a cancelled context); the run must
//     stop, as nothing can be said about the data.
//   - Otherwise the Report lists one Result per gate, passed or not. A failed
//     gate of severity error fails the run (Report.Failed, Report.Err); a
//     failed gate of severity warn is reported (Report.Warnings) and the run
//     goes on. The Report is JSON-serialisable for the run state and manifest,
//     and Report.Text renders it for people.
package gates
