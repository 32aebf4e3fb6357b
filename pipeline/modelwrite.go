package pipeline

import (
	"context"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/journeydata/journey/internal/duck"
)

var scoreSchema = arrow.NewSchema([]arrow.Field{
	{Name: "customer_id", Type: arrow.BinaryTypes.String},
	{Name: "p_alive", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "expected_orders_90d", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "expected_order_value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "clv_12m", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "model_note", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// scoreBatch is the number of customers per Arrow record.
const scoreBatch = 64 * 1024

// writeScores loads the scores into customer_model_scores through Arrow.
func writeScores(ctx context.Context, db *duck.DB, ids []string, m *modelResult) error {
	b := array.NewRecordBuilder(memory.DefaultAllocator, scoreSchema)
	defer b.Release()
	var recs []arrow.RecordBatch
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	for lo := 0; lo < len(ids) || lo == 0; lo += scoreBatch {
		hi := min(lo+scoreBatch, len(ids))
		for i := lo; i < hi; i++ {
			appendScore(b, ids[i], m.scores[i])
		}
		recs = append(recs, b.NewRecordBatch())
		if hi == len(ids) {
			break
		}
	}
	reader, err := array.NewRecordReader(scoreSchema, recs)
	if err != nil {
		return err
	}
	defer reader.Release()
	return db.LoadArrow(ctx, "customer_model_scores", reader)
}

func appendScore(b *array.RecordBuilder, id string, s customerScore) {
	b.Field(0).(*array.StringBuilder).Append(id)
	for j, v := range []float64{s.pAlive, s.expected90, s.aov, s.clv} {
		fb := b.Field(j + 1).(*array.Float64Builder)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			fb.AppendNull()
		} else {
			fb.Append(v)
		}
	}
	nb := b.Field(5).(*array.StringBuilder)
	if s.note == "" {
		nb.AppendNull()
	} else {
		nb.Append(s.note)
	}
}
