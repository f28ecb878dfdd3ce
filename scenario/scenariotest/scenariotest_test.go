package scenariotest_test

import (
	"os"
	"testing"

	"github.com/tradepolicy/tradepolicy/scenario/scenariotest"
)

func TestRun(t *testing.T) {
	scenariotest.Run(t, os.DirFS(".."), "pass.scenario.yaml")
	scenariotest.Run(t, os.DirFS(".."), "skip.scenario.yaml")
}
