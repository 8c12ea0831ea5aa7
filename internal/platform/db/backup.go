package db

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Backup writes a consistent online copy of the database to file: SQLite's
// VACUUM INTO (a transactionally consistent, compacted copy) or pg_dump's custom
// format. The copy is written beside file and renamed into place, so a crash never
// leaves a half-written backup under the final name.
func (d *DB) Backup(ctx context.Context, file string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp := file + ".partial"
	os.Remove(tmp)
	switch d.Engine {
	case SQLite:
		if _, err := d.DB.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
			return fmt.Errorf("backup: vacuum into %s: %w", tmp, err)
		}
		if err := checkSQLiteFile(ctx, tmp); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("backup: copy failed its integrity check: %w", err)
		}
	case Postgres:
		cmd := exec.CommandContext(ctx, PGTool("pg_dump"), "--format=custom", "--no-owner", "--file", tmp, d.URL)
		if out, err := cmd.CombinedOutput(); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("backup: pg_dump: %w: %s", err, strings.TrimSpace(string(out)))
		}
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, file); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// Restore replaces the database's contents with a backup made by Backup. For
// SQLite the server must be stopped; the current file is kept as .before-restore.
func Restore(ctx context.Context, url, dataDir, file string) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if url == "" || strings.HasPrefix(url, "sqlite:") || strings.HasPrefix(url, "file:") {
		if err := checkSQLiteFile(ctx, file); err != nil {
			return fmt.Errorf("restore: %s is not a sound ebazhao SQLite backup: %w", file, err)
		}
		dst := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "file:")
		if dst == "" {
			dst = filepath.Join(dataDir, SQLiteFile)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		tmp := dst + ".restoring"
		if err := copyFile(file, tmp); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if _, err := os.Stat(dst); err == nil {
			if err := os.Rename(dst, dst+".before-restore"); err != nil {
				return fmt.Errorf("restore: keep current database: %w", err)
			}
		}
		os.Remove(dst + "-wal")
		os.Remove(dst + "-shm")
		return os.Rename(tmp, dst)
	}
	cmd := exec.CommandContext(ctx, PGTool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", url, file)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("restore: pg_restore: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// PGTool finds a PostgreSQL client program: on PATH, else in Debian's versioned folder.
func PGTool(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	sort.Strings(matches)
	if len(matches) > 0 {
		return matches[len(matches)-1]
	}
	return name
}

// RotateBackups keeps the newest keep files matching pattern in dir.
func RotateBackups(dir, pattern string, keep int) error {
	files, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return err
	}
	sort.Strings(files) // names carry a sortable timestamp
	for i := 0; i < len(files)-keep; i++ {
		if err := os.Remove(files[i]); err != nil {
			return err
		}
	}
	return nil
}

// BackupName is the file name for a backup taken at t.
func BackupName(e Engine, t time.Time) string {
	ext := "db"
	if e == Postgres {
		ext = "pgdump"
	}
	return "ebazhao-" + t.UTC().Format("20060102T150405Z") + "." + ext
}

func checkSQLiteFile(ctx context.Context, path string) error {
	sdb, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer sdb.Close()
	var res string
	if err := sdb.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity_check: %s", res)
	}
	var n int
	if err := sdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		return fmt.Errorf("no schema_migrations table: %w", err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, in); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
