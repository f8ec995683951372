package score_test

import (
	"fmt"
	"os"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/score"
)

// exampleGuideline is a schema 1.4 guideline with one required capability
// per component: one test has an alias, one is flagged.
const exampleGuideline = `{
  "id": "2016.01", "schema": "1.4", "status": "approved",
  "platform": {"required": ["compute", "object"]},
  "components": {
    "compute": {"required": ["compute-servers"], "advisory": [], "deprecated": [], "removed": []},
    "object": {"required": ["objectstore-put"], "advisory": [], "deprecated": [], "removed": []}
  },
  "capabilities": {
    "compute-servers": {"tests": {
      "t.servers.test_create": {"idempotent_id": "id-11111111-2222-4333-8444-555555555555"},
      "t.servers.test_list": {"idempotent_id": "id-66666666-7777-4888-9999-000000000000", "aliases": ["t.servers.test_list_old"]}
    }},
    "objectstore-put": {"tests": {
      "t.objects.test_put": {"idempotent_id": "id-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"},
      "t.objects.test_put_large": {"idempotent_id": "id-ffffffff-0000-4111-8222-333333333333", "flagged": {"reason": "[D401] slow"}}
    }}
  }
}`

func Example() {
	g, err := guideline.Parse([]byte(exampleGuideline))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := score.Score(g, []score.Passed{
		{Name: "t.servers.test_create"},
		{Name: "t.servers.test_list_old"}, // an alias
		{Name: "t.objects.test_put"},
	}, score.Options{Target: "platform"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Sentence())
	fmt.Println(r.ComplianceLine())
	// Output:
	// This cloud passes 75.0% (3/4) of the tests in the 2016.01 required capabilities for the OpenStack Powered Platform program. Excluding flagged tests, this cloud passes 100.0% (3/3) of the required tests.
	// Compliance with 2016.01: YES
}

// MatchID keeps a test Tempest renamed: it still carries its idempotent id.
func Example_matchID() {
	g, err := guideline.Parse([]byte(exampleGuideline))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := score.Score(g, []score.Passed{
		{Name: "t.servers.test_create_v2", UUID: "11111111-2222-4333-8444-555555555555"},
	}, score.Options{Match: score.MatchID})
	if err != nil {
		fmt.Println(err)
		return
	}
	o := r.Required().Capabilities[0].Tests[0]
	fmt.Printf("%s passed: %v, matched by %s as %s\n", o.Name, o.Passed, o.MatchedBy, o.MatchedName)
	// Output:
	// t.servers.test_create passed: true, matched by id as t.servers.test_create_v2
}

// A Card is prepared once and scores any number of runs, concurrently if
// need be.
func ExamplePrepare() {
	g, err := guideline.Parse([]byte(exampleGuideline))
	if err != nil {
		fmt.Println(err)
		return
	}
	card, err := score.Prepare(g, score.Options{Target: "compute"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, run := range [][]score.Passed{
		{{Name: "t.servers.test_create"}},
		{{Name: "t.servers.test_create"}, {Name: "t.servers.test_list"}},
	} {
		r := card.Score(run)
		fmt.Printf("%s: %d/%d, compliant: %v\n", r.Program, r.RequiredPassed, r.RequiredTotal, r.Compliant)
	}
	// Output:
	// OpenStack Powered Compute: 1/2, compliant: false
	// OpenStack Powered Compute: 2/2, compliant: true
}

// A Scorer follows a run as its tests pass.
func ExampleScorer() {
	g, err := guideline.Parse([]byte(exampleGuideline))
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := score.NewScorer(g, score.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"t.servers.test_create", "t.objects.test_put_large", "t.objects.test_put"} {
		s.Add(score.Passed{Name: name})
		p := s.Progress()
		fmt.Printf("required %d/%d, not flagged %d/%d\n", p.RequiredPassed, p.RequiredTotal, p.NonFlaggedPassed, p.NonFlaggedTotal)
	}
	fmt.Println(s.Report().ComplianceLine())
	// Output:
	// required 1/4, not flagged 1/3
	// required 2/4, not flagged 1/3
	// required 3/4, not flagged 2/3
	// Compliance with 2016.01: NO
}

func ExampleReport_WriteMarkdown() {
	g, err := guideline.Parse([]byte(exampleGuideline))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := score.Score(g, []score.Passed{{Name: "t.servers.test_create"}, {Name: "t.servers.test_list"}, {Name: "t.objects.test_put"}}, score.Options{Target: "compute"})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := r.WriteMarkdown(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// ## RefStack score: 2016.01, OpenStack Powered Compute: ✅ compliant
	//
	// This cloud passes 100.0% (2/2) of the tests in the 2016.01 required capabilities for the OpenStack Powered Compute program. Excluding flagged tests, this cloud passes 100.0% (2/2) of the required tests.
	//
	// **Compliance with 2016.01: YES**
	//
	// Schema 1.4, target `compute`, matching by name.
	//
	// | Status | Capabilities | Tests | Passed | Flagged passed | Flagged not passed |
	// |---|---:|---:|---:|---:|---:|
	// | Required | 1 | 2 | 2 | 0 | 0 |
	// | Advisory | 0 | 0 | 0 | 0 | 0 |
	// | Deprecated | 0 | 0 | 0 | 0 | 0 |
	// | Removed | 0 | 0 | 0 | 0 | 0 |
	//
	// ### Required capabilities
	//
	// | | Capability | Passed | Total | Flagged |
	// |---|---|---:|---:|---:|
	// | 🟢 | compute-servers | 2 | 2 | 0 |
}

func ExampleFormatPercent() {
	fmt.Println(score.FormatPercent(12.25), score.FormatPercent(200.0/3), score.FormatPercent(100))
	// Output: 12.3 66.7 100.0
}

func ExampleProgramLabel() {
	for _, target := range []string{"platform", "object", "dns", "nova"} {
		label, ok := score.ProgramLabel(target)
		fmt.Printf("%s: %q %v\n", target, label, ok)
	}
	// Output:
	// platform: "OpenStack Powered Platform" true
	// object: "OpenStack Powered Object Storage" true
	// dns: "OpenStack with DNS" true
	// nova: "" false
}
