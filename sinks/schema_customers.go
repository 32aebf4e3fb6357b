package sinks

// The declared schemas of the customer-grained tables: customer_journey
// (sql/customer_journey.sql) and customer_metrics (sql/customer_metrics.sql).

// The columns both customer tables share, described once.

func colCustomerID() Column {
	return notNull("customer_id", Varchar, "The customer: a CRM contact's customer_id, or the identity of records that match no CRM contact (their customer_id, or 'anon-' followed by a hash of their email).")
}

func colSegment() Column {
	return nullable("segment", Varchar, "The customer's CRM segment, as mapped in the configuration; NULL when unknown or not a CRM contact.")
}

func colCountry() Column {
	return nullable("country", Varchar, "The customer's CRM country; NULL when unknown or not a CRM contact.")
}

func colAcquisition() Column {
	return nullable("acquisition_channel", Varchar, "The channel the CRM says the customer was acquired through; NULL when unknown or not a CRM contact.")
}

func colOrders() Column {
	return notNull("orders", Bigint, "Orders placed before the snapshot's cutoff and not cancelled by then.")
}

func colRevenue() Column {
	return notNull("revenue", Money, "The sum of the amounts of those orders in the source currency, returned and refunded orders included at their recorded amount; 0 without orders.")
}

func colSnapshotDate() Column {
	return notNull("snapshot_date", Date, "The snapshot's as-of date: rows use only events before the end of this day in the business time zone; the partition folder (snapshot_date=YYYY-MM-DD), not stored inside the files.")
}

func customerJourney() Table {
	return Table{
		Name: "customer_journey",
		Description: "Each customer's journey as of the snapshot: CRM attributes, first and last touch and order, " +
			"touchpoints and channels, service contacts and problems, survey scores, recent negative experiences " +
			"and the lifecycle journey stage. Customers are every CRM contact created before the cutoff plus every " +
			"unmatched identity with an event.",
		Grain:     "one row per customer per snapshot",
		Partition: BySnapshot,
		OrderBy:   []string{"customer_id"},
		Metrics:   []string{"identity", "journey_stage", "days_to_first_order", "negative_experiences", "nps", "csat", "ces"},
		Columns: []Column{
			colCustomerID(),
			notNull("is_crm_contact", Boolean, "True when the customer is a CRM contact; false for an identity known only from interactions, orders or survey answers."),
			nullable("email_hash", Varchar, "Keyed hash (HMAC-SHA256, 32 hex digits) of the CRM contact's normalised email: joins across tables and systems without exposing the address. NULL without a CRM email."),
			nullable("email", Varchar, "The CRM contact's normalised email; NULL unless pii.mode is keep."),
			nullable("name", Varchar, "The CRM contact's name; NULL unless pii.mode is keep."),
			colSegment(), colCountry(), colAcquisition(),
			nullable("created_at", TimestampTZ, "When the CRM contact was created; NULL when unknown or not a CRM contact."),
			nullable("first_touch_at", TimestampTZ, "When the customer's first event (any touchpoint, order or survey answer) happened; NULL without events."),
			nullable("first_touch_channel", Varchar, "The channel of the customer's first event; NULL without events."),
			nullable("last_touch_at", TimestampTZ, "When the customer's latest event happened; NULL without events."),
			nullable("last_touch_channel", Varchar, "The channel of the customer's latest event; NULL without events."),
			nullable("first_order_at", TimestampTZ, "When the customer's first counted order (not cancelled by the cutoff) was placed; NULL without orders."),
			nullable("last_order_at", TimestampTZ, "When the customer's latest counted order was placed; NULL without orders."),
			nullable("days_to_first_order", Bigint, "Days from the first touch to the first order, counted between business-time-zone dates (0 when the order is the first touch); NULL without orders."),
			colOrders(), colRevenue(),
			notNull("touchpoints_total", Bigint, "Events in the customer's timeline before the cutoff."),
			notNull("touchpoints_90d", Bigint, "Events in the last activity_window_days days (default 90) before the cutoff."),
			notNull("channels_used", Bigint, "Distinct known channels of the customer's interactions and orders (survey answers not counted)."),
			notNull("is_omnichannel", Boolean, "True when the customer used two or more channels."),
			notNull("support_contacts", Bigint, "Service interactions: support tickets, complaints, calls and chats."),
			notNull("unresolved_tickets", Bigint, "Support tickets the source marks as not resolved."),
			notNull("complaints", Bigint, "Complaint interactions."),
			notNull("returns", Bigint, "Orders returned or refunded."),
			notNull("late_deliveries", Bigint, "Orders delivered on a later business date than promised."),
			nullable("last_nps", Integer, "The customer's most recent NPS score (0–10), at any time before the cutoff; NULL without an NPS answer."),
			nullable("last_nps_category", Varchar, "The category of last_nps: promoter (9–10), passive (7–8) or detractor (0–6); NULL without an NPS answer."),
			nullable("avg_csat", Double, "The mean of the customer's CSAT scores (1–5); NULL without CSAT answers."),
			nullable("avg_ces", Double, "The mean of the customer's CES scores (1–7, higher is easier); NULL without CES answers."),
			notNull("survey_responses", Bigint, "The customer's NPS, CSAT and CES answers."),
			notNull("negative_experiences_90d", Bigint, "Negative experiences in the last negative_window_days days (default 90) before the cutoff."),
			nullable("negative_reasons_90d", Varchar, "The distinct kinds of those negative experiences, comma-separated and sorted; NULL when there were none."),
			notNull("journey_stage", Varchar, "The customer's lifecycle stage: awareness, first_purchase, repeat, advocacy or lapsed."),
			colSnapshotDate(),
		},
	}
}

func customerMetrics() Table {
	return Table{
		Name: "customer_metrics",
		Description: "Each customer's scores as of the snapshot: RFM, the BG/NBD and Gamma-Gamma model columns " +
			"(P(alive), expected orders, expected order value, CLV), churn risk 0–100 with band and reasons, " +
			"and the loyalty index 0–100 with tier. Same customers as customer_journey.",
		Grain:     "one row per customer per snapshot",
		Partition: BySnapshot,
		OrderBy:   []string{"customer_id"},
		Metrics:   []string{"rfm", "btyd_summary", "bgnbd", "gamma_gamma", "clv", "model_failures", "churn_risk", "loyalty_index", "negative_experiences"},
		Columns: []Column{
			colCustomerID(), colSegment(), colCountry(), colAcquisition(), colOrders(), colRevenue(),
			nullable("recency_days", Bigint, "RFM recency: days from the last order's business date to the snapshot date; NULL without orders."),
			nullable("r_score", Integer, "RFM recency score 1–5, 5 for the most recent buyers; NULL without orders."),
			nullable("f_score", Integer, "RFM frequency score 1–5 on the number of orders, 5 for the most; NULL without orders."),
			nullable("m_score", Integer, "RFM monetary score 1–5 on revenue, 5 for the highest; NULL without orders."),
			nullable("rfm_score", Varchar, "The three RFM scores as text in R, F, M order, such as '545'; NULL without orders."),
			nullable("rfm_segment", Varchar, "The RFM segment from the R/F grid: champions, loyal, potential_loyalist, new, need_attention, cant_lose, at_risk or hibernating; NULL without orders."),
			nullable("frequency", Bigint, "BG/NBD frequency: repeat purchase days (purchase days minus one, orders on one business day merged), not the number of orders; NULL without orders."),
			nullable("recency_weeks", Double, "BG/NBD recency: weeks from the first to the last purchase day (not the time since the last order); NULL without orders."),
			nullable("t_weeks", Double, "BG/NBD T: weeks from the first purchase day to the snapshot date; NULL without orders."),
			nullable("monetary_value", Double, "Gamma-Gamma monetary value: the mean total of the repeat purchase days (the first day excluded), 0 for one-time buyers; NULL without orders."),
			nullable("p_alive", Double, "BG/NBD probability (0–1) that the customer is still buying; NULL without orders or when BG/NBD was not fitted."),
			nullable("expected_orders_90d", Double, "BG/NBD expected number of purchase days in the next 90 days; NULL without orders or when BG/NBD was not fitted."),
			nullable("expected_order_value", Double, "Gamma-Gamma expected value of the customer's future purchase days (the population mean for one-time buyers); NULL without orders or when Gamma-Gamma was not fitted."),
			nullable("clv_12m", Double, "Customer lifetime value: expected purchases times expected order value per month, discounted monthly over the CLV horizon (default 12 months at 1 %); NULL without orders or when a model was not fitted."),
			nullable("model_note", Varchar, "Why the model columns are NULL, such as 'BG/NBD not fitted: did not converge: …'; NULL when the models were fitted."),
			nullable("churn_risk", Integer, "Churn risk 0–100, higher is riskier, from the chance the customer has stopped buying, how overdue they are and recent negative experiences; NULL without orders."),
			nullable("churn_band", Varchar, "The band of churn_risk: low (below 40), medium (40–69) or high (70 and above); NULL without orders."),
			nullable("churn_reasons", Varchar, "The churn-risk parts worth 5 points or more, largest first, in words separated by '; ' ('no purchase yet' without orders); NULL when no part reaches 5 points."),
			notNull("loyalty_index", Integer, "Loyalty index 0–100 from RFM, P(alive), advocacy, satisfaction and engagement."),
			notNull("loyalty_tier", Varchar, "The tier of loyalty_index: platinum (80 and above), gold (60 and above), silver (40 and above) or bronze."),
			colSnapshotDate(),
		},
	}
}
