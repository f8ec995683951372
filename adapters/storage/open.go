package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// DefaultURL is the database the server uses when --db is not given.
const DefaultURL = "sqlite:refstack.db"

// Option configures Open.
type Option func(*options) error

type options struct {
	now func() time.Time
}

// WithClock sets the clock CreateResult, PutUser and AddPubKey read for
// times the caller does not give; the default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return errors.New("storage: nil clock")
		}
		o.now = now
		return nil
	}
}

// Open connects to the database rawURL names, applies the migrations it
// lacks and returns the Store. The URL is one of
//
//	sqlite:PATH                            a file, created when missing
//	sqlite::memory:                        a private in-memory database
//	mysql://USER:PASS@HOST[:PORT]/DB       MySQL or MariaDB (port 3306)
//	postgres://USER:PASS@HOST[:PORT]/DB    PostgreSQL (port 5432)
//
// A mysql URL may carry driver parameters (tls=true); a postgres URL any
// parameter pgx reads (sslmode=disable, search_path=NAME). Open fails with
// an error naming the part of the URL it cannot use.
func Open(ctx context.Context, rawURL string, opts ...Option) (Store, error) {
	o := options{now: time.Now}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	tg, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	s, err := tg.open()
	if err != nil {
		return nil, err
	}
	s.now = o.now
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("storage: %s: %w", redact(rawURL), err)
	}
	return s, nil
}

// redact hides the password of a URL for error messages. A URL that does
// not parse loses everything before its last '@'.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		at := strings.LastIndexByte(raw, '@')
		if at < 0 {
			return raw
		}
		prefix := ""
		if scheme, _, ok := strings.Cut(raw[:at], "://"); ok {
			prefix = scheme + "://"
		}
		return prefix + "xxxxx" + raw[at:]
	}
	if at := strings.LastIndexByte(u.Opaque, '@'); at >= 0 {
		return u.Scheme + ":xxxxx" + u.Opaque[at:] // mysql:user:pass@host
	}
	if u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// urlErr drops the URL, password included, from a url.Parse error.
func urlErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// target is a parsed database URL: which database and how to reach it.
type target struct {
	kind   string // "sqlite", "mysql" or "postgres"
	path   string // SQLite file, or ":memory:"
	mysql  *mysql.Config
	pg     *pgx.ConnConfig
	rawURL string
}

// parseURL reads a database URL without connecting.
func parseURL(raw string) (target, error) {
	scheme, rest, ok := strings.Cut(raw, ":")
	if !ok || scheme == "" {
		return target{}, errors.New("storage: database URL has no scheme (want sqlite:PATH, mysql://... or postgres://...)")
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3":
		return parseSQLite(rest)
	case "mysql", "mariadb":
		return parseMySQL(raw)
	case "postgres", "postgresql":
		return parsePostgres(raw)
	}
	return target{}, fmt.Errorf("storage: database URL: unknown scheme %q (want sqlite, mysql or postgres)", scheme)
}

func parseSQLite(path string) (target, error) {
	if strings.HasPrefix(path, "//") {
		path = path[2:] // sqlite:///abs/path
	}
	switch {
	case path == "":
		return target{}, errors.New("storage: database URL sqlite: names no file (want sqlite:PATH)")
	case strings.ContainsRune(path, 0):
		return target{}, fmt.Errorf("storage: database URL sqlite:%q: NUL byte in the path", path)
	}
	return target{kind: "sqlite", path: path, rawURL: "sqlite:" + path}, nil
}

// parseMySQL turns the URL into a go-sql-driver configuration. The settings
// the store relies on override the URL's: times parsed as UTC, utf8mb4,
// strict SQL mode, and found (not changed) rows counted by UPDATE.
func parseMySQL(raw string) (target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return target{}, fmt.Errorf("storage: mysql URL: %w", urlErr(err))
	}
	if u.Host == "" {
		return target{}, fmt.Errorf("storage: mysql URL: no host (want mysql://USER:PASS@HOST:PORT/DB)")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return target{}, fmt.Errorf("storage: mysql URL: port %q is not a number from 1 to 65535", p)
		}
	}
	db := strings.TrimPrefix(u.Path, "/")
	if db == "" || strings.Contains(db, "/") {
		return target{}, fmt.Errorf("storage: mysql URL: path %q is not one database name (want mysql://USER:PASS@HOST:PORT/DB)", u.Path)
	}
	cfg, err := mysql.ParseDSN("/?" + u.RawQuery)
	if err != nil {
		return target{}, fmt.Errorf("storage: mysql URL: parameters: %w", err)
	}
	port := u.Port()
	if port == "" {
		port = "3306"
	}
	cfg.Net = "tcp"
	cfg.Addr = net.JoinHostPort(u.Hostname(), port)
	cfg.DBName = db
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.ClientFoundRows = true
	if err := cfg.Apply(mysql.Charset("utf8mb4", "utf8mb4_unicode_ci")); err != nil {
		return target{}, fmt.Errorf("storage: mysql URL: %w", err)
	}
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["sql_mode"] = "'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'"
	cfg.Params["time_zone"] = "'+00:00'"
	return target{kind: "mysql", mysql: cfg, rawURL: raw}, nil
}

// parsePostgres hands the URL to pgx, which reads every libpq parameter.
func parsePostgres(raw string) (target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return target{}, fmt.Errorf("storage: postgres URL: %w", urlErr(err))
	}
	if u.Opaque != "" || u.Host == "" {
		return target{}, fmt.Errorf("storage: postgres URL: no host (want postgres://USER:PASS@HOST:PORT/DB)")
	}
	cfg, err := pgx.ParseConfig(raw)
	if err != nil {
		return target{}, fmt.Errorf("storage: postgres URL: %w", err)
	}
	return target{kind: "postgres", pg: cfg, rawURL: raw}, nil
}

// open makes the connection pools; nothing connects before prepare.
func (tg target) open() (*sqlStore, error) {
	switch tg.kind {
	case "sqlite":
		return openSQLite(tg.path)
	case "mysql":
		conn, err := mysql.NewConnector(tg.mysql)
		if err != nil {
			return nil, fmt.Errorf("storage: mysql URL %s: %w", redact(tg.rawURL), err)
		}
		db := sql.OpenDB(conn)
		pool(db)
		return &sqlStore{d: dialect{name: "mysql"}, w: db, r: db}, nil
	}
	db := stdlib.OpenDB(*tg.pg)
	pool(db)
	return &sqlStore{d: postgresDialect, w: db, r: db}, nil
}

// pool sizes a server database's pool: enough connections for concurrent
// uploads, few kept idle.
func pool(db *sql.DB) {
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(8)
	db.SetConnMaxLifetime(time.Hour)
}

// sqliteParams are the settings of every SQLite connection: WAL so readers
// never wait for the writer, FULL sync so an acknowledged upload survives a
// crash, foreign keys enforced, and a busy timeout for other processes
// sharing the file.
const sqliteParams = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=journal_mode(WAL)"

// openSQLite opens the file with two pools: one connection for all writes,
// so writers queue in Go instead of failing with SQLITE_BUSY, and a pool of
// read-only connections. An in-memory database lives in one connection, so
// it gets one pool of one.
func openSQLite(path string) (*sqlStore, error) {
	if path == ":memory:" {
		db, err := sql.Open("sqlite", ":memory:?_pragma=foreign_keys(1)&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("storage: sqlite: %w", err)
		}
		db.SetMaxOpenConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
		return &sqlStore{d: sqliteDialect, w: db, r: db}, nil
	}
	// A "file:" URI keeps SQLite from reading a '?' or '#' of the path as
	// the start of parameters.
	name := "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	w, err := sql.Open("sqlite", name+"?"+sqliteParams+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("storage: sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", name+"?"+sqliteParams+"&_query_only=1")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("storage: sqlite %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return &sqlStore{d: sqliteDialect, w: w, r: r}, nil
}
