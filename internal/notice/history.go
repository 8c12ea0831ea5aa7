package notice

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"ebazhao/internal/demo"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// historyInput draws a document as clerks issue them: mostly one-time notices,
// then fine decisions for late registrations, reminders and notices. Dates are
// relative to the day of issue, so the legal engine computes real deadlines
// and fines under the law and calendar of that day.
func historyInput(rng *rand.Rand, day civil.Date, idNo string) Input {
	roc := func(t civil.Date) string { return t.ROC() }
	items := []string{"出生登記", "死亡登記", "結婚登記", "遷入登記", "遷出登記"}
	item := items[rng.IntN(len(items))]
	r := Recipient{IDNo: idNo}
	switch p := rng.IntN(100); {
	case p < 55:
		cats := []struct{ item, need string }{{"出生登記", "出生證明書正本"}, {"補領國民身分證", "最近二年內正面脫帽半身彩色相片1張"}, {"結婚登記", "結婚證人之國民身分證影本"}, {"遷入登記", "遷入地之建物所有權狀或租約"}}
		c := cats[rng.IntN(len(cats))]
		return Input{Kind: KindOneTime, Item: c.item, Items: []string{c.need}, Recipient: r}
	case p < 75:
		event := day.AddDays(-40 - rng.IntN(200))
		return Input{Kind: KindFine, Subtype: FineLate, Item: item, EventDate: roc(event), RegistrationDate: roc(day), Recipient: r}
	case p < 90:
		event := day.AddDays(-75 - rng.IntN(120))
		return Input{Kind: KindReminder, Item: items[rng.IntN(3)], EventDate: roc(event), Delivery: DeliveryCounter, Recipient: r}
	default:
		event := day.AddDays(-1 - rng.IntN(20))
		return Input{Kind: KindNotice, Item: "死亡登記", EventDate: roc(event), Subject: "亡者" + fmt.Sprint(rng.IntN(1000)), Recipient: r}
	}
}

// GenerateHistory issues the documents of every office day of h (city rate:
// demo.CityDocumentsPerYear), each prepared by the same code as Issue — the
// legal engine computes its deadline or fine as of that day — and numbered
// gaplessly per office, kind and ROC year. One day per transaction; it resumes
// after the last generated day. Generated documents have the reason "產生" on
// their first version.
func GenerateHistory(ctx context.Context, d *db.DB, h *demo.History) error {
	s := NewService(d)
	var last string
	if err := d.QueryRow(ctx, `SELECT COALESCE(MAX(d.issued_on), '') FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.version = 1 WHERE v.reason = '產生'`).Scan(&last); err != nil {
		return err
	}
	return h.EachDay(last, 80, "documents", func(day civil.Date, rng *rand.Rand) (int, error) {
		return s.generateDay(ctx, h, day, rng)
	})
}

func (s *Service) generateDay(ctx context.Context, h *demo.History, day civil.Date, rng *rand.Rand) (int, error) {
	type row struct {
		clerk Clerk
		d     *draft
		at    time.Time
	}
	var rows []row
	for _, o := range h.Offices {
		staff := h.Staff[o.ID]
		for k := demo.Count(rng, h.PerDay(demo.CityDocumentsPerYear)); k > 0; k-- {
			st := staff[rng.IntN(len(staff))]
			c := Clerk{UserID: st.UserID, Username: st.Username, Name: st.Name, OfficeID: st.OfficeID, CounterID: st.CounterID}
			idNo, _ := h.Person(rng)
			dr, err := s.prepare(ctx, c, historyInput(rng, day, idNo), day, nil)
			if IsInputError(err) { // the drawn case is not one the law allows on that day
				dr, err = s.prepare(ctx, c, Input{Kind: KindOneTime, Item: "出生登記", Items: []string{"出生證明書正本"}, Recipient: Recipient{IDNo: idNo}}, day, nil)
			}
			if err != nil {
				return 0, fmt.Errorf("prepare %s: %w", idNo, err)
			}
			rows = append(rows, row{c, dr, demo.At(rng, day)})
		}
	}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, r := range rows {
			if _, _, err := storeIssued(ctx, tx, r.d, r.clerk, day, r.at, "產生"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(rows), nil
}
