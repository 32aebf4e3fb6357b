package pipeline

import (
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/journeydata/journey/sources"
)

// Shard names one part of a sharded snapshot: customers whose resolved
// identity hashes to Index out of Count. Group names the attempt the shard
// belongs to (a Kubernetes Job, a Cloud Run execution), so that the parts
// of different attempts never mix.
type Shard struct {
	Index int    `json:"index"`
	Count int    `json:"count"`
	Group string `json:"group"`
}

// DefaultShardGroup is the group of shards started without one.
const DefaultShardGroup = "default"

// Environment variables that select a shard (see ShardFromEnv).
const (
	EnvShardCount         = "JOURNEY_SHARD_COUNT"
	EnvShardGroup         = "JOURNEY_SHARD_GROUP"
	EnvJobCompletionIndex = "JOB_COMPLETION_INDEX"
	EnvCloudRunTaskIndex  = "CLOUD_RUN_TASK_INDEX"
	EnvCloudRunTaskCount  = "CLOUD_RUN_TASK_COUNT"
	EnvCloudRunExecution  = "CLOUD_RUN_EXECUTION"
)

// MaxShards bounds the shard count.
const MaxShards = 4096

// String is "i/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// ParseShard reads "i/N" with 0 ≤ i < N.
func ParseShard(v string) (Shard, error) {
	i, n, ok := strings.Cut(v, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: use i/N, such as 0/4 for the first of four shards", v)
	}
	idx, err1 := strconv.Atoi(strings.TrimSpace(i))
	cnt, err2 := strconv.Atoi(strings.TrimSpace(n))
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard %q: use i/N with whole numbers, such as 0/4", v)
	}
	return NewShard(idx, cnt)
}

// NewShard checks index and count.
func NewShard(index, count int) (Shard, error) {
	if count < 1 || count > MaxShards {
		return Shard{}, fmt.Errorf("shard count %d: use 1 to %d", count, MaxShards)
	}
	if index < 0 || index >= count {
		return Shard{}, fmt.Errorf("shard index %d: use 0 to %d for %d shards", index, count-1, count)
	}
	return Shard{Index: index, Count: count}, nil
}

// ShardFromEnv finds the shard in the environment of a batch platform:
// Kubernetes Indexed Jobs set JOB_COMPLETION_INDEX (the count then comes
// from JOURNEY_SHARD_COUNT, else cfgCount); Cloud Run Jobs set
// CLOUD_RUN_TASK_INDEX and CLOUD_RUN_TASK_COUNT. ok is false when neither
// is set, or when the count is 1 (an unsharded run). The group is left for
// ShardGroup.
func ShardFromEnv(getenv func(string) string, cfgCount int) (s Shard, ok bool, err error) {
	index, count := "", ""
	var from string
	switch {
	case getenv(EnvJobCompletionIndex) != "":
		from = EnvJobCompletionIndex
		index, count = getenv(EnvJobCompletionIndex), getenv(EnvShardCount)
		if count == "" && cfgCount > 0 {
			count = strconv.Itoa(cfgCount)
		}
		if count == "" {
			return Shard{}, false, fmt.Errorf("%s is set but the shard count is not: set %s or sharding.count in the configuration",
				EnvJobCompletionIndex, EnvShardCount)
		}
	case getenv(EnvCloudRunTaskIndex) != "":
		from = EnvCloudRunTaskIndex
		index, count = getenv(EnvCloudRunTaskIndex), getenv(EnvCloudRunTaskCount)
		if count == "" {
			return Shard{}, false, fmt.Errorf("%s is set but %s is not", EnvCloudRunTaskIndex, EnvCloudRunTaskCount)
		}
	default:
		return Shard{}, false, nil
	}
	s, err = ParseShard(index + "/" + count)
	if err != nil {
		return Shard{}, false, fmt.Errorf("shard from %s: %w", from, err)
	}
	return s, s.Count > 1, nil
}

var groupName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// ShardGroup picks the group: flag, else JOURNEY_SHARD_GROUP, else the Cloud
// Run execution, else DefaultShardGroup.
func ShardGroup(flag string, getenv func(string) string) (string, error) {
	g := flag
	for _, env := range []string{EnvShardGroup, EnvCloudRunExecution} {
		if g == "" {
			g = getenv(env)
		}
	}
	if g == "" {
		return DefaultShardGroup, nil
	}
	if !groupName.MatchString(g) {
		return "", fmt.Errorf("shard group %q: use letters, digits, '.', '_' and '-' (at most 128, starting with a letter or digit)", g)
	}
	return g, nil
}

// ShardOf is the shard of a resolved customer id among count shards: the
// first four bytes of the id's MD5 as a big-endian number, modulo count.
// The SQL macro journey_in_shard computes the same in DuckDB; PostgreSQL can
// compute it as ('x' || left(md5(id), 8))::bit(32)::bigint % count.
func ShardOf(customerID string, count int) int {
	sum := md5.Sum([]byte(customerID))
	return int(uint64(binary.BigEndian.Uint32(sum[:4])) % uint64(count))
}

// shardMacro defines journey_in_shard(id) for the SQL models: true for the
// customers of shard s, and for every customer when the run is not sharded.
// The hash is the one sources read by shard with (sources.ShardFilter).
func shardMacro(s *Shard) string {
	if s == nil {
		return "CREATE OR REPLACE MACRO journey_in_shard(id) AS true"
	}
	f := sources.ShardFilter{Index: s.Index, Count: s.Count}
	return "CREATE OR REPLACE MACRO journey_in_shard(id) AS " + f.DuckDBCondition("id")
}

// shardTables are the tables a shard builds for its customers alone: they
// depend on nothing but the staging tables and each other, and hold each
// customer's rows whole. The finalize step builds the rest from them.
var shardTables = []string{"identity_keys", "customer_identity", "purchases", "journey_events", "customer_journey", "customer_summary"}

// partTables are the tables a shard hands to finalize: its shardTables but
// identity_keys (which only the shard's own steps read), the survey answers
// of its customers (for the survey KPIs) and, from the shard that keeps
// them, the rejects.
var partTables = append(slices.DeleteFunc(slices.Clone(shardTables), func(t string) bool { return t == "identity_keys" }),
	"stg_survey_responses", "rejects")
