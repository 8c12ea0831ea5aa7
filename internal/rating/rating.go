// Package rating is the service rating terminal (服務評分): a terminal at each
// counter that opens for 30 seconds after a real transaction (a receipt or a
// one-time notice) and takes one of five levels; a dissatisfied press alarms the
// office's supervisors at once; statistics by office, counter, clerk and period.
//
// A rating can only be recorded against a window a transaction opened, once and in
// time: the terminal cannot be stuffed, and no staff account can rate.
package rating

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// Levels from best to worst (作業規範 叁.四).
var Levels = []Level{{5, "非常滿意"}, {4, "滿意"}, {3, "普通"}, {2, "不滿意"}, {1, "非常不滿意"}}

// Level is one of the five buttons.
type Level struct {
	Value int
	Label string
}

// LevelLabel names a level.
func LevelLabel(v int) string {
	for _, l := range Levels {
		if l.Value == v {
			return l.Label
		}
	}
	return ""
}

// Trigger kinds: the transactions that open a window.
const (
	TriggerReceipt = "receipt"         // 規費收據
	TriggerNotice  = "one_time_notice" // 一次告知單
)

// Config tunes the service.
type Config struct {
	Window     time.Duration // how long a terminal stays open (30 s by the seed)
	AlarmLevel int           // levels at or below this alarm supervisors (1: only 非常不滿意)
}

// Service opens windows, records ratings and raises alarms.
type Service struct {
	DB  *db.DB
	Cfg Config
	Now func() time.Time
	Hub *Hub
}

// New returns a service with the seed's defaults.
func New(d *db.DB) *Service {
	return &Service{DB: d, Cfg: Config{Window: 30 * time.Second, AlarmLevel: 1}, Now: d.Now, Hub: NewHub()}
}

// Window is an open rating window.
type Window struct {
	ID          int64
	OfficeID    int64
	CounterID   int64
	ClerkID     int64
	TriggerKind string
	TriggerID   string
	OpenedAt    time.Time
	ExpiresAt   time.Time
}

// Open opens the rating window for a transaction just committed at a counter.
// It is called by the fee and notice subsystems, never from a route: only a real
// transaction opens a window. A transaction opens at most one window.
func (s *Service) Open(ctx context.Context, officeID, counterID, clerkID int64, kind, triggerID string) (*Window, error) {
	if counterID == 0 {
		return nil, nil // issued without a counter (API, back office): no terminal to wake
	}
	if kind != TriggerReceipt && kind != TriggerNotice {
		return nil, fmt.Errorf("rating: %q cannot open a window", kind)
	}
	now := s.Now()
	w := &Window{OfficeID: officeID, CounterID: counterID, ClerkID: clerkID, TriggerKind: kind, TriggerID: triggerID,
		OpenedAt: now, ExpiresAt: now.Add(s.Cfg.Window)}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		// A new transaction at the counter supersedes a window still open there.
		if _, err := tx.Exec(ctx, `UPDATE rating_windows SET status = 'superseded' WHERE counter_id = ? AND status = 'open'`, counterID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO rating_windows (office_id, counter_id, clerk_id, trigger_kind, trigger_id, opened_at, day, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, officeID, counterID, clerkID, kind, triggerID,
			db.FormatTime(now), civil.Of(now), db.FormatTime(w.ExpiresAt)).Scan(&w.ID)
	})
	if db.IsUniqueViolation(err) {
		return nil, nil // a retried transaction: its window was opened already
	}
	if err != nil {
		return nil, err
	}
	s.Hub.Publish(Event{Kind: "window", OfficeID: officeID, CounterID: counterID})
	return w, nil
}

// OpenWindow returns the window currently open at a counter, or nil.
func (s *Service) OpenWindow(ctx context.Context, counterID int64) (*Window, error) {
	var w Window
	var opened, expires string
	err := s.DB.QueryRow(ctx, `SELECT id, office_id, counter_id, clerk_id, trigger_kind, trigger_id, opened_at, expires_at
		FROM rating_windows WHERE counter_id = ? AND status = 'open' AND expires_at > ? ORDER BY id DESC LIMIT 1`,
		counterID, db.FormatTime(s.Now())).Scan(&w.ID, &w.OfficeID, &w.CounterID, &w.ClerkID, &w.TriggerKind, &w.TriggerID, &opened, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	w.OpenedAt, w.ExpiresAt = db.ParseTime(opened), db.ParseTime(expires)
	return &w, nil
}

// ErrRefused is wrapped by every refused rating.
var ErrRefused = errors.New("評分未受理")

// Rate records a press on a terminal for a window. It is refused (and counted)
// when the window does not exist, belongs to another counter, has closed, or
// was rated already.
func (s *Service) Rate(ctx context.Context, t *Terminal, windowID int64, level int) (ratingID int64, alarm bool, err error) {
	if LevelLabel(level) == "" {
		return 0, false, s.refuse(ctx, t, windowID, "invalid level")
	}
	now := s.Now()
	var w Window
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		// The single conditional UPDATE is the whole integrity check: open, this
		// counter's, in time. A second press finds it no longer open.
		err := tx.QueryRow(ctx, `UPDATE rating_windows SET status = 'rated' WHERE id = ? AND counter_id = ? AND status = 'open' AND expires_at > ?
			RETURNING office_id, counter_id, clerk_id, trigger_kind`, windowID, t.CounterID, db.FormatTime(now)).
			Scan(&w.OfficeID, &w.CounterID, &w.ClerkID, &w.TriggerKind)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrRefused
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO ratings (window_id, office_id, counter_id, clerk_id, trigger_kind, level, rated_at, day)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, windowID, w.OfficeID, w.CounterID, w.ClerkID, w.TriggerKind, level,
			db.FormatTime(now), civil.Of(now)).Scan(&ratingID); err != nil {
			return err
		}
		if level <= s.Cfg.AlarmLevel {
			alarm = true
			_, err := tx.Exec(ctx, `INSERT INTO rating_alerts (rating_id, office_id, created_at) VALUES (?, ?, ?)`, ratingID, w.OfficeID, db.FormatTime(now))
			return err
		}
		return nil
	})
	if errors.Is(err, ErrRefused) {
		return 0, false, s.refuse(ctx, t, windowID, s.refusalReason(ctx, t, windowID))
	}
	if err != nil {
		return 0, false, err
	}
	s.Hub.Publish(Event{Kind: "closed", OfficeID: w.OfficeID, CounterID: w.CounterID})
	if alarm {
		s.Hub.Publish(Event{Kind: "alert", OfficeID: w.OfficeID, CounterID: w.CounterID})
	}
	return ratingID, alarm, nil
}

func (s *Service) refusalReason(ctx context.Context, t *Terminal, windowID int64) string {
	var counter int64
	var status, expires string
	err := s.DB.QueryRow(ctx, `SELECT counter_id, status, expires_at FROM rating_windows WHERE id = ?`, windowID).Scan(&counter, &status, &expires)
	switch {
	case err != nil:
		return "no such window"
	case counter != t.CounterID:
		return "window of another counter"
	case status == "rated":
		return "already rated"
	case status == "superseded":
		return "superseded by a newer transaction"
	case !s.Now().Before(db.ParseTime(expires)):
		return "window expired"
	}
	return "refused"
}

func (s *Service) refuse(ctx context.Context, t *Terminal, windowID int64, reason string) error {
	var tid any
	if t != nil {
		tid = t.ID
	}
	var wid any
	if windowID != 0 {
		wid = windowID
	}
	if _, err := s.DB.Exec(ctx, `INSERT INTO rating_refusals (at, terminal_id, window_id, reason) VALUES (?, ?, ?, ?)`,
		db.FormatTime(s.Now()), tid, wid, reason); err != nil {
		return err
	}
	return fmt.Errorf("%w：%s", ErrRefused, reason)
}

// Terminal is a paired rating terminal.
type Terminal struct {
	ID        int64
	OfficeID  int64
	CounterID int64
}

func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// Pairing codes. A code is "<counter id>-<eight random digits>", valid
// PairCodeLife: the counter part says which counter's code a guess is
// charged to, the eight digits are the secret. A counter has at most one code
// outstanding (a new one replaces it), and a code is void after
// PairCodeMaxFailures wrong guesses, so whatever the number of addresses
// guessing, a code is guessed with a chance of at most 5 in 10^8 (the six-digit
// code before, open to unlimited guesses for ten minutes, fell to a third of
// floods). Every attempt, right or wrong, is audited with the counter's office.
const (
	PairCodeLife        = 10 * time.Minute
	PairCodeDigits      = 8
	PairCodeMaxFailures = 5
)

// NewPairingCode lets a supervisor pair a terminal with a counter of the office.
func (s *Service) NewPairingCode(ctx context.Context, u *auth.User, counterID int64) (string, error) {
	var office int64
	if err := s.DB.QueryRow(ctx, `SELECT office_id FROM counters WHERE id = ?`, counterID).Scan(&office); err != nil {
		return "", fmt.Errorf("查無此櫃檯")
	}
	if !u.CanActOnOffice(office) {
		return "", fmt.Errorf("只能配對本所的櫃檯")
	}
	code := fmt.Sprintf("%d-%0*d", counterID, PairCodeDigits, randInt(100_000_000))
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		// One code per counter: the new one replaces any still outstanding.
		if _, err := tx.Exec(ctx, `DELETE FROM rating_pair_codes WHERE counter_id = ?`, counterID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO rating_pair_codes (code, counter_id, created_by, expires_at) VALUES (?, ?, ?, ?)`,
			code, counterID, u.ID, db.FormatTime(s.Now().Add(PairCodeLife)))
		return err
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

// ParsePairingCode splits a typed code into its counter and secret: digits,
// with or without a dash or spaces; the last eight digits are the secret.
func ParsePairingCode(code string) (counterID int64, secret string, ok bool) {
	var digits []byte
	for _, c := range []byte(strings.TrimSpace(code)) {
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '-' || c == ' ':
		default:
			return 0, "", false
		}
	}
	if len(digits) <= PairCodeDigits || len(digits) > PairCodeDigits+12 {
		return 0, "", false
	}
	id, err := strconv.ParseInt(string(digits[:len(digits)-PairCodeDigits]), 10, 64)
	if err != nil || id <= 0 {
		return 0, "", false
	}
	return id, string(digits[len(digits)-PairCodeDigits:]), true
}

// ErrPairing is a pairing attempt refused (wrong, expired or void code).
var ErrPairing = errors.New("配對碼錯誤或已逾時，請主管重新產生")

// Pair exchanges a pairing code for a terminal token (kept in the terminal's
// cookie); see PairFrom.
func (s *Service) Pair(ctx context.Context, code string) (token string, t *Terminal, err error) {
	return s.PairFrom(ctx, code, "")
}

// PairFrom is Pair for a terminal at client (its address, for the audit
// trail). A wrong secret counts against the counter's code, void after
// PairCodeMaxFailures; every attempt is audited.
func (s *Service) PairFrom(ctx context.Context, code, client string) (token string, t *Terminal, err error) {
	entry := audit.Entry{Action: "rating.terminal.pair", ObjectKind: "counter", Client: client, Outcome: audit.Denied}
	counterID, secret, ok := ParsePairingCode(code)
	if !ok {
		entry.Detail = "malformed code"
		if err := audit.Record(ctx, s.DB, entry); err != nil {
			return "", nil, err
		}
		return "", nil, ErrPairing
	}
	entry.ObjectID = fmt.Sprint(counterID)
	t = &Terminal{CounterID: counterID}
	token = auth.RandomToken(32)
	paired := false
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		now := db.FormatTime(s.Now())
		if err := tx.QueryRow(ctx, `SELECT office_id FROM counters WHERE id = ?`, counterID).Scan(&t.OfficeID); errors.Is(err, sql.ErrNoRows) {
			entry.Detail = "no such counter"
			return audit.Log(ctx, tx, entry)
		} else if err != nil {
			return err
		}
		entry.OfficeID = t.OfficeID
		var stored string
		var failures int
		var createdBy sql.NullInt64
		err := tx.QueryRow(ctx, `SELECT code, failures, created_by FROM rating_pair_codes WHERE counter_id = ? AND expires_at > ?`,
			counterID, now).Scan(&stored, &failures, &createdBy)
		if errors.Is(err, sql.ErrNoRows) {
			entry.Detail = "no code outstanding for the counter (none made, expired, used or void)"
			return audit.Log(ctx, tx, entry)
		}
		if err != nil {
			return err
		}
		_, want, _ := ParsePairingCode(stored)
		if subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1 {
			failures++
			entry.Detail = fmt.Sprintf("wrong code (%d of %d)", failures, PairCodeMaxFailures)
			if failures >= PairCodeMaxFailures {
				entry.Detail += "; the code is void"
				_, err = tx.Exec(ctx, `DELETE FROM rating_pair_codes WHERE code = ?`, stored)
			} else {
				_, err = tx.Exec(ctx, `UPDATE rating_pair_codes SET failures = ? WHERE code = ?`, failures, stored)
			}
			if err != nil {
				return err
			}
			return audit.Log(ctx, tx, entry)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM rating_pair_codes WHERE code = ?`, stored); err != nil {
			return err
		}
		// One terminal per counter: pairing a new one retires the old.
		if _, err := tx.Exec(ctx, `UPDATE rating_terminals SET revoked_at = ? WHERE counter_id = ? AND revoked_at = ''`, now, counterID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO rating_terminals (office_id, counter_id, token_hash, paired_by, paired_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			t.OfficeID, counterID, hashToken(token), createdBy, now).Scan(&t.ID); err != nil {
			return err
		}
		paired = true
		entry.Outcome, entry.Detail = audit.OK, fmt.Sprintf("terminal %d paired", t.ID)
		return audit.Log(ctx, tx, entry)
	})
	if err != nil {
		return "", nil, err
	}
	if !paired {
		return "", nil, ErrPairing
	}
	return token, t, nil
}

// TerminalByToken resolves a terminal cookie.
func (s *Service) TerminalByToken(ctx context.Context, token string) (*Terminal, error) {
	if token == "" {
		return nil, db.ErrNotFound
	}
	var t Terminal
	err := s.DB.QueryRow(ctx, `SELECT id, office_id, counter_id FROM rating_terminals WHERE token_hash = ? AND revoked_at = ''`, hashToken(token)).
		Scan(&t.ID, &t.OfficeID, &t.CounterID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	return &t, err
}

// Event is a live notification for terminals and supervisor screens.
type Event struct {
	Kind      string // "window", "closed", "alert"
	OfficeID  int64
	CounterID int64
}

// Hub fans events out to the server-sent-event streams of this process. Streams
// also poll the database every second, so a terminal connected to another server
// of a multi-server deployment still wakes within a second.
type Hub struct {
	mu   sync.Mutex
	subs map[chan Event]struct{}
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{subs: map[chan Event]struct{}{}} }

// Subscribe returns a channel of events and a function to stop.
func (h *Hub) Subscribe() (<-chan Event, func()) {
	ch := make(chan Event, 16)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs, ch)
		h.mu.Unlock()
	}
}

// Publish sends e to every subscriber without blocking (a slow stream catches
// up by polling).
func (h *Hub) Publish(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- e:
		default:
		}
	}
}
