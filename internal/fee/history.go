package fee

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"ebazhao/internal/demo"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/seqno"
)

// historyMix is what a generated receipt buys: weighted applications, priced by
// the schedule version in force on the receipt's day.
var historyMix = []struct {
	weight int
	items  []QuoteItem
}{
	{40, []QuoteItem{{Item: "戶籍謄本", Qty: ptr(2)}}},
	{12, []QuoteItem{{Item: "戶籍謄本", Qty: ptr(1)}, {Item: "印鑑證明", Qty: ptr(2)}}},
	{10, []QuoteItem{{Item: "印鑑證明", Qty: ptr(1)}}},
	{8, []QuoteItem{{Item: "國民身分證換領"}}},
	{5, []QuoteItem{{Item: "國民身分證補領"}}},
	{5, []QuoteItem{{Item: "國民身分證初領"}, {Item: "戶口名簿(換領)"}}},
	{6, []QuoteItem{{Item: "英文戶籍謄本", Qty: ptr(2)}}},
	{5, []QuoteItem{{Item: "印鑑登記(申請)"}, {Item: "戶籍謄本", Qty: ptr(3)}}},
	{4, []QuoteItem{{Item: "戶口名簿(補領)"}}},
	{3, []QuoteItem{{Item: "閱覽戶籍資料", Qty: ptr(1)}}},
	{2, []QuoteItem{{Item: "戶籍檔案原始資料影本(檔存申請書影本)", Qty: ptr(4)}}},
}

func ptr(n int) *int { return &n }

// GenerateHistory writes the receipts of every office day of h (city rate:
// demo.CityReceiptsPerYear scaled to h's size), each numbered gaplessly per
// office and ROC year as Issue would, with its lines and its printed original,
// about 1 in 300 voided, and closes every generated day with its settlement as
// a cashier would. It resumes after the last generated day, one day per
// transaction, so an interrupted run continues where it stopped.
// Generated receipts carry the idempotency key "gen:…".
func GenerateHistory(ctx context.Context, d *db.DB, h *demo.History) error {
	svc := NewService(d, nil)
	sched, err := svc.Schedule(ctx)
	if err != nil {
		return err
	}
	var last string
	if err := d.QueryRow(ctx, `SELECT COALESCE(MAX(receipt_date), '') FROM fee_receipts WHERE idem_key LIKE 'gen:%'`).Scan(&last); err != nil {
		return err
	}
	total := 0
	for _, w := range historyMix {
		total += w.weight
	}
	return h.EachDay(last, 1100, "receipts", func(day civil.Date, rng *rand.Rand) (int, error) {
		return generateReceiptDay(ctx, d, h, sched, day, rng, total)
	})
}

func generateReceiptDay(ctx context.Context, d *db.DB, h *demo.History, sched *Schedule, day civil.Date, rng *rand.Rand, mixTotal int) (int, error) {
	iso := day.ISO()
	year := day.ROCYear()
	made := 0
	err := d.InTx(ctx, func(tx *db.Tx) error {
		for _, o := range h.Offices {
			count := demo.Count(rng, h.PerDay(demo.CityReceiptsPerYear))
			if count == 0 {
				continue
			}
			staff := h.Staff[o.ID]
			first, err := seqno.Peek(ctx, tx, seqno.Scope("receipt", o.ID, year))
			if err != nil {
				return err
			}
			type line struct {
				rec int
				l   Line
			}
			var vals [][]any // one receipt's columns each
			var lines []line
			var voided []int
			for k := 0; k < count; k++ {
				pick := rng.IntN(mixTotal)
				var items []QuoteItem
				for _, m := range historyMix {
					if pick < m.weight {
						items = m.items
						break
					}
					pick -= m.weight
				}
				q, err := sched.Quote(day, items)
				if err != nil {
					return err
				}
				s := staff[rng.IntN(len(staff))]
				at := demo.At(rng, day)
				status, reason, voidedAt, voidedBy := "issued", "", "", any(nil)
				if rng.IntN(300) == 0 {
					status, reason, voidedAt, voidedBy = "voided", "金額誤植，重新開立", db.FormatTime(at.Add(10*time.Minute)), s.UserID
					voided = append(voided, k)
				}
				_, payer := h.Person(rng)
				vals = append(vals, []any{o.ID, year, first + int64(k) + 1, iso, s.CounterID, s.UserID, s.Name, q.Version.ID, Payments[weightedPayment(rng)].Code, q.Total,
					payer, fmt.Sprintf("gen:%d:%s:%d", o.ID, iso, k), status, reason, voidedAt, voidedBy, db.FormatTime(at)})
				for _, l := range q.Lines {
					lines = append(lines, line{k, l})
				}
			}
			type rec struct {
				id, clerk int64
				at        string
				voided    bool
			}
			var ids []rec
			// 500 receipts per statement keeps under every engine's parameter limit.
			for lo := 0; lo < len(vals); lo += 500 {
				var sb strings.Builder
				var args []any
				sb.WriteString(`INSERT INTO fee_receipts (office_id, roc_year, number, receipt_date, counter_id, clerk_id, clerk_name, version_id, payment, total,
					payer_name, idem_key, request_hash, status, void_reason, voided_at, voided_by, copies, created_at) VALUES `)
				for i, v := range vals[lo:min(lo+500, len(vals))] {
					if i > 0 {
						sb.WriteByte(',')
					}
					sb.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, 1, ?)`)
					args = append(args, v...)
				}
				sb.WriteString(` RETURNING id, clerk_id, created_at`)
				rows, err := tx.Query(ctx, sb.String(), args...)
				if err != nil {
					return err
				}
				for rows.Next() {
					var m rec
					if err := rows.Scan(&m.id, &m.clerk, &m.at); err != nil {
						rows.Close()
						return err
					}
					ids = append(ids, m)
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
			}
			if len(ids) != count {
				return fmt.Errorf("inserted %d receipts, expected %d", len(ids), count)
			}
			// RETURNING order is not promised by SQL; the id order is the insert order.
			slices.SortFunc(ids, func(a, b rec) int { return cmp.Compare(a.id, b.id) })
			for _, k := range voided {
				ids[k].voided = true
				if _, err := tx.Exec(ctx, `INSERT INTO fee_void_requests (receipt_id, office_id, reason, requested_by, requested_at, state, decided_by, decided_at, decision_note)
					VALUES (?, ?, '金額誤植，重新開立', ?, ?, 'approved', ?, ?, '')`, ids[k].id, o.ID, ids[k].clerk, ids[k].at, ids[k].clerk, ids[k].at); err != nil {
					return err
				}
			}
			lineNo := map[int]int{}
			for lo := 0; lo < len(lines); lo += 400 {
				var sb strings.Builder
				var args []any
				sb.WriteString(`INSERT INTO fee_receipt_lines (receipt_id, line_no, item_id, code, item, measure, qty, unit, amount, exempt, exempt_label, detail) VALUES `)
				for i, ln := range lines[lo:min(lo+400, len(lines))] {
					if i > 0 {
						sb.WriteByte(',')
					}
					lineNo[ln.rec]++
					sb.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
					l := ln.l
					args = append(args, ids[ln.rec].id, lineNo[ln.rec], l.ItemID, l.Code, l.Item, l.Measure, l.Qty, l.Unit, l.Amount, l.Exempt, l.ExemptLabel, l.Detail)
				}
				if _, err := tx.Exec(ctx, sb.String(), args...); err != nil {
					return err
				}
			}
			for lo := 0; lo < len(ids); lo += 500 {
				var sb strings.Builder
				var args []any
				sb.WriteString(`INSERT INTO fee_prints (receipt_id, copy_no, office_id, print_date, printed_by, printed_at) VALUES `)
				for i, m := range ids[lo:min(lo+500, len(ids))] {
					if i > 0 {
						sb.WriteByte(',')
					}
					sb.WriteString(`(?, 1, ?, ?, ?, ?)`)
					args = append(args, m.id, o.ID, iso, m.clerk, m.at)
				}
				if _, err := tx.Exec(ctx, sb.String(), args...); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO sequences (scope, last) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET last = excluded.last`,
				seqno.Scope("receipt", o.ID, year), first+int64(count)); err != nil {
				return err
			}
			if err := closeGeneratedDay(ctx, tx, o.ID, day, count, h.Staff[o.ID][0].UserID); err != nil {
				return err
			}
			made += count
		}
		return nil
	})
	return made, err
}

// closeGeneratedDay settles a generated office day as Close does: the day row
// frozen with its report, and the totals by item and payment.
func closeGeneratedDay(ctx context.Context, tx *db.Tx, officeID int64, day civil.Date, changes int, closer int64) error {
	iso := day.ISO()
	rep, err := dayReport(ctx, tx, officeID, day, 0)
	if err != nil {
		return err
	}
	closedAt := day.Start().Add(17*time.Hour + 30*time.Minute)
	rep.Closed, rep.ClosedAt, rep.ClosedBy, rep.ClosedReceipts, rep.ClosedTotal = true, closedAt, "（產生之歷史資料）", rep.Receipts, rep.Total
	snapshot, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO fee_days (office_id, day, changes, closed_at, closed_by, receipts, voids, gross, corrections, total, report)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, officeID, iso, changes, db.FormatTime(closedAt), closer,
		rep.Receipts, len(rep.Voids), rep.Gross, rep.CorrTotal, rep.Total, string(snapshot)); err != nil {
		return err
	}
	return saveDayTotals(ctx, tx, officeID, iso, rep)
}

// weightedPayment: most pay cash, then mobile, card, EasyCard.
func weightedPayment(rng *rand.Rand) int {
	switch r := rng.IntN(100); {
	case r < 70:
		return 0
	case r < 82:
		return 3
	case r < 92:
		return 1
	default:
		return 2
	}
}
