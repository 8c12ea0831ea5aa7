// Package audit keeps the append-only, hash-chained audit trail: who did or saw
// what, from where, with what outcome. Each entry's hash covers its fields and the
// previous entry's hash, so changing or removing any row breaks the chain at that
// row, and Verify names it.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/platform/db"
)

// Outcomes.
const (
	OK     = "ok"
	Denied = "denied"
	Failed = "failed"
)

// Entry is one audited action.
type Entry struct {
	Seq        int64
	At         time.Time
	UserID     int64
	Username   string
	OfficeID   int64
	Action     string // e.g. "person.view", "login", "receipt.issue"
	ObjectKind string
	ObjectID   string
	PersonIDNo string // the national/resident ID touched, if any
	Client     string
	Outcome    string
	Detail     string
	PrevHash   string
	Hash       string
}

// Actor is who acts: filled from the session or token by the web layer.
type Actor struct {
	UserID   int64
	Username string
	OfficeID int64
	Client   string
}

func (e *Entry) computeHash() string {
	h := sha256.New()
	// Length-prefixed fields: no separator can be forged by a crafted value.
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10), db.FormatTime(e.At),
		strconv.FormatInt(e.UserID, 10), e.Username, strconv.FormatInt(e.OfficeID, 10),
		e.Action, e.ObjectKind, e.ObjectID, e.PersonIDNo, e.Client, e.Outcome, e.Detail, e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Log appends e in tx — the same transaction as the change it records, so the
// trail and the data can never disagree. e.At defaults to now.
func Log(ctx context.Context, tx *db.Tx, e Entry) error {
	if e.At.IsZero() {
		e.At = tx.Now()
	}
	if e.Outcome == "" {
		e.Outcome = OK
	}
	// The UPDATE takes the head's row lock: appends are serialized and gapless.
	if err := tx.QueryRow(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&e.Seq, &e.PrevHash); err != nil {
		return fmt.Errorf("audit: lock head: %w", err)
	}
	e.Hash = e.computeHash()
	if _, err := tx.Exec(ctx, `INSERT INTO audit_log (seq, at, user_id, username, office_id, action, object_kind, object_id,
		person_id_no, client, outcome, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, db.FormatTime(e.At), nullID(e.UserID), e.Username, nullID(e.OfficeID), e.Action, e.ObjectKind, e.ObjectID,
		e.PersonIDNo, e.Client, e.Outcome, e.Detail, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit: insert: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE audit_head SET hash = ? WHERE id = 1`, e.Hash); err != nil {
		return fmt.Errorf("audit: advance head: %w", err)
	}
	return nil
}

// Record appends e in its own transaction (for views, logins and denials, which
// change nothing else).
func Record(ctx context.Context, d *db.DB, e Entry) error {
	return d.InTx(ctx, func(tx *db.Tx) error { return Log(ctx, tx, e) })
}

// For builds an entry for actor.
func For(a Actor, action, objectKind, objectID string) Entry {
	return Entry{UserID: a.UserID, Username: a.Username, OfficeID: a.OfficeID, Client: a.Client,
		Action: action, ObjectKind: objectKind, ObjectID: objectID}
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Problem describes where the chain breaks.
type Problem struct {
	Seq    int64
	Reason string
}

func (p *Problem) Error() string { return fmt.Sprintf("audit entry %d: %s", p.Seq, p.Reason) }

// Verify walks the whole chain and returns the first problem, or nil when every
// entry is present, unchanged and linked, and the head matches the last entry.
func Verify(ctx context.Context, d *db.DB) (checked int64, problem *Problem, err error) {
	rows, err := d.Query(ctx, `SELECT seq, at, COALESCE(user_id, 0), username, COALESCE(office_id, 0), action, object_kind, object_id,
		person_id_no, client, outcome, detail, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var prevHash string
	var expect int64 = 1
	for rows.Next() {
		var e Entry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.UserID, &e.Username, &e.OfficeID, &e.Action, &e.ObjectKind, &e.ObjectID,
			&e.PersonIDNo, &e.Client, &e.Outcome, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return checked, nil, err
		}
		e.At = db.ParseTime(at)
		switch {
		case e.Seq != expect:
			return checked, &Problem{Seq: expect, Reason: fmt.Sprintf("missing (next present entry is %d)", e.Seq)}, nil
		case e.PrevHash != prevHash:
			return checked, &Problem{Seq: e.Seq, Reason: "previous-hash link broken (an earlier entry was changed or removed)"}, nil
		case e.computeHash() != e.Hash:
			return checked, &Problem{Seq: e.Seq, Reason: "contents changed (hash mismatch)"}, nil
		}
		prevHash = e.Hash
		expect++
		checked++
	}
	if err := rows.Err(); err != nil {
		return checked, nil, err
	}
	var headSeq int64
	var headHash string
	if err := d.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return checked, nil, err
	}
	if headSeq != checked || headHash != prevHash {
		return checked, &Problem{Seq: checked + 1, Reason: fmt.Sprintf("missing: the chain head says %d entries, %d found (last entries removed)", headSeq, checked)}, nil
	}
	return checked, nil, nil
}

// Filter selects entries for the audit browser.
type Filter struct {
	From, To   time.Time // instants; zero means open
	UserID     int64
	OfficeID   int64
	Action     string // prefix
	PersonIDNo string
	Outcome    string
	BeforeSeq  int64 // for paging backwards
	Limit      int
}

// Search returns matching entries, newest first.
func Search(ctx context.Context, q db.Querier, f Filter) ([]Entry, error) {
	var where []string
	var args []any
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, db.FormatTime(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, db.FormatTime(f.To))
	}
	if f.UserID != 0 {
		where, args = append(where, "user_id = ?"), append(args, f.UserID)
	}
	if f.OfficeID != 0 {
		where, args = append(where, "office_id = ?"), append(args, f.OfficeID)
	}
	if f.Action != "" {
		where, args = append(where, "action LIKE ?"), append(args, f.Action+"%")
	}
	if f.PersonIDNo != "" {
		where, args = append(where, "person_id_no = ?"), append(args, f.PersonIDNo)
	}
	if f.Outcome != "" {
		where, args = append(where, "outcome = ?"), append(args, f.Outcome)
	}
	if f.BeforeSeq > 0 {
		where, args = append(where, "seq < ?"), append(args, f.BeforeSeq)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	sqlText := `SELECT seq, at, COALESCE(user_id, 0), username, COALESCE(office_id, 0), action, object_kind, object_id,
		person_id_no, client, outcome, detail, prev_hash, hash FROM audit_log`
	if len(where) > 0 {
		sqlText += " WHERE " + strings.Join(where, " AND ")
	}
	sqlText += " ORDER BY seq DESC LIMIT " + strconv.Itoa(f.Limit)
	rows, err := q.Query(ctx, sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.UserID, &e.Username, &e.OfficeID, &e.Action, &e.ObjectKind, &e.ObjectID,
			&e.PersonIDNo, &e.Client, &e.Outcome, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At = db.ParseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
