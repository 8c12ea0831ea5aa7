package app

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
)

// RunAuditCheckpoints anchors the audit trail outside the database: every
// Config.AuditCheckpointEvery (first shortly after start unless one was written
// within the interval) it writes a signed checkpoint to the backup folder and
// logs it (see audit.Checkpoint). A checkpoint written while the database can
// still be trusted lets `ebazhao audit verify --checkpoint FILE` detect later
// truncation or rewriting of everything up to it.
func (a *App) RunAuditCheckpoints(ctx context.Context) {
	every := a.Config.AuditCheckpointEvery
	if every <= 0 {
		return
	}
	dir := a.Config.Backups()
	var last time.Time
	if files, _ := audit.Checkpoints(dir); len(files) > 0 {
		name := strings.TrimPrefix(filepath.Base(files[len(files)-1]), audit.CheckpointPrefix)
		last, _ = time.Parse("20060102T150405Z", strings.TrimSuffix(name, audit.CheckpointExt))
	}
	a.runPeriodically(ctx, every, last, func() error {
		_, _, err := WriteAuditCheckpoint(ctx, a.DB, dir, a.Log)
		if err != nil {
			a.Log.Error("audit checkpoint failed", "dir", dir, "err", err)
		}
		return err
	})
}

// WriteAuditCheckpoint signs the audit trail's head and writes it to dir as
// audit-checkpoint-YYYYMMDDTHHMMSSZ.json, with a log line carrying every field
// (so the log, kept elsewhere, holds a copy). First it checks that the chain
// still contains the newest checkpoint already in dir; when it does not, that
// is logged as an error and the new checkpoint is written all the same: the
// older file keeps the evidence, and anchoring goes on (a restored backup
// legitimately ends before checkpoints taken after it).
func WriteAuditCheckpoint(ctx context.Context, d *db.DB, dir string, log *slog.Logger) (string, audit.Checkpoint, error) {
	if files, _ := audit.Checkpoints(dir); len(files) > 0 {
		prev := files[len(files)-1]
		if err := checkPrevious(ctx, d, prev); err != nil {
			log.Error("audit trail: the previous checkpoint does not match the chain; run ebazhao audit verify --checkpoint", "file", prev, "err", err)
		}
	}
	c, err := audit.TakeCheckpoint(ctx, d)
	if err != nil {
		return "", c, err
	}
	file := filepath.Join(dir, audit.CheckpointName(c.Time()))
	if err := audit.WriteCheckpoint(file, c); err != nil {
		return "", c, err
	}
	log.Info("audit checkpoint written", "file", file, "entries", c.Entries, "head_hash", c.HeadHash, "keyed_from", c.KeyedFrom,
		"at", c.At, "public_key", c.PublicKey, "signature", c.Signature)
	return file, c, nil
}

// checkPrevious checks a checkpoint's signature and that the chain still holds
// its head: one row read, not a walk of the chain.
func checkPrevious(ctx context.Context, d *db.DB, file string) error {
	c, err := audit.ReadCheckpoint(file)
	if err != nil {
		return err
	}
	pub, err := audit.PublicKey(d)
	if err != nil {
		return err
	}
	if err := c.CheckSignature(pub); err != nil {
		return err
	}
	p, err := audit.Contains(ctx, d, c)
	if err != nil {
		return err
	}
	if p != nil {
		return fmt.Errorf("audit entry %d: %s", p.Seq, p.Reason)
	}
	return nil
}
