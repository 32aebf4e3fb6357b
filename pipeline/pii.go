package pipeline

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/journeydata/journey/internal/check"
	"github.com/journeydata/journey/internal/duck"
)

// PII says how personal data (emails, names) may appear in the outputs.
type PII struct {
	// Mode is "hash" (default): outputs carry a keyed hash of the email
	// (email_hash) and no raw email or name, and reject records have them
	// hashed; or "keep": email and name are published as they are.
	Mode string `yaml:"mode"`
	// KeyEnv names the environment variable that holds the secret hashing
	// key (default JOURNEY_PII_KEY). The key never sits in the config.
	KeyEnv string `yaml:"key_env"`
}

// DefaultPIIKeyEnv is the variable holding the hashing key unless pii.key_env says otherwise.
const DefaultPIIKeyEnv = "JOURNEY_PII_KEY"

func (p *PII) applyDefaults() {
	if p.Mode == "" {
		p.Mode = "hash"
	}
	if p.KeyEnv == "" {
		p.KeyEnv = DefaultPIIKeyEnv
	}
}

func (p PII) validate(l check.List) {
	if p.Mode != "hash" && p.Mode != "keep" {
		l.Add("mode", "use hash (publish a keyed hash of emails, no names) or keep (publish them as they are)", "unknown mode %q", p.Mode)
	}
}

// Keep reports whether raw emails and names are published.
func (p PII) Keep() bool { return p.Mode == "keep" }

// hasher returns the hasher for the run: keyed with the secret from the
// environment when hashing, which is then required.
func (p PII) hasher() (duck.Hasher, error) {
	key := os.Getenv(p.KeyEnv)
	if !p.Keep() && key == "" {
		l := check.NewList()
		l.Add("pii.key_env", fmt.Sprintf("export %s with a secret of your own (e.g. the output of `openssl rand -hex 32`), or set pii.mode: keep to publish emails and names as they are", p.KeyEnv),
			"hashing of personal data is on, but the environment variable %s is empty", p.KeyEnv)
		return duck.Hasher{}, l.Err()
	}
	return duck.NewHasher([]byte(key)), nil
}

// redactRejects hashes the emails and names in the raw records of the rejects.
func (r *run) redactRejects(ctx context.Context) error {
	if r.cfg.PII.Keep() {
		return nil
	}
	for _, s := range r.cfg.Sources {
		var names []string
		if c, ok := s.Columns["name"]; ok {
			names = append(names, c)
		}
		_, err := r.db.ExecContext(ctx, "UPDATE rejects SET raw_record = pii_redact(raw_record, $1) WHERE source = $2",
			strings.Join(names, "\x1f"), s.Name)
		if err != nil {
			return fmt.Errorf("hash personal data in the rejects of %s: %w", s.Name, err)
		}
	}
	return nil
}
