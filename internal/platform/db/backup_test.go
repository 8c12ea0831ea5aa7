package db_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"ebazhao/internal/migrations"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func openMigrated(t *testing.T, url, dir string) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, url, dir)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations.All()
	if _, err := d.Migrate(ctx, ms); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	url, dir := dbtest.URL(t)
	d := openMigrated(t, url, dir)
	if _, err := d.Exec(ctx, `INSERT INTO offices (code, name, city, district, created_at, updated_at) VALUES ('t1', '測試戶所', '臺中市', '中區', 'x', 'x')`); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if err := audit.Record(ctx, d, audit.Entry{Username: "u", Action: "before-backup"}); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "b", "backup.bin")
	if err := d.Backup(ctx, file); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file + ".partial"); !os.IsNotExist(err) {
		t.Fatal("partial backup file left behind")
	}
	// Changes after the backup …
	if _, err := d.Exec(ctx, `UPDATE offices SET name = '改過' WHERE code = 't1'`); err != nil {
		t.Fatal(err)
	}
	audit.Record(ctx, d, audit.Entry{Username: "u", Action: "after-backup"})
	d.Close()
	// … are undone by the restore.
	if err := db.Restore(ctx, url, dir, file); err != nil {
		t.Fatal(err)
	}
	d = openMigrated(t, url, dir)
	defer d.Close()
	var name string
	if err := d.QueryRow(ctx, `SELECT name FROM offices WHERE code = 't1'`).Scan(&name); err != nil || name != "測試戶所" {
		t.Fatalf("restored name = %q, %v", name, err)
	}
	n, p, err := audit.Verify(ctx, d)
	if err != nil || p != nil || n != 5 {
		t.Fatalf("restored audit chain: %d entries, %v, %v", n, p, err)
	}
}

func TestRestoreRejectsGarbage(t *testing.T) {
	if dbtest.Engine() != db.SQLite {
		t.Log("garbage check is SQLite-specific; PostgreSQL's pg_restore rejects it itself")
	}
	ctx := context.Background()
	dir := t.TempDir()
	d := openMigrated(t, "", dir)
	d.Exec(ctx, `INSERT INTO offices (code, name, city, district, created_at, updated_at) VALUES ('keep', '保留', '臺中市', '中區', 'x', 'x')`)
	d.Close()
	bad := filepath.Join(t.TempDir(), "bad.db")
	os.WriteFile(bad, []byte("not a database"), 0o600)
	if err := db.Restore(ctx, "", dir, bad); err == nil {
		t.Fatal("garbage restored")
	}
	d = openMigrated(t, "", dir)
	defer d.Close()
	var n int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM offices WHERE code = 'keep'`).Scan(&n)
	if n != 1 {
		t.Fatal("a failed restore damaged the current database")
	}
}

func TestRebindAndMigrationsIdempotent(t *testing.T) {
	d := dbtest.New(t)
	ms, _ := migrations.All()
	applied, err := d.Migrate(context.Background(), ms)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second migrate applied %v, %v", applied, err)
	}
}
