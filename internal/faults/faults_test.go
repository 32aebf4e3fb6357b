package faults

import "testing"

func TestMatches(t *testing.T) {
	for _, c := range []struct {
		want, point string
		ok          bool
	}{
		{"", "publish.before:manifest", false},
		{"publish.before:manifest", "publish.before:manifest", true},
		{"publish.before:manifest", "publish.before:manifests", false},
		{"publish.upload:customer_metrics/*", "publish.upload:customer_metrics/snapshot_date=2025-06-30/part-0.parquet", true},
		{"publish.upload:customer_metrics/*", "publish.upload:customer_journey/snapshot_date=2025-06-30/part-0.parquet", false},
		{"*", "anything", true},
	} {
		if got := matches(c.want, c.point); got != c.ok {
			t.Errorf("matches(%q, %q) = %v, want %v", c.want, c.point, got, c.ok)
		}
	}
}

func TestPointIsANoOpWithoutTheTag(t *testing.T) {
	if Enabled() {
		t.Skip("built with faultinject")
	}
	t.Setenv(EnvPoint, "x")
	Point("x") // must return
}
