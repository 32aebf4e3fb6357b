// Package store is journey's one storage layer for "a local directory or
// gs://bucket/prefix". Sources read exports through it and sinks publish
// Parquet snapshots through it; neither needs to know which backend a root
// lives on.
//
// # Names
//
// A Store is opened on a root (Open) and every name passed to it is relative
// to that root, uses '/' as separator on every platform, and has no leading
// or trailing '/', no empty segment and no "." or ".." segment. A name such as
// "orders/2024/orders-01.csv.gz" is the object gs://bucket/prefix/orders/2024/
// orders-01.csv.gz on GCS and the file <root>/orders/2024/orders-01.csv.gz
// locally. Prefixes (List, DeletePrefix) are plain string prefixes of names,
// as on GCS: "orders/2024" also covers "orders/2024-extra.csv"; end a prefix
// with '/' to mean one folder.
//
// Objects whose base name starts with '.' are hidden: List and Glob never
// return them (local writers keep their in-progress temporary files that way,
// and editor or OS litter such as .DS_Store is skipped), but they can be
// read, written and deleted by name, and DeletePrefix removes them.
//
// # Visibility and atomicity
//
// Nothing is visible under a name until Writer.Commit returns nil: locally the
// data goes to a hidden temporary file in the destination folder which is
// fsynced and renamed over the name; on GCS the upload is finalised only by
// Commit and an aborted or cancelled upload leaves no object. Readers
// therefore see either the previous complete object or the new complete one.
// Publishing a whole snapshot atomically (many objects) is the sinks' job:
// write everything, then commit one marker object last.
//
// # Errors
//
// Every error names the operation and the full location
// ("store: read gs://b/p/o.csv: object "p/o.csv" not found"). A missing object,
// folder, local root or bucket matches ErrNotExist (errors.Is); a failed
// write precondition matches ErrPrecondition. Errors raised while streaming
// (Reader.Read, Writer.Write) carry the same prefix.
//
// # GCS calls, deadlines and retries
//
// Each metadata call (Stat, one page of a listing, Delete, Copy) runs under
// Options.CallTimeout, retries included. Streaming reads and uploads are
// bounded by the caller's context only, but no single request inside them is
// retried for longer than CallTimeout either. Transient failures (HTTP 408,
// 429, 5xx, connection resets) are retried with exponential backoff for every
// operation (storage.RetryAlways): each operation of this package is safe to
// repeat, because Delete ignores "not found", and Copy and uploads write the
// same bytes again. A conditional upload (IfNotExist, IfGenerationMatch)
// whose first attempt landed but whose response was lost is retried and then
// reports ErrPrecondition although the object is ours; callers that must
// tell the two apart compare the stored object (Stat) with what they wrote.
package store
