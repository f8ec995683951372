package cli

import (
	"context"
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/cpid"
	"github.com/refstack-go/refstack/submit"
	"github.com/refstack-go/refstack/subunit"
)

func uploadSubunitCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "upload-subunit",
		Usage:     "upload the passed tests of a subunit stream to a RefStack server",
		ArgsUsage: inputArgsUsage,
		Description: "Builds the results document of FILE (subunit v1 or v2; - for standard input) as\n" +
			"refstack results does, with the CPID made from --keystone-endpoint (required) without\n" +
			"contacting it (the md5 of its host name, as refstack-client upload-subunit does) and a\n" +
			"duration of 0, then uploads it as refstack upload does (or writes a bundle with --bundle).",
		Flags: append(append([]ucli.Flag{
			&ucli.StringFlag{Name: "keystone-endpoint", Usage: "required: the Keystone `URL` of the cloud the results belong to; its host name gives the CPID"},
			strictFlag(),
		}, networkFlags()...), uploadFlags()...),
		Action: func(c *ucli.Context) error {
			if !c.IsSet("keystone-endpoint") {
				return usageErrorf("upload-subunit: --keystone-endpoint URL is required: the CPID is made from its host name")
			}
			id, err := cpid.HashURL(c.String("keystone-endpoint"))
			if err != nil {
				return usageErrorf("upload-subunit: --keystone-endpoint: %v", err)
			}
			if err := canConfirm(c, e); err != nil {
				return err
			}
			in, err := openInput(e, c)
			if err != nil {
				return err
			}
			defer in.close()
			col, err := collectPassed(c.Context, e, in, c.Bool("strict"))
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "Number of passed tests in %s: %d\n", in.name, len(col.Results()))
			doc := col.Document(id, 0)
			if err := doc.Validate(); err != nil {
				return notFinished(fmt.Errorf("%s: %w", in.name, err))
			}
			return uploadOrBundle(c, e, doc)
		},
	}
}

// collectPassed reads a subunit stream and gathers its passed tests. Bad
// packets are warned about and skipped (stopping the command with strict).
func collectPassed(ctx context.Context, e *env, in *input, strict bool) (*submit.Collector, error) {
	var col submit.Collector
	a, err := subunit.NewAssembler(func(r *subunit.Record) error { col.Add(r); return nil }, subunit.WithAttachmentLimit(0), subunit.WithRecordReuse())
	if err != nil {
		return nil, notFinished(err)
	}
	err = eachEvent(ctx, e, in, readOptions{strict: strict}, a.Add, func(pe *subunit.PacketError) error { return a.AddError(pe) })
	if err == nil {
		err = a.Close()
	}
	if err != nil {
		return nil, err
	}
	return &col, nil
}
