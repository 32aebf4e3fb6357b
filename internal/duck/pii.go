package duck

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
)

// emailPattern finds email addresses inside free text.
var emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)

// Hasher turns personal data into stable pseudonyms: HMAC-SHA256 with a
// secret key when keyed (so the values cannot be recovered by hashing
// guesses), plain SHA-256 otherwise. Equal inputs give equal outputs, so BI
// joins on the pseudonym still work.
type Hasher struct {
	key []byte
}

// NewHasher returns a keyed hasher, or an unkeyed one for an empty key.
func NewHasher(key []byte) Hasher { return Hasher{key: key} }

// Hash returns the 32-hex-digit pseudonym of s.
func (h Hasher) Hash(s string) string {
	var sum []byte
	if len(h.key) > 0 {
		m := hmac.New(sha256.New, h.key)
		m.Write([]byte(s))
		sum = m.Sum(nil)
	} else {
		s := sha256.Sum256([]byte(s))
		sum = s[:]
	}
	return hex.EncodeToString(sum[:16])
}

// Redact replaces every email address in text by "pii:" and the hash of
// its lower-cased form, and the JSON string value of each key in nameKeys
// by the hash of the value. When nameKeys is non-empty and text is not a
// JSON object, the names cannot be located and the whole text is withheld.
func (h Hasher) Redact(text string, nameKeys []string) string {
	out := emailPattern.ReplaceAllStringFunc(text, func(e string) string { return "pii:" + h.Hash(strings.ToLower(e)) })
	if len(nameKeys) == 0 {
		return out
	}
	if !strings.HasPrefix(strings.TrimSpace(out), "{") {
		return fmt.Sprintf("[withheld: a record of %d bytes that could not be parsed, from a source with personal names]", len(text))
	}
	for _, k := range nameKeys {
		re := regexp.MustCompile(`("` + regexp.QuoteMeta(k) + `"\s*:\s*)"((?:[^"\\]|\\.)*)"`)
		out = re.ReplaceAllStringFunc(out, func(m string) string {
			sub := re.FindStringSubmatch(m)
			return sub[1] + `"pii:` + h.Hash(sub[2]) + `"`
		})
	}
	return out
}

// RegisterPII adds two SQL functions to the database: pii_hash(text), the
// pseudonym of text, and pii_redact(text, name_keys), where name_keys is
// the source's name columns joined with "\x1f" (see Hasher.Redact).
func (db *DB) RegisterPII(ctx context.Context, h Hasher) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("register pii functions: %w", err)
	}
	defer conn.Close()
	text, err := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	if err != nil {
		return fmt.Errorf("register pii functions: %w", err)
	}
	hash := udf{in: []duckdb.TypeInfo{text}, out: text, fn: func(v []driver.Value) (any, error) {
		return h.Hash(v[0].(string)), nil
	}}
	redact := udf{in: []duckdb.TypeInfo{text, text}, out: text, fn: func(v []driver.Value) (any, error) {
		var keys []string
		if k := v[1].(string); k != "" {
			keys = strings.Split(k, "\x1f")
		}
		return h.Redact(v[0].(string), keys), nil
	}}
	if err := duckdb.RegisterScalarUDF(conn, "pii_hash", hash); err != nil {
		return fmt.Errorf("register pii_hash: %w", err)
	}
	if err := duckdb.RegisterScalarUDF(conn, "pii_redact", redact); err != nil {
		return fmt.Errorf("register pii_redact: %w", err)
	}
	return nil
}

// udf is a deterministic scalar function over text.
type udf struct {
	in  []duckdb.TypeInfo
	out duckdb.TypeInfo
	fn  func([]driver.Value) (any, error)
}

func (u udf) Config() duckdb.ScalarFuncConfig {
	return duckdb.ScalarFuncConfig{InputTypeInfos: u.in, ResultTypeInfo: u.out}
}

func (u udf) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: u.fn}
}
