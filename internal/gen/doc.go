// Package gen generates realistic customer data with a known truth, for
// demos, tests and benchmarks: the four exports of the bundled demo
// (testdata/demo) for any number of customers, with the dirt real exports
// have, the configuration that reads them (journey.yaml) and the ground
// truth they were drawn from (truth.json). Write does it all;
// `journey gen` is its command line.
//
// # Files
//
// The exports keep the demo's file names, column names, value spellings,
// delimiters, date formats and time zones (Europe/Berlin local times for the
// CRM and its touchpoints, UTC for the shop and the survey tool):
//
//	crm_contacts   customers         CSV with ';', dates 02.01.2006 and 02.01.2006 15:04
//	orders         orders            CSV, ISO UTC timestamps with Z, amounts in EUR
//	interactions   interactions      NDJSON, naive Berlin times
//	nps_responses  survey_responses  CSV, email only, UTC +00:00
//	csat_ces       survey_responses  Parquet, naive Berlin TIMESTAMP
//
// FormatDemo writes each export in the demo's format, so the demo's own
// configuration reads a data set of up to Options.PartCustomers customers.
// FormatCSV, FormatNDJSON and FormatParquet write every export in that
// format: text formats keep the spellings, Parquet columns are typed
// (TIMESTAMP, TIMESTAMPTZ, DATE, DOUBLE, INTEGER, BOOLEAN). Larger data sets
// are split into parts (orders-0001.csv, …) read through a glob.
// Parquet files are written by DuckDB from staging CSV.
//
// # Truth
//
// Every contact is created on a day of the first half of the period. Nine in
// ten buy: their purchase days follow the BG/NBD process of Options.BGNBD
// (weeks) from a first purchase soon after the first touch up to the last
// day, the as-of date to fit at, and each purchase day's order total
// follows the Gamma-Gamma model of Options.GammaGamma, so that a model fit
// on a snapshot as of that day can be checked against the parameters in
// truth.json. Cancelled orders are extra orders, cancelled the day they were
// placed, which no purchase count includes. Around the orders come
// touchpoints (visits, newsletter clicks, social, store visits, tickets,
// calls, chats, complaints), late deliveries and returns, and NPS, CSAT and
// CES answers whose scores fall after negative experiences; customers who
// drop out see more late deliveries, returns, complaints and unresolved
// tickets before they stop.
//
// # Dirt
//
// With probability Options.Dirt a row gets dirt: an exact duplicate, an
// extra row with an impossible date, an unknown customer, a negative total
// or an out-of-range score, an extra malformed line (text formats), or its
// email respelled in mixed case. Rejected dirt is always an extra row, so
// the clean data stay whole; truth.json counts every kind per source and
// the rejects a correct pipeline must report. An order of an unknown
// customer is loaded, so each adds a one-time buyer that the BG/NBD
// process did not make: RecoveryOfKnown refits without them.
//
// # Determinism
//
// Customers are generated in blocks of 1000 from PCG streams seeded with
// the seed and the block number, in parallel, and written in block order:
// the same options give byte-identical files whatever the number of
// workers. Memory holds a few blocks per worker, never the data set.
package gen
