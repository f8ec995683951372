// Package submit is the client half of RefStack: it builds the results
// document from a subunit stream, signs it, and uploads it to a RefStack
// server, online or later from an offline bundle. It also lists the results
// a server holds.
//
// # Results document
//
// Results is what a RefStack server accepts on POST /v1/results/:
//
//	{"cpid": "...", "duration_seconds": 123, "results": [{"name": "...", "uuid": "..."}, ...]}
//
// Only tests whose final status is success are listed, in the order the
// stream finished them (a test that passed twice is listed twice). Each entry
// is made by ResultFor from the test id, as refstack-client makes it: the name
// is the id without its bracketed attributes, and the uuid comes from the
// "id-" attribute, left out when there is none. A Collector gathers them from
// subunit records; CollectStream reads a whole v1 or v2 stream.
//
// Results.Body encodes the document byte for byte as refstack-client's
// json.dumps does for the upload (separators ", " and ": ", ASCII only), and
// Results.File as refstack-client writes its results file (indent 4, no final
// newline). ParseResults reads either back and Validate makes the checks the
// server makes.
//
// # Signing
//
// A Signer holds an RSA private key, read by LoadSigner or ParseSigner from a
// PEM PKCS#1, PEM PKCS#8 or OpenSSH file that is not encrypted. Sign computes
// RSASSA-PKCS1-v1_5 with SHA-256 over the exact body bytes: the Signature
// holds the lowercase hex that goes in the X-Signature header and the
// one-line OpenSSH public key ("ssh-rsa AAAA...", no comment) that goes in
// X-Public-Key. SelfSignature signs the bytes "signature", which is what the
// RefStack web UI asks for when a key is registered. Verify and
// VerifySelfSignature make the server's checks and fail with its messages.
// GenerateKey makes a new key; its PEM PKCS#1 private half and OpenSSH public
// half are what RefStack accepts.
//
// # Upload and list
//
// A Client talks to one RefStack API base URL (such as
// https://refstack.openstack.org/api). Endpoints are made by appending
// "/v1/results/" to that URL as a plain string, as refstack-client does, so
// the base should have no trailing slash. Upload posts a body and returns the
// id and URL of the stored result on 201; network errors and 5xx answers are
// retried with exponential backoff (WithRetry; default 3 attempts, 1 s, 2 s),
// and any other answer is an *HTTPError carrying the status and the server's
// message. Pages and List walk GET /v1/results/?page=N until the last page.
//
// # Offline bundles
//
// A Bundle keeps a signed body for later: the exact body bytes, the signature
// and the public key, written as a small JSON document (see Bundle for the
// format). It can be carried to another machine and uploaded there byte for
// byte as signed; ReadBundle checks the signature and the body when it loads
// one.
package submit
