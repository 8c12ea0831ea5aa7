package app

import (
	"context"
	"fmt"
	"io"

	"ebazhao/internal/agency"
	"ebazhao/internal/archive"
	"ebazhao/internal/demo"
	"ebazhao/internal/notice"
	"ebazhao/internal/rating"
	"ebazhao/internal/seal"
)

// SeedDemo seeds the demo accounts and people, then each subsystem's demo data
// (documents, seal registrations, archived applications, agency history). Every
// step is idempotent. What a demo user needs to know is written to out.
func (a *App) SeedDemo(ctx context.Context, password string, people int, out io.Writer) error {
	created, err := demo.Seed(ctx, a.DB, password, people)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n  Demo accounts: clerk, supervisor, scanner, cashier, admin (西屯區) and clerk2 (北屯區), password %q", password)
	if len(created) > 0 {
		fmt.Fprintf(out, " (created now: %v)", created)
	}
	fmt.Fprintln(out)
	if err := notice.SeedDemo(ctx, a.DB); err != nil {
		return fmt.Errorf("demo documents: %w", err)
	}
	if err := seal.SeedDemo(ctx, a.DB, a.Config.DataDir); err != nil {
		return fmt.Errorf("demo seals: %w", err)
	}
	if err := archive.SeedDemo(ctx, a.DB, a.Config.DataDir); err != nil {
		return fmt.Errorf("demo archive: %w", err)
	}
	if err := rating.SeedDemo(ctx, a.DB, "xitun", a.DB.Now()); err != nil {
		return fmt.Errorf("demo ratings: %w", err)
	}
	info, err := agency.SeedDemo(ctx, a.DB, a.Config.DataDir)
	if err != nil {
		return fmt.Errorf("demo agencies: %w", err)
	}
	fmt.Fprintf(out, "  N加e demo: agency API tokens %v; SFTP user %s, key %s\n", info.Tokens, info.SFTPUser, info.SFTPKey)
	fmt.Fprintf(out, "  Seal demo: sample application imprints in %s/demo/seal/\n", a.Config.DataDir)
	return nil
}
