package storage

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		url  string
		kind string
		// what the parsed target holds, as "field=value" checks
		path, addr, db, user, pass string
		err                        string // part of the error; "" for none
	}{
		{url: "sqlite:refstack.db", kind: "sqlite", path: "refstack.db"},
		{url: "sqlite:/var/lib/refstack/db.sqlite", kind: "sqlite", path: "/var/lib/refstack/db.sqlite"},
		{url: "sqlite:///var/lib/refstack.db", kind: "sqlite", path: "/var/lib/refstack.db"},
		{url: "sqlite::memory:", kind: "sqlite", path: ":memory:"},
		{url: "SQLite:a?b#c.db", kind: "sqlite", path: "a?b#c.db"},
		{url: "mysql://refstack:s3cr%40t@db.example.org:3307/refstack", kind: "mysql", addr: "db.example.org:3307", db: "refstack", user: "refstack", pass: "s3cr@t"},
		{url: "mysql://root:@127.0.0.1/test", kind: "mysql", addr: "127.0.0.1:3306", db: "test", user: "root"},
		{url: "mysql://root@[::1]:3306/test?tls=false", kind: "mysql", addr: "[::1]:3306", db: "test", user: "root"},
		{url: "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", kind: "postgres", addr: "127.0.0.1:5432", db: "test", user: "postgres"},
		{url: "postgresql://u:p@h/d?sslmode=disable", kind: "postgres", addr: "h:5432", db: "d", user: "u", pass: "p"},

		{url: "", err: "has no scheme"},
		{url: "refstack.db", err: "has no scheme"},
		{url: "sqlite:", err: "names no file"},
		{url: "sqlite://", err: "names no file"},
		{url: "oracle://x/y", err: `unknown scheme "oracle"`},
		{url: "mysql://root:pw@/test", err: "no host"},
		{url: "mysql://root:pw@h:3306", err: "is not one database name"},
		{url: "mysql://root:pw@h:3306/a/b", err: `path "/a/b" is not one database name`},
		{url: "mysql://root:pw@h:99999/a", err: `port "99999"`},
		{url: "mysql://root:pw@h/a?timeout=soon", err: "parameters"},
		{url: "postgres://u:pw@h:notaport/d", err: "postgres URL"},
		{url: "postgres://u:pw@h/d?sslmode=bogus", err: "postgres URL"},
		{url: "mysql://u:pw@h:notaport/d", err: "mysql URL"},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			tg, err := parseURL(c.url)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one saying %q", err, c.err)
				}
				if strings.Contains(err.Error(), "pw") {
					t.Errorf("error %q shows the password", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tg.kind != c.kind {
				t.Errorf("kind %q, want %q", tg.kind, c.kind)
			}
			switch tg.kind {
			case "sqlite":
				if tg.path != c.path {
					t.Errorf("path %q, want %q", tg.path, c.path)
				}
			case "mysql":
				m := tg.mysql
				if m.Addr != c.addr || m.DBName != c.db || m.User != c.user || m.Passwd != c.pass {
					t.Errorf("addr %q db %q user %q pass %q, want %q %q %q %q", m.Addr, m.DBName, m.User, m.Passwd, c.addr, c.db, c.user, c.pass)
				}
				if !m.ParseTime || m.Loc != time.UTC || !m.ClientFoundRows || !strings.Contains(m.Params["sql_mode"], "STRICT_ALL_TABLES") {
					t.Errorf("the settings the store relies on are missing: %+v", m)
				}
			case "postgres":
				p := tg.pg
				if addr := p.Host + ":" + strconv.Itoa(int(p.Port)); addr != c.addr || p.Database != c.db || p.User != c.user || p.Password != c.pass {
					t.Errorf("addr %q db %q user %q pass %q, want %q %q %q %q", addr, p.Database, p.User, p.Password, c.addr, c.db, c.user, c.pass)
				}
			}
		})
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"mysql://root:secret@h:3306/db":  "mysql://root:xxxxx@h:3306/db",
		"postgres://u@h/db":              "postgres://u@h/db",
		"sqlite:refstack.db":             "sqlite:refstack.db",
		"postgres://u:p%2Fw@h/d?x=y&z=w": "postgres://u:xxxxx@h/d?x=y&z=w",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParseURL: any string gives a target or an error, never a panic, and
// no error shows a password.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"sqlite:refstack.db", "sqlite::memory:", "sqlite:///x", "mysql://root:@127.0.0.1:3306/test",
		"mysql://u:pw@h/d?tls=true&timeout=5s", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"postgres://u:pw@h:1/d?search_path=x", "mysql://u:pw@h:x/d", "sqlite:\x00", ":", "mysql:", "postgres://%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tg, err := parseURL(raw)
		if err != nil {
			if strings.Contains(raw, ":pw@") && strings.Contains(err.Error(), ":pw@") {
				t.Errorf("error %q shows the password", err)
			}
			return
		}
		switch tg.kind {
		case "sqlite":
			if tg.path == "" {
				t.Errorf("%q: sqlite target without a path", raw)
			}
		case "mysql":
			if tg.mysql == nil || tg.mysql.DBName == "" || !tg.mysql.ParseTime {
				t.Errorf("%q: incomplete mysql target %+v", raw, tg.mysql)
			}
		case "postgres":
			if tg.pg == nil {
				t.Errorf("%q: postgres target without a config", raw)
			}
		default:
			t.Errorf("%q: kind %q", raw, tg.kind)
		}
	})
}
