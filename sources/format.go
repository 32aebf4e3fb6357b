package sources

import (
	"fmt"
	"strings"
)

// strptimeSpecifiers are the format specifiers DuckDB's strptime knows
// (after an optional "-" flag for unpadded numbers).
const strptimeSpecifiers = "aAwdbBhmyYHIpMSfzZjUWcxXgGuVeT%"

// CheckFormat reports whether format is a strptime format DuckDB accepts,
// naming the first bad specifier.
func CheckFormat(format string) error {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '-' {
			i++
		}
		if i >= len(format) {
			return fmt.Errorf("%q ends in a lone %%; write %%%% for a literal percent sign", format)
		}
		if !strings.ContainsRune(strptimeSpecifiers, rune(format[i])) {
			return fmt.Errorf("%q has the unknown specifier %%%c", format, format[i])
		}
	}
	return nil
}
