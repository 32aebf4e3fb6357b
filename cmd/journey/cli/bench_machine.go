package cli

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/internal/sysmem"
)

// machine describes where a bench ran.
type machine struct {
	CPU        string `json:"cpu"`
	Cores      int    `json:"cores"`
	MemBytes   int64  `json:"memory_bytes"`
	OS         string `json:"os"`
	Kernel     string `json:"kernel,omitempty"`
	Arch       string `json:"arch"`
	Go         string `json:"go"`
	DuckDB     string `json:"duckdb"`
	DuckDBGo   string `json:"duckdb_go"`
	Journey    string `json:"journey"`
	LoadAvg    string `json:"load_average,omitempty"` // at the end of the bench
	Hostname   string `json:"hostname,omitempty"`
	GoMaxProcs int    `json:"gomaxprocs"`
}

// describeMachine reads the machine's description. It opens an in-memory
// DuckDB for its version, so it is called after the runs: this process's
// memory must stay small while it starts them (see maxRSS).
func describeMachine(ctx context.Context) machine {
	m := machine{
		CPU: cpuModel(), Cores: runtime.NumCPU(), MemBytes: sysmem.Total(), OS: osName(),
		Kernel: readFirstLine("/proc/sys/kernel/osrelease"), Arch: runtime.GOARCH, Go: runtime.Version(),
		Journey: Version, GoMaxProcs: runtime.GOMAXPROCS(0), DuckDB: duckdbVersion(ctx), DuckDBGo: moduleVersion("github.com/duckdb/duckdb-go/v2"),
	}
	if f := strings.Fields(readFirstLine("/proc/loadavg")); len(f) >= 3 {
		m.LoadAvg = strings.Join(f[:3], " ")
	}
	m.Hostname, _ = os.Hostname()
	return m
}

// cpuModel is the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// osName is PRETTY_NAME of /etc/os-release, or GOOS.
func osName() string {
	b, err := os.ReadFile("/etc/os-release")
	if err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "PRETTY_NAME="); ok {
				return runtime.GOOS + ", " + strings.Trim(v, `"`)
			}
		}
	}
	return runtime.GOOS
}

func readFirstLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line)
}

// duckdbVersion asks an in-memory DuckDB for its version.
func duckdbVersion(ctx context.Context) string {
	db, err := duck.Open(ctx, duck.Settings{})
	if err != nil {
		return "unknown"
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(ctx, "SELECT version()").Scan(&v); err != nil {
		return "unknown"
	}
	return v
}

// moduleVersion is the version of a module built into this binary.
func moduleVersion(path string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, d := range info.Deps {
		if d.Path == path {
			return d.Version
		}
	}
	return "unknown"
}
