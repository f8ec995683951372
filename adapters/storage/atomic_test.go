package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/refstack-go/refstack/adapters/storage/storagetest"
)

// eachBackend runs fn with an open *sqlStore on every available backend.
func eachBackend(t *testing.T, fn func(t *testing.T, s *sqlStore, url string)) {
	for _, b := range storagetest.Backends() {
		t.Run(b, func(t *testing.T) {
			url := storagetest.URL(t, b)
			st, err := Open(context.Background(), url)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() { st.Close() })
			fn(t, st.(*sqlStore), url)
		})
	}
}

// rows counts the rows of a table, bypassing the Store.
func rows(t *testing.T, s *sqlStore, table string) int {
	t.Helper()
	var n int
	if err := s.r.QueryRowContext(context.Background(), s.q(`SELECT COUNT(*) FROM `+table)).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func manyTests(n int) []Test {
	tests := make([]Test, n)
	for i := range tests {
		tests[i] = Test{Name: fmt.Sprintf("tempest.test_%03d", i)}
	}
	return tests
}

// TestUploadAtomic fails uploads half-way, after some tests are written,
// in three ways — a hook error, a context cancelled mid-transaction, a
// constraint the database (not the Go validation) rejects in a late chunk
// — and checks that no row of them remains.
func TestUploadAtomic(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlStore, _ string) {
		s.chunk = 4
		kept, err := s.CreateResult(context.Background(), NewResult{Tests: manyTests(3), Meta: map[string]string{"user": "u"}})
		if err != nil {
			t.Fatal(err)
		}
		empty := func(t *testing.T) {
			t.Helper()
			for table, want := range map[string]int{"test": 1, "results": 3, "meta": 1} {
				if n := rows(t, s, table); n != want {
					t.Errorf("%s holds %d rows after a failed upload, want %d (the earlier upload's)", table, n, want)
				}
			}
		}

		t.Run("hook error", func(t *testing.T) {
			boom := errors.New("boom")
			chunks := 0
			s.hook = func(ctx context.Context, step string) error {
				if step == "results" {
					if chunks++; chunks == 2 {
						return boom
					}
				}
				return nil
			}
			defer func() { s.hook = nil }()
			_, err := s.CreateResult(context.Background(), NewResult{Tests: manyTests(12), Meta: map[string]string{"user": "u"}})
			if !errors.Is(err, boom) {
				t.Fatalf("error %v, want the hook's", err)
			}
			empty(t)
		})

		t.Run("cancelled mid-transaction", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s.hook = func(_ context.Context, step string) error {
				if step == "results" {
					cancel()
				}
				return nil
			}
			defer func() { s.hook = nil }()
			_, err := s.CreateResult(ctx, NewResult{Tests: manyTests(12), Meta: map[string]string{"user": "u"}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error %v, want context.Canceled", err)
			}
			empty(t)
		})

		t.Run("constraint in the third chunk", func(t *testing.T) {
			r := NewResult{ID: "11111111-2222-4333-8444-555555555555", Tests: manyTests(12), Meta: map[string]string{"user": "u"}}
			r.Tests[10] = r.Tests[9] // a duplicate the validation would have caught
			r.CreatedAt = s.now()
			err := s.inTx(context.Background(), func(tx *sql.Tx) error { return s.insertResult(context.Background(), tx, r) })
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v, want ErrInvalid from the unique constraint", err)
			}
			empty(t)
		})

		if got, err := s.Tests(context.Background(), kept.ID); err != nil || len(got) != 3 {
			t.Errorf("the earlier upload changed: %v, %v", got, err)
		}
	})
}

// TestMigrations checks the recorded steps, that opening again applies
// nothing, and that a database newer than the program is refused.
func TestMigrations(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlStore, url string) {
		ctx := context.Background()
		versions := func() []string {
			t.Helper()
			rs, err := s.r.QueryContext(ctx, "SELECT version, name FROM schema_migrations ORDER BY version")
			if err != nil {
				t.Fatal(err)
			}
			defer rs.Close()
			var out []string
			for rs.Next() {
				var v int
				var name string
				if err := rs.Scan(&v, &name); err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprintf("%d %s", v, name))
			}
			return out
		}
		var want []string
		for _, m := range migrations {
			want = append(want, fmt.Sprintf("%d %s", m.version, m.name))
		}
		if got := versions(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("schema_migrations = %q, want %q", got, want)
		}
		for range 2 {
			again, err := Open(ctx, url)
			if err != nil {
				t.Fatalf("re-open: %v", err)
			}
			again.Close()
		}
		if got := versions(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("after re-opening, schema_migrations = %q, want %q", got, want)
		}

		next := migrations[len(migrations)-1].version + 1
		if _, err := s.w.ExecContext(ctx, s.q("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', ?)"), next, s.nowArg()); err != nil {
			t.Fatal(err)
		}
		_, err := Open(ctx, url)
		if err == nil {
			t.Fatal("Open of a database with a newer schema succeeded")
		}
		if want := fmt.Sprintf("schema version %d, newer", next); !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	})
}

// TestSQLiteNeverBusy has 32 writers and 32 readers on one SQLite file at
// once: the single write connection queues writers, WAL lets readers run,
// and nobody sees SQLITE_BUSY.
func TestSQLiteNeverBusy(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, storagetest.URL(t, "sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 32 {
		wg.Go(func() {
			for range 5 {
				r, err := st.CreateResult(ctx, NewResult{CPID: fmt.Sprint(g), Tests: manyTests(20)})
				if err != nil {
					errs <- err
					return
				}
				if err := st.SetMeta(ctx, r.ID, "shared", "true"); err != nil {
					errs <- err
					return
				}
			}
		})
		wg.Go(func() {
			for range 10 {
				if _, _, err := st.ListResults(ctx, ResultFilter{Limit: 20}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, total, _ := st.ListResults(ctx, ResultFilter{}); total != 160 {
		t.Errorf("%d shared results, want 160", total)
	}
}
