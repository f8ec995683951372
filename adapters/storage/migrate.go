package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// migrate applies the migrations the database lacks. Servers starting
// together take turns: the steps run under a lock the database holds
// (SQLite's write lock from BEGIN IMMEDIATE, MySQL's GET_LOCK, PostgreSQL's
// advisory lock), and each step checks schema_migrations again under it.
// Each step is one transaction where DDL is transactional (SQLite,
// PostgreSQL); MySQL commits DDL as it goes, so there the lock alone keeps
// two servers from running the same step.
func migrate(ctx context.Context, db *sql.DB, d dialect) (err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()

	unlock, err := migrationLock(ctx, conn, d)
	if err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() {
		if uerr := unlock(); uerr != nil && err == nil {
			err = fmt.Errorf("migrate: unlock: %w", uerr)
		}
	}()

	create := `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER NOT NULL PRIMARY KEY,
		name VARCHAR(128) NOT NULL,
		applied_at ` + d.timeType() + ` NOT NULL
	)`
	if d.name == "mysql" {
		create += " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
	}
	if _, err := conn.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}

	var newest sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&newest); err != nil {
		return fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	if known := migrations[len(migrations)-1].version; newest.Valid && int(newest.Int64) > known {
		return fmt.Errorf("migrate: the database has schema version %d, newer than this program's %d; use a newer refstack", newest.Int64, known)
	}

	for _, m := range migrations {
		if err := applyMigration(ctx, conn, d, m); err != nil {
			return fmt.Errorf("migrate: step %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// applyMigration runs one step in a transaction unless it is recorded.
func applyMigration(ctx context.Context, conn *sql.Conn, d dialect, m migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, d.rebind("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	for _, stmt := range m.stmts(d) {
		if _, err := tx.ExecContext(ctx, d.rebind(stmt)); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, d.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
		m.version, m.name, d.timeArg(time.Now()))
	if err != nil {
		return err
	}
	return tx.Commit()
}

// migrationLock takes the database's lock for migrations on conn and
// returns its release. SQLite needs none beyond its transactions: the write
// connection begins them IMMEDIATE, which takes the database's write lock.
func migrationLock(ctx context.Context, conn *sql.Conn, d dialect) (func() error, error) {
	switch d.name {
	case "mysql":
		// Lock names are server-wide and at most 64 characters: hash the
		// database name into it.
		const name = "CONCAT('refstack_migrate:', SHA1(DATABASE()))"
		var got sql.NullInt64
		if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK("+name+", 120)").Scan(&got); err != nil {
			return nil, err
		}
		if !got.Valid || got.Int64 != 1 {
			return nil, errors.New("another server held the migration lock for 120s")
		}
		return func() error {
			_, err := conn.ExecContext(context.WithoutCancel(ctx), "DO RELEASE_LOCK("+name+")")
			return err
		}, nil
	case "postgres":
		// Advisory locks belong to the database; the schema name keeps
		// servers using different schemas from waiting for each other.
		const key = "hashtext('refstack_migrate:' || current_schema())"
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock("+key+")"); err != nil {
			return nil, err
		}
		return func() error {
			_, err := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock("+key+")")
			return err
		}, nil
	}
	return func() error { return nil }, nil
}
