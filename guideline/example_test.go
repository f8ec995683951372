package guideline_test

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"

	"github.com/refstack-go/refstack/guideline"
)

func ExampleParse() {
	g, err := guideline.Parse([]byte(`{
  "metadata": {"id": "2030.01", "schema": "2.0"},
  "platforms": {"OpenStack Powered Compute": {"components": [{"name": "os_powered_compute"}]}},
  "components": {"os_powered_compute": {"capabilities": {"required": ["compute-a"]}}},
  "capabilities": {
    "compute-a": {"achievements": [], "admin": false, "descriptin": "A", "project": "nova",
      "tests": {"tempest.a": {"idempotent_id": "id-1"}}}
  }
}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(g.ID, g.Schema, g.Capability("compute-a").Description)
	for _, w := range g.Warnings {
		fmt.Println(w)
	}
	// Output:
	// 2030.01 2.0 A
	// /capabilities/compute-a/descriptin (line 6, column 55): unknown key "descriptin" (misspelled "description"?)
}

func ExampleParse_syntaxError() {
	_, err := guideline.Parse([]byte("{\n  \"id\": \"2030.01\",\n}"))
	var pe *guideline.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Line, pe.Column)
	}
	fmt.Println(err)
	// Output:
	// 3 1
	// guideline: line 3, column 1: invalid character '}' looking for beginning of object key string
}

func ExampleLoad() {
	g, err := guideline.Load(filepath.Join("testdata", "schema1.2.json"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(g.ID, g.Schema, g.Status, len(g.Capabilities))
	// Output:
	// 2015.test 1.2 approved 2
}

func ExampleGuideline_TestList() {
	g, err := guideline.Load(filepath.Join("testdata", "schema1.4-refstack.json"))
	if err != nil {
		fmt.Println(err)
		return
	}
	lines, err := g.TestList(guideline.DefaultQuery())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range lines {
		fmt.Println(l)
	}
	// Output:
	// test_1[id-1234]
	// test_2[id-5678]
	// test_2_1[id-5678]
	// test_3[id-1111]
	// test_4[id-1233]
}

func ExampleGuideline_TestListText() {
	g, err := guideline.Load(filepath.Join("testdata", "schema1.4-refstack.json"))
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := url.ParseQuery("target=compute&type=required&alias=false&flag=false")
	fmt.Printf("%q\n", g.TestListText(guideline.QueryFromValues(v)))
	fmt.Printf("%q\n", g.TestListText(guideline.Query{Target: "storage"}))
	// Output:
	// "test_1[id-1234]\ntest_2[id-5678]"
	// "Invalid target: storage"
}

func ExampleGuideline_TargetCapabilities() {
	g, err := guideline.Load(filepath.Join("testdata", "schema2.0.json"))
	if err != nil {
		fmt.Println(err)
		return
	}
	caps, err := g.TargetCapabilities("compute", []guideline.Status{guideline.Required})
	fmt.Println(caps, err)
	// Output:
	// [compute-x ghost-cap shared-cap] <nil>
}

func ExampleTest_UUID() {
	for _, id := range []string{"id-6c0a0990-43b6-4529-9b61-5fd8daf7c55c", "d03b69a5-5052-43bc-a38a-b511b6b34304"} {
		t := guideline.Test{IdempotentID: id}
		fmt.Println(t.UUID())
	}
	// Output:
	// 6c0a0990-43b6-4529-9b61-5fd8daf7c55c
	// d03b69a5-5052-43bc-a38a-b511b6b34304
}

// Find the components of a platform target and of an add-on by name.
func ExampleGuideline_PlatformNamed() {
	g, err := guideline.Load(filepath.Join("testdata", "schema2.0.json"))
	if err != nil {
		fmt.Println(err)
		return
	}
	name, _ := guideline.PlatformName("object")
	fmt.Println(name, guideline.ComponentNames(g.PlatformNamed(name).Components))

	dns, err := guideline.Load(filepath.Join("testdata", "addon2.0.json"))
	if err != nil {
		fmt.Println(err)
		return
	}
	a := dns.AddOnNamed("dns")
	fmt.Println(a.Name, guideline.ComponentNames(a.Components))
	// Output:
	// OpenStack Powered Storage [os_powered_storage]
	// DNS [os_powered_dns]
}
