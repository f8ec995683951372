package submit

import (
	"regexp"
	"strings"
)

// attrSpan matches a bracketed attribute span the way refstack-client's
// re.sub(r"\[.*\]", "", id) does: from a '[' to the last ']' on the same
// line, every such span replaced.
var attrSpan = regexp.MustCompile(`\[.*\]`)

// ResultFor returns the results entry for a passed test, as refstack-client
// makes it from the test id:
//
//   - Name is the id without its bracketed attributes: from the first '[' to
//     the last ']' (on one line) is removed, so "t.C.test_a[id-X,smoke]"
//     gives "t.C.test_a" and a scenario suffix stays:
//     "t.C.test_b[gate](scen)" gives "t.C.test_b(scen)".
//   - UUID comes from the text after the first '[', up to the next '[' or
//     ']': split on ',', the first item that starts with "id-" gives
//     everything after its first '-'. It is empty (left out of the JSON)
//     when the id has no '[', no such item, or an empty value. It is not
//     checked to be a UUID.
func ResultFor(testID string) Result {
	return Result{Name: attrSpan.ReplaceAllLiteralString(testID, ""), UUID: uuidOf(testID)}
}

// uuidOf is refstack-client's get_test_uuid:
// id.split('[')[1].split(']')[0].split(','), the first item starting with
// "id-", joined back after its first '-'.
func uuidOf(testID string) string {
	_, attrs, ok := strings.Cut(testID, "[")
	if !ok {
		return ""
	}
	attrs, _, _ = strings.Cut(attrs, "[")
	attrs, _, _ = strings.Cut(attrs, "]")
	for attr := range strings.SplitSeq(attrs, ",") {
		if strings.HasPrefix(attr, "id-") {
			return attr[len("id-"):]
		}
	}
	return ""
}
