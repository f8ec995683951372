package cpid_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/refstack-go/refstack/cpid"
)

func ExampleHashURL() {
	id, err := cpid.HashURL("HTTPS://KeyStone.Example.COM:5000/v3")
	fmt.Println(id, err)
	_, err = cpid.HashURL("keystone.example.com:5000/v3")
	fmt.Println(errors.Is(err, cpid.ErrAuthURL))
	// Output:
	// b33dc8a37c8607c6a7612f6296139578 <nil>
	// true
}

func ExampleDiscover() {
	// A Keystone v3 that answers every token request with a catalog.
	keystone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"token": {"catalog": [
			{"type": "compute", "id": "8a1f", "endpoints": []},
			{"type": "identity", "id": "4d57b1c8e6a14f2b9d3e0c7a5f8b2e61", "endpoints": []}]}}`)
	}))
	defer keystone.Close()

	creds := cpid.Credentials{
		AuthURL:  keystone.URL + "/v3",
		Username: "tempest", Password: "secret",
		ProjectName: "tempest", DomainName: "Default",
	}
	res, err := cpid.Discover(context.Background(), creds)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.CPID, res.Method, res.Fallback)

	// Without a password Keystone is not asked: the CPID is the md5 of the
	// auth URL's host name, and Fallback says why.
	creds.Password = ""
	res, err = cpid.Discover(context.Background(), creds)
	fmt.Println(res.CPID, res.Method, err)
	fmt.Println(res.Fallback)
	// Output:
	// 4d57b1c8e6a14f2b9d3e0c7a5f8b2e61 keystone-v3-catalog <nil>
	// f528764d624db129b32c21fbca0cb8d6 url-hash <nil>
	// incomplete credentials: no password
}

func ExampleCredentialsFromTempestConf() {
	conf := `
[identity]
auth_version = v3
uri_v3 = https://keystone.example.org:5000/v3/
username = demo
password = secret
tenant_name = demo
`
	c, err := cpid.CredentialsFromTempestConf(strings.NewReader(conf), ".")
	fmt.Printf("%s v%d %s/%s in %s\n", c.AuthURL, c.AuthVersion, c.Username, c.ProjectName, c.DomainName)
	fmt.Println(err)

	_, err = cpid.CredentialsFromTempestConf(strings.NewReader("[identity]\nauth_version = 3\n"), ".")
	fmt.Println(err)
	// Output:
	// https://keystone.example.org:5000/v3 v3 demo/demo in Default
	// <nil>
	// cpid: tempest.conf:2: [identity] auth_version: bad value: "3", want v2 or v3
}

func ExampleCredentialsFromEnv() {
	env := map[string]string{
		"OS_AUTH_URL":             "https://keystone.example.org:5000/v3",
		"OS_USERNAME":             "demo",
		"OS_PASSWORD":             "secret",
		"OS_TENANT_NAME":          "demo",
		"OS_USER_DOMAIN_NAME":     "Default",
		"OS_PROJECT_DOMAIN_NAME":  "Default",
		"OS_IDENTITY_API_VERSION": "3",
	}
	c, err := cpid.CredentialsFromEnv(func(k string) string { return env[k] })
	fmt.Println(c.Username, c.ProjectName, c.AuthVersion, err)
	// Output: demo demo 3 <nil>
}

func ExampleCredentialsFromCloudsYAML() {
	yaml := `
clouds:
  mycloud:
    auth:
      auth_url: https://keystone.example.org:5000
      username: demo
      password: secret
      project_name: demo
      user_domain_name: Default
      project_domain_name: Default
`
	c, err := cpid.CredentialsFromCloudsYAML("mycloud", cpid.WithCloudsYAML(strings.NewReader(yaml)),
		cpid.WithOverrides(cpid.Credentials{Password: "from --os-password"}))
	fmt.Println(c.AuthURL, c.Username, c.Password, c.ProjectDomainName, err)
	// Output: https://keystone.example.org:5000 demo from --os-password Default <nil>
}
