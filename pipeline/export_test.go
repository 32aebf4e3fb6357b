package pipeline

// EventsPerBatch lets tests make journey_events run in many batches.
var EventsPerBatch = &eventsPerBatch
