// Package storage keeps what a RefStack server stores: uploaded results with
// their passed tests and metadata, users and their public keys. One Store
// interface has three implementations behind Open: embedded SQLite (the
// default, no cgo), MySQL/MariaDB and PostgreSQL, all one database/sql
// implementation with a small dialect, and the same versioned migrations.
//
// Every method that writes does so in one transaction: an upload is stored
// whole or not at all. Values the schema cannot hold are refused with
// ErrInvalid before a transaction starts, with a message naming the value.
//
// # Databases
//
// Open takes a URL (see Open for the forms; DefaultURL is
// "sqlite:refstack.db") and applies, in order, the migrations the
// database lacks, recording each in schema_migrations; servers starting
// together take turns under a database lock. Times are stored in UTC with
// whole seconds.
//
// SQLite runs in WAL mode with synchronous=FULL, so an acknowledged upload
// survives a crash; all writes go through one connection, so concurrent
// uploads queue instead of failing with SQLITE_BUSY, while reads use a
// pool of read-only connections. MySQL tables are InnoDB, utf8mb4 with a
// binary no-pad collation (names compare byte for byte as in the other
// two), and sessions run in strict SQL mode.
//
// Tests of other packages get isolated databases from the storagetest
// package.
package storage
