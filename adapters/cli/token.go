package cli

import (
	"fmt"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/adapters/server"
	"github.com/refstack-go/refstack/submit"
)

func tokenCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "token",
		Usage: "print a token (JWT) that authenticates API calls to a refstack server",
		Description: "Prints an RS256 JWT signed with the private KEY, naming the user --openid (default:\n" +
			"the identity the server gives a user whose first key is KEY), valid for --ttl. Send it as\n" +
			"Authorization: Bearer TOKEN, for example:\n\n" +
			"  curl -H \"Authorization: Bearer $(refstack token -i KEY)\" http://127.0.0.1:8000/v1/profile",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "sign", Aliases: []string{"i"}, Required: true, TakesFile: true, Usage: "sign with the RSA private `KEY` registered on the server"},
			&ucli.StringFlag{Name: "openid", Usage: "the user's `ID` (its openid; default key:SHA256:<fingerprint of KEY>)"},
			&ucli.DurationFlag{Name: "ttl", Value: time.Hour, Usage: "the token expires after `DURATION`"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("token: unexpected argument %q", c.Args().First())
			}
			if c.Duration("ttl") <= 0 {
				return usageErrorf("token: --ttl %v: want a positive duration", c.Duration("ttl"))
			}
			s, err := submit.LoadSigner(c.String("sign"))
			if err != nil {
				return notFinished(err)
			}
			openid := c.String("openid")
			if openid == "" {
				if openid, err = server.OpenID(s.PublicKey()); err != nil {
					return notFinished(err)
				}
			}
			tok, err := server.Token(s, openid, time.Now().Add(c.Duration("ttl")))
			if err != nil {
				return notFinished(err)
			}
			_, err = fmt.Fprintln(e.stdout, tok)
			return outputError(err)
		},
	}
}
