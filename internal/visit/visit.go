// Package visit is the counter workbench (臨櫃服務): one screen for one citizen's
// visit with every subsystem within reach — 一處受理、全程服務. The clerk starts a
// visit by scanning or typing the citizen's ID; the screen gathers what the
// subsystems know about the person (seal registration, documents, archive
// requests, N加e notifications, what is still owed) and offers each action a
// keystroke away, pre-filled. All the visit's fees go on one receipt.
//
// The package owns only the visit itself (who, where, for whom, when); what is
// done during it stays in each subsystem's tables, reached through their Go
// APIs, and in the audit trail, from which the visit's activity is read.
package visit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"ebazhao/internal/person"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// Visit statuses.
const (
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// Visit is one citizen served at one counter.
type Visit struct {
	ID         int64
	OfficeID   int64
	CounterID  int64
	ClerkID    int64
	ClerkName  string
	PersonIDNo string
	PersonName string
	Kind       string
	Day        civil.Date
	StartedAt  time.Time
	EndedAt    time.Time
	Status     string
}

// Open reports whether the visit is still going on.
func (v *Visit) Open() bool { return v.Status == StatusOpen }

// KindInfo is the registration handled, if chosen.
func (v *Visit) KindInfo() (Kind, bool) { return KindByCode(v.Kind) }

// KindShort is the registration's short name ("" until chosen).
func (v *Visit) KindShort() string {
	k, _ := KindByCode(v.Kind)
	return k.Short
}

// Minutes is how long the visit has lasted (or lasted), in whole minutes.
func (v *Visit) Minutes(now time.Time) int {
	end := now
	if !v.EndedAt.IsZero() {
		end = v.EndedAt
	}
	return int(end.Sub(v.StartedAt).Minutes())
}

// Store keeps visits.
type Store struct {
	DB  *db.DB
	Now func() time.Time // nil: the database's clock
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return s.DB.Now()
}

const visitCols = `id, office_id, COALESCE(counter_id, 0), clerk_id, clerk_name, person_id_no, person_name, kind, day, started_at, ended_at, status`

func scanVisit(r interface{ Scan(...any) error }) (*Visit, error) {
	var v Visit
	var started, ended string
	err := r.Scan(&v.ID, &v.OfficeID, &v.CounterID, &v.ClerkID, &v.ClerkName, &v.PersonIDNo, &v.PersonName, &v.Kind, &v.Day,
		&started, &ended, &v.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	v.StartedAt = db.ParseTime(started)
	if ended != "" {
		v.EndedAt = db.ParseTime(ended)
	}
	return &v, nil
}

// ByID loads a visit.
func (s *Store) ByID(ctx context.Context, id int64) (*Visit, error) {
	return scanVisit(s.DB.QueryRow(ctx, `SELECT `+visitCols+` FROM visits WHERE id = ?`, id))
}

// OpenFor returns the clerk's open visit, or db.ErrNotFound.
func (s *Store) OpenFor(ctx context.Context, clerkID int64) (*Visit, error) {
	return scanVisit(s.DB.QueryRow(ctx, `SELECT `+visitCols+` FROM visits WHERE clerk_id = ? AND status = ? ORDER BY id DESC LIMIT 1`,
		clerkID, StatusOpen))
}

// Start opens a visit of clerk u at counterID for p. A clerk serves one citizen
// at a time: a visit of theirs still open is closed first, unless it is for the
// same person, which is returned as it is (scanning the same card twice).
func (s *Store) Start(ctx context.Context, u *auth.User, client string, counterID int64, p *person.Person, kind string) (v *Visit, resumed bool, err error) {
	if kind != "" {
		if _, ok := KindByCode(kind); !ok {
			return nil, false, fmt.Errorf("visit: unknown kind %q", kind)
		}
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		// A clerk's starts queue on the clerk's row: two tabs (or a double
		// scan) starting at once must not both close the same visit, or both
		// open one (PostgreSQL reads committed data; SQLite serializes anyway).
		if _, err := tx.Exec(ctx, `UPDATE users SET updated_at = updated_at WHERE id = ?`, u.ID); err != nil {
			return err
		}
		prev, err := scanVisit(tx.QueryRow(ctx, `SELECT `+visitCols+` FROM visits WHERE clerk_id = ? AND status = ? ORDER BY id DESC LIMIT 1`,
			u.ID, StatusOpen))
		switch {
		case err == nil && prev.PersonIDNo == p.IDNo && prev.Day == civil.Of(now):
			v, resumed = prev, true
			if kind != "" && kind != prev.Kind {
				if _, err := tx.Exec(ctx, `UPDATE visits SET kind = ? WHERE id = ?`, kind, prev.ID); err != nil {
					return err
				}
				v.Kind = kind
			}
			return nil
		case err == nil:
			// ErrClosed: the clerk ended it meanwhile (another tab) — closed
			// is what it had to be.
			if err := closeTx(ctx, tx, u.Actor(client), prev, now); err != nil && !errors.Is(err, ErrClosed) {
				return err
			}
		case !errors.Is(err, db.ErrNotFound):
			return err
		}
		var counter any
		if counterID != 0 {
			counter = counterID
		}
		v = &Visit{OfficeID: u.OfficeID, CounterID: counterID, ClerkID: u.ID, ClerkName: u.DisplayName, PersonIDNo: p.IDNo,
			PersonName: p.Name, Kind: kind, Day: civil.Of(now), StartedAt: now, Status: StatusOpen}
		if err := tx.QueryRow(ctx, `INSERT INTO visits (office_id, counter_id, clerk_id, clerk_name, person_id_no, person_name, kind, day, started_at, status)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, v.OfficeID, counter, v.ClerkID, v.ClerkName, v.PersonIDNo, v.PersonName,
			v.Kind, v.Day, db.FormatTime(now), v.Status).Scan(&v.ID); err != nil {
			return err
		}
		e := audit.For(u.Actor(client), "visit.start", "visit", fmt.Sprint(v.ID))
		e.PersonIDNo, e.At = p.IDNo, now
		if k, ok := KindByCode(kind); ok {
			e.Detail = k.Label
		}
		return audit.Log(ctx, tx, e)
	})
	return v, resumed, err
}

// SetKind records the registration the visit is for.
func (s *Store) SetKind(ctx context.Context, actor audit.Actor, v *Visit, kind string) error {
	k, ok := KindByCode(kind)
	if !ok {
		return fmt.Errorf("visit: unknown kind %q", kind)
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE visits SET kind = ? WHERE id = ? AND status = ?`, kind, v.ID, StatusOpen)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrClosed
		}
		v.Kind = kind
		e := audit.For(actor, "visit.kind", "visit", fmt.Sprint(v.ID))
		e.PersonIDNo, e.Detail = v.PersonIDNo, k.Label
		return audit.Log(ctx, tx, e)
	})
}

// ErrClosed: the visit has ended; nothing more is done in it.
var ErrClosed = errors.New("此臨櫃服務已結束，請重新開始")

// End closes the visit.
func (s *Store) End(ctx context.Context, actor audit.Actor, v *Visit) error {
	now := s.now()
	return s.DB.InTx(ctx, func(tx *db.Tx) error { return closeTx(ctx, tx, actor, v, now) })
}

func closeTx(ctx context.Context, tx *db.Tx, actor audit.Actor, v *Visit, now time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE visits SET status = ?, ended_at = ? WHERE id = ? AND status = ?`, StatusClosed, db.FormatTime(now), v.ID, StatusOpen)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrClosed
	}
	v.Status, v.EndedAt = StatusClosed, now
	e := audit.For(actor, "visit.end", "visit", fmt.Sprint(v.ID))
	e.PersonIDNo, e.At = v.PersonIDNo, now
	e.Detail = fmt.Sprintf("%d 分鐘", v.Minutes(now))
	return audit.Log(ctx, tx, e)
}

// linkReceipt records, in the receipt's transaction, that the visit collected it.
func linkReceipt(ctx context.Context, tx *db.Tx, visitID, receiptID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO visit_receipts (visit_id, receipt_id) VALUES (?, ?)`, visitID, receiptID)
	return err
}

// ReceiptRef is a receipt collected during a visit.
type ReceiptRef struct {
	ID     int64  `json:"id"`
	Number string `json:"number"`
	Total  int64  `json:"total"`
	Status string `json:"status"`
}

// Receipts lists the receipts of a visit.
func (s *Store) Receipts(ctx context.Context, visitID int64) ([]ReceiptRef, error) {
	rows, err := s.DB.Query(ctx, `SELECT r.id, r.roc_year, r.number, r.total, r.status FROM visit_receipts vr
		JOIN fee_receipts r ON r.id = vr.receipt_id WHERE vr.visit_id = ? ORDER BY r.id`, visitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReceiptRef
	for rows.Next() {
		var rr ReceiptRef
		var year int
		var n int64
		if err := rows.Scan(&rr.ID, &year, &n, &rr.Total, &rr.Status); err != nil {
			return nil, err
		}
		rr.Number = fmt.Sprintf("%d-%06d", year, n)
		out = append(out, rr)
	}
	return out, rows.Err()
}
