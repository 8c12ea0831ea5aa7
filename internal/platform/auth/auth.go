// Package auth holds staff accounts, roles and permissions, passwords, login
// lockout, browser sessions and API tokens.
package auth

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
	"ebazhao/internal/platform/db"
)

// Policy is the configurable account policy.
type Policy struct {
	MinPasswordLen int           // minimum password length
	PasswordMaxAge time.Duration // 0: passwords never expire
	MaxFailures    int           // failed logins before lockout
	LockDuration   time.Duration // how long a lockout lasts
	IdleTimeout    time.Duration // session idle timeout
	SessionMaxAge  time.Duration // absolute session lifetime
	// HashMemoryMiB is the memory budget of concurrent password hashing
	// (argon2id, 64 MiB each); it sets HashSlots. 0: DefaultHashMemoryMiB.
	HashMemoryMiB int
	// TokenMaxAge is how long an API token works after it is minted or
	// renewed (0: DefaultTokenMaxAge).
	TokenMaxAge time.Duration
}

// DefaultTokenMaxAge is the life of an API token: 90 days.
const DefaultTokenMaxAge = 90 * 24 * time.Hour

// DefaultPolicy matches the issue: 5 failures lock for 15 minutes.
func DefaultPolicy() Policy {
	return Policy{MinPasswordLen: 8, PasswordMaxAge: 90 * 24 * time.Hour, MaxFailures: 5,
		LockDuration: 15 * time.Minute, IdleTimeout: 30 * time.Minute, SessionMaxAge: 12 * time.Hour, TokenMaxAge: DefaultTokenMaxAge}
}

// TokenLife is how long a token minted or renewed now works.
func (p Policy) TokenLife() time.Duration {
	if p.TokenMaxAge <= 0 {
		return DefaultTokenMaxAge
	}
	return p.TokenMaxAge
}

// User is a staff account.
type User struct {
	ID                int64
	Username          string
	DisplayName       string
	OfficeID          int64
	OfficeName        string
	Role              Role
	MustChange        bool
	PasswordChangedAt time.Time
	FailedLogins      int
	LockedUntil       time.Time
	Active            bool
}

// Can reports whether the user holds p.
func (u *User) Can(p Permission) bool { return u != nil && u.Active && u.Role.Can(p) }

// CanActOnOffice reports whether the user may change records of office id.
func (u *User) CanActOnOffice(id int64) bool { return u.OfficeID == id || u.Can(CityWide) }

// Actor converts the user for audit entries.
func (u *User) Actor(client string) audit.Actor {
	return audit.Actor{UserID: u.ID, Username: u.Username, OfficeID: u.OfficeID, Client: client}
}

// Service is the account store. Build it with New.
type Service struct {
	DB     *db.DB
	Policy Policy
	Now    func() time.Time
	hashes *hasher
}

// New returns a service with policy p. It computes no hash: the dummy hash
// that unknown usernames are checked against is made at the first one.
func New(d *db.DB, p Policy) *Service {
	return &Service{DB: d, Policy: p, Now: d.Now, hashes: newHasher(HashSlots(p.HashMemoryMiB))}
}

// HashSlots is how many password hashes this service runs at once.
func (s *Service) HashSlots() int { return cap(s.hashes.slots) }

// Errors shown to users (their text is the Chinese message).
var (
	ErrBadCredentials = errors.New("帳號或密碼錯誤")
	ErrLocked         = errors.New("帳號已暫時鎖定")
	ErrInactive       = errors.New("帳號已停用")
	ErrUsernameTaken  = errors.New("帳號已存在")
	// ErrStale: the account changed between the check and the write (someone
	// else edited it at the same moment).
	ErrStale = errors.New("此帳號剛被他人變更，請重新開啟後再試")
)

const userCols = `u.id, u.username, u.display_name, u.office_id, o.name, u.role, u.must_change, u.password_changed_at,
	u.failed_logins, u.locked_until, u.active`

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var u User
	var role, changed, locked string
	if err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.OfficeID, &u.OfficeName, &role, &u.MustChange, &changed,
		&u.FailedLogins, &locked, &u.Active); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, db.ErrNotFound
		}
		return nil, err
	}
	u.Role = Role(role)
	u.PasswordChangedAt = db.ParseTime(changed)
	if locked != "" {
		u.LockedUntil = db.ParseTime(locked)
	}
	return &u, nil
}

// UserByID loads a user.
func (s *Service) UserByID(ctx context.Context, id int64) (*User, error) {
	return scanUser(s.DB.QueryRow(ctx, `SELECT `+userCols+` FROM users u JOIN offices o ON o.id = u.office_id WHERE u.id = ?`, id))
}

// UserByName loads a user by username.
func (s *Service) UserByName(ctx context.Context, name string) (*User, error) {
	return scanUser(s.DB.QueryRow(ctx, `SELECT `+userCols+` FROM users u JOIN offices o ON o.id = u.office_id WHERE u.username = ?`, strings.TrimSpace(name)))
}

// Users lists users, of one office when officeID != 0.
func (s *Service) Users(ctx context.Context, officeID int64) ([]*User, error) {
	q := `SELECT ` + userCols + ` FROM users u JOIN offices o ON o.id = u.office_id`
	var args []any
	if officeID != 0 {
		q += ` WHERE u.office_id = ?`
		args = append(args, officeID)
	}
	rows, err := s.DB.Query(ctx, q+` ORDER BY o.code, u.username`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// NewUser is what an admin enters to create an account.
type NewUser struct {
	Username    string
	DisplayName string
	OfficeID    int64
	Role        Role
	Password    string // empty: a one-time password is generated
	MustChange  bool
}

// ErrInvalidAccount is wrapped by the errors about an account's fields that the
// person filling in the form can correct (as opposed to a failing database).
var ErrInvalidAccount = errors.New("帳號資料不正確")

// CreateUser stores a new account and returns its id and initial password.
func (s *Service) CreateUser(ctx context.Context, actor audit.Actor, nu NewUser) (int64, string, error) {
	nu.Username = strings.TrimSpace(nu.Username)
	if nu.Username == "" || strings.ContainsAny(nu.Username, " \t/") || len(nu.Username) > 64 {
		return 0, "", fmt.Errorf("%w：帳號須為1至64個字元，不含空白", ErrInvalidAccount)
	}
	if strings.TrimSpace(nu.DisplayName) == "" {
		nu.DisplayName = nu.Username
	}
	if !nu.Role.Valid() {
		return 0, "", fmt.Errorf("%w：未知的角色「%s」", ErrInvalidAccount, nu.Role)
	}
	m, err := s.manager(ctx, actor)
	if err != nil {
		return 0, "", err
	}
	if m != nil {
		if ref := m.manageRefusal(nu.Role, nu.OfficeID); ref != nil {
			ref.Reason = fmt.Sprintf("create %s (role %s, office %d): %s", nu.Username, nu.Role, nu.OfficeID, ref.Reason)
			return 0, "", s.refuse(ctx, actor, "user.create", "user", "", ref)
		}
	}
	if nu.Password == "" {
		nu.Password = OneTimePassword()
		nu.MustChange = true
	}
	hash, err := s.hashes.hash(ctx, nu.Password)
	if err != nil {
		return 0, "", err
	}
	now := db.FormatTime(s.Now())
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO users (username, display_name, office_id, role, password_hash, must_change,
			password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			nu.Username, nu.DisplayName, nu.OfficeID, string(nu.Role), hash, nu.MustChange, now, now, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return ErrUsernameTaken
		}
		if err != nil {
			return err
		}
		e := audit.For(actor, "user.create", "user", fmt.Sprint(id))
		e.Detail = fmt.Sprintf("username=%s role=%s office=%d", nu.Username, nu.Role, nu.OfficeID)
		return audit.Log(ctx, tx, e)
	})
	return id, nu.Password, err
}

// UpdateUser changes a user's display name, office, role and active flag, as
// actor may (see manage.go). Deactivating ends the user's sessions and revokes
// the user's API tokens: they stay dead when the account is reactivated.
func (s *Service) UpdateUser(ctx context.Context, actor audit.Actor, u *User) error {
	if !u.Role.Valid() {
		return fmt.Errorf("%w：未知的角色「%s」", ErrInvalidAccount, u.Role)
	}
	cur, err := s.UserByID(ctx, u.ID)
	if err != nil {
		return err
	}
	m, err := s.manager(ctx, actor)
	if err != nil {
		return err
	}
	if m != nil {
		ref := m.manageRefusal(cur.Role, cur.OfficeID)
		if ref == nil {
			ref = m.manageRefusal(u.Role, u.OfficeID)
		}
		if ref == nil && m.ID == cur.ID && (u.Role != cur.Role || !u.Active) {
			ref = &Refusal{"不能變更自己的角色或停用自己的帳號", "own role change or deactivation"}
		}
		if ref != nil {
			ref.Reason = fmt.Sprintf("%s (now role %s office %d active %v; asked role %s office %d active %v)", ref.Reason,
				cur.Role, cur.OfficeID, cur.Active, u.Role, u.OfficeID, u.Active)
			return s.refuse(ctx, actor, "user.update", "user", fmt.Sprint(u.ID), ref)
		}
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		now := db.FormatTime(s.Now())
		// The row must still be what the rules were checked against.
		res, err := tx.Exec(ctx, `UPDATE users SET display_name = ?, office_id = ?, role = ?, active = ?, updated_at = ?
			WHERE id = ? AND role = ? AND office_id = ?`,
			u.DisplayName, u.OfficeID, string(u.Role), u.Active, now, u.ID, string(cur.Role), cur.OfficeID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrStale
		}
		e := audit.For(actor, "user.update", "user", fmt.Sprint(u.ID))
		e.Detail = fmt.Sprintf("role=%s office=%d active=%v", u.Role, u.OfficeID, u.Active)
		if !u.Active {
			sessions, tokens, err := s.endAccess(ctx, tx, u.ID, "", true)
			if err != nil {
				return err
			}
			e.Detail += fmt.Sprintf("; sessions ended=%d tokens revoked=%d", sessions, tokens)
		}
		return audit.Log(ctx, tx, e)
	})
}

// endAccess ends the user's browser sessions except keepSession and, when
// tokens is set, revokes the user's API tokens; it returns how many of each.
func (s *Service) endAccess(ctx context.Context, tx *db.Tx, userID int64, keepSession string, tokens bool) (int64, int64, error) {
	res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keepSession)
	if err != nil {
		return 0, 0, err
	}
	sessions, _ := res.RowsAffected()
	if !tokens {
		return sessions, 0, nil
	}
	res, err = tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at = ''`, db.FormatTime(s.Now()), userID)
	if err != nil {
		return 0, 0, err
	}
	revoked, _ := res.RowsAffected()
	return sessions, revoked, nil
}

// ResetPassword gives a user a new one-time password and unlocks the account,
// as actor may (see manage.go). It ends all the user's sessions and revokes the
// user's API tokens. The password is returned to be shown once, never logged.
func (s *Service) ResetPassword(ctx context.Context, actor audit.Actor, userID int64) (string, error) {
	cur, err := s.UserByID(ctx, userID)
	if err != nil {
		return "", err
	}
	m, err := s.manager(ctx, actor)
	if err != nil {
		return "", err
	}
	if m != nil {
		if ref := m.manageRefusal(cur.Role, cur.OfficeID); ref != nil {
			ref.Reason = fmt.Sprintf("%s (target %s role %s office %d)", ref.Reason, cur.Username, cur.Role, cur.OfficeID)
			return "", s.refuse(ctx, actor, "user.reset_password", "user", fmt.Sprint(userID), ref)
		}
	}
	pw := OneTimePassword()
	hash, err := s.hashes.hash(ctx, pw)
	if err != nil {
		return "", err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		now := db.FormatTime(s.Now())
		res, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, must_change = ?, failed_logins = 0, locked_until = '',
			password_changed_at = ?, updated_at = ? WHERE id = ? AND role = ? AND office_id = ?`,
			hash, true, now, now, userID, string(cur.Role), cur.OfficeID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrStale
		}
		sessions, tokens, err := s.endAccess(ctx, tx, userID, "", true)
		if err != nil {
			return err
		}
		e := audit.For(actor, "user.reset_password", "user", fmt.Sprint(userID))
		e.Detail = fmt.Sprintf("sessions ended=%d tokens revoked=%d", sessions, tokens)
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return "", err
	}
	return pw, nil
}

// Authenticate checks a username and password, counting failures toward
// lockout. Every attempt is audited.
//
// An attempt is counted before its password is checked, in one statement that
// also refuses it once the account has used its Policy.MaxFailures attempts of
// the lockout window: however many guesses arrive at once, at most MaxFailures
// of them are ever checked per window. A right password resets the count.
func (s *Service) Authenticate(ctx context.Context, username, password, client string) (*User, error) {
	u, err := s.UserByName(ctx, username)
	if errors.Is(err, db.ErrNotFound) {
		// As long as a real check: no probing for usernames.
		if err := s.hashes.verifyDummy(ctx, password); err != nil {
			return nil, err
		}
		audit.Record(ctx, s.DB, audit.Entry{Username: username, Action: "login", Client: client, Outcome: audit.Denied, Detail: "unknown user"})
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	entry := audit.Entry{UserID: u.ID, Username: u.Username, OfficeID: u.OfficeID, Action: "login", Client: client}
	if !u.Active {
		entry.Outcome, entry.Detail = audit.Denied, "inactive"
		audit.Record(ctx, s.DB, entry)
		return nil, ErrInactive
	}
	locked := func(until time.Time) error {
		entry.Outcome, entry.Detail = audit.Denied, "locked"
		audit.Record(ctx, s.DB, entry)
		return fmt.Errorf("%w，請於 %d 分鐘後再試或洽機房人員", ErrLocked, int(max(0, until.Sub(s.Now())).Minutes())+1)
	}
	if s.Now().Before(u.LockedUntil) { // known locked: no need to queue for a slot
		return nil, locked(u.LockedUntil)
	}
	// The slot first: a request that gives up while queued has used no attempt.
	release, err := s.hashes.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	attempt, hash, err := s.reserveAttempt(ctx, u.ID, s.Now())
	if errors.Is(err, errNoAttempt) {
		release()
		cur, err := s.UserByID(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		if !cur.Active {
			entry.Outcome, entry.Detail = audit.Denied, "inactive"
			audit.Record(ctx, s.DB, entry)
			return nil, ErrInactive
		}
		return nil, locked(cur.LockedUntil)
	}
	if err != nil {
		return nil, err
	}
	ok := s.hashes.check(hash, password)
	release()
	if !ok {
		entry.Outcome, entry.Detail = audit.Denied, fmt.Sprintf("wrong password (%d)", attempt)
		last := attempt >= s.Policy.MaxFailures
		if last {
			entry.Detail += "; locked"
		}
		if err := audit.Record(ctx, s.DB, entry); err != nil {
			return nil, err
		}
		if last {
			return nil, fmt.Errorf("%w：密碼錯誤已達 %d 次，請於 %d 分鐘後再試", ErrLocked, s.Policy.MaxFailures, int(s.Policy.LockDuration.Minutes()))
		}
		return nil, ErrBadCredentials
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = '' WHERE id = ?`, u.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, entry)
	})
	if err != nil {
		return nil, err
	}
	u.FailedLogins, u.LockedUntil = 0, time.Time{}
	return u, nil
}

// errNoAttempt: the account is locked (or was deactivated): no attempt is left.
var errNoAttempt = errors.New("auth: no login attempt left")

// reserveAttempt counts one login attempt of the user before its password is
// checked and returns its number in the window and the password hash to check.
// failed_logins counts the attempts of the current window, checked or being
// checked; the attempt that reaches MaxFailures locks the account at once, so
// no further attempt is counted, let alone checked, until the lock expires —
// when the next attempt opens a new window. A right password resets the count.
func (s *Service) reserveAttempt(ctx context.Context, userID int64, now time.Time) (int, string, error) {
	ts := db.FormatTime(now)
	var attempt int
	var hash string
	err := s.DB.QueryRow(ctx, `UPDATE users SET
			failed_logins = CASE WHEN locked_until <> '' THEN 1 ELSE failed_logins + 1 END,
			locked_until = CASE WHEN (CASE WHEN locked_until <> '' THEN 1 ELSE failed_logins + 1 END) >= ? THEN ? ELSE '' END
		WHERE id = ? AND active = ? AND (locked_until = '' OR locked_until <= ?)
		RETURNING failed_logins, password_hash`,
		s.Policy.MaxFailures, db.FormatTime(now.Add(s.Policy.LockDuration)), userID, true, ts).Scan(&attempt, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", errNoAttempt
	}
	return attempt, hash, err
}

// PasswordExpired reports whether u must change the password before working.
func (s *Service) PasswordExpired(u *User) bool {
	return u.MustChange || (s.Policy.PasswordMaxAge > 0 && s.Now().Sub(u.PasswordChangedAt) > s.Policy.PasswordMaxAge)
}

// ChangePassword sets a new password after checking the old one and the
// policy. It ends the user's other sessions; keepSession (the session id of the
// request, "" for none) stays.
func (s *Service) ChangePassword(ctx context.Context, u *User, keepSession, oldPW, newPW, client string) error {
	var hash string
	if err := s.DB.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&hash); err != nil {
		return err
	}
	ok, err := s.hashes.verify(ctx, hash, oldPW)
	if err != nil {
		return err
	}
	if !ok {
		e := audit.For(u.Actor(client), "user.change_password", "user", fmt.Sprint(u.ID))
		e.Outcome, e.Detail = audit.Denied, "wrong current password"
		audit.Record(ctx, s.DB, e)
		return errors.New("目前密碼不正確")
	}
	if oldPW == newPW {
		return errors.New("新密碼不可與目前密碼相同")
	}
	if err := CheckStrengthFor(newPW, u.Username, s.Policy.MinPasswordLen); err != nil {
		return err
	}
	nh, err := s.hashes.hash(ctx, newPW)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		now := db.FormatTime(s.Now())
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, must_change = ?, password_changed_at = ?, updated_at = ? WHERE id = ?`,
			nh, false, now, now, u.ID); err != nil {
			return err
		}
		sessions, _, err := s.endAccess(ctx, tx, u.ID, keepSession, false)
		if err != nil {
			return err
		}
		e := audit.For(u.Actor(client), "user.change_password", "user", fmt.Sprint(u.ID))
		e.Detail = fmt.Sprintf("other sessions ended=%d", sessions)
		return audit.Log(ctx, tx, e)
	})
}

func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// Session is a logged-in browser.
type Session struct {
	ID        string // hash of the cookie value
	User      *User
	CounterID int64
	ExpiresAt time.Time
}

// CreateSession starts a session and returns the cookie value.
func (s *Service) CreateSession(ctx context.Context, u *User, client string) (string, error) {
	tok := RandomToken(32)
	now := s.Now()
	_, err := s.DB.Exec(ctx, `INSERT INTO sessions (id, user_id, client, created_at, last_seen, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		hashToken(tok), u.ID, client, db.FormatTime(now), db.FormatTime(now), db.FormatTime(now.Add(s.Policy.SessionMaxAge)))
	return tok, err
}

// SessionByToken resolves a cookie value; expired or idle sessions are removed.
func (s *Service) SessionByToken(ctx context.Context, tok string) (*Session, error) {
	if tok == "" {
		return nil, db.ErrNotFound
	}
	id := hashToken(tok)
	var userID int64
	var counter sql.NullInt64
	var lastSeen, expires string
	err := s.DB.QueryRow(ctx, `SELECT user_id, counter_id, last_seen, expires_at FROM sessions WHERE id = ?`, id).Scan(&userID, &counter, &lastSeen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	now := s.Now()
	last := db.ParseTime(lastSeen)
	if now.After(db.ParseTime(expires)) || now.Sub(last) > s.Policy.IdleTimeout {
		s.DB.Exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
		return nil, db.ErrNotFound
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !u.Active {
		// Deactivation ends sessions; one that slipped through ends here.
		s.DB.Exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
		return nil, db.ErrNotFound
	}
	// Touch at most once a minute: a read-heavy counter should not write on every click.
	if now.Sub(last) > time.Minute {
		s.DB.Exec(ctx, `UPDATE sessions SET last_seen = ? WHERE id = ?`, db.FormatTime(now), id)
	}
	return &Session{ID: id, User: u, CounterID: counter.Int64, ExpiresAt: db.ParseTime(expires)}, nil
}

// SetSessionCounter records which counter the session works at.
func (s *Service) SetSessionCounter(ctx context.Context, sessionID string, counterID int64) error {
	var c any
	if counterID != 0 {
		c = counterID
	}
	_, err := s.DB.Exec(ctx, `UPDATE sessions SET counter_id = ? WHERE id = ?`, c, sessionID)
	return err
}

// DeleteSession logs a session out.
func (s *Service) DeleteSession(ctx context.Context, sessionID string) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM sessions WHERE id = ?`, sessionID)
	return err
}

// Token is an API bearer token's record (never the token itself).
type Token struct {
	ID         int64
	UserID     int64
	Username   string
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
	Revoked    bool
	Expired    bool // past ExpiresAt when listed
}

// ErrTokenExpired is a token past its expiry: refused until renewed.
var ErrTokenExpired = errors.New("API 權杖已逾期")

// tokenExpiry is when a token expires: its expires_at, or for a token from
// before expiry existed (empty), created_at plus the policy's life.
func (s *Service) tokenExpiry(created, expires string) time.Time {
	if expires != "" {
		return db.ParseTime(expires)
	}
	return db.ParseTime(created).Add(s.Policy.TokenLife())
}

// CreateToken issues a bearer token for user and returns it (shown once), as
// actor may (see manage.go). A deactivated user gets none.
func (s *Service) CreateToken(ctx context.Context, actor audit.Actor, userID int64, name string) (string, error) {
	target, err := s.UserByID(ctx, userID)
	if err != nil {
		return "", err
	}
	m, err := s.manager(ctx, actor)
	if err != nil {
		return "", err
	}
	var ref *Refusal
	if m != nil {
		ref = m.tokenRefusal(target)
	}
	if ref == nil && !target.Active {
		ref = &Refusal{"此帳號已停用，不能核發權杖", "user inactive"}
	}
	if ref != nil {
		ref.Reason = fmt.Sprintf("%s (token for %s role %s office %d)", ref.Reason, target.Username, target.Role, target.OfficeID)
		return "", s.refuse(ctx, actor, "token.create", "user", fmt.Sprint(userID), ref)
	}
	tok := "ebz_" + RandomToken(32)
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		now := s.Now()
		expires := now.Add(s.Policy.TokenLife())
		if err := tx.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			userID, name, hashToken(tok), db.FormatTime(now), by, db.FormatTime(expires)).Scan(&id); err != nil {
			return err
		}
		e := audit.For(actor, "token.create", "api_token", fmt.Sprint(id))
		e.Detail = fmt.Sprintf("user=%d name=%s expires=%s", userID, name, db.FormatTime(expires))
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return "", err
	}
	return tok, nil
}

// RevokeToken revokes a token, as actor may (see manage.go).
func (s *Service) RevokeToken(ctx context.Context, actor audit.Actor, id int64) error {
	var owner int64
	if err := s.DB.QueryRow(ctx, `SELECT user_id FROM api_tokens WHERE id = ?`, id).Scan(&owner); errors.Is(err, sql.ErrNoRows) {
		return db.ErrNotFound
	} else if err != nil {
		return err
	}
	m, err := s.manager(ctx, actor)
	if err != nil {
		return err
	}
	if m != nil {
		target, err := s.UserByID(ctx, owner)
		if err != nil {
			return err
		}
		if ref := m.tokenRefusal(target); ref != nil {
			ref.Reason = fmt.Sprintf("%s (token of %s role %s office %d)", ref.Reason, target.Username, target.Role, target.OfficeID)
			return s.refuse(ctx, actor, "token.revoke", "api_token", fmt.Sprint(id), ref)
		}
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = ''`, db.FormatTime(s.Now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		return audit.Log(ctx, tx, audit.For(actor, "token.revoke", "api_token", fmt.Sprint(id)))
	})
}

// Tokens lists tokens (of one office's users when officeID != 0).
func (s *Service) Tokens(ctx context.Context, officeID int64) ([]Token, error) {
	q := `SELECT t.id, t.user_id, u.username, t.name, t.created_at, t.last_used_at, t.revoked_at, t.expires_at FROM api_tokens t JOIN users u ON u.id = t.user_id`
	var args []any
	if officeID != 0 {
		q += ` WHERE u.office_id = ?`
		args = append(args, officeID)
	}
	rows, err := s.DB.Query(ctx, q+` ORDER BY t.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var created, used, revoked, expires string
		if err := rows.Scan(&t.ID, &t.UserID, &t.Username, &t.Name, &created, &used, &revoked, &expires); err != nil {
			return nil, err
		}
		t.CreatedAt, t.LastUsedAt, t.Revoked = db.ParseTime(created), db.ParseTime(used), revoked != ""
		t.ExpiresAt = s.tokenExpiry(created, expires)
		t.Expired = !s.Now().Before(t.ExpiresAt)
		out = append(out, t)
	}
	return out, rows.Err()
}

// UserByToken resolves a bearer token to its (active) user. A token past its
// expiry returns its id with ErrTokenExpired (for the audit entry).
func (s *Service) UserByToken(ctx context.Context, tok string) (*User, int64, error) {
	var id, userID int64
	var used, created, expires string
	err := s.DB.QueryRow(ctx, `SELECT id, user_id, last_used_at, created_at, expires_at FROM api_tokens WHERE token_hash = ? AND revoked_at = ''`,
		hashToken(tok)).Scan(&id, &userID, &used, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, db.ErrNotFound
	}
	if err != nil {
		return nil, 0, err
	}
	now := s.Now()
	if !now.Before(s.tokenExpiry(created, expires)) {
		return nil, id, ErrTokenExpired
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	if !u.Active {
		return nil, 0, db.ErrNotFound
	}
	if now.Sub(db.ParseTime(used)) > time.Minute {
		s.DB.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, db.FormatTime(now), id)
	}
	return u, id, nil
}

// RenewToken gives a token a new life of Policy.TokenMaxAge from now, as actor
// may (the same rule as minting it, see manage.go), and returns its new expiry.
// A revoked token — revoked by hand, by a password reset or by deactivating
// its user — stays dead: it is never renewed, nor is a token of an inactive
// user. Renewals and their refusals are audited.
func (s *Service) RenewToken(ctx context.Context, actor audit.Actor, id int64, reason string) (time.Time, error) {
	var owner int64
	var created, expires, revoked string
	err := s.DB.QueryRow(ctx, `SELECT user_id, created_at, expires_at, revoked_at FROM api_tokens WHERE id = ?`, id).Scan(&owner, &created, &expires, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, db.ErrNotFound
	}
	if err != nil {
		return time.Time{}, err
	}
	target, err := s.UserByID(ctx, owner)
	if err != nil {
		return time.Time{}, err
	}
	m, err := s.manager(ctx, actor)
	if err != nil {
		return time.Time{}, err
	}
	var ref *Refusal
	if m != nil {
		ref = m.tokenRefusal(target)
	}
	switch {
	case ref != nil:
	case revoked != "":
		ref = &Refusal{"已撤銷的權杖不能展延，請重新核發", "token revoked at " + revoked}
	case !target.Active:
		ref = &Refusal{"此帳號已停用，其權杖不能展延", "user inactive"}
	}
	if ref != nil {
		ref.Reason = fmt.Sprintf("%s (token %d of %s role %s office %d)", ref.Reason, id, target.Username, target.Role, target.OfficeID)
		return time.Time{}, s.refuse(ctx, actor, "token.renew", "api_token", fmt.Sprint(id), ref)
	}
	old := s.tokenExpiry(created, expires)
	next := s.Now().Add(s.Policy.TokenLife())
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE api_tokens SET expires_at = ? WHERE id = ? AND revoked_at = ''`, db.FormatTime(next), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrStale
		}
		e := audit.For(actor, "token.renew", "api_token", fmt.Sprint(id))
		e.Detail = fmt.Sprintf("user=%d expires %s -> %s", owner, db.FormatTime(old), db.FormatTime(next))
		if reason = strings.TrimSpace(reason); reason != "" {
			e.Detail += "; reason=" + reason
		}
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return time.Time{}, err
	}
	return next, nil
}
