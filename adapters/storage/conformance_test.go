package storage_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/adapters/storage/storagetest"
)

// TestConformance runs the one suite every Store passes against each
// backend: SQLite always, MariaDB and PostgreSQL where storagetest finds
// them (it skips them, saying why, otherwise).
func TestConformance(t *testing.T) {
	for _, backend := range storagetest.Backends() {
		t.Run(backend, func(t *testing.T) {
			storagetest.URL(t, backend) // skip the whole backend early when absent
			conformance(t, func(t *testing.T) string { return storagetest.URL(t, backend) })
		})
	}
}

// conformance is the shared suite. newURL returns a new, empty database
// for each subtest.
func conformance(t *testing.T, newURL func(t *testing.T) string) {
	cases := []struct {
		name string
		fn   func(t *testing.T, newURL func(t *testing.T) string)
	}{
		{"CreateAndRead", testCreateAndRead},
		{"NotFound", testNotFound},
		{"Invalid", testInvalid},
		{"ExistingID", testExistingID},
		{"CancelledContext", testCancelledContext},
		{"Visibility", testVisibility},
		{"Paging", testPaging},
		{"Filters", testFilters},
		{"Meta", testMeta},
		{"VerificationStatus", testVerificationStatus},
		{"Delete", testDelete},
		{"UsersAndKeys", testUsersAndKeys},
		{"ManyTests", testManyTests},
		{"ConcurrentUploads", testConcurrentUploads},
		{"Reopen", testReopen},
		{"ConcurrentOpen", testConcurrentOpen},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, newURL) })
	}
}

// open opens url and closes the store at the end of the test.
func open(t *testing.T, url string) storage.Store {
	t.Helper()
	s, err := storage.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("Open(%s): %v", url, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func create(t *testing.T, s storage.Store, r storage.NewResult) storage.Result {
	t.Helper()
	got, err := s.CreateResult(context.Background(), r)
	if err != nil {
		t.Fatalf("CreateResult: %v", err)
	}
	return got
}

// ids lists the ids of a page.
func ids(page []storage.Result) []string {
	out := make([]string, len(page))
	for i, r := range page {
		out[i] = r.ID
	}
	return out
}

func list(t *testing.T, s storage.Store, f storage.ResultFilter) ([]string, int) {
	t.Helper()
	page, total, err := s.ListResults(context.Background(), f)
	if err != nil {
		t.Fatalf("ListResults(%+v): %v", f, err)
	}
	return ids(page), total
}

// count is how many results the store holds.
func count(t *testing.T, s storage.Store) int {
	t.Helper()
	_, total := list(t, s, storage.ResultFilter{Visibility: storage.All})
	return total
}

// at is a fixed UTC time plus n seconds.
func at(n int) time.Time {
	return time.Date(2024, 5, 17, 12, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Second)
}

func testCreateAndRead(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	ctx := context.Background()
	tests := []storage.Test{
		{Name: "tempest.api.compute.servers.test_create_server.ServersTestJSON.test_list_servers[id-9a438d88-10c6-4bcd-8b5b-5b6e25e1346f,smoke]", UUID: "9a438d88-10c6-4bcd-8b5b-5b6e25e1346f"},
		{Name: "tempest.api.identity.v3.test_tokens.TokensV3Test.test_create_token"},
		{Name: "tempest.api.образ.тест_ünïcødé_名前_🚀"},
		{Name: "a"},
		{Name: "a "}, // trailing space: a different name on every database
		{Name: "A"},  // case: a different name too
	}
	paris := time.FixedZone("CEST", 2*3600)
	created := time.Date(2024, 5, 17, 14, 30, 15, 987654321, paris)
	got := create(t, s, storage.NewResult{
		CPID:            "2a6b1e2e8f8c4d6f9e0e6e1f3a4b5c6d",
		DurationSeconds: 3601,
		CreatedAt:       created,
		Tests:           tests,
		Meta:            map[string]string{"user": "https://openstackid.org/jane.doe", "guideline": "2020.06.json"},
	})
	id, err := uuid.Parse(got.ID)
	if err != nil || id.Version() != 4 {
		t.Errorf("generated id %q is not a uuid4 (%v)", got.ID, err)
	}
	wantTime := time.Date(2024, 5, 17, 12, 30, 15, 0, time.UTC)
	if !got.CreatedAt.Equal(wantTime) || got.CreatedAt.Location() != time.UTC {
		t.Errorf("CreateResult CreatedAt = %v, want %v (UTC, whole seconds)", got.CreatedAt, wantTime)
	}

	read, err := s.Result(ctx, got.ID)
	if err != nil {
		t.Fatalf("Result: %v", err)
	}
	want := storage.Result{
		ID: got.ID, CPID: "2a6b1e2e8f8c4d6f9e0e6e1f3a4b5c6d", DurationSeconds: 3601, CreatedAt: wantTime,
		Meta: map[string]string{"user": "https://openstackid.org/jane.doe", "guideline": "2020.06.json"},
	}
	if fmt.Sprint(read) != fmt.Sprint(want) || read.CreatedAt.Location() != time.UTC {
		t.Errorf("Result =\n%+v\nwant\n%+v", read, want)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("CreateResult returned\n%+v\nwant\n%+v", got, want)
	}
	gotTests, err := s.Tests(ctx, got.ID)
	if err != nil {
		t.Fatalf("Tests: %v", err)
	}
	if !slices.Equal(gotTests, tests) {
		t.Errorf("Tests =\n%q\nwant (upload order)\n%q", gotTests, tests)
	}

	// A given id is kept; no tests and no metadata are fine.
	const given = "5b4f6a0e-3c2d-4e1f-8a9b-0c1d2e3f4a5b"
	empty := create(t, s, storage.NewResult{ID: given, CPID: "x"})
	if empty.ID != given {
		t.Errorf("CreateResult id = %q, want the given %q", empty.ID, given)
	}
	r, err := s.Result(ctx, given)
	if err != nil {
		t.Fatalf("Result: %v", err)
	}
	if r.Meta == nil || len(r.Meta) != 0 {
		t.Errorf("Meta of a result without metadata = %#v, want an empty non-nil map", r.Meta)
	}
	if tt, err := s.Tests(ctx, given); err != nil || tt == nil || len(tt) != 0 {
		t.Errorf("Tests of a result without tests = %#v, %v; want an empty slice", tt, err)
	}
}

func testNotFound(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	ctx := context.Background()
	r := create(t, s, storage.NewResult{CPID: "c", Meta: map[string]string{"shared": "true"}})
	const missing = "00000000-0000-4000-8000-000000000000"
	_, err1 := s.Result(ctx, missing)
	_, err2 := s.Tests(ctx, missing)
	_, err3 := s.User(ctx, "nobody")
	_, err4 := s.PubKeyByBlob(ctx, "d41d8cd98f00b204e9800998ecf8427e", "AAAA")
	for name, err := range map[string]error{
		"Result":                     err1,
		"Tests":                      err2,
		"User":                       err3,
		"PubKeyByBlob":               err4,
		"SetVerificationStatus":      s.SetVerificationStatus(ctx, missing, 1),
		"DeleteResult":               s.DeleteResult(ctx, missing),
		"SetMeta":                    s.SetMeta(ctx, missing, "shared", "true"),
		"DeleteMeta of no result":    s.DeleteMeta(ctx, missing, "shared"),
		"DeleteMeta of no key":       s.DeleteMeta(ctx, r.ID, "target"),
		"DeletePubKey":               s.DeletePubKey(ctx, "nobody", missing),
		"AddPubKey of no owner":      s.AddPubKey(ctx, storage.PubKey{OpenID: "nobody", Format: "ssh-rsa", PubKey: "AAAA", MD5: "d41d8cd98f00b204e9800998ecf8427e"}),
		"DeleteMeta of a wrong case": s.DeleteMeta(ctx, r.ID, "SHARED"),
	} {
		if !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("%s: error %v, want ErrNotFound", name, err)
		}
	}
}

func testInvalid(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	ctx := context.Background()
	ok := storage.Test{Name: "tempest.ok"}
	long := strings.Repeat("é", 256) // 512 bytes: fits
	cases := []struct {
		name string
		r    storage.NewResult
		msg  string // part of the error message
	}{
		{"name over 512 bytes", storage.NewResult{Tests: []storage.Test{ok, {Name: long + "x"}, ok}}, "results[1].name is 513 bytes"},
		{"duplicate names", storage.NewResult{Tests: []storage.Test{{Name: "a"}, {Name: "b"}, {Name: "a"}}}, `results[2].name "a" repeats results[0]`},
		{"empty name", storage.NewResult{Tests: []storage.Test{ok, {}}}, "results[1].name is empty"},
		{"cpid over 128", storage.NewResult{CPID: strings.Repeat("c", 129)}, "cpid is 129 bytes"},
		{"uuid over 36", storage.NewResult{Tests: []storage.Test{{Name: "a", UUID: strings.Repeat("u", 37)}}}, "results[0].uuid is 37 bytes"},
		{"id over 36", storage.NewResult{ID: strings.Repeat("i", 37)}, "result id is 37 bytes"},
		{"invalid UTF-8", storage.NewResult{Tests: []storage.Test{ok, {Name: "bad\xff"}}}, "results[1].name is not valid UTF-8"},
		{"NUL", storage.NewResult{Tests: []storage.Test{{Name: "a\x00b"}}}, "results[0].name holds a NUL byte"},
		{"meta key over 64", storage.NewResult{Meta: map[string]string{strings.Repeat("k", 65): "v"}}, "metadata key is 65 bytes"},
		{"meta value too long", storage.NewResult{Meta: map[string]string{"target": strings.Repeat("v", storage.MaxMetaValue+1)}}, `metadata "target" value`},
		{"negative duration", storage.NewResult{DurationSeconds: -1}, "duration_seconds -1 is negative"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.CreateResult(ctx, c.r)
			if !errors.Is(err, storage.ErrInvalid) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %v, want ErrInvalid saying %q", err, c.msg)
			}
		})
	}
	if n := count(t, s); n != 0 {
		t.Errorf("%d results stored after invalid uploads, want 0", n)
	}
	// The limits themselves fit.
	r := create(t, s, storage.NewResult{
		ID: strings.Repeat("i", 36), CPID: strings.Repeat("c", 128),
		Tests: []storage.Test{{Name: long, UUID: strings.Repeat("u", 36)}},
		Meta:  map[string]string{strings.Repeat("k", 64): strings.Repeat("ü", storage.MaxMetaValue/2)},
	})
	tests, err := s.Tests(ctx, r.ID)
	if err != nil || len(tests) != 1 || tests[0].Name != long {
		t.Errorf("a 512-byte name did not round-trip: %v", err)
	}
	got, err := s.Result(ctx, r.ID)
	if err != nil || got.Meta[strings.Repeat("k", 64)] != strings.Repeat("ü", storage.MaxMetaValue/2) {
		t.Errorf("a %d-byte meta value did not round-trip: %v", storage.MaxMetaValue, err)
	}
	for name, err := range map[string]error{
		"SetMeta key":       s.SetMeta(ctx, r.ID, "", "v"),
		"SetMeta value":     s.SetMeta(ctx, r.ID, "k", "\xff"),
		"PutUser openid":    s.PutUser(ctx, storage.User{OpenID: strings.Repeat("o", 129)}),
		"PutUser empty":     s.PutUser(ctx, storage.User{}),
		"AddPubKey format":  s.AddPubKey(ctx, storage.PubKey{OpenID: "u", PubKey: "AAAA", MD5: "m"}),
		"AddPubKey comment": s.AddPubKey(ctx, storage.PubKey{OpenID: "u", Format: "ssh-rsa", PubKey: "AAAA", MD5: "m", Comment: strings.Repeat("c", 129)}),
	} {
		if !errors.Is(err, storage.ErrInvalid) {
			t.Errorf("%s: error %v, want ErrInvalid", name, err)
		}
	}
	if _, _, err := s.ListResults(ctx, storage.ResultFilter{Visibility: storage.OwnedBy}); !errors.Is(err, storage.ErrInvalid) {
		t.Errorf("OwnedBy without a user: error %v, want ErrInvalid", err)
	}
	if _, _, err := s.ListResults(ctx, storage.ResultFilter{Offset: -1}); !errors.Is(err, storage.ErrInvalid) {
		t.Errorf("negative offset: error %v, want ErrInvalid", err)
	}
	if _, _, err := s.ListResults(ctx, storage.ResultFilter{Visibility: 7}); !errors.Is(err, storage.ErrInvalid) {
		t.Errorf("unknown visibility: error %v, want ErrInvalid", err)
	}
}

func testExistingID(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	ctx := context.Background()
	first := create(t, s, storage.NewResult{CPID: "first", Tests: []storage.Test{{Name: "t1"}}})
	_, err := s.CreateResult(ctx, storage.NewResult{ID: first.ID, CPID: "second", Tests: []storage.Test{{Name: "t2"}}})
	if !errors.Is(err, storage.ErrExists) {
		t.Fatalf("second upload with the same id: error %v, want ErrExists", err)
	}
	got, err := s.Result(ctx, first.ID)
	if err != nil || got.CPID != "first" {
		t.Errorf("first result after a clashing upload: %+v, %v", got, err)
	}
	if tests, _ := s.Tests(ctx, first.ID); len(tests) != 1 || tests[0].Name != "t1" {
		t.Errorf("tests of the first result changed: %v", tests)
	}
}

func testCancelledContext(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.CreateResult(ctx, storage.NewResult{Tests: []storage.Test{{Name: "a"}}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("CreateResult with a cancelled context: error %v, want context.Canceled", err)
	}
	if n := count(t, s); n != 0 {
		t.Errorf("%d results stored by a cancelled upload", n)
	}
}

func testVisibility(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	ctx := context.Background()
	anon := create(t, s, storage.NewResult{CreatedAt: at(1)})
	alicePrivate := create(t, s, storage.NewResult{CreatedAt: at(2), Meta: map[string]string{"user": "alice"}})
	aliceShared := create(t, s, storage.NewResult{CreatedAt: at(3), Meta: map[string]string{"user": "alice", "shared": "true"}})
	bob := create(t, s, storage.NewResult{CreatedAt: at(4), Meta: map[string]string{"user": "bob"}})
	anonShared := create(t, s, storage.NewResult{CreatedAt: at(5), Meta: map[string]string{"shared": ""}})

	check := func(f storage.ResultFilter, want ...storage.Result) {
		t.Helper()
		got, total := list(t, s, f)
		if !slices.Equal(got, ids(want)) || total != len(want) {
			t.Errorf("%v %q: got %v (total %d), want %v", f.Visibility, f.User, got, total, ids(want))
		}
	}
	check(storage.ResultFilter{Visibility: storage.Public}, anonShared, aliceShared, anon)
	check(storage.ResultFilter{Visibility: storage.OwnedBy, User: "alice"}, aliceShared, alicePrivate)
	check(storage.ResultFilter{Visibility: storage.OwnedBy, User: "bob"}, bob)
	check(storage.ResultFilter{Visibility: storage.OwnedBy, User: "Alice"})
	check(storage.ResultFilter{Visibility: storage.All}, anonShared, bob, aliceShared, alicePrivate, anon)

	// Sharing is the presence of the row; unsharing deletes it.
	if err := s.SetMeta(ctx, bob.ID, "shared", "true"); err != nil {
		t.Fatal(err)
	}
	check(storage.ResultFilter{Visibility: storage.Public}, anonShared, bob, aliceShared, anon)
	if err := s.DeleteMeta(ctx, aliceShared.ID, "shared"); err != nil {
		t.Fatal(err)
	}
	check(storage.ResultFilter{Visibility: storage.Public}, anonShared, bob, anon)
	// The meta of listed results comes whole.
	page, _, err := s.ListResults(ctx, storage.ResultFilter{Visibility: storage.OwnedBy, User: "bob"})
	if err != nil || len(page) != 1 || fmt.Sprint(page[0].Meta) != fmt.Sprint(map[string]string{"user": "bob", "shared": "true"}) {
		t.Errorf("listed meta = %+v, %v", page, err)
	}
}

func testPaging(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	var want []string // newest first
	for i := 0; i < 7; i++ {
		want = append([]string{create(t, s, storage.NewResult{CreatedAt: at(i * 10)}).ID}, want...)
	}
	// Two in the same second: the larger id comes first.
	a := create(t, s, storage.NewResult{CreatedAt: at(100)}).ID
	b := create(t, s, storage.NewResult{CreatedAt: at(100)}).ID
	want = append([]string{max(a, b), min(a, b)}, want...)

	var paged []string
	for off := 0; off < 12; off += 3 {
		got, total := list(t, s, storage.ResultFilter{Visibility: storage.All, Offset: off, Limit: 3})
		if total != 9 {
			t.Errorf("offset %d: total %d, want 9", off, total)
		}
		if wantLen := min(3, max(0, 9-off)); len(got) != wantLen {
			t.Errorf("offset %d: %d results, want %d", off, len(got), wantLen)
		}
		paged = append(paged, got...)
	}
	if !slices.Equal(paged, want) {
		t.Errorf("pages = %v\nwant   %v", paged, want)
	}
	all, total := list(t, s, storage.ResultFilter{Visibility: storage.All})
	if !slices.Equal(all, want) || total != 9 {
		t.Errorf("no limit: %v (total %d), want %v", all, total, want)
	}
	tail, _ := list(t, s, storage.ResultFilter{Visibility: storage.All, Offset: 7})
	if !slices.Equal(tail, want[7:]) {
		t.Errorf("offset 7 without limit: %v, want %v", tail, want[7:])
	}
}

func testFilters(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	ctx := context.Background()
	r1 := create(t, s, storage.NewResult{CPID: "cloud-a", CreatedAt: at(0)})
	r2 := create(t, s, storage.NewResult{CPID: "cloud-b", CreatedAt: at(60)})
	r3 := create(t, s, storage.NewResult{CPID: "cloud-a", CreatedAt: at(120)})
	create(t, s, storage.NewResult{CPID: "cloud-a-2", CreatedAt: at(180)})
	if err := s.SetVerificationStatus(ctx, r3.ID, 1); err != nil {
		t.Fatal(err)
	}
	tm := func(n int) *time.Time { v := at(n); return &v }
	one, zero := 1, 0
	cases := []struct {
		name string
		f    storage.ResultFilter
		want []storage.Result
	}{
		{"start and end inclusive", storage.ResultFilter{Start: tm(0), End: tm(120)}, []storage.Result{r3, r2, r1}},
		{"one second inside", storage.ResultFilter{Start: tm(1), End: tm(119)}, []storage.Result{r2}},
		{"start alone", storage.ResultFilter{Start: tm(60), End: tm(150)}, []storage.Result{r3, r2}},
		{"zone of the bound ignored", storage.ResultFilter{Start: func() *time.Time { v := at(60).In(time.FixedZone("X", -7*3600)); return &v }(), End: tm(60)}, []storage.Result{r2}},
		{"cpid exact", storage.ResultFilter{CPID: "cloud-a"}, []storage.Result{r3, r1}},
		{"verified", storage.ResultFilter{VerificationStatus: &one}, []storage.Result{r3}},
		{"unverified cloud-a", storage.ResultFilter{VerificationStatus: &zero, CPID: "cloud-a"}, []storage.Result{r1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.f.Visibility = storage.All
			got, total := list(t, s, c.f)
			if !slices.Equal(got, ids(c.want)) || total != len(c.want) {
				t.Errorf("got %v (total %d), want %v", got, total, ids(c.want))
			}
		})
	}
}

func testMeta(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	ctx := context.Background()
	r := create(t, s, storage.NewResult{Meta: map[string]string{"user": "u"}})
	other := create(t, s, storage.NewResult{})
	steps := []struct {
		key, value string
		want       map[string]string
	}{
		{"guideline", "2019.11.json", map[string]string{"user": "u", "guideline": "2019.11.json"}},
		{"guideline", "2020.06.json", map[string]string{"user": "u", "guideline": "2020.06.json"}},
		{"target", "платформа ✓", map[string]string{"user": "u", "guideline": "2020.06.json", "target": "платформа ✓"}},
		{"shared", "", map[string]string{"user": "u", "guideline": "2020.06.json", "target": "платформа ✓", "shared": ""}},
	}
	for _, st := range steps {
		if err := s.SetMeta(ctx, r.ID, st.key, st.value); err != nil {
			t.Fatalf("SetMeta(%s, %q): %v", st.key, st.value, err)
		}
		got, err := s.Result(ctx, r.ID)
		if err != nil || fmt.Sprint(got.Meta) != fmt.Sprint(st.want) {
			t.Errorf("after SetMeta(%s, %q): %v, %v; want %v", st.key, st.value, got.Meta, err, st.want)
		}
	}
	if err := s.DeleteMeta(ctx, r.ID, "guideline"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteMeta(ctx, r.ID, "guideline"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("deleting a deleted key: %v, want ErrNotFound", err)
	}
	got, _ := s.Result(ctx, r.ID)
	if _, ok := got.Meta["guideline"]; ok || len(got.Meta) != 3 {
		t.Errorf("after DeleteMeta: %v", got.Meta)
	}
	if o, _ := s.Result(ctx, other.ID); len(o.Meta) != 0 {
		t.Errorf("another result's meta changed: %v", o.Meta)
	}
}

func testVerificationStatus(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	ctx := context.Background()
	r := create(t, s, storage.NewResult{})
	for _, status := range []int{1, 1, 0} { // setting the same value twice is no "not found"
		if err := s.SetVerificationStatus(ctx, r.ID, status); err != nil {
			t.Fatalf("SetVerificationStatus(%d): %v", status, err)
		}
		got, err := s.Result(ctx, r.ID)
		if err != nil || got.VerificationStatus != status {
			t.Errorf("status = %d, %v; want %d", got.VerificationStatus, err, status)
		}
	}
}

func testDelete(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	ctx := context.Background()
	gone := create(t, s, storage.NewResult{Tests: []storage.Test{{Name: "a"}, {Name: "b"}}, Meta: map[string]string{"user": "u", "shared": "true"}})
	kept := create(t, s, storage.NewResult{Tests: []storage.Test{{Name: "a"}}, Meta: map[string]string{"user": "u"}})
	if err := s.DeleteResult(ctx, gone.ID); err != nil {
		t.Fatalf("DeleteResult: %v", err)
	}
	if _, err := s.Result(ctx, gone.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Result after delete: %v, want ErrNotFound", err)
	}
	if _, err := s.Tests(ctx, gone.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Tests after delete: %v, want ErrNotFound", err)
	}
	if err := s.DeleteResult(ctx, gone.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("second DeleteResult: %v, want ErrNotFound", err)
	}
	got, total := list(t, s, storage.ResultFilter{Visibility: storage.OwnedBy, User: "u"})
	if !slices.Equal(got, []string{kept.ID}) || total != 1 {
		t.Errorf("results of u after delete: %v (total %d)", got, total)
	}
	if tests, err := s.Tests(ctx, kept.ID); err != nil || len(tests) != 1 {
		t.Errorf("tests of the kept result: %v, %v", tests, err)
	}
	// The id can be used again: nothing of the old result lingers.
	again := create(t, s, storage.NewResult{ID: gone.ID})
	if r, _ := s.Result(ctx, again.ID); len(r.Meta) != 0 {
		t.Errorf("a re-used id got the deleted result's meta: %v", r.Meta)
	}
}

func testUsersAndKeys(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	ctx := context.Background()
	jane := storage.User{OpenID: "https://openstackid.org/jane.doe", Email: "jane@example.org", Fullname: "Jane Doe"}
	if err := s.PutUser(ctx, jane); err != nil {
		t.Fatal(err)
	}
	jane.Fullname = "Jane Dœ-Smith"
	if err := s.PutUser(ctx, jane); err != nil {
		t.Fatalf("PutUser update: %v", err)
	}
	if got, err := s.User(ctx, jane.OpenID); err != nil || got != jane {
		t.Errorf("User = %+v, %v; want %+v", got, err, jane)
	}
	if err := s.PutUser(ctx, storage.User{OpenID: "bob"}); err != nil {
		t.Fatal(err)
	}

	const md5 = "0123456789abcdef0123456789abcdef"
	keys := []storage.PubKey{
		{ID: "aaaaaaaa-0000-4000-8000-000000000003", OpenID: jane.OpenID, Format: "ssh-rsa", PubKey: "AAAAB3NzaC1yc2EAAAADAQABAAABAQCfirst", Comment: "laptop", MD5: md5},
		{ID: "aaaaaaaa-0000-4000-8000-000000000001", OpenID: jane.OpenID, Format: "ssh-rsa", PubKey: "AAAAB3NzaC1yc2EAAAADAQABAAABAQCsecond", Comment: "", MD5: md5}, // same md5, other blob
		{ID: "aaaaaaaa-0000-4000-8000-000000000002", OpenID: jane.OpenID, Format: "ssh-rsa", PubKey: "AAAAB3NzaC1yc2EAAAADAQABAAABAQCthird", Comment: "ci ✓", MD5: "ffffffffffffffffffffffffffffffff"},
	}
	for _, k := range keys {
		if err := s.AddPubKey(ctx, k); err != nil {
			t.Fatalf("AddPubKey(%s): %v", k.ID, err)
		}
	}
	// The same blob again, by anyone, under another id.
	dup := keys[0]
	dup.ID, dup.OpenID = "bbbbbbbb-0000-4000-8000-000000000000", "bob"
	if err := s.AddPubKey(ctx, dup); !errors.Is(err, storage.ErrExists) {
		t.Errorf("AddPubKey of a stored blob: %v, want ErrExists", err)
	}
	got, err := s.PubKeys(ctx, jane.OpenID)
	if err != nil || !slices.Equal(got, keys) {
		t.Errorf("PubKeys = %+v, %v\nwant (oldest first) %+v", got, err, keys)
	}
	if bobs, err := s.PubKeys(ctx, "bob"); err != nil || len(bobs) != 0 {
		t.Errorf("bob's keys = %v, %v; want none", bobs, err)
	}
	for _, k := range keys[:2] {
		if found, err := s.PubKeyByBlob(ctx, md5, k.PubKey); err != nil || found != k {
			t.Errorf("PubKeyByBlob(%s) = %+v, %v; want %+v", k.PubKey, found, err, k)
		}
	}
	if _, err := s.PubKeyByBlob(ctx, md5, "AAAAB3NzaC1yc2EAAAADAQABAAABAQCFIRST"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("PubKeyByBlob of another blob: %v, want ErrNotFound", err)
	}
	// A generated id.
	if err := s.AddPubKey(ctx, storage.PubKey{OpenID: "bob", Format: "ssh-rsa", PubKey: "AAAAbob", MD5: md5}); err != nil {
		t.Fatal(err)
	}
	bobs, _ := s.PubKeys(ctx, "bob")
	if len(bobs) != 1 || uuid.Validate(bobs[0].ID) != nil {
		t.Errorf("bob's key with a generated id: %+v", bobs)
	}

	if err := s.DeletePubKey(ctx, "bob", keys[0].ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("deleting another user's key: %v, want ErrNotFound", err)
	}
	if err := s.DeletePubKey(ctx, jane.OpenID, keys[0].ID); err != nil {
		t.Fatalf("DeletePubKey: %v", err)
	}
	if got, _ := s.PubKeys(ctx, jane.OpenID); !slices.Equal(got, keys[1:]) {
		t.Errorf("keys after delete = %+v", got)
	}
	// A deleted blob can be registered again.
	if err := s.AddPubKey(ctx, dup); err != nil {
		t.Errorf("re-adding a deleted blob: %v", err)
	}
}

func testManyTests(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	tests := make([]storage.Test, 1234) // several INSERT chunks
	for i := range tests {
		tests[i] = storage.Test{Name: fmt.Sprintf("tempest.api.test_%04d[id-%d]", len(tests)-i, i), UUID: uuid.NewString()}
	}
	r := create(t, s, storage.NewResult{Tests: tests})
	got, err := s.Tests(context.Background(), r.ID)
	if err != nil || !slices.Equal(got, tests) {
		t.Errorf("Tests of a %d-test upload: %d tests, %v; want them all in upload order", len(tests), len(got), err)
	}
}

func testConcurrentUploads(t *testing.T, newURL func(*testing.T) string) {
	s := open(t, newURL(t))
	ctx := context.Background()
	const uploaders, each = 32, 40
	var wg sync.WaitGroup
	errs := make([]error, uploaders)
	got := make([]string, uploaders)
	for g := range uploaders {
		wg.Go(func() {
			tests := make([]storage.Test, each)
			for i := range tests {
				tests[i] = storage.Test{Name: fmt.Sprintf("test.%d.%d", g, i)}
			}
			r, err := s.CreateResult(ctx, storage.NewResult{CPID: fmt.Sprint(g), Tests: tests, Meta: map[string]string{"user": "u"}})
			got[g], errs[g] = r.ID, err
		})
	}
	wg.Wait()
	for g, err := range errs {
		if err != nil {
			t.Errorf("uploader %d: %v", g, err)
		}
	}
	if n := count(t, s); n != uploaders {
		t.Errorf("%d results stored, want %d", n, uploaders)
	}
	for g, id := range got {
		if tests, err := s.Tests(ctx, id); err != nil || len(tests) != each || tests[0].Name != fmt.Sprintf("test.%d.0", g) {
			t.Errorf("uploader %d: %d tests, %v", g, len(tests), err)
		}
	}
}

func testReopen(t *testing.T, newURL func(*testing.T) string) {
	url := newURL(t)
	ctx := context.Background()
	s, err := storage.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.CreateResult(ctx, storage.NewResult{CPID: "kept", Tests: []storage.Test{{Name: "t"}}, Meta: map[string]string{"user": "u"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutUser(ctx, storage.User{OpenID: "u"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s2 := open(t, url)
	got, err := s2.Result(ctx, r.ID)
	if err != nil || got.CPID != "kept" || got.Meta["user"] != "u" {
		t.Errorf("after re-open: %+v, %v", got, err)
	}
	if tests, err := s2.Tests(ctx, r.ID); err != nil || len(tests) != 1 {
		t.Errorf("tests after re-open: %v, %v", tests, err)
	}
	if _, err := s2.User(ctx, "u"); err != nil {
		t.Errorf("user after re-open: %v", err)
	}
}

// testConcurrentOpen starts several stores on one empty database at once,
// as servers starting together do: the migration lock lets one migrate,
// and all work.
func testConcurrentOpen(t *testing.T, newURL func(*testing.T) string) {
	url := newURL(t)
	const n = 6
	stores := make([]storage.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = storage.Open(context.Background(), url) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("Open %d: %v", i, errs[i])
			continue
		}
		defer stores[i].Close()
		if _, err := stores[i].CreateResult(context.Background(), storage.NewResult{CPID: fmt.Sprint(i)}); err != nil {
			t.Errorf("store %d: %v", i, err)
		}
	}
	if errs[0] == nil {
		if n2 := count(t, stores[0]); n2 != n {
			t.Errorf("%d results, want %d", n2, n)
		}
	}
}

// TestWithClock: the clock option gives uploads without a time their
// CreatedAt; a nil clock is refused.
func TestWithClock(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2030, 1, 2, 3, 4, 5, 600, time.FixedZone("X", 3600))
	s, err := storage.Open(ctx, "sqlite::memory:", storage.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := s.CreateResult(ctx, storage.NewResult{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Result(ctx, r.ID)
	if want := time.Date(2030, 1, 2, 2, 4, 5, 0, time.UTC); err != nil || !got.CreatedAt.Equal(want) || !r.CreatedAt.Equal(want) {
		t.Errorf("CreatedAt = %v (stored %v), %v; want %v", r.CreatedAt, got.CreatedAt, err, want)
	}
	if _, err := storage.Open(ctx, "sqlite::memory:", storage.WithClock(nil)); err == nil {
		t.Error("Open with a nil clock succeeded")
	}
}
