package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/submit"
)

// defaultRefStackURL is refstack-client's default API URL.
const defaultRefStackURL = "https://refstack.openstack.org/api"

// maxUploadFile is the largest results or bundle file upload reads.
const maxUploadFile = 256 << 20

func uploadCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "upload",
		Usage:     "upload a results JSON file or a signed bundle to a RefStack server",
		ArgsUsage: "FILE|-",
		Description: "Uploads FILE, a results JSON file (as refstack results or refstack-client write it)\n" +
			"or a signed bundle (as --bundle writes it), to POST URL/v1/results/. A results file is\n" +
			"checked and sent in refstack-client's encoding, signed with -i KEY when given; a\n" +
			"bundle is sent exactly as it was signed. Asks for confirmation on a terminal unless\n" +
			"-y; elsewhere -y is required. Network errors and 5xx answers are retried.\n\n" +
			"With --bundle OUT nothing is uploaded: the body is signed with -i KEY and written to\n" +
			"OUT, to be uploaded later, from any machine, with: refstack upload OUT.",
		Flags: append(networkFlags(), uploadFlags()...),
		Action: func(c *ucli.Context) error {
			path, err := oneArg(c, "a results JSON file or a bundle")
			if err != nil {
				return err
			}
			if err := canConfirm(c, e); err != nil {
				return err
			}
			data, name, err := readUploadFile(e, path)
			if err != nil {
				return err
			}
			b, err := submit.ReadBundle(bytes.NewReader(data))
			switch {
			case err == nil:
				if c.IsSet("sign") {
					return usageErrorf("upload: %s is a signed bundle: -i/--sign does not apply", name)
				}
				if c.IsSet("bundle") {
					return usageErrorf("upload: %s is already a bundle", name)
				}
				return upload(c, e, b.Body, &b.Signature, count(b.Body))
			case !errors.Is(err, submit.ErrNotBundle):
				return notFinished(fmt.Errorf("%s: %w", name, err))
			}
			doc, err := submit.ParseResults(data)
			if err == nil {
				err = doc.Validate()
			}
			if err != nil {
				return notFinished(fmt.Errorf("%s: %w", name, err))
			}
			return uploadOrBundle(c, e, doc)
		},
	}
}

// count returns the number of results in a valid body, for messages.
func count(body []byte) int {
	doc, err := submit.ParseResults(body)
	if err != nil {
		return 0
	}
	return len(doc.Results)
}

// networkFlags are the flags of every command that talks to a RefStack
// server, as refstack-client names them.
func networkFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "url", Value: defaultRefStackURL, EnvVars: []string{"REFSTACK_URL"}, Usage: "RefStack API `URL`"},
		&ucli.BoolFlag{Name: "insecure", Aliases: []string{"k"}, DisableDefaultText: true, Usage: "do not verify the server's TLS certificate"},
		&ucli.DurationFlag{Name: "timeout", Value: submit.DefaultTimeout, Usage: "give up on one request after `DURATION`"},
		&ucli.IntFlag{Name: "attempts", Value: submit.DefaultAttempts, Usage: "try each request up to `N` times on network errors and 5xx answers"},
		&ucli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, DisableDefaultText: true, Usage: "log every request and answer on standard error"},
	}
}

// uploadFlags are the flags of the commands that upload.
func uploadFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "sign", Aliases: []string{"i"}, Usage: "sign with the RSA private `KEY` (PEM PKCS#1, PEM PKCS#8 or OpenSSH; not encrypted)"},
		&ucli.BoolFlag{Name: "y", DisableDefaultText: true, Usage: "upload without asking for confirmation"},
		&ucli.StringFlag{Name: "bundle", Usage: "do not upload: write a signed bundle to `OUT` (needs -i) for a later refstack upload OUT"},
	}
}

// oneArg returns the single argument of c, what describing it.
func oneArg(c *ucli.Context, what string) (string, error) {
	switch c.NArg() {
	case 1:
		return c.Args().First(), nil
	case 0:
		return "", usageErrorf("%s: missing argument: give %s", cmdPath(c), what)
	}
	return "", usageErrorf("%s: want one argument, got %d: %q", cmdPath(c), c.NArg(), c.Args().Slice())
}

// readUploadFile reads a results or bundle file, or standard input for "-".
func readUploadFile(e *env, path string) ([]byte, string, error) {
	name, r := path, io.Reader(nil)
	if path == "-" {
		name, r = "stdin", e.stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, name, notFinished(err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxUploadFile+1))
	if err != nil {
		return nil, name, notFinished(fmt.Errorf("%s: %w", name, err))
	}
	if len(data) > maxUploadFile {
		return nil, name, notFinished(fmt.Errorf("%s: larger than %d bytes", name, maxUploadFile))
	}
	return data, name, nil
}

// uploadOrBundle uploads doc, signed with -i KEY when given, or writes it as
// a bundle with --bundle OUT.
func uploadOrBundle(c *ucli.Context, e *env, doc *submit.Results) error {
	var signer *submit.Signer
	if key := c.String("sign"); key != "" {
		s, err := submit.LoadSigner(key)
		if err != nil {
			return notFinished(err)
		}
		signer = s
	}
	body := doc.Body()
	out := c.String("bundle")
	if out == "" {
		var sig *submit.Signature
		if signer != nil {
			s, err := signer.Sign(body)
			if err != nil {
				return notFinished(err)
			}
			sig = s
		}
		return upload(c, e, body, sig, len(doc.Results))
	}
	if signer == nil {
		return usageErrorf("%s: --bundle needs -i KEY: a bundle is signed", cmdPath(c))
	}
	b, err := submit.NewBundle(body, signer)
	if err != nil {
		return notFinished(err)
	}
	if err := writeFileAtomic(out, 0o644, func(w io.Writer) error { _, err := b.WriteTo(w); return err }); err != nil {
		return notFinished(err)
	}
	_, err = fmt.Fprintf(e.stdout, "Bundle written to %s: %d passed tests of cloud %s, signed with %s\nUpload it later with: %s upload %s\n",
		out, len(doc.Results), doc.CPID, shortKey(signer.PublicKey()), e.prog, out)
	return outputError(err)
}

// shortKey abbreviates an OpenSSH public key for messages.
func shortKey(pub string) string {
	if len(pub) <= 40 {
		return pub
	}
	return pub[:20] + "..." + pub[len(pub)-12:]
}

// upload confirms and posts body with sig (nil: unsigned) to --url.
func upload(c *ucli.Context, e *env, body []byte, sig *submit.Signature, n int) error {
	client, base, err := newSubmitClient(c, e)
	if err != nil {
		return err
	}
	question := fmt.Sprintf("Test results will be uploaded to %s. Ok?", base)
	if err := confirm(c, e, question); err != nil {
		return err
	}
	signed := "unsigned"
	if sig != nil {
		signed = "signed with " + shortKey(sig.PublicKey)
	}
	fmt.Fprintf(e.stderr, "Uploading %d passed tests (%d bytes, %s) to %s\n", n, len(body), signed, base)
	res, err := client.Upload(c.Context, body, sig)
	if err != nil {
		return notFinished(fmt.Errorf("%s: %w", cmdPath(c), err))
	}
	_, err = fmt.Fprintf(e.stdout, "Test results uploaded!\nURL: %s\n", res.URL)
	return outputError(err)
}

// newSubmitClient builds the RefStack client the network flags describe.
func newSubmitClient(c *ucli.Context, e *env) (*submit.Client, string, error) {
	base := c.String("url")
	if c.Duration("timeout") <= 0 {
		return nil, base, usageErrorf("%s: --timeout %v: want more than 0", cmdPath(c), c.Duration("timeout"))
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if c.Bool("insecure") {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} // -k: the user asked
	}
	level := slog.LevelWarn
	if c.Bool("verbose") {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level, ReplaceAttr: dropTime}))
	client, err := submit.NewClient(base,
		submit.WithHTTPClient(&http.Client{Transport: tr, Timeout: c.Duration("timeout")}),
		submit.WithRetry(c.Int("attempts"), submit.DefaultBackoff),
		submit.WithLogger(log))
	if err != nil {
		return nil, base, usageErrorf("%s: --url or --attempts: %v", cmdPath(c), err)
	}
	return client, base, nil
}

// dropTime leaves the time out of log lines: the terminal has it.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// canConfirm checks, before any work, that an upload can be confirmed: with
// -y, with --bundle (nothing is uploaded), or on a terminal.
func canConfirm(c *ucli.Context, e *env) error {
	if c.Bool("y") || c.String("bundle") != "" || isTerminal(e.stdin) {
		return nil
	}
	return usageErrorf("%s: standard input is not a terminal, so there is no one to confirm the upload: pass -y to upload without asking", cmdPath(c))
}

// confirm asks question on the terminal, as refstack-client does, unless -y.
// Without a terminal to ask on, it refuses: the user must pass -y.
func confirm(c *ucli.Context, e *env, question string) error {
	if c.Bool("y") {
		return nil
	}
	if err := canConfirm(c, e); err != nil {
		return err
	}
	if _, err := fmt.Fprint(e.stderr, question+" (yes/y): "); err != nil {
		return outputError(err)
	}
	answer, err := readLine(c.Context, bufio.NewReader(e.stdin))
	if err != nil && answer == "" {
		return notFinished(fmt.Errorf("upload cancelled: %w", err))
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return nil
	}
	return notFinished(errors.New("upload cancelled: the answer was not yes"))
}

// readLine reads one line from r, giving up when ctx is done (a read from a
// terminal cannot be interrupted, so it goes on in the background; r must not
// be used again then).
func readLine(ctx context.Context, r *bufio.Reader) (string, error) {
	type line struct {
		s   string
		err error
	}
	ch := make(chan line, 1)
	go func() {
		s, err := r.ReadString('\n')
		ch <- line{s, err}
	}()
	select {
	case l := <-ch:
		if l.err == io.EOF && l.s == "" {
			return "", errors.New("no answer (end of input)")
		}
		if l.err == io.EOF {
			l.err = nil
		}
		return l.s, l.err
	case <-ctx.Done():
		return "", fmt.Errorf("interrupted: %w", context.Cause(ctx))
	}
}

// isTerminal reports whether v (standard input or output) is a terminal: a
// character device other than /dev/null. A value with an IsTerminal method
// (a fake terminal in tests) answers for itself.
func isTerminal(v any) bool {
	if t, ok := v.(interface{ IsTerminal() bool }); ok {
		return t.IsTerminal()
	}
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		return false
	}
	return true
}

// writeFileAtomic writes a file through a temporary file in the same
// directory, renamed into place once complete, so that a failure leaves no
// partial file.
func writeFileAtomic(path string, perm os.FileMode, write func(io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}
