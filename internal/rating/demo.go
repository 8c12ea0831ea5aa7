package rating

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// SeedDemo records thirty days of rated transactions at the demo office's
// counters, so the statistics and charts have something to show. Idempotent:
// it does nothing when demo windows exist.
func SeedDemo(ctx context.Context, d *db.DB, officeCode string, now time.Time) error {
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM rating_windows WHERE trigger_id LIKE 'demo-%'`).Scan(&n); err != nil || n > 0 {
		return err
	}
	var officeID int64
	if err := d.QueryRow(ctx, `SELECT id FROM offices WHERE code = ?`, officeCode).Scan(&officeID); err != nil {
		return err
	}
	var counters, clerks []int64
	rows, err := d.Query(ctx, `SELECT id FROM counters WHERE office_id = ? AND kind = 'counter' ORDER BY number LIMIT 4`, officeID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		counters = append(counters, id)
	}
	rows.Close()
	rows, err = d.Query(ctx, `SELECT id FROM users WHERE office_id = ? AND role IN ('clerk', 'supervisor') ORDER BY id`, officeID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		clerks = append(clerks, id)
	}
	rows.Close()
	if len(counters) == 0 || len(clerks) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	// Mostly satisfied citizens, a few unhappy ones; about 80 % press a button.
	weights := []int{0, 2, 4, 10, 34, 50} // index = level
	pick := func() int {
		x := rng.IntN(100)
		for l := 5; l >= 1; l-- {
			if x < weights[l] {
				return l
			}
			x -= weights[l]
		}
		return 5
	}
	return d.InTx(ctx, func(tx *db.Tx) error {
		seq := 0
		for day := 29; day >= 1; day-- {
			date := civil.Of(now).AddDays(-day)
			if wd := date.Weekday(); wd == time.Saturday || wd == time.Sunday {
				continue
			}
			for i := 0; i < 8+rng.IntN(10); i++ {
				seq++
				at := date.Start().Add(time.Duration(9+rng.IntN(8))*time.Hour + time.Duration(rng.IntN(60))*time.Minute)
				counter, clerk := counters[rng.IntN(len(counters))], clerks[rng.IntN(len(clerks))]
				kind := TriggerReceipt
				if rng.IntN(4) == 0 {
					kind = TriggerNotice
				}
				status := "expired"
				rated := rng.IntN(10) < 8
				if rated {
					status = "rated"
				}
				var wid int64
				if err := tx.QueryRow(ctx, `INSERT INTO rating_windows (office_id, counter_id, clerk_id, trigger_kind, trigger_id, opened_at, day, expires_at, status)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, officeID, counter, clerk, kind, fmt.Sprintf("demo-%d", seq),
					db.FormatTime(at), date, db.FormatTime(at.Add(30*time.Second)), status).Scan(&wid); err != nil {
					return err
				}
				if !rated {
					continue
				}
				if _, err := tx.Exec(ctx, `INSERT INTO ratings (window_id, office_id, counter_id, clerk_id, trigger_kind, level, rated_at, day)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, wid, officeID, counter, clerk, kind, pick(), db.FormatTime(at.Add(8*time.Second)), date); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
