package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// sqlStore is the Store of all three databases; dialect holds what
// differs.
type sqlStore struct {
	d dialect
	// w runs every transaction that writes; r runs reads. They are the
	// same pool except for an SQLite file, where w has one connection.
	w, r *sql.DB
	now  func() time.Time
	// chunk is how many rows one multi-row INSERT holds.
	chunk int
	// hook, when set, runs between the statements of CreateResult; tests
	// use it to fail or cancel an upload half-way.
	hook func(ctx context.Context, step string) error
}

var _ Store = (*sqlStore)(nil)

// prepare checks the connection, learns what the server offers and
// migrates.
func (s *sqlStore) prepare(ctx context.Context) error {
	if s.chunk == 0 {
		s.chunk = 500
	}
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	if s.d.name == "mysql" {
		coll, err := mysqlCollation(ctx, s.w)
		if err != nil {
			return err
		}
		s.d.collation = coll
	}
	return migrate(ctx, s.w, s.d)
}

// mysqlCollation picks a binary collation without trailing-space padding
// (MariaDB's utf8mb4_nopad_bin, MySQL 8's utf8mb4_0900_bin), so that "a" and
// "a " are two test names as they are in SQLite and PostgreSQL.
func mysqlCollation(ctx context.Context, db *sql.DB) (string, error) {
	for _, c := range []string{"utf8mb4_nopad_bin", "utf8mb4_0900_bin"} {
		var n int
		err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.COLLATIONS WHERE COLLATION_NAME = ?", c).Scan(&n)
		if err != nil {
			return "", fmt.Errorf("read collations: %w", err)
		}
		if n > 0 {
			return c, nil
		}
	}
	return "utf8mb4_bin", nil
}

// Close closes both pools.
func (s *sqlStore) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// q rebinds a query for the store's database.
func (s *sqlStore) q(query string) string { return s.d.rebind(query) }

// inTx runs fn in a write transaction, committing when it returns nil.
func (s *sqlStore) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	return nil
}

// nowArg is the store's clock as a query argument.
func (s *sqlStore) nowArg() any { return s.d.timeArg(s.now()) }
