package pipeline

// BytesPerBatchEvent and MinBatchEvents let tests make journey_events run
// in many batches.
var (
	BytesPerBatchEvent = &bytesPerBatchEvent
	MinBatchEvents     = &minBatchEvents
)
