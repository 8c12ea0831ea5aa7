package agency

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/db"
)

// TokenPrefix starts every agency API credential. Agencies are not staff users:
// their tokens live in agency_tokens and are checked by this package only.
const TokenPrefix = "agy_"

// Token is an agency credential as listed (never the secret itself).
type Token struct {
	ID         int64
	AgencyID   int64
	Name       string
	Hint       string
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// CreateToken issues a new API credential for an agency; the secret is
// returned once and only its hash is stored.
func (s *Service) CreateToken(ctx context.Context, actor audit.Actor, agencyID int64, name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API"
	}
	if len([]rune(name)) > 60 {
		return "", invalid("憑證名稱過長（最多60字）")
	}
	tok := TokenPrefix + auth.RandomToken(24)
	return tok, s.storeToken(ctx, actor, agencyID, name, tok)
}

func (s *Service) storeToken(ctx context.Context, actor audit.Actor, agencyID int64, name, tok string) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		if err := tx.QueryRow(ctx, `INSERT INTO agency_tokens (agency_id, name, token_hash, hint, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			agencyID, name, hashSecret(tok), tok[:len(TokenPrefix)+4]+"…", db.FormatTime(s.now()), by).Scan(&id); err != nil {
			return err
		}
		e := audit.For(actor, "agency.token.create", "agency", fmt.Sprint(agencyID))
		e.Detail = fmt.Sprintf("token %d %q", id, name)
		return audit.Log(ctx, tx, e)
	})
}

// RevokeToken disables a credential at once.
func (s *Service) RevokeToken(ctx context.Context, actor audit.Actor, agencyID, tokenID int64) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE agency_tokens SET revoked_at = ? WHERE id = ? AND agency_id = ? AND revoked_at = ''`,
			db.FormatTime(s.now()), tokenID, agencyID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		e := audit.For(actor, "agency.token.revoke", "agency", fmt.Sprint(agencyID))
		e.Detail = fmt.Sprintf("token %d", tokenID)
		return audit.Log(ctx, tx, e)
	})
}

// Tokens lists an agency's credentials.
func (s *Service) Tokens(ctx context.Context, agencyID int64) ([]Token, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, agency_id, name, hint, created_at, last_used_at, revoked_at FROM agency_tokens WHERE agency_id = ? ORDER BY id`, agencyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var c, u, r string
		if err := rows.Scan(&t.ID, &t.AgencyID, &t.Name, &t.Hint, &c, &u, &r); err != nil {
			return nil, err
		}
		t.CreatedAt, t.LastUsedAt, t.RevokedAt = parseTime(c), parseTime(u), parseTime(r)
		out = append(out, t)
	}
	return out, rows.Err()
}

// ErrBadToken is returned for an unknown, revoked or malformed credential,
// or one whose agency is inactive.
var ErrBadToken = errors.New("agency: invalid credential")

// AgencyByToken authenticates an agency credential.
func (s *Service) AgencyByToken(ctx context.Context, tok string) (*Agency, int64, error) {
	if !strings.HasPrefix(tok, TokenPrefix) || len(tok) > 200 {
		return nil, 0, ErrBadToken
	}
	var tokenID, agencyID int64
	var used string
	err := s.DB.QueryRow(ctx, `SELECT id, agency_id, last_used_at FROM agency_tokens WHERE token_hash = ? AND revoked_at = ''`, hashSecret(tok)).Scan(&tokenID, &agencyID, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, ErrBadToken
	}
	if err != nil {
		return nil, 0, err
	}
	a, err := s.AgencyByID(ctx, agencyID)
	if err != nil {
		return nil, 0, err
	}
	if !a.Active {
		return nil, 0, ErrBadToken
	}
	if now := s.now(); now.Sub(parseTime(used)) > time.Minute {
		if _, err := s.DB.Exec(ctx, `UPDATE agency_tokens SET last_used_at = ? WHERE id = ?`, db.FormatTime(now), tokenID); err != nil {
			s.Log.Warn("agency token last use", "err", err)
		}
	}
	return a, tokenID, nil
}

// PartnerItem is an item as an agency sees it over the API.
type PartnerItem struct {
	Seq        int64  `json:"seq"`
	ItemID     int64  `json:"item_id"`
	ReleasedAt string `json:"released_at"`
	Status     string `json:"status"`
	AckedAt    string `json:"acknowledged_at,omitempty"`
	Reason     string `json:"reason,omitempty"`
	*Payload
}

// PullResult is one page of an agency's stream.
type PullResult struct {
	Items []PartnerItem `json:"items"`
	// Next is the cursor to pass as ?after= for the following page.
	Next int64 `json:"next_after"`
	More bool  `json:"more"`
}

// MaxPull bounds a page.
const MaxPull = 500

// Pull returns the agency's items with seq > after in order (only the
// unacknowledged ones when pending is set) and marks the returned items
// delivered. Pulling the same cursor again returns the same items.
func (s *Service) Pull(ctx context.Context, a *Agency, tokenID int64, client string, after int64, limit int, pending bool) (*PullResult, error) {
	if limit <= 0 || limit > MaxPull {
		limit = 100
	}
	if after < 0 {
		after = 0
	}
	q := `SELECT id, seq, payload, released_at, acked_at, result, reason FROM agency_items
		WHERE agency_id = ? AND seq IS NOT NULL AND seq > ?`
	if pending {
		q += ` AND acked_at = ''`
	}
	q += ` ORDER BY seq LIMIT ?`
	rows, err := s.DB.Query(ctx, q, a.ID, after, limit+1)
	if err != nil {
		return nil, err
	}
	res := &PullResult{Items: []PartnerItem{}, Next: after}
	for rows.Next() {
		var it PartnerItem
		var payload, released, acked, result string
		if err := rows.Scan(&it.ItemID, &it.Seq, &payload, &released, &acked, &result, &it.Reason); err != nil {
			rows.Close()
			return nil, err
		}
		if len(res.Items) == limit {
			res.More = true
			break
		}
		p, err := DecodePayload(payload)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("agency item %d payload: %w", it.ItemID, err)
		}
		it.Payload = p
		it.ReleasedAt = apiTime(released)
		it.AckedAt = apiTime(acked)
		it.Status = "pending"
		if result != "" {
			it.Status = result
		}
		res.Items = append(res.Items, it)
		res.Next = it.Seq
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(res.Items) == 0 {
		return res, nil
	}
	first, last := res.Items[0].Seq, res.Items[len(res.Items)-1].Seq
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		r, err := tx.Exec(ctx, `UPDATE agency_items SET delivered_at = ?, delivered_via = 'api'
			WHERE agency_id = ? AND seq >= ? AND seq <= ? AND delivered_at = ''`, db.FormatTime(s.now()), a.ID, first, last)
		if err != nil {
			return err
		}
		n, _ := r.RowsAffected()
		e := audit.For(agencyActor(a, client), "agency.api.pull", "agency", fmt.Sprint(a.ID))
		e.Detail = fmt.Sprintf("token %d: seq %d–%d, %d items, %d newly delivered", tokenID, first, last, len(res.Items), n)
		return audit.Log(ctx, tx, e)
	})
	return res, err
}

func apiTime(s string) string {
	if s == "" {
		return ""
	}
	return db.ParseTime(s).Format(time.RFC3339)
}

func agencyActor(a *Agency, client string) audit.Actor {
	return audit.Actor{Username: "agency:" + a.Code, Client: client}
}

// Ack is an agency's acknowledgement of one item.
type Ack struct {
	Seq    int64  `json:"seq"`
	Result string `json:"result"` // applied or rejected
	Reason string `json:"reason,omitempty"`
}

// AckResult reports what happened to one acknowledgement.
type AckResult struct {
	Seq       int64  `json:"seq"`
	Status    string `json:"status,omitempty"`
	AckedAt   string `json:"acknowledged_at,omitempty"`
	Duplicate bool   `json:"duplicate"`
	Error     string `json:"error,omitempty"`
	Code      string `json:"code,omitempty"` // not_found, conflict, invalid
}

// MaxAcks bounds one acknowledgement request.
const MaxAcks = 1000

// Acknowledge records acknowledgements. Each is idempotent: the same result
// again is reported as a duplicate and changes nothing; a different result for
// an acknowledged item is a conflict. Results are per item, in request order.
func (s *Service) Acknowledge(ctx context.Context, a *Agency, by, client string, acks []Ack) ([]AckResult, error) {
	if len(acks) > MaxAcks {
		return nil, invalid("一次最多回報 %d 筆", MaxAcks)
	}
	out := make([]AckResult, len(acks))
	now := db.FormatTime(s.now())
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var applied, rejected, dup, failed int
		for i, ack := range acks {
			r := AckResult{Seq: ack.Seq}
			ack.Reason = strings.TrimSpace(ack.Reason)
			switch {
			case ack.Result != "applied" && ack.Result != "rejected":
				r.Code, r.Error = "invalid", "result 須為 applied 或 rejected"
			case ack.Result == "rejected" && ack.Reason == "":
				r.Code, r.Error = "invalid", "退件須說明原因（reason）"
			case len([]rune(ack.Reason)) > 200:
				r.Code, r.Error = "invalid", "原因過長（最多200字）"
			}
			if r.Code != "" {
				out[i] = r
				failed++
				continue
			}
			// Update first: on PostgreSQL a concurrent acknowledgement of the same
			// item makes this one wait and then match no row, never both win.
			upd, err := tx.Exec(ctx, `UPDATE agency_items SET acked_at = ?, result = ?, reason = ?, acked_by = ?,
				delivered_via = CASE WHEN delivered_at = '' THEN 'api' ELSE delivered_via END,
				delivered_at = CASE WHEN delivered_at = '' THEN ? ELSE delivered_at END
				WHERE agency_id = ? AND seq = ? AND acked_at = ''`, now, ack.Result, ack.Reason, by, now, a.ID, ack.Seq)
			if err != nil {
				return err
			}
			if n, _ := upd.RowsAffected(); n == 0 {
				var acked, result string
				err := tx.QueryRow(ctx, `SELECT acked_at, result FROM agency_items WHERE agency_id = ? AND seq = ?`, a.ID, ack.Seq).Scan(&acked, &result)
				switch {
				case errors.Is(err, sql.ErrNoRows):
					r.Code, r.Error = "not_found", "查無此序號的通報"
					failed++
				case err != nil:
					return err
				case result == ack.Result:
					r.Status, r.AckedAt, r.Duplicate = result, apiTime(acked), true
					dup++
				default:
					r.Status, r.AckedAt = result, apiTime(acked)
					r.Code, r.Error = "conflict", "此通報已回報為 "+result+"，不能改為 "+ack.Result
					failed++
				}
				out[i] = r
				continue
			}
			r.Status, r.AckedAt = ack.Result, apiTime(now)
			if ack.Result == "applied" {
				applied++
			} else {
				rejected++
			}
			out[i] = r
		}
		if err := s.fail("ack:before-commit"); err != nil {
			return err
		}
		e := audit.For(agencyActor(a, client), "agency.api.ack", "agency", fmt.Sprint(a.ID))
		e.Detail = fmt.Sprintf("%s: applied %d, rejected %d, duplicate %d, refused %d", by, applied, rejected, dup, failed)
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RecordResult lets staff record an agency's answer received another way
// (letter, phone) for one item.
func (s *Service) RecordResult(ctx context.Context, user *auth.User, client string, itemID int64, result, reason string) error {
	var agencyID, seq int64
	var officeID int64
	err := s.DB.QueryRow(ctx, `SELECT i.agency_id, COALESCE(i.seq, 0), ap.office_id FROM agency_items i JOIN agency_applications ap ON ap.id = i.application_id
		WHERE i.id = ?`, itemID).Scan(&agencyID, &seq, &officeID)
	if errors.Is(err, sql.ErrNoRows) {
		return db.ErrNotFound
	}
	if err != nil {
		return err
	}
	if !user.CanActOnOffice(officeID) {
		return ErrOtherOffice
	}
	if seq == 0 {
		return invalid("此通報尚未送出")
	}
	a, err := s.AgencyByID(ctx, agencyID)
	if err != nil {
		return err
	}
	res, err := s.Acknowledge(ctx, a, "staff:"+user.Username, client, []Ack{{Seq: seq, Result: result, Reason: reason}})
	if err != nil {
		return err
	}
	if res[0].Code != "" {
		return invalid("%s", res[0].Error)
	}
	return nil
}
