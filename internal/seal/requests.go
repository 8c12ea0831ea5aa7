package seal

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/rocdate"
)

// A backdated event (補登) — a registration, change or cancellation whose
// effective date is before the day it is recorded — needs a reason and a
// supervisor's approval. The clerk's record is a request
// (seal_event_requests) with no effect: the seal stays as it was, and no
// other event of the person is recorded nor a certificate issued while it
// waits. A supervisor of the recording office (holding auth.SealApprove, not
// the one who recorded it) approves it — the event is then recorded in
// seal_events, in force from its effective date, its checks made again — or
// rejects it. Each step is audited: seal.<kind>.request, seal.request.approve
// with the event's own seal.<kind> entry, seal.request.reject.

// Request states.
const (
	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestRejected = "rejected"
)

// Request is a backdated event awaiting, or past, a supervisor's decision.
type Request struct {
	ID            int64
	Event         *Event // the event as requested; Event.ID is 0, Event.Reason the clerk's reason
	State         string
	RequestedAt   time.Time
	DecidedBy     int64
	DecidedByName string
	DecidedAt     time.Time
	DecisionNote  string
	EventID       int64 // the event in force, once approved
	// CertificatesSince counts the person's unrevoked certificates issued on
	// or after the effective date: an approval makes the seal change or end
	// before them, which the supervisor should know (filled by Requests).
	CertificatesSince int
}

// StateLabel is the request's state in Chinese.
func (q *Request) StateLabel() string {
	switch q.State {
	case RequestPending:
		return "待核准"
	case RequestApproved:
		return "已核准"
	case RequestRejected:
		return "已駁回"
	}
	return q.State
}

// Errors of deciding a request, each with a message for the user.
var (
	ErrNoApproval   = errors.New("補登的印鑑異動須由具核准權限的主管核准")
	ErrOtherOffice  = errors.New("非本所登錄的補登申請，無權核准或駁回")
	ErrSelfApproval = errors.New("補登的印鑑異動須由登錄者以外的主管核准")
	ErrDecided      = errors.New("此補登申請已核准或駁回")
)

const requestCols = `q.id, q.person_id_no, q.kind, q.event_date, q.office_id, o.name, COALESCE(q.clerk_id, 0), q.clerk_name,
	q.application_no, q.application_blob, q.imprint_blob, q.appearance_blob, q.signature_blob, q.note, q.source, q.reason,
	q.requested_at, q.state, COALESCE(q.decided_by, 0), q.decided_by_name, q.decided_at, q.decision_note, COALESCE(q.event_id, 0)`

const requestFrom = ` FROM seal_event_requests q JOIN offices o ON o.id = q.office_id`

func scanRequest(r interface{ Scan(...any) error }) (*Request, error) {
	q := &Request{Event: &Event{}}
	e := q.Event
	var date, requested, decided string
	err := r.Scan(&q.ID, &e.PersonIDNo, &e.Kind, &date, &e.OfficeID, &e.OfficeName, &e.ClerkID, &e.ClerkName,
		&e.ApplicationNo, &e.ApplicationRef, &e.ImprintRef, &e.AppearanceRef, &e.SignatureRef, &e.Note, &e.Source, &e.Reason,
		&requested, &q.State, &q.DecidedBy, &q.DecidedByName, &decided, &q.DecisionNote, &q.EventID)
	if err != nil {
		return nil, notFound(err)
	}
	e.Date, _ = rocdate.ParseISO(date)
	e.RequestID = q.ID
	q.RequestedAt = db.ParseTime(requested)
	if decided != "" {
		q.DecidedAt = db.ParseTime(decided)
	}
	return q, nil
}

func requestsWhere(ctx context.Context, dbq db.Querier, where string, args ...any) ([]*Request, error) {
	rows, err := dbq.Query(ctx, `SELECT `+requestCols+requestFrom+` WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Request
	for rows.Next() {
		q, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// requestTx records backdated event e as a request (checked by the caller).
func (s *Store) requestTx(ctx context.Context, tx *db.Tx, actor audit.Actor, e *Event) error {
	now := s.now()
	err := tx.QueryRow(ctx, `INSERT INTO seal_event_requests (person_id_no, kind, event_date, office_id, clerk_id, clerk_name,
		application_no, application_blob, imprint_blob, appearance_blob, signature_blob, note, source, reason, requested_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.PersonIDNo, e.Kind, rocdate.ISO(e.Date), e.OfficeID, nullID(e.ClerkID), e.ClerkName,
		e.ApplicationNo, e.ApplicationRef, e.ImprintRef, e.AppearanceRef, e.SignatureRef, e.Note, e.Source, e.Reason,
		db.FormatTime(now)).Scan(&e.RequestID)
	if db.IsUniqueViolation(err) {
		return userErr("此人已有一筆待主管核准的印鑑補登，請待核准或駁回後再辦理")
	}
	if err != nil {
		return err
	}
	a := audit.For(actor, "seal."+e.Kind+".request", "seal_event_request", fmt.Sprint(e.RequestID))
	a.PersonIDNo = e.PersonIDNo
	a.Detail = fmt.Sprintf("backdated effective=%s recorded=%s application_no=%s reason=%s",
		rocdate.ISO(e.Date), civil.Of(now).ISO(), e.ApplicationNo, e.Reason)
	return audit.Log(ctx, tx, a)
}

// noPendingTx refuses what (a phrase: 辦理…) while a backdated event of the
// person awaits approval.
func noPendingTx(ctx context.Context, tx db.Querier, idNo, what string) error {
	p, err := requestsWhere(ctx, tx, `q.person_id_no = ? AND q.state = 'pending'`, idNo)
	if err != nil {
		return err
	}
	if len(p) == 0 {
		return nil
	}
	e := p[0].Event
	return userErr(fmt.Sprintf("此人有一筆待主管核准的印鑑%s補登（生效日 %s，%s登錄），核准或駁回前不能%s",
		e.KindLabel(), rocdate.FormatShort(e.Date), e.OfficeName, what))
}

// PendingRequests returns the person's backdated events awaiting approval
// (at most one).
func (s *Store) PendingRequests(ctx context.Context, idNo string) ([]*Request, error) {
	return requestsWhere(ctx, s.DB, `q.person_id_no = ? AND q.state = 'pending' ORDER BY q.id`, idNo)
}

// Request returns one request.
func (s *Store) Request(ctx context.Context, id int64) (*Request, error) {
	return scanRequest(s.DB.QueryRow(ctx, `SELECT `+requestCols+requestFrom+` WHERE q.id = ?`, id))
}

// Requests lists the requests an approver sees: those recorded at officeID
// (every office's when cityWide), pending ones oldest first, or the latest
// limit decided ones.
func (s *Store) Requests(ctx context.Context, officeID int64, cityWide, pending bool, limit int) ([]*Request, error) {
	where, args := "q.state = 'pending'", []any{}
	order := " ORDER BY q.id"
	if !pending {
		where, order = "q.state <> 'pending'", " ORDER BY q.id DESC"
	}
	if !cityWide {
		where += " AND q.office_id = ?"
		args = append(args, officeID)
	}
	if limit > 0 {
		order += fmt.Sprintf(" LIMIT %d", limit)
	}
	out, err := requestsWhere(ctx, s.DB, where+order, args...)
	if err != nil {
		return nil, err
	}
	for _, q := range out {
		if q.State != RequestPending {
			continue
		}
		from := time.Date(q.Event.Date.Year(), q.Event.Date.Month(), q.Event.Date.Day(), 0, 0, 0, 0, rocdate.Taipei)
		if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM seal_certificates WHERE person_id_no = ? AND status = 'issued' AND issued_at >= ?`,
			q.Event.PersonIDNo, db.FormatTime(from)).Scan(&q.CertificatesSince); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// pendingForDecision reads request id for approver, with the person locked:
// it must be of an office approver may act on, and still pending.
func pendingForDecision(ctx context.Context, tx *db.Tx, approver *auth.User, id int64) (*Request, error) {
	var person string
	if err := tx.QueryRow(ctx, `SELECT person_id_no FROM seal_event_requests WHERE id = ?`, id).Scan(&person); err != nil {
		return nil, notFound(err)
	}
	if err := lockPerson(ctx, tx, person); err != nil {
		return nil, err
	}
	q, err := scanRequest(tx.QueryRow(ctx, `SELECT `+requestCols+requestFrom+` WHERE q.id = ?`, id))
	if err != nil {
		return nil, err
	}
	if !approver.CanActOnOffice(q.Event.OfficeID) {
		return nil, ErrOtherOffice
	}
	if q.State != RequestPending {
		return nil, ErrDecided
	}
	return q, nil
}

// decideTx moves q out of pending: one transition, so a request is approved
// or rejected once.
func (s *Store) decideTx(ctx context.Context, tx *db.Tx, approver *auth.User, q *Request, state, note string, eventID int64) error {
	res, err := tx.Exec(ctx, `UPDATE seal_event_requests SET state = ?, decided_by = ?, decided_by_name = ?, decided_at = ?,
		decision_note = ?, event_id = ? WHERE id = ? AND state = 'pending'`,
		state, nullID(approver.ID), approver.DisplayName, db.FormatTime(s.now()), strings.TrimSpace(note), nullID(eventID), q.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrDecided
	}
	q.State, q.DecidedBy, q.DecidedByName, q.DecisionNote, q.EventID = state, approver.ID, approver.DisplayName, strings.TrimSpace(note), eventID
	return nil
}

// ApproveRequest approves a backdated event: it is recorded in force from its
// effective date, after the checks of AddEvent are made again on the history
// as it is now (a failed check leaves the request pending, to be rejected).
// The one who recorded it may not approve it.
func (s *Store) ApproveRequest(ctx context.Context, approver *auth.User, client string, id int64, note string) (*Event, error) {
	if !approver.Can(auth.SealApprove) {
		return nil, ErrNoApproval
	}
	actor := approver.Actor(client)
	var ev *Event
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		q, err := pendingForDecision(ctx, tx, approver, id)
		if err != nil {
			return err
		}
		if q.Event.ClerkID != 0 && q.Event.ClerkID == approver.ID {
			return ErrSelfApproval
		}
		ev = q.Event
		events, err := eventsOf(ctx, tx, ev.PersonIDNo)
		if err != nil {
			return err
		}
		if err := checkSequence(events, ev, rocdate.Today(s.now())); err != nil {
			return err
		}
		detail := fmt.Sprintf(" backdated request=%d approved_by=%s reason=%s", q.ID, approver.Username, ev.Reason)
		if err := s.insertEventTx(ctx, tx, actor, ev, detail); err != nil {
			return err
		}
		if err := s.decideTx(ctx, tx, approver, q, RequestApproved, note, ev.ID); err != nil {
			return err
		}
		ev.ApprovedBy, ev.ApprovedAt = approver.DisplayName, s.now()
		a := audit.For(actor, "seal.request.approve", "seal_event_request", fmt.Sprint(q.ID))
		a.PersonIDNo = ev.PersonIDNo
		a.Detail = fmt.Sprintf("event=%d kind=%s effective=%s requested_by=%s note=%s", ev.ID, ev.Kind, rocdate.ISO(ev.Date),
			ev.ClerkName, q.DecisionNote)
		return audit.Log(ctx, tx, a)
	})
	if err != nil {
		return nil, err
	}
	return ev, nil
}

// RejectRequest rejects a backdated event: it never takes effect.
func (s *Store) RejectRequest(ctx context.Context, approver *auth.User, client string, id int64, note string) (*Request, error) {
	if !approver.Can(auth.SealApprove) {
		return nil, ErrNoApproval
	}
	var q *Request
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if q, err = pendingForDecision(ctx, tx, approver, id); err != nil {
			return err
		}
		if err := s.decideTx(ctx, tx, approver, q, RequestRejected, note, 0); err != nil {
			return err
		}
		a := audit.For(approver.Actor(client), "seal.request.reject", "seal_event_request", fmt.Sprint(q.ID))
		a.PersonIDNo = q.Event.PersonIDNo
		a.Detail = fmt.Sprintf("kind=%s effective=%s requested_by=%s note=%s", q.Event.Kind, rocdate.ISO(q.Event.Date),
			q.Event.ClerkName, q.DecisionNote)
		return audit.Log(ctx, tx, a)
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}
