package deploy

import (
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/journeydata/journey/pipeline"
)

// TestConfigsLoad loads every journey configuration under deploy/ (each
// ConfigMap key ending in .yaml, and every journey.yaml file) with the
// loader `journey run` uses. Loading parses and validates; it reads no
// source and needs no secret.
func TestConfigsLoad(t *testing.T) {
	n := 0
	for _, d := range loadDocuments(t) {
		if d.m.Kind != "ConfigMap" {
			continue
		}
		for key, text := range d.m.Data {
			if strings.HasSuffix(key, ".yaml") {
				n++
				loadConfig(t, d.String()+" "+key, key, []byte(text))
			}
		}
	}
	files, _ := filepath.Glob("*/journey.yaml")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n++
		loadConfig(t, f, "journey.yaml", b)
	}
	if n == 0 {
		t.Error("no journey configuration under deploy/")
	}
}

// loadConfig writes text to a temporary folder as name and loads it.
func loadConfig(t *testing.T, what, name string, text []byte) *pipeline.Config {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, text, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := pipeline.Load(p)
	if err != nil {
		t.Errorf("%s: pipeline.Load: %v", what, err)
		return nil
	}
	return cfg
}

// TestContainersMatchTheirConfig follows each container's --config to the
// configuration it mounts and checks the two agree: the PII key comes from
// a secret, work_dir is on a volume sized for it (Kubernetes mounts the
// root file system read-only), and the container has room beyond DuckDB's
// memory_limit.
func TestContainersMatchTheirConfig(t *testing.T) {
	docs := loadDocuments(t)
	for _, w := range workloads(t, docs) {
		for _, c := range w.pod.Containers {
			inv, err := parseArgs(c.Args)
			if err != nil {
				continue // TestContainerArgs reports it
			}
			what := fmt.Sprintf("%s: container %s", w, c.Name)
			name, text, err := mountedConfig(w, c, docs, inv.flags["config"])
			if err != nil {
				t.Errorf("%s: --config %s: %v", what, inv.flags["config"], err)
				continue
			}
			cfg := loadConfig(t, what+" --config "+inv.flags["config"], name, text)
			if cfg == nil {
				continue
			}
			checkPIIKey(t, what, c, cfg)
			checkMemory(t, what, c, cfg)
			checkShardingCount(t, what, w, inv, cfg)
			if w.platform == "kubernetes" {
				checkWorkDir(t, what, w.pod, c, cfg)
			}
		}
	}
}

// mountedConfig returns the file a container's --config path names: a
// ConfigMap key (Kubernetes), or for a secret volume (Cloud Run, Secret
// Manager) the journey.yaml beside the manifest, which is uploaded as it.
func mountedConfig(w workload, c container, docs []document, configPath string) (string, []byte, error) {
	dir, base := path.Split(configPath)
	dir = strings.TrimSuffix(dir, "/")
	for _, m := range c.VolumeMounts {
		if strings.TrimSuffix(m.MountPath, "/") != dir {
			continue
		}
		v := w.pod.volume(m.Name)
		switch {
		case v == nil:
			return "", nil, fmt.Errorf("volume %q is not defined", m.Name)
		case v.ConfigMap != nil:
			key := itemKey(v.ConfigMap.Items, base)
			for _, d := range docs {
				if d.m.Kind == "ConfigMap" && d.m.Metadata.Name == v.ConfigMap.Name {
					if text, ok := d.m.Data[key]; ok {
						return base, []byte(text), nil
					}
					return "", nil, fmt.Errorf("ConfigMap %s has no key %q", v.ConfigMap.Name, key)
				}
			}
			return "", nil, fmt.Errorf("ConfigMap %s is not under deploy/", v.ConfigMap.Name)
		case v.Secret != nil:
			if itemKey(v.Secret.Items, base) == "" {
				return "", nil, fmt.Errorf("secret volume %q has no item with path %q", m.Name, base)
			}
			f := filepath.Join(filepath.Dir(w.doc.file), "journey.yaml")
			b, err := os.ReadFile(f)
			return base, b, err
		}
		return "", nil, fmt.Errorf("volume %q is neither a ConfigMap nor a secret", m.Name)
	}
	return "", nil, fmt.Errorf("no volume is mounted at %s", dir)
}

// itemKey returns the key of the item mounted as file, or file itself when
// the volume maps every key to a file of its name.
func itemKey(items []keyPath, file string) string {
	if len(items) == 0 {
		return file
	}
	for _, it := range items {
		if it.Path == file {
			return it.Key
		}
	}
	return ""
}

func checkPIIKey(t *testing.T, what string, c container, cfg *pipeline.Config) {
	t.Helper()
	if cfg.PII.Keep() {
		return
	}
	e := c.env(cfg.PII.KeyEnv)
	if e == nil || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil ||
		e.ValueFrom.SecretKeyRef.Name == "" || e.ValueFrom.SecretKeyRef.Key == "" {
		t.Errorf("%s: pii.key_env %s must be set from a secret (secretKeyRef)", what, cfg.PII.KeyEnv)
	}
}

// checkShardingCount wants sharding.count, when the configuration sets it,
// to agree with the shard count of the workload that mounts it.
func checkShardingCount(t *testing.T, what string, w workload, inv invocation, cfg *pipeline.Config) {
	t.Helper()
	n := cfg.Sharding.Count
	if n == 0 {
		return
	}
	switch {
	case inv.command == "finalize":
		if inv.flags["shards"] != strconv.Itoa(n) {
			t.Errorf("%s: finalize --shards %s, but sharding.count is %d", what, inv.flags["shards"], n)
		}
	case w.platform == "kubernetes" && w.job.Completions != nil && *w.job.Completions != n:
		t.Errorf("%s: completions %d, but sharding.count is %d", what, *w.job.Completions, n)
	case w.platform == "cloudrun" && w.taskCount != nil && *w.taskCount != n:
		t.Errorf("%s: taskCount %d, but sharding.count is %d (CLOUD_RUN_TASK_COUNT wins)", what, *w.taskCount, n)
	}
}

func checkWorkDir(t *testing.T, what string, pod podSpec, c container, cfg *pipeline.Config) {
	t.Helper()
	if cfg.WorkDir == "" || !filepath.IsAbs(cfg.WorkDir) {
		t.Errorf("%s: set work_dir to an absolute path on a mounted volume, not %q", what, cfg.WorkDir)
		return
	}
	for _, m := range c.VolumeMounts {
		mp := strings.TrimSuffix(m.MountPath, "/")
		if cfg.WorkDir != mp && !strings.HasPrefix(cfg.WorkDir, mp+"/") {
			continue
		}
		v := pod.volume(m.Name)
		if v == nil || v.EmptyDir == nil || v.EmptyDir.SizeLimit == "" {
			t.Errorf("%s: work_dir %s is on volume %q, want an emptyDir with a sizeLimit", what, cfg.WorkDir, m.Name)
		}
		return
	}
	t.Errorf("%s: work_dir %s is on no mounted volume", what, cfg.WorkDir)
}

// checkMemory wants duckdb.memory_limit set (else DuckDB takes 80 % of what
// it believes the machine has) and the container's memory limit at least
// 1.5 times it, and no more DuckDB threads than CPUs.
func checkMemory(t *testing.T, what string, c container, cfg *pipeline.Config) {
	t.Helper()
	duck, err := duckdbBytes(cfg.DuckDB.MemoryLimit)
	if err != nil {
		t.Errorf("%s: duckdb.memory_limit: %v", what, err)
		return
	}
	limit, err := quantity(c.Resources.Limits["memory"])
	if err != nil {
		t.Errorf("%s: resources.limits.memory: %v", what, err)
		return
	}
	if limit < 1.5*duck {
		t.Errorf("%s: memory limit %s is less than 1.5 x duckdb.memory_limit %s", what, c.Resources.Limits["memory"], cfg.DuckDB.MemoryLimit)
	}
	cpu, err := quantity(c.Resources.Limits["cpu"])
	if err != nil {
		t.Errorf("%s: resources.limits.cpu: %v", what, err)
		return
	}
	if cfg.DuckDB.Threads == 0 || float64(cfg.DuckDB.Threads) > cpu {
		t.Errorf("%s: duckdb.threads %d, want 1..%g (the CPU limit)", what, cfg.DuckDB.Threads, cpu)
	}
}

var (
	duckSize = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)
	k8sQty   = regexp.MustCompile(`^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$`)
	units    = map[string]float64{
		"": 1, "B": 1, "m": 1e-3, "k": 1e3, "KB": 1e3, "M": 1e6, "MB": 1e6, "G": 1e9, "GB": 1e9, "T": 1e12, "TB": 1e12,
		"Ki": 1 << 10, "KiB": 1 << 10, "Mi": 1 << 20, "MiB": 1 << 20, "Gi": 1 << 30, "GiB": 1 << 30, "Ti": 1 << 40, "TiB": 1 << 40,
	}
)

// duckdbBytes reads a DuckDB memory size: KB, MB, GB, TB are powers of
// 1000, KiB … TiB powers of 1024.
func duckdbBytes(s string) (float64, error) { return scaled(duckSize, s, "a DuckDB size such as 4GB") }

// quantity reads a Kubernetes (and Cloud Run) resource quantity.
func quantity(s string) (float64, error) { return scaled(k8sQty, s, "a quantity such as 8Gi or 2") }

func scaled(re *regexp.Regexp, s, want string) (float64, error) {
	m := re.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return math.NaN(), fmt.Errorf("%q is not %s", s, want)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	return v * units[m[2]], err
}
