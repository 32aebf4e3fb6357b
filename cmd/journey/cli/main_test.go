package cli_test

import (
	"os"
	"testing"

	"github.com/journeydata/journey/internal/testkit"
)

func TestMain(m *testing.M) {
	testkit.UsePIIKey()
	os.Exit(m.Run())
}
