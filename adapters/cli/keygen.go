package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/submit"
)

func keygenCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "keygen",
		Usage:     "make an RSA key pair to sign uploads with",
		ArgsUsage: "FILE",
		Description: "Writes a new RSA private key to FILE (PEM PKCS#1, mode 0600, the format every\n" +
			"RefStack client reads) and its OpenSSH public key to FILE.pub. Register the key with\n" +
			"the output of: refstack sign FILE. Existing files are kept unless --force.",
		Flags: []ucli.Flag{
			&ucli.IntFlag{Name: "bits", Value: submit.DefaultKeyBits, Usage: "key size in `BITS` (2048 to 16384)"},
			&ucli.StringFlag{Name: "comment", Usage: "`TEXT` after the key in FILE.pub (RefStack shows it)"},
			&ucli.BoolFlag{Name: "force", DisableDefaultText: true, Usage: "overwrite FILE and FILE.pub"},
		},
		Action: func(c *ucli.Context) error {
			path, err := oneArg(c, "the file to write the private key to")
			if err != nil {
				return err
			}
			bits := c.Int("bits")
			if bits < 2048 || bits > 16384 {
				return usageErrorf("keygen: --bits %d: want 2048 to 16384", bits)
			}
			pubPath := path + ".pub"
			if !c.Bool("force") {
				for _, p := range []string{path, pubPath} {
					if _, err := os.Lstat(p); err == nil {
						return notFinished(fmt.Errorf("%s already exists: pass --force to overwrite it", p))
					} else if !errors.Is(err, fs.ErrNotExist) {
						return notFinished(err)
					}
				}
			}
			s, err := submit.GenerateKey(bits)
			if err != nil {
				return notFinished(err)
			}
			if err := writeFileAtomic(path, 0o600, func(w io.Writer) error { _, err := w.Write(s.PrivateKeyPEM()); return err }); err != nil {
				return notFinished(err)
			}
			if err := writeFileAtomic(pubPath, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, s.AuthorizedKey(c.String("comment"))); return err }); err != nil {
				return notFinished(err)
			}
			_, err = fmt.Fprintf(e.stdout, "Private key: %s\nPublic key:  %s\nRegister it on RefStack with the output of: %s sign %s\n", path, pubPath, e.prog, path)
			return outputError(err)
		},
	}
}
