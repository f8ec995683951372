// Package storagetest gives tests an isolated, empty database on each
// storage backend this machine offers, as a URL for storage.Open:
//
//   - sqlite: a file in t.TempDir(), always;
//   - mysql: a new database on the server REFSTACK_TEST_MYSQL_DSN names
//     (mysql://root:@127.0.0.1:3306/test), or else in a MariaDB container
//     when a Docker engine answers;
//   - postgres: a new schema on the server REFSTACK_TEST_POSTGRES_DSN names
//     (postgres://postgres@127.0.0.1:5432/test?sslmode=disable), or else in
//     a PostgreSQL container.
//
// Every URL is a database or schema of its own, named refstack_test_ and 16
// random hex digits and dropped when the test ends, so tests of several
// packages running in parallel against the same server never meet.
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Environment variables naming the servers to test against.
const (
	MySQLEnv    = "REFSTACK_TEST_MYSQL_DSN"
	PostgresEnv = "REFSTACK_TEST_POSTGRES_DSN"
)

// Backends returns the backend names URL takes, in a fixed order.
func Backends() []string { return []string{"sqlite", "mysql", "postgres"} }

// URL returns the URL of a new, empty database on backend, dropped at the
// end of the test; it skips the test, saying why, when the backend is not
// available here.
func URL(t testing.TB, backend string) string {
	t.Helper()
	u, why := newURL(t, backend)
	if why != "" {
		t.Skipf("storagetest: %s: %s", backend, why)
	}
	return u
}

// Stores returns a URL for each available backend, by name, each a new
// empty database dropped at the end of the test. Unavailable backends are
// left out, with the reason logged.
func Stores(t testing.TB) map[string]string {
	t.Helper()
	urls := map[string]string{}
	for _, b := range Backends() {
		u, why := newURL(t, b)
		if why != "" {
			t.Logf("storagetest: %s skipped: %s", b, why)
			continue
		}
		urls[b] = u
	}
	return urls
}

// newURL makes the database, or says why it cannot.
func newURL(t testing.TB, backend string) (u, why string) {
	t.Helper()
	switch backend {
	case "sqlite":
		return "sqlite:" + filepath.Join(t.TempDir(), "refstack.db"), ""
	case "mysql":
		server, why := serverURL(t, MySQLEnv, mariaDB)
		if why != "" {
			return "", why
		}
		return isolatedMySQL(t, server)
	case "postgres":
		server, why := serverURL(t, PostgresEnv, postgres)
		if why != "" {
			return "", why
		}
		return isolatedPostgres(t, server)
	}
	t.Fatalf("storagetest: unknown backend %q (want one of %v)", backend, Backends())
	return "", ""
}

// serverURL is the DSN the environment gives, or a container's.
func serverURL(t testing.TB, env string, c containerSpec) (string, string) {
	if v := os.Getenv(env); v != "" {
		return v, ""
	}
	u, err := container(t, c)
	if err != nil {
		return "", fmt.Sprintf("%s is unset and %v", env, err)
	}
	return u, ""
}

// uniqueName is a fresh database or schema name.
func uniqueName() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "refstack_test_" + hex.EncodeToString(b)
}

// isolatedMySQL creates a database on the server and returns its URL.
func isolatedMySQL(t testing.TB, server string) (string, string) {
	u, err := url.Parse(server)
	if err != nil || u.Host == "" {
		return "", fmt.Sprintf("%s is not mysql://USER:PASS@HOST:PORT/DB: %v", MySQLEnv, err)
	}
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	if u.Port() == "" {
		cfg.Addr += ":3306"
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.Timeout = 5 * time.Second
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return "", fmt.Sprintf("%s: %v", MySQLEnv, err)
	}
	db := sql.OpenDB(conn)
	name := uniqueName()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4"); err != nil {
		db.Close()
		return "", fmt.Sprintf("server of %s does not answer: %v", MySQLEnv, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), "DROP DATABASE "+name); err != nil {
			t.Errorf("storagetest: drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String(), ""
}

// isolatedPostgres creates a schema on the server and returns a URL whose
// search_path is that schema alone.
func isolatedPostgres(t testing.TB, server string) (string, string) {
	if u, err := url.Parse(server); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Sprintf("%s is not a postgres:// URL", PostgresEnv)
	}
	cfg, err := pgx.ParseConfig(server)
	if err != nil {
		return "", fmt.Sprintf("%s: %v", PostgresEnv, err)
	}
	cfg.ConnectTimeout = 5 * time.Second
	db := stdlib.OpenDB(*cfg)
	name := uniqueName()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		db.Close()
		return "", fmt.Sprintf("server of %s does not answer: %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), "DROP SCHEMA "+name+" CASCADE"); err != nil {
			t.Errorf("storagetest: drop schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		return "", fmt.Sprintf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String(), ""
}
