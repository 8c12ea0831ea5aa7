package db_test

import (
	"context"
	"testing"

	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

// TestUniqueViolationByDriverCode: a duplicate key is told by the driver's code
// (SQLSTATE 23505, SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY) on the engine under
// test; another constraint failure and a plain error are not.
func TestUniqueViolationByDriverCode(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	if _, err := d.Exec(ctx, `CREATE TABLE t_unique (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO t_unique (id, code) VALUES (1, 'a')`); err != nil {
		t.Fatal(err)
	}
	_, dupCode := d.Exec(ctx, `INSERT INTO t_unique (id, code) VALUES (2, 'a')`)
	_, dupKey := d.Exec(ctx, `INSERT INTO t_unique (id, code) VALUES (1, 'b')`)
	_, notNull := d.Exec(ctx, `INSERT INTO t_unique (id, code) VALUES (3, NULL)`)
	_, syntax := d.Exec(ctx, `INSERT INTO t_unique VALUES UNIQUE`)
	for name, c := range map[string]struct {
		err  error
		want bool
	}{"duplicate code": {dupCode, true}, "duplicate primary key": {dupKey, true}, "null": {notNull, false}, "syntax": {syntax, false}} {
		if c.err == nil {
			t.Fatalf("%s: the insert succeeded", name)
		}
		if got := db.IsUniqueViolation(c.err); got != c.want {
			t.Errorf("%s on %s: IsUniqueViolation = %v, want %v (%v)", name, d.Engine, got, c.want, c.err)
		}
	}
	if db.IsUniqueViolation(nil) {
		t.Error("nil is not a violation")
	}
}
