package main

import (
	"context"
	"os"
	"strings"

	"ebazhao/internal/app"
	"ebazhao/internal/archive"
	"ebazhao/internal/office"
)

// archiveCmd runs `ebazhao archive import|generate|verify` (see archive.Command)
// on the database chosen by --data/--db, which may appear anywhere in args.
func archiveCmd(ctx context.Context, args []string) error {
	c := app.Config{DataDir: app.DefaultDataDir(), DBURL: os.Getenv("EBAZHAO_DB")}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "data" || name == "db") {
			if !hasVal && i+1 < len(args) {
				i++
				val = args[i]
			}
			if name == "data" {
				c.DataDir = val
			} else {
				c.DBURL = val
			}
			continue
		}
		rest = append(rest, a)
	}
	d, err := app.OpenDB(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := (&office.Store{DB: d}).SeedTaichung(ctx); err != nil { // a fresh database has no offices yet
		return err
	}
	return archive.Command(ctx, d, c.DataDir, rest, os.Stdout, os.Stderr)
}
