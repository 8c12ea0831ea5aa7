package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/seqno"
)

// Copy is a certified copy (檔存申請書影本) issued at an office.
type Copy struct {
	ID            int64
	No            string // e.g. 115-000012, per issuing office and ROC year
	OfficeID      int64
	OfficeName    string
	DocID         int64
	Pages         []int
	ApplicantName string
	ApplicantIDNo string
	Purpose       string
	RequestID     int64
	FeeItem       string
	Quantity      int
	FeeStatus     string
	ReceiptRef    string
	IssuedBy      string
	IssuedAt      time.Time
}

// CopyInput is what the clerk enters to issue a copy.
type CopyInput struct {
	DocID         int64
	Pages         []int // empty: every page
	ApplicantName string
	ApplicantIDNo string
	Purpose       string
	RequestID     int64 // a fulfilled cross-district request this copy answers
	CityWide      bool
}

// ParsePages reads "1,3-5" into page numbers within 1..n; empty means all.
func ParsePages(s string, n int) ([]int, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "，", ","))
	if s == "" {
		out := make([]int, n)
		for i := range out {
			out[i] = i + 1
		}
		return out, nil
	}
	seen := map[int]bool{}
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err1 != nil || err2 != nil || a < 1 || b < a || b > n {
			return nil, &InputError{Msg: fmt.Sprintf("頁次「%s」有誤：本件共 %d 頁，請以 1,3-5 的格式輸入", part, n)}
		}
		for p := a; p <= b; p++ {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out, nil
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

// IssueCopy records a certified copy issued by the actor's office, numbered
// gaplessly, and, for a cross-district request, marks the request issued. The
// fee is charged by the fee subsystem (see PendingCharges).
func (s *Service) IssueCopy(ctx context.Context, actor audit.Actor, in CopyInput) (*Copy, error) {
	d, err := s.Doc(ctx, in.DocID)
	if err != nil {
		return nil, err
	}
	pages, err := ParsePages(joinInts(in.Pages), d.PageCount)
	if err != nil {
		return nil, err
	}
	in.ApplicantName, in.Purpose = strings.TrimSpace(in.ApplicantName), strings.TrimSpace(in.Purpose)
	in.ApplicantIDNo = idno.Normalize(in.ApplicantIDNo)
	if in.ApplicantName == "" {
		return nil, &InputError{Msg: "請輸入申請人姓名"}
	}
	if in.Purpose == "" {
		return nil, &InputError{Msg: "請輸入申請目的"}
	}
	if utf8.RuneCountInString(in.ApplicantName) > 60 || utf8.RuneCountInString(in.Purpose) > 200 {
		return nil, &InputError{Msg: "申請人或申請目的過長"}
	}
	if in.ApplicantIDNo != "" {
		if _, err := idno.Validate(in.ApplicantIDNo); err != nil {
			return nil, &InputError{Msg: "申請人" + err.Error()}
		}
	}
	if !d.Current {
		return nil, &InputError{Msg: "此為舊版影像，請以最新版本核發影本"}
	}
	now := s.Now()
	year := civil.Of(now).ROCYear()
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var reqID any
		if in.RequestID != 0 {
			r, err := lockRequest(ctx, tx, in.RequestID)
			if err != nil {
				return err
			}
			if !r.may(Receiving, actor.OfficeID, in.CityWide) {
				return &ErrNotAllowed{Msg: "跨區申請案的影本限由受理地戶所（" + r.ReceivingOffice + "）核發", WrongSide: true}
			}
			if r.Status != StatusFulfilled || r.DocID != d.ID {
				return &ErrNotAllowed{Msg: fmt.Sprintf("申請案目前為「%s」，不能以此影像核發", StatusLabel(r.Status))}
			}
			reqID = r.ID
		}
		no, err := seqno.Next(ctx, tx, seqno.Scope("archive_copy", actor.OfficeID, year))
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO archive_copies (copy_no, copy_year, office_id, doc_id, pages, page_count, applicant_name,
			applicant_id_no, purpose, request_id, fee_item, quantity, fee_status, issued_by, issued_at, issued_day)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			no, year, actor.OfficeID, d.ID, joinInts(pages), len(pages), in.ApplicantName, in.ApplicantIDNo, in.Purpose, reqID,
			FeeItem, len(pages), "pending", nullID(actor.UserID), db.FormatTime(now), civil.Of(now)).Scan(&id); err != nil {
			return err
		}
		if in.RequestID != 0 {
			if _, err := tx.Exec(ctx, `UPDATE archive_requests SET status = ?, copy_id = ?, updated_at = ? WHERE id = ?`,
				StatusIssued, id, db.FormatTime(now), in.RequestID); err != nil {
				return err
			}
			if err := logEvent(ctx, tx, actor, in.RequestID, StatusFulfilled, StatusIssued, fmt.Sprintf("影本字號 %d-%06d", year, no), now); err != nil {
				return err
			}
		}
		e := audit.For(actor, "archive.copy.issue", "archive_copy", fmt.Sprint(id))
		e.PersonIDNo = d.PrimaryIDNo()
		e.Detail = fmt.Sprintf("doc %d pages %s purpose %q applicant %s persons %s", d.ID, joinInts(pages), in.Purpose, in.ApplicantName, strings.Join(d.IDNos(), ","))
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return s.Copy(ctx, id)
}

// Copy loads an issued copy.
func (s *Service) Copy(ctx context.Context, id int64) (*Copy, error) {
	var c Copy
	var no int64
	var year int
	var pages, at string
	err := s.DB.QueryRow(ctx, `SELECT c.id, c.copy_no, c.copy_year, c.office_id, o.name, c.doc_id, c.pages, c.applicant_name, c.applicant_id_no,
		c.purpose, COALESCE(c.request_id, 0), c.fee_item, c.quantity, c.fee_status, c.receipt_ref, COALESCE(u.display_name, ''), c.issued_at
		FROM archive_copies c JOIN offices o ON o.id = c.office_id LEFT JOIN users u ON u.id = c.issued_by WHERE c.id = ?`, id).
		Scan(&c.ID, &no, &year, &c.OfficeID, &c.OfficeName, &c.DocID, &pages, &c.ApplicantName, &c.ApplicantIDNo, &c.Purpose,
			&c.RequestID, &c.FeeItem, &c.Quantity, &c.FeeStatus, &c.ReceiptRef, &c.IssuedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	c.No = fmt.Sprintf("%d-%06d", year, no)
	c.IssuedAt = db.ParseTime(at)
	for _, p := range strings.Split(pages, ",") {
		if n, err := strconv.Atoi(p); err == nil {
			c.Pages = append(c.Pages, n)
		}
	}
	return &c, nil
}

// Charge is a copy whose fee is still to be collected: what the fee subsystem
// needs to put it on a receipt.
type Charge struct {
	CopyID   int64
	CopyNo   string
	FeeItem  string
	Quantity int
	Payer    string
	IssuedAt time.Time
}

// PendingCharges lists officeID's copies whose fee is not collected yet.
func (s *Service) PendingCharges(ctx context.Context, officeID int64) ([]Charge, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, copy_no, copy_year, fee_item, quantity, applicant_name, issued_at FROM archive_copies
		WHERE office_id = ? AND fee_status = 'pending' ORDER BY id`, officeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Charge
	for rows.Next() {
		var c Charge
		var no int64
		var year int
		var at string
		if err := rows.Scan(&c.CopyID, &no, &year, &c.FeeItem, &c.Quantity, &c.Payer, &at); err != nil {
			return nil, err
		}
		c.CopyNo, c.IssuedAt = fmt.Sprintf("%d-%06d", year, no), db.ParseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// MarkCharged records, inside the fee subsystem's own transaction, that the
// copy's fee was collected on receipt receiptRef (or waived, with status
// "waived"). A copy is charged once.
func MarkCharged(ctx context.Context, tx *db.Tx, copyID int64, receiptRef, status string) error {
	if status != "paid" && status != "waived" {
		return fmt.Errorf("archive: fee status %q", status)
	}
	res, err := tx.Exec(ctx, `UPDATE archive_copies SET fee_status = ?, receipt_ref = ? WHERE id = ? AND fee_status = 'pending'`, status, receiptRef, copyID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &ErrNotAllowed{Msg: "此影本的規費已收取或影本不存在"}
	}
	return nil
}
