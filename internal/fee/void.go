package fee

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// A void (作廢) needs a reason and a supervisor's approval. It is one state
// transition of the receipt, issued → voided, made by an UPDATE that only
// matches an issued receipt: a second void finds nothing to change and is
// refused. The receipt keeps its number and stays in the day's report among the
// voids. Once the cashier has closed the receipt's day the receipt is frozen;
// an approved void then books a reversal (更正沖銷) on the day of approval.

// VoidRequest is a clerk's request to void a receipt.
type VoidRequest struct {
	ID            int64
	ReceiptID     int64
	OfficeID      int64
	Reason        string
	RequestedBy   string
	RequestedAt   time.Time
	State         string // pending, approved, rejected
	DecidedBy     string
	DecidedAt     time.Time
	DecisionNote  string
	ReceiptNumber string
	ReceiptDate   civil.Date
	ReceiptTotal  int64
	ReceiptClerk  string
}

// StateLabel is the request's state in Chinese.
func (v *VoidRequest) StateLabel() string {
	switch v.State {
	case "pending":
		return "待核准"
	case "approved":
		return "已核准"
	case "rejected":
		return "已駁回"
	}
	return v.State
}

// Correction is the reversal of a receipt voided after its day was closed.
type Correction struct {
	ReceiptID  int64
	Date       civil.Date
	Amount     int64 // negative
	Reason     string
	ApprovedBy string
}

func validReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) < 2 {
		return "", &InputError{Field: "reason", Message: "請填寫作廢原因"}
	}
	if len([]rune(reason)) > 200 {
		return "", &InputError{Field: "reason", Message: "作廢原因最多200字"}
	}
	return reason, nil
}

// RequestVoid files a void request for a receipt of the user's office.
func (s *Service) RequestVoid(ctx context.Context, u *auth.User, client string, receiptID int64, reason string) (*VoidRequest, error) {
	reason, err := validReason(reason)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		office, err := checkVoidable(ctx, tx, u, receiptID)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO fee_void_requests (receipt_id, office_id, reason, requested_by, requested_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, receiptID, office, reason, u.ID, db.FormatTime(s.now())).Scan(&id)
		if db.IsUniqueViolation(err) {
			return ErrVoidPending
		}
		if err != nil {
			return err
		}
		e := audit.For(u.Actor(client), "receipt.void.request", "receipt", fmt.Sprint(receiptID))
		e.Detail = reason
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return s.VoidRequest(ctx, id)
}

// checkVoidable returns the receipt's office after checking that u may act on
// it and that it is neither voided nor reversed.
func checkVoidable(ctx context.Context, tx *db.Tx, u *auth.User, receiptID int64) (int64, error) {
	var office int64
	var status string
	var corrected int
	err := tx.QueryRow(ctx, `SELECT r.office_id, r.status, (SELECT COUNT(*) FROM fee_corrections c WHERE c.receipt_id = r.id)
		FROM fee_receipts r WHERE r.id = ?`, receiptID).Scan(&office, &status, &corrected)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, err
	}
	if !canAct(u, office) {
		return 0, ErrOtherOffice
	}
	if status != "issued" || corrected > 0 {
		return 0, ErrAlreadyVoided
	}
	return office, nil
}

// ApproveVoid approves a pending request (supervisor) and voids the receipt.
func (s *Service) ApproveVoid(ctx context.Context, approver *auth.User, client string, requestID int64, note string) (*Receipt, error) {
	if !approver.Can(auth.FeeVoidApprove) {
		return nil, ErrNoApproval
	}
	var receiptID int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var office int64
		var reason string
		err := tx.QueryRow(ctx, `SELECT receipt_id, office_id, reason FROM fee_void_requests WHERE id = ?`, requestID).Scan(&receiptID, &office, &reason)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !canAct(approver, office) {
			return ErrOtherOffice
		}
		if err := decide(ctx, tx, requestID, "approved", approver.ID, note, s.now()); err != nil {
			return err
		}
		return s.voidInTx(ctx, tx, approver, client, receiptID, reason)
	})
	if err != nil {
		return nil, err
	}
	return s.Receipt(ctx, receiptID)
}

// Errors of voiding with a message for the user.
var (
	ErrNoApproval  = errors.New("作廢須經主管核准")
	ErrTodayClosed = errors.New("今日已結帳，更正沖銷請於次日辦理")
)

// RejectVoid rejects a pending request.
func (s *Service) RejectVoid(ctx context.Context, approver *auth.User, client string, requestID int64, note string) error {
	if !approver.Can(auth.FeeVoidApprove) {
		return ErrNoApproval
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var receiptID, office int64
		err := tx.QueryRow(ctx, `SELECT receipt_id, office_id FROM fee_void_requests WHERE id = ?`, requestID).Scan(&receiptID, &office)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !canAct(approver, office) {
			return ErrOtherOffice
		}
		if err := decide(ctx, tx, requestID, "rejected", approver.ID, note, s.now()); err != nil {
			return err
		}
		e := audit.For(approver.Actor(client), "receipt.void.reject", "receipt", fmt.Sprint(receiptID))
		e.Detail = strings.TrimSpace(note)
		return audit.Log(ctx, tx, e)
	})
}

// decide moves a request out of pending: one transition, so a request is
// approved or rejected once.
func decide(ctx context.Context, tx *db.Tx, requestID int64, state string, by int64, note string, now time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE fee_void_requests SET state = ?, decided_by = ?, decided_at = ?, decision_note = ?
		WHERE id = ? AND state = 'pending'`, state, by, db.FormatTime(now), strings.TrimSpace(note), requestID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrDecided
	}
	return nil
}

// Void voids a receipt at once on a supervisor's own authority (the request is
// recorded as filed and approved by the supervisor). A pending request for the
// receipt is approved with it.
func (s *Service) Void(ctx context.Context, approver *auth.User, client string, receiptID int64, reason string) (*Receipt, error) {
	if !approver.Can(auth.FeeVoidApprove) {
		return nil, ErrNoApproval
	}
	reason, err := validReason(reason)
	if err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		office, err := checkVoidable(ctx, tx, approver, receiptID)
		if err != nil {
			return err
		}
		now := db.FormatTime(s.now())
		res, err := tx.Exec(ctx, `UPDATE fee_void_requests SET state = 'approved', decided_by = ?, decided_at = ?, decision_note = ?
			WHERE receipt_id = ? AND state = 'pending'`, approver.ID, now, reason, receiptID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO fee_void_requests (receipt_id, office_id, reason, requested_by, requested_at, state,
				decided_by, decided_at) VALUES (?, ?, ?, ?, ?, 'approved', ?, ?)`, receiptID, office, reason, approver.ID, now, approver.ID, now); err != nil {
				return err
			}
		}
		return s.voidInTx(ctx, tx, approver, client, receiptID, reason)
	})
	if err != nil {
		return nil, err
	}
	return s.Receipt(ctx, receiptID)
}

// voidInTx makes the transition: on an open day the receipt becomes voided; on
// a closed day a correction is booked today.
func (s *Service) voidInTx(ctx context.Context, tx *db.Tx, approver *auth.User, client string, receiptID int64, reason string) error {
	var office, total int64
	var day, payment string
	var counter sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT office_id, receipt_date, total, payment, counter_id FROM fee_receipts WHERE id = ?`, receiptID).
		Scan(&office, &day, &total, &payment, &counter); err != nil {
		return err
	}
	rday, _ := civil.ParseISO(day)
	now := s.now()
	e := audit.For(approver.Actor(client), "receipt.void", "receipt", fmt.Sprint(receiptID))
	err := lockOpenDay(ctx, tx, office, rday, false)
	switch {
	case err == nil:
		res, err := tx.Exec(ctx, `UPDATE fee_receipts SET status = 'voided', void_reason = ?, voided_at = ?, voided_by = ?
			WHERE id = ? AND status = 'issued'`, reason, db.FormatTime(now), approver.ID, receiptID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrAlreadyVoided
		}
		e.Detail = reason
	case errors.Is(err, ErrDayClosed):
		today := civil.Of(now)
		if err := lockOpenDay(ctx, tx, office, today, true); err != nil {
			if errors.Is(err, ErrDayClosed) {
				return ErrTodayClosed
			}
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO fee_corrections (receipt_id, office_id, entry_date, counter_id, amount, payment, reason, approved_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, receiptID, office, today.ISO(), counter, -total, payment, reason, approver.ID, db.FormatTime(now))
		if db.IsUniqueViolation(err) {
			return ErrAlreadyVoided
		}
		if err != nil {
			return err
		}
		e.Action = "receipt.correct"
		e.Detail = fmt.Sprintf("原收據日 %s 已結帳，於 %s 更正沖銷 NT$%d：%s", day, today.ISO(), total, reason)
	default:
		return err
	}
	return audit.Log(ctx, tx, e)
}

func (s *Service) correctionOf(ctx context.Context, receiptID int64) (*Correction, error) {
	var c Correction
	var day string
	err := s.DB.QueryRow(ctx, `SELECT c.receipt_id, c.entry_date, c.amount, c.reason, COALESCE(u.display_name, '') FROM fee_corrections c
		LEFT JOIN users u ON u.id = c.approved_by WHERE c.receipt_id = ?`, receiptID).Scan(&c.ReceiptID, &day, &c.Amount, &c.Reason, &c.ApprovedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.Date, _ = civil.ParseISO(day)
	return &c, nil
}

const voidCols = `q.id, q.receipt_id, q.office_id, q.reason, COALESCE(ru.display_name, ''), q.requested_at, q.state, COALESCE(du.display_name, ''),
	q.decided_at, q.decision_note, r.roc_year, r.number, r.receipt_date, r.total, r.clerk_name`

const voidFrom = ` FROM fee_void_requests q JOIN fee_receipts r ON r.id = q.receipt_id
	LEFT JOIN users ru ON ru.id = q.requested_by LEFT JOIN users du ON du.id = q.decided_by`

func scanVoid(row interface{ Scan(...any) error }) (*VoidRequest, error) {
	var v VoidRequest
	var at, decided, day string
	var year int
	var number int64
	if err := row.Scan(&v.ID, &v.ReceiptID, &v.OfficeID, &v.Reason, &v.RequestedBy, &at, &v.State, &v.DecidedBy, &decided, &v.DecisionNote,
		&year, &number, &day, &v.ReceiptTotal, &v.ReceiptClerk); err != nil {
		return nil, err
	}
	v.RequestedAt = db.ParseTime(at)
	if decided != "" {
		v.DecidedAt = db.ParseTime(decided)
	}
	v.ReceiptNumber = fmt.Sprintf("%d-%06d", year, number)
	v.ReceiptDate, _ = civil.ParseISO(day)
	return &v, nil
}

// VoidRequest loads one request.
func (s *Service) VoidRequest(ctx context.Context, id int64) (*VoidRequest, error) {
	v, err := scanVoid(s.DB.QueryRow(ctx, `SELECT `+voidCols+voidFrom+` WHERE q.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return v, err
}

// VoidRequests lists an office's requests: pending ones, or the latest decided.
func (s *Service) VoidRequests(ctx context.Context, officeID int64, pending bool, limit int) ([]*VoidRequest, error) {
	q := `SELECT ` + voidCols + voidFrom + ` WHERE q.office_id = ?`
	if pending {
		q += ` AND q.state = 'pending' ORDER BY q.id`
	} else {
		q += ` AND q.state <> 'pending' ORDER BY q.id DESC`
	}
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := s.DB.Query(ctx, q, officeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*VoidRequest
	for rows.Next() {
		v, err := scanVoid(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// VoidRequestsOf lists the requests filed for one receipt.
func (s *Service) VoidRequestsOf(ctx context.Context, receiptID int64) ([]*VoidRequest, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+voidCols+voidFrom+` WHERE q.receipt_id = ? ORDER BY q.id`, receiptID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*VoidRequest
	for rows.Next() {
		v, err := scanVoid(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
