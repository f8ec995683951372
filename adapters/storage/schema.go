package storage

// The schema follows RefStack's (refstack/db/sqlalchemy/models.py) for the
// tables the server needs, with these deliberate differences:
//   - text is UTF-8 everywhere (utf8mb4 with a binary collation on MySQL);
//   - the never-used soft-delete columns (deleted, deleted_at) are left out;
//   - results rows carry no timestamps (they are the test row's);
//   - pubkeys has a surrogate _id (so "oldest first" is exact) and a unique
//     sha256_hash of the blob, which makes "same blob registered twice" a
//     constraint the database enforces, race-free;
//   - foreign keys to product_version are absent until products exist.

// migration is one versioned step of the schema. Steps are applied in
// order, each once, and recorded in schema_migrations; a released step is
// never edited, only followed by a new one.
type migration struct {
	version int
	name    string
	stmts   func(d dialect) []string
}

// migrations is the ordered list of every schema step.
var migrations = []migration{
	{1, "results: test, results, meta", func(d dialect) []string {
		return []string{
			`CREATE TABLE test (
				id VARCHAR(36) NOT NULL PRIMARY KEY,
				cpid VARCHAR(128) NOT NULL,
				duration_seconds BIGINT NOT NULL,
				product_version_id VARCHAR(36) NULL,
				verification_status INTEGER NOT NULL DEFAULT 0,
				created_at ` + d.timeType() + ` NOT NULL,
				updated_at ` + d.timeType() + ` NULL
			)` + d.tableOptions(),
			// The list query orders by (created_at, id) and filters on
			// created_at and cpid.
			`CREATE INDEX idx_test_created_at ON test (created_at, id)`,
			`CREATE INDEX idx_test_cpid ON test (cpid)`,
			`CREATE TABLE results (
				_id ` + d.autoID() + `,
				test_id VARCHAR(36) NOT NULL,
				name VARCHAR(512) NOT NULL,
				uuid VARCHAR(36) NULL,
				CONSTRAINT uq_results_test_name UNIQUE (test_id, name),
				CONSTRAINT fk_results_test FOREIGN KEY (test_id) REFERENCES test (id)
			)` + d.tableOptions(),
			`CREATE TABLE meta (
				_id ` + d.autoID() + `,
				test_id VARCHAR(36) NOT NULL,
				meta_key VARCHAR(64) NOT NULL,
				value TEXT NOT NULL,
				created_at ` + d.timeType() + ` NOT NULL,
				updated_at ` + d.timeType() + ` NULL,
				CONSTRAINT uq_meta_test_key UNIQUE (test_id, meta_key),
				CONSTRAINT fk_meta_test FOREIGN KEY (test_id) REFERENCES test (id)
			)` + d.tableOptions(),
			// Finds the results of one user (meta "user" = openid).
			`CREATE INDEX idx_meta_key_value ON meta (meta_key, ` + d.indexedText("value", 191) + `)`,
		}
	}},
	{2, "users and public keys", func(d dialect) []string {
		return []string{
			`CREATE TABLE "user" (
				_id ` + d.autoID() + `,
				openid VARCHAR(128) NOT NULL,
				email VARCHAR(128) NOT NULL,
				fullname VARCHAR(128) NOT NULL,
				created_at ` + d.timeType() + ` NOT NULL,
				updated_at ` + d.timeType() + ` NULL,
				CONSTRAINT uq_user_openid UNIQUE (openid)
			)` + d.tableOptions(),
			`CREATE TABLE pubkeys (
				_id ` + d.autoID() + `,
				id VARCHAR(36) NOT NULL,
				openid VARCHAR(128) NOT NULL,
				format VARCHAR(24) NOT NULL,
				pubkey TEXT NOT NULL,
				comment VARCHAR(128) NOT NULL,
				md5_hash VARCHAR(32) NOT NULL,
				sha256_hash CHAR(64) NOT NULL,
				created_at ` + d.timeType() + ` NOT NULL,
				CONSTRAINT uq_pubkeys_id UNIQUE (id),
				CONSTRAINT uq_pubkeys_sha256 UNIQUE (sha256_hash),
				CONSTRAINT fk_pubkeys_user FOREIGN KEY (openid) REFERENCES "user" (openid)
			)` + d.tableOptions(),
			`CREATE INDEX idx_pubkeys_openid ON pubkeys (openid)`,
			`CREATE INDEX idx_pubkeys_md5 ON pubkeys (md5_hash)`,
		}
	}},
}
