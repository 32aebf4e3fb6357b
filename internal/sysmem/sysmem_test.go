package sysmem

import "testing"

func TestParse(t *testing.T) {
	for in, want := range map[string]int64{"4GB": 4e9, "512MiB": 512 << 20, "1.5GiB": 3 << 29, "100 KB": 1e5} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := Parse("lots"); err == nil {
		t.Error("Parse(lots) succeeded")
	}
	if Total() <= 0 {
		t.Error("Total() found no memory")
	}
	if Format(3<<29) != "1536MiB" {
		t.Errorf("Format = %s", Format(3<<29))
	}
}
