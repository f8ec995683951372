package tempest

import (
	"bytes"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// installed is what a small Tempest lists.
var installed = []string{
	"tempest.api.compute.servers.test_a.T.test_create[id-aaaaaaaa-0000-4000-8000-000000000001,smoke]",
	"tempest.api.compute.servers.test_a.T.test_create_renamed[id-aaaaaaaa-0000-4000-8000-000000000002]",
	"tempest.api.compute.servers.test_a.T.test_no_attrs",
	"tempest.api.network.test_b.T.test_x[gate,id-bbbbbbbb-0000-4000-8000-000000000003](ipv4)",
	"tempest.api.network.test_b.T.test_x[gate,id-bbbbbbbb-0000-4000-8000-000000000003](ipv6)",
	"designate_tempest_plugin.tests.api.v2.test_zones.ZonesTest.test_create_zone[id-cccccccc-0000-4000-8000-000000000004,smoke]",
	"tempest.api.compute.servers.test_a.T.test_create_extra[id-aaaaaaaa-0000-4000-8000-000000000005]",
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name      string
		list      []string
		want      []int // indexes into installed
		found     [4]int
		missing   []string
		listedLen int
	}{
		{
			name:  "by name, attributes differ",
			list:  []string{"tempest.api.compute.servers.test_a.T.test_create[id-aaaaaaaa-0000-4000-8000-000000000001]"},
			want:  []int{0},
			found: [4]int{MatchName: 1}, listedLen: 1,
		},
		{
			name:  "renamed test found by idempotent id",
			list:  []string{"tempest.api.compute.servers.test_a.T.test_old_name[id-aaaaaaaa-0000-4000-8000-000000000002]"},
			want:  []int{1},
			found: [4]int{MatchID: 1}, listedLen: 1,
		},
		{
			name:  "installed test without attributes is kept",
			list:  []string{"tempest.api.compute.servers.test_a.T.test_no_attrs[]"},
			want:  []int{2},
			found: [4]int{MatchName: 1}, listedLen: 1,
		},
		{
			name:  "all scenarios of a test",
			list:  []string{"tempest.api.network.test_b.T.test_x"},
			want:  []int{3, 4},
			found: [4]int{MatchScenario: 1}, listedLen: 1,
		},
		{
			name:  "one scenario",
			list:  []string{"tempest.api.network.test_b.T.test_x(ipv6)"},
			want:  []int{4},
			found: [4]int{MatchName: 1}, listedLen: 1,
		},
		{
			name:  "add-on list with a bare uuid, renamed",
			list:  []string{"designate_tempest_plugin.tests.api.v2.test_zones.ZonesTest.test_old[CCCCCCCC-0000-4000-8000-000000000004]"},
			want:  []int{5},
			found: [4]int{MatchID: 1}, listedLen: 1,
		},
		{
			name: "name and alias lines of one test, duplicates, a missing test",
			list: []string{
				"tempest.api.compute.servers.test_a.T.test_create[id-aaaaaaaa-0000-4000-8000-000000000001]",
				"tempest.api.compute.servers.test_a.T.test_create[id-aaaaaaaa-0000-4000-8000-000000000001]",
				"tempest.api.compute.servers.test_a.T.test_create_alias[id-aaaaaaaa-0000-4000-8000-000000000001]",
				"tempest.api.image.test_gone.T.test_gone[id-dddddddd-0000-4000-8000-000000000009]",
				"tempest.api.image.test_gone.T.test_gone_no_id",
			},
			want:      []int{0},
			found:     [4]int{MatchName: 1, MatchID: 1, MatchNone: 2},
			missing:   []string{"tempest.api.image.test_gone.T.test_gone", "tempest.api.image.test_gone.T.test_gone_no_id"},
			listedLen: 4,
		},
		{
			name:  "a prefix is not a match",
			list:  []string{"tempest.api.compute.servers.test_a.T.test_crea"},
			found: [4]int{MatchNone: 1}, missing: []string{"tempest.api.compute.servers.test_a.T.test_crea"}, listedLen: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel := Match(tt.list, installed)
			var want []string
			for _, i := range tt.want {
				want = append(want, installed[i])
			}
			if !slices.Equal(sel.Tests, want) {
				t.Errorf("Tests = %q\nwant %q", sel.Tests, want)
			}
			if sel.Found != tt.found {
				t.Errorf("Found = %v, want %v", sel.Found, tt.found)
			}
			if !slices.Equal(sel.Missing, tt.missing) {
				t.Errorf("Missing = %q, want %q", sel.Missing, tt.missing)
			}
			if sel.Listed != tt.listedLen {
				t.Errorf("Listed = %d, want %d", sel.Listed, tt.listedLen)
			}
		})
	}
}

// TestIncludeList checks that each line of the include list, read as stestr
// reads it (trimmed, cut at "#", searched), selects exactly its own test.
func TestIncludeList(t *testing.T) {
	ids := append(slices.Clone(installed),
		"t.T.test_hash[id-1#2]", "t.T.test space", "t.T.test_plus+star*[x](y|z)",
		`t.T.test_back\slash{1}^$`, "t.T.test_tab\t1")
	sel := &Selection{Tests: ids}
	var buf bytes.Buffer
	if err := sel.WriteIncludeList(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(ids) {
		t.Fatalf("%d lines for %d tests", len(lines), len(ids))
	}
	// Candidates: every id, and each id with text around it.
	var all []string
	for _, id := range ids {
		all = append(all, id, id+"x", "x"+id, id+"[id-other]")
	}
	for i, line := range lines {
		stestr, _, _ := strings.Cut(strings.TrimSpace(line), "#")
		re, err := regexp.Compile(strings.TrimSpace(stestr))
		if err != nil {
			t.Fatalf("line %d %q: %v", i+1, line, err)
		}
		for _, c := range all {
			if got, want := re.MatchString(c), c == ids[i]; got != want {
				t.Errorf("line %q matches %q: %v, want %v", line, c, got, want)
			}
		}
	}
}

func TestMissingSummary(t *testing.T) {
	sel := Match([]string{"a.x", "a.y", "a.z", installed[0]}, installed)
	want := "3 of the 4 tests of the list are not in this Tempest, so they will not run: a.x, a.y and 1 more"
	if got := sel.MissingSummary(2); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := Match(installed[:1], installed).MissingSummary(2); got != "" {
		t.Errorf("nothing missing: got %q", got)
	}
}

func TestReadTestList(t *testing.T) {
	in := "# RefStack list\r\n\n  t.a[id-1]  \nt.b\n\nt.a[id-1]\nt.c"
	got, err := ReadTestList(strings.NewReader(in))
	want := []string{"t.a[id-1]", "t.b", "t.a[id-1]", "t.c"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("ReadTestList = %q, %v; want %q", got, err, want)
	}
	long := "t.ok\n" + strings.Repeat("x", MaxLineLength+1) + "\n"
	_, err = ReadTestList(strings.NewReader(long))
	var le *LineError
	if !errors.As(err, &le) || le.Line != 2 || !errors.Is(err, ErrTooLong) {
		t.Errorf("long line: err = %v, want a LineError at line 2 wrapping ErrTooLong", err)
	}
	_, err = ReadTestList(strings.NewReader("t.ok\nt.bad\x89\n"))
	if !errors.As(err, &le) || le.Line != 2 || !errors.Is(err, ErrNotUTF8) {
		t.Errorf("invalid UTF-8: err = %v, want a LineError at line 2 wrapping ErrNotUTF8", err)
	}
	_, err = ReadTestList(strings.NewReader("t.ok\nt.a\rt.b\n"))
	if !errors.As(err, &le) || le.Line != 2 || !errors.Is(err, ErrControl) {
		t.Errorf("a lone CR: err = %v, want a LineError at line 2 wrapping ErrControl", err)
	}
	if got, err := ReadTestList(strings.NewReader(strings.Repeat("y", MaxLineLength))); err != nil || len(got) != 1 {
		t.Errorf("a line of exactly MaxLineLength: %d lines, %v", len(got), err)
	}
}

func FuzzReadTestList(f *testing.F) {
	f.Add("t.a[id-1]\nt.b\n")
	f.Add("# c\r\n\n x \n")
	f.Add("t.b[gate](s)\nt.c[1]")
	f.Fuzz(func(t *testing.T, in string) {
		ids, err := ReadTestList(strings.NewReader(in))
		if err != nil {
			return
		}
		// Reading the list back as written gives the same list, and every
		// id is selected by its own include line alone.
		again, err := ReadTestList(strings.NewReader(strings.Join(ids, "\n")))
		if err != nil || !slices.Equal(ids, again) {
			t.Fatalf("round trip: %q -> %q, %v", ids, again, err)
		}
		for _, id := range ids {
			if strings.ContainsAny(id, "\n\r") || strings.TrimSpace(id) != id || id == "" {
				t.Fatalf("bad id %q", id)
			}
			re, err := regexp.Compile(IncludeRegexp(id))
			if err != nil || !re.MatchString(id) || re.MatchString(id+"x") {
				t.Fatalf("include line for %q: %v", id, err)
			}
		}
		Match(ids, ids)
	})
}
