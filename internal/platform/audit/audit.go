// Package audit keeps the append-only, hash-chained audit trail: who did or saw
// what, from where, with what outcome. Each entry's hash covers its fields and the
// previous entry's hash, so changing or removing any row breaks the chain at that
// row, and Verify names it.
//
// The hash is keyed: an HMAC-SHA256 under a key kept outside the database (see
// key.go), so someone who can write to the database but does not hold the key
// cannot edit an entry and recompute the later hashes. Entries written before
// the switch (audit_head.keyed_from) keep their plain SHA-256 hashes and are
// verified as before. What a key cannot catch inside the database — the last
// entries deleted and the head rewound — a signed checkpoint kept outside it
// does (see checkpoint.go).
package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
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

// sum hashes the entry's fields and the previous hash with h.
func (e *Entry) sum(h hash.Hash) string {
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

// plainHash is the hash of the entries written before the chain was keyed:
// SHA-256, which anyone can recompute.
func (e *Entry) plainHash() string { return e.sum(sha256.New()) }

// keyedHash is the hash of every entry from audit_head.keyed_from on:
// HMAC-SHA256 under the chain key derived from the audit key.
func (e *Entry) keyedHash(k keys) string { return e.sum(hmac.New(sha256.New, k.chain)) }

// Log appends e in tx — the same transaction as the change it records, so the
// trail and the data can never disagree. e.At defaults to now. The entry is
// hashed with the audit key the transaction's database carries (db.DB.AuditKey,
// else EBAZHAO_AUDIT_KEY); without one, or with another key than the chain's,
// nothing is appended and the transaction fails.
func Log(ctx context.Context, tx *db.Tx, e Entry) error {
	k, err := resolveKey(tx.AuditKey())
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if e.At.IsZero() {
		e.At = tx.Now()
	}
	if e.Outcome == "" {
		e.Outcome = OK
	}
	// The UPDATE takes the head's row lock: appends are serialized and gapless.
	var keyedFrom int64
	var chainKeyID string
	if err := tx.QueryRow(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash, keyed_from, key_id`).Scan(&e.Seq, &e.PrevHash, &keyedFrom, &chainKeyID); err != nil {
		return fmt.Errorf("audit: lock head: %w", err)
	}
	if e.Seq < keyedFrom { // keyed_from is set once, at the chain's end, and never moves
		return fmt.Errorf("audit: the chain head marks entries as keyed from %d but the next entry is %d: audit_head was altered", keyedFrom, e.Seq)
	}
	if chainKeyID != "" && chainKeyID != k.id {
		return fmt.Errorf("audit: %w (this key's id is %s, the chain records %s)", ErrWrongKey, k.id, chainKeyID)
	}
	e.Hash = e.keyedHash(k)
	if _, err := tx.Exec(ctx, `INSERT INTO audit_log (seq, at, user_id, username, office_id, action, object_kind, object_id,
		person_id_no, client, outcome, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, db.FormatTime(e.At), nullID(e.UserID), e.Username, nullID(e.OfficeID), e.Action, e.ObjectKind, e.ObjectID,
		e.PersonIDNo, e.Client, e.Outcome, e.Detail, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit: insert: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE audit_head SET hash = ?, key_id = ? WHERE id = 1`, e.Hash, k.id); err != nil {
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

// head is the chain's head row.
type head struct {
	Seq       int64
	Hash      string
	KeyedFrom int64
	KeyID     string
}

func readHead(ctx context.Context, q db.Querier) (head, error) {
	var h head
	err := q.QueryRow(ctx, `SELECT seq, hash, keyed_from, key_id FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash, &h.KeyedFrom, &h.KeyID)
	if err != nil {
		return h, fmt.Errorf("audit: read the chain head: %w", err)
	}
	return h, nil
}

const entryColumns = `seq, at, COALESCE(user_id, 0), username, COALESCE(office_id, 0), action, object_kind, object_id,
		person_id_no, client, outcome, detail, prev_hash, hash`

func scanEntry(rows interface{ Scan(...any) error }, e *Entry) error {
	var at string
	if err := rows.Scan(&e.Seq, &at, &e.UserID, &e.Username, &e.OfficeID, &e.Action, &e.ObjectKind, &e.ObjectID,
		&e.PersonIDNo, &e.Client, &e.Outcome, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
		return err
	}
	e.At = db.ParseTime(at)
	return nil
}

// hashChecker checks each entry's own hash: plain SHA-256 before keyed_from,
// the keyed HMAC from there on.
type hashChecker struct {
	keyedFrom  int64
	chainKeyID string // the key id the chain head records
	secret     []byte // the handle's audit key (nil: EBAZHAO_AUDIT_KEY)
	k          *keys  // resolved when first needed
	kErr       error
}

func (c *hashChecker) key() (*keys, error) {
	if c.k == nil && c.kErr == nil {
		k, err := resolveKey(c.secret)
		if err != nil {
			c.kErr = err
		} else {
			c.k = &k
		}
	}
	return c.k, c.kErr
}

// check returns why e's hash is wrong, or "".
func (c *hashChecker) check(e *Entry) (string, error) {
	if e.Seq < c.keyedFrom {
		if e.plainHash() == e.Hash {
			return "", nil
		}
		if k, _ := c.key(); k != nil && e.keyedHash(*k) == e.Hash {
			return fmt.Sprintf("contents changed: the entry is hashed with the audit key, but the chain head marks entries as keyed only from %d (audit_head.keyed_from was altered)", c.keyedFrom), nil
		}
		return "contents changed (hash mismatch)", nil
	}
	k, err := c.key()
	if err != nil {
		return "", fmt.Errorf("audit: entries from %d are hashed with the audit key: %w", c.keyedFrom, err)
	}
	if e.keyedHash(*k) == e.Hash {
		return "", nil
	}
	if e.plainHash() == e.Hash {
		return "contents changed: a plain SHA-256 hash where the audit key is required (the entry was rewritten by someone without the key)", nil
	}
	if c.chainKeyID != "" && c.chainKeyID != k.id {
		return fmt.Sprintf("contents changed (hash mismatch) — or this is not the chain's audit key (its id is %s, the chain records %s)", k.id, c.chainKeyID), nil
	}
	return "contents changed (hash mismatch)", nil
}

// Verify walks the whole chain and returns the first problem, or nil when every
// entry is present, unchanged and linked, and the head matches the last entry.
// Entries from audit_head.keyed_from on are checked with the audit key d
// carries (else EBAZHAO_AUDIT_KEY); without a key only a chain with no keyed
// entry can be verified.
//
// Verify may run beside a working server: it reads the head before the entries,
// so every entry the head counts must be found, and entries appended meanwhile
// are checked too.
//
// Verify cannot tell that the last entries were deleted and the head rewound
// to match: only a checkpoint kept outside the database can (VerifyCheckpoint).
func Verify(ctx context.Context, d *db.DB) (checked int64, problem *Problem, err error) {
	before, err := readHead(ctx, d)
	if err != nil {
		return 0, nil, err
	}
	hc := &hashChecker{keyedFrom: before.KeyedFrom, chainKeyID: before.KeyID, secret: d.AuditKey}
	if before.KeyedFrom < 1 || before.KeyedFrom > before.Seq+1 {
		// Set once to the chain's end + 1 and never moved: anything else is tampering
		// (meant to have new entries written, or old ones checked, without the key).
		return 0, &Problem{Seq: min(max(before.KeyedFrom, 1), before.Seq+1), Reason: fmt.Sprintf(
			"the chain head marks entries as keyed from %d, outside the chain (1 to %d): audit_head.keyed_from was altered", before.KeyedFrom, before.Seq+1)}, nil
	}
	rows, err := d.Query(ctx, `SELECT `+entryColumns+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var prevHash string
	var expect int64 = 1
	for rows.Next() {
		var e Entry
		if err := scanEntry(rows, &e); err != nil {
			return checked, nil, err
		}
		switch {
		case e.Seq != expect:
			return checked, &Problem{Seq: expect, Reason: fmt.Sprintf("missing (next present entry is %d)", e.Seq)}, nil
		case e.PrevHash != prevHash:
			return checked, &Problem{Seq: e.Seq, Reason: "previous-hash link broken (an earlier entry was changed or removed)"}, nil
		}
		reason, err := hc.check(&e)
		if err != nil {
			return checked, nil, err
		}
		if reason != "" {
			return checked, &Problem{Seq: e.Seq, Reason: reason}, nil
		}
		if e.Seq == before.Seq && e.Hash != before.Hash {
			return checked, &Problem{Seq: e.Seq, Reason: "does not match the chain head's hash (the entry was rewritten)"}, nil
		}
		prevHash = e.Hash
		expect++
		checked++
	}
	if err := rows.Err(); err != nil {
		return checked, nil, err
	}
	if before.Seq > checked {
		return checked, &Problem{Seq: checked + 1, Reason: fmt.Sprintf("missing: the chain head says %d entries, %d found (last entries removed)", before.Seq, checked)}, nil
	}
	after, err := readHead(ctx, d)
	if err != nil {
		return checked, nil, err
	}
	switch {
	case after.Seq < checked:
		return checked, &Problem{Seq: after.Seq + 1, Reason: fmt.Sprintf("the chain head says %d entries but %d are present (the head was rewound)", after.Seq, checked)}, nil
	case after.Seq == checked && after.Hash != prevHash:
		return checked, &Problem{Seq: checked, Reason: "does not match the chain head's hash (the entry or the head was rewritten)"}, nil
	}
	if k, _ := hc.key(); k != nil && checked >= before.KeyedFrom && after.KeyID != "" && after.KeyID != k.id {
		// The keyed entries verified with this key, so the head's record of it is what changed.
		return checked, &Problem{Seq: checked + 1, Reason: fmt.Sprintf("the chain head records key id %s, but the entries are keyed with %s (audit_head.key_id was altered; appends will be refused)", after.KeyID, k.id)}, nil
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
	sqlText := `SELECT ` + entryColumns + ` FROM audit_log`
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
		if err := scanEntry(rows, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
