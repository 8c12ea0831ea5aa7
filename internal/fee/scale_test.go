package fee

import (
	"flag"
	"fmt"
	"testing"
	"time"

	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
)

// go test ./internal/fee -run '^$' -bench Scale -args -fee.scale=1100000
// measures the settlement and the summaries over a city's year of receipts
// (Taichung: about 1.1 million) spread over 29 offices and the working days.
var scale = flag.Int("fee.scale", 50000, "receipts generated for the scale benchmarks")

// seedYear writes n receipts of ROC year 115 directly (no audit, no numbering
// service) and returns the office ids and one busy day.
func seedYear(b *testing.B, e *env, n int) ([]int64, civil.Date) {
	b.Helper()
	offices := []int64{e.office.ID, e.other.ID}
	for i := len(offices); i < 29; i++ {
		var id int64
		now := db.FormatTime(e.d.Now())
		if err := e.d.QueryRow(e.ctx, `INSERT INTO offices (code, name, city, district, created_at, updated_at) VALUES (?, ?, '臺中市', ?, ?, ?) RETURNING id`,
			fmt.Sprintf("o%02d", i), fmt.Sprintf("第%d戶政事務所", i), fmt.Sprint(i), now, now).Scan(&id); err != nil {
			b.Fatal(err)
		}
		offices = append(offices, id)
	}
	v, err := e.svc.VersionOn(e.ctx, civil.New(2026, 1, 2))
	if err != nil {
		b.Fatal(err)
	}
	t1, _ := v.Find("戶籍謄本")
	t2, _ := v.Find("國民身分證換領")
	clerk := e.users["clerk"].ID
	var days []civil.Date // the working days of the year so far (the test clock is 115.11.25)
	for d := civil.New(2026, 1, 2); d.Before(e.svc.today()); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			days = append(days, d)
		}
	}
	numbers := map[int64]int64{}
	const batch = 5000
	for start := 0; start < n; start += batch {
		err := e.d.InTx(e.ctx, func(tx *db.Tx) error {
			for k := start; k < min(start+batch, n); k++ {
				office := offices[k%len(offices)]
				day := days[(k/len(offices))*len(days)/(n/len(offices)+1)]
				numbers[office]++
				status := "issued"
				if k%97 == 0 {
					status = "voided"
				}
				var id int64
				if err := tx.QueryRow(e.ctx, `INSERT INTO fee_receipts (office_id, roc_year, number, receipt_date, clerk_id, clerk_name, version_id, payment,
					total, status, copies, created_at) VALUES (?, 115, ?, ?, ?, '王小明', ?, ?, 95, ?, 1, ?) RETURNING id`,
					office, numbers[office], day.ISO(), clerk, v.ID, Payments[k%4].Code, status, db.FormatTime(day.Midnight())).Scan(&id); err != nil {
					return err
				}
				if _, err := tx.Exec(e.ctx, `INSERT INTO fee_receipt_lines (receipt_id, line_no, item_id, code, item, measure, qty, unit, amount)
					VALUES (?, 1, ?, ?, ?, '張', 3, 15, 45), (?, 2, ?, ?, ?, '張', 1, 50, 50)`,
					id, t1.ID, t1.Code, t1.Name, id, t2.ID, t2.Code, t2.Name); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	// The cashiers' days: every past day is closed, as in a working office.
	if _, err := e.d.Exec(e.ctx, `INSERT INTO fee_days (office_id, day, changes) SELECT office_id, receipt_date, COUNT(*) FROM fee_receipts GROUP BY office_id, receipt_date`); err != nil {
		b.Fatal(err)
	}
	admin := e.user("cityadmin", "機房", auth.Admin, e.office.ID)
	today := e.svc.today()
	closed := 0
	for _, day := range days {
		if !day.Before(today) {
			break
		}
		for _, office := range offices {
			rep, err := e.svc.Day(e.ctx, office, day, 0)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := e.svc.Close(e.ctx, admin, "seed", office, day, rep.Receipts, rep.Total); err != nil {
				b.Fatal(err)
			}
			closed++
		}
	}
	b.Logf("%d office-days closed", closed)
	for office, last := range numbers {
		if _, err := e.d.Exec(e.ctx, `INSERT INTO sequences (scope, last) VALUES (?, ?)`, fmt.Sprintf("receipt/%d/115", office), last); err != nil {
			b.Fatal(err)
		}
	}
	return offices, days[len(days)/2]
}

func BenchmarkScale(b *testing.B) {
	e := newEnv(b)
	start := clock.Start()
	offices, day := seedYear(b, e, *scale)
	b.Logf("%d receipts generated in %s (%s)", *scale, start.Elapsed().Round(time.Millisecond), e.d.Engine)
	b.Run("DayReport", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := e.svc.Day(e.ctx, offices[i%len(offices)], day, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ListDay", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := e.svc.List(e.ctx, ListFilter{OfficeID: offices[i%len(offices)], Day: day}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("MonthOffice", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := e.svc.Summary(e.ctx, offices[i%len(offices)], 115, 6); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("YearOffice", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := e.svc.Summary(e.ctx, offices[i%len(offices)], 115, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("YearCity", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sm, err := e.svc.Summary(e.ctx, 0, 115, 0)
			if err != nil {
				b.Fatal(err)
			}
			if sm.Receipts+sm.Voids != *scale {
				b.Fatalf("city year: %d receipts and %d voids, %d generated", sm.Receipts, sm.Voids, *scale)
			}
		}
	})
	b.Run("IssueAtScale", func(b *testing.B) {
		c := e.clerk("clerk", 1)
		for i := 0; i < b.N; i++ {
			req := IssueRequest{Items: items("戶籍謄本", 2), IdempotencyKey: fmt.Sprintf("scale-%d-%d", b.N, i)}
			if _, _, err := e.svc.Issue(e.ctx, c, req); err != nil {
				b.Fatal(err)
			}
		}
	})
}
