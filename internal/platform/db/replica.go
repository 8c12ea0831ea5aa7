package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// reader runs read-only queries on a streaming-replication standby.
type reader struct {
	db     *sql.DB
	engine Engine
}

func (r *reader) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return nil, fmt.Errorf("db: write on the read replica: %.40s", q)
}
func (r *reader) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.db.QueryContext(ctx, rebind(r.engine, q), args...)
}
func (r *reader) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return r.db.QueryRowContext(ctx, rebind(r.engine, q), args...)
}

// AttachReplica connects a PostgreSQL standby that searches and reports read
// from (Reader). Writes always go to the primary.
func (d *DB) AttachReplica(ctx context.Context, url string) error {
	if d.Engine != Postgres || !(strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")) {
		return fmt.Errorf("db: a read replica needs PostgreSQL (primary and standby URLs)")
	}
	sdb, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	sdb.SetMaxOpenConns(32)
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return fmt.Errorf("db: connect replica: %w", err)
	}
	d.replica = &reader{db: sdb, engine: d.Engine}
	return nil
}

// Reader is where read-only searches and reports run: the replica when one is
// attached, else the primary. What a clerk has just written may lag a moment on
// a replica, so pages that show one's own fresh write read the primary.
func (d *DB) Reader() Querier {
	if d.replica != nil {
		return d.replica
	}
	return d
}

// Close closes the primary and any replica.
func (d *DB) Close() error {
	if d.replica != nil {
		d.replica.db.Close()
	}
	return d.DB.Close()
}
