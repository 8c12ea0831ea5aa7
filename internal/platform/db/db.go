// Package db opens the database — embedded SQLite by default, PostgreSQL when a
// postgres:// URL is given — and hides the few differences between the two.
//
// SQL in ebazhao is written once with `?` placeholders; Rebind turns them into
// $1, $2 … for PostgreSQL. Timestamps are stored as fixed-width UTC text and dates
// as ISO text, so both engines sort and compare them the same way.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/platform/clock"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	"modernc.org/sqlite"               // driver "sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Engine names the database engine in use.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is a database handle that knows its engine.
type DB struct {
	*sql.DB
	Engine Engine
	// URL is the connection URL (PostgreSQL) or the file path (SQLite).
	URL string
	// Clock is the application's clock: every timestamp written through this
	// database reads it (nil: the system clock).
	Clock *clock.Clock
	// AuditKey is the secret that keys the audit trail's hash chain: it is
	// kept outside the database (DATA/keys/audit.key or EBAZHAO_AUDIT_KEY) and
	// travels with the handle as the clock does, so that audit.Log(ctx, tx, e)
	// finds it on the transaction (see package audit). nil: the audit package
	// reads EBAZHAO_AUDIT_KEY, as a nil Clock is the system clock.
	AuditKey []byte
	replica  *reader
}

// Now returns the current instant on the database's clock.
func (d *DB) Now() time.Time { return d.Clock.Now() }

// ErrNotFound is returned (wrapped) when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// TimeLayout is the fixed-width UTC layout every timestamp column uses.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// Now formats t for a timestamp column.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// ParseTime reads a timestamp column.
func ParseTime(s string) time.Time {
	t, _ := time.Parse(TimeLayout, s)
	return t
}

// SQLiteFile is the database file inside the data folder.
const SQLiteFile = "ebazhao.db"

// Open connects to url, or to the SQLite file in dataDir when url is empty.
func Open(ctx context.Context, url, dataDir string) (*DB, error) {
	if url == "" || strings.HasPrefix(url, "sqlite:") || strings.HasPrefix(url, "file:") {
		path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "file:")
		if path == "" {
			if dataDir == "" {
				return nil, errors.New("db: no data folder and no database URL")
			}
			if err := os.MkdirAll(dataDir, 0o750); err != nil {
				return nil, fmt.Errorf("db: create data folder: %w", err)
			}
			path = filepath.Join(dataDir, SQLiteFile)
		}
		return openSQLite(ctx, path)
	}
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		sdb, err := sql.Open("pgx", url)
		if err != nil {
			return nil, fmt.Errorf("db: open postgres: %w", err)
		}
		sdb.SetMaxOpenConns(32)
		sdb.SetMaxIdleConns(16)
		sdb.SetConnMaxIdleTime(5 * time.Minute)
		if err := sdb.PingContext(ctx); err != nil {
			sdb.Close()
			return nil, fmt.Errorf("db: connect postgres: %w", err)
		}
		if err := checkCodePointOrder(ctx, sdb); err != nil {
			sdb.Close()
			return nil, err
		}
		return &DB{DB: sdb, Engine: Postgres, URL: url}, nil
	}
	return nil, fmt.Errorf("db: unsupported database URL %q (use postgres://… or leave empty for SQLite)", url)
}

// checkCodePointOrder refuses a PostgreSQL database whose text does not sort
// in code-point order (collation "C"): name and ID prefix searches read index
// ranges whose bounds are only right in that order, so under another
// collation they would silently miss people.
func checkCodePointOrder(ctx context.Context, sdb *sql.DB) error {
	var ok bool
	if err := sdb.QueryRowContext(ctx, `SELECT 'B' < 'a' AND 'a' < '王' AND '王大' < '王夨'`).Scan(&ok); err != nil {
		return fmt.Errorf("db: check the database collation: %w", err)
	}
	if !ok {
		return errors.New(`db: the PostgreSQL database does not sort text in code-point order; create it with LC_COLLATE 'C' (CREATE DATABASE … TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8', see docs/operations.md)`)
	}
	return nil
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	// WAL lets readers run beside one writer; synchronous(FULL) makes every
	// committed receipt survive a power cut; immediate transactions take the write
	// lock up front so two writers queue instead of failing with SQLITE_BUSY.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(15000)&_pragma=synchronous(FULL)&_txlock=immediate"
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("db: open sqlite %s: %w", path, err)
	}
	sdb.SetMaxOpenConns(8)
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("db: open sqlite %s: %w", path, err)
	}
	return &DB{DB: sdb, Engine: SQLite, URL: path}, nil
}

// Rebind rewrites ? placeholders for the engine.
func (d *DB) Rebind(q string) string { return rebind(d.Engine, q) }

func rebind(e Engine, q string) string {
	if e != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Exec, Query and QueryRow take ?-placeholder SQL.
func (d *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return d.DB.ExecContext(ctx, d.Rebind(q), args...)
}
func (d *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return d.DB.QueryContext(ctx, d.Rebind(q), args...)
}
func (d *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return d.DB.QueryRowContext(ctx, d.Rebind(q), args...)
}

// Tx is a transaction that rebinds like DB.
type Tx struct {
	*sql.Tx
	Engine   Engine
	clock    *clock.Clock
	auditKey []byte
}

// Now returns the current instant on the database's clock.
func (t *Tx) Now() time.Time { return t.clock.Now() }

// AuditKey returns the audit key of the database the transaction runs on
// (DB.AuditKey).
func (t *Tx) AuditKey() []byte { return t.auditKey }

func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, rebind(t.Engine, q), args...)
}
func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(ctx, rebind(t.Engine, q), args...)
}
func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(ctx, rebind(t.Engine, q), args...)
}

// Querier is what both DB and Tx offer; storage code takes it so a caller can
// run it inside its own transaction.
type Querier interface {
	Exec(ctx context.Context, q string, args ...any) (sql.Result, error)
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// InTx runs fn in a transaction, committing if it returns nil. On PostgreSQL a
// serialization failure or deadlock is retried a few times.
func (d *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = d.inTxOnce(ctx, fn)
		if err == nil || !retryable(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
	}
	return err
}

func (d *DB) inTxOnce(ctx context.Context, fn func(tx *Tx) error) (err error) {
	stx, err := d.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	tx := &Tx{Tx: stx, Engine: d.Engine, clock: d.Clock, auditKey: d.AuditKey}
	defer func() {
		if p := recover(); p != nil {
			stx.Rollback()
			panic(p)
		}
		if err != nil {
			stx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = stx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// retryable reports a transaction that lost a race and may simply run again:
// a serialization failure or deadlock on PostgreSQL, a busy or locked database
// on SQLite. Told by the drivers' error codes, never by message text.
func retryable(err error) bool {
	if code, ok := pgCode(err); ok {
		return code == pgerrcode.SerializationFailure || code == pgerrcode.DeadlockDetected
	}
	if code, ok := sqliteCode(err); ok {
		primary := code & 0xff // extended codes (SQLITE_BUSY_SNAPSHOT …) carry the primary in the low byte
		return primary == sqlite3.SQLITE_BUSY || primary == sqlite3.SQLITE_LOCKED
	}
	return false
}

// IsUniqueViolation reports whether err is a unique-constraint (or primary key)
// failure on either engine.
func IsUniqueViolation(err error) bool {
	if code, ok := pgCode(err); ok {
		return code == pgerrcode.UniqueViolation
	}
	if code, ok := sqliteCode(err); ok {
		return code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// pgCode is the SQLSTATE of a PostgreSQL error in err's chain.
func pgCode(err error) (string, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code, true
	}
	return "", false
}

// sqliteCode is the (extended) result code of a SQLite error in err's chain.
func sqliteCode(err error) (int, bool) {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code(), true
	}
	return 0, false
}
