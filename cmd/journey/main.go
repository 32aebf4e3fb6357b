// Command journey builds per-customer journey tables and churn-risk and
// loyalty metrics from CRM, order and survey exports, and publishes them as
// Parquet for BI tools. See the README for the commands.
package main

import (
	"context"
	"os"

	"github.com/journeydata/journey/cmd/journey/cli"
)

func main() { os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
