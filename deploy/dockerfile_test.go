package deploy

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// repoRoot is the module root, seen from this package's folder.
const repoRoot = ".."

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dockerInstructions returns the Dockerfile's instructions, continuation
// lines joined and comments dropped.
func dockerInstructions(text string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		out = append(out, cur.String())
		cur.Reset()
	}
	return out
}

var (
	makeTags    = regexp.MustCompile(`(?m)^TAGS\s*:?=\s*(.+?)\s*$`)
	goModGo     = regexp.MustCompile(`(?m)^go\s+(\S+)\s*$`)
	golangImage = regexp.MustCompile(`^FROM\s+golang:(\d+\.\d+(?:\.\d+)?)-bookworm\b`)
)

// TestDockerfile checks that the image is built like `make build`: the
// Makefile's build tags, cgo on, the Go release of go.mod; and that it
// runs journey as a non-root user.
func TestDockerfile(t *testing.T) {
	ins := dockerInstructions(readRepoFile(t, "Dockerfile"))
	m := makeTags.FindStringSubmatch(readRepoFile(t, "Makefile"))
	if m == nil {
		t.Fatal("Makefile: no TAGS := line")
	}
	tags := m[1]
	m = goModGo.FindStringSubmatch(readRepoFile(t, "go.mod"))
	if m == nil {
		t.Fatal("go.mod: no go line")
	}
	goVersion := m[1]

	var builds, images []string
	var entrypoint, user string
	for _, in := range ins {
		if g := golangImage.FindStringSubmatch(in); g != nil {
			images = append(images, g[1])
		}
		switch {
		case strings.HasPrefix(in, "RUN ") && strings.Contains(in, "go build"):
			builds = append(builds, in)
		case strings.HasPrefix(in, "ENTRYPOINT "):
			entrypoint = strings.TrimSpace(strings.TrimPrefix(in, "ENTRYPOINT"))
		case strings.HasPrefix(in, "USER "):
			user = strings.TrimSpace(strings.TrimPrefix(in, "USER"))
		}
	}
	if len(images) != 1 {
		t.Errorf("want one builder stage FROM golang:<version>-bookworm, found %q", images)
	}
	for _, v := range images {
		if goVersion != v && !strings.HasPrefix(goVersion, v+".") {
			t.Errorf("builder golang:%s-bookworm does not match go.mod's go %s", v, goVersion)
		}
	}
	if len(builds) != 1 {
		t.Fatalf("want one RUN … go build, found %d", len(builds))
	}
	for _, want := range []string{tags + " ", "CGO_ENABLED=1", "-trimpath", "-ldflags", "-o /journey", "./cmd/journey"} {
		if !strings.Contains(builds[0]+" ", want) {
			t.Errorf("the go build does not use %q (Makefile TAGS: %q): %s", strings.TrimSpace(want), tags, builds[0])
		}
	}
	if entrypoint != `["`+journeyEntrypoint+`"]` {
		t.Errorf("ENTRYPOINT %s, want [%q]", entrypoint, journeyEntrypoint)
	}
	if name, _, _ := strings.Cut(user, ":"); name == "" || name == "root" || name == "0" {
		t.Errorf("the image runs as %q; want a non-root USER", user)
	}
}

// TestDockerignoreKeepsBuildInputs asks `go list` which files the build of
// ./cmd/journey reads from this module (Go and cgo sources, and the files
// embedded with go:embed, such as the demo data and the SQL models) and
// checks .dockerignore excludes none of them.
func TestDockerignoreKeepsBuildInputs(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	ignore := parseDockerignore(readRepoFile(t, ".dockerignore"))
	for _, must := range []string{".git", "out", "bin"} {
		if !ignore.excluded(must) {
			t.Errorf(".dockerignore keeps %s", must)
		}
	}
	cmd := exec.CommandContext(t.Context(), "go", "list", "-deps", "-tags", "duckdb_arrow", "-json=Dir,Module,GoFiles,CgoFiles,CFiles,CXXFiles,HFiles,SFiles,SysoFiles,EmbedFiles", "./cmd/journey")
	cmd.Dir = repoRoot
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"go.mod", "go.sum"}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Module == nil || !p.Module.Main {
			continue
		}
		rel, err := filepath.Rel(root, p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, list := range [][]string{p.GoFiles, p.CgoFiles, p.CFiles, p.CXXFiles, p.HFiles, p.SFiles, p.SysoFiles, p.EmbedFiles} {
			for _, f := range list {
				files = append(files, filepath.ToSlash(filepath.Join(rel, f)))
			}
		}
	}
	if len(files) < 10 {
		t.Fatalf("go list named only %v", files)
	}
	for _, f := range files {
		if ignore.excluded(f) {
			t.Errorf(".dockerignore excludes %s, which the build reads", f)
		}
	}
}

// listedPackage is what TestDockerignoreKeepsBuildInputs reads of `go list -json`.
type listedPackage struct {
	Dir    string
	Module *struct{ Main bool }

	GoFiles, CgoFiles, CFiles, CXXFiles, HFiles, SFiles, SysoFiles, EmbedFiles []string
}

// dockerignore holds .dockerignore's rules in order; the last rule that
// matches a path or one of its parent folders decides, and `!` re-includes.
type dockerignore []struct {
	re     *regexp.Regexp
	negate bool
}

func parseDockerignore(text string) dockerignore {
	var d dockerignore
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		negate := strings.HasPrefix(line, "!")
		line = filepath.ToSlash(filepath.Clean(strings.TrimPrefix(line, "!")))
		line = strings.TrimPrefix(line, "/")
		d = append(d, struct {
			re     *regexp.Regexp
			negate bool
		}{globRegexp(line), negate})
	}
	return d
}

// globRegexp translates a .dockerignore pattern: * and ? within a path
// element, ** across elements.
func globRegexp(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; {
		case strings.HasPrefix(pattern[i:], "**/"):
			b.WriteString("(.*/)?")
			i += 2
		case strings.HasPrefix(pattern[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// excluded reports whether the build context leaves out path (slash-separated, relative).
func (d dockerignore) excluded(p string) bool {
	out := false
	for _, r := range d {
		for q := p; q != "." && q != "/" && q != ""; q = filepath.ToSlash(filepath.Dir(q)) {
			if r.re.MatchString(q) {
				out = !r.negate
				break
			}
		}
	}
	return out
}
