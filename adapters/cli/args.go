package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// hoistFlags moves the flags that follow a command's arguments in front of
// them. urfave/cli stops reading flags at the first argument, but
// refstack-client's users write "upload-subunit FILE --keystone-endpoint URL",
// so flags are accepted on either side. Arguments after "--" stay as they are.
func hoistFlags(cmds []*ucli.Command, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := append([]string(nil), args[0])
	i := 1
	var leaf *ucli.Command
	for ; i < len(args); i++ {
		next := findCommand(cmds, args[i])
		if next == nil {
			break
		}
		out = append(out, args[i])
		leaf, cmds = next, next.Subcommands
	}
	if leaf == nil {
		return args
	}
	var flags, rest []string
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if f := findFlag(leaf.Flags, name); f != nil && !hasValue && takesValue(f) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return append(append(out, flags...), rest...)
}

func findCommand(cmds []*ucli.Command, name string) *ucli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

func findFlag(flags []ucli.Flag, name string) ucli.Flag {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

func takesValue(f ucli.Flag) bool {
	tv, ok := f.(interface{ TakesValue() bool })
	return ok && tv.TakesValue()
}
