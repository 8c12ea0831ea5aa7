package fee

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// The daily settlement (出納日結) is computed from the same rows the receipts are:
// fee_receipts and fee_receipt_lines of the day, plus the corrections booked that
// day. The cashier confirms the count and total they see; closing takes the day
// row's lock (which every receipt and void of that day also takes), recomputes,
// refuses if anything changed, and freezes the day.

// ItemTotal is the quantity and amount of one fee item.
type ItemTotal struct {
	Code    string `json:"code"`
	Item    string `json:"item"`
	Measure string `json:"measure"`
	Qty     int64  `json:"qty"`
	Amount  int64  `json:"amount"`
}

// PaymentTotal is the count and amount of one payment method.
type PaymentTotal struct {
	Payment string `json:"payment"`
	Label   string `json:"label"`
	Count   int    `json:"count"`
	Amount  int64  `json:"amount"`
}

// CounterTotal is one counter's part of the day.
type CounterTotal struct {
	CounterID int64  `json:"counter_id"`
	Name      string `json:"name"`
	Receipts  int    `json:"receipts"`
	Voids     int    `json:"voids"`
	Amount    int64  `json:"amount"`
}

// VoidEntry is a receipt voided on its own day.
type VoidEntry struct {
	ReceiptID int64     `json:"receipt_id"`
	Number    string    `json:"number"`
	Total     int64     `json:"total"`
	Reason    string    `json:"reason"`
	Clerk     string    `json:"clerk"`
	Counter   string    `json:"counter"`
	VoidedBy  string    `json:"voided_by"`
	VoidedAt  time.Time `json:"voided_at"`
}

// CorrectionEntry is a reversal booked on the day for an earlier, closed day.
type CorrectionEntry struct {
	ReceiptID   int64      `json:"receipt_id"`
	Number      string     `json:"number"`
	ReceiptDate civil.Date `json:"receipt_date"`
	Payment     string     `json:"payment"`
	Amount      int64      `json:"amount"`
	Reason      string     `json:"reason"`
	ApprovedBy  string     `json:"approved_by"`
}

// PaymentLabel is the payment method in Chinese.
func (c CorrectionEntry) PaymentLabel() string { return PaymentLabel(c.Payment) }

// DayReport is the settlement of one office (or one counter) on one day.
type DayReport struct {
	OfficeID    int64             `json:"office_id"`
	OfficeName  string            `json:"office"`
	Day         civil.Date        `json:"date"`
	CounterID   int64             `json:"counter_id,omitempty"`
	Receipts    int               `json:"receipts"` // valid receipts
	Gross       int64             `json:"gross"`    // their total
	Voids       []VoidEntry       `json:"voids"`
	Corrections []CorrectionEntry `json:"corrections"`
	CorrTotal   int64             `json:"corrections_total"`
	Total       int64             `json:"total"` // Gross + CorrTotal: what the cashier holds
	ByItem      []ItemTotal       `json:"by_item"`
	ByPayment   []PaymentTotal    `json:"by_payment"`
	ByCounter   []CounterTotal    `json:"by_counter"`
	Reprints    int               `json:"reprints"`
	FirstNumber int64             `json:"first_number,omitempty"`
	LastNumber  int64             `json:"last_number,omitempty"`
	Pending     int               `json:"pending_voids"`

	Closed         bool      `json:"closed"`
	ClosedAt       time.Time `json:"-"`
	ClosedBy       string    `json:"closed_by,omitempty"`
	ClosedReceipts int       `json:"closed_receipts,omitempty"`
	ClosedTotal    int64     `json:"closed_total,omitempty"`
}

// MarshalJSON writes the day as ISO.
func (d *DayReport) MarshalJSON() ([]byte, error) {
	type plain DayReport
	closedAt := ""
	if !d.ClosedAt.IsZero() {
		closedAt = d.ClosedAt.UTC().Format(time.RFC3339)
	}
	return json.Marshal(struct {
		ClosedAt string `json:"closed_at,omitempty"`
		*plain
	}{closedAt, (*plain)(d)})
}

// TotalWords is the total in capital numerals.
func (d *DayReport) TotalWords() string { return CapitalAmount(d.Total) }

// Errors of closing a day.
var (
	ErrPendingVoids = errors.New("該日尚有待核准的作廢申請，請主管先核准或駁回後再結帳")
	ErrNoSettle     = errors.New("結帳須由出納人員辦理")
)

// saveDayTotals writes a closed day's totals by item and by payment method,
// which the monthly and yearly summaries read.
func saveDayTotals(ctx context.Context, tx *db.Tx, officeID int64, iso string, rep *DayReport) error {
	for _, it := range rep.ByItem {
		if _, err := tx.Exec(ctx, `INSERT INTO fee_day_totals (office_id, day, kind, code, label, measure, count, amount) VALUES (?, ?, 'item', ?, ?, ?, ?, ?)`,
			officeID, iso, it.Code, it.Item, it.Measure, it.Qty, it.Amount); err != nil {
			return err
		}
	}
	for _, p := range rep.ByPayment {
		if p.Count == 0 && p.Amount == 0 {
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO fee_day_totals (office_id, day, kind, code, label, count, amount) VALUES (?, ?, 'payment', ?, ?, ?, ?)`,
			officeID, iso, p.Payment, p.Label, p.Count, p.Amount); err != nil {
			return err
		}
	}
	return nil
}

// Day computes the settlement of an office's day; counterID 0 means the whole
// office.
func (s *Service) Day(ctx context.Context, officeID int64, day civil.Date, counterID int64) (*DayReport, error) {
	return dayReport(ctx, s.DB, officeID, day, counterID)
}

func dayReport(ctx context.Context, q db.Querier, officeID int64, day civil.Date, counterID int64) (*DayReport, error) {
	iso := day.ISO()
	d := &DayReport{OfficeID: officeID, Day: day, CounterID: counterID, Voids: []VoidEntry{}, Corrections: []CorrectionEntry{},
		ByItem: []ItemTotal{}, ByPayment: []PaymentTotal{}, ByCounter: []CounterTotal{}}
	if err := q.QueryRow(ctx, `SELECT name FROM offices WHERE id = ?`, officeID).Scan(&d.OfficeName); err != nil {
		return nil, fmt.Errorf("office %d: %w", officeID, err)
	}
	rf, cf := "", "" // counter filters on receipts r and corrections c
	args := []any{officeID, iso}
	if counterID != 0 {
		rf, cf = ` AND r.counter_id = ?`, ` AND c.counter_id = ?`
		args = append(args, counterID)
	}

	// By payment method, valid receipts.
	pay := map[string]*PaymentTotal{}
	for _, p := range Payments {
		pt := &PaymentTotal{Payment: p.Code, Label: p.Label}
		pay[p.Code] = pt
	}
	rows, err := q.Query(ctx, `SELECT r.payment, COUNT(*), COALESCE(SUM(r.total), 0) FROM fee_receipts r
		WHERE r.office_id = ? AND r.receipt_date = ? AND r.status = 'issued'`+rf+` GROUP BY r.payment`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p string
		var n int
		var amt int64
		if err := rows.Scan(&p, &n, &amt); err != nil {
			rows.Close()
			return nil, err
		}
		pay[p].Count += n
		pay[p].Amount += amt
		d.Receipts += n
		d.Gross += amt
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Corrections booked today reverse their receipt's payment and items.
	rows, err = q.Query(ctx, `SELECT c.receipt_id, r.roc_year, r.number, r.receipt_date, c.payment, c.amount, c.reason, COALESCE(u.display_name, '')
		FROM fee_corrections c JOIN fee_receipts r ON r.id = c.receipt_id LEFT JOIN users u ON u.id = c.approved_by
		WHERE c.office_id = ? AND c.entry_date = ?`+cf+` ORDER BY c.id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c CorrectionEntry
		var year int
		var number int64
		var rday string
		if err := rows.Scan(&c.ReceiptID, &year, &number, &rday, &c.Payment, &c.Amount, &c.Reason, &c.ApprovedBy); err != nil {
			rows.Close()
			return nil, err
		}
		c.Number = fmt.Sprintf("%d-%06d", year, number)
		c.ReceiptDate, _ = civil.ParseISO(rday)
		d.Corrections = append(d.Corrections, c)
		d.CorrTotal += c.Amount
		pay[c.Payment].Amount += c.Amount
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	d.Total = d.Gross + d.CorrTotal
	for _, p := range Payments {
		d.ByPayment = append(d.ByPayment, *pay[p.Code])
	}

	// By item: lines of valid receipts, minus lines of receipts reversed today.
	items := map[string]*ItemTotal{}
	addItems := func(query string, sign int64) error {
		rows, err := q.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var it ItemTotal
			if err := rows.Scan(&it.Code, &it.Item, &it.Measure, &it.Qty, &it.Amount); err != nil {
				return err
			}
			k := it.Code + "\x00" + it.Item
			cur := items[k]
			if cur == nil {
				cur = &ItemTotal{Code: it.Code, Item: it.Item, Measure: it.Measure}
				items[k] = cur
			}
			cur.Qty += sign * it.Qty
			cur.Amount += sign * it.Amount
		}
		return rows.Err()
	}
	if err := addItems(`SELECT l.code, l.item, l.measure, SUM(l.qty), SUM(l.amount) FROM fee_receipt_lines l JOIN fee_receipts r ON r.id = l.receipt_id
		WHERE r.office_id = ? AND r.receipt_date = ? AND r.status = 'issued'`+rf+` GROUP BY l.code, l.item, l.measure`, 1); err != nil {
		return nil, err
	}
	if err := addItems(`SELECT l.code, l.item, l.measure, SUM(l.qty), SUM(l.amount) FROM fee_receipt_lines l JOIN fee_corrections c ON c.receipt_id = l.receipt_id
		WHERE c.office_id = ? AND c.entry_date = ?`+cf+` GROUP BY l.code, l.item, l.measure`, -1); err != nil {
		return nil, err
	}
	for _, it := range items {
		d.ByItem = append(d.ByItem, *it)
	}
	sort.Slice(d.ByItem, func(i, j int) bool {
		if d.ByItem[i].Code != d.ByItem[j].Code {
			return d.ByItem[i].Code < d.ByItem[j].Code
		}
		return d.ByItem[i].Item < d.ByItem[j].Item
	})

	// By counter (every receipt, voided ones counted apart).
	rows, err = q.Query(ctx, `SELECT COALESCE(r.counter_id, 0), COALESCE(c.name, ''), r.status, COUNT(*), COALESCE(SUM(r.total), 0), MIN(r.number), MAX(r.number)
		FROM fee_receipts r LEFT JOIN counters c ON c.id = r.counter_id
		WHERE r.office_id = ? AND r.receipt_date = ?`+rf+` GROUP BY COALESCE(r.counter_id, 0), COALESCE(c.name, ''), r.status`, args...)
	if err != nil {
		return nil, err
	}
	counters := map[int64]*CounterTotal{}
	for rows.Next() {
		var id, amt, lo, hi int64
		var name, status string
		var n int
		if err := rows.Scan(&id, &name, &status, &n, &amt, &lo, &hi); err != nil {
			rows.Close()
			return nil, err
		}
		ct := counters[id]
		if ct == nil {
			if name == "" {
				name = "未指定櫃檯"
			}
			ct = &CounterTotal{CounterID: id, Name: name}
			counters[id] = ct
		}
		if status == "issued" {
			ct.Receipts += n
			ct.Amount += amt
		} else {
			ct.Voids += n
		}
		if d.FirstNumber == 0 || lo < d.FirstNumber {
			d.FirstNumber = lo
		}
		if hi > d.LastNumber {
			d.LastNumber = hi
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(d.Corrections) > 0 {
		crows, err := q.Query(ctx, `SELECT COALESCE(c.counter_id, 0), COALESCE(k.name, ''), SUM(c.amount) FROM fee_corrections c
			LEFT JOIN counters k ON k.id = c.counter_id WHERE c.office_id = ? AND c.entry_date = ?`+cf+` GROUP BY COALESCE(c.counter_id, 0), COALESCE(k.name, '')`, args...)
		if err != nil {
			return nil, err
		}
		for crows.Next() {
			var id, amt int64
			var name string
			if err := crows.Scan(&id, &name, &amt); err != nil {
				crows.Close()
				return nil, err
			}
			ct := counters[id]
			if ct == nil {
				if name == "" {
					name = "未指定櫃檯"
				}
				ct = &CounterTotal{CounterID: id, Name: name}
				counters[id] = ct
			}
			ct.Amount += amt
		}
		crows.Close()
		if err := crows.Err(); err != nil {
			return nil, err
		}
	}
	for _, ct := range counters {
		d.ByCounter = append(d.ByCounter, *ct)
	}
	sort.Slice(d.ByCounter, func(i, j int) bool { return d.ByCounter[i].CounterID < d.ByCounter[j].CounterID })

	// Voids of the day.
	rows, err = q.Query(ctx, `SELECT r.id, r.roc_year, r.number, r.total, r.void_reason, r.clerk_name, COALESCE(c.name, ''), COALESCE(u.display_name, ''), r.voided_at
		FROM fee_receipts r LEFT JOIN counters c ON c.id = r.counter_id LEFT JOIN users u ON u.id = r.voided_by
		WHERE r.office_id = ? AND r.receipt_date = ? AND r.status = 'voided'`+rf+` ORDER BY r.number`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v VoidEntry
		var year int
		var number int64
		var at string
		if err := rows.Scan(&v.ReceiptID, &year, &number, &v.Total, &v.Reason, &v.Clerk, &v.Counter, &v.VoidedBy, &at); err != nil {
			rows.Close()
			return nil, err
		}
		v.Number = fmt.Sprintf("%d-%06d", year, number)
		v.VoidedAt = db.ParseTime(at)
		d.Voids = append(d.Voids, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Reprints made that day, pending void requests of the day's receipts.
	pargs := []any{officeID, iso}
	pf := ""
	if counterID != 0 {
		pf = ` AND p.receipt_id IN (SELECT id FROM fee_receipts WHERE counter_id = ?)`
		pargs = append(pargs, counterID)
	}
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM fee_prints p WHERE p.office_id = ? AND p.print_date = ? AND p.copy_no > 1`+pf, pargs...).Scan(&d.Reprints); err != nil {
		return nil, err
	}
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM fee_void_requests v JOIN fee_receipts r ON r.id = v.receipt_id
		WHERE r.office_id = ? AND r.receipt_date = ? AND v.state = 'pending'`+rf, args...).Scan(&d.Pending); err != nil {
		return nil, err
	}

	var closedAt string
	var closedBy string
	err = q.QueryRow(ctx, `SELECT f.closed_at, COALESCE(u.display_name, ''), f.receipts, f.total FROM fee_days f LEFT JOIN users u ON u.id = f.closed_by
		WHERE f.office_id = ? AND f.day = ?`, officeID, iso).Scan(&closedAt, &closedBy, &d.ClosedReceipts, &d.ClosedTotal)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if closedAt != "" {
		d.Closed, d.ClosedAt, d.ClosedBy = true, db.ParseTime(closedAt), closedBy
	}
	return d, nil
}

// Close closes an office's day after the cashier confirmed the number of valid
// receipts and the total they hold. From then on the day is frozen.
func (s *Service) Close(ctx context.Context, cashier *auth.User, client string, officeID int64, day civil.Date, receipts int, total int64) (*DayReport, error) {
	if !cashier.Can(auth.FeeSettle) {
		return nil, ErrNoSettle
	}
	if !canAct(cashier, officeID) {
		return nil, ErrOtherOffice
	}
	if day.After(s.today()) {
		return nil, &InputError{Field: "date", Message: "不得結算未來之日期"}
	}
	var rep *DayReport
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		iso := day.ISO()
		if _, err := tx.Exec(ctx, `INSERT INTO fee_days (office_id, day) VALUES (?, ?) ON CONFLICT (office_id, day) DO NOTHING`, officeID, iso); err != nil {
			return err
		}
		now := s.now()
		res, err := tx.Exec(ctx, `UPDATE fee_days SET closed_at = ?, closed_by = ? WHERE office_id = ? AND day = ? AND closed_at = ''`,
			db.FormatTime(now), cashier.ID, officeID, iso)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrAlreadyClosed
		}
		// The lock is ours: nothing of this day can change while we compute.
		rep, err = dayReport(ctx, tx, officeID, day, 0)
		if err != nil {
			return err
		}
		if rep.Pending > 0 {
			return ErrPendingVoids
		}
		if rep.Receipts != receipts || rep.Total != total {
			return fmt.Errorf("%w（系統：%d張、%d元；確認：%d張、%d元）", ErrSettleMismatch, rep.Receipts, rep.Total, receipts, total)
		}
		rep.Closed, rep.ClosedAt, rep.ClosedBy, rep.ClosedReceipts, rep.ClosedTotal = true, now, cashier.DisplayName, rep.Receipts, rep.Total
		snapshot, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE fee_days SET receipts = ?, voids = ?, gross = ?, corrections = ?, total = ?, report = ? WHERE office_id = ? AND day = ?`,
			rep.Receipts, len(rep.Voids), rep.Gross, rep.CorrTotal, rep.Total, string(snapshot), officeID, iso); err != nil {
			return err
		}
		if err := saveDayTotals(ctx, tx, officeID, iso, rep); err != nil {
			return err
		}
		e := audit.For(audit.Actor{UserID: cashier.ID, Username: cashier.Username, OfficeID: officeID, Client: client}, "fee.day.close", "fee_day", fmt.Sprintf("%d/%s", officeID, iso))
		e.Detail = fmt.Sprintf("有效收據 %d 張、作廢 %d 張、更正 %d 筆，合計 NT$%d", rep.Receipts, len(rep.Voids), len(rep.Corrections), rep.Total)
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// SummaryRow is one period (a day of a month, or a month of a year).
type SummaryRow struct {
	Label       string     `json:"label"`
	From        civil.Date `json:"-"`
	Receipts    int        `json:"receipts"`
	Voids       int        `json:"voids"`
	Gross       int64      `json:"gross"`
	Corrections int64      `json:"corrections"`
	Total       int64      `json:"total"`
}

// Summary is the monthly or yearly summary for the accounting office.
type Summary struct {
	OfficeID    int64          `json:"office_id,omitempty"` // 0: every office
	OfficeName  string         `json:"office"`
	Year        int            `json:"roc_year"`
	Month       int            `json:"month,omitempty"` // 0: the whole year
	Rows        []SummaryRow   `json:"rows"`
	ByItem      []ItemTotal    `json:"by_item"`
	ByPayment   []PaymentTotal `json:"by_payment"`
	Receipts    int            `json:"receipts"`
	Voids       int            `json:"voids"`
	Gross       int64          `json:"gross"`
	Corrections int64          `json:"corrections"`
	Total       int64          `json:"total"`
	OpenDays    []civil.Date   `json:"open_days"` // days with receipts not yet closed
}

// OpenDaysROC lists the unclosed days as ROC dates.
func (s *Summary) OpenDaysROC() []string {
	var out []string
	for _, d := range s.OpenDays {
		out = append(out, d.ROC())
	}
	return out
}

// Summary sums an office's (officeID 0: every office's) fees over a ROC year, or
// one month of it. Closed days are read from the totals stored when they were
// closed (they are frozen, so these equal the receipts); days still open are
// computed from their receipts.
func (s *Service) Summary(ctx context.Context, officeID int64, rocYear, month int) (*Summary, error) {
	if rocYear < 1 || rocYear > 999 || month < 0 || month > 12 {
		return nil, &InputError{Field: "year", Message: "年度或月份不正確"}
	}
	sm := &Summary{OfficeID: officeID, Year: rocYear, Month: month, OfficeName: "全市各戶政事務所", ByItem: []ItemTotal{}, ByPayment: []PaymentTotal{}, OpenDays: []civil.Date{}}
	if officeID != 0 {
		if err := s.DB.QueryRow(ctx, `SELECT name FROM offices WHERE id = ?`, officeID).Scan(&sm.OfficeName); err != nil {
			return nil, err
		}
	}
	y := rocYear + 1911
	from, to := civil.New(y, time.January, 1), civil.New(y+1, time.January, 1)
	if month > 0 {
		from = civil.New(y, time.Month(month), 1)
		to = from.AddDate(0, 1, 0)
		for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
			sm.Rows = append(sm.Rows, SummaryRow{Label: fmt.Sprintf("%d日", d.Day()), From: d})
		}
	} else {
		for m := 1; m <= 12; m++ {
			sm.Rows = append(sm.Rows, SummaryRow{Label: fmt.Sprintf("%d月", m), From: civil.New(y, time.Month(m), 1)})
		}
	}
	rowOf := func(d civil.Date) *SummaryRow {
		if month > 0 {
			return &sm.Rows[d.Day()-1]
		}
		return &sm.Rows[int(d.Month())-1]
	}
	of := ""
	args := []any{from, to}
	if officeID != 0 {
		of = ` AND office_id = ?`
		args = append(args, officeID)
	}
	pay := map[string]*PaymentTotal{}
	for _, p := range Payments {
		pay[p.Code] = &PaymentTotal{Payment: p.Code, Label: p.Label}
	}
	items := map[string]*ItemTotal{}
	addItem := func(it ItemTotal) {
		k := it.Code + "\x00" + it.Item
		if items[k] == nil {
			items[k] = &ItemTotal{Code: it.Code, Item: it.Item, Measure: it.Measure}
		}
		items[k].Qty += it.Qty
		items[k].Amount += it.Amount
	}

	// Closed days: their snapshot rows.
	rows, err := s.DB.Query(ctx, `SELECT day, receipts, voids, gross, corrections FROM fee_days
		WHERE day >= ? AND day < ?`+of+` AND closed_at <> ''`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var day civil.Date
		var n, v int
		var gross, corr int64
		if err := rows.Scan(&day, &n, &v, &gross, &corr); err != nil {
			rows.Close()
			return nil, err
		}
		r := rowOf(day)
		r.Receipts += n
		r.Voids += v
		r.Gross += gross
		r.Corrections += corr
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.DB.Query(ctx, `SELECT kind, code, label, measure, SUM(count), SUM(amount) FROM fee_day_totals
		WHERE day >= ? AND day < ?`+of+` GROUP BY kind, code, label, measure`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var kind, code, label, measure string
		var count, amount int64
		if err := rows.Scan(&kind, &code, &label, &measure, &count, &amount); err != nil {
			rows.Close()
			return nil, err
		}
		if kind == "payment" {
			if p := pay[code]; p != nil {
				p.Count += int(count)
				p.Amount += amount
			}
		} else {
			addItem(ItemTotal{Code: code, Item: label, Measure: measure, Qty: count, Amount: amount})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Open days with activity: from their receipts.
	type officeDay struct {
		office int64
		day    civil.Date
	}
	var open []officeDay
	rows, err = s.DB.Query(ctx, `SELECT office_id, day FROM fee_days WHERE day >= ? AND day < ?`+of+` AND closed_at = '' AND changes > 0 ORDER BY day, office_id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var od officeDay
		if err := rows.Scan(&od.office, &od.day); err != nil {
			rows.Close()
			return nil, err
		}
		open = append(open, od)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, od := range open {
		rep, err := dayReport(ctx, s.DB, od.office, od.day, 0)
		if err != nil {
			return nil, err
		}
		r := rowOf(od.day)
		r.Receipts += rep.Receipts
		r.Voids += len(rep.Voids)
		r.Gross += rep.Gross
		r.Corrections += rep.CorrTotal
		for _, p := range rep.ByPayment {
			pay[p.Payment].Count += p.Count
			pay[p.Payment].Amount += p.Amount
		}
		for _, it := range rep.ByItem {
			addItem(it)
		}
		if n := len(sm.OpenDays); n == 0 || sm.OpenDays[n-1] != od.day {
			sm.OpenDays = append(sm.OpenDays, od.day)
		}
	}

	for i := range sm.Rows {
		r := &sm.Rows[i]
		r.Total = r.Gross + r.Corrections
		sm.Receipts += r.Receipts
		sm.Voids += r.Voids
		sm.Gross += r.Gross
		sm.Corrections += r.Corrections
	}
	sm.Total = sm.Gross + sm.Corrections
	for _, p := range Payments {
		sm.ByPayment = append(sm.ByPayment, *pay[p.Code])
	}
	for _, it := range items {
		if it.Qty != 0 || it.Amount != 0 {
			sm.ByItem = append(sm.ByItem, *it)
		}
	}
	sort.Slice(sm.ByItem, func(i, j int) bool {
		if sm.ByItem[i].Code != sm.ByItem[j].Code {
			return sm.ByItem[i].Code < sm.ByItem[j].Code
		}
		return sm.ByItem[i].Item < sm.ByItem[j].Item
	})
	return sm, nil
}
