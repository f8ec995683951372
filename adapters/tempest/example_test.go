package tempest_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/refstack-go/refstack/adapters/tempest"
)

func ExampleMatch() {
	installed := []string{ // what "tempest run --list-tests" prints
		"tempest.api.compute.T.test_create[id-8a2b1c3d-0000-4000-8000-000000000001,smoke]",
		"tempest.api.compute.T.test_renamed[id-8a2b1c3d-0000-4000-8000-000000000002]",
		"tempest.api.compute.T.test_plain",
	}
	list := []string{ // a guideline's test list
		"tempest.api.compute.T.test_create[id-8a2b1c3d-0000-4000-8000-000000000001]",
		"tempest.api.compute.T.test_old_name[id-8a2b1c3d-0000-4000-8000-000000000002]",
		"tempest.api.compute.T.test_plain[]",
		"tempest.api.compute.T.test_gone[id-8a2b1c3d-0000-4000-8000-000000000009]",
	}
	sel := tempest.Match(list, installed)
	fmt.Println(len(sel.Tests), "to run;", sel.Found[tempest.MatchID], "renamed")
	fmt.Println(sel.MissingSummary(3))
	sel.WriteIncludeList(os.Stdout)
	// Output:
	// 3 to run; 1 renamed
	// 1 of the 4 tests of the list are not in this Tempest, so they will not run: tempest.api.compute.T.test_gone
	// ^tempest\.api\.compute\.T\.test_create\[id-8a2b1c3d-0000-4000-8000-000000000001,smoke\]$
	// ^tempest\.api\.compute\.T\.test_renamed\[id-8a2b1c3d-0000-4000-8000-000000000002\]$
	// ^tempest\.api\.compute\.T\.test_plain$
}

func ExampleSelect_RunArgs() {
	v, _ := tempest.ParseVersion([]byte("tempest 25.0.0\n"))
	for _, sel := range []tempest.Select{
		{},
		{Args: []string{"tempest.api.compute", "tempest.api.image"}},
		{IncludeList: "/tmp/include.txt", IncludeFlag: v.IncludeListFlag()},
	} {
		args, _ := sel.RunArgs(false)
		fmt.Println("tempest", strings.Join(args, " "))
	}
	// Output:
	// tempest run --subunit --serial --regex tempest.api
	// tempest run --subunit --serial --regex tempest.api.compute|tempest.api.image
	// tempest run --subunit --serial --whitelist_file /tmp/include.txt
}

func ExampleFormatLine() {
	c := tempest.Counts{Done: 120, Expected: 360, Passed: 110, Failed: 4, Skipped: 6, Elapsed: 4 * time.Minute}
	fmt.Println(tempest.FormatLine(c, "required: 100/377 passed"))
	fmt.Println(tempest.FormatBar(c, ""))
	// Output:
	// progress: 120/360 tests (33%)  pass 110  fail 4  skip 6  elapsed 4m00s  ETA 8m00s  required: 100/377 passed
	// [======>             ] 120/360  pass 110  fail 4  skip 6  4m00s  ETA 8m00s
}

func ExampleNextRun() {
	dir, _ := os.MkdirTemp("", "workspace")
	defer os.RemoveAll(dir)
	os.MkdirAll(dir+"/.stestr", 0o755)
	os.WriteFile(dir+"/.stestr/next-stream", []byte("7\n"), 0o644)
	run, _ := tempest.NextRun(dir, "my-cloud")
	fmt.Println(strings.TrimPrefix(run.ResultsFile(), dir))
	fmt.Println(strings.TrimPrefix(run.StreamFile(), dir))
	// Output:
	// /.stestr/my-cloud-7.json
	// /.stestr/my-cloud-7.subunit
}
