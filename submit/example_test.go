package submit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/refstack-go/refstack/submit"
	"github.com/refstack-go/refstack/subunit"
)

func ExampleResultFor() {
	for _, id := range []string{
		"tempest.api.compute.test_a.A.test_x[id-9a438d88-10c6-4bcd-8b5b-5b6e25e1346f,smoke]",
		"tempest.scenario.test_b.B.test_y[compute,id-0146f675-ffbd-4208-b3a4-60eb628dbc5e](ipv4)",
		"tempest.api.identity.test_c.C.test_z[gate]",
	} {
		r := submit.ResultFor(id)
		fmt.Printf("%s %q\n", r.Name, r.UUID)
	}
	// Output:
	// tempest.api.compute.test_a.A.test_x "9a438d88-10c6-4bcd-8b5b-5b6e25e1346f"
	// tempest.scenario.test_b.B.test_y(ipv4) "0146f675-ffbd-4208-b3a4-60eb628dbc5e"
	// tempest.api.identity.test_c.C.test_z ""
}

func ExampleResults_Body() {
	doc := &submit.Results{
		CPID:            "a7fd82e13f0f6eba9f65d753a9e6dd4d",
		DurationSeconds: 42,
		Results:         []submit.Result{{Name: "t.A.test_x", UUID: "9a438d88"}, {Name: "t.B.test_café"}},
	}
	fmt.Printf("%s\n", doc.Body())
	// Output:
	// {"cpid": "a7fd82e13f0f6eba9f65d753a9e6dd4d", "duration_seconds": 42, "results": [{"name": "t.A.test_x", "uuid": "9a438d88"}, {"name": "t.B.test_caf\u00e9"}]}
}

func ExampleResults_File() {
	doc := &submit.Results{CPID: "c", DurationSeconds: 1, Results: []submit.Result{{Name: "t.A.test_x"}}}
	fmt.Printf("%s\n", doc.File())
	// Output:
	// {
	//     "cpid": "c",
	//     "duration_seconds": 1,
	//     "results": [
	//         {
	//             "name": "t.A.test_x"
	//         }
	//     ]
	// }
}

func ExampleCollectStream() {
	f, err := os.Open("testdata/v2.subunit")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	c, err := submit.CollectStream(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	span, _ := c.Span()
	fmt.Printf("%d tests, %d passed, run took %v\n", c.Records(), len(c.Results()), span)
	doc := c.Document("a7fd82e13f0f6eba9f65d753a9e6dd4d", int64(span.Seconds()))
	fmt.Println(doc.Validate())
	fmt.Println(doc.Results[0].Name)
	// Output:
	// 24 tests, 17 passed, run took 1m32.75s
	// <nil>
	// tempest.api.compute.servers.test_list_servers.ListServersTest.test_list_servers
}

func ExampleParseResults() {
	_, err := submit.ParseResults([]byte(`{"cpid": "c", "duration_seconds": 1.5, "results": []}`))
	fmt.Println(err)
	// Output:
	// submit: invalid results document: duration_seconds: want an integer, got 1.5
}

func ExampleSigner_Sign() {
	s, err := submit.LoadSigner("testdata/rsa2048.pem")
	if err != nil {
		fmt.Println(err)
		return
	}
	body := []byte(`{"cpid": "c", "duration_seconds": 1, "results": [{"name": "t.A.test_x"}]}`)
	sig, err := s.Sign(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(sig.Hex), sig.PublicKey[:20])
	fmt.Println(submit.Verify(body, sig.Hex, sig.PublicKey))
	fmt.Println(submit.Verify([]byte("other"), sig.Hex, sig.PublicKey))
	// Output:
	// 512 ssh-rsa AAAAB3NzaC1y
	// <nil>
	// Signature verification failed (crypto/rsa: verification error)
}

func ExampleSigner_SelfSignature() {
	s, err := submit.LoadSigner("testdata/rsa2048.pem")
	if err != nil {
		fmt.Println(err)
		return
	}
	sig, err := s.SelfSignature()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(submit.VerifySelfSignature(s.PublicKey(), sig))
	// Output:
	// <nil>
}

func ExampleLoadSigner() {
	_, err := submit.LoadSigner("testdata/v1.subunit")
	var ke *submit.KeyError
	fmt.Println(errors.As(err, &ke), errors.Is(err, submit.ErrNoKey))
	fmt.Println(ke.Path)
	// Output:
	// true true
	// testdata/v1.subunit
}

func ExampleGenerateKey() {
	s, err := submit.GenerateKey(2048)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Bits(), strings.HasPrefix(string(s.PrivateKeyPEM()), "-----BEGIN RSA PRIVATE KEY-----"))
	fmt.Print(strings.Fields(s.AuthorizedKey("me@example"))[2], "\n")
	// Output:
	// 2048 true
	// me@example
}

// fakeRefStack answers uploads with 201 and lists one page of one result.
func fakeRefStack() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			body, _ := io.ReadAll(r.Body)
			if err := submit.Verify(body, r.Header.Get("X-Signature"), r.Header.Get("X-Public-Key")); err != nil {
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprintf(w, `{"title": %q, "code": 400}`, err.Error())
				return
			}
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"test_id": "1234", "url": "https://refstack.example/#/results/1234"}`)
		default:
			if r.URL.Query().Get("cpid") != "" { // the server filters by cloud
				io.WriteString(w, `{"results": [{"id": "1234", "created_at": "2024-05-06 07:08:09", "url": "https://refstack.example/#/results/1234"}], "pagination": {"current_page": 1, "total_pages": 1}}`)
				return
			}
			io.WriteString(w, `{"results": [{"id": "1"}, {"id": "2"}, {"id": "3"}], "pagination": {"current_page": 1, "total_pages": 1}}`)
		}
	}))
}

func ExampleClient_Upload() {
	srv := fakeRefStack()
	defer srv.Close()
	s, err := submit.LoadSigner("testdata/rsa2048.pem")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := submit.NewClient(srv.URL+"/api", submit.WithSigner(s))
	if err != nil {
		fmt.Println(err)
		return
	}
	doc := &submit.Results{CPID: "c", DurationSeconds: 1, Results: []submit.Result{{Name: "t.A.test_x"}}}
	res, err := c.Upload(context.Background(), doc.Body(), nil)
	fmt.Println(res.ID, res.URL, err)
	// A signature made for another body is refused by the server.
	bad, _ := s.Sign([]byte("something else"))
	_, err = c.Upload(context.Background(), doc.Body(), bad)
	var he *submit.HTTPError
	fmt.Println(errors.As(err, &he), he.StatusCode, he.Message)
	// Output:
	// 1234 https://refstack.example/#/results/1234 <nil>
	// true 400 Signature verification failed (crypto/rsa: verification error)
}

func ExampleClient_List() {
	srv := fakeRefStack()
	defer srv.Close()
	c, err := submit.NewClient(srv.URL + "/api")
	if err != nil {
		fmt.Println(err)
		return
	}
	for r, err := range c.List(context.Background(), submit.ListQuery{CPID: "c"}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(r.CreatedAt, "-", r.URL)
	}
	// Output:
	// 2024-05-06 07:08:09 - https://refstack.example/#/results/1234
}

func ExampleReadBundle() {
	s, err := submit.LoadSigner("testdata/rsa2048.pem")
	if err != nil {
		fmt.Println(err)
		return
	}
	doc := &submit.Results{CPID: "c", DurationSeconds: 1, Results: []submit.Result{{Name: "t.A.test_x"}}}
	b, err := submit.NewBundle(doc.Body(), s)
	if err != nil {
		fmt.Println(err)
		return
	}
	var file bytes.Buffer
	if _, err := b.WriteTo(&file); err != nil {
		fmt.Println(err)
		return
	}
	// Later, elsewhere: the body comes back byte for byte, its signature checked.
	back, err := submit.ReadBundle(&file)
	fmt.Println(err, bytes.Equal(back.Body, doc.Body()), back.Signature == b.Signature)
	// Output:
	// <nil> true true
}

func ExampleClient_Pages() {
	srv := fakeRefStack()
	defer srv.Close()
	c, err := submit.NewClient(srv.URL + "/api")
	if err != nil {
		fmt.Println(err)
		return
	}
	for p, err := range c.Pages(context.Background(), submit.ListQuery{}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("page %d of %d: %d results\n", p.Number, p.TotalPages, len(p.Results))
	}
	// Output:
	// page 1 of 1: 3 results
}

// A Collector takes the records of a subunit.Assembler as they complete.
func ExampleCollector() {
	var c submit.Collector
	a, err := subunit.NewAssembler(func(r *subunit.Record) error { c.Add(r); return nil })
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range []subunit.Event{
		{Flags: subunit.FlagTestID, Status: subunit.StatusInProgress, TestID: []byte("t.A.test_x[id-1234]")},
		{Flags: subunit.FlagTestID, Status: subunit.StatusSuccess, TestID: []byte("t.A.test_x[id-1234]")},
		{Flags: subunit.FlagTestID, Status: subunit.StatusFail, TestID: []byte("t.A.test_y")},
	} {
		if err := a.Add(&ev); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := a.Close(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s\n", c.Document("cloud", 0).Body())
	// Output:
	// {"cpid": "cloud", "duration_seconds": 0, "results": [{"name": "t.A.test_x", "uuid": "1234"}]}
}

// Verify answers with the RefStack server's own messages.
func ExampleVerify() {
	err := submit.Verify([]byte("{}"), "not hex", "ssh-rsa AAAA")
	fmt.Println(errors.Is(err, submit.ErrMalformedSignature))
	fmt.Println(err)
	// Output:
	// true
	// Malformed signature (encoding/hex: invalid byte: U+006E 'n')
}
