package sinks

// The declared schemas of the aggregate tables: kpi_daily
// (sql/kpi_daily.sql) and cohort_retention (sql/cohort_retention.sql).

func kpiDaily() Table {
	return Table{
		Name: "kpi_daily",
		Description: "The snapshot's KPIs for all customers and per CRM segment, acquisition channel and country: " +
			"customers, active customers, NPS with its counts and 95 % margin of error, CSAT %, CES, repeat " +
			"purchase rate with its counts, high-risk customers, expected churners and total CLV. Every row is " +
			"recomputed from counts, never averaged across rows.",
		Grain:     "one row per snapshot × dimension value",
		Partition: BySnapshot,
		OrderBy:   []string{"dimension", "dimension_value"},
		Metrics:   []string{"nps", "csat", "ces", "active_customers", "repeat_purchase_rate", "churn_risk", "bgnbd", "clv"},
		Columns: []Column{
			notNull("dimension", Varchar, "The breakdown: all, segment, channel (the CRM acquisition channel) or country."),
			notNull("dimension_value", Varchar, "The group within the dimension: 'all' for dimension all, else the CRM attribute's value, 'unknown' when it is missing."),
			notNull("customers", Bigint, "Customers in the group (the rows of customer_journey)."),
			notNull("active_customers", Bigint, "Customers of the group with an order in the last activity_window_days days (default 90)."),
			notNull("nps_responses", Bigint, "NPS answers by the group's customers in the last survey_window_days days (default 90)."),
			notNull("promoters", Bigint, "Of those NPS answers, the ones scoring 9–10."),
			notNull("passives", Bigint, "Of those NPS answers, the ones scoring 7–8."),
			notNull("detractors", Bigint, "Of those NPS answers, the ones scoring 0–6."),
			nullable("nps", Double, "Net Promoter Score from −100 to 100: 100 × (promoters − detractors) / nps_responses; NULL without answers."),
			nullable("nps_margin_of_error", Double, "Half-width of the 95 % confidence interval of nps, in NPS points; NULL without answers."),
			notNull("csat_responses", Bigint, "CSAT answers by the group's customers in the last survey_window_days days."),
			nullable("csat_pct", Double, "CSAT: the percentage of those CSAT answers scoring 4 or 5; NULL without answers."),
			notNull("ces_responses", Bigint, "CES answers by the group's customers in the last survey_window_days days."),
			nullable("ces_avg", Double, "CES: the mean of those CES scores (1–7, higher is easier); NULL without answers."),
			nullable("ces_easy_pct", Double, "The percentage of those CES answers scoring 5–7; NULL without answers."),
			notNull("buyers_window", Bigint, "Customers of the group with at least one order in the last repeat_window_days days (default 365)."),
			notNull("repeat_buyers_window", Bigint, "Customers of the group with more than one order in that window."),
			nullable("repeat_purchase_rate", Double, "Repeat purchase rate in percent: 100 × repeat_buyers_window / buyers_window; NULL without buyers."),
			notNull("high_risk_customers", Bigint, "Customers of the group whose churn_band is high."),
			nullable("expected_churners", Double, "How many of the group's buyers BG/NBD expects have stopped buying: the sum of 1 − p_alive; NULL when BG/NBD was not fitted."),
			nullable("clv_total", Double, "The sum of clv_12m over the group's customers; NULL when the models were not fitted."),
			colSnapshotDate(),
		},
	}
}

func cohortRetention() Table {
	return Table{
		Name: "cohort_retention",
		Description: "Retention of first-order cohorts: customers grouped by the business-time-zone month of their " +
			"first order, and for each month since, how many of them ordered in that month. The snapshot's own " +
			"month is included and is partial.",
		Grain:     "one row per first-order month × months since",
		Partition: BySnapshot,
		OrderBy:   []string{"cohort_month", "months_since"},
		Metrics:   []string{"cohort_retention"},
		Columns: []Column{
			notNull("cohort_month", Date, "The first day of the month, in the business time zone, of the cohort's first orders."),
			notNull("months_since", Bigint, "Months since cohort_month, from 0 (the cohort month itself) up to the snapshot's month."),
			notNull("cohort_size", Bigint, "Customers whose first counted order fell in cohort_month."),
			notNull("active_customers", Bigint, "Customers of the cohort with a counted order in the month months_since after cohort_month."),
			notNull("retention_pct", Double, "Retention in percent: 100 × active_customers / cohort_size."),
			colSnapshotDate(),
		},
	}
}
