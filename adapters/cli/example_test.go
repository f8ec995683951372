package cli_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/refstack-go/refstack/adapters/cli"
)

// Run is the whole command line: give it the arguments and the standard
// streams, and it returns the exit code for os.Exit.
func ExampleRun() {
	args := []string{"refstack", "subunit", "ls", "--status", "fail,inprogress", "testdata/clean.subunit"}
	code := cli.Run(context.Background(), args, strings.NewReader(""), os.Stdout, io.Discard)
	fmt.Println("exit code:", code)
	// Output:
	// tempest.api.compute.servers.test_create.ServersTest.test_delete[id-0002]
	// tempest.scenario.test_minimum.TestMinimum.test_basic[id-0006,slow]
	// exit code: 1
}
