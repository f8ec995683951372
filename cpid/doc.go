// Package cpid finds the Cloud Provider ID (CPID) that RefStack files test
// results under, the way refstack-client finds it.
//
// # Discovery
//
// Discover asks Keystone for a token with the given Credentials and takes the
// CPID from the token's service catalog:
//
//   - Keystone v3: the id of the first service of type "identity" that has a
//     non-empty id (the service id, not an endpoint id);
//   - Keystone v2.0: the id of the first endpoint of the first service of type
//     "identity" whose first endpoint has a non-empty id. As in refstack-client,
//     an identity service with no endpoints, or whose first endpoint has no
//     "id" key at all, ends the search.
//
// When that fails for any reason (wrong password, a user not allowed to see the
// catalog, a catalog with no identity service, an HTTP error, a reply that is
// not the expected JSON, a network or TLS error, the timeout), Discover falls
// back to the md5 of the lower-cased host name of the auth URL (HashURL), as
// refstack-client does, and Result.Fallback says why. Discover returns an error
// only when even that is impossible (the auth URL is not an http(s) URL with a
// host name), when an option is invalid, or when ctx is done.
//
// Which Keystone API is used: Credentials.AuthVersion when set (2 or 3);
// otherwise the version the auth URL ends with (/v2.0, /v3). An auth URL that
// ends in no version (https://keystone:5000) is resolved by asking Keystone for
// its versions (v3 preferred, or the one AuthVersion names), as
// python-openstackclient does; refstack-client would post to the URL as given.
//
// # Credentials
//
// Credentials come from OS_* environment variables (CredentialsFromEnv), a
// clouds.yaml entry (CredentialsFromCloudsYAML, through gophercloud's clouds
// package and its search order), or a tempest.conf with its accounts.yaml
// (CredentialsFromTempestConf), read as refstack-client reads them.
//
// # Defaults
//
// Discover gives up on Keystone after 30 seconds (WithTimeout), verifies TLS
// certificates against the system roots (WithInsecure, WithCAFile, or the TLS
// settings that came with the Credentials), and reads at most 16 MiB of any
// reply.
package cpid
