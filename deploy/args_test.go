package deploy

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// commandFlags are the journey commands a deployment may run and the flags
// each may use: the sharding contract (run --shard i/N [--shard-group G]
// [--no-finalize], finalize --as-of D --shards N [--shard-group G]) plus
// --config, --as-of and --out. backfill is allowed only with the flags of
// this list; a backfill of a range is one `run --as-of` Job per date here.
var commandFlags = map[string][]string{
	"run":      {"config", "as-of", "out", "shard", "shard-group", "no-finalize"},
	"finalize": {"config", "as-of", "out", "shards", "shard-group"},
	"backfill": {"config", "out"},
}

// boolFlags take no value.
var boolFlags = map[string]bool{"no-finalize": true}

// requiredFlags must be given to a command in a deployment: without
// --config, `journey run` runs the bundled demo.
var requiredFlags = map[string][]string{
	"run":      {"config"},
	"finalize": {"config", "as-of", "shards"},
	"backfill": {"config"},
}

var shardValue = regexp.MustCompile(`^(\d+)/(\d+)$`)

// invocation is a parsed journey command line.
type invocation struct {
	command string
	flags   map[string]string
}

// parseArgs parses a container's args as a journey command line: a command,
// then --flag value or --flag=value pairs of the flags that command accepts.
func parseArgs(args []string) (invocation, error) {
	if len(args) == 0 {
		return invocation{}, fmt.Errorf("no args: the image's default command is `journey help`")
	}
	inv := invocation{command: args[0], flags: map[string]string{}}
	allowed, ok := commandFlags[inv.command]
	if !ok {
		return inv, fmt.Errorf("args begin with %q, not one of run, finalize, backfill", args[0])
	}
	for i := 1; i < len(args); i++ {
		tok := args[i]
		if !strings.HasPrefix(tok, "--") || len(tok) == 2 {
			return inv, fmt.Errorf("%q is not a --flag (journey commands take no positional arguments)", tok)
		}
		name, val, hasVal := strings.Cut(tok[2:], "=")
		if !slices.Contains(allowed, name) {
			return inv, fmt.Errorf("journey %s: flag --%s is not one of --%s", inv.command, name, strings.Join(allowed, ", --"))
		}
		if _, dup := inv.flags[name]; dup {
			return inv, fmt.Errorf("flag --%s given twice", name)
		}
		switch {
		case boolFlags[name] && !hasVal:
			val = "true"
		case boolFlags[name]:
			if _, err := strconv.ParseBool(val); err != nil {
				return inv, fmt.Errorf("--%s=%s: not a boolean", name, val)
			}
		case !hasVal:
			if i+1 == len(args) || strings.HasPrefix(args[i+1], "-") {
				return inv, fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			val = args[i]
		}
		if err := checkFlagValue(name, val); err != nil {
			return inv, err
		}
		inv.flags[name] = val
	}
	for _, name := range requiredFlags[inv.command] {
		if _, ok := inv.flags[name]; !ok {
			return inv, fmt.Errorf("journey %s needs --%s", inv.command, name)
		}
	}
	return inv, nil
}

func checkFlagValue(name, val string) error {
	switch name {
	case "as-of":
		if _, err := time.Parse(time.DateOnly, val); err != nil {
			return fmt.Errorf("--as-of %q is not a date YYYY-MM-DD", val)
		}
	case "shards":
		if n, err := strconv.Atoi(val); err != nil || n < 1 {
			return fmt.Errorf("--shards %q is not a positive number", val)
		}
	case "shard":
		m := shardValue.FindStringSubmatch(val)
		if m == nil {
			return fmt.Errorf("--shard %q is not i/N", val)
		}
		i, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		if n < 1 || i >= n {
			return fmt.Errorf("--shard %q: the index must be below the count", val)
		}
	case "config", "out", "shard-group":
		if val == "" {
			return fmt.Errorf("--%s is empty", name)
		}
	}
	return nil
}
