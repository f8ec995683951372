package storage

import (
	"context"
	"errors"
	"time"
)

// Errors the stores return, wrapped with context; test them with errors.Is.
var (
	// ErrNotFound is returned for a result, metadata key, user or key that
	// does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExists is returned when a unique value is already stored (a public
	// key blob registered twice).
	ErrExists = errors.New("already exists")
	// ErrInvalid is returned for values the schema cannot hold (a name over
	// 512 bytes, a cpid over 128, duplicate test names in one upload); the
	// message names the value.
	ErrInvalid = errors.New("invalid value")
)

// Limits of the columns, as RefStack's MySQL schema has them.
const (
	MaxCPID     = 128
	MaxTestName = 512
	MaxUUID     = 36
	MaxMetaKey  = 64
	MaxOpenID   = 128
)

// Result is one uploaded test run (RefStack's "test" row) with its metadata.
type Result struct {
	ID              string // uuid4 string
	CPID            string
	DurationSeconds int64
	CreatedAt       time.Time // UTC, second precision
	// ProductVersionID is "" when the result belongs to no product version.
	ProductVersionID   string
	VerificationStatus int
	// Meta holds the metadata rows: "user" (the uploader's openid, set at
	// upload), "shared", "guideline", "target". Never nil.
	Meta map[string]string
}

// Test is one passed test of a result. UUID is "" when the upload gave none.
type Test struct {
	Name string
	UUID string
}

// NewResult is what an upload stores.
type NewResult struct {
	// ID is the new result's id; Store.CreateResult makes a uuid4 when it
	// is "".
	ID              string
	CPID            string
	DurationSeconds int64
	// CreatedAt is the upload time; the zero value means now.
	CreatedAt time.Time
	Tests     []Test
	Meta      map[string]string
}

// Visibility says which results a listing may show.
type Visibility int

const (
	// Public shows what RefStack shows anyone: results without a "user"
	// metadata row (anonymous uploads) and results with a "shared" row.
	Public Visibility = iota
	// OwnedBy shows only the results whose "user" metadata equals
	// ResultFilter.User (RefStack's signed=... filter).
	OwnedBy
	// All shows every result (foundation admins).
	All
)

// ResultFilter selects and pages results. Zero fields do not filter.
type ResultFilter struct {
	Visibility Visibility
	User       string     // the openid for OwnedBy
	Start, End *time.Time // inclusive bounds on CreatedAt
	CPID       string
	// VerificationStatus filters when non-nil.
	VerificationStatus *int
	// Offset and Limit page the results, newest first (CreatedAt then ID
	// descending). Limit 0 means no limit.
	Offset, Limit int
}

// User is a RefStack user. Here a user is identified by an openid-like
// string that the server derives from its first registered key.
type User struct {
	OpenID   string
	Email    string
	Fullname string
}

// PubKey is a registered public key.
type PubKey struct {
	ID      string // uuid4
	OpenID  string // owner
	Format  string // "ssh-rsa"
	PubKey  string // the base64 blob only
	Comment string
	MD5     string // hex md5 of the decoded blob, the lookup key
}

// Store is the server's storage. Implementations are safe for concurrent
// use. Methods that take an id return an error wrapping ErrNotFound when it
// does not exist.
type Store interface {
	// CreateResult stores a result, its tests and metadata in one
	// transaction and returns it as stored.
	CreateResult(ctx context.Context, r NewResult) (Result, error)
	// Result returns one result with its metadata.
	Result(ctx context.Context, id string) (Result, error)
	// Tests returns the passed tests of a result in upload order.
	Tests(ctx context.Context, id string) ([]Test, error)
	// ListResults returns one page of the results f selects and how many it
	// selects in all.
	ListResults(ctx context.Context, f ResultFilter) (page []Result, total int, err error)
	// SetVerificationStatus sets a result's verification status.
	SetVerificationStatus(ctx context.Context, id string, status int) error
	// DeleteResult deletes a result with its tests and metadata.
	DeleteResult(ctx context.Context, id string) error
	// SetMeta inserts or replaces one metadata value.
	SetMeta(ctx context.Context, id, key, value string) error
	// DeleteMeta deletes one metadata key (ErrNotFound when absent).
	DeleteMeta(ctx context.Context, id, key string) error

	// PutUser inserts or updates a user.
	PutUser(ctx context.Context, u User) error
	// User returns a user by openid.
	User(ctx context.Context, openid string) (User, error)
	// AddPubKey stores a key (ErrExists when the same blob is stored,
	// whoever owns it). The owner must exist.
	AddPubKey(ctx context.Context, k PubKey) error
	// PubKeys returns the keys of a user, oldest first.
	PubKeys(ctx context.Context, openid string) ([]PubKey, error)
	// PubKeyByBlob finds a key by its md5 hash, comparing the blob text
	// when several share it.
	PubKeyByBlob(ctx context.Context, md5hex, blob string) (PubKey, error)
	// DeletePubKey deletes a key of the user (ErrNotFound when the user has
	// no key with that id).
	DeletePubKey(ctx context.Context, openid, id string) error

	// Close releases the database.
	Close() error
}
