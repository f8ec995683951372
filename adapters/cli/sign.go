package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/submit"
)

func signCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "sign",
		Usage:     "print a key's public half and self-signature, to register it on RefStack",
		ArgsUsage: "KEY",
		Description: "Prints the OpenSSH public key of the RSA private KEY and the signature of the text\n" +
			"\"signature\" made with it, as refstack-client sign does: paste both into the RefStack\n" +
			"web UI (Profile, Import public key) so that results signed with KEY are yours.\n" +
			"KEY.pub, when present, must be KEY's public half.",
		Action: func(c *ucli.Context) error {
			path, err := oneArg(c, "the private key file")
			if err != nil {
				return err
			}
			s, err := submit.LoadSigner(path)
			if err != nil {
				return notFinished(err)
			}
			if err := checkPubFile(path+".pub", s); err != nil {
				return notFinished(err)
			}
			sig, err := s.SelfSignature()
			if err != nil {
				return notFinished(err)
			}
			_, err = fmt.Fprintf(e.stdout, "Public key:\n%s\n\nSelf signature:\n%s\n\n", s.PublicKey(), sig)
			return outputError(err)
		},
	}
}

// checkPubFile checks that the public key file beside a private key, if
// there is one, holds its public half: refstack-client prints the .pub file's
// key, which must be the one that signs.
func checkPubFile(path string, s *submit.Signer) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	fields := strings.Fields(string(data))
	if len(fields) < 2 {
		return fmt.Errorf("%s: not an OpenSSH public key (want \"ssh-rsa AAAA... [comment]\")", path)
	}
	if fields[0]+" "+fields[1] != s.PublicKey() {
		return fmt.Errorf("%s is not the public half of the private key: remove it or give the matching private key", path)
	}
	return nil
}
