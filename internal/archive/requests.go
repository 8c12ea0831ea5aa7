package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/seqno"
)

// Request statuses of the cross-district workflow (作業規範 叁.七(三)).
const (
	StatusFiled     = "filed"     // receiving office filed it; waiting for the original office
	StatusAccepted  = "accepted"  // original office is looking for the paper
	StatusFulfilled = "fulfilled" // original office scanned and sent it
	StatusRejected  = "rejected"  // original office holds no such document
	StatusIssued    = "issued"    // receiving office issued the copy and charged the fee
	StatusArchived  = "archived"  // receiving office filed the application (歸檔)
	StatusCancelled = "cancelled" // withdrawn by the receiving office
)

// StatusLabel is a status in Chinese.
func StatusLabel(s string) string {
	switch s {
	case StatusFiled:
		return "待原所處理"
	case StatusAccepted:
		return "原所調卷中"
	case StatusFulfilled:
		return "已建檔回傳"
	case StatusRejected:
		return "原所查無資料"
	case StatusIssued:
		return "已核發"
	case StatusArchived:
		return "已歸檔"
	case StatusCancelled:
		return "已撤回"
	}
	return s
}

// Side is which office may take an action.
type Side int

const (
	Original  Side = iota // 原登記地戶所
	Receiving             // 受理地戶所
)

// Transition is one allowed action of the workflow.
type Transition struct {
	Action string
	Label  string
	From   []string
	To     string
	By     Side
}

// Transitions is the whole workflow. "fulfil" happens by scanning (Ingest with
// RequestID) or by linking a document already archived; "issue" by issuing the
// certified copy.
var Transitions = []Transition{
	{"accept", "受理調卷", []string{StatusFiled}, StatusAccepted, Original},
	{"fulfil", "建檔回傳", []string{StatusFiled, StatusAccepted}, StatusFulfilled, Original},
	{"reject", "查無資料", []string{StatusFiled, StatusAccepted}, StatusRejected, Original},
	{"cancel", "撤回申請", []string{StatusFiled, StatusAccepted, StatusFulfilled}, StatusCancelled, Receiving},
	{"issue", "核發影本", []string{StatusFulfilled}, StatusIssued, Receiving},
	{"archive", "申請書歸檔", []string{StatusIssued, StatusRejected, StatusCancelled}, StatusArchived, Receiving},
}

func transition(action string) (Transition, bool) {
	for _, t := range Transitions {
		if t.Action == action {
			return t, true
		}
	}
	return Transition{}, false
}

// Request is a cross-district request.
type Request struct {
	ID                int64
	No                string // e.g. 115-000012
	ReceivingOfficeID int64
	ReceivingOffice   string
	OriginalOfficeID  int64
	OriginalOffice    string
	ApplicantName     string
	ApplicantIDNo     string
	ApplicantPhone    string
	PersonIDNo        string
	PersonName        string
	Item              string
	ItemLabel         string
	ApproxDate        string
	DateFrom, DateTo  civil.Date
	Note              string
	Status            string
	DocID             int64
	CopyID            int64
	Reason            string
	FiledBy           string
	FiledAt           time.Time
	DueAt             time.Time
	UpdatedAt         time.Time
	Events            []Event
	now               time.Time
}

// StatusLabel is the request's status in Chinese.
func (r *Request) StatusLabel() string { return StatusLabel(r.Status) }

// Open reports whether the original office still has to act.
func (r *Request) Open() bool { return r.Status == StatusFiled || r.Status == StatusAccepted }

// Overdue reports whether the original office is late.
func (r *Request) Overdue() bool { return r.Open() && r.now.After(r.DueAt) }

// Actions lists what a user of officeID may do now.
func (r *Request) Actions(officeID int64, cityWide bool) []Transition {
	var out []Transition
	for _, t := range Transitions {
		if t.Action == "fulfil" || t.Action == "issue" {
			continue // done by scanning and by issuing the copy
		}
		if !contains(t.From, r.Status) {
			continue
		}
		if r.may(t.By, officeID, cityWide) {
			out = append(out, t)
		}
	}
	return out
}

func (r *Request) may(side Side, officeID int64, cityWide bool) bool {
	if cityWide {
		return true
	}
	if side == Original {
		return officeID == r.OriginalOfficeID
	}
	return officeID == r.ReceivingOfficeID
}

// Event is one step in a request's history.
type Event struct {
	At       time.Time
	Username string
	Office   string
	From, To string
	Note     string
}

// FromLabel and ToLabel are the statuses in Chinese.
func (e Event) FromLabel() string { return StatusLabel(e.From) }
func (e Event) ToLabel() string   { return StatusLabel(e.To) }

// RequestInput is what the receiving office enters.
type RequestInput struct {
	OriginalOfficeID int64
	ApplicantName    string
	ApplicantIDNo    string
	ApplicantPhone   string
	PersonIDNo       string
	PersonName       string
	Item             string
	ApproxDate       string
	DateFrom, DateTo civil.Date
	Note             string
}

// FileRequest records a request of the actor's office to the original office.
func (s *Service) FileRequest(ctx context.Context, actor audit.Actor, in RequestInput) (*Request, error) {
	in.ApplicantName, in.PersonName = strings.TrimSpace(in.ApplicantName), strings.TrimSpace(in.PersonName)
	in.ApplicantIDNo, in.PersonIDNo = idno.Normalize(in.ApplicantIDNo), idno.Normalize(in.PersonIDNo)
	in.ApproxDate, in.Note, in.ApplicantPhone = strings.TrimSpace(in.ApproxDate), strings.TrimSpace(in.Note), strings.TrimSpace(in.ApplicantPhone)
	switch {
	case in.OriginalOfficeID == 0:
		return nil, &InputError{Msg: "請選擇原登記地戶所"}
	case in.OriginalOfficeID == actor.OfficeID:
		return nil, &InputError{Msg: "原登記地為本所：請直接調卷掃描建檔，不必提出跨區申請"}
	case in.ApplicantName == "":
		return nil, &InputError{Msg: "請輸入申請人姓名"}
	case in.PersonName == "":
		return nil, &InputError{Msg: "請輸入當事人姓名"}
	case utf8.RuneCountInString(in.ApplicantName) > 60 || utf8.RuneCountInString(in.PersonName) > 60 ||
		utf8.RuneCountInString(in.ApproxDate) > 60 || utf8.RuneCountInString(in.Note) > 500 || len(in.ApplicantPhone) > 40:
		return nil, &InputError{Msg: "輸入內容過長"}
	}
	for _, id := range []string{in.ApplicantIDNo, in.PersonIDNo} {
		if id != "" {
			if _, err := idno.Validate(id); err != nil {
				return nil, &InputError{Msg: err.Error()}
			}
		}
	}
	if !in.DateFrom.IsZero() && !in.DateTo.IsZero() && in.DateTo.Before(in.DateFrom) {
		return nil, &InputError{Msg: "日期區間的迄日早於起日"}
	}
	it, err := s.ItemByText(ctx, s.DB, in.Item)
	if err != nil {
		return nil, err
	}
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM offices WHERE id = ?`, in.OriginalOfficeID).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, &InputError{Msg: "原登記地戶所不存在"}
	}
	now := s.Now()
	year := civil.Of(now).ROCYear()
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		no, err := seqno.Next(ctx, tx, seqno.Scope("archive_request", actor.OfficeID, year))
		if err != nil {
			return err
		}
		ts := db.FormatTime(now)
		if err := tx.QueryRow(ctx, `INSERT INTO archive_requests (req_no, req_year, receiving_office_id, original_office_id, applicant_name,
			applicant_id_no, applicant_phone, person_id_no, person_name, item, approx_date, date_from, date_to, note, status, filed_by,
			filed_at, due_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			no, year, actor.OfficeID, in.OriginalOfficeID, in.ApplicantName, in.ApplicantIDNo, in.ApplicantPhone, in.PersonIDNo,
			in.PersonName, it.Code, in.ApproxDate, in.DateFrom, in.DateTo, in.Note, StatusFiled,
			nullID(actor.UserID), ts, db.FormatTime(now.Add(s.DueAfter)), ts).Scan(&id); err != nil {
			return err
		}
		if err := logEvent(ctx, tx, actor, id, "", StatusFiled, in.Note, now); err != nil {
			return err
		}
		e := audit.For(actor, "archive.request.file", "archive_request", fmt.Sprint(id))
		e.PersonIDNo = in.PersonIDNo
		e.Detail = fmt.Sprintf("to office %d, item %s, applicant %s", in.OriginalOfficeID, it.Code, in.ApplicantName)
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return s.Request(ctx, id)
}

func logEvent(ctx context.Context, tx *db.Tx, actor audit.Actor, id int64, from, to, note string, at time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO archive_request_events (request_id, at, user_id, username, office_id, from_status, to_status, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, db.FormatTime(at), nullID(actor.UserID), actor.Username, nullID(actor.OfficeID), from, to, note)
	return err
}

// ErrNotAllowed is an action the user's office may not take or the request's
// status does not allow; its text is the message for the user.
type ErrNotAllowed struct {
	Msg       string
	WrongSide bool // the user's office may not act (as opposed to a state conflict)
}

func (e *ErrNotAllowed) Error() string { return e.Msg }

// Act applies action to request id on behalf of actor (of an office, or
// city-wide). docID is the document for "fulfil" (linking an archived one).
func (s *Service) Act(ctx context.Context, actor audit.Actor, cityWide bool, id int64, action, note string, docID int64) error {
	t, ok := transition(action)
	if !ok || action == "issue" {
		return &ErrNotAllowed{Msg: "不支援的動作"}
	}
	note = strings.TrimSpace(note)
	if action == "reject" && note == "" {
		return &InputError{Msg: "請說明查無資料的原因"}
	}
	if utf8.RuneCountInString(note) > 500 {
		return &InputError{Msg: "說明過長"}
	}
	var denied *ErrNotAllowed
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		r, err := lockRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if !r.may(t.By, actor.OfficeID, cityWide) {
			who := "原登記地戶所（" + r.OriginalOffice + "）"
			if t.By == Receiving {
				who = "受理地戶所（" + r.ReceivingOffice + "）"
			}
			denied = &ErrNotAllowed{Msg: "此動作限由" + who + "辦理", WrongSide: true}
			return denied
		}
		if !contains(t.From, r.Status) {
			return &ErrNotAllowed{Msg: fmt.Sprintf("申請案目前為「%s」，不能%s", StatusLabel(r.Status), t.Label)}
		}
		now := s.Now()
		set, args := `status = ?, updated_at = ?`, []any{t.To, db.FormatTime(now)}
		switch action {
		case "fulfil":
			var office int64
			var cur bool
			if err := tx.QueryRow(ctx, `SELECT office_id, current FROM archive_docs WHERE id = ?`, docID).Scan(&office, &cur); err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return &InputError{Msg: "影像編號不存在"}
				}
				return err
			}
			if office != r.OriginalOfficeID || !cur {
				return &InputError{Msg: "回傳的影像須為原登記地戶所的最新版本"}
			}
			set += `, doc_id = ?`
			args = append(args, docID)
		case "reject", "cancel":
			set += `, reason = ?`
			args = append(args, note)
		}
		args = append(args, id)
		if _, err := tx.Exec(ctx, `UPDATE archive_requests SET `+set+` WHERE id = ?`, args...); err != nil {
			return err
		}
		if err := logEvent(ctx, tx, actor, id, r.Status, t.To, note, now); err != nil {
			return err
		}
		e := audit.For(actor, "archive.request."+action, "archive_request", fmt.Sprint(id))
		e.PersonIDNo, e.Detail = r.PersonIDNo, r.Status+" -> "+t.To
		return audit.Log(ctx, tx, e)
	})
	if denied != nil {
		// Recorded after the rollback, in its own transaction.
		e := audit.For(actor, "archive.request."+action, "archive_request", fmt.Sprint(id))
		e.Outcome, e.Detail = audit.Denied, "other office"
		if aerr := audit.Record(ctx, s.DB, e); aerr != nil {
			return fmt.Errorf("%w (audit: %v)", err, aerr)
		}
	}
	return err
}

// fulfil marks a request fulfilled by a document just scanned (inside Ingest).
func (s *Service) fulfil(ctx context.Context, tx *db.Tx, actor audit.Actor, cityWide bool, id, docID, docOffice int64) error {
	r, err := lockRequest(ctx, tx, id)
	if err != nil {
		return err
	}
	if docOffice != r.OriginalOfficeID {
		return &InputError{Msg: "影像的原登記地戶所與跨區申請案不符"}
	}
	if !r.may(Original, actor.OfficeID, cityWide) {
		return &ErrNotAllowed{Msg: "跨區申請案限由原登記地戶所（" + r.OriginalOffice + "）掃描回傳", WrongSide: true}
	}
	if r.Status != StatusFiled && r.Status != StatusAccepted {
		return &ErrNotAllowed{Msg: fmt.Sprintf("申請案目前為「%s」，不能再回傳影像", StatusLabel(r.Status))}
	}
	now := s.Now()
	if _, err := tx.Exec(ctx, `UPDATE archive_requests SET status = ?, doc_id = ?, updated_at = ? WHERE id = ?`,
		StatusFulfilled, docID, db.FormatTime(now), id); err != nil {
		return err
	}
	if err := logEvent(ctx, tx, actor, id, r.Status, StatusFulfilled, fmt.Sprintf("影像編號 %d", docID), now); err != nil {
		return err
	}
	e := audit.For(actor, "archive.request.fulfil", "archive_request", fmt.Sprint(id))
	e.PersonIDNo, e.Detail = r.PersonIDNo, fmt.Sprintf("doc %d", docID)
	return audit.Log(ctx, tx, e)
}

// lockRequest loads a request inside tx, taking its row lock first so two
// offices acting at once are serialized.
func lockRequest(ctx context.Context, tx *db.Tx, id int64) (*Request, error) {
	res, err := tx.Exec(ctx, `UPDATE archive_requests SET updated_at = updated_at WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, db.ErrNotFound
	}
	return scanRequest(tx.QueryRow(ctx, `SELECT `+reqCols+reqFrom+` WHERE r.id = ?`, id), time.Time{})
}

const reqCols = `r.id, r.req_no, r.req_year, r.receiving_office_id, ro.name, r.original_office_id, oo.name, r.applicant_name,
	r.applicant_id_no, r.applicant_phone, r.person_id_no, r.person_name, r.item, COALESCE(it.label, r.item), r.approx_date,
	r.date_from, r.date_to, r.note, r.status, COALESCE(r.doc_id, 0), COALESCE(r.copy_id, 0), r.reason,
	COALESCE(u.display_name, ''), r.filed_at, r.due_at, r.updated_at`

const reqFrom = ` FROM archive_requests r JOIN offices ro ON ro.id = r.receiving_office_id JOIN offices oo ON oo.id = r.original_office_id
	LEFT JOIN archive_items it ON it.code = r.item LEFT JOIN users u ON u.id = r.filed_by`

func scanRequest(row interface{ Scan(...any) error }, now time.Time) (*Request, error) {
	var r Request
	var no int64
	var year int
	var filed, due, upd string
	if err := row.Scan(&r.ID, &no, &year, &r.ReceivingOfficeID, &r.ReceivingOffice, &r.OriginalOfficeID, &r.OriginalOffice,
		&r.ApplicantName, &r.ApplicantIDNo, &r.ApplicantPhone, &r.PersonIDNo, &r.PersonName, &r.Item, &r.ItemLabel, &r.ApproxDate,
		&r.DateFrom, &r.DateTo, &r.Note, &r.Status, &r.DocID, &r.CopyID, &r.Reason, &r.FiledBy, &filed, &due, &upd); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, db.ErrNotFound
		}
		return nil, err
	}
	r.No = fmt.Sprintf("%d-%06d", year, no)
	r.FiledAt, r.DueAt, r.UpdatedAt = db.ParseTime(filed), db.ParseTime(due), db.ParseTime(upd)
	r.now = now
	return &r, nil
}

// Request loads a request with its history.
func (s *Service) Request(ctx context.Context, id int64) (*Request, error) {
	r, err := scanRequest(s.DB.QueryRow(ctx, `SELECT `+reqCols+reqFrom+` WHERE r.id = ?`, id), s.Now())
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, `SELECT e.at, e.username, COALESCE(o.name, ''), e.from_status, e.to_status, e.note
		FROM archive_request_events e LEFT JOIN offices o ON o.id = e.office_id WHERE e.request_id = ? ORDER BY e.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e Event
		var at string
		if err := rows.Scan(&at, &e.Username, &e.Office, &e.From, &e.To, &e.Note); err != nil {
			return nil, err
		}
		e.At = db.ParseTime(at)
		r.Events = append(r.Events, e)
	}
	return r, rows.Err()
}

// Box selects a request list.
type Box string

const (
	Incoming Box = "incoming" // requests to my office (I am the original office)
	Outgoing Box = "outgoing" // requests my office filed
)

// Requests lists an office's requests: open ones first (incoming by due time),
// then the most recent others.
func (s *Service) Requests(ctx context.Context, officeID int64, box Box, openOnly bool, limit int) ([]*Request, error) {
	col := "r.original_office_id"
	order := "r.due_at"
	if box == Outgoing {
		col, order = "r.receiving_office_id", "r.filed_at DESC"
	}
	q := `SELECT ` + reqCols + reqFrom + ` WHERE ` + col + ` = ?`
	args := []any{officeID}
	if openOnly {
		if box == Outgoing {
			q += ` AND r.status NOT IN (?, ?)`
			args = append(args, StatusArchived, StatusCancelled)
		} else {
			q += ` AND r.status IN (?, ?)`
			args = append(args, StatusFiled, StatusAccepted)
		}
	}
	q += ` ORDER BY ` + order + ` LIMIT ?`
	args = append(args, limit)
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.Now()
	var out []*Request
	for rows.Next() {
		r, err := scanRequest(rows, now)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Counts are the figures an office sees on the archive page.
type Counts struct {
	IncomingOpen    int // requests waiting for my office
	IncomingOverdue int
	ReadyToIssue    int // fulfilled requests my office must issue
}

// OfficeCounts returns officeID's request figures.
func (s *Service) OfficeCounts(ctx context.Context, officeID int64) (Counts, error) {
	var c Counts
	now := db.FormatTime(s.Now())
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END), 0) FROM archive_requests
		WHERE original_office_id = ? AND status IN (?, ?)`, now, officeID, StatusFiled, StatusAccepted).Scan(&c.IncomingOpen, &c.IncomingOverdue)
	if err != nil {
		return c, err
	}
	err = s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM archive_requests WHERE receiving_office_id = ? AND status = ?`, officeID, StatusFulfilled).Scan(&c.ReadyToIssue)
	return c, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// IDString is the request id as audit entries hold it.
func (r *Request) IDString() string { return fmt.Sprint(r.ID) }
