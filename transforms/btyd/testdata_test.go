package btyd

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// readCDNOW reads a CDNOW summary file from testdata. The columns after the
// id are frequency, recency, age and, when present, the mean repeat value.
func readCDNOW(t testing.TB, name string) []Customer {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	cs := make([]Customer, 0, len(records)-1)
	for i, rec := range records[1:] {
		var v [4]float64
		for j := range len(rec) - 1 {
			if v[j], err = strconv.ParseFloat(rec[j+1], 64); err != nil {
				t.Fatalf("%s line %d: %v", name, i+2, err)
			}
		}
		cs = append(cs, Customer{X: v[0], TX: v[1], T: v[2], M: v[3]})
	}
	return cs
}
