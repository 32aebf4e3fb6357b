package progress

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// TestJSONLinesWhenNotATerminal: off a terminal, progress is JSON log
// lines, periodic while running and one final line per task.
func TestJSONLinesWhenNotATerminal(t *testing.T) {
	var logs bytes.Buffer
	r := New(&bytes.Buffer{}, zerolog.New(&logs), 5*time.Millisecond)
	task := r.Task("backfill", 3)
	task.Step(false)
	time.Sleep(30 * time.Millisecond)
	task.Step(true)
	task.Step(false)
	task.Finish()
	r.Close()
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) < 2 {
		t.Fatalf("want periodic and final lines, got %q", logs.String())
	}
	var last struct {
		Task                string
		Done, Failed, Total int64
		Finished            bool
		Message             string
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatal(err)
	}
	if last.Task != "backfill" || last.Done != 3 || last.Failed != 1 || last.Total != 3 || !last.Finished || last.Message != "progress" {
		t.Errorf("last line %+v", last)
	}
	if strings.Count(logs.String(), `"finished":true`) != 1 {
		t.Errorf("a finished task is reported once:\n%s", logs.String())
	}
}
