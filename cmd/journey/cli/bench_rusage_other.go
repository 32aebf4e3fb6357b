//go:build !unix

package cli

import "os"

// maxRSS is unknown on this platform.
func maxRSS(*os.ProcessState) int64 { return 0 }

// selfMaxRSS is unknown on this platform.
func selfMaxRSS() int64 { return 0 }
