package notice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"ebazhao/internal/calc"
	"ebazhao/internal/office"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/platform/seqno"
)

// Service issues, amends, cancels and finds documents.
type Service struct {
	DB      *db.DB
	Legal   *calc.Store
	Offices *office.Store
	Persons *person.Store
	Fonts   *pdf.Fonts
	Log     *slog.Logger
	// OnIssued, when set, is called after a one-time notice (一次告知單) is
	// committed: issuing one opens the counter's rating terminal (服務評分,
	// 作業規範 叁.四(一)). It runs on the request's goroutine after the commit and
	// must not block; an error is logged, the document stays issued.
	OnIssued func(ctx context.Context, doc Issued) error
	// Now is the clock (tests set it); nil means the database's clock.
	Now func() time.Time

	seedMu sync.Mutex
	seeded bool
	// numbered, when set (tests), runs inside the issuing transaction after the
	// number is taken and the row written, before the commit.
	numbered func()
}

// NewService returns a service on d with the PDF fonts from the system.
func NewService(d *db.DB) *Service {
	return &Service{DB: d, Legal: &calc.Store{DB: d}, Offices: &office.Store{DB: d}, Persons: &person.Store{DB: d},
		Fonts: pdf.Shared(""), Log: slog.Default()}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return s.DB.Now()
}

// Today is the issue day (Taipei).
func (s *Service) Today() civil.Date { return civil.Of(s.now()) }

// Document is an issued document with its current content.
type Document struct {
	ID              int64
	OfficeID        int64
	OfficeName      string
	Kind            Kind
	Subtype         string
	Item            string
	ROCYear         int
	Seq             int64
	DocNo           string
	RecipientIDNo   string
	RecipientName   string
	TemplateID      int64
	Version         int
	Status          string
	Deadline        civil.Date
	Amount          int64
	CalendarVersion string
	IssuedBy        int64
	IssuerName      string
	IssuerUsername  string
	CounterID       int64
	IssuedOn        civil.Date
	IssuedAt        time.Time
	UpdatedAt       time.Time
	CancelReason    string
	CancelledBy     int64
	CancellerName   string
	CancelledAt     time.Time
	ApprovedBy      int64
	ApproverName    string
	ApprovedAt      time.Time
	// Draft: a fine decision not yet approved, printed as a preview only.
	Draft   bool
	Content *Content
}

// Cancelled reports whether the document was cancelled (作廢).
func (d *Document) Cancelled() bool { return d.Status == "cancelled" }

// KindLabel is the kind's Chinese name.
func (d *Document) KindLabel() string { return d.Kind.Label() }

// Title is the document's printed title with its subtype.
func (d *Document) Title() string {
	i, _ := d.Kind.Info()
	return i.Title
}

// Version is one stored version of a document.
type Version struct {
	Version int
	Reason  string
	By      string
	At      time.Time
	Content Content
}

// Preview validates and computes an input and fills its text without saving: what
// the issue form shows for the clerk to check and edit.
func (s *Service) Preview(ctx context.Context, clerk Clerk, in Input) (*Content, *Template, error) {
	d, err := s.prepare(ctx, clerk, in, s.Today(), nil)
	if err != nil {
		return nil, nil, err
	}
	return &d.Content, d.Template, nil
}

// PreviewAmend is Preview for an amendment of document id.
func (s *Service) PreviewAmend(ctx context.Context, clerk Clerk, id int64, in Input) (*Content, *Template, error) {
	doc, err := s.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.mayAmend(clerk, doc); err != nil {
		return nil, nil, err
	}
	in.Kind = doc.Kind
	clerk.OfficeID = doc.OfficeID
	d, err := s.prepare(ctx, clerk, in, doc.IssuedOn, doc.Content)
	if err != nil {
		return nil, nil, err
	}
	return &d.Content, d.Template, nil
}

// cityPrefixes abbreviate a city in document numbers (中市西屯戶催字第…號).
var cityPrefixes = map[string]string{"臺中市": "中市", "臺北市": "北市", "新北市": "新北", "桃園市": "桃市", "臺南市": "南市", "高雄市": "高市"}

// DocNo formats a document number: 中市西屯戶催字第1130000012號.
func DocNo(off *office.Office, kind Kind, rocYear int, seq int64) string {
	info, _ := kind.Info()
	city := cityPrefixes[off.City]
	if city == "" {
		city = strings.TrimSuffix(strings.TrimSuffix(off.City, "市"), "縣")
	}
	district := strings.TrimSuffix(off.District, "區")
	return fmt.Sprintf("%s%s%s字第%03d%07d號", city, district, info.Word, rocYear, seq)
}

// deadline is the date the document's kind sets: the notice's, the
// reminder's, or the fine's payment deadline.
func (c *Content) deadline() civil.Date {
	switch c.Input.Kind {
	case KindReminder:
		return c.Facts.ReminderDeadline
	case KindFine:
		return c.Facts.Deadline
	}
	return c.Facts.NoticeDeadline
}

// storeIssued numbers the prepared document d in the clerk's office and
// stores it, issued on day issue at time at, with its first version: the one
// path for a counter's Issue and for generated history.
func storeIssued(ctx context.Context, tx *db.Tx, d *draft, clerk Clerk, issue civil.Date, at time.Time, reason string) (id int64, docNo string, err error) {
	c := &d.Content
	body, err := json.Marshal(c)
	if err != nil {
		return 0, "", err
	}
	year := issue.ROCYear()
	n, err := seqno.Next(ctx, tx, seqno.Scope("doc."+string(c.Input.Kind), clerk.OfficeID, year))
	if err != nil {
		return 0, "", err
	}
	docNo = DocNo(d.Office, c.Input.Kind, year, n)
	var counter any
	if clerk.CounterID != 0 {
		counter = clerk.CounterID
	}
	deadline := c.deadline()
	ts := db.FormatTime(at)
	if err := tx.QueryRow(ctx, `INSERT INTO documents (office_id, kind, subtype, item, roc_year, seq, doc_no, recipient_id_no, recipient_name,
		template_id, version, status, deadline, amount, calendar_version, issued_by, counter_id, issued_on, issued_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 'issued', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		clerk.OfficeID, string(c.Input.Kind), c.Input.Subtype, c.Input.Item, year, n, docNo, c.Recipient.IDNo, c.Recipient.Name,
		c.TemplateID, deadline, c.Facts.Fine, c.Facts.CalendarVersion, clerk.UserID, counter, issue, ts, ts).Scan(&id); err != nil {
		return 0, "", err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO document_versions (document_id, version, content, reason, created_by, created_at) VALUES (?, 1, ?, ?, ?, ?)`,
		id, string(body), reason, clerk.UserID, ts); err != nil {
		return 0, "", err
	}
	return id, docNo, nil
}

// Issue validates, computes, numbers and stores a document in one transaction.
//
// A fine decision (罰鍰裁處書) is not issued here: it is drafted (DraftFine) and
// numbered when a supervisor approves it (ApproveFine).
func (s *Service) Issue(ctx context.Context, clerk Clerk, in Input) (*Document, error) {
	issue := s.Today()
	d, err := s.prepare(ctx, clerk, in, issue, nil)
	if err != nil {
		return nil, err
	}
	if d.Content.Input.Kind == KindFine {
		return nil, errFineNeedsApproval
	}
	c := &d.Content
	now := s.now()
	var id int64
	var docNo string
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if id, docNo, err = storeIssued(ctx, tx, d, clerk, issue, now, "開立"); err != nil {
			return err
		}
		if err := rememberRecipient(ctx, tx, clerk.UserID, c.Recipient, now); err != nil {
			return err
		}
		e := audit.For(clerk.Audit, "document.issue", "document", strconv.FormatInt(id, 10))
		e.PersonIDNo = c.Recipient.IDNo
		e.Detail = docNo + " " + c.Input.Kind.Label() + " " + strings.TrimSpace(c.Input.Subtype+" "+c.Input.Item)
		if err := audit.Log(ctx, tx, e); err != nil {
			return err
		}
		if s.numbered != nil {
			s.numbered()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	doc, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Input.Kind == KindOneTime && s.OnIssued != nil {
		// The document stands whatever the hook does; a failure is logged.
		if err := s.OnIssued(ctx, Issued{DocumentID: id, Kind: doc.Kind, DocNo: doc.DocNo, OfficeID: doc.OfficeID, CounterID: clerk.CounterID,
			UserID: clerk.UserID, Username: clerk.Username, RecipientIDNo: doc.RecipientIDNo, RecipientName: doc.RecipientName, IssuedAt: now}); err != nil && s.Log != nil {
			s.Log.Error("document issued; OnIssued hook failed", "document_id", id, "doc_no", doc.DocNo, "err", err)
		}
	}
	return doc, nil
}

// rememberRecipient keeps the recipient data for the next document (作業規範
// 叁.二(二)5: 受通知人個人基本資料如已存在系統中，下次開立時會自動顯示).
func rememberRecipient(ctx context.Context, tx *db.Tx, userID int64, r Recipient, now time.Time) error {
	if r.IDNo == "" {
		return nil
	}
	addr := map[string]string{}
	addr[r.AddressKind] = r.Address
	_, err := tx.Exec(ctx, `INSERT INTO doc_recipients (id_no, name, birth_date, addr_household, addr_business, addr_service, addr_current, address_kind, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id_no) DO UPDATE SET name = excluded.name, birth_date = CASE WHEN excluded.birth_date <> '' THEN excluded.birth_date ELSE doc_recipients.birth_date END,
			addr_household = CASE WHEN excluded.addr_household <> '' THEN excluded.addr_household ELSE doc_recipients.addr_household END,
			addr_business = CASE WHEN excluded.addr_business <> '' THEN excluded.addr_business ELSE doc_recipients.addr_business END,
			addr_service = CASE WHEN excluded.addr_service <> '' THEN excluded.addr_service ELSE doc_recipients.addr_service END,
			addr_current = CASE WHEN excluded.addr_current <> '' THEN excluded.addr_current ELSE doc_recipients.addr_current END,
			address_kind = excluded.address_kind, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		r.IDNo, r.Name, r.BirthDate, addr["household"], addr["business"], addr["service"], addr["current"], r.AddressKind, userID, db.FormatTime(now))
	return err
}

func (s *Service) mayAmend(clerk Clerk, doc *Document) error {
	if doc.IssuedBy != clerk.UserID {
		return &ForbiddenError{Message: "本文書由" + doc.IssuerName + "開立，僅原承辦人得修改；您僅能查閱"}
	}
	if doc.Cancelled() {
		return &ConflictError{Message: "本文書已作廢，不得修改"}
	}
	if doc.Kind == KindFine {
		return &ConflictError{Message: "罰鍰裁處書經主管核准後不得修改；如有錯誤，請作廢後重新擬稿送主管核准"}
	}
	return nil
}

// Amend stores a new version of document id; only the issuing clerk may. The
// document keeps its number and issue date; the computation is redone only when
// an input it depends on changed (then with the calendar of today, recorded).
func (s *Service) Amend(ctx context.Context, clerk Clerk, id int64, in Input, reason string) (*Document, error) {
	doc, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.mayAmend(clerk, doc); err != nil {
		s.auditDenied(ctx, clerk, "document.amend", doc, err.Error())
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, fieldErr("reason", "請填寫修改原因")
	}
	if len([]rune(reason)) > 300 {
		return nil, fieldErr("reason", "修改原因過長（最多300字）")
	}
	if in.Kind != "" && in.Kind != doc.Kind {
		return nil, fieldErr("kind", "文書種類不得修改（本文書為%s）", doc.Kind.Label())
	}
	in.Kind = doc.Kind
	clerk.OfficeID = doc.OfficeID
	d, err := s.prepare(ctx, clerk, in, doc.IssuedOn, doc.Content)
	if err != nil {
		return nil, err
	}
	c := &d.Content
	body, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	now := db.FormatTime(s.now())
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		deadline := c.deadline()
		res, err := tx.Exec(ctx, `UPDATE documents SET version = version + 1, subtype = ?, item = ?, recipient_id_no = ?, recipient_name = ?,
			template_id = ?, deadline = ?, amount = ?, calendar_version = ?, updated_at = ? WHERE id = ? AND version = ? AND status = 'issued'`,
			c.Input.Subtype, c.Input.Item, c.Recipient.IDNo, c.Recipient.Name, c.TemplateID, deadline, c.Facts.Fine, c.Facts.CalendarVersion,
			now, id, doc.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &ConflictError{Message: "本文書剛被修改或作廢，請重新開啟後再修改"}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO document_versions (document_id, version, content, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, doc.Version+1, string(body), reason, clerk.UserID, now); err != nil {
			return err
		}
		if err := rememberRecipient(ctx, tx, clerk.UserID, c.Recipient, s.now()); err != nil {
			return err
		}
		e := audit.For(clerk.Audit, "document.amend", "document", strconv.FormatInt(id, 10))
		e.PersonIDNo = c.Recipient.IDNo
		e.Detail = fmt.Sprintf("%s v%d：%s", doc.DocNo, doc.Version+1, reason)
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// MayCancel reports whether clerk may cancel doc: its issuer, a supervisor of its
// office, or system staff.
func MayCancel(clerk Clerk, doc *Document) bool {
	return doc.IssuedBy == clerk.UserID || (clerk.Supervisor && clerk.OfficeID == doc.OfficeID) || clerk.CityWide
}

// Cancel cancels (作廢) document id with a reason; it keeps its number.
func (s *Service) Cancel(ctx context.Context, clerk Clerk, id int64, reason string) (*Document, error) {
	doc, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !MayCancel(clerk, doc) {
		msg := "僅原承辦人或本所主管得作廢本文書（開立人：" + doc.IssuerName + "）"
		s.auditDenied(ctx, clerk, "document.cancel", doc, msg)
		return nil, &ForbiddenError{Message: msg}
	}
	if doc.Cancelled() {
		return nil, &ConflictError{Message: "本文書已於" + rocdate.FormatDateTime(doc.CancelledAt) + "作廢"}
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, fieldErr("reason", "請填寫作廢原因")
	}
	if len([]rune(reason)) > 300 {
		return nil, fieldErr("reason", "作廢原因過長（最多300字）")
	}
	now := db.FormatTime(s.now())
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE documents SET status = 'cancelled', cancel_reason = ?, cancelled_by = ?, cancelled_at = ?, updated_at = ?
			WHERE id = ? AND status = 'issued'`, reason, clerk.UserID, now, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &ConflictError{Message: "本文書已作廢"}
		}
		e := audit.For(clerk.Audit, "document.cancel", "document", strconv.FormatInt(id, 10))
		e.PersonIDNo = doc.RecipientIDNo
		e.Detail = doc.DocNo + "：" + reason
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

func (s *Service) auditDenied(ctx context.Context, clerk Clerk, action string, doc *Document, detail string) {
	e := audit.For(clerk.Audit, action, "document", strconv.FormatInt(doc.ID, 10))
	e.PersonIDNo, e.Outcome, e.Detail = doc.RecipientIDNo, audit.Denied, detail
	if err := audit.Record(ctx, s.DB, e); err != nil && s.Log != nil {
		s.Log.Error("audit record failed", "action", action, "err", err)
	}
}

const docCols = `d.id, d.office_id, o.name, d.kind, d.subtype, d.item, d.roc_year, d.seq, d.doc_no, d.recipient_id_no, d.recipient_name,
	COALESCE(d.template_id, 0), d.version, d.status, d.deadline, d.amount, d.calendar_version, d.issued_by, u.display_name, u.username,
	COALESCE(d.counter_id, 0), d.issued_on, d.issued_at, d.updated_at, d.cancel_reason, COALESCE(d.cancelled_by, 0),
	COALESCE(c.display_name, ''), d.cancelled_at, COALESCE(d.approved_by, 0), COALESCE(ap.display_name, ''), d.approved_at`

const docFrom = ` FROM documents d JOIN offices o ON o.id = d.office_id JOIN users u ON u.id = d.issued_by LEFT JOIN users c ON c.id = d.cancelled_by LEFT JOIN users ap ON ap.id = d.approved_by`

func scanDoc(r interface{ Scan(...any) error }) (*Document, error) {
	var d Document
	var issuedAt, updatedAt, cancelledAt, approvedAt string
	if err := r.Scan(&d.ID, &d.OfficeID, &d.OfficeName, &d.Kind, &d.Subtype, &d.Item, &d.ROCYear, &d.Seq, &d.DocNo, &d.RecipientIDNo, &d.RecipientName,
		&d.TemplateID, &d.Version, &d.Status, &d.Deadline, &d.Amount, &d.CalendarVersion, &d.IssuedBy, &d.IssuerName, &d.IssuerUsername,
		&d.CounterID, &d.IssuedOn, &issuedAt, &updatedAt, &d.CancelReason, &d.CancelledBy, &d.CancellerName, &cancelledAt,
		&d.ApprovedBy, &d.ApproverName, &approvedAt); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, db.ErrNotFound
		}
		return nil, err
	}
	d.IssuedAt, d.UpdatedAt = db.ParseTime(issuedAt), db.ParseTime(updatedAt)
	if cancelledAt != "" {
		d.CancelledAt = db.ParseTime(cancelledAt)
	}
	if approvedAt != "" {
		d.ApprovedAt = db.ParseTime(approvedAt)
	}
	return &d, nil
}

// Get loads document id with its current content.
func (s *Service) Get(ctx context.Context, id int64) (*Document, error) {
	d, err := scanDoc(s.DB.QueryRow(ctx, `SELECT `+docCols+docFrom+` WHERE d.id = ?`, id))
	if err != nil {
		return nil, err
	}
	v, err := s.version(ctx, id, d.Version)
	if err != nil {
		return nil, err
	}
	d.Content = &v.Content
	return d, nil
}

func (s *Service) version(ctx context.Context, id int64, n int) (*Version, error) {
	var v Version
	var content, at string
	err := s.DB.QueryRow(ctx, `SELECT v.version, v.reason, u.display_name, v.created_at, v.content FROM document_versions v
		JOIN users u ON u.id = v.created_by WHERE v.document_id = ? AND v.version = ?`, id, n).Scan(&v.Version, &v.Reason, &v.By, &at, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	v.At = db.ParseTime(at)
	if err := json.Unmarshal([]byte(content), &v.Content); err != nil {
		return nil, fmt.Errorf("document %d version %d: %w", id, n, err)
	}
	return &v, nil
}

// Version loads one stored version of document id.
func (s *Service) Version(ctx context.Context, id int64, n int) (*Version, error) {
	return s.version(ctx, id, n)
}

// Versions lists every version of document id, newest first.
func (s *Service) Versions(ctx context.Context, id int64) ([]Version, error) {
	rows, err := s.DB.Query(ctx, `SELECT v.version, v.reason, u.display_name, v.created_at, v.content FROM document_versions v
		JOIN users u ON u.id = v.created_by WHERE v.document_id = ? ORDER BY v.version DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		var content, at string
		if err := rows.Scan(&v.Version, &v.Reason, &v.By, &at, &content); err != nil {
			return nil, err
		}
		v.At = db.ParseTime(at)
		if err := json.Unmarshal([]byte(content), &v.Content); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Filter selects documents for lists.
type Filter struct {
	OfficeID   int64
	Kind       Kind
	PersonIDNo string
	DocNo      string
	IssuedBy   int64
	From, To   civil.Date // issue days, inclusive; zero is open
	Status     string
	BeforeID   int64
	Limit      int
}

// List returns matching documents (without content), newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]*Document, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if f.OfficeID != 0 {
		add("d.office_id = ?", f.OfficeID)
	}
	if f.Kind != "" {
		add("d.kind = ?", string(f.Kind))
	}
	if f.PersonIDNo != "" {
		add("d.recipient_id_no = ?", f.PersonIDNo)
	}
	if f.DocNo != "" {
		add("d.doc_no = ?", f.DocNo)
	}
	if f.IssuedBy != 0 {
		add("d.issued_by = ?", f.IssuedBy)
	}
	if !f.From.IsZero() {
		add("d.issued_on >= ?", f.From)
	}
	if !f.To.IsZero() {
		add("d.issued_on <= ?", f.To)
	}
	if f.Status != "" {
		add("d.status = ?", f.Status)
	}
	if f.BeforeID != 0 {
		add("d.id < ?", f.BeforeID)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q := `SELECT ` + docCols + docFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	order := " ORDER BY d.id DESC"
	if f.PersonIDNo != "" {
		order = " ORDER BY d.issued_at DESC, d.id DESC"
	}
	rows, err := s.DB.Query(ctx, q+order+" LIMIT "+strconv.Itoa(f.Limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Document
	for rows.Next() {
		d, err := scanDoc(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// History lists every document ever issued to idNo by any office, newest first
// (歷次行政文書即時查知).
func (s *Service) History(ctx context.Context, idNo string) ([]*Document, error) {
	return s.List(ctx, Filter{PersonIDNo: idNo, Limit: 500})
}
