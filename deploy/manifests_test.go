package deploy

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// document is one YAML document of a file under deploy/.
type document struct {
	file string // relative to deploy/
	n    int    // 0-based index of the document in the file
	m    manifest
}

func (d document) String() string {
	name := d.m.Metadata.Name
	if name == "" {
		name = d.m.Metadata.GenerateName
	}
	return d.file + "#" + strconv.Itoa(d.n) + " " + d.m.Kind + " " + name
}

// manifest is the part of a Kubernetes or Cloud Run object the tests read.
type manifest struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name         string `yaml:"name"`
		GenerateName string `yaml:"generateName"`
	} `yaml:"metadata"`
	Data map[string]string `yaml:"data"`
	Spec yaml.Node         `yaml:"spec"`
}

type cronJobSpec struct {
	JobTemplate struct {
		Spec jobSpec `yaml:"spec"`
	} `yaml:"jobTemplate"`
}

type jobSpec struct {
	CompletionMode          string `yaml:"completionMode"`
	Completions             *int   `yaml:"completions"`
	Parallelism             *int   `yaml:"parallelism"`
	BackoffLimitPerIndex    *int   `yaml:"backoffLimitPerIndex"`
	TTLSecondsAfterFinished *int   `yaml:"ttlSecondsAfterFinished"`
	PodFailurePolicy        struct {
		Rules []podFailureRule `yaml:"rules"`
	} `yaml:"podFailurePolicy"`
	Template struct {
		Spec podSpec `yaml:"spec"`
	} `yaml:"template"`
}

type podFailureRule struct {
	Action      string `yaml:"action"`
	OnExitCodes *struct {
		ContainerName string `yaml:"containerName"`
		Operator      string `yaml:"operator"`
		Values        []int  `yaml:"values"`
	} `yaml:"onExitCodes"`
}

// cloudRunJobSpec is the spec of a run.googleapis.com/v1 Job.
type cloudRunJobSpec struct {
	Template struct {
		Spec struct {
			TaskCount   *int `yaml:"taskCount"`
			Parallelism *int `yaml:"parallelism"`
			Template    struct {
				Spec struct {
					podSpec        `yaml:",inline"`
					MaxRetries     *int   `yaml:"maxRetries"`
					TimeoutSeconds string `yaml:"timeoutSeconds"` // an int64 in JSON, so often quoted
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	} `yaml:"template"`
}

type podSpec struct {
	ServiceAccountName string      `yaml:"serviceAccountName"`
	RestartPolicy      string      `yaml:"restartPolicy"`
	Containers         []container `yaml:"containers"`
	Volumes            []volume    `yaml:"volumes"`
}

type container struct {
	Name      string   `yaml:"name"`
	Image     string   `yaml:"image"`
	Command   []string `yaml:"command"`
	Args      []string `yaml:"args"`
	Env       []envVar `yaml:"env"`
	Resources struct {
		Limits   map[string]string `yaml:"limits"`
		Requests map[string]string `yaml:"requests"`
	} `yaml:"resources"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
}

type envVar struct {
	Name      string `yaml:"name"`
	Value     string `yaml:"value"`
	ValueFrom *struct {
		FieldRef *struct {
			FieldPath string `yaml:"fieldPath"`
		} `yaml:"fieldRef"`
		SecretKeyRef *struct {
			Name string `yaml:"name"`
			Key  string `yaml:"key"`
		} `yaml:"secretKeyRef"`
	} `yaml:"valueFrom"`
}

// env returns the variable named name, or nil.
func (c container) env(name string) *envVar {
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	return nil
}

type volume struct {
	Name      string `yaml:"name"`
	ConfigMap *struct {
		Name  string    `yaml:"name"`
		Items []keyPath `yaml:"items"`
	} `yaml:"configMap"`
	Secret *struct {
		SecretName string    `yaml:"secretName"`
		Items      []keyPath `yaml:"items"`
	} `yaml:"secret"`
	EmptyDir *struct {
		Medium    string `yaml:"medium"`
		SizeLimit string `yaml:"sizeLimit"`
	} `yaml:"emptyDir"`
}

type keyPath struct {
	Key  string `yaml:"key"`
	Path string `yaml:"path"`
}

// volume returns the pod's volume named name, or nil.
func (p podSpec) volume(name string) *volume {
	for i := range p.Volumes {
		if p.Volumes[i].Name == name {
			return &p.Volumes[i]
		}
	}
	return nil
}

// loadDocuments parses every YAML document of every .yaml/.yml file under
// deploy/. A journey configuration file (named journey.yaml) is loaded by
// the configuration tests instead and is not a manifest.
func loadDocuments(t *testing.T) []document {
	t.Helper()
	var docs []document
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if isConfigFile(path) {
			var v map[string]any
			if err := yaml.Unmarshal(b, &v); err != nil {
				t.Errorf("%s: %v", path, err)
			}
			return nil
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for n := 0; ; n++ {
			var m manifest
			err := dec.Decode(&m)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("%s, document %d: %v", path, n, err)
				break
			}
			if m.APIVersion == "" || m.Kind == "" {
				t.Errorf("%s, document %d: no apiVersion or kind", path, n)
				continue
			}
			docs = append(docs, document{file: filepath.ToSlash(path), n: n, m: m})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.SliceStable(docs, func(i, j int) bool { return docs[i].file < docs[j].file })
	return docs
}

// isConfigFile reports whether path is a journey configuration rather than
// a manifest.
func isConfigFile(path string) bool { return filepath.Base(path) == "journey.yaml" }

// workload is a pod template that runs journey, with what decides its shards.
type workload struct {
	doc      document
	platform string   // "kubernetes" or "cloudrun"
	job      *jobSpec // Kubernetes: the Job spec (of a Job or a CronJob's jobTemplate)
	pod      podSpec
	// Cloud Run: the execution template.
	taskCount, parallelism, maxRetries *int
	timeoutSeconds                     string
}

func (w workload) String() string { return w.doc.String() }

// workloads returns every pod template in docs.
func workloads(t *testing.T, docs []document) []workload {
	t.Helper()
	var ws []workload
	for _, d := range docs {
		switch {
		case d.m.APIVersion == "batch/v1" && d.m.Kind == "CronJob":
			var s cronJobSpec
			decodeSpec(t, d, &s)
			ws = append(ws, workload{doc: d, platform: "kubernetes", job: &s.JobTemplate.Spec, pod: s.JobTemplate.Spec.Template.Spec})
		case d.m.APIVersion == "batch/v1" && d.m.Kind == "Job":
			var s jobSpec
			decodeSpec(t, d, &s)
			ws = append(ws, workload{doc: d, platform: "kubernetes", job: &s, pod: s.Template.Spec})
		case strings.HasPrefix(d.m.APIVersion, "run.googleapis.com/") && d.m.Kind == "Job":
			var s cloudRunJobSpec
			decodeSpec(t, d, &s)
			e := s.Template.Spec
			ws = append(ws, workload{doc: d, platform: "cloudrun", pod: e.Template.Spec.podSpec,
				taskCount: e.TaskCount, parallelism: e.Parallelism,
				maxRetries: e.Template.Spec.MaxRetries, timeoutSeconds: e.Template.Spec.TimeoutSeconds})
		}
	}
	return ws
}

func decodeSpec(t *testing.T, d document, v any) {
	t.Helper()
	if err := d.m.Spec.Decode(v); err != nil {
		t.Fatalf("%s: spec: %v", d, err)
	}
}
