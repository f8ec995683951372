package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// PutUser inserts or updates a user.
func (s *sqlStore) PutUser(ctx context.Context, u User) error {
	if err := text("openid", u.OpenID, MaxOpenID, true); err != nil {
		return err
	}
	if err := text("email", u.Email, MaxEmail, false); err != nil {
		return err
	}
	if err := text("fullname", u.Fullname, MaxFullname, false); err != nil {
		return err
	}
	now := s.nowArg()
	q := `INSERT INTO "user" (openid, email, fullname, created_at, updated_at) VALUES (?, ?, ?, ?, ?)` +
		s.d.upsert([]string{"openid"}, []string{"email", "fullname", "updated_at"})
	if _, err := s.w.ExecContext(ctx, s.q(q), u.OpenID, u.Email, u.Fullname, now, now); err != nil {
		return fmt.Errorf("storage: put user %s: %w", u.OpenID, err)
	}
	return nil
}

// User returns a user by openid.
func (s *sqlStore) User(ctx context.Context, openid string) (User, error) {
	u := User{OpenID: openid}
	err := s.r.QueryRowContext(ctx, s.q(`SELECT email, fullname FROM "user" WHERE openid = ?`), openid).Scan(&u.Email, &u.Fullname)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("storage: user %s: %w", openid, ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("storage: read user %s: %w", openid, err)
	}
	return u, nil
}

// AddPubKey stores a key. An empty k.ID gets a uuid4 (list the user's keys
// to learn it). The same blob stored twice, under any owner, is ErrExists:
// a unique index on the blob's sha256 makes that check the database's, so
// two concurrent registrations cannot both succeed.
func (s *sqlStore) AddPubKey(ctx context.Context, k PubKey) error {
	for _, c := range []struct {
		what, v  string
		max      int
		required bool
	}{
		{"key id", k.ID, MaxUUID, false},
		{"key owner openid", k.OpenID, MaxOpenID, true},
		{"key format", k.Format, MaxKeyFormat, true},
		{"key blob", k.PubKey, MaxPubKey, true},
		{"key comment", k.Comment, MaxKeyComment, false},
		{"key md5", k.MD5, MaxKeyMD5, true},
	} {
		if err := text(c.what, c.v, c.max, c.required); err != nil {
			return err
		}
	}
	if k.ID == "" {
		k.ID = uuid.NewString()
	}
	sum := sha256.Sum256([]byte(k.PubKey))
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO pubkeys (id, openid, format, pubkey, comment, md5_hash, sha256_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		k.ID, k.OpenID, k.Format, k.PubKey, k.Comment, k.MD5, hex.EncodeToString(sum[:]), s.nowArg())
	switch violation(err) {
	case uniqueViolation:
		return fmt.Errorf("storage: public key %s (md5 %s): %w", k.ID, k.MD5, ErrExists)
	case foreignKeyViolation:
		return fmt.Errorf("storage: owner of public key %s: user %s: %w", k.ID, k.OpenID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("storage: add public key %s: %w", k.ID, err)
	}
	return nil
}

const keyColumns = `id, openid, format, pubkey, comment, md5_hash`

// scanKeys reads keyColumns rows.
func scanKeys(rows *sql.Rows) ([]PubKey, error) {
	defer rows.Close()
	keys := []PubKey{}
	for rows.Next() {
		var k PubKey
		if err := rows.Scan(&k.ID, &k.OpenID, &k.Format, &k.PubKey, &k.Comment, &k.MD5); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// PubKeys returns the keys of a user, oldest first; none for an unknown
// user.
func (s *sqlStore) PubKeys(ctx context.Context, openid string) ([]PubKey, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT `+keyColumns+` FROM pubkeys WHERE openid = ? ORDER BY _id`), openid)
	if err != nil {
		return nil, fmt.Errorf("storage: read keys of %s: %w", openid, err)
	}
	keys, err := scanKeys(rows)
	if err != nil {
		return nil, fmt.Errorf("storage: read keys of %s: %w", openid, err)
	}
	return keys, nil
}

// PubKeyByBlob finds a key by md5 and compares the blob text in Go, byte
// for byte, whatever the database's collation.
func (s *sqlStore) PubKeyByBlob(ctx context.Context, md5hex, blob string) (PubKey, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT `+keyColumns+` FROM pubkeys WHERE md5_hash = ? ORDER BY _id`), md5hex)
	if err != nil {
		return PubKey{}, fmt.Errorf("storage: find key md5 %s: %w", md5hex, err)
	}
	keys, err := scanKeys(rows)
	if err != nil {
		return PubKey{}, fmt.Errorf("storage: find key md5 %s: %w", md5hex, err)
	}
	for _, k := range keys {
		if k.PubKey == blob {
			return k, nil
		}
	}
	return PubKey{}, fmt.Errorf("storage: public key with md5 %s: %w", md5hex, ErrNotFound)
}

// DeletePubKey deletes a key of the user.
func (s *sqlStore) DeletePubKey(ctx context.Context, openid, id string) error {
	res, err := s.w.ExecContext(ctx, s.q(`DELETE FROM pubkeys WHERE openid = ? AND id = ?`), openid, id)
	if err != nil {
		return fmt.Errorf("storage: delete key %s of %s: %w", id, openid, err)
	}
	return affected(res, fmt.Sprintf("key %s of user %s", id, openid))
}
