package store

import (
	"errors"
	"path"
	"testing"
)

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"*.csv", "a.csv", true},
		{"*.csv", "d/a.csv", false},
		{"d/*.csv", "d/a.csv", true},
		{"**/*.csv", "a.csv", true},
		{"**/*.csv", "x/y/z/a.csv", true},
		{"**/*.csv", "x/y/a.json", false},
		{"x/**", "x/y/z", true},
		{"x/**/z", "x/z", true},
		{"x/**/z", "x/a/b/z", true},
		{"x/**/**/z", "x/a/z", true},
		{"x/**/z", "x/a/b/y", false},
		{"orders-2024-0[1-6]-??.csv.gz", "orders-2024-03-15.csv.gz", true},
		{"orders-2024-0[1-6]-??.csv.gz", "orders-2024-07-15.csv.gz", false},
		{`a\*b`, "a*b", true},
		{`a\*b`, "axb", false},
	}
	for _, tc := range tests {
		g, err := compileGlob(tc.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got := g.match(tc.name); got != tc.want {
			t.Errorf("match(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

func TestGlobLiteralPrefix(t *testing.T) {
	tests := map[string]string{
		"exports/2024-*/orders.csv": "exports/2024-",
		"exports/orders.csv":        "exports/orders.csv",
		"**/x":                      "",
		"a/b?c":                     "a/b",
		"a/[bc]":                    "a/",
		`a\*b/*`:                    "a*b/",
	}
	for pattern, want := range tests {
		if got := literalPrefix(pattern); got != want {
			t.Errorf("literalPrefix(%q) = %q, want %q", pattern, got, want)
		}
	}
}

func TestGlobMayContain(t *testing.T) {
	tests := []struct {
		pattern, dir string
		want         bool
	}{
		{"a/*/c.csv", "a", true},
		{"a/*/c.csv", "a/b", true},
		{"a/*/c.csv", "a/b/c", false},
		{"a/*/c.csv", "x", false},
		{"*.csv", "sub", false},
		{"a/**/c.csv", "a/b/c/d", true},
		{"**", "anything/at/all", true},
	}
	for _, tc := range tests {
		g, _ := compileGlob(tc.pattern)
		if got := g.mayContain(tc.dir); got != tc.want {
			t.Errorf("mayContain(%q, %q) = %v, want %v", tc.pattern, tc.dir, got, tc.want)
		}
	}
}

func TestGlobBadPatterns(t *testing.T) {
	for _, p := range []string{"a**", "x/**.csv", "[", "a/[b"} {
		if _, err := compileGlob(p); !errors.Is(err, path.ErrBadPattern) {
			t.Errorf("compileGlob(%q) = %v, want ErrBadPattern", p, err)
		}
	}
}
