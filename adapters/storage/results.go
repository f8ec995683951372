package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// CreateResult validates r, then stores the test row, its tests in
// multi-row INSERTs and its metadata in one transaction.
func (s *sqlStore) CreateResult(ctx context.Context, r NewResult) (Result, error) {
	if err := validateNewResult(&r); err != nil {
		return Result{}, err
	}
	if r.ID == "" {
		r.ID = uuid.NewString()
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.now()
	}
	r.CreatedAt = r.CreatedAt.UTC().Truncate(1e9)
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.insertResult(ctx, tx, r) }); err != nil {
		return Result{}, err
	}
	meta := make(map[string]string, len(r.Meta))
	maps.Copy(meta, r.Meta)
	return Result{
		ID:              r.ID,
		CPID:            r.CPID,
		DurationSeconds: r.DurationSeconds,
		CreatedAt:       r.CreatedAt,
		Meta:            meta,
	}, nil
}

// insertResult writes a validated result in tx.
func (s *sqlStore) insertResult(ctx context.Context, tx *sql.Tx, r NewResult) error {
	created := s.d.timeArg(r.CreatedAt)
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO test (id, cpid, duration_seconds, verification_status, created_at) VALUES (?, ?, ?, 0, ?)`),
		r.ID, r.CPID, r.DurationSeconds, created)
	if err != nil {
		if violation(err) == uniqueViolation {
			return fmt.Errorf("storage: result %s: %w", r.ID, ErrExists)
		}
		return fmt.Errorf("storage: insert result %s: %w", r.ID, err)
	}
	if err := s.step(ctx, "test"); err != nil {
		return err
	}
	for start := 0; start < len(r.Tests); start += s.chunk {
		batch := r.Tests[start:min(start+s.chunk, len(r.Tests))]
		var b strings.Builder
		b.WriteString(`INSERT INTO results (test_id, name, uuid) VALUES `)
		args := make([]any, 0, 3*len(batch))
		for i, t := range batch {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?)")
			var u any // NULL when the upload gave no uuid, as RefStack stores it
			if t.UUID != "" {
				u = t.UUID
			}
			args = append(args, r.ID, t.Name, u)
		}
		if _, err := tx.ExecContext(ctx, s.q(b.String()), args...); err != nil {
			if violation(err) == uniqueViolation {
				return fmt.Errorf("storage: result %s: a test name repeats in results[%d:%d]: %w", r.ID, start, start+len(batch), ErrInvalid)
			}
			return fmt.Errorf("storage: insert tests %d-%d of result %s: %w", start, start+len(batch)-1, r.ID, err)
		}
		if err := s.step(ctx, "results"); err != nil {
			return err
		}
	}
	if len(r.Meta) > 0 {
		var b strings.Builder
		b.WriteString(`INSERT INTO meta (test_id, meta_key, value, created_at) VALUES `)
		args := make([]any, 0, 4*len(r.Meta))
		for i, k := range slices.Sorted(maps.Keys(r.Meta)) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?)")
			args = append(args, r.ID, k, r.Meta[k], created)
		}
		if _, err := tx.ExecContext(ctx, s.q(b.String()), args...); err != nil {
			return fmt.Errorf("storage: insert metadata of result %s: %w", r.ID, err)
		}
		if err := s.step(ctx, "meta"); err != nil {
			return err
		}
	}
	return nil
}

// step runs the test hook after a statement of an upload.
func (s *sqlStore) step(ctx context.Context, name string) error {
	if s.hook == nil {
		return nil
	}
	return s.hook(ctx, name)
}

// testColumns are the columns scanResult reads, in its order.
const testColumns = `t.id, t.cpid, t.duration_seconds, t.created_at, t.product_version_id, t.verification_status`

// scanResult reads testColumns.
func scanResult(row interface{ Scan(...any) error }) (Result, error) {
	var (
		r       Result
		created dbTime
		pv      sql.NullString
	)
	if err := row.Scan(&r.ID, &r.CPID, &r.DurationSeconds, &created, &pv, &r.VerificationStatus); err != nil {
		return Result{}, err
	}
	r.CreatedAt = created.t
	r.ProductVersionID = pv.String
	r.Meta = map[string]string{}
	return r, nil
}

// Result returns one result with its metadata.
func (s *sqlStore) Result(ctx context.Context, id string) (Result, error) {
	r, err := scanResult(s.r.QueryRowContext(ctx, s.q(`SELECT `+testColumns+` FROM test t WHERE t.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Result{}, fmt.Errorf("storage: result %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Result{}, fmt.Errorf("storage: read result %s: %w", id, err)
	}
	page := []Result{r}
	if err := s.loadMeta(ctx, page); err != nil {
		return Result{}, err
	}
	return page[0], nil
}

// loadMeta fills the metadata of a page of results with one query per
// chunk of ids.
func (s *sqlStore) loadMeta(ctx context.Context, page []Result) error {
	index := make(map[string]*Result, len(page))
	for i := range page {
		index[page[i].ID] = &page[i]
	}
	for start := 0; start < len(page); start += s.chunk {
		batch := page[start:min(start+s.chunk, len(page))]
		args := make([]any, len(batch))
		for i, r := range batch {
			args[i] = r.ID
		}
		q := `SELECT test_id, meta_key, value FROM meta WHERE test_id IN (?` + strings.Repeat(", ?", len(batch)-1) + `)`
		rows, err := s.r.QueryContext(ctx, s.q(q), args...)
		if err != nil {
			return fmt.Errorf("storage: read metadata: %w", err)
		}
		for rows.Next() {
			var id, k, v string
			if err := rows.Scan(&id, &k, &v); err != nil {
				rows.Close()
				return fmt.Errorf("storage: read metadata: %w", err)
			}
			if r := index[id]; r != nil {
				r.Meta[k] = v
			}
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("storage: read metadata: %w", err)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("storage: read metadata: %w", err)
		}
	}
	return nil
}

// Tests returns the passed tests of a result in upload order: the order of
// the auto-increment key, which a multi-row INSERT assigns in row order.
func (s *sqlStore) Tests(ctx context.Context, id string) ([]Test, error) {
	if err := s.exists(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT name, uuid FROM results WHERE test_id = ? ORDER BY _id`), id)
	if err != nil {
		return nil, fmt.Errorf("storage: read tests of result %s: %w", id, err)
	}
	defer rows.Close()
	tests := []Test{}
	for rows.Next() {
		var (
			t Test
			u sql.NullString
		)
		if err := rows.Scan(&t.Name, &u); err != nil {
			return nil, fmt.Errorf("storage: read tests of result %s: %w", id, err)
		}
		t.UUID = u.String
		tests = append(tests, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: read tests of result %s: %w", id, err)
	}
	return tests, nil
}

// exists reports ErrNotFound for an unknown result id.
func (s *sqlStore) exists(ctx context.Context, id string) error {
	var n int
	err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM test WHERE id = ?`), id).Scan(&n)
	if err != nil {
		return fmt.Errorf("storage: read result %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("storage: result %s: %w", id, ErrNotFound)
	}
	return nil
}

// SetVerificationStatus sets a result's verification status.
func (s *sqlStore) SetVerificationStatus(ctx context.Context, id string, status int) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE test SET verification_status = ?, updated_at = ? WHERE id = ?`), status, s.nowArg(), id)
	if err != nil {
		return fmt.Errorf("storage: set verification status of result %s: %w", id, err)
	}
	return affected(res, fmt.Sprintf("result %s", id))
}

// affected turns "no row matched" into ErrNotFound. (MySQL counts matched,
// not changed, rows: the connection sets clientFoundRows.)
func affected(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("storage: %s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("storage: %s: %w", what, ErrNotFound)
	}
	return nil
}

// DeleteResult deletes the metadata, the tests and the result row in one
// transaction.
func (s *sqlStore) DeleteResult(ctx context.Context, id string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{`DELETE FROM meta WHERE test_id = ?`, `DELETE FROM results WHERE test_id = ?`} {
			if _, err := tx.ExecContext(ctx, s.q(q), id); err != nil {
				return fmt.Errorf("storage: delete result %s: %w", id, err)
			}
		}
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM test WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("storage: delete result %s: %w", id, err)
		}
		return affected(res, fmt.Sprintf("result %s", id))
	})
}

// SetMeta inserts or replaces one metadata value.
func (s *sqlStore) SetMeta(ctx context.Context, id, key, value string) error {
	if err := validateMeta(key, value); err != nil {
		return err
	}
	now := s.nowArg()
	q := `INSERT INTO meta (test_id, meta_key, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)` +
		s.d.upsert([]string{"test_id", "meta_key"}, []string{"value", "updated_at"})
	_, err := s.w.ExecContext(ctx, s.q(q), id, key, value, now, now)
	if violation(err) == foreignKeyViolation {
		return fmt.Errorf("storage: result %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("storage: set metadata %q of result %s: %w", key, id, err)
	}
	return nil
}

// DeleteMeta deletes one metadata key.
func (s *sqlStore) DeleteMeta(ctx context.Context, id, key string) error {
	res, err := s.w.ExecContext(ctx, s.q(`DELETE FROM meta WHERE test_id = ? AND meta_key = ?`), id, key)
	if err != nil {
		return fmt.Errorf("storage: delete metadata %q of result %s: %w", key, id, err)
	}
	return affected(res, fmt.Sprintf("metadata key %q of result %s", key, id))
}
