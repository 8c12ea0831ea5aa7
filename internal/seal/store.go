// Package seal is the seals and signatures subsystem (印簽比對): the seal
// registry with its full history, comparison of application imprints with the
// registered one (see compare), seal certificates (印鑑證明) issued at any
// office, and the protection of the images (encrypted at rest, served only to
// a clerk's session, never cached, every view audited with its purpose).
package seal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/platform/seqno"
)

// Event kinds.
const (
	Register = "register" // 印鑑登記
	Change   = "change"   // 印鑑變更
	Cancel   = "cancel"   // 印鑑註銷
)

// KindLabel is the Chinese name of an event kind.
func KindLabel(k string) string {
	switch k {
	case Register:
		return "登記"
	case Change:
		return "變更"
	case Cancel:
		return "註銷"
	}
	return k
}

// Event is one entry of a person's seal history.
type Event struct {
	ID             int64
	PersonIDNo     string
	Kind           string
	Date           time.Time
	OfficeID       int64
	OfficeName     string
	ClerkID        int64
	ClerkName      string
	ApplicationNo  string
	ApplicationRef string
	ImprintRef     string
	AppearanceRef  string
	SignatureRef   string
	Note           string
	Source         string
	CreatedAt      time.Time // when it was recorded in force (for a backdated event: when it was approved)
	// A backdated event (補登) is in force once a supervisor approved it:
	// RequestID is its request, Reason why it was backdated, ApprovedBy and
	// ApprovedAt the approval. On a new event, Reason is the clerk's reason
	// for backdating; after AddEvent, RequestID set and ID 0 mean it waits.
	RequestID  int64
	Reason     string
	ApprovedBy string
	ApprovedAt time.Time
}

// Pending reports whether the event, just recorded by AddEvent, waits for a
// supervisor's approval instead of being in force.
func (e *Event) Pending() bool { return e.ID == 0 && e.RequestID != 0 }

// KindLabel is the event's kind in Chinese.
func (e *Event) KindLabel() string { return KindLabel(e.Kind) }

// Comparison is one comparison and the clerk's decision.
type Comparison struct {
	ID            int64
	PersonIDNo    string
	EventID       int64
	OfficeID      int64
	UserID        int64
	Purpose       string
	CandRef       string
	OverlayRef    string
	RefLayerRef   string
	CandLayerRef  string
	Score         float64
	Verdict       string
	AngleDeg      float64
	Scale         float64
	Reason        string
	Features      string
	ElapsedMS     int64
	Decision      string
	DecidedBy     int64
	DecidedAt     string
	CreatedAt     time.Time
	CertificateID int64
}

// Certificate is an issued seal certificate.
type Certificate struct {
	ID           int64
	Number       string
	OfficeID     int64
	OfficeName   string
	ROCYear      int
	Seq          int64
	PersonIDNo   string
	EventID      int64
	ComparisonID int64
	Purpose      string
	Applicant    string
	AgentName    string
	Copies       int
	FeeItem      string
	FeeAmount    int64
	FeeStatus    string
	FeeRef       string
	Status       string
	RevokedAt    string
	RevokeReason string
	IssuedBy     int64
	IssuedByName string
	IssuedAt     time.Time
}

// Store is the seal registry's storage.
type Store struct {
	DB  *db.DB
	Now func() time.Time // the clock; nil: time.Now
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return s.DB.Now()
}

// Today is the civil day in Taipei by the store's clock: the day an event is
// recorded on and a certificate issued on.
func (s *Store) Today() time.Time { return rocdate.Today(s.now()) }

// ErrNotRegistered: the person has no registered seal now.
var ErrNotRegistered = errors.New("此人目前沒有登記印鑑")

// An event approved after it was requested as backdated carries its request
// (q): the reason and who approved it.
const eventCols = `e.id, e.person_id_no, e.kind, e.event_date, e.office_id, o.name, COALESCE(e.clerk_id, 0), e.clerk_name,
	e.application_no, e.application_blob, e.imprint_blob, e.appearance_blob, e.signature_blob, e.note, e.source, e.created_at,
	COALESCE(q.id, 0), COALESCE(q.reason, ''), COALESCE(q.decided_by_name, ''), COALESCE(q.decided_at, '')`

const eventFrom = ` FROM seal_events e JOIN offices o ON o.id = e.office_id LEFT JOIN seal_event_requests q ON q.event_id = e.id`

func scanEvent(r interface{ Scan(...any) error }) (*Event, error) {
	var e Event
	var date, created, approved string
	err := r.Scan(&e.ID, &e.PersonIDNo, &e.Kind, &date, &e.OfficeID, &e.OfficeName, &e.ClerkID, &e.ClerkName,
		&e.ApplicationNo, &e.ApplicationRef, &e.ImprintRef, &e.AppearanceRef, &e.SignatureRef, &e.Note, &e.Source, &created,
		&e.RequestID, &e.Reason, &e.ApprovedBy, &approved)
	if err != nil {
		return nil, notFound(err)
	}
	e.Date, _ = rocdate.ParseISO(date)
	e.CreatedAt = db.ParseTime(created)
	if approved != "" {
		e.ApprovedAt = db.ParseTime(approved)
	}
	return &e, nil
}

// History returns every seal event in force of a person (not the backdated
// ones awaiting approval), newest first: by effective date, then record order.
func (s *Store) History(ctx context.Context, idNo string) ([]*Event, error) {
	return eventsOf(ctx, s.DB, idNo)
}

func eventsOf(ctx context.Context, q db.Querier, idNo string) ([]*Event, error) {
	rows, err := q.Query(ctx, `SELECT `+eventCols+eventFrom+` WHERE e.person_id_no = ? ORDER BY e.event_date DESC, e.id DESC`, idNo)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Current returns the registration in force today (CurrentOn), or
// ErrNotRegistered.
func (s *Store) Current(ctx context.Context, idNo string) (*Event, error) {
	h, err := s.History(ctx, idNo)
	if err != nil {
		return nil, err
	}
	if cur := CurrentOn(h, s.Today()); cur != nil {
		return cur, nil
	}
	return nil, ErrNotRegistered
}

// Event returns one event.
func (s *Store) Event(ctx context.Context, id int64) (*Event, error) {
	return scanEvent(s.DB.QueryRow(ctx, `SELECT `+eventCols+eventFrom+` WHERE e.id = ?`, id))
}

// checkEventInput checks what the clerk filled in, before any reading.
func checkEventInput(e *Event) error {
	switch e.Kind {
	case Register, Change:
		if e.ImprintRef == "" {
			return userErr("登記或變更印鑑須附印模影像")
		}
	case Cancel:
	default:
		return fmt.Errorf("未知的印鑑異動種類 %q", e.Kind)
	}
	if e.Date.IsZero() {
		return userErr("請輸入異動日期")
	}
	return nil
}

// Backdated reports whether an event dated day, recorded on today, is
// backdated (補登): dated before the day it is recorded. An event of today is
// not.
func Backdated(day, today time.Time) bool { return rocdate.ISO(day) < rocdate.ISO(today) }

// AddEvent records a registration, change or cancellation made at the
// counter. Its effective date may be neither after today (Taipei, by the
// store's clock) nor before the person's previous event. An event dated today
// takes effect at once (e.ID is set). A backdated one (補登) needs a reason
// (e.Reason) and a supervisor's approval: it is recorded as a request that has
// no effect until ApproveRequest (e.RequestID is set, e.ID stays 0). While a
// request waits, no other event of the person is recorded.
func (s *Store) AddEvent(ctx context.Context, actor audit.Actor, e *Event) error {
	if err := checkEventInput(e); err != nil {
		return err
	}
	if e.Source == "" {
		e.Source = "counter"
	}
	today := s.Today()
	if err := checkNotFuture(e.Date, today); err != nil {
		return err
	}
	e.Reason = strings.TrimSpace(e.Reason)
	backdated := Backdated(e.Date, today)
	if backdated && e.Reason == "" {
		return userErr(fmt.Sprintf("異動日期 %s 早於今日（%s），屬補登：須填寫補登理由，經主管核准後生效",
			rocdate.FormatShort(e.Date), rocdate.FormatShort(today)))
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := lockPerson(ctx, tx, e.PersonIDNo); err != nil {
			return err
		}
		if err := noPendingTx(ctx, tx, e.PersonIDNo, "辦理其他印鑑異動"); err != nil {
			return err
		}
		events, err := eventsOf(ctx, tx, e.PersonIDNo)
		if err != nil {
			return err
		}
		if err := checkSequence(events, e, today); err != nil {
			return err
		}
		if backdated {
			return s.requestTx(ctx, tx, actor, e)
		}
		return s.insertEventTx(ctx, tx, actor, e, "")
	})
}

// AddHistorical records a seal card transcribed from the paper register (印鑑條
// 建檔: the demo's cards, generated history): the card is the record of an
// event decided when it was made, so it is in force from its date without a
// new approval. The date and order rules of AddEvent apply; the source (not
// "counter") is in the event and its audit entry. The bulk import (Import)
// follows the same rules.
func (s *Store) AddHistorical(ctx context.Context, actor audit.Actor, e *Event) error {
	if err := checkEventInput(e); err != nil {
		return err
	}
	if e.Source == "" || e.Source == "counter" {
		return errors.New("seal: a historical event needs its source (import, demo …); counter events go through AddEvent")
	}
	today := s.Today()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := lockPerson(ctx, tx, e.PersonIDNo); err != nil {
			return err
		}
		events, err := eventsOf(ctx, tx, e.PersonIDNo)
		if err != nil {
			return err
		}
		if err := checkSequence(events, e, today); err != nil {
			return err
		}
		return s.insertEventTx(ctx, tx, actor, e, "")
	})
}

func checkNotFuture(day, today time.Time) error {
	if rocdate.ISO(day) > rocdate.ISO(today) {
		return userErr(fmt.Sprintf("異動日期 %s 晚於今日（%s），不能登錄未來日期的印鑑異動",
			rocdate.FormatShort(day), rocdate.FormatShort(today)))
	}
	return nil
}

// checkSequence checks event e against the person's events in force: not
// dated in the future, not before the previous event, and a registration
// only when none is in force on its date, a change or cancellation only when
// one is.
func checkSequence(events []*Event, e *Event, today time.Time) error {
	if err := checkNotFuture(e.Date, today); err != nil {
		return err
	}
	if last := lastEvent(events); last != nil && rocdate.ISO(e.Date) < rocdate.ISO(last.Date) {
		return userErr(fmt.Sprintf("異動日期 %s 早於此人前一筆印鑑%s（%s），不能登錄",
			rocdate.FormatShort(e.Date), last.KindLabel(), rocdate.FormatShort(last.Date)))
	}
	cur := CurrentOn(events, e.Date)
	switch {
	case e.Kind == Register && cur != nil:
		return userErr("此人已有登記印鑑，請辦理變更")
	case e.Kind != Register && cur == nil:
		return userErr("此人目前沒有登記印鑑，無從變更或註銷")
	}
	return nil
}

// insertEventTx records e in force, with its audit entry (detail appended).
// The checks are the caller's.
func (s *Store) insertEventTx(ctx context.Context, tx *db.Tx, actor audit.Actor, e *Event, detail string) error {
	err := tx.QueryRow(ctx, `INSERT INTO seal_events (person_id_no, kind, event_date, office_id, clerk_id, clerk_name,
		application_no, application_blob, imprint_blob, appearance_blob, signature_blob, note, source, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.PersonIDNo, e.Kind, rocdate.ISO(e.Date), e.OfficeID, nullID(e.ClerkID), e.ClerkName,
		e.ApplicationNo, e.ApplicationRef, e.ImprintRef, e.AppearanceRef, e.SignatureRef, e.Note, e.Source,
		db.FormatTime(s.now())).Scan(&e.ID)
	if err != nil {
		return err
	}
	a := audit.For(actor, "seal."+e.Kind, "seal_event", fmt.Sprint(e.ID))
	a.PersonIDNo = e.PersonIDNo
	a.Detail = "application_no=" + e.ApplicationNo + " source=" + e.Source + " effective=" + rocdate.ISO(e.Date) + detail
	return audit.Log(ctx, tx, a)
}

// lockPerson serialises the transactions that read a person's seal state and
// act on it (recording, approving, issuing). SQLite's write transactions are
// serial already (immediate); PostgreSQL takes a transaction lock on the person.
func lockPerson(ctx context.Context, tx *db.Tx, idNo string) error {
	if tx.Engine != db.Postgres {
		return nil
	}
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(5050, hashtext(?))`, idNo)
	return err
}

// UserError is a rule the clerk's input broke; its message is for the clerk.
type UserError struct{ Msg string }

func (e *UserError) Error() string { return e.Msg }

func userErr(msg string) error { return &UserError{Msg: msg} }

// notFound maps a missing row to db.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return db.ErrNotFound
	}
	return err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// AddComparison stores a comparison.
func (s *Store) AddComparison(ctx context.Context, actor audit.Actor, c *Comparison) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO seal_comparisons (person_id_no, event_id, office_id, user_id, purpose, cand_blob,
			overlay_blob, ref_layer_blob, cand_layer_blob, score, verdict, angle_deg, scale, reason, features, elapsed_ms, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.PersonIDNo, c.EventID, c.OfficeID, nullID(c.UserID), c.Purpose, c.CandRef, c.OverlayRef, c.RefLayerRef, c.CandLayerRef,
			c.Score, c.Verdict, c.AngleDeg, c.Scale, c.Reason, c.Features, c.ElapsedMS, db.FormatTime(s.now())).Scan(&c.ID)
		if err != nil {
			return err
		}
		a := audit.For(actor, "seal.compare", "seal_comparison", fmt.Sprint(c.ID))
		a.PersonIDNo = c.PersonIDNo
		a.Detail = fmt.Sprintf("verdict=%s score=%.3f purpose=%s", c.Verdict, c.Score, c.Purpose)
		return audit.Log(ctx, tx, a)
	})
}

const comparisonCols = `c.id, c.person_id_no, c.event_id, c.office_id, COALESCE(c.user_id, 0), c.purpose, c.cand_blob, c.overlay_blob,
	c.ref_layer_blob, c.cand_layer_blob, c.score, c.verdict, c.angle_deg, c.scale, c.reason, c.features, c.elapsed_ms,
	c.decision, COALESCE(c.decided_by, 0), c.decided_at, c.created_at, COALESCE((SELECT id FROM seal_certificates WHERE comparison_id = c.id), 0)`

// Comparison returns one comparison.
func (s *Store) Comparison(ctx context.Context, id int64) (*Comparison, error) {
	var c Comparison
	var created string
	err := s.DB.QueryRow(ctx, `SELECT `+comparisonCols+` FROM seal_comparisons c WHERE c.id = ?`, id).Scan(
		&c.ID, &c.PersonIDNo, &c.EventID, &c.OfficeID, &c.UserID, &c.Purpose, &c.CandRef, &c.OverlayRef, &c.RefLayerRef,
		&c.CandLayerRef, &c.Score, &c.Verdict, &c.AngleDeg, &c.Scale, &c.Reason, &c.Features, &c.ElapsedMS,
		&c.Decision, &c.DecidedBy, &c.DecidedAt, &created, &c.CertificateID)
	if err != nil {
		return nil, notFound(err)
	}
	c.CreatedAt = db.ParseTime(created)
	return &c, nil
}

// Refuse records that the clerk refused the imprint.
func (s *Store) Refuse(ctx context.Context, actor audit.Actor, id int64, note string) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var person, decision string
		if err := tx.QueryRow(ctx, `SELECT person_id_no, decision FROM seal_comparisons WHERE id = ?`, id).Scan(&person, &decision); err != nil {
			return err
		}
		if decision != "" {
			return errAlreadyDecided
		}
		if _, err := tx.Exec(ctx, `UPDATE seal_comparisons SET decision = 'refused', decided_by = ?, decided_at = ? WHERE id = ?`,
			nullID(actor.UserID), db.FormatTime(s.now()), id); err != nil {
			return err
		}
		a := audit.For(actor, "seal.refuse", "seal_comparison", fmt.Sprint(id))
		a.PersonIDNo, a.Detail = person, note
		return audit.Log(ctx, tx, a)
	})
}

var errAlreadyDecided = errors.New("此次比對已有決定")

// IssueRequest is what a clerk fills in to issue a certificate.
type IssueRequest struct {
	ComparisonID int64
	Purpose      string
	Applicant    string // self | agent
	AgentName    string
	Copies       int
	Override     string // why the clerk confirms despite a mismatch verdict
	OfficeID     int64
	OfficeCode   string
	UserName     string
}

// FeePerCopy is the statutory fee of a seal certificate (戶政規費: 印鑑證明
// 每份新臺幣 20 元) by effective date, newest first. The fee subsystem owns
// collection; this records the amount due.
var FeePerCopy = []struct {
	From   string
	Amount int64
}{{"1998-01-01", 20}}

func feeOn(day time.Time) int64 {
	d := day.Format("2006-01-02")
	for _, f := range FeePerCopy {
		if d >= f.From {
			return f.Amount
		}
	}
	return FeePerCopy[len(FeePerCopy)-1].Amount
}

// Issue confirms a comparison and issues the certificate with the next number
// of the issuing office, in one transaction with its audit entry. The
// registration compared must be the one in force on the day of issue
// (CurrentOn), at whichever office issues.
func (s *Store) Issue(ctx context.Context, actor audit.Actor, req IssueRequest) (*Certificate, error) {
	req.Purpose = strings.TrimSpace(req.Purpose)
	if req.Purpose == "" {
		return nil, userErr("請填寫印鑑證明用途")
	}
	if req.Applicant != "self" && req.Applicant != "agent" {
		return nil, userErr("請選擇申請人為本人或代理人")
	}
	if req.Applicant == "agent" && strings.TrimSpace(req.AgentName) == "" {
		return nil, userErr("代理人申請須填寫代理人姓名")
	}
	if req.Copies < 1 || req.Copies > 20 {
		return nil, userErr("份數須為 1 至 20 份")
	}
	now := s.now()
	today := rocdate.Today(now)
	cert := &Certificate{OfficeID: req.OfficeID, Purpose: req.Purpose, Applicant: req.Applicant, AgentName: strings.TrimSpace(req.AgentName),
		Copies: req.Copies, FeeItem: "印鑑證明", FeeAmount: feeOn(now) * int64(req.Copies), FeeStatus: "due", Status: "issued",
		IssuedBy: actor.UserID, IssuedByName: req.UserName, IssuedAt: now, ComparisonID: req.ComparisonID}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var verdict, decision string
		if err := tx.QueryRow(ctx, `SELECT person_id_no, event_id, verdict, decision FROM seal_comparisons WHERE id = ?`, req.ComparisonID).
			Scan(&cert.PersonIDNo, &cert.EventID, &verdict, &decision); err != nil {
			return err
		}
		if decision != "" {
			return errAlreadyDecided
		}
		if err := lockPerson(ctx, tx, cert.PersonIDNo); err != nil {
			return err
		}
		if err := certifiableTx(ctx, tx, cert.PersonIDNo, cert.EventID, today); err != nil {
			return err
		}
		switch verdict {
		case "poor":
			return userErr("印文不清，不能據以核發；請民眾重新用印後再比對")
		case "mismatch":
			if strings.TrimSpace(req.Override) == "" {
				return userErr("系統判定不符；如經人工核對確認相符，請填寫核對說明")
			}
		}
		cert.ROCYear = rocdate.Year(now)
		n, err := seqno.Next(ctx, tx, seqno.Scope("seal_certificate", req.OfficeID, cert.ROCYear))
		if err != nil {
			return err
		}
		cert.Seq = n
		cert.Number = fmt.Sprintf("%03d-%s-%06d", cert.ROCYear, req.OfficeCode, n)
		if _, err := tx.Exec(ctx, `UPDATE seal_comparisons SET decision = 'confirmed', decided_by = ?, decided_at = ? WHERE id = ?`,
			nullID(actor.UserID), db.FormatTime(now), req.ComparisonID); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO seal_certificates (number, office_id, roc_year, seq, person_id_no, event_id, comparison_id,
			purpose, applicant, agent_name, copies, fee_item, fee_amount, fee_status, status, issued_by, issued_by_name, issued_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'due', 'issued', ?, ?, ?) RETURNING id`,
			cert.Number, cert.OfficeID, cert.ROCYear, cert.Seq, cert.PersonIDNo, cert.EventID, cert.ComparisonID,
			cert.Purpose, cert.Applicant, cert.AgentName, cert.Copies, cert.FeeItem, cert.FeeAmount,
			nullID(actor.UserID), cert.IssuedByName, db.FormatTime(now)).Scan(&cert.ID)
		if err != nil {
			return err
		}
		a := audit.For(actor, "seal.certificate.issue", "seal_certificate", fmt.Sprint(cert.ID))
		a.PersonIDNo = cert.PersonIDNo
		a.Detail = fmt.Sprintf("number=%s comparison=%d verdict=%s fee=%d override=%s", cert.Number, req.ComparisonID, verdict, cert.FeeAmount, req.Override)
		return audit.Log(ctx, tx, a)
	})
	if err != nil {
		return nil, err
	}
	return cert, nil
}

// certifiableTx refuses a certificate unless registration eventID is the
// person's seal in force on day and no backdated event of the person awaits
// approval (it could end or replace that seal before the day of issue).
func certifiableTx(ctx context.Context, tx db.Querier, idNo string, eventID int64, day time.Time) error {
	events, err := eventsOf(ctx, tx, idNo)
	if err != nil {
		return err
	}
	cur := CurrentOn(events, day)
	switch {
	case cur == nil:
		msg := "此人於核發日（" + rocdate.FormatShort(day) + "）沒有有效的登記印鑑"
		if last := lastEvent(events); last != nil && last.Kind == Cancel {
			msg += "（印鑑已於 " + rocdate.FormatShort(last.Date) + " 註銷）"
		}
		return userErr(msg + "，不能核發印鑑證明")
	case cur.ID != eventID:
		return userErr("比對後印鑑已有異動，請重新比對")
	}
	if c := Contradicted(events, cur); c != nil {
		return userErr(contradictionMsg(c, cur) + "，不能核發印鑑證明")
	}
	return noPendingTx(ctx, tx, idNo, "核發印鑑證明")
}

// contradictionMsg explains Contradicted's finding to the clerk.
func contradictionMsg(c, cur *Event) string {
	return fmt.Sprintf("此人的印鑑紀錄順序有誤：%s（生效日 %s）登錄於目前登記印鑑（%s %s）之後，日期卻在其前；"+
		"請主管查明，以今日辦理變更或註銷更正", c.KindLabel(), rocdate.FormatShort(c.Date), cur.KindLabel(), rocdate.FormatShort(cur.Date))
}

// Certifiable reports (nil) whether a certificate could be issued today on
// registration eventID of the person, else why not (a *UserError): the check
// Issue makes, for pages that offer issuing.
func (s *Store) Certifiable(ctx context.Context, idNo string, eventID int64) error {
	return certifiableTx(ctx, s.DB, idNo, eventID, s.Today())
}

const certCols = `c.id, c.number, c.office_id, o.name, c.roc_year, c.seq, c.person_id_no, c.event_id, c.comparison_id, c.purpose,
	c.applicant, c.agent_name, c.copies, c.fee_item, c.fee_amount, c.fee_status, c.fee_ref, c.status, c.revoked_at, c.revoke_reason,
	COALESCE(c.issued_by, 0), c.issued_by_name, c.issued_at`

func scanCert(r interface{ Scan(...any) error }) (*Certificate, error) {
	var c Certificate
	var issued string
	err := r.Scan(&c.ID, &c.Number, &c.OfficeID, &c.OfficeName, &c.ROCYear, &c.Seq, &c.PersonIDNo, &c.EventID, &c.ComparisonID,
		&c.Purpose, &c.Applicant, &c.AgentName, &c.Copies, &c.FeeItem, &c.FeeAmount, &c.FeeStatus, &c.FeeRef, &c.Status,
		&c.RevokedAt, &c.RevokeReason, &c.IssuedBy, &c.IssuedByName, &issued)
	if err != nil {
		return nil, notFound(err)
	}
	c.IssuedAt = db.ParseTime(issued)
	return &c, nil
}

// Certificate returns one certificate.
func (s *Store) Certificate(ctx context.Context, id int64) (*Certificate, error) {
	return scanCert(s.DB.QueryRow(ctx, `SELECT `+certCols+` FROM seal_certificates c JOIN offices o ON o.id = c.office_id WHERE c.id = ?`, id))
}

// Certificates returns a person's certificates, newest first.
func (s *Store) Certificates(ctx context.Context, idNo string) ([]*Certificate, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+certCols+` FROM seal_certificates c JOIN offices o ON o.id = c.office_id
		WHERE c.person_id_no = ? ORDER BY c.id DESC`, idNo)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Certificate
	for rows.Next() {
		c, err := scanCert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Revoke cancels an issued certificate (註銷印鑑證明).
func (s *Store) Revoke(ctx context.Context, actor audit.Actor, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return userErr("請填寫註銷原因")
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var status, person string
		if err := tx.QueryRow(ctx, `SELECT status, person_id_no FROM seal_certificates WHERE id = ?`, id).Scan(&status, &person); err != nil {
			return err
		}
		if status != "issued" {
			return userErr("此印鑑證明已註銷")
		}
		if _, err := tx.Exec(ctx, `UPDATE seal_certificates SET status = 'revoked', revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ?`,
			db.FormatTime(s.now()), nullID(actor.UserID), reason, id); err != nil {
			return err
		}
		a := audit.For(actor, "seal.certificate.revoke", "seal_certificate", fmt.Sprint(id))
		a.PersonIDNo, a.Detail = person, reason
		return audit.Log(ctx, tx, a)
	})
}

// DueFees lists certificates whose fee is still due at an office: the hook
// for the fee subsystem (it collects, then calls MarkFeePaid).
func (s *Store) DueFees(ctx context.Context, officeID int64) ([]*Certificate, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+certCols+` FROM seal_certificates c JOIN offices o ON o.id = c.office_id
		WHERE c.fee_status = 'due' AND c.office_id = ? ORDER BY c.id`, officeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Certificate
	for rows.Next() {
		c, err := scanCert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MarkFeePaid links a certificate to the receipt that collected its fee.
func (s *Store) MarkFeePaid(ctx context.Context, tx *db.Tx, certificateID int64, receiptRef string) error {
	res, err := tx.Exec(ctx, `UPDATE seal_certificates SET fee_status = 'paid', fee_ref = ? WHERE id = ? AND fee_status = 'due'`, receiptRef, certificateID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return userErr("印鑑證明規費已收或不存在")
	}
	return nil
}
