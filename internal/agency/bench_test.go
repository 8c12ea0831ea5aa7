package agency

import (
	"context"
	"fmt"
	"testing"

	"ebazhao/internal/platform/db"
)

func benchItems(n int) []FileItem {
	items := make([]FileItem, n)
	for i := range items {
		items[i] = FileItem{Seq: int64(i + 1), ItemID: int64(1000 + i), Payload: &Payload{Format: PayloadFormat, ApplicationNo: "113西屯N加e字第000123號",
			Office: "臺中市西屯區戶政事務所", AcceptedOn: "2024-07-08", DueOn: "2024-07-15", Kind: "move", KindName: "遷徙／住址變更",
			IDNo: "A123456789", Name: "王大明", AccountNo: "07-1234-5678",
			Fields: map[string]string{"old_address": "臺中市西屯區福科路100號", "new_address": "臺中市北屯區崇德路三段1號", "event_date": "2024-07-08"}}}
	}
	return items
}

// BenchmarkRenderCSV renders a busy agency's day (2,000 rows).
func BenchmarkRenderCSV(b *testing.B) {
	items := benchItems(2000)
	for _, enc := range []string{UTF8, Big5} {
		b.Run(enc, func(b *testing.B) {
			for b.Loop() {
				if _, err := RenderCSV(enc, items); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// seedStream writes apps×agencies released items directly (bulk), the way
// three years of a city's notifications sit in the table.
func seedStream(b *testing.B, f *fixture, apps int, codes []string) []*Agency {
	ctx := context.Background()
	var ags []*Agency
	for _, c := range codes {
		ags = append(ags, f.agency(c))
	}
	payload, _ := buildPayload(&Application{RocYear: 113, OfficeDistrict: "西屯區", OfficeName: "臺中市西屯區戶政事務所", Number: 1, Kind: "move",
		SubjectIDNo: "A123456789", SubjectName: "王大明", Fields: map[string]string{"old_address": "臺中市西屯區福科路100號", "new_address": "臺中市北屯區崇德路三段1號", "event_date": "2024-07-08"}},
		ags[0], "", f.day(), f.day().AddDate(0, 0, 7))
	ts := db.FormatTime(f.now())
	err := f.d.InTx(ctx, func(tx *db.Tx) error {
		for i := 1; i <= apps; i++ {
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO agency_applications (idempotency_key, office_id, roc_year, number, kind, person_id, subject_id_no,
				subject_name, applicant_name, applicant_relation, fields, status, clerk_id, created_at, day, sent_at, sent_day)
				VALUES (?, ?, 113, ?, 'move', ?, 'A123456789', '王大明', '王大明', '本人', '{}', 'sent', ?, ?, '2024-07-08', ?, '2024-07-08') RETURNING id`,
				fmt.Sprintf("bench-key-%012d", i), f.clerk.OfficeID, i, f.person.ID, f.clerk.ID, ts, ts).Scan(&id); err != nil {
				return err
			}
			for _, a := range ags {
				acked := ""
				if i%3 != 0 {
					acked = ts // two thirds already acknowledged
				}
				if _, err := tx.Exec(ctx, `INSERT INTO agency_items (application_id, agency_id, seq, payload, released_at, released_day, due_day, acked_at, result)
					VALUES (?, ?, ?, ?, ?, '2024-07-08', '2024-07-15', ?, ?)`, id, a.ID, i, payload, ts, acked, map[bool]string{true: "applied", false: ""}[acked != ""]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// Production tables have planner statistics (autovacuum, or ANALYZE after a load).
	if _, err := f.d.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return ags
}

// BenchmarkPull pages through one agency's stream in a table of 100,000
// items (5,000 applications × 20 agencies), 100 items a page from the middle.
func BenchmarkPull(b *testing.B) {
	f := newFixture(b)
	codes := []string{"tax_taichung", "nhi_central", "bli_taichung", "cht_taichung", "mvdo_taichung", "taipower_taichung", "water4", "gas_shinchung",
		"land_zhongshan", "ntbca", "welfare_taichung", "tax_minquan", "tax_wenxin", "land_dali", "water4_dali", "taipower_dali", "ntbca_datun",
		"mvdo_fengyuan", "gas_shinlin", "ltc_taichung"}
	ags := seedStream(b, f, 5000, codes)
	a := ags[0]
	for _, pending := range []bool{false, true} {
		b.Run(fmt.Sprintf("pending=%v", pending), func(b *testing.B) {
			after := int64(2500)
			for b.Loop() {
				res, err := f.s.Pull(f.ctx, a, 1, "bench", after, 100, pending)
				if err != nil || len(res.Items) == 0 {
					b.Fatal(err, len(res.Items))
				}
			}
		})
	}
	// A month later a third of the table (33,000 items) is overdue; the
	// supervisor's list shows the oldest 100.
	f.setClock(f.now().AddDate(0, 1, 0))
	b.Run("overdue", func(b *testing.B) {
		for b.Loop() {
			if list, err := f.s.Overdue(f.ctx, f.clerk.OfficeID, 100); err != nil || len(list) != 100 {
				b.Fatal(err, len(list))
			}
		}
	})
	b.Run("stats-month-by-agency", func(b *testing.B) {
		for b.Loop() {
			rows, total, err := f.s.Stats(f.ctx, StatsFilter{From: f.day().AddDate(0, -1, -1), To: f.day(), GroupBy: "agency"})
			if err != nil || len(rows) != 20 || total.Items != 100000 {
				b.Fatal(err, len(rows), total.Items)
			}
		}
	})
}

// BenchmarkCreateAndSend is one counter visit: a move to three agencies,
// created and sent (two transactions, audit entries, gapless numbers).
func BenchmarkCreateAndSend(b *testing.B) {
	f := newFixture(b)
	i := 0
	for b.Loop() {
		i++
		in := f.moveTo(fmt.Sprintf("臺中市北屯區崇德路三段%d號", i), "tax_taichung", "nhi_central", "taipower_taichung")
		app, _, err := f.s.Create(f.ctx, f.clerk, 0, "", in)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.s.Send(f.ctx, f.clerk, "", app.ID); err != nil {
			b.Fatal(err)
		}
	}
}
