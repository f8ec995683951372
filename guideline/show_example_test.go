package guideline_test

import (
	"fmt"
	"log"
	"path/filepath"

	"github.com/refstack-go/refstack/guideline"
)

func ExampleShow() {
	g, err := guideline.Load(filepath.Join("testdata", "diff-old.json"))
	if err != nil {
		log.Fatal(err)
	}
	s, err := guideline.Show(g, "object", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range s.Capabilities {
		fmt.Println(c.Status, c.Name, c.Project, c.Achievements)
		for _, t := range c.Tests {
			fmt.Println(" ", t.Name, t.IdempotentID)
		}
	}
	// Output:
	// required obj-1 swift [deployed]
	//   t.o id-00000000-0000-0000-0000-000000000010
}

func ExampleDiff() {
	old, err := guideline.Load(filepath.Join("testdata", "diff-old.json"))
	if err != nil {
		log.Fatal(err)
	}
	new, err := guideline.Load(filepath.Join("testdata", "diff-new.json"))
	if err != nil {
		log.Fatal(err)
	}
	d, err := guideline.Diff(old, new, "compute")
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range d.Capabilities {
		fmt.Printf("%s %s %q -> %q\n", c.Kind, c.Name, c.From, c.To)
	}
	for _, c := range d.Tests {
		if c.Kind == guideline.ChangeRenamed {
			fmt.Println(c.Kind, c.OldName, "->", c.Name)
		}
	}
	// Output:
	// moved cap-adv "advisory" -> "required"
	// removed cap-dropped "required" -> ""
	// moved cap-moved "required" -> "deprecated"
	// added cap-new "" -> "required"
	// renamed t.b.idold -> t.b.idnew
	// renamed t.b.old -> t.b.new
}
