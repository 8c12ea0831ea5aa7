package app

import (
	"context"
	"path/filepath"
	"time"

	"ebazhao/internal/migrations"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
)

// Migrations returns every embedded schema migration.
func Migrations() ([]db.Migration, error) { return migrations.All() }

// RunBackups takes a backup every Config.BackupEvery (first one shortly after
// start if none was taken in the last interval) and keeps the newest BackupKeep
// (作業規範 肆.三: 每日異動資料由系統自動執行備份).
func (a *App) RunBackups(ctx context.Context) {
	every := a.Config.BackupEvery
	if every <= 0 {
		return
	}
	dir := a.Config.Backups()
	pattern := "ebazhao-*." + map[db.Engine]string{db.SQLite: "db", db.Postgres: "pgdump"}[a.DB.Engine]
	var last time.Time
	if files, _ := filepath.Glob(filepath.Join(dir, pattern)); len(files) > 0 {
		last, _ = time.Parse("20060102T150405Z", trimBackupName(filepath.Base(files[len(files)-1])))
	}
	a.runPeriodically(ctx, every, last, func() error {
		file := filepath.Join(dir, db.BackupName(a.DB.Engine, a.DB.Now()))
		start := clock.Start()
		if err := a.DB.Backup(ctx, file); err != nil {
			a.Log.Error("automatic backup failed", "file", file, "err", err)
			return err
		}
		if err := db.RotateBackups(dir, pattern, a.Config.BackupKeep); err != nil {
			a.Log.Error("backup rotation failed", "err", err)
		}
		a.Log.Info("automatic backup written", "file", file, "seconds", start.Elapsed().Seconds())
		return nil
	})
}

// runPeriodically runs job every period until ctx ends: first a minute after
// start, or a period after last (the previous run, written on the same clock)
// if that is later; a failed run is tried again after an hour, not a period.
func (a *App) runPeriodically(ctx context.Context, every time.Duration, last time.Time, job func() error) {
	wait := time.Minute
	if !last.IsZero() {
		wait = max(wait, last.Add(every).Sub(a.DB.Now()))
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		if err := job(); err != nil {
			timer.Reset(time.Hour) // retry sooner than a day
			continue
		}
		timer.Reset(every)
	}
}

func trimBackupName(name string) string {
	const prefix = "ebazhao-"
	if len(name) < len(prefix)+16 {
		return ""
	}
	return name[len(prefix) : len(prefix)+16]
}
