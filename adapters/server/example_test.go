package server_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/refstack-go/refstack/adapters/server"
	"github.com/refstack-go/refstack/adapters/storage"
	"github.com/refstack-go/refstack/guideline"
	"github.com/refstack-go/refstack/submit"
)

// A server over an in-memory SQLite database, taking an anonymous upload as
// refstack-client sends it.
func ExampleNew() {
	ctx := context.Background()
	st, err := storage.Open(ctx, "sqlite::memory:")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	src, _ := guideline.NewDirSource("testdata/guidelines")
	g, _ := server.NewGuidelines(src, 0)
	srv, err := server.New(st, g, server.WithUIURL("https://refstack.example"))
	if err != nil {
		fmt.Println(err)
		return
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	doc := submit.Results{CPID: "cloud", DurationSeconds: 60, Results: []submit.Result{{Name: "tempest.api.compute.T.test_boot"}}}
	resp, err := http.Post(ts.URL+"/v1/results/", "application/json", bytes.NewReader(doc.Body()))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	resp, err = http.Get(ts.URL + "/v1/guidelines/2016.01/tests?target=object")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var list bytes.Buffer
	list.ReadFrom(resp.Body)
	fmt.Println(list.String())
	// Output:
	// 201 Created
	// tempest.api.object.O.test_put[id-bbbb0001]
}

func ExampleFileName() {
	for _, n := range []string{"2020.06", "dns.2020.06.json", "../etc"} {
		f, err := server.FileName(n)
		fmt.Println(f, err)
	}
	// Output:
	// 2020.06.json <nil>
	// dns.2020.06.json <nil>
	//  "../etc": not a plain file name
}

func ExampleOpenID() {
	s, err := submit.LoadSigner("testdata/keys/alice.pem")
	if err != nil {
		fmt.Println(err)
		return
	}
	id, _ := server.OpenID(s.PublicKey())
	fmt.Println(id[:11])
	// Output: key:SHA256:
}
