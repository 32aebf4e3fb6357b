package sinks

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite "+DictionaryPath+" from Dictionary()")

// TestDataDictionary keeps the shipped data dictionary equal to the
// declaration. After changing a declaration, rewrite it with
//
//	go test -tags duckdb_arrow ./sinks -run TestDataDictionary -update
func TestDataDictionary(t *testing.T) {
	path := filepath.Join("..", filepath.FromSlash(DictionaryPath))
	got := Dictionary()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the data dictionary (create it with -update): %v", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from sinks.Dictionary() at %s; run go test -tags duckdb_arrow ./sinks -run TestDataDictionary -update",
			DictionaryPath, firstDifference(string(want), got))
	}
}

func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		if i >= len(w) || i >= len(g) || w[i] != g[i] {
			return "line " + strconv.Itoa(i+1)
		}
	}
	return "the end"
}

func TestDictionaryCoversEveryColumn(t *testing.T) {
	d := Dictionary()
	for _, tbl := range Tables() {
		if !strings.Contains(d, "\n## "+tbl.Name+"\n") {
			t.Errorf("no section for %s", tbl.Name)
		}
		for _, c := range tbl.Columns {
			if !strings.Contains(d, "| `"+c.Name+"`") {
				t.Errorf("%s.%s is not listed", tbl.Name, c.Name)
			}
		}
	}
	for _, m := range Metrics() {
		if !strings.Contains(d, "](#"+slug(m.Name)+")") || !strings.Contains(d, "\n### "+m.Name+"\n") {
			t.Errorf("metric %s is not linked or not defined", m.Name)
		}
	}
}
