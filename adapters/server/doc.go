// Package server is the RefStack-compatible HTTP API: the results,
// guidelines and profile endpoints of RefStack's API v1, served at /v1 and
// /api/v1, with the same status codes, JSON shapes and error texts where
// clients depend on them (refstack-client uploads and lists through it).
//
// # Identity
//
// RefStack logged users in through OpenID 2.0 against a provider that no
// longer exists. Here a user is a registered RSA public key. A user's
// identity (RefStack's "openid") is derived from the first key it registers:
// "key:" followed by the key's SHA-256 fingerprint as ssh-keygen -l prints it
// (OpenID). POST /v1/profile/pubkeys without credentials registers a new user
// owning the key (unless WithOpenRegistration(false)); with credentials it
// adds the key to the caller. An owner's API calls carry
// "Authorization: Bearer <JWT>", an RS256 token signed with one of the
// user's keys, with the claims user_openid and exp (Token makes one), checked
// with 42 s of leeway as RefStack checks it. Foundation admins are keys given
// to WithAdminKeys: the users owning them, and tokens signed by them, have
// the foundation role.
//
// # Differences from RefStack
//
// Where RefStack answers 500 for bad input (an item without name, duplicate
// names, names over 512 bytes, a cpid over 128) this server answers 400 with
// a message that names the value; test names may be any UTF-8 (RefStack's
// MySQL columns were latin1). A bad Authorization header is a 401 (RefStack:
// 400). Uploads may also be subunit streams (Content-Type
// application/vnd.subunit, cpid in the query), and GET
// /v1/results/{id}/score scores a result against a guideline. Products,
// vendors and the OpenID endpoints are not served.
package server
