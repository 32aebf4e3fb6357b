// Package sinks writes the run's output tables as zstd-compressed Parquet in
// Hive layout and publishes them as a snapshot under the output root, a
// local folder or gs://bucket/prefix, with the same layout on both:
//
//	journey_events/event_month=YYYY-MM/part-0.parquet     the newest snapshot's version, replaced month by month
//	<table>/snapshot_date=YYYY-MM-DD/part-0.parquet        customer_journey, customer_metrics, kpi_daily, cohort_retention
//	rejects/run_id=<run id>/part-0.parquet
//	_manifests/snapshot_date=YYYY-MM-DD.json               the commit point of a snapshot
//	_latest.json                                           {as_of, run_id, manifest} of the newest complete snapshot
//	_locks/publish.json                                    the publish lock
//	_trash/<run id>/                                       what a publishing run needs to undo its journey_events changes
//
// Every partition is one file, so replacing a partition is replacing one
// object.
//
// # Writing
//
// Every published table's schema is declared once, in Tables: its columns in
// order with their types, nullability and descriptions, its grain, partition
// and sort keys, and the metric definitions that apply. Snapshot.Write has
// DuckDB write each partition with its own COPY into a local staging folder
// inside the run's work folder:
//
//   - it selects exactly the declared columns, in the declared order, cast to
//     the declared types, sorted by the table's keys (a total order), so the
//     files' schema does not drift when the SQL changes and the same rows give
//     the same bytes; a table with a missing or an undeclared column, or a
//     NULL in a column declared not null, fails the write;
//   - every Parquet file carries the descriptions in its key-value metadata
//     (journey.table, journey.schema_version, journey.description and
//     journey.column.<name>);
//   - Dictionary renders the data dictionary shipped as docs/DATA_DICTIONARY.md.
//
// # Publishing (Snapshot.Commit)
//
// All of it goes through a Root (store.Store plus per-attempt deadlines and
// retries). The steps, in order:
//
//  1. Lock. The caller takes the publish lock (AcquireLock): the object
//     _locks/publish.json holding run_id, as_of, host, boot id, pid, a token,
//     and the acquired and expiry times. It is created with IfNotExist; a
//     lock that is released, expired (30 minutes without a refresh by
//     default) or whose process is known to be gone (same host and boot, no
//     such pid) is taken over with IfGenerationMatch on the generation read.
//     Every write of the lock is read back, because a GCS write can report
//     a failed precondition although it landed. Of two contenders exactly one
//     wins; the other fails before writing anything, with ErrLocked naming
//     the holder.
//  2. Recover. If the lock was taken over from a run that neither finished
//     nor released it, what that run left is undone (see cleanupAfter): its
//     journey_events changes are restored from its trash, and for a date it
//     did not commit its partitions and rejects are removed. (Should that
//     fail, the crashed run stays recorded in the lock as pending, and the
//     run abandons the lock to the next one, which cleans up after both.)
//     Leftover trash of committed runs goes, and on a local root the hidden
//     temporary files of killed writes.
//  3. Plan. Every staged file is compared with the object it would replace
//     (size and CRC32C): identical objects are not written again, so a re-run
//     with unchanged inputs rewrites no table file. journey_events is left
//     alone when _latest.json names a newer date (a backfill).
//  4. Withdraw, only when a re-run changes the bytes of an already published
//     snapshot of its date: _latest.json is pointed at the newest other
//     snapshot (or removed), then the old manifest is deleted, so that the
//     snapshot is not complete while its files are replaced.
//  5. Upload journey_events' months (having first recorded the months the
//     table has and copied each month file about to be overwritten into
//     _trash/<run id>/), then the snapshot tables in Tables order, then the
//     rejects. Each upload is conditional on the generation observed in step
//     3 (IfGenerationMatch), or IfNotExist for a new object, so that a writer
//     that ignores the lock makes one of the two fail instead of
//     interleaving. The lock is refreshed after every table and records the
//     run whose snapshot of the date is being replaced.
//  6. Commit: the manifest, conditional on the generation of the manifest it
//     replaces. The snapshot is complete from here on.
//  7. Point _latest.json at the snapshot, only forward: a backfill of an
//     older date does not move it back.
//  8. Delete the journey_events months the new version does not have, the
//     run's trash, and the rejects of the run whose snapshot of this date was
//     replaced.
//  9. Retention: beyond Snapshot.KeepSnapshots, delete the oldest snapshots,
//     manifest first, then their partitions and rejects; never the one just
//     published nor the one _latest.json names.
//  10. Remove the staging folder; the caller releases the lock (a
//     conditional write that marks it released; the object stays).
//
// A publish that fails before step 6 undoes itself the way the next run
// would undo a crashed one: journey_events restored, its partitions of a
// date that is not published and its rejects removed. When that fails too
// it returns ErrUnclean, and the caller abandons the lock (Lock.Abandon: it
// expires at once, unreleased) so that the next run takes it over and
// finishes the job. A crash after step 6 leaves a complete snapshot, and the
// next run finishes the crashed run's steps 7 and 8. Fault points (package
// internal/faults): publish.after:withdraw, publish.upload:<object name>
// (halfway through the bytes), publish.after:<table>,
// publish.before:manifest and publish.after:manifest.
//
// # What readers see
//
// A reader that starts from _latest.json or from the manifests only ever
// sees complete snapshots: a manifest exists only while every file of its
// snapshot's partitions is the one it lists (its crc32c says which), and
// _latest.json only ever names a snapshot with a manifest. It can lag: after
// a crash between steps 6 and 7 it names the previous snapshot until the
// next run.
//
// A plain glob reader (read_parquet('<table>/*/*.parquet'), a BigQuery or
// Spark external table) sees each file whole, old or new, never a part and
// never a partition holding two runs' rows: one file per partition, and a
// local write is a hidden temporary file renamed into place, while a GCS
// object appears only when its upload is finalised. But it sees files, not
// snapshots:
//
//   - the partitions of a date being published appear table by table before
//     its manifest exists, and stay if that publish crashes, until the next
//     run cleans them up or re-publishes the date;
//   - during a re-run that changes a date, that date's tables are a mix of
//     old and new files (with no manifest for it meanwhile);
//   - journey_events is replaced month by month, so during a publish (and
//     after a crash, until the next run restores it) some months can be the
//     new run's and others the previous run's, and months the new version
//     lacks remain until step 8;
//   - locally, a write in progress (or killed) leaves a hidden
//     .part-0.parquet.tmp-… file in the partition folder: '*.parquet' globs
//     and Hive-style readers, which skip names starting with '.' or '_',
//     ignore it, and the next run removes it; a reader that already opened
//     a replaced file keeps reading the old one;
//   - on GCS, a replaced object's old generation is gone (without object
//     versioning): a reader in the middle of reading it fails if it pins the
//     generation (the GCS clients, BigQuery), or may read ranges of two
//     generations if it does not. Only re-runs of a date and journey_events
//     replace objects; fresh dates never do.
package sinks
