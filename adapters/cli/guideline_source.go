package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/refstack-go/refstack/guideline"
)

// guidelineSourceEnv names the environment variable that gives the default
// --source.
const guidelineSourceEnv = "REFSTACK_GUIDELINES"

// guidelineSourceHelp is the part of a command's description that says where
// guidelines come from; commands taking sourceFlags append it.
const guidelineSourceHelp = "Guidelines come from --source: a directory laid out like the openstack/interop repository\n" +
	"(core guidelines at the root, add-ons under add-ons/), or the GitHub contents API URL of such\n" +
	"a repository (https://api.github.com/repos/OWNER/REPO/contents[?ref=BRANCH]), listed and\n" +
	"fetched as RefStack's server does. The default is $" + guidelineSourceEnv + ", else the URLs RefStack\n" +
	"uses (" + guideline.DefaultListingURL + ").\n" +
	"Answers from a URL are kept in --cache-dir (default: the user cache directory, e.g.\n" +
	"~/.cache/refstack/guidelines) and revalidated with ETag and Last-Modified; --offline reads\n" +
	"the cache only."

// sourceFlags are the flags that choose where guidelines come from, for every
// command that takes a guideline name or lists them; sourceFromFlags reads
// them.
func sourceFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "source", EnvVars: []string{guidelineSourceEnv},
			Usage: "read guidelines from `DIR|URL`: an interop repository checkout or its GitHub contents API URL (default: RefStack's upstream URLs)"},
		&ucli.StringFlag{Name: "raw-url", Usage: "fetch files from `URL` + path (default: derived from a GitHub --source URL, else required with a URL)"},
		&ucli.StringFlag{Name: "cache-dir", TakesFile: true, Usage: "keep fetched guidelines in `DIR` (default: <user cache dir>/refstack/guidelines)"},
		&ucli.BoolFlag{Name: "offline", DisableDefaultText: true, Usage: "make no request: answer from the cache only"},
	}
}

// sourceFromFlags returns the guideline source the flags of sourceFlags
// choose. A bad flag value is a usage error.
func sourceFromFlags(c *ucli.Context) (guideline.Source, error) {
	where := c.String("source")
	if where != "" && !isURL(where) {
		for _, f := range []string{"raw-url"} {
			if c.IsSet(f) {
				return nil, usageErrorf("%s: --%s needs a URL --source", cmdPath(c), f)
			}
		}
		src, err := guideline.NewDirSource(where)
		if err != nil {
			return nil, usageErrorf("%s: --source: %v", cmdPath(c), err)
		}
		return src, nil
	}
	listings := []string{guideline.DefaultAddOnsListingURL, guideline.DefaultListingURL}
	raw := guideline.DefaultRawBaseURL
	if where != "" {
		var err error
		if listings, raw, err = guideline.GitHubURLs(where); err != nil {
			return nil, usageErrorf("%s: --source: %v", cmdPath(c), err)
		}
	}
	if r := c.String("raw-url"); r != "" {
		raw = r
	}
	if raw == "" {
		return nil, usageErrorf("%s: --source %s is not a GitHub contents API URL: give --raw-url", cmdPath(c), where)
	}
	opts := []guideline.HTTPOption{
		guideline.WithListingURLs(listings...),
		guideline.WithRawBaseURL(raw),
		guideline.WithHTTPClient(&http.Client{Timeout: time.Minute}),
	}
	dir := c.String("cache-dir")
	if dir == "" {
		if ucd, err := os.UserCacheDir(); err == nil {
			dir = filepath.Join(ucd, "refstack", "guidelines")
		}
	}
	if dir != "" {
		opts = append(opts, guideline.WithCacheDir(dir))
	}
	if c.Bool("offline") {
		if dir == "" {
			return nil, usageErrorf("%s: --offline needs --cache-dir (there is no user cache directory)", cmdPath(c))
		}
		opts = append(opts, guideline.WithOffline())
	}
	src, err := guideline.NewHTTPSource(opts...)
	if err != nil {
		return nil, usageErrorf("%s: %v", cmdPath(c), err)
	}
	return src, nil
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}
