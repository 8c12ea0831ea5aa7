package rating

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"ebazhao/internal/demo"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// GenerateHistory opens a rating window for every visit of every office day
// of h (city rate: demo.CityVisitsPerDay) and records the citizens' presses:
// about 6 in 10 rate, mostly satisfied; a rating of 1 or 2 raises an alarm
// that a supervisor acknowledged. Window trigger ids are "gen-…"; one day per
// transaction, resuming after the last generated day.
func GenerateHistory(ctx context.Context, d *db.DB, h *demo.History) error {
	var last string
	if err := d.QueryRow(ctx, `SELECT COALESCE(MAX(day), '') FROM rating_windows WHERE trigger_id LIKE 'gen-%'`).Scan(&last); err != nil {
		return err
	}
	weights := []int{0, 2, 4, 10, 34, 50} // index = level
	return h.EachDay(last, 7250, "rating windows", func(day civil.Date, rng *rand.Rand) (int, error) {
		iso, made := day.ISO(), 0
		err := d.InTx(ctx, func(tx *db.Tx) error {
			made = 0
			for _, o := range h.Offices {
				staff := h.Staff[o.ID]
				visits := demo.Count(rng, float64(demo.CityVisitsPerDay)*h.Factor/float64(len(h.Offices)))
				type win struct {
					s     demo.Staff
					kind  string
					at    time.Time
					level int
				}
				wins := make([]win, visits)
				for k := range wins {
					w := win{s: staff[rng.IntN(len(staff))], kind: TriggerReceipt, at: demo.At(rng, day)}
					if rng.IntN(4) == 0 {
						w.kind = TriggerNotice
					}
					if rng.IntN(10) < 6 {
						x := rng.IntN(100)
						for l := 5; l >= 1; l-- {
							if x < weights[l] {
								w.level = l
								break
							}
							x -= weights[l]
						}
					}
					wins[k] = w
				}
				for lo := 0; lo < len(wins); lo += 500 {
					part := wins[lo:min(lo+500, len(wins))]
					var sb strings.Builder
					var args []any
					sb.WriteString(`INSERT INTO rating_windows (office_id, counter_id, clerk_id, trigger_kind, trigger_id, opened_at, day, expires_at, status) VALUES `)
					for i, w := range part {
						if i > 0 {
							sb.WriteByte(',')
						}
						status := "expired"
						if w.level > 0 {
							status = "rated"
						}
						sb.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?, ?)`)
						args = append(args, o.ID, w.s.CounterID, w.s.UserID, w.kind, fmt.Sprintf("gen-%d-%s-%d", o.ID, iso, lo+i),
							db.FormatTime(w.at), iso, db.FormatTime(w.at.Add(30*time.Second)), status)
					}
					sb.WriteString(` RETURNING id, trigger_id`)
					rows, err := tx.Query(ctx, sb.String(), args...)
					if err != nil {
						return err
					}
					ids := map[string]int64{}
					for rows.Next() {
						var id int64
						var trig string
						if err := rows.Scan(&id, &trig); err != nil {
							rows.Close()
							return err
						}
						ids[trig] = id
					}
					rows.Close()
					if err := rows.Err(); err != nil {
						return err
					}
					var rb strings.Builder
					var rargs []any
					low := map[int64]time.Time{} // window → when an unhappy rating was pressed
					for i, w := range part {
						if w.level == 0 {
							continue
						}
						wid := ids[fmt.Sprintf("gen-%d-%s-%d", o.ID, iso, lo+i)]
						if len(rargs) > 0 {
							rb.WriteByte(',')
						}
						rb.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?)`)
						rargs = append(rargs, wid, o.ID, w.s.CounterID, w.s.UserID, w.kind, w.level, db.FormatTime(w.at.Add(8*time.Second)), iso)
						if w.level <= 2 {
							low[wid] = w.at.Add(8 * time.Second)
						}
					}
					if len(rargs) == 0 {
						made += len(part)
						continue
					}
					rrows, err := tx.Query(ctx, `INSERT INTO ratings (window_id, office_id, counter_id, clerk_id, trigger_kind, level, rated_at, day) VALUES `+rb.String()+` RETURNING id, window_id`, rargs...)
					if err != nil {
						return err
					}
					alerts := map[int64]time.Time{}
					for rrows.Next() {
						var rid, wid int64
						if err := rrows.Scan(&rid, &wid); err != nil {
							rrows.Close()
							return err
						}
						if at, ok := low[wid]; ok {
							alerts[rid] = at
						}
					}
					rrows.Close()
					if err := rrows.Err(); err != nil {
						return err
					}
					for rid, at := range alerts {
						if _, err := tx.Exec(ctx, `INSERT INTO rating_alerts (rating_id, office_id, created_at, acked_at, action_note) VALUES (?, ?, ?, ?, ?)`,
							rid, o.ID, db.FormatTime(at), db.FormatTime(at.Add(40*time.Minute)), "已向民眾致意並了解原因"); err != nil {
							return err
						}
					}
					made += len(part)
				}
			}
			return nil
		})
		return made, err
	})
}
