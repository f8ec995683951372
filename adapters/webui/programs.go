package webui

import (
	"slices"
	"strings"

	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/score"
)

// program is one choice of the program selectors: the target RefStack's
// pages and API take, its label, and the listing group holding its
// guidelines.
type program struct {
	Target string
	Label  string
	Group  string
}

// programs are RefStack's five programs, in its order and with its labels
// (package score's, which its reports use too).
var programs = []program{
	newProgram("platform", "powered"),
	newProgram("compute", "powered"),
	newProgram("object", "powered"),
	newProgram("dns", "dns"),
	newProgram("orchestration", "orchestration"),
}

func newProgram(target, group string) program {
	label, _ := score.ProgramLabel(target)
	return program{Target: target, Label: label, Group: group}
}

// findProgram returns the program of target, or false.
func findProgram(target string) (program, bool) {
	for _, p := range programs {
		if p.Target == target {
			return p, true
		}
	}
	return program{}, false
}

// programLabel is the label of a target, or the target itself when it is
// not one of the five (a stored meta value, say).
func programLabel(target string) string {
	if p, ok := findProgram(target); ok {
		return p.Label
	}
	return target
}

// versions returns the guidelines of a program's group, newest first: sorted
// by name descending as RefStack's selectors are, so next.json comes first.
func versions(l *guideline.Listing, p program) []guideline.ListEntry {
	g := l.Group(p.Group)
	if g == nil {
		return nil
	}
	out := slices.Clone(g.Entries)
	slices.SortStableFunc(out, func(a, b guideline.ListEntry) int { return strings.Compare(b.Name, a.Name) })
	return out
}

// defaultVersion picks the guideline a selector starts on: the newest one
// that is not next.json. RefStack takes index 1 of the descending list,
// assuming index 0 is next.json; that is the same choice whenever next.json
// is listed; without it RefStack would skip the newest guideline, we do not.
func defaultVersion(list []guideline.ListEntry) (guideline.ListEntry, bool) {
	for _, e := range list {
		if !isNext(e.Name) {
			return e, true
		}
	}
	if len(list) > 0 {
		return list[0], true
	}
	return guideline.ListEntry{}, false
}

func isNext(name string) bool { return strings.TrimSuffix(name, ".json") == "next" }

// findVersion finds name in list by entry name or file, with or without
// ".json": "2020.06", "2020.06.json" and "dns.2020.06.json" all find the
// DNS entry named 2020.06.json.
func findVersion(list []guideline.ListEntry, name string) (guideline.ListEntry, bool) {
	if name == "" {
		return guideline.ListEntry{}, false
	}
	if !strings.HasSuffix(name, ".json") {
		name += ".json"
	}
	for _, e := range list {
		if e.Name == name || e.File == name {
			return e, true
		}
	}
	return guideline.ListEntry{}, false
}
