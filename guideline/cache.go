package guideline

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotCached is wrapped by the error of an offline [HTTPSource] asked for a
// URL its cache does not hold.
var ErrNotCached = errors.New("not in the cache (offline)")

// cache is the on-disk HTTP cache of an HTTPSource: one file per URL, named
// by the SHA-256 of the URL, holding a JSON header line and then the body.
// Files are replaced atomically (written aside, then renamed), so several
// processes may share a directory.
type cache struct {
	dir string
}

// cacheEntry is the header line of a cache file.
type cacheEntry struct {
	URL          string `json:"url"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	Size         int    `json:"size"`
}

func (c *cache) file(url string) string {
	sum := sha256.Sum256([]byte(url))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:16])+".cache")
}

// get returns the cached entry and body of url, or ok false when there is
// none (or it is unreadable, which counts as none).
func (c *cache) get(url string) (e cacheEntry, body []byte, ok bool) {
	data, err := os.ReadFile(c.file(url))
	if err != nil {
		return e, nil, false
	}
	head, rest, found := bytes.Cut(data, []byte("\n"))
	if !found || json.Unmarshal(head, &e) != nil || e.URL != url || e.Size != len(rest) {
		return cacheEntry{}, nil, false
	}
	return e, rest, true
}

// put stores body as the cached content of url.
func (c *cache) put(e cacheEntry, body []byte) error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return fmt.Errorf("guideline: cache: %w", err)
	}
	e.Size = len(body)
	head, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("guideline: cache: %w", err)
	}
	f, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("guideline: cache: %w", err)
	}
	w := bufio.NewWriter(f)
	w.Write(head)
	w.WriteByte('\n')
	w.Write(body)
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), c.file(e.URL))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("guideline: cache: %w", err)
	}
	return nil
}

// cacheDirOK reports an error when dir exists and is not a directory.
func cacheDirOK(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}
