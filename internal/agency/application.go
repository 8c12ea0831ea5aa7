package agency

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
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

// Application statuses.
const (
	StatusDraft     = "draft"     // printed, waiting for the citizen's signature
	StatusSent      = "sent"      // signed: items released to the agencies
	StatusCancelled = "cancelled" // not signed; nothing went out
)

// Selection is one ticked agency with the citizen's account number there.
type Selection struct {
	AgencyID  int64  `json:"agency_id"`
	AccountNo string `json:"account_no,omitempty"`
}

// NewApplication is what the clerk submits at the counter.
type NewApplication struct {
	// IdempotencyKey is generated with the form; submitting the same key again
	// (a double click, a retry after a lost response) returns the first result.
	IdempotencyKey    string            `json:"idempotency_key"`
	Kind              string            `json:"kind"`
	PersonIDNo        string            `json:"person_id_no"`
	ApplicantName     string            `json:"applicant_name,omitempty"`
	ApplicantIDNo     string            `json:"applicant_id_no,omitempty"`
	ApplicantRelation string            `json:"applicant_relation,omitempty"`
	Fields            map[string]string `json:"fields"`
	Agencies          []Selection       `json:"agencies"`
}

// Application is a consolidated application (跨機關服務申請書) with its items.
type Application struct {
	ID                int64
	OfficeID          int64
	OfficeName        string
	OfficeDistrict    string
	RocYear           int
	Number            int64
	Kind              string
	PersonID          int64
	SubjectIDNo       string
	SubjectName       string
	SubjectBirthDate  civil.Date
	ApplicantName     string
	ApplicantIDNo     string
	ApplicantRelation string
	Fields            map[string]string
	Status            string
	ClerkID           int64
	ClerkName         string
	CounterID         int64
	CreatedAt         time.Time
	Day               civil.Date
	SentAt            time.Time
	SentDay           civil.Date
	ScanHash          string
	CancelledAt       time.Time
	CancelReason      string
	Items             []*Item
}

// No is the application's number as printed, e.g. 113西屯N加e字第000123號.
func (a *Application) No() string { return ApplicationNo(a.RocYear, a.OfficeDistrict, a.Number) }

// ApplicationNo formats an application number.
func ApplicationNo(rocYear int, district string, n int64) string {
	return fmt.Sprintf("%d%sN加e字第%06d號", rocYear, strings.TrimSuffix(district, "區"), n)
}

// KindInfo is the application's change kind.
func (a *Application) KindInfo() Kind { k, _ := KindByCode(a.Kind); return k }

// StatusLabel is the application status in Chinese.
func (a *Application) StatusLabel() string {
	switch a.Status {
	case StatusDraft:
		return "待簽名送出"
	case StatusSent:
		return "已送出"
	case StatusCancelled:
		return "已取消"
	}
	return a.Status
}

// FieldRows pairs the kind's labels with the values, in the kind's order.
func (a *Application) FieldRows() []FieldValue {
	var out []FieldValue
	for _, f := range a.KindInfo().Fields {
		v := a.Fields[f.Key]
		out = append(out, FieldValue{Key: f.Key, Label: f.Label, Value: v, Display: displayValue(f.Type, v)})
	}
	return out
}

// FieldValue is one labelled value.
type FieldValue struct{ Key, Label, Value, Display string }

func displayValue(t FieldType, v string) string {
	if t == TypeDate && v != "" {
		if d, err := civil.ParseISO(v); err == nil { // field values are stored in ISO form
			return d.ROCLong()
		}
	}
	return v
}

// Item is one outbound notification to one agency.
type Item struct {
	ID            int64
	ApplicationID int64
	AgencyID      int64
	AgencyCode    string
	AgencyName    string
	CategoryName  string
	AccountLabel  string
	AccountNo     string
	Seq           int64
	Payload       string
	ReleasedAt    time.Time
	ReleasedDay   civil.Date
	DueDay        civil.Date
	FileID        int64
	DeliveredAt   time.Time
	DeliveredVia  string
	AckedAt       time.Time
	Result        string
	Reason        string
	AppStatus     string
}

// Item states, derived from the timestamps.
const (
	ItemDraft     = "draft"
	ItemCancelled = "cancelled"
	ItemQueued    = "queued"    // released, not fetched yet
	ItemDelivered = "delivered" // pulled over the API or downloaded over SFTP
	ItemApplied   = "applied"   // the agency acknowledged it as applied
	ItemRejected  = "rejected"  // the agency could not apply it (reason)
)

// State is the item's tracking state.
func (it *Item) State() string {
	switch {
	case it.AppStatus == StatusCancelled:
		return ItemCancelled
	case it.Seq == 0:
		return ItemDraft
	case it.Result == "applied":
		return ItemApplied
	case it.Result == "rejected":
		return ItemRejected
	case !it.DeliveredAt.IsZero():
		return ItemDelivered
	}
	return ItemQueued
}

// StateLabel is the state in Chinese.
func (it *Item) StateLabel() string { return StateLabel(it.State(), it.DeliveredVia) }

// StateLabel names a state in Chinese.
func StateLabel(state, via string) string {
	switch state {
	case ItemDraft:
		return "待簽名"
	case ItemCancelled:
		return "已取消"
	case ItemQueued:
		return "已送出，待機關取件"
	case ItemDelivered:
		if via == "sftp" {
			return "機關已下載（SFTP）"
		}
		return "機關已取件（API）"
	case ItemApplied:
		return "機關已完成更新"
	case ItemRejected:
		return "機關退件"
	}
	return state
}

// Overdue reports whether a released item is past its agreed day unacknowledged.
func (it *Item) Overdue(today civil.Date) bool {
	return it.Seq != 0 && it.AckedAt.IsZero() && it.AppStatus == StatusSent && !it.DueDay.IsZero() && it.DueDay.Before(today)
}

var keyRE = regexp.MustCompile(`^[A-Za-z0-9_\-]{16,100}$`)

// ErrKeyReused is returned when an idempotency key belongs to another clerk's application.
var ErrKeyReused = errors.New("agency: idempotency key already used by another clerk")

// Create stores a draft application and its items in one transaction. created
// is false when the idempotency key was seen before: the first application is
// returned and nothing new is stored.
func (s *Service) Create(ctx context.Context, clerk *auth.User, counterID int64, client string, in NewApplication) (app *Application, created bool, err error) {
	if !keyRE.MatchString(in.IdempotencyKey) {
		return nil, false, invalid("送出識別碼不正確，請重新開啟申請畫面")
	}
	if app, err := s.byKey(ctx, in.IdempotencyKey); err == nil {
		if app.ClerkID != clerk.ID {
			return nil, false, ErrKeyReused
		}
		return app, false, nil
	} else if !errors.Is(err, db.ErrNotFound) {
		return nil, false, err
	}
	rec, err := s.prepare(ctx, in)
	if err != nil {
		return nil, false, err
	}
	now := s.now()
	today := civil.Of(now)
	fieldsJSON, _ := json.Marshal(rec.fields)
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		year := today.ROCYear()
		n, err := seqno.Next(ctx, tx, seqno.Scope("agency_application", clerk.OfficeID, year))
		if err != nil {
			return err
		}
		var counter any
		if counterID != 0 {
			counter = counterID
		}
		if err := tx.QueryRow(ctx, `INSERT INTO agency_applications (idempotency_key, office_id, roc_year, number, kind, person_id, subject_id_no,
			subject_name, subject_birth_date, applicant_name, applicant_id_no, applicant_relation, fields, status, clerk_id, counter_id, created_at, day)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.IdempotencyKey, clerk.OfficeID, year, n, rec.kind.Code, rec.personID, rec.subjectIDNo, rec.subjectName, rec.subjectBirth,
			rec.applicantName, rec.applicantIDNo, rec.applicantRelation, string(fieldsJSON), StatusDraft, clerk.ID, counter,
			db.FormatTime(now), today).Scan(&id); err != nil {
			return err
		}
		for i, sel := range rec.selections {
			if _, err := tx.Exec(ctx, `INSERT INTO agency_items (application_id, agency_id, account_no) VALUES (?, ?, ?)`,
				id, sel.AgencyID, sel.AccountNo); err != nil {
				return err
			}
			if i == 0 {
				if err := s.fail("create:after-first-item"); err != nil {
					return err
				}
			}
		}
		e := audit.For(clerk.Actor(client), "agency.application.create", "agency_application", fmt.Sprint(id))
		e.PersonIDNo = rec.subjectIDNo
		e.Detail = fmt.Sprintf("%d年第%06d號 %s, %d agencies", year, n, rec.kind.Name, len(rec.selections))
		if err := audit.Log(ctx, tx, e); err != nil {
			return err
		}
		return s.fail("create:before-commit")
	})
	if db.IsUniqueViolation(err) && strings.Contains(err.Error(), "idempotency_key") {
		app, err := s.byKey(ctx, in.IdempotencyKey) // a concurrent submission of the same form won
		if err != nil {
			return nil, false, err
		}
		if app.ClerkID != clerk.ID {
			return nil, false, ErrKeyReused
		}
		return app, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	app, err = s.Application(ctx, id)
	return app, true, err
}

type prepared struct {
	kind                                            Kind
	personID                                        int64
	subjectIDNo, subjectName                        string
	subjectBirth                                    civil.Date
	applicantName, applicantIDNo, applicantRelation string
	fields                                          map[string]string
	selections                                      []Selection
}

// prepare checks an application against the person register and the agency register.
func (s *Service) prepare(ctx context.Context, in NewApplication) (*prepared, error) {
	kind, ok := KindByCode(in.Kind)
	if !ok {
		return nil, invalid("請選擇異動類別")
	}
	rec := &prepared{kind: kind}
	idn := idno.Normalize(in.PersonIDNo)
	err := s.DB.QueryRow(ctx, `SELECT id, id_no, name, birth_date FROM persons WHERE id_no = ?`, idn).Scan(&rec.personID, &rec.subjectIDNo, &rec.subjectName, &rec.subjectBirth)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, invalid("查無統一編號「%s」的民眾資料，請先建檔", in.PersonIDNo)
	}
	if err != nil {
		return nil, err
	}
	rec.fields, err = kind.Validate(in.Fields, s.today())
	if err != nil {
		return nil, &ValidationError{Err: err}
	}
	rec.applicantName = strings.TrimSpace(in.ApplicantName)
	rec.applicantIDNo = idno.Normalize(in.ApplicantIDNo)
	rec.applicantRelation = strings.TrimSpace(in.ApplicantRelation)
	switch {
	case rec.applicantName == "" && kind.ApplicantRequired:
		return nil, invalid("「%s」須由申請人（如家屬、父母）填寫姓名及與當事人關係", kind.Name)
	case rec.applicantName == "":
		rec.applicantName, rec.applicantIDNo, rec.applicantRelation = rec.subjectName, rec.subjectIDNo, "本人"
	}
	if rec.applicantIDNo != "" {
		if _, err := idno.Validate(rec.applicantIDNo); err != nil {
			return nil, invalid("申請人統一編號：%v", err)
		}
	}
	if rec.applicantRelation == "" {
		return nil, invalid("請填寫申請人與當事人的關係")
	}
	if kind.NotSelf && (rec.applicantRelation == "本人" || rec.applicantIDNo == rec.subjectIDNo) {
		return nil, invalid("「%s」的申請人不可為當事人本人", kind.Name)
	}
	if len([]rune(rec.applicantName)) > 60 || len([]rune(rec.applicantRelation)) > 20 {
		return nil, invalid("申請人姓名或關係過長")
	}
	if len(in.Agencies) == 0 {
		return nil, invalid("請至少勾選一個通報機關")
	}
	seen := map[int64]bool{}
	for _, sel := range in.Agencies {
		if seen[sel.AgencyID] {
			continue
		}
		seen[sel.AgencyID] = true
		a, err := s.AgencyByID(ctx, sel.AgencyID)
		if errors.Is(err, db.ErrNotFound) {
			return nil, invalid("勾選的機關不存在（代碼 %d）", sel.AgencyID)
		}
		if err != nil {
			return nil, err
		}
		if !a.Active {
			return nil, invalid("「%s」已停止受理通報", a.Name)
		}
		if !a.Accepts(kind.Code) {
			return nil, invalid("「%s」不受理「%s」通報", a.Name, kind.Name)
		}
		acct, err := NormalizeAccount(sel.AccountNo)
		if err != nil {
			return nil, invalid("「%s」的%s%v", a.Name, a.AccountLabel, err)
		}
		if acct != "" && a.AccountLabel == "" {
			acct = ""
		}
		if a.AccountRequired && acct == "" {
			return nil, invalid("請填寫「%s」的%s", a.Name, a.AccountLabel)
		}
		rec.selections = append(rec.selections, Selection{AgencyID: a.ID, AccountNo: acct})
	}
	sort.Slice(rec.selections, func(i, j int) bool { return rec.selections[i].AgencyID < rec.selections[j].AgencyID })
	return rec, nil
}

// Send records the citizen's signature and releases the items to the agencies:
// each gets the next number of its agency's stream and its frozen payload, all
// in one transaction. Sending a sent application again changes nothing.
func (s *Service) Send(ctx context.Context, user *auth.User, client string, appID int64) (already bool, err error) {
	now := s.now()
	today := civil.Of(now)
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		already = false
		var status string
		var officeID int64
		err := tx.QueryRow(ctx, `SELECT status, office_id FROM agency_applications WHERE id = ?`, appID).Scan(&status, &officeID)
		if errors.Is(err, sql.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return err
		}
		if !user.CanActOnOffice(officeID) {
			return ErrOtherOffice
		}
		res, err := tx.Exec(ctx, `UPDATE agency_applications SET status = ?, sent_at = ?, sent_day = ?, sent_by = ? WHERE id = ? AND status = ?`,
			StatusSent, db.FormatTime(now), today, user.ID, appID, StatusDraft)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if status == StatusSent {
				already = true
				return nil
			}
			return ErrCancelled
		}
		app, err := s.application(ctx, tx, appID)
		if err != nil {
			return err
		}
		for i, it := range app.Items { // ascending agency id: sequence locks are always taken in one order
			a, err := s.agencyBy(ctx, tx, `a.id = ?`, it.AgencyID)
			if err != nil {
				return err
			}
			if !a.Active {
				return invalid("「%s」已停止受理通報，請取消此申請書後重新勾選", a.Name)
			}
			seq, err := seqno.Next(ctx, tx, itemScope(a.ID))
			if err != nil {
				return err
			}
			due := dueDay(today, a.AgreedDays)
			payload, err := buildPayload(app, a, it.AccountNo, today, due)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE agency_items SET seq = ?, payload = ?, released_at = ?, released_day = ?, due_day = ? WHERE id = ?`,
				seq, payload, db.FormatTime(now), today, due, it.ID); err != nil {
				return err
			}
			if i == 0 {
				if err := s.fail("send:after-first-item"); err != nil {
					return err
				}
			}
		}
		e := audit.For(user.Actor(client), "agency.application.send", "agency_application", fmt.Sprint(appID))
		e.PersonIDNo = app.SubjectIDNo
		e.Detail = fmt.Sprintf("%s: %d items released", app.No(), len(app.Items))
		if err := audit.Log(ctx, tx, e); err != nil {
			return err
		}
		return s.fail("send:before-commit")
	})
	return already, err
}

// itemScope is the sequence of an agency's item stream.
func itemScope(agencyID int64) string { return fmt.Sprintf("agency_item/%d", agencyID) }

// Errors of state transitions.
var (
	ErrCancelled   = errors.New("此申請書已取消，不能送出")
	ErrNotDraft    = errors.New("此申請書已送出，不能取消；如需更正請另案通報")
	ErrOtherOffice = errors.New("只能處理本所受理的申請書")
)

// Cancel marks a draft as cancelled (the citizen did not sign).
func (s *Service) Cancel(ctx context.Context, user *auth.User, client string, appID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		reason = "民眾未簽名"
	}
	if len([]rune(reason)) > 200 {
		return invalid("取消原因過長（最多200字）")
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var status, subject string
		var officeID int64
		err := tx.QueryRow(ctx, `SELECT status, office_id, subject_id_no FROM agency_applications WHERE id = ?`, appID).Scan(&status, &officeID, &subject)
		if errors.Is(err, sql.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return err
		}
		if !user.CanActOnOffice(officeID) {
			return ErrOtherOffice
		}
		switch status {
		case StatusCancelled:
			return nil
		case StatusSent:
			return ErrNotDraft
		}
		if _, err := tx.Exec(ctx, `UPDATE agency_applications SET status = ?, cancelled_at = ?, cancel_reason = ? WHERE id = ? AND status = ?`,
			StatusCancelled, db.FormatTime(s.now()), reason, appID, StatusDraft); err != nil {
			return err
		}
		e := audit.For(user.Actor(client), "agency.application.cancel", "agency_application", fmt.Sprint(appID))
		e.PersonIDNo, e.Detail = subject, reason
		return audit.Log(ctx, tx, e)
	})
}

const appCols = `a.id, a.office_id, o.name, o.district, a.roc_year, a.number, a.kind, COALESCE(a.person_id, 0), a.subject_id_no, a.subject_name,
	a.subject_birth_date, a.applicant_name, a.applicant_id_no, a.applicant_relation, a.fields, a.status, a.clerk_id, u.display_name,
	COALESCE(a.counter_id, 0), a.created_at, a.day, a.sent_at, a.sent_day, a.scan_hash, a.cancelled_at, a.cancel_reason`

const appFrom = ` FROM agency_applications a JOIN offices o ON o.id = a.office_id JOIN users u ON u.id = a.clerk_id`

func scanApp(r interface{ Scan(...any) error }) (*Application, error) {
	var a Application
	var fields, created, sent, cancelled string
	err := r.Scan(&a.ID, &a.OfficeID, &a.OfficeName, &a.OfficeDistrict, &a.RocYear, &a.Number, &a.Kind, &a.PersonID, &a.SubjectIDNo,
		&a.SubjectName, &a.SubjectBirthDate, &a.ApplicantName, &a.ApplicantIDNo, &a.ApplicantRelation, &fields, &a.Status, &a.ClerkID,
		&a.ClerkName, &a.CounterID, &created, &a.Day, &sent, &a.SentDay, &a.ScanHash, &cancelled, &a.CancelReason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	a.CreatedAt, a.SentAt, a.CancelledAt = parseTime(created), parseTime(sent), parseTime(cancelled)
	if err := json.Unmarshal([]byte(fields), &a.Fields); err != nil {
		return nil, fmt.Errorf("agency application %d fields: %w", a.ID, err)
	}
	return &a, nil
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	return db.ParseTime(s)
}

// Application returns one application with its items.
func (s *Service) Application(ctx context.Context, id int64) (*Application, error) {
	return s.application(ctx, s.DB, id)
}

func (s *Service) application(ctx context.Context, q db.Querier, id int64) (*Application, error) {
	a, err := scanApp(q.QueryRow(ctx, `SELECT `+appCols+appFrom+` WHERE a.id = ?`, id))
	if err != nil {
		return nil, err
	}
	items, err := s.items(ctx, q, `i.application_id = ?`, id)
	if err != nil {
		return nil, err
	}
	a.Items = items
	return a, nil
}

func (s *Service) byKey(ctx context.Context, key string) (*Application, error) {
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT id FROM agency_applications WHERE idempotency_key = ?`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return s.Application(ctx, id)
}

const itemCols = `i.id, i.application_id, i.agency_id, g.code, g.name, c.name, g.account_label, i.account_no, COALESCE(i.seq, 0), i.payload,
	i.released_at, i.released_day, i.due_day, COALESCE(i.file_id, 0), i.delivered_at, i.delivered_via, i.acked_at, i.result, i.reason, ap.status`

const itemFrom = ` FROM agency_items i JOIN agencies g ON g.id = i.agency_id JOIN agency_categories c ON c.id = g.category_id
	JOIN agency_applications ap ON ap.id = i.application_id`

func scanItem(r interface{ Scan(...any) error }) (*Item, error) {
	var it Item
	var released, delivered, acked string
	if err := r.Scan(&it.ID, &it.ApplicationID, &it.AgencyID, &it.AgencyCode, &it.AgencyName, &it.CategoryName, &it.AccountLabel, &it.AccountNo,
		&it.Seq, &it.Payload, &released, &it.ReleasedDay, &it.DueDay, &it.FileID, &delivered, &it.DeliveredVia, &acked, &it.Result, &it.Reason,
		&it.AppStatus); err != nil {
		return nil, err
	}
	it.ReleasedAt, it.DeliveredAt, it.AckedAt = parseTime(released), parseTime(delivered), parseTime(acked)
	return &it, nil
}

func (s *Service) items(ctx context.Context, q db.Querier, where string, args ...any) ([]*Item, error) {
	rows, err := q.Query(ctx, `SELECT `+itemCols+itemFrom+` WHERE `+where+` ORDER BY i.application_id, c.sort_order, g.sort_order, i.agency_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// ByPerson lists a person's applications (newest first) with their items.
func (s *Service) ByPerson(ctx context.Context, idNo string) ([]*Application, error) {
	return s.listApps(ctx, `a.subject_id_no = ?`, []any{idno.Normalize(idNo)}, 100)
}

// ForOffice lists an office's applications in a status (newest first).
func (s *Service) ForOffice(ctx context.Context, officeID int64, status string, limit int) ([]*Application, error) {
	return s.listApps(ctx, `a.office_id = ? AND a.status = ?`, []any{officeID, status}, limit)
}

func (s *Service) listApps(ctx context.Context, where string, args []any, limit int) ([]*Application, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+appCols+appFrom+` WHERE `+where+` ORDER BY a.created_at DESC, a.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	var apps []*Application
	byID := map[int64]*Application{}
	for rows.Next() {
		a, err := scanApp(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		apps = append(apps, a)
		byID[a.ID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, a := range apps {
		items, err := s.items(ctx, s.DB, `i.application_id = ?`, a.ID)
		if err != nil {
			return nil, err
		}
		byID[a.ID].Items = items
	}
	return apps, nil
}

// DueROC is the agreed last day as typed at the counter (113.07.15).
func (it *Item) DueROC() string { return it.DueDay.ROCShort() }
