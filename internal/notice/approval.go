package notice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/legal"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// A 罰鍰裁處書 is not among what a 櫃檯人員 may issue (作業規範 肆.一; issue 17
// item 11). A clerk drafts it (DraftFine): the draft has no number and prints only
// as a preview marked 草稿. A supervisor of the same office, not its drafter,
// approves it (ApproveFine): in that transaction it is numbered and stored as the
// document, dated the day of approval. Or the supervisor rejects it with a note.

// Fine draft states.
const (
	DraftPending  = "pending"
	DraftApproved = "approved"
	DraftRejected = "rejected"
)

// FineDraft is a drafted fine decision awaiting (or past) a supervisor's decision.
type FineDraft struct {
	ID            int64
	OfficeID      int64
	OfficeName    string
	Status        string
	Subtype       string
	Item          string
	RecipientIDNo string
	RecipientName string
	Amount        int64
	DraftedBy     int64
	DrafterName   string
	CounterID     int64
	DraftedOn     civil.Date
	DraftedAt     time.Time
	DecidedBy     int64
	DeciderName   string
	DecidedAt     time.Time
	DecisionNote  string
	DocumentID    int64
	Content       *Content
}

// StatusLabel is the state in Chinese.
func (f *FineDraft) StatusLabel() string {
	switch f.Status {
	case DraftApproved:
		return "已核准"
	case DraftRejected:
		return "已退回"
	}
	return "待主管核准"
}

// Pending reports whether the draft awaits a decision.
func (f *FineDraft) Pending() bool { return f.Status == DraftPending }

// errFineNeedsApproval refuses issuing a fine decision directly.
var errFineNeedsApproval = &ForbiddenError{Message: "罰鍰裁處書由承辦人擬稿，經本所主管核准後始編號列印（作業規範 肆.一）"}

// DraftFine validates and computes a fine decision and stores it as a draft of the
// clerk's office, without a number.
func (s *Service) DraftFine(ctx context.Context, clerk Clerk, in Input) (*FineDraft, error) {
	if in.Kind != KindFine {
		return nil, fieldErr("kind", "僅罰鍰裁處書須擬稿送核")
	}
	today := s.Today()
	d, err := s.prepare(ctx, clerk, in, today, nil)
	if err != nil {
		return nil, err
	}
	c := &d.Content
	body, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var counter any
	if clerk.CounterID != 0 {
		counter = clerk.CounterID
	}
	now := s.now()
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO fine_drafts (office_id, status, subtype, item, recipient_id_no, recipient_name, amount, content,
			drafted_by, counter_id, drafted_on, drafted_at) VALUES (?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			clerk.OfficeID, c.Input.Subtype, c.Input.Item, c.Recipient.IDNo, c.Recipient.Name, c.Facts.Fine, string(body),
			clerk.UserID, counter, today, db.FormatTime(now)).Scan(&id); err != nil {
			return err
		}
		if err := rememberRecipient(ctx, tx, clerk.UserID, c.Recipient, now); err != nil {
			return err
		}
		e := audit.For(clerk.Audit, "document.fine.draft", "fine_draft", strconv.FormatInt(id, 10))
		e.PersonIDNo = c.Recipient.IDNo
		e.Detail = fmt.Sprintf("%s %s %s 送主管核准", c.Input.Subtype, c.Input.Item, money(c.Facts.Fine))
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return s.FineDraft(ctx, id)
}

const draftCols = `f.id, f.office_id, o.name, f.status, f.subtype, f.item, f.recipient_id_no, f.recipient_name, f.amount, f.drafted_by,
	u.display_name, COALESCE(f.counter_id, 0), f.drafted_on, f.drafted_at, COALESCE(f.decided_by, 0), COALESCE(a.display_name, ''),
	f.decided_at, f.decision_note, COALESCE(f.document_id, 0), f.content`

const draftFrom = ` FROM fine_drafts f JOIN offices o ON o.id = f.office_id JOIN users u ON u.id = f.drafted_by LEFT JOIN users a ON a.id = f.decided_by`

func scanDraft(r interface{ Scan(...any) error }) (*FineDraft, error) {
	var f FineDraft
	var at, decided, content string
	if err := r.Scan(&f.ID, &f.OfficeID, &f.OfficeName, &f.Status, &f.Subtype, &f.Item, &f.RecipientIDNo, &f.RecipientName, &f.Amount,
		&f.DraftedBy, &f.DrafterName, &f.CounterID, &f.DraftedOn, &at, &f.DecidedBy, &f.DeciderName, &decided, &f.DecisionNote, &f.DocumentID, &content); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, db.ErrNotFound
		}
		return nil, err
	}
	f.DraftedAt = db.ParseTime(at)
	if decided != "" {
		f.DecidedAt = db.ParseTime(decided)
	}
	f.Content = &Content{}
	if err := json.Unmarshal([]byte(content), f.Content); err != nil {
		return nil, fmt.Errorf("fine draft %d: %w", f.ID, err)
	}
	return &f, nil
}

// FineDraft loads draft id.
func (s *Service) FineDraft(ctx context.Context, id int64) (*FineDraft, error) {
	return scanDraft(s.DB.QueryRow(ctx, `SELECT `+draftCols+draftFrom+` WHERE f.id = ?`, id))
}

// FineDrafts lists an office's drafts in a state ("" for all), newest first.
func (s *Service) FineDrafts(ctx context.Context, officeID int64, status string, limit int) ([]*FineDraft, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := `SELECT ` + draftCols + draftFrom + ` WHERE f.office_id = ?`
	args := []any{officeID}
	if status != "" {
		q += ` AND f.status = ?`
		args = append(args, status)
	}
	rows, err := s.DB.Query(ctx, q+` ORDER BY f.id DESC LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*FineDraft
	for rows.Next() {
		f, err := scanDraft(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// PendingFineDrafts counts the drafts awaiting approval at an office.
func (s *Service) PendingFineDrafts(ctx context.Context, officeID int64) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM fine_drafts WHERE office_id = ? AND status = 'pending'`, officeID).Scan(&n)
	return n, err
}

// MayViewDraft reports whether clerk may see draft f: staff of its office, or
// city-wide staff.
func MayViewDraft(clerk Clerk, f *FineDraft) bool {
	return clerk.OfficeID == f.OfficeID || clerk.CityWide
}

// mayDecide checks that approver may decide draft f; the refusal is audited.
func (s *Service) mayDecide(ctx context.Context, approver Clerk, f *FineDraft, action string) error {
	var msg string
	switch {
	case !approver.Approver:
		msg = "罰鍰裁處書須由本所主管核准；承辦人不得自行核准"
	case approver.OfficeID != f.OfficeID:
		msg = "本罰鍰裁處書稿屬" + f.OfficeName + "，僅該所主管得核准或退回"
	case approver.UserID == f.DraftedBy:
		msg = "擬稿人不得核准自己擬具之罰鍰裁處書，請由本所其他主管核准"
	}
	if msg != "" {
		e := audit.For(approver.Audit, action, "fine_draft", strconv.FormatInt(f.ID, 10))
		e.PersonIDNo, e.Outcome, e.Detail = f.RecipientIDNo, audit.Denied, msg
		if err := audit.Record(ctx, s.DB, e); err != nil && s.Log != nil {
			s.Log.Error("audit record failed", "action", action, "err", err)
		}
		return &ForbiddenError{Message: msg}
	}
	if !f.Pending() {
		return &ConflictError{Message: "本罰鍰裁處書稿" + f.StatusLabel() + "，不得再為核准或退回"}
	}
	return nil
}

// ApproveFine approves draft id: the fine decision is numbered in the draft's
// office and stored, dated today, with the drafter as its 承辦人 and the approver
// recorded. The checks that depend on the decision date (the limitation of
// 行政罰法第27條) are made again for today.
func (s *Service) ApproveFine(ctx context.Context, approver Clerk, id int64, note string) (*Document, error) {
	f, err := s.FineDraft(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.mayDecide(ctx, approver, f, "document.fine.approve"); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 300 {
		return nil, fieldErr("note", "核准意見過長（最多300字）")
	}
	off, err := s.Offices.ByID(ctx, f.OfficeID)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	c := *f.Content
	c.Facts.IssueDate = today
	if err := s.checkDecisionDate(ctx, off.ID, &c, today); err != nil {
		return nil, err
	}
	drafter := Clerk{UserID: f.DraftedBy, Name: f.DrafterName, OfficeID: f.OfficeID, CounterID: f.CounterID}
	now := s.now()
	var docID int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE fine_drafts SET status = 'approved', decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ? AND status = 'pending'`,
			approver.UserID, db.FormatTime(now), note, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &ConflictError{Message: "本罰鍰裁處書稿剛經核准或退回"}
		}
		var docNo string
		if docID, docNo, err = storeIssued(ctx, tx, &draft{Content: c, Office: off}, drafter, today, now, "主管"+approver.Name+"核准"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE documents SET approved_by = ?, approved_at = ? WHERE id = ?`, approver.UserID, db.FormatTime(now), docID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE fine_drafts SET document_id = ? WHERE id = ?`, docID, id); err != nil {
			return err
		}
		e := audit.For(approver.Audit, "document.fine.approve", "fine_draft", strconv.FormatInt(id, 10))
		e.PersonIDNo = f.RecipientIDNo
		e.Detail = fmt.Sprintf("%s %s（擬稿：%s）%s", docNo, money(c.Facts.Fine), f.DrafterName, note)
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, docID)
}

// RejectFine returns draft id to its drafter with a note; it is never numbered.
func (s *Service) RejectFine(ctx context.Context, approver Clerk, id int64, note string) (*FineDraft, error) {
	f, err := s.FineDraft(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.mayDecide(ctx, approver, f, "document.fine.reject"); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return nil, fieldErr("note", "請填寫退回理由")
	}
	if len([]rune(note)) > 300 {
		return nil, fieldErr("note", "退回理由過長（最多300字）")
	}
	now := db.FormatTime(s.now())
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE fine_drafts SET status = 'rejected', decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ? AND status = 'pending'`,
			approver.UserID, now, note, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &ConflictError{Message: "本罰鍰裁處書稿剛經核准或退回"}
		}
		e := audit.For(approver.Audit, "document.fine.reject", "fine_draft", strconv.FormatInt(id, 10))
		e.PersonIDNo, e.Detail = f.RecipientIDNo, "退回："+note
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return s.FineDraft(ctx, id)
}

// DraftPDF prints a draft as a preview: marked 草稿 on every page, without a
// number, not to be served.
func (s *Service) DraftPDF(ctx context.Context, f *FineDraft) ([]byte, error) {
	off, err := s.Offices.ByID(ctx, f.OfficeID)
	if err != nil {
		return nil, err
	}
	doc := &Document{OfficeID: f.OfficeID, OfficeName: f.OfficeName, Kind: KindFine, DocNo: "（草稿，未編號）", IssuerName: f.DrafterName,
		Version: 1, Status: "issued", IssuedOn: f.DraftedOn, IssuedAt: f.DraftedAt, Draft: true}
	return renderPDF(s.Fonts, off, doc, f.Content)
}

// checkDecisionDate refuses a fine decision dated after the limitation of
// 行政罰法第27條 (checked again when a draft is approved on a later day).
func (s *Service) checkDecisionDate(_ context.Context, _ int64, c *Content, decision civil.Date) error {
	if c.Input.Kind != KindFine {
		return nil
	}
	// the stored input holds its dates in ISO form
	var dt inputDates
	dt.Event, _ = civil.ParseISO(c.Input.EventDate)
	dt.Registration, _ = civil.ParseISO(c.Input.RegistrationDate)
	_, err := fineLimitation(c.Input, dt, decision)
	return err
}

// fineLimitation computes the limitation of 行政罰法第27條 for a fine decided on
// day decision: the act (not applying) ended on the day the registration was
// applied for or made; a false application ended the day it was made. A decision
// after the last day is refused with the article; nil when there is no date.
func fineLimitation(in Input, dt inputDates, decision civil.Date) (*legal.LimitationResult, error) {
	actEnd := dt.Registration
	if in.Subtype == FineFalse {
		actEnd = dt.Event
	}
	if actEnd.IsZero() {
		return nil, nil
	}
	r, err := legal.Limitation(legal.LimitationRequest{ActEndDate: actEnd, DecisionDate: decision})
	if err != nil {
		return nil, err
	}
	if r.Lapsed != nil && *r.Lapsed {
		field := "registration_date"
		if in.Subtype == FineFalse {
			field = "event_date"
		}
		return nil, fieldErr(field, "裁處權已因時效完成而消滅，不得裁處罰鍰：違規行為於%s終了，依%s規定，裁處權自%s起算3年，至%s屆滿；裁處日%s已逾期%d日",
			actEnd.ROC(), strings.Join(r.Articles[:min(2, len(r.Articles))], "、"), r.CountFrom.ROC(), r.LapseDate.ROC(), decision.ROC(), -*r.DaysLeft)
	}
	return r, nil
}
