package duck_test

import (
	"context"
	"testing"

	"github.com/journeydata/journey/internal/duck"
)

// TestOpenSettings checks that Open applies the settings it promises.
func TestOpenSettings(t *testing.T) {
	db, err := duck.Open(context.Background(), duck.Settings{MemoryLimit: "1GB", Threads: 1, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, want := range map[string]string{
		"memory_limit":                 "953.6 MiB",
		"threads":                      "1",
		"preserve_insertion_order":     "false",
		"autoload_known_extensions":    "false",
		"autoinstall_known_extensions": "false",
		"allocator_background_threads": "true",
		"allocator_flush_threshold":    "30.5 MiB",
		"TimeZone":                     "UTC",
	} {
		var got string
		if err := db.QueryRow("SELECT current_setting($1)::VARCHAR", name).Scan(&got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}
