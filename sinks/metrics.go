package sinks

import "slices"

// Metric is the definition of a metric or a derived value, written once for
// the data dictionary and referenced by the tables whose columns it explains.
// The definitions follow the README's "Metric definitions", "Churn and value
// models" and "Churn risk and loyalty" sections; keep them in step.
type Metric struct {
	Key  string // referenced from Table.Metrics
	Name string // the heading in the dictionary
	// Definition is Markdown: how the value is computed, with its windows and
	// edge cases.
	Definition string
}

// Metrics lists every metric definition, in the order the dictionary shows
// them.
func Metrics() []Metric {
	return []Metric{
		{"identity", "Identity", "Interactions, orders and survey answers are matched to a CRM contact by `customer_id` when that id is a CRM contact, else by the normalised (trimmed, lower-case) email of a CRM contact; when several contacts share an email, the lowest `customer_id` wins. A record that matches no contact is kept under an identity of its own: its `customer_id`, or `anon-` followed by a hash of its email (`is_crm_contact = false`). The manifest publishes the match counts."},
		{"journey_stage", "Journey stage", "Per customer (`journey_stage`), the first rule that applies: `awareness` without an order; `lapsed` when the last order is more than `lapsed_after_days` (default 365) days before the snapshot date; `advocacy` with 2 or more orders and a last NPS of 9 or more; `repeat` with 2 or more orders; else `first_purchase`.\n\nPer event (`stage`): orders and cancellations `purchase`; deliveries, returns, refunds and post-purchase surveys `post_purchase`; support tickets, complaints, calls, chats and support surveys `service`; NPS promoter answers `advocacy`; every other interaction (visits, email and social touches, …) `awareness`."},
		{"days_to_first_order", "Days to first order", "Days from the first touchpoint to the first order, counted between their business-time-zone dates; 0 when the order is the first touch, NULL without orders."},
		{"negative_experiences", "Negative experiences", "A detractor NPS (0–6), a CSAT of 1–2, a CES of 1–3, a complaint, a return or refund, a late delivery (delivered on a later business date than promised) or an unresolved support ticket. `negative_experiences_90d` counts them in the last `negative_window_days` days (default 90) before the cutoff."},
		{"nps", "NPS (Net Promoter Score)", "Scores 0–10: promoters 9–10, passives 7–8, detractors 0–6. NPS = 100 × (promoters − detractors) / all answers, passives included, from −100 to 100; NULL when there are no answers. It is never averaged across groups: every `kpi_daily` row recomputes it from its counts. The 95 % margin of error is 196 × √((p + d − (p − d)²) / n), with p and d the promoter and detractor shares and n the answers, from the variance of the +1/0/−1 coding. `kpi_daily` counts answers in the last `survey_window_days` days (default 90); `last_nps` is the customer's latest answer at any time."},
		{"csat", "CSAT (Customer Satisfaction)", "Scores 1–5. CSAT % = 100 × answers scoring 4 or 5 / all answers (3s stay in the denominator); NULL without answers. `avg_csat` is a customer's mean score."},
		{"ces", "CES 2.0 (Customer Effort Score)", "Scores 1–7, higher is easier. CES = the mean score (`ces_avg`, `avg_ces`); `ces_easy_pct` = 100 × answers scoring 5–7 / all answers; NULL without answers."},
		{"active_customers", "Active customers", "Customers with an order in the last `activity_window_days` days (default 90): days from the last order's business date to the snapshot date below the window."},
		{"repeat_purchase_rate", "Repeat purchase rate", "100 × customers with more than one order in the last `repeat_window_days` days (default 365) / customers with at least one order in that window, in percent; NULL without buyers. Cancelled orders do not count."},
		{"rfm", "RFM", "For customers with at least one order: recency = days since the last order, frequency = number of orders, monetary = revenue. Each is scored 1–5, 5 best, as score = 1 + ⌊5 × (rank − 1) / n⌋ where rank is SQL `RANK()` over the customers with orders (recency ranked in reverse), so equal values always share a score: value-based cuts, not NTILE splits. Segments, first match: champions R ≥ 4 and F ≥ 4; loyal R ≥ 3 and F ≥ 4; potential_loyalist R ≥ 4 and F 2–3; new R ≥ 4 and F 1; need_attention R 3 and F ≤ 3; cant_lose R ≤ 2 and F ≥ 4; at_risk R ≤ 2 and F 2–3; hibernating R ≤ 2 and F 1."},
		{"btyd_summary", "Purchase summary (BG/NBD and Gamma-Gamma inputs)", "Orders on the same business day are merged into one purchase day. `frequency` = repeat purchase days (purchase days − 1); `recency_weeks` = first to last purchase day and `t_weeks` = first purchase day to the snapshot date, both in days / 7; `monetary_value` = the mean total of the repeat purchase days (the first day excluded), 0 without repeats."},
		{"bgnbd", "BG/NBD", "The beta-geometric/negative-binomial model (Fader, Hardie & Lee 2005, \"Counting Your Customers the Easy Way\"), fitted by maximum likelihood on every snapshot's purchase summary of all customers with a purchase. `p_alive` = P(alive), the probability the customer has not stopped buying; `expected_orders_90d` = the conditional expected number of purchase days in the next 90 days (90 / 7 weeks). In `kpi_daily`, `expected_churners` = Σ (1 − `p_alive`) over the group's buyers. The fitted parameters r, α, a, b and the log-likelihood are in the manifest under `models.bgnbd`."},
		{"gamma_gamma", "Gamma-Gamma", "The spend model of Fader & Hardie (2013), fitted by maximum likelihood on the repeat customers with a positive `monetary_value`. `expected_order_value` = the customer's conditional expected purchase-day value; one-time buyers, and repeat buyers whose repeat days net to zero or less, get the population mean p·γ / (q − 1). Parameters p, q, γ and the log-likelihood are in the manifest under `models.gamma_gamma`."},
		{"clv", "CLV (customer lifetime value)", "`clv_12m` = Σ over months i = 1..H of (BG/NBD expected purchases in month i) × `expected_order_value` / (1 + d)^i, a month being 52/12 weeks. The horizon H (`metrics.clv_months`, default 12) and the monthly discount rate d (`metrics.clv_monthly_discount`, default 0.01) are configurable; the column keeps its name whatever the horizon. In `kpi_daily`, `clv_total` is the sum over the group."},
		{"model_failures", "Models that cannot be fitted", "A model that cannot be fitted (no repeat customers, a single customer, a fit that does not converge, Gamma-Gamma with q ≤ 1) does not stop the snapshot: its columns are NULL, never NaN or infinite, `model_note` says why, the manifest's model entry has `converged: false` and a `reason`, and churn risk falls back to its other parts."},
		{"churn_risk", "Churn risk", "For customers with at least one order, 100 × the weighted mean of three parts, each 0–1, rounded to a whole number:\n\n" +
			"- inactive (weight 0.5) = 1 − P(alive) from BG/NBD;\n" +
			"- overdue (weight 0.3) = clamp((days since the last order / usual gap − 1) / 2, 0, 1), the usual gap being the customer's mean days between purchase days or, for one-time buyers, the median over all repeat customers (90 days when there are none): on rhythm gives 0, three times the usual gap gives 1;\n" +
			"- negative (weight 0.2) = 0, 0.5 or 1 for 0, 1, or 2 and more negative experiences in the last `negative_window_days` days (default 90).\n\n" +
			"Without a fitted BG/NBD the overdue and negative weights are rescaled to sum to 1. Bands: low < 40 ≤ medium < 70 ≤ high. `churn_reasons` lists the parts worth 5 points or more, largest first, in words. Customers without an order have no churn risk (NULL) and the reason `no purchase yet`."},
		{"loyalty_index", "Loyalty index", "100 × the sum of five parts, rounded to a whole number:\n\n" +
			"- RFM (weight 0.4) = (r + f + m − 3) / 12, 0 without orders;\n" +
			"- P(alive) (weight 0.2) = the BG/NBD probability, or (r − 1) / 4 without a model, 0 without orders;\n" +
			"- advocacy (weight 0.2) = 1 for a promoter last NPS, 0.5 for a passive or no answer, 0 for a detractor;\n" +
			"- satisfaction (weight 0.1) = the average of CSAT and CES rescaled to 0–1 (either alone when the other is missing), 0.5 without answers;\n" +
			"- engagement (weight 0.1) = half for a touch in the last `activity_window_days` days (default 90), half for using two or more channels.\n\n" +
			"Tiers: platinum ≥ 80, gold ≥ 60, silver ≥ 40, bronze below."},
		{"cohort_retention", "Cohort retention", "Customers are grouped by the business-time-zone month of their first counted order (cancelled orders do not count). For each cohort and each month since, from 0 up to the snapshot's month, retention % = 100 × cohort customers with an order in that month / cohort size. The snapshot's own month is partial."},
	}
}

func metricByKey(key string) (Metric, bool) {
	ms := Metrics()
	i := slices.IndexFunc(ms, func(m Metric) bool { return m.Key == key })
	if i < 0 {
		return Metric{}, false
	}
	return ms[i], true
}
