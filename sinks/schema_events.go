package sinks

// The declared schemas of the event-grained tables: journey_events
// (sql/journey_events.sql) and rejects (sources.Stage, tagged with the run).

func journeyEvents() Table {
	return Table{
		Name: "journey_events",
		Description: "The unified, ordered timeline of every customer: each interaction, order, delivery, return, " +
			"refund, cancellation and survey answer before the snapshot's cutoff, with its resolved customer, " +
			"journey stage and negative-experience flag. The latest run replaces the whole table.",
		Grain:     "one row per touchpoint (an interaction, an order, its delivery, return, refund or cancellation, a survey answer)",
		Partition: ByEventMonth,
		OrderBy:   []string{"event_month", "customer_id", "sequence_number"},
		Metrics:   []string{"identity", "journey_stage", "negative_experiences"},
		Columns: []Column{
			notNull("customer_id", Varchar, "The customer the event belongs to: a CRM customer_id, or for a record that matches no CRM contact its own customer_id or 'anon-' followed by a hash of its email."),
			notNull("event_at", TimestampTZ, "When the event happened, as an instant (UTC)."),
			notNull("event_date", Date, "The calendar date of event_at in the business time zone."),
			notNull("event_id", Varchar, "The event's unique key: its kind and the id of its input record, such as 'order:O-1001' or 'delivery:O-1001' (kinds: interaction, order, delivery, return, cancellation, survey)."),
			notNull("entity", Varchar, "The input entity the event comes from: interactions, orders or survey_responses."),
			notNull("source", Varchar, "The name of the configured source that supplied the record."),
			notNull("channel", Varchar, "The channel of the touchpoint (web, app, email, phone, chat, store, social, …), 'survey' for survey answers, 'unknown' when the source gave none."),
			notNull("stage", Varchar, "The journey stage the event belongs to: awareness, purchase, post_purchase, service or advocacy."),
			notNull("event_type", Varchar, "What happened: the interaction type (visit, support_ticket, complaint, call, …), order, order_cancelled, delivery, return, refund, nps_response, csat_response or ces_response."),
			nullable("value", Double, "The event's number, whose unit depends on event_type: seconds for interactions (their duration), currency for orders, cancellations, returns and refunds (the order or refunded amount), the score for survey answers; NULL for deliveries and when the source gave none."),
			notNull("is_negative", Boolean, "True when the event is a negative experience (see negative_reason)."),
			nullable("negative_reason", Varchar, "Why the event is a negative experience: complaint, unresolved ticket, late delivery, return, detractor, low CSAT or high effort (CES); NULL when it is not one."),
			notNull("sequence_number", Bigint, "The event's position in its customer's timeline, from 1, ordered by event_at and then event_id."),
			nullable("seconds_since_previous", Double, "Seconds since the customer's previous event; NULL for the customer's first event."),
			notNull("event_month", Varchar, "The month of event_date as YYYY-MM; the partition folder (event_month=YYYY-MM), not stored inside the files."),
		},
	}
}

func rejects() Table {
	return Table{
		Name: "rejects",
		Description: "Every input record the run could not load, with where it came from, its raw text and every " +
			"reason it failed, so that rows read = rows loaded + rows rejected for each source.",
		Grain:     "one row per rejected input record",
		Partition: ByRun,
		OrderBy:   []string{"source", "file", "line", "reason"},
		Columns: []Column{
			notNull("source", Varchar, "The name of the configured source the record came from."),
			notNull("entity", Varchar, "The entity that source maps onto: customers, interactions, orders or survey_responses."),
			nullable("file", Varchar, "The input file or object the record was read from, as the source names it (a gs:// object by its full URL); NULL for sources without files."),
			nullable("line", Bigint, "The record's physical line in the file (a CSV header is line 1, the first NDJSON record is line 1, for Parquet the 1-based row number); NULL for sources without lines."),
			nullable("location", Varchar, "Where the record came from in one field: file:line, or the source's own notion of a location."),
			nullable("raw_record", Varchar, "The record as read: its original line, or its columns as a JSON object."),
			notNull("reason", Varchar, "Every reason the record was rejected, such as a missing required field, a value that does not parse as its type (naming the field, column, value and expected format), or a duplicate key naming the record that was kept."),
			notNull("run_id", Varchar, "The run that rejected the record; the partition folder (run_id=<run id>), not stored inside the files."),
		},
	}
}
