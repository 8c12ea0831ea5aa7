package fee

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/seqno"
)

// Payment methods (繳費方式): cash, credit card, EasyCard and other stored-value
// cards, mobile payment (seed 000: 悠遊卡、信用卡、行動支付).
var Payments = []struct{ Code, Label string }{
	{"cash", "現金"}, {"card", "信用卡"}, {"easycard", "悠遊卡"}, {"mobile", "行動支付"},
}

// PaymentLabel is the Chinese name of a payment method.
func PaymentLabel(code string) string {
	for _, p := range Payments {
		if p.Code == code {
			return p.Label
		}
	}
	return code
}

// ParsePayment accepts a code or a Chinese name; empty means cash.
func ParsePayment(s string) (string, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch s {
	case "", "cash", "現金", "1":
		return "cash", nil
	case "card", "credit", "credit_card", "信用卡", "2":
		return "card", nil
	case "easycard", "easy_card", "悠遊卡", "電子票證", "3":
		return "easycard", nil
	case "mobile", "mobile_payment", "行動支付", "4":
		return "mobile", nil
	}
	return "", &InputError{Field: "payment", Message: "繳費方式須為現金、信用卡、悠遊卡或行動支付（cash、card、easycard、mobile）"}
}

// IssueRequest is one application to collect fees for.
type IssueRequest struct {
	Date      string      `json:"date,omitempty"`
	Items     []QuoteItem `json:"items"`
	Payment   string      `json:"payment,omitempty"`
	Counter   *int        `json:"counter,omitempty"`    // counter number (號) at the clerk's office
	CounterID int64       `json:"counter_id,omitempty"` // or its id
	PayerName string      `json:"payer_name,omitempty"`
	PayerIDNo string      `json:"payer_id_no,omitempty"`
	Note      string      `json:"note,omitempty"`
	// IdempotencyKey is normally sent as the Idempotency-Key header.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// Settle, if set, runs inside the receipt's transaction once the receipt is
	// stored, with its id and number: the caller marks what the receipt pays for
	// (seal certificates, archive copies), so both commit together or neither
	// does. Not part of the request's fingerprint; not called on a replay.
	Settle func(ctx context.Context, tx *db.Tx, receiptID int64, number string) error `json:"-"`
}

// Clerk is who issues: the user and the counter they work at.
type Clerk struct {
	User      *auth.User
	CounterID int64
	Client    string
}

func (c Clerk) actor() audit.Actor { return c.User.Actor(c.Client) }

// Receipt is a 規費收據.
type Receipt struct {
	ID          int64
	OfficeID    int64
	OfficeName  string
	OfficeCode  string
	RocYear     int
	Number      int64
	Date        civil.Date
	CounterID   int64
	CounterName string
	ClerkID     int64
	ClerkName   string
	VersionID   int64
	Basis       string
	Payment     string
	Total       int64
	PayerName   string
	PayerIDNo   string
	Note        string
	Status      string // issued or voided
	VoidReason  string
	VoidedAt    time.Time
	VoidedBy    string
	Copies      int
	CreatedAt   time.Time
	Lines       []Line
	Correction  *Correction
	requestHash string
}

// NumberText is the printed receipt number: ROC year and six-digit serial.
func (r *Receipt) NumberText() string { return fmt.Sprintf("%d-%06d", r.RocYear, r.Number) }

// Voided reports whether the receipt was voided (the same day) or reversed by a
// correction (after the day was closed).
func (r *Receipt) Voided() bool { return r.Status == "voided" || r.Correction != nil }

// PaymentLabel is the payment method in Chinese.
func (r *Receipt) PaymentLabel() string { return PaymentLabel(r.Payment) }

// TotalWords is the total in capital numerals.
func (r *Receipt) TotalWords() string { return CapitalAmount(r.Total) }

// requestHash fingerprints what was asked, so a key reused for a different
// receipt is refused instead of silently answered with the old one.
func requestHash(day civil.Date, counterID int64, payment string, items []QuoteItem, payerName, payerIDNo, note string) string {
	type norm struct {
		Item   string `json:"i"`
		Qty    int    `json:"q"`
		Exempt string `json:"e"`
	}
	var its []norm
	for _, it := range items {
		q := 1
		if it.Qty != nil {
			q = *it.Qty
		}
		its = append(its, norm{nameKey(it.Item), q, strings.TrimSpace(it.Exempt)})
	}
	b, _ := json.Marshal(map[string]any{"d": day.ISO(), "c": counterID, "p": payment, "i": its,
		"n": strings.TrimSpace(payerName), "id": strings.ToUpper(strings.TrimSpace(payerIDNo)), "note": strings.TrimSpace(note)})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

type replayError struct{ id int64 }

func (e *replayError) Error() string { return fmt.Sprintf("idempotent replay of receipt %d", e.id) }

// MaxKeyLen bounds an idempotency key.
const MaxKeyLen = 200

// Issue records a receipt and returns it; replayed is true when the clerk's
// idempotency key was already used for the same request, in which case the
// receipt issued then is returned and nothing new is recorded.
//
// The receipt number comes from seqno inside the transaction that stores the
// receipt, its lines, its first print and the audit entry: all commit together
// or not at all, so a crash or an error leaves neither a hole nor a duplicate.
func (s *Service) Issue(ctx context.Context, c Clerk, req IssueRequest) (r *Receipt, replayed bool, err error) {
	if c.User == nil {
		return nil, false, errors.New("fee: Issue without a user")
	}
	key := strings.TrimSpace(req.IdempotencyKey)
	if len(key) > MaxKeyLen {
		return nil, false, &InputError{Field: "idempotency_key", Message: "Idempotency-Key 過長（最多200字元）"}
	}
	payment, err := ParsePayment(req.Payment)
	if err != nil {
		return nil, false, err
	}
	day, err := ParseDay(req.Date, s.now())
	if err != nil {
		return nil, false, err
	}
	today := s.today()
	if day.After(today) {
		return nil, false, &InputError{Field: "date", Message: "收據日期不得晚於今日"}
	}
	if day.ROCYear() != today.ROCYear() {
		return nil, false, &InputError{Field: "date", Message: "補登收據之日期須在本年度內"}
	}
	payerID := strings.ToUpper(strings.TrimSpace(req.PayerIDNo))
	if payerID != "" {
		if _, err := idno.Validate(payerID); err != nil {
			return nil, false, &InputError{Field: "payer_id_no", Message: "繳款人統一編號：" + err.Error()}
		}
	}
	payerName := strings.TrimSpace(req.PayerName)
	note := strings.TrimSpace(req.Note)
	if len([]rune(payerName)) > 60 || len([]rune(note)) > 200 {
		return nil, false, &InputError{Field: "note", Message: "繳款人姓名最多60字、備註最多200字"}
	}
	counterID, err := s.resolveCounter(ctx, c, req)
	if err != nil {
		return nil, false, err
	}
	q, err := s.Quote(ctx, QuoteRequest{Date: day.ISO(), Items: req.Items})
	if err != nil {
		return nil, false, err
	}
	hash := requestHash(day, counterID, payment, req.Items, payerName, payerID, note)
	u := c.User
	var keyArg any
	if key != "" {
		keyArg = key
	}

	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if key != "" {
			if prev, err := receiptByKey(ctx, tx, u.ID, key); err != nil || prev != 0 {
				if err == nil {
					err = &replayError{prev}
				}
				return err
			}
		}
		// The day row: refuses a closed day and queues issuers of one office-day.
		if err := lockOpenDay(ctx, tx, u.OfficeID, day, true); err != nil {
			return err
		}
		if key != "" { // a twin request may have committed while we waited
			if prev, err := receiptByKey(ctx, tx, u.ID, key); err != nil || prev != 0 {
				if err == nil {
					err = &replayError{prev}
				}
				return err
			}
		}
		year := day.ROCYear()
		n, err := seqno.Next(ctx, tx, seqno.Scope("receipt", u.OfficeID, year))
		if err != nil {
			return err
		}
		now := s.now()
		err = tx.QueryRow(ctx, `INSERT INTO fee_receipts (office_id, roc_year, number, receipt_date, counter_id, clerk_id, clerk_name,
			version_id, payment, total, payer_name, payer_id_no, note, idem_key, request_hash, copies, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) RETURNING id`,
			u.OfficeID, year, n, day.ISO(), nullID(counterID), u.ID, u.DisplayName, q.Version.ID, payment, q.Total,
			payerName, payerID, note, keyArg, hash, db.FormatTime(now)).Scan(&id)
		if err != nil {
			return err
		}
		for i, l := range q.Lines {
			if _, err := tx.Exec(ctx, `INSERT INTO fee_receipt_lines (receipt_id, line_no, item_id, code, item, measure, qty, unit, amount,
				exempt, exempt_label, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, i+1, l.ItemID, l.Code, l.Item, l.Measure, l.Qty, l.Unit, l.Amount, l.Exempt, l.ExemptLabel, l.Detail); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO fee_prints (receipt_id, copy_no, office_id, print_date, printed_by, printed_at)
			VALUES (?, 1, ?, ?, ?, ?)`, id, u.OfficeID, civil.Of(now).ISO(), u.ID, db.FormatTime(now)); err != nil {
			return err
		}
		if req.Settle != nil {
			if err := req.Settle(ctx, tx, id, fmt.Sprintf("%d-%06d", year, n)); err != nil {
				return err
			}
		}
		e := audit.For(c.actor(), "receipt.issue", "receipt", fmt.Sprint(id))
		e.Detail = fmt.Sprintf("%d-%06d %s NT$%d %s", year, n, day.ISO(), q.Total, PaymentLabel(payment))
		return audit.Log(ctx, tx, e)
	})
	var re *replayError
	switch {
	case errors.As(err, &re):
		id, replayed = re.id, true
	case err != nil && key != "" && db.IsUniqueViolation(err):
		// Defence in depth: the unique (clerk, key) index caught a twin.
		prev, lerr := receiptByKey(ctx, s.DB, u.ID, key)
		if lerr != nil || prev == 0 {
			return nil, false, err
		}
		id, replayed = prev, true
	case err != nil:
		return nil, false, err
	}
	r, err = s.Receipt(ctx, id)
	if err != nil {
		return nil, false, err
	}
	if replayed {
		if r.requestHash != hash {
			return nil, false, ErrIdemMismatch
		}
		return r, true, nil
	}
	if s.OnIssue != nil {
		if err := s.OnIssue(ctx, r); err != nil {
			s.logHook(r, err)
		}
	}
	return r, false, nil
}

func receiptByKey(ctx context.Context, q db.Querier, clerkID int64, key string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM fee_receipts WHERE clerk_id = ? AND idem_key = ?`, clerkID, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// lockOpenDay takes the row lock of an office's day and fails with ErrDayClosed
// when the cashier has closed it. create makes the row on first use.
func lockOpenDay(ctx context.Context, tx *db.Tx, officeID int64, day civil.Date, create bool) error {
	iso := day.ISO()
	if create {
		if _, err := tx.Exec(ctx, `INSERT INTO fee_days (office_id, day) VALUES (?, ?) ON CONFLICT (office_id, day) DO NOTHING`, officeID, iso); err != nil {
			return err
		}
	}
	var n int
	err := tx.QueryRow(ctx, `UPDATE fee_days SET changes = changes + 1 WHERE office_id = ? AND day = ? AND closed_at = '' RETURNING changes`, officeID, iso).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrDayClosed
	}
	return err
}

// resolveCounter picks the counter: the request's, else the session's. It must
// be an active counter of the clerk's office.
func (s *Service) resolveCounter(ctx context.Context, c Clerk, req IssueRequest) (int64, error) {
	var id, office int64
	var active bool
	var err error
	switch {
	case req.CounterID != 0:
		err = s.DB.QueryRow(ctx, `SELECT id, office_id, active FROM counters WHERE id = ?`, req.CounterID).Scan(&id, &office, &active)
	case req.Counter != nil:
		err = s.DB.QueryRow(ctx, `SELECT id, office_id, active FROM counters WHERE office_id = ? AND kind = 'counter' AND number = ?`,
			c.User.OfficeID, *req.Counter).Scan(&id, &office, &active)
	case c.CounterID != 0:
		err = s.DB.QueryRow(ctx, `SELECT id, office_id, active FROM counters WHERE id = ?`, c.CounterID).Scan(&id, &office, &active)
	default:
		return 0, nil
	}
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (office != c.User.OfficeID || !active)) {
		return 0, &InputError{Field: "counter", Message: "櫃檯不存在、已停用或不屬於本所"}
	}
	return id, err
}

const receiptCols = `r.id, r.office_id, o.name, o.code, r.roc_year, r.number, r.receipt_date, COALESCE(r.counter_id, 0), COALESCE(c.name, ''),
	r.clerk_id, r.clerk_name, r.version_id, v.basis, r.payment, r.total, r.payer_name, r.payer_id_no, r.note, r.status, r.void_reason,
	r.voided_at, COALESCE(vu.display_name, ''), r.copies, r.created_at, r.request_hash`

const receiptFrom = ` FROM fee_receipts r JOIN offices o ON o.id = r.office_id JOIN fee_versions v ON v.id = r.version_id
	LEFT JOIN counters c ON c.id = r.counter_id LEFT JOIN users vu ON vu.id = r.voided_by`

func scanReceipt(row interface{ Scan(...any) error }) (*Receipt, error) {
	var r Receipt
	var day, voidedAt, created string
	if err := row.Scan(&r.ID, &r.OfficeID, &r.OfficeName, &r.OfficeCode, &r.RocYear, &r.Number, &day, &r.CounterID, &r.CounterName,
		&r.ClerkID, &r.ClerkName, &r.VersionID, &r.Basis, &r.Payment, &r.Total, &r.PayerName, &r.PayerIDNo, &r.Note, &r.Status,
		&r.VoidReason, &voidedAt, &r.VoidedBy, &r.Copies, &created, &r.requestHash); err != nil {
		return nil, err
	}
	r.Date, _ = civil.ParseISO(day)
	if voidedAt != "" {
		r.VoidedAt = db.ParseTime(voidedAt)
	}
	r.CreatedAt = db.ParseTime(created)
	return &r, nil
}

// Receipt loads one receipt with its lines and correction.
func (s *Service) Receipt(ctx context.Context, id int64) (*Receipt, error) {
	r, err := scanReceipt(s.DB.QueryRow(ctx, `SELECT `+receiptCols+receiptFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, `SELECT item_id, code, item, measure, qty, unit, amount, exempt, exempt_label, detail
		FROM fee_receipt_lines WHERE receipt_id = ? ORDER BY line_no`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l Line
		if err := rows.Scan(&l.ItemID, &l.Code, &l.Item, &l.Measure, &l.Qty, &l.Unit, &l.Amount, &l.Exempt, &l.ExemptLabel, &l.Detail); err != nil {
			return nil, err
		}
		r.Lines = append(r.Lines, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	r.Correction, err = s.correctionOf(ctx, id)
	return r, err
}

// ReceiptByNumber finds a receipt by office, ROC year and number.
func (s *Service) ReceiptByNumber(ctx context.Context, officeID int64, year int, number int64) (*Receipt, error) {
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT id FROM fee_receipts WHERE office_id = ? AND roc_year = ? AND number = ?`, officeID, year, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return s.Receipt(ctx, id)
}

// ListFilter selects receipts of one office and day.
type ListFilter struct {
	OfficeID  int64
	Day       civil.Date
	CounterID int64 // 0: all counters
	ClerkID   int64 // 0: all clerks
	Limit     int   // 0: all
}

// List returns the receipts of a day, by number, without lines.
func (s *Service) List(ctx context.Context, f ListFilter) ([]*Receipt, error) {
	q := `SELECT ` + receiptCols + receiptFrom + ` WHERE r.office_id = ? AND r.receipt_date = ?`
	args := []any{f.OfficeID, f.Day.ISO()}
	if f.CounterID != 0 {
		q += ` AND r.counter_id = ?`
		args = append(args, f.CounterID)
	}
	if f.ClerkID != 0 {
		q += ` AND r.clerk_id = ?`
		args = append(args, f.ClerkID)
	}
	q += ` ORDER BY r.number` // one day: one ROC year
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Receipt
	for rows.Next() {
		r, err := scanReceipt(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	byID := map[int64]*Receipt{}
	for _, r := range out {
		byID[r.ID] = r
	}
	lrows, err := s.DB.Query(ctx, `SELECT l.receipt_id, l.line_no, l.item_id, l.code, l.item, l.measure, l.qty, l.unit, l.amount, l.exempt, l.exempt_label, l.detail
		FROM fee_receipt_lines l WHERE l.receipt_id IN (SELECT r.id FROM fee_receipts r WHERE r.office_id = ? AND r.receipt_date = ?)`,
		f.OfficeID, f.Day.ISO())
	if err != nil {
		return nil, err
	}
	for lrows.Next() {
		var id int64
		var l Line
		if err := lrows.Scan(&id, &l.lineNo, &l.ItemID, &l.Code, &l.Item, &l.Measure, &l.Qty, &l.Unit, &l.Amount, &l.Exempt, &l.ExemptLabel, &l.Detail); err != nil {
			lrows.Close()
			return nil, err
		}
		if r := byID[id]; r != nil {
			r.Lines = append(r.Lines, l)
		}
	}
	lrows.Close()
	if err := lrows.Err(); err != nil {
		return nil, err
	}
	for _, r := range out {
		sort.Slice(r.Lines, func(i, j int) bool { return r.Lines[i].lineNo < r.Lines[j].lineNo })
	}
	// Corrections of these receipts (booked on later days).
	crs, err := s.DB.Query(ctx, `SELECT c.receipt_id, c.entry_date, c.amount, c.reason, COALESCE(u.display_name, '') FROM fee_corrections c
		JOIN fee_receipts r ON r.id = c.receipt_id LEFT JOIN users u ON u.id = c.approved_by
		WHERE r.office_id = ? AND r.receipt_date = ?`, f.OfficeID, f.Day.ISO())
	if err != nil {
		return nil, err
	}
	defer crs.Close()
	for crs.Next() {
		var c Correction
		var day string
		if err := crs.Scan(&c.ReceiptID, &day, &c.Amount, &c.Reason, &c.ApprovedBy); err != nil {
			return nil, err
		}
		c.Date, _ = civil.ParseISO(day)
		if r := byID[c.ReceiptID]; r != nil {
			cc := c
			r.Correction = &cc
		}
	}
	return out, crs.Err()
}

// Reprint records another printout of a receipt (補印) and returns its copy
// number; copy 1 is the original printed at issue.
func (s *Service) Reprint(ctx context.Context, u *auth.User, client string, id int64) (int, error) {
	var copyNo int
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var office int64
		var status string
		err := tx.QueryRow(ctx, `SELECT office_id, status FROM fee_receipts WHERE id = ?`, id).Scan(&office, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !canAct(u, office) {
			return ErrOtherOffice
		}
		if status != "issued" {
			return &InputError{Field: "id", Message: "已作廢之收據不得補印"}
		}
		if err := tx.QueryRow(ctx, `UPDATE fee_receipts SET copies = copies + 1 WHERE id = ? RETURNING copies`, id).Scan(&copyNo); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.Exec(ctx, `INSERT INTO fee_prints (receipt_id, copy_no, office_id, print_date, printed_by, printed_at)
			VALUES (?, ?, ?, ?, ?, ?)`, id, copyNo, office, civil.Of(now).ISO(), u.ID, db.FormatTime(now)); err != nil {
			return err
		}
		e := audit.For(u.Actor(client), "receipt.reprint", "receipt", fmt.Sprint(id))
		e.Detail = fmt.Sprintf("第%d次補印", copyNo-1)
		return audit.Log(ctx, tx, e)
	})
	return copyNo, err
}

// Print is one printout of a receipt.
type Print struct {
	CopyNo    int
	PrintedAt time.Time
	PrintedBy string
}

// Prints lists a receipt's printouts.
func (s *Service) Prints(ctx context.Context, id int64) ([]Print, error) {
	rows, err := s.DB.Query(ctx, `SELECT p.copy_no, p.printed_at, COALESCE(u.display_name, '') FROM fee_prints p
		LEFT JOIN users u ON u.id = p.printed_by WHERE p.receipt_id = ? ORDER BY p.copy_no`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Print
	for rows.Next() {
		var p Print
		var at string
		if err := rows.Scan(&p.CopyNo, &at, &p.PrintedBy); err != nil {
			return nil, err
		}
		p.PrintedAt = db.ParseTime(at)
		out = append(out, p)
	}
	return out, rows.Err()
}
