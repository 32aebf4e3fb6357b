package gates

// TableRule is a rule bound to the table it checks.
type TableRule struct {
	Table string
	Rule
}

// Builtin returns the built-in table rules, all of severity error, in the
// order they are evaluated:
//
//	journey_events    not_null customer_id, event_at, event_id; unique event_id;
//	                  accepted_values stage (awareness, purchase, post_purchase, service, advocacy)
//	customer_journey  unique (snapshot_date, customer_id); not_null snapshot_date, customer_id;
//	                  accepted_values journey_stage (awareness, first_purchase, repeat, advocacy, lapsed)
//	customer_metrics  unique (snapshot_date, customer_id); not_null snapshot_date, customer_id;
//	                  accepted_values churn_band (low, medium, high, NULL), loyalty_tier
//	                  (platinum, gold, silver, bronze), rfm_segment (the eight segments, NULL
//	                  for customers without a purchase); range churn_risk and loyalty_index
//	                  0–100, p_alive 0–1, r_score, f_score and m_score 1–5;
//	                  exists_in customer_id in customer_journey
//	kpi_daily         unique and not_null (snapshot_date, dimension, dimension_value)
//	cohort_retention  unique and not_null (snapshot_date, cohort_month, months_since);
//	                  range retention_pct 0–100
//
// Beside these, the built-ins (Config.Defaults) include reconciliation of
// every source, the row-count change against the previous snapshot and the
// unmatched identity share; see Evaluate.
func Builtin() []TableRule {
	// The accepted values are those the SQL models in sql/ produce.
	eventStages := []string{"awareness", "purchase", "post_purchase", "service", "advocacy"}
	journeyStages := []string{"awareness", "first_purchase", "repeat", "advocacy", "lapsed"}
	rfmSegments := []string{"champions", "loyal", "potential_loyalist", "new", "need_attention", "cant_lose", "at_risk", "hibernating"}
	snapshotKey := []string{"snapshot_date", "customer_id"}
	var rs []TableRule
	add := func(table string, rules ...Rule) {
		for _, r := range rules {
			r.Severity = Error
			rs = append(rs, TableRule{Table: table, Rule: r})
		}
	}
	add("journey_events",
		Rule{Rule: RuleNotNull, Columns: []string{"customer_id", "event_at", "event_id"}},
		Rule{Rule: RuleUnique, Columns: []string{"event_id"}},
		Rule{Rule: RuleAcceptedValues, Column: "stage", Values: eventStages})
	add("customer_journey",
		Rule{Rule: RuleUnique, Columns: snapshotKey},
		Rule{Rule: RuleNotNull, Columns: snapshotKey},
		Rule{Rule: RuleAcceptedValues, Column: "journey_stage", Values: journeyStages})
	add("customer_metrics",
		Rule{Rule: RuleUnique, Columns: snapshotKey},
		Rule{Rule: RuleNotNull, Columns: snapshotKey},
		Rule{Rule: RuleAcceptedValues, Column: "churn_band", Values: []string{"low", "medium", "high"}, AllowNull: true},
		Rule{Rule: RuleAcceptedValues, Column: "loyalty_tier", Values: []string{"platinum", "gold", "silver", "bronze"}},
		Rule{Rule: RuleAcceptedValues, Column: "rfm_segment", Values: rfmSegments, AllowNull: true},
		between("churn_risk", 0, 100), between("loyalty_index", 0, 100), between("p_alive", 0, 1),
		between("r_score", 1, 5), between("f_score", 1, 5), between("m_score", 1, 5),
		Rule{Rule: RuleExistsIn, Column: "customer_id", RefTable: "customer_journey"})
	kpiKey := []string{"snapshot_date", "dimension", "dimension_value"}
	add("kpi_daily", Rule{Rule: RuleUnique, Columns: kpiKey}, Rule{Rule: RuleNotNull, Columns: kpiKey})
	cohortKey := []string{"snapshot_date", "cohort_month", "months_since"}
	add("cohort_retention", Rule{Rule: RuleUnique, Columns: cohortKey}, Rule{Rule: RuleNotNull, Columns: cohortKey},
		between("retention_pct", 0, 100))
	return rs
}

func between(column string, lo, hi float64) Rule {
	return Rule{Rule: RuleRange, Column: column, Min: ptr(lo), Max: ptr(hi)}
}
