package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"ebazhao/internal/archive"
	"ebazhao/internal/demo"
	"ebazhao/internal/fee"
	"ebazhao/internal/notice"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/rating"
	"ebazhao/internal/seal"
)

// ScaleOptions sizes generated data (ebazhao demo --scale).
type ScaleOptions struct {
	People      int      // persons in the register
	Years       int      // years of history: receipts, documents, ratings
	ArchiveDocs int      // archived applications in the archive index
	Only        []string // steps to run; empty: all (people, receipts, documents, seals, ratings, archive)
	Today       civil.Date
	Log         io.Writer
}

// ScaleSteps are the generator's steps in the order they run.
var ScaleSteps = []string{"people", "receipts", "documents", "seals", "ratings", "archive"}

// GenerateScale fills the database with a city's or the nation's data, each
// subsystem through its own generator. Every step resumes where an earlier,
// interrupted run stopped, so running it again completes the data.
func (a *App) GenerateScale(ctx context.Context, o ScaleOptions) error {
	want := map[string]bool{}
	for _, s := range o.Only {
		want[s] = true
	}
	run := func(step string) bool { return len(want) == 0 || want[step] }
	timed := func(step string, f func() error) error {
		if !run(step) {
			return nil
		}
		start := clock.Start()
		if err := f(); err != nil {
			return fmt.Errorf("%s: %w", step, err)
		}
		fmt.Fprintf(o.Log, "== %s generated in %s\n", step, start.Elapsed().Round(time.Second))
		return nil
	}
	if err := timed("people", func() error { return demo.GeneratePeople(ctx, a.DB, o.People, o.Log) }); err != nil {
		return err
	}
	h, err := demo.NewHistory(ctx, a.DB, o.People, o.Years, o.Today, o.Log)
	if err != nil {
		return err
	}
	steps := []struct {
		name string
		f    func() error
	}{
		{"receipts", func() error { return fee.GenerateHistory(ctx, a.DB, h) }},
		{"documents", func() error { return notice.GenerateHistory(ctx, a.DB, h) }},
		{"seals", func() error {
			return seal.GenerateHistory(ctx, a.DB, blob.Default(a.Config.DataDir), a.Config.DataDir, h)
		}},
		{"ratings", func() error { return rating.GenerateHistory(ctx, a.DB, h) }},
		{"archive", func() error {
			var have int
			if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM archive_docs`).Scan(&have); err != nil {
				return err
			}
			if have >= o.ArchiveDocs {
				return nil
			}
			g := &archive.Generator{DB: a.DB, Blobs: blob.Default(a.Config.DataDir), Docs: o.ArchiveDocs - have, Seed: uint64(have) + 1,
				Progress: func(done int) { fmt.Fprintf(o.Log, "archive: %d/%d documents\n", have+done, o.ArchiveDocs) }}
			_, err := g.Run(ctx)
			return err
		}},
	}
	for _, s := range steps {
		if err := timed(s.name, s.f); err != nil {
			return err
		}
	}
	return nil
}
