package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/adapters/server"
	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/adapters/webui"
	"github.com/refstack-go/refstack/guideline"
)

// defaultServeAddr is where refstack serve listens by default: this machine
// only.
const defaultServeAddr = "127.0.0.1:8000"

func serveCommand(e *env) *ucli.Command {
	flags := []ucli.Flag{
		&ucli.StringFlag{Name: "addr", Value: defaultServeAddr, EnvVars: []string{"REFSTACK_ADDR"}, Usage: "listen on `HOST:PORT` (port 0 picks a free port)"},
		&ucli.StringFlag{Name: "db", Value: storage.DefaultURL, EnvVars: []string{"REFSTACK_DB"},
			Usage: "store results in the database `URL`: sqlite:PATH, mysql://USER:PASS@HOST/DB or postgres://USER:PASS@HOST/DB"},
		&ucli.StringFlag{Name: "ui-url", EnvVars: []string{"REFSTACK_UI_URL"}, Usage: "the `URL` results are shown at, in upload answers and listings (default: http://ADDR)"},
		&ucli.StringSliceFlag{Name: "admin-key", TakesFile: true, Usage: "the OpenSSH public keys in `FILE` are foundation admins' (repeatable)"},
		&ucli.BoolFlag{Name: "anonymous-upload", Value: true, Usage: "store uploads that are not signed by a registered key (--anonymous-upload=false refuses them)"},
		&ucli.BoolFlag{Name: "open-registration", Value: true, Usage: "let anyone register a key as a new user (--open-registration=false: only users and admins add keys)"},
		&ucli.StringSliceFlag{Name: "cors-origin", EnvVars: []string{"REFSTACK_CORS_ORIGINS"},
			Usage: "let pages from `ORIGIN` (scheme://host[:port]) call the API (repeatable or comma-separated; RefStack's allowed_cors_origins)"},
		&ucli.IntFlag{Name: "per-page", Value: server.DefaultResultsPerPage, Usage: "list `N` results per page"},
		&ucli.Int64Flag{Name: "max-body", Value: server.DefaultMaxBodyBytes, Usage: "refuse JSON uploads larger than `BYTES` (413)"},
		&ucli.Int64Flag{Name: "max-subunit", Value: server.DefaultMaxSubunitBytes, Usage: "refuse subunit uploads larger than `BYTES` (413)"},
		&ucli.DurationFlag{Name: "guidelines-ttl", Usage: "keep guidelines in memory for `DURATION` (default: 12h from a URL, 1m from a directory)"},
		&ucli.DurationFlag{Name: "shutdown-timeout", Value: server.DefaultShutdownTimeout, Usage: "on SIGTERM or SIGINT, wait up to `DURATION` for requests in flight"},
		&ucli.StringFlag{Name: "log-format", Value: "text", Usage: "write the access log as `text` or json"},
	}
	src := sourceFlags()
	if sf, ok := src[0].(*ucli.StringFlag); ok && sf.Name == "source" {
		sf.Name, sf.Aliases = "guidelines", []string{"source"}
	}
	flags = append(flags, src...)
	return &ucli.Command{
		Name:  "serve",
		Usage: "run a RefStack-compatible server: API v1 and web UI",
		Description: "Serves RefStack's API v1 at /v1 and /api/v1 (results, guidelines, profile and keys)\n" +
			"and the web UI at /, storing results in --db (default: the SQLite file refstack.db in\n" +
			"the working directory). refstack-client uploads to it with --url http://ADDR.\n\n" +
			"Users are registered RSA keys: register one with the output of refstack sign KEY\n" +
			"(POST /v1/profile/pubkeys), sign uploads with it (refstack upload -i KEY), and call the\n" +
			"API as its owner with a token from refstack token -i KEY. --admin-key names the\n" +
			"foundation admins. Stops gracefully on SIGTERM or SIGINT.\n\n" + guidelineSourceHelp,
		Flags: flags,
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("serve: unexpected argument %q", c.Args().First())
			}
			return serve(c, e)
		},
	}
}

func serve(c *ucli.Context, e *env) error {
	ctx := c.Context
	var log *slog.Logger
	switch f := c.String("log-format"); f {
	case "text":
		log = slog.New(slog.NewTextHandler(e.stderr, nil))
	case "json":
		log = slog.New(slog.NewJSONHandler(e.stderr, nil))
	default:
		return usageErrorf("serve: --log-format %q: want text or json", f)
	}
	src, err := sourceFromFlags(c)
	if err != nil {
		return err
	}
	ttl := c.Duration("guidelines-ttl")
	if !c.IsSet("guidelines-ttl") {
		ttl = server.DefaultGuidelinesTTL
		if _, ok := src.(*guideline.DirSource); ok {
			ttl = time.Minute
		}
	}
	if ttl <= 0 {
		return usageErrorf("serve: --guidelines-ttl %v: want a positive duration", ttl)
	}
	cache, err := server.NewGuidelines(src, ttl)
	if err != nil {
		return usageErrorf("serve: %v", err)
	}
	var adminKeys []string
	for _, path := range c.StringSlice("admin-key") {
		data, err := os.ReadFile(path)
		if err != nil {
			return usageErrorf("serve: --admin-key: %v", err)
		}
		adminKeys = append(adminKeys, strings.Split(string(data), "\n")...)
	}
	ln, err := net.Listen("tcp", c.String("addr"))
	if err != nil {
		return notFinished(fmt.Errorf("serve: --addr: %w", err))
	}
	defer ln.Close()
	uiURL := c.String("ui-url")
	if uiURL == "" {
		uiURL = "http://" + ln.Addr().String()
	}
	store, err := storage.Open(ctx, c.String("db"))
	if err != nil {
		return notFinished(fmt.Errorf("serve: --db: %w", err))
	}
	defer store.Close()
	ui, err := webui.New(webui.Config{Store: store, Guidelines: cache, APIPrefix: "/v1", Logger: log})
	if err != nil {
		return notFinished(fmt.Errorf("serve: web UI: %w", err))
	}
	srv, err := server.New(store, cache,
		server.WithLogger(log), server.WithUIURL(uiURL), server.WithUI(ui),
		server.WithAdminKeys(adminKeys...),
		server.WithAnonymousUploads(c.Bool("anonymous-upload")),
		server.WithOpenRegistration(c.Bool("open-registration")),
		server.WithCORSOrigins(c.StringSlice("cors-origin")...),
		server.WithResultsPerPage(c.Int("per-page")),
		server.WithMaxBodyBytes(c.Int64("max-body")),
		server.WithMaxSubunitBytes(c.Int64("max-subunit")),
		server.WithTimeouts(server.Timeouts{Shutdown: c.Duration("shutdown-timeout")}),
	)
	if err != nil {
		return usageErrorf("serve: %v", err)
	}
	log.Info("serving", slog.String("addr", ln.Addr().String()), slog.String("url", uiURL), slog.String("db", redactDB(c.String("db"))))
	if err := srv.Serve(ctx, ln); err != nil && !errors.Is(err, context.Canceled) {
		return notFinished(err)
	}
	log.Info("stopped")
	return nil
}

// redactDB hides the password of a database URL in the log.
func redactDB(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if user, _, ok := strings.Cut(rest[:at], ":"); ok {
			return scheme + "://" + user + ":xxxxx" + rest[at:]
		}
	}
	return u
}
