package server

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/refstack-go/refstack/submit"
	"github.com/refstack-go/refstack/subunit"
)

// v2Stream writes a subunit v2 stream: each test starts and ends with the
// status given, a second apart.
func v2Stream(t *testing.T, tests map[string]subunit.Status, order []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := subunit.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, id := range order {
		for _, st := range []subunit.Status{subunit.StatusInProgress, tests[id]} {
			ts = ts.Add(time.Second)
			if err := w.Write(&subunit.Event{Flags: subunit.FlagTestID | subunit.FlagTimestamp, Status: st, TestID: []byte(id), Timestamp: ts}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return buf.Bytes()
}

func TestUploadSubunit(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	alice := e.register("alice")
	order := []string{"t.A.test_a[id-1111,smoke]", "t.A.test_b", "t.A.test_c[id-3333]", "t.A.test_a[id-1111,smoke]"}
	stream := v2Stream(t, map[string]subunit.Status{order[0]: subunit.StatusSuccess, order[1]: subunit.StatusFail, order[2]: subunit.StatusSuccess}, order)
	sig, _ := alice.signer.Sign(stream)
	a := e.do("POST", "/v1/results?cpid=cloud-9", stream, "Content-Type", ContentTypeSubunit,
		submit.HeaderSignature, sig.Hex, submit.HeaderPublicKey, sig.PublicKey)
	if a.status != 201 {
		t.Fatalf("upload: %d %s", a.status, a.body)
	}
	var ans map[string]string
	a.json(t, &ans)
	res, _ := e.store.Result(context.Background(), ans["test_id"])
	tests, _ := e.store.Tests(context.Background(), ans["test_id"])
	// test_a passed twice: stored once. Duration: first start to last stop.
	if res.CPID != "cloud-9" || res.DurationSeconds != 7 || res.Meta["user"] != alice.openid || len(tests) != 2 ||
		tests[0] != (storageTest{Name: "t.A.test_a", UUID: "1111"}) || tests[1] != (storageTest{Name: "t.A.test_c", UUID: "3333"}) {
		t.Errorf("stored %+v %+v", res, tests)
	}
	// v1 text, explicit duration, unsigned.
	v1 := []byte("test: t.B.test_x\nsuccess: t.B.test_x\ntest: t.B.test_y\nfailure: t.B.test_y\n")
	a = e.do("POST", "/v1/results/?cpid=c&duration_seconds=60", v1, "Content-Type", ContentTypeSubunit+"; charset=binary")
	a.json(t, &ans)
	if res, _ := e.store.Result(context.Background(), ans["test_id"]); a.status != 201 || res.DurationSeconds != 60 {
		t.Errorf("v1 upload: %d %s %+v", a.status, a.body, res)
	}
	for _, tc := range []struct {
		name, query string
		body        []byte
		hdr         []string
		status      int
		title       string
	}{
		{"no cpid", "", stream, nil, 400, "A subunit upload needs the cloud's cpid as a query parameter."},
		{"bad duration", "cpid=c&duration_seconds=x", stream, nil, 400, titleSchema},
		{"nothing passed", "cpid=c", []byte("garbage\n"), nil, 400, msgEmptyResults},
		{"tampered", "cpid=c", append(stream, 0), []string{submit.HeaderSignature, sig.Hex, submit.HeaderPublicKey, sig.PublicKey}, 400, "Signature verification failed"},
		{"bad hex", "cpid=c", stream, []string{submit.HeaderSignature, "x", submit.HeaderPublicKey, sig.PublicKey}, 400, "Malformed signature"},
		{"bad key", "cpid=c", stream, []string{submit.HeaderSignature, sig.Hex, submit.HeaderPublicKey, "ssh-dss AAAA"}, 400, "Malformed public key"},
		{"long cpid", "cpid=" + strings.Repeat("x", 200), stream, nil, 400, "cpid \"xxxx"},
	} {
		a := e.do("POST", "/v1/results?"+tc.query, tc.body, append([]string{"Content-Type", ContentTypeSubunit}, tc.hdr...)...)
		if title, _ := a.err(t); a.status != tc.status || !strings.HasPrefix(title, tc.title) {
			t.Errorf("%s: %d %s", tc.name, a.status, a.body)
		}
	}
	small := newEnv(t, sqliteStore(t), WithMaxSubunitBytes(2048))
	big := v2Stream(t, map[string]subunit.Status{}, nil)
	for i := 0; len(big) < 4096; i++ {
		big = append(big, v1...)
	}
	if a := small.do("POST", "/v1/results?cpid=c", big, "Content-Type", ContentTypeSubunit); a.status != 413 {
		t.Errorf("large stream: %d %s", a.status, a.body)
	}
}
