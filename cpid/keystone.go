package cpid

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gophercloud/gophercloud/v2"
	tokens2 "github.com/gophercloud/gophercloud/v2/openstack/identity/v2/tokens"
	tokens3 "github.com/gophercloud/gophercloud/v2/openstack/identity/v3/tokens"
	"github.com/gophercloud/gophercloud/v2/openstack/utils"
)

// versionSegment matches the last path segment of a versioned auth URL.
var versionSegment = regexp.MustCompile(`^v([0-9]+)(\.[0-9]+)*$`)

// keystone asks one Keystone for a token and reads the CPID from its catalog.
type keystone struct {
	hc *http.Client
}

// lookup returns the CPID from Keystone's catalog, how it was found, and the
// URL of the token request (empty when none was sent).
func (k keystone) lookup(ctx context.Context, c Credentials) (id string, m Method, tokenURL string, err error) {
	if err := c.canAuthenticate(0); err != nil {
		return "", 0, "", err
	}
	pc := &gophercloud.ProviderClient{HTTPClient: *k.hc}
	pc.UserAgent.Prepend("refstack-go-cpid")
	version, base, err := k.chooseVersion(ctx, pc, c)
	if err != nil {
		return "", 0, "", err
	}
	if err := c.canAuthenticate(version); err != nil {
		return "", 0, "", err
	}
	sc := &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: base, Type: "identity"}
	if version == 2 {
		tokenURL = sc.ServiceURL("tokens")
		opts := tokens2.AuthOptions{Username: c.Username, Password: c.Password}
		if c.ProjectID != "" { // refstack-client sends tenantId when it has one, else tenantName
			opts.TenantID = c.ProjectID
		} else {
			opts.TenantName = c.ProjectName
		}
		r := tokens2.Create(ctx, sc, opts)
		if r.Err != nil {
			return "", 0, tokenURL, tokenError(r.Err, tokenURL)
		}
		var reply v2Reply
		if err := r.Result.ExtractInto(&reply); err != nil {
			return "", 0, tokenURL, fmt.Errorf("POST %s: %w: %v", redactURL(tokenURL), ErrBadReply, err)
		}
		id, err := reply.identityEndpointID()
		if err != nil {
			return "", 0, tokenURL, fmt.Errorf("POST %s: %w", redactURL(tokenURL), err)
		}
		return id, KeystoneV2Catalog, tokenURL, nil
	}
	tokenURL = sc.ServiceURL("auth", "tokens")
	r := tokens3.Create(ctx, sc, v3AuthOptions(c))
	if r.Err != nil {
		return "", 0, tokenURL, tokenError(r.Err, tokenURL)
	}
	var reply v3Reply
	if err := r.Result.ExtractInto(&reply); err != nil {
		return "", 0, tokenURL, fmt.Errorf("POST %s: %w: %v", redactURL(tokenURL), ErrBadReply, err)
	}
	id, err = reply.identityServiceID()
	if err != nil {
		return "", 0, tokenURL, fmt.Errorf("POST %s: %w", redactURL(tokenURL), err)
	}
	return id, KeystoneV3Catalog, tokenURL, nil
}

// chooseVersion returns the identity API version to use and its base URL
// (ending in "/"). A versioned auth URL is used as given; an unversioned one
// is resolved by asking Keystone for its versions.
func (k keystone) chooseVersion(ctx context.Context, pc *gophercloud.ProviderClient, c Credentials) (int, string, error) {
	u, err := url.Parse(c.AuthURL)
	if err != nil {
		return 0, "", fmt.Errorf("%w: %v", ErrAuthURL, err)
	}
	u.RawQuery, u.Fragment = "", ""
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	base := u.String() + "/"
	last := u.Path[strings.LastIndexByte(u.Path, '/')+1:]
	if m := versionSegment.FindStringSubmatch(last); m != nil {
		switch {
		case c.AuthVersion != 0:
			return c.AuthVersion, base, nil
		case m[1] == "2" || m[1] == "3":
			return int(m[1][0] - '0'), base, nil
		}
		return 0, "", fmt.Errorf("%w: the auth URL ends in /%s; set the version (2 or 3)", ErrVersion, last)
	}
	v2 := &utils.Version{ID: "v2.0", Priority: 20, Suffix: "/v2.0/"}
	v3 := &utils.Version{ID: "v3", Priority: 30, Suffix: "/v3/"}
	var known []*utils.Version
	switch c.AuthVersion {
	case 2:
		known = []*utils.Version{v2}
	case 3:
		known = []*utils.Version{v3}
	default:
		known = []*utils.Version{v2, v3}
	}
	pc.IdentityBase, pc.IdentityEndpoint = base, base
	chosen, endpoint, err := utils.ChooseVersion(ctx, pc, known)
	if err != nil {
		if rerr := requestError(err, http.MethodGet, base); rerr != nil {
			return 0, "", fmt.Errorf("identity version discovery: %w", rerr)
		}
		return 0, "", fmt.Errorf("identity version discovery: GET %s: %w: %v", redactURL(base), ErrVersion, err)
	}
	if !strings.HasSuffix(endpoint, "/") {
		endpoint += "/"
	}
	if chosen == v2 {
		return 2, endpoint, nil
	}
	return 3, endpoint, nil
}

// v3AuthOptions builds the v3 token request: password (or application
// credential) authentication, scoped to the project (by id, else by name and
// domain), else to the default domain.
func v3AuthOptions(c Credentials) *tokens3.AuthOptions {
	ao := &tokens3.AuthOptions{UserID: c.UserID}
	if c.UserID == "" {
		ao.Username = c.Username
		d := c.userDomain()
		ao.DomainID, ao.DomainName = d.id, d.name
	}
	if c.ApplicationCredentialSecret != "" {
		ao.ApplicationCredentialID = c.ApplicationCredentialID
		ao.ApplicationCredentialName = c.ApplicationCredentialName
		ao.ApplicationCredentialSecret = c.ApplicationCredentialSecret
		if c.ApplicationCredentialID != "" {
			ao.Username, ao.UserID, ao.DomainID, ao.DomainName = "", "", "", ""
		}
		return ao
	}
	ao.Password = c.Password
	switch {
	case c.ProjectID != "":
		ao.Scope.ProjectID = c.ProjectID
	case c.ProjectName != "":
		d := c.projectDomain()
		ao.Scope.ProjectName, ao.Scope.DomainID, ao.Scope.DomainName = c.ProjectName, d.id, d.name
	case c.DomainID != "":
		ao.Scope.DomainID = c.DomainID
	case c.DomainName != "":
		ao.Scope.DomainName = c.DomainName
	}
	return ao
}

// v3Reply is the part of a v3 token reply refstack-client reads. Catalog
// entries stay raw so that a missing key and a null value can be told apart,
// as refstack-client's dictionary lookups tell them apart.
type v3Reply struct {
	Token *struct {
		Catalog *[]map[string]json.RawMessage `json:"catalog"`
	} `json:"token"`
}

// identityServiceID applies refstack-client's v3 rule: the first catalog
// entry of type "identity" with a non-empty id. An entry without "type", or
// an identity entry without "id", ends the search (a KeyError there).
func (r v3Reply) identityServiceID() (string, error) {
	if r.Token == nil {
		return "", fmt.Errorf("%w: no \"token\" object", ErrBadReply)
	}
	if r.Token.Catalog == nil || len(*r.Token.Catalog) == 0 {
		return "", ErrNoCatalog
	}
	for i, svc := range *r.Token.Catalog {
		isIdentity, err := isIdentity(svc, i)
		if err != nil {
			return "", err
		}
		if !isIdentity {
			continue
		}
		raw, ok := svc["id"]
		if !ok {
			return "", fmt.Errorf("%w: catalog entry %d (identity) has no \"id\"", ErrNoIdentityService, i)
		}
		id, err := optionalString(raw)
		if err != nil {
			return "", fmt.Errorf("%w: catalog entry %d: \"id\": %v", ErrBadReply, i, err)
		}
		if id != "" {
			return id, nil
		}
	}
	return "", ErrNoIdentityService
}

// v2Reply is the part of a v2.0 token reply refstack-client reads.
type v2Reply struct {
	Access *struct {
		ServiceCatalog *[]map[string]json.RawMessage `json:"serviceCatalog"`
	} `json:"access"`
}

// identityEndpointID applies refstack-client's v2 rule: for each service of
// type "identity" in order, the id of its first endpoint if non-empty. A
// service without endpoints, or a first endpoint without "id", ends the
// search.
func (r v2Reply) identityEndpointID() (string, error) {
	if r.Access == nil {
		return "", fmt.Errorf("%w: no \"access\" object", ErrBadReply)
	}
	if r.Access.ServiceCatalog == nil || len(*r.Access.ServiceCatalog) == 0 {
		return "", ErrNoCatalog
	}
	for i, svc := range *r.Access.ServiceCatalog {
		isIdentity, err := isIdentity(svc, i)
		if err != nil {
			return "", err
		}
		if !isIdentity {
			continue
		}
		rawEndpoints, ok := svc["endpoints"]
		if !ok {
			return "", fmt.Errorf("%w: catalog entry %d (identity) has no \"endpoints\"", ErrNoIdentityService, i)
		}
		var endpoints []map[string]json.RawMessage
		if err := json.Unmarshal(rawEndpoints, &endpoints); err != nil {
			return "", fmt.Errorf("%w: catalog entry %d (identity): \"endpoints\" is not a list of objects", ErrBadReply, i)
		}
		if len(endpoints) == 0 {
			return "", fmt.Errorf("%w: catalog entry %d (identity) has no endpoints", ErrNoIdentityService, i)
		}
		raw, ok := endpoints[0]["id"]
		if !ok {
			return "", fmt.Errorf("%w: the first endpoint of catalog entry %d (identity) has no \"id\"", ErrNoIdentityService, i)
		}
		id, err := optionalString(raw)
		if err != nil {
			return "", fmt.Errorf("%w: catalog entry %d: endpoint \"id\": %v", ErrBadReply, i, err)
		}
		if id != "" {
			return id, nil
		}
	}
	return "", ErrNoIdentityService
}

// isIdentity reports whether catalog entry i has type "identity". An entry
// with no "type" key is an error, as in refstack-client.
func isIdentity(svc map[string]json.RawMessage, i int) (bool, error) {
	raw, ok := svc["type"]
	if !ok {
		return false, fmt.Errorf("%w: catalog entry %d has no \"type\"", ErrBadReply, i)
	}
	var typ string
	if json.Unmarshal(raw, &typ) != nil {
		return false, nil // null or not a string: not "identity"
	}
	return typ == "identity", nil
}

// optionalString decodes a JSON string or null ("" for null).
func optionalString(raw json.RawMessage) (string, error) {
	var s *string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("want a string, got %s", truncate(string(raw), 40))
	}
	if s == nil {
		return "", nil
	}
	return *s, nil
}

// requestError turns a gophercloud request error into this package's errors:
// *HTTPError for an unexpected status, ErrBadReply for a body that is not
// the JSON expected; network and context errors pass through. It returns nil
// for any other error.
func requestError(err error, method, u string) error {
	var ue gophercloud.ErrUnexpectedResponseCode
	if errors.As(err, &ue) {
		return &HTTPError{Method: ue.Method, URL: redactURL(ue.URL), StatusCode: ue.Actual, Message: keystoneMessage(ue.Body)}
	}
	var pue *gophercloud.ErrUnexpectedResponseCode
	if errors.As(err, &pue) {
		return &HTTPError{Method: pue.Method, URL: redactURL(pue.URL), StatusCode: pue.Actual, Message: keystoneMessage(pue.Body)}
	}
	if isNetError(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, ErrBadReply) {
		return fmt.Errorf("%s %s: %w", method, redactURL(u), err)
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	if errors.As(err, &se) || errors.As(err, &te) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s %s: %w: not the JSON expected: %v", method, redactURL(u), ErrBadReply, err)
	}
	return nil
}

// tokenError reports a failed token request.
func tokenError(err error, u string) error {
	if rerr := requestError(err, http.MethodPost, u); rerr != nil {
		return rerr
	}
	return fmt.Errorf("POST %s: %w", redactURL(u), err)
}

func isNetError(err error) bool {
	var ue *url.Error
	return errors.As(err, &ue)
}

// keystoneMessage returns error.message from a Keystone error body, or the
// start of the body on one line.
func keystoneMessage(body []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		return truncate(e.Error.Message, 300)
	}
	return truncate(strings.Join(strings.Fields(string(body)), " "), 200)
}

// truncate cuts s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "..."
}
