package sources

import "slices"

// FieldType says how a canonical field is parsed from its source text.
type FieldType string

// The field types of the canonical entities.
const (
	String    FieldType = "string"
	Email     FieldType = "email"     // trimmed and lower-cased
	Timestamp FieldType = "timestamp" // an instant; naive values are read in the source's time zone
	Double    FieldType = "double"
	Decimal   FieldType = "decimal" // money: exact, so sums do not depend on the order of addition
	Integer   FieldType = "integer"
	Boolean   FieldType = "boolean"
	Enum      FieldType = "enum" // lower-cased, one of Field.Values after value maps
)

// Field is one column of a canonical entity.
type Field struct {
	Name     string
	Type     FieldType
	Required bool     // a row without it is rejected
	Values   []string // accepted values of an Enum
	Doc      string
}

// Entity is one of the four canonical inputs every source maps onto.
type Entity struct {
	Name   string
	Key    string // the field that identifies a record; duplicates are resolved on it
	Fields []Field
}

// Field returns the named field.
func (e Entity) Field(name string) (Field, bool) {
	i := slices.IndexFunc(e.Fields, func(f Field) bool { return f.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return e.Fields[i], true
}

// HasIdentity reports whether records of this entity refer to a customer by
// customer_id or email (every entity but customers itself).
func (e Entity) HasIdentity() bool { return e.Name != "customers" }

// Order statuses, survey types and score ranges accepted by the row rules.
var (
	orderStatuses = []string{"placed", "shipped", "delivered", "cancelled", "returned", "refunded"}
	surveyTypes   = []string{"nps", "csat", "ces"}
)

// ScoreRange gives the valid score range of a survey type.
func ScoreRange(surveyType string) (lo, hi float64) {
	switch surveyType {
	case "nps":
		return 0, 10
	case "csat":
		return 1, 5
	case "ces":
		return 1, 7
	}
	return 0, 0
}

// Entities returns the canonical entities in load order (customers first).
func Entities() []Entity {
	return []Entity{
		{Name: "customers", Key: "customer_id", Fields: []Field{
			{Name: "customer_id", Type: String, Required: true, Doc: "CRM contact id"},
			{Name: "email", Type: Email, Doc: "contact email, normalised"},
			{Name: "name", Type: String, Doc: "full name"},
			{Name: "created_at", Type: Timestamp, Doc: "when the contact was created"},
			{Name: "segment", Type: String, Doc: "customer segment or tier"},
			{Name: "country", Type: String, Doc: "country code"},
			{Name: "acquisition_channel", Type: String, Doc: "channel the customer came through"},
			{Name: "updated_at", Type: Timestamp, Doc: "last change; the latest version of a contact wins"},
		}},
		{Name: "interactions", Key: "interaction_id", Fields: []Field{
			{Name: "interaction_id", Type: String, Required: true, Doc: "touchpoint id"},
			{Name: "occurred_at", Type: Timestamp, Required: true, Doc: "when it happened"},
			{Name: "customer_id", Type: String, Doc: "CRM contact id"},
			{Name: "email", Type: Email, Doc: "email when there is no customer id"},
			{Name: "channel", Type: String, Doc: "web, app, email, phone, chat, store, social, …"},
			{Name: "type", Type: String, Doc: "visit, support_ticket, complaint, call, email, …"},
			{Name: "resolved", Type: Boolean, Doc: "whether a ticket or complaint is resolved"},
			{Name: "duration_seconds", Type: Double, Doc: "duration of the contact"},
			{Name: "updated_at", Type: Timestamp, Doc: "last change; the latest version wins"},
		}},
		{Name: "orders", Key: "order_id", Fields: []Field{
			{Name: "order_id", Type: String, Required: true, Doc: "order id"},
			{Name: "ordered_at", Type: Timestamp, Required: true, Doc: "when the order was placed"},
			{Name: "customer_id", Type: String, Doc: "CRM contact id"},
			{Name: "email", Type: Email, Doc: "email when there is no customer id"},
			{Name: "amount", Type: Decimal, Required: true, Doc: "order total"},
			{Name: "currency", Type: String, Doc: "currency code"},
			{Name: "status", Type: Enum, Values: orderStatuses, Doc: "placed, shipped, delivered, cancelled, returned, refunded"},
			{Name: "channel", Type: String, Doc: "sales channel"},
			{Name: "promised_at", Type: Timestamp, Doc: "promised delivery time"},
			{Name: "delivered_at", Type: Timestamp, Doc: "actual delivery time"},
			{Name: "refunded_amount", Type: Decimal, Doc: "amount refunded"},
			{Name: "item_count", Type: Integer, Doc: "number of items"},
			{Name: "updated_at", Type: Timestamp, Doc: "last change (return or cancellation time for those statuses)"},
		}},
		{Name: "survey_responses", Key: "response_id", Fields: []Field{
			{Name: "response_id", Type: String, Required: true, Doc: "response id"},
			{Name: "responded_at", Type: Timestamp, Required: true, Doc: "when it was answered"},
			{Name: "customer_id", Type: String, Doc: "CRM contact id"},
			{Name: "email", Type: Email, Doc: "email when there is no customer id"},
			{Name: "survey_type", Type: Enum, Required: true, Values: surveyTypes, Doc: "nps, csat or ces"},
			{Name: "score", Type: Double, Required: true, Doc: "NPS 0–10, CSAT 1–5, CES 1–7"},
			{Name: "comment", Type: String, Doc: "free text"},
			{Name: "touchpoint", Type: String, Doc: "post_purchase, support, …"},
			{Name: "order_id", Type: String, Doc: "order the answer is about"},
			{Name: "updated_at", Type: Timestamp, Doc: "last change; the latest version wins"},
		}},
	}
}

// EntityByName returns the canonical entity of that name.
func EntityByName(name string) (Entity, bool) {
	for _, e := range Entities() {
		if e.Name == name {
			return e, true
		}
	}
	return Entity{}, false
}

// EntityNames lists the canonical entity names.
func EntityNames() []string {
	var names []string
	for _, e := range Entities() {
		names = append(names, e.Name)
	}
	return names
}
