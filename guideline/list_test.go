package guideline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestListFiles(t *testing.T) {
	f := func(path string) SourceFile { return SourceFile{Name: filepath.Base(path), Path: path} }
	tests := []struct {
		name  string
		files []SourceFile
		want  string
	}{
		{name: "empty", want: `{"powered": []}`},
		{
			name: "server example",
			files: []SourceFile{f("add-ons/dns.2018.02.json"), f("add-ons/dns.next.json"), f("add-ons/orchestration.2018.02.json"),
				f("add-ons/criteria.txt"), f("2015.03.json"), f("README.md"), f("next.json")},
			want: `{"dns": [{"name": "2018.02.json", "file": "dns.2018.02.json"}, {"name": "next.json", "file": "dns.next.json"}], ` +
				`"orchestration": [{"name": "2018.02.json", "file": "orchestration.2018.02.json"}], ` +
				`"powered": [{"name": "2015.03.json", "file": "2015.03.json"}, {"name": "next.json", "file": "next.json"}]}`,
		},
		{
			name:  "pattern is a search",
			files: []SourceFile{f("2015.next.json"), f("x2020.06.json"), f("2020.06.json.bak"), f("2020.6.json"), f("next.JSON"), f("latest.json")},
			want:  `{"powered": [{"name": "2015.next.json", "file": "2015.next.json"}, {"name": "x2020.06.json", "file": "x2020.06.json"}, {"name": "2020.06.json.bak", "file": "2020.06.json.bak"}]}`,
		},
		{
			name:  "duplicates skipped per kind",
			files: []SourceFile{f("add-ons/dns.next.json"), f("other/add-ons/dns.next.json"), f("next.json"), f("mirror/next.json"), f("add-ons/next.json")},
			want:  `{"dns": [{"name": "next.json", "file": "dns.next.json"}], "next": [{"name": "json", "file": "next.json"}], "powered": [{"name": "next.json", "file": "next.json"}]}`,
		},
		{
			name:  "powered file is the path",
			files: []SourceFile{f("guidelines/2022.06.json")},
			want:  `{"powered": [{"name": "2022.06.json", "file": "guidelines/2022.06.json"}]}`,
		},
		{
			name:  "a prefix coming back replaces its group in place",
			files: []SourceFile{f("add-ons/dns.2018.02.json"), f("add-ons/heat.next.json"), f("add-ons/dns.next.json")},
			want:  `{"dns": [{"name": "next.json", "file": "dns.next.json"}], "heat": [{"name": "next.json", "file": "heat.next.json"}], "powered": []}`,
		},
		{
			name:  "an add-on group named powered is replaced",
			files: []SourceFile{f("add-ons/powered.next.json"), f("next.json")},
			want:  `{"powered": [{"name": "next.json", "file": "next.json"}]}`,
		},
		{
			name:  "escapes as Python",
			files: []SourceFile{f("add-ons/d\"\\é\U0001F600\x7f\x01\t.next.json")},
			want:  `{"d\"\\\u00e9\ud83d\ude00\u007f\u0001\t": [{"name": "next.json", "file": "d\"\\\u00e9\ud83d\ude00\u007f\u0001\t.next.json"}], "powered": []}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := listFiles(tt.files).MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("invalid JSON %s", got)
			}
		})
	}
}

// errSource fails every call.
type errSource struct{ err error }

func (s errSource) Files(context.Context) ([]SourceFile, error)      { return nil, s.err }
func (s errSource) ReadFile(context.Context, string) ([]byte, error) { return nil, s.err }

func TestListError(t *testing.T) {
	boom := errors.New("boom")
	if _, err := List(context.Background(), errSource{boom}); !errors.Is(err, boom) {
		t.Errorf("List = %v, want %v", err, boom)
	}
}

func TestListingGroup(t *testing.T) {
	l := listFiles([]SourceFile{{"dns.next.json", "add-ons/dns.next.json"}})
	if g := l.Group("dns"); g == nil || len(g.Entries) != 1 || g.Entries[0] != (ListEntry{"next.json", "dns.next.json"}) {
		t.Errorf("Group(dns) = %v", g)
	}
	if g := l.Group("orchestration"); g != nil {
		t.Errorf("Group(orchestration) = %v", g)
	}
	if p := l.Powered(); len(p) != 0 {
		t.Errorf("Powered() = %v", p)
	}
}

func ExampleList() {
	src, err := NewDirSource(filepath.Join("testdata", "source"))
	if err != nil {
		fmt.Println(err)
		return
	}
	l, err := List(context.Background(), src)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range l.Groups {
		for _, e := range g.Entries {
			fmt.Println(g.Name, e.Name, e.File)
		}
	}
	out, _ := l.MarshalJSON()
	fmt.Println(string(out))
	// Output:
	// dns 2020.06.json dns.2020.06.json
	// dns next.json dns.next.json
	// orchestration 2020.06.json orchestration.2020.06.json
	// powered 2020.06.json 2020.06.json
	// powered next.json next.json
	// {"dns": [{"name": "2020.06.json", "file": "dns.2020.06.json"}, {"name": "next.json", "file": "dns.next.json"}], "orchestration": [{"name": "2020.06.json", "file": "orchestration.2020.06.json"}], "powered": [{"name": "2020.06.json", "file": "2020.06.json"}, {"name": "next.json", "file": "next.json"}]}
}

func FuzzListFiles(f *testing.F) {
	for _, s := range []string{"add-ons/dns.next.json", "2020.06.json", "add-ons/d\"\\é\U0001F600\x7f.next.json", "a\xffb.next.json", "x/2015.next.json"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		l := listFiles([]SourceFile{{Name: path[strings.LastIndexByte(path, '/')+1:], Path: path}})
		out, err := l.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back map[string][]struct{ Name, File string }
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%q: %v", out, err)
		}
		if len(back) != len(l.Groups) {
			t.Fatalf("%d keys decoded, %d groups", len(back), len(l.Groups))
		}
		for _, g := range l.Groups {
			dec := back[string([]rune(g.Name))]
			for i, e := range g.Entries {
				if dec[i].Name != string([]rune(e.Name)) || dec[i].File != string([]rune(e.File)) {
					t.Errorf("entry %d: decoded %q, want %q", i, dec[i], e)
				}
			}
		}
	})
}
