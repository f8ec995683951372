package cpid

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
)

// HashURL returns the fallback CPID for authURL: the md5, as 32 lower-case hex
// digits, of the URL's host name taken as Python's urllib.parse does it
// (refstack-client's rule): user info, port, path and query are dropped, IPv6
// brackets removed and the name lower-cased (an IPv6 zone keeps its case).
//
// The scheme must be http or https (any case) and the host name non-empty;
// otherwise the error wraps ErrAuthURL (refstack-client crashes there).
func HashURL(authURL string) (string, error) {
	host, err := Hostname(authURL)
	if err != nil {
		return "", err
	}
	sum := md5.Sum([]byte(host))
	return hex.EncodeToString(sum[:]), nil
}

// Hostname returns the lower-cased host name of an http(s) URL, the string
// HashURL hashes. Errors wrap ErrAuthURL.
func Hostname(authURL string) (string, error) {
	bad := func(why string) error {
		return fmt.Errorf("cpid: auth URL %q: %w: %s", redactURL(authURL), ErrAuthURL, why)
	}
	// urllib drops leading C0 controls and spaces, and tabs and newlines anywhere.
	u := strings.TrimLeft(authURL, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"+
		"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	u = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(u)

	scheme, rest, ok := splitScheme(u)
	if !ok || (scheme != "http" && scheme != "https") {
		return "", bad("the scheme must be http or https")
	}
	if !strings.HasPrefix(rest, "//") {
		return "", bad("no host name")
	}
	netloc := rest[2:]
	if i := strings.IndexAny(netloc, "/?#"); i >= 0 {
		netloc = netloc[:i]
	}
	openBr, closeBr := strings.Contains(netloc, "["), strings.Contains(netloc, "]")
	if openBr != closeBr {
		return "", bad("unbalanced brackets around an IPv6 address")
	}
	hostinfo := netloc
	if i := strings.LastIndexByte(hostinfo, '@'); i >= 0 {
		hostinfo = hostinfo[i+1:]
	}
	var host string
	if _, after, ok := strings.Cut(hostinfo, "["); ok {
		host, _, _ = strings.Cut(after, "]")
		if _, err := netip.ParseAddr(host); err != nil || !strings.Contains(host, ":") {
			return "", bad(fmt.Sprintf("%q in brackets is not an IPv6 address", host))
		}
	} else {
		host, _, _ = strings.Cut(hostinfo, ":")
	}
	if host == "" {
		return "", bad("no host name")
	}
	name, zone, hasZone := strings.Cut(host, "%")
	name = strings.ToLower(name)
	if hasZone {
		name += "%" + zone
	}
	return name, nil
}

// splitScheme splits "scheme:rest" as urllib does: the scheme starts with an
// ASCII letter, holds only letters, digits, '+', '-' and '.', and is
// lower-cased.
func splitScheme(u string) (scheme, rest string, ok bool) {
	i := strings.IndexByte(u, ':')
	if i <= 0 {
		return "", u, false
	}
	for j := 0; j < i; j++ {
		c := u[j]
		letter := 'a' <= c|0x20 && c|0x20 <= 'z'
		if j == 0 && !letter {
			return "", u, false
		}
		if !letter && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return "", u, false
		}
	}
	return strings.ToLower(u[:i]), u[i+1:], true
}
