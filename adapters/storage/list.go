package storage

import (
	"context"
	"fmt"
	"strings"
)

// String names a visibility in messages.
func (v Visibility) String() string {
	switch v {
	case Public:
		return "public"
	case OwnedBy:
		return "owned-by"
	case All:
		return "all"
	}
	return fmt.Sprintf("Visibility(%d)", int(v))
}

// where builds the WHERE clause and its arguments for f.
func (s *sqlStore) where(f ResultFilter) (string, []any, error) {
	var (
		conds []string
		args  []any
	)
	switch f.Visibility {
	case Public:
		// RefStack: anonymous uploads (no "user" row) plus shared ones.
		conds = append(conds, `(NOT EXISTS (SELECT 1 FROM meta m WHERE m.test_id = t.id AND m.meta_key = 'user')`+
			` OR EXISTS (SELECT 1 FROM meta m WHERE m.test_id = t.id AND m.meta_key = 'shared'))`)
	case OwnedBy:
		if f.User == "" {
			return "", nil, fmt.Errorf("storage: listing results owned by a user needs the user: %w", ErrInvalid)
		}
		conds = append(conds, `t.id IN (SELECT m.test_id FROM meta m WHERE m.meta_key = 'user' AND m.value = ?)`)
		args = append(args, f.User)
	case All:
	default:
		return "", nil, fmt.Errorf("storage: unknown visibility %d: %w", int(f.Visibility), ErrInvalid)
	}
	if f.Start != nil {
		conds = append(conds, `t.created_at >= ?`)
		args = append(args, s.d.timeArg(*f.Start))
	}
	if f.End != nil {
		conds = append(conds, `t.created_at <= ?`)
		args = append(args, s.d.timeArg(*f.End))
	}
	if f.CPID != "" {
		conds = append(conds, `t.cpid = ?`)
		args = append(args, f.CPID)
	}
	if f.VerificationStatus != nil {
		conds = append(conds, `t.verification_status = ?`)
		args = append(args, *f.VerificationStatus)
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// ListResults counts what f selects, reads one page ordered newest first,
// then the page's metadata in one more query: three queries whatever the
// page size.
func (s *sqlStore) ListResults(ctx context.Context, f ResultFilter) ([]Result, int, error) {
	if f.Offset < 0 || f.Limit < 0 {
		return nil, 0, fmt.Errorf("storage: offset %d, limit %d: negative paging: %w", f.Offset, f.Limit, ErrInvalid)
	}
	where, args, err := s.where(f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM test t`+where), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("storage: count results: %w", err)
	}
	page := []Result{}
	if f.Offset >= total {
		return page, total, nil
	}
	q := `SELECT ` + testColumns + ` FROM test t` + where + ` ORDER BY t.created_at DESC, t.id DESC` + s.d.limit(f.Limit, f.Offset)
	rows, err := s.r.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("storage: list results: %w", err)
	}
	for rows.Next() {
		r, err := scanResult(rows)
		if err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("storage: list results: %w", err)
		}
		page = append(page, r)
	}
	// Closed before the next query: an in-memory SQLite store has one
	// connection.
	if err := rows.Close(); err != nil {
		return nil, 0, fmt.Errorf("storage: list results: %w", err)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("storage: list results: %w", err)
	}
	if err := s.loadMeta(ctx, page); err != nil {
		return nil, 0, err
	}
	return page, total, nil
}
