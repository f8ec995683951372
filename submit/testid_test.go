package submit

import "testing"

func TestResultFor(t *testing.T) {
	tests := []struct {
		id         string
		name, uuid string
	}{
		{"t.X.test_a", "t.X.test_a", ""},
		{"t.X.test_a[id-9a438d88-10c6-4bcd-8b5b-5b6e25e1346f,smoke]", "t.X.test_a", "9a438d88-10c6-4bcd-8b5b-5b6e25e1346f"},
		{"t.X.test_s[gate,id-abc,smoke](scen1)", "t.X.test_s(scen1)", "abc"},
		{"t.X.test_a[smoke]", "t.X.test_a", ""},
		{"t.X.test_a[]", "t.X.test_a", ""},
		{"t.X.test_a[id-]", "t.X.test_a", ""},                                   // empty value: left out
		{"t.X.test_a[ID-abc]", "t.X.test_a", ""},                                // case matters
		{"t.X.test_a[ id-abc]", "t.X.test_a", ""},                               // no trimming
		{"t.X.test_a[id-a,id-b]", "t.X.test_a", "a"},                            // the first wins
		{"t.X.test_a[id-a-b-c]", "t.X.test_a", "a-b-c"},                         // after the first '-'
		{"t.X.test_a[id-a", "t.X.test_a[id-a", "a"},                             // no ']': name kept whole
		{"t.X.test_a[x[id-a]]", "t.X.test_a", ""},                               // the uuid stops at the second '['
		{"t.X.test_a[id-a](s)[b]", "t.X.test_a", "a"},                           // greedy: to the last ']'
		{"t.X.test_a]id-a[", "t.X.test_a]id-a[", ""},                            // ']' before '[': no span
		{"t.X.test_a[id-a]\nb[c]", "t.X.test_a\nb", "a"},                        // one span per line
		{"t.X.test_a[id-a\n]", "t.X.test_a[id-a\n]", "a\n"},                     // a span does not cross lines
		{"setUpClass (t.X)", "setUpClass (t.X)", ""},                            //
		{"t.X.test_é[id-ü]", "t.X.test_é", "ü"},                                 // characters, not bytes
		{"plugin.tests.test_a[id-d4ce813e]", "plugin.tests.test_a", "d4ce813e"}, // not checked to be a UUID
		{"", "", ""},
	}
	for _, tt := range tests {
		got := ResultFor(tt.id)
		if got.Name != tt.name || got.UUID != tt.uuid {
			t.Errorf("ResultFor(%q) = %+v, want {Name:%q UUID:%q}", tt.id, got, tt.name, tt.uuid)
		}
	}
}
