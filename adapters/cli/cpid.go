package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/cpid"
)

func cpidCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "cpid",
		Usage:     "print the cloud's CPID (Cloud Provider ID) and how it was found",
		UsageText: e.prog + " cpid [--json] [-c tempest.conf | --os-cloud NAME | --os-auth-url URL --os-username ... ]",
		Description: "Logs in to Keystone as refstack-client does and prints the CPID RefStack files results\n" +
			"under: the id of the identity service in the Keystone v3 catalog (v2.0: of its first\n" +
			"endpoint). When Keystone does not give one (wrong password, no catalog, an HTTP or TLS\n" +
			"error, the timeout) the CPID is the md5 of the auth URL's host name, as refstack-client\n" +
			"falls back, and the output says why. Credentials come from a tempest.conf and its\n" +
			"accounts.yaml (-c), a clouds.yaml entry (--os-cloud), or the --os-* options, each of\n" +
			"which also reads its OS_* variable. Exits 0 when a CPID is printed, fallback or not.",
		Flags: append([]ucli.Flag{
			&ucli.BoolFlag{Name: "json", DisableDefaultText: true, Usage: "print one JSON object: cpid, method, auth_url, hostname, token_url, source, fallback"},
		}, cloudFlags()...),
		Action: func(c *ucli.Context) error {
			if c.Args().Present() {
				return usageErrorf("cpid: unexpected arguments %q (the tempest.conf goes with -c)", c.Args().Slice())
			}
			creds, opts, err := credentialsFromFlags(c)
			if err != nil {
				return err
			}
			res, err := discover(c, creds, opts)
			if err != nil {
				return err
			}
			out := bufio.NewWriter(e.stdout)
			if c.Bool("json") {
				err = writeCPIDJSON(out, res, creds.Source)
			} else {
				err = writeCPIDText(out, res, creds.Source)
			}
			if ferr := out.Flush(); err == nil {
				err = ferr
			}
			return outputError(err)
		},
	}
}

// cpidJSON is the --json form of a cpid.Result.
type cpidJSON struct {
	CPID     string `json:"cpid"`
	Method   string `json:"method"`
	AuthURL  string `json:"auth_url"`
	Hostname string `json:"hostname"`
	TokenURL string `json:"token_url,omitempty"`
	Source   string `json:"source,omitempty"`
	Fallback string `json:"fallback,omitempty"`
}

func writeCPIDJSON(w io.Writer, res cpid.Result, source string) error {
	j := cpidJSON{CPID: res.CPID, Method: res.Method.String(), AuthURL: res.AuthURL, Hostname: res.Hostname,
		TokenURL: res.TokenURL, Source: source}
	if res.Fallback != nil {
		j.Fallback = res.Fallback.Error()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}

func writeCPIDText(w io.Writer, res cpid.Result, source string) error {
	var how string
	switch res.Method {
	case cpid.KeystoneV3Catalog:
		how = "the identity service's id in the Keystone v3 catalog"
	case cpid.KeystoneV2Catalog:
		how = "the first identity endpoint's id in the Keystone v2.0 catalog"
	default:
		how = fmt.Sprintf("md5 of the auth URL's host name %q", res.Hostname)
	}
	lines := [][2]string{
		{"CPID", res.CPID},
		{"Method", res.Method.String() + " (" + how + ")"},
		{"Auth URL", res.AuthURL},
		{"Token URL", res.TokenURL},
		{"Source", source},
	}
	if res.Fallback != nil {
		lines = append(lines, [2]string{"Fallback", res.Fallback.Error()})
	}
	for _, l := range lines {
		if l[1] == "" {
			continue
		}
		if _, err := fmt.Fprintf(w, "%-10s %s\n", l[0]+":", l[1]); err != nil {
			return err
		}
	}
	return nil
}
