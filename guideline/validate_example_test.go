package guideline_test

import (
	"fmt"

	"github.com/refstack-go/refstack/guideline"
)

func ExampleValidate() {
	doc := []byte(`{
  "metadata": {"id": "dns.2030.01", "schema": "2.0",
               "reference": "https://example.org/2.0.json", "source": "https://example.org/"},
  "components": {"os_powered_dns": {"capabilities": {"required": ["dns-zone-crud"]}}},
  "capabilities": {
    "dns-zone-crud": {
      "achievements": [], "admin": "no", "descriptin": "Zones.", "project": "designate",
      "tests": {"designate_tempest_plugin.tests.api.v2.test_zones.ZonesTest.test_create_zone":
                  {"idempotent_id": "9d2e20fc-e56f-4a62-9c61-9752a9ec615c"}}
    }
  },
  "designated_sections": {},
  "test_repositories": {"designate-tempest-plugin": {"repository": "https://opendev.org/x/", "reference": "master"}}
}`)
	report, err := guideline.Validate(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("schema", report.Version, "valid:", report.Valid())
	for _, p := range report.Problems {
		fmt.Println(p)
	}
	// Output:
	// schema 2.0 valid: false
	// 7:36: /capabilities/dns-zone-crud/admin: expected boolean, but got string
	// 7:42: /capabilities/dns-zone-crud/descriptin: warning: misspelled key "descriptin": read as "description"
	// 9:37: /capabilities/dns-zone-crud/tests/designate_tempest_plugin.tests.api.v2.test_zones.ZonesTest.test_create_zone/idempotent_id: warning: idempotent id without the "id-" prefix (1 of 1 tests in this document); matched after removing an optional prefix
}
