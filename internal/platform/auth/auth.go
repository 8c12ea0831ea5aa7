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
}

// DefaultPolicy matches the issue: 5 failures lock for 15 minutes.
func DefaultPolicy() Policy {
	return Policy{MinPasswordLen: 8, PasswordMaxAge: 90 * 24 * time.Hour, MaxFailures: 5,
		LockDuration: 15 * time.Minute, IdleTimeout: 30 * time.Minute, SessionMaxAge: 12 * time.Hour}
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

// Service is the account store.
type Service struct {
	DB     *db.DB
	Policy Policy
	Now    func() time.Time
}

// New returns a service with policy p.
func New(d *db.DB, p Policy) *Service { return &Service{DB: d, Policy: p, Now: d.Now} }

// Errors shown to users (their text is the Chinese message).
var (
	ErrBadCredentials = errors.New("帳號或密碼錯誤")
	ErrLocked         = errors.New("帳號已暫時鎖定")
	ErrInactive       = errors.New("帳號已停用")
	ErrUsernameTaken  = errors.New("帳號已存在")
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

// CreateUser stores a new account and returns its id and initial password.
func (s *Service) CreateUser(ctx context.Context, actor audit.Actor, nu NewUser) (int64, string, error) {
	nu.Username = strings.TrimSpace(nu.Username)
	if nu.Username == "" || strings.ContainsAny(nu.Username, " \t/") || len(nu.Username) > 64 {
		return 0, "", errors.New("帳號須為1至64個字元，不含空白")
	}
	if strings.TrimSpace(nu.DisplayName) == "" {
		nu.DisplayName = nu.Username
	}
	if !nu.Role.Valid() {
		return 0, "", fmt.Errorf("未知的角色「%s」", nu.Role)
	}
	if nu.Password == "" {
		nu.Password = OneTimePassword()
		nu.MustChange = true
	}
	hash, err := HashPassword(nu.Password)
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

// UpdateUser changes a user's display name, office, role and active flag.
func (s *Service) UpdateUser(ctx context.Context, actor audit.Actor, u *User) error {
	if !u.Role.Valid() {
		return fmt.Errorf("未知的角色「%s」", u.Role)
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET display_name = ?, office_id = ?, role = ?, active = ?, updated_at = ? WHERE id = ?`,
			u.DisplayName, u.OfficeID, string(u.Role), u.Active, db.FormatTime(s.Now()), u.ID); err != nil {
			return err
		}
		if !u.Active {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return err
			}
		}
		e := audit.For(actor, "user.update", "user", fmt.Sprint(u.ID))
		e.Detail = fmt.Sprintf("role=%s office=%d active=%v", u.Role, u.OfficeID, u.Active)
		return audit.Log(ctx, tx, e)
	})
}

// ResetPassword gives a user a new one-time password and unlocks the account.
func (s *Service) ResetPassword(ctx context.Context, actor audit.Actor, userID int64) (string, error) {
	pw := OneTimePassword()
	hash, err := HashPassword(pw)
	if err != nil {
		return "", err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, must_change = ?, failed_logins = 0, locked_until = '',
			password_changed_at = ?, updated_at = ? WHERE id = ?`, hash, true, db.FormatTime(s.Now()), db.FormatTime(s.Now()), userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, audit.For(actor, "user.reset_password", "user", fmt.Sprint(userID)))
	})
	return pw, err
}

// Authenticate checks a username and password, counting failures toward lockout.
// Every attempt is audited.
func (s *Service) Authenticate(ctx context.Context, username, password, client string) (*User, error) {
	now := s.Now()
	u, err := s.UserByName(ctx, username)
	if errors.Is(err, db.ErrNotFound) {
		CheckPassword(dummyHash, password) // same time as a real check: no username probing
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
	if now.Before(u.LockedUntil) {
		entry.Outcome, entry.Detail = audit.Denied, "locked"
		audit.Record(ctx, s.DB, entry)
		return nil, fmt.Errorf("%w，請於 %d 分鐘後再試或洽機房人員", ErrLocked, int(u.LockedUntil.Sub(now).Minutes())+1)
	}
	var hash string
	if err := s.DB.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&hash); err != nil {
		return nil, err
	}
	if !CheckPassword(hash, password) {
		var locked bool
		err := s.DB.InTx(ctx, func(tx *db.Tx) error {
			var fails int
			if err := tx.QueryRow(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins`, u.ID).Scan(&fails); err != nil {
				return err
			}
			entry.Outcome, entry.Detail = audit.Denied, fmt.Sprintf("wrong password (%d)", fails)
			if fails >= s.Policy.MaxFailures {
				locked = true
				if _, err := tx.Exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?`,
					db.FormatTime(now.Add(s.Policy.LockDuration)), u.ID); err != nil {
					return err
				}
				entry.Detail += "; locked"
			}
			return audit.Log(ctx, tx, entry)
		})
		if err != nil {
			return nil, err
		}
		if locked {
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

// dummyHash makes a check against an unknown user take as long as a real one.
var dummyHash, _ = HashPassword("ebazhao-dummy-password")

// PasswordExpired reports whether u must change the password before working.
func (s *Service) PasswordExpired(u *User) bool {
	return u.MustChange || (s.Policy.PasswordMaxAge > 0 && s.Now().Sub(u.PasswordChangedAt) > s.Policy.PasswordMaxAge)
}

// ChangePassword sets a new password after checking the old one and the policy.
func (s *Service) ChangePassword(ctx context.Context, u *User, oldPW, newPW, client string) error {
	var hash string
	if err := s.DB.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&hash); err != nil {
		return err
	}
	if !CheckPassword(hash, oldPW) {
		return errors.New("目前密碼不正確")
	}
	if oldPW == newPW {
		return errors.New("新密碼不可與目前密碼相同")
	}
	if err := CheckStrength(newPW, s.Policy.MinPasswordLen); err != nil {
		return err
	}
	nh, err := HashPassword(newPW)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		now := db.FormatTime(s.Now())
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, must_change = ?, password_changed_at = ?, updated_at = ? WHERE id = ?`,
			nh, false, now, now, u.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, audit.For(u.Actor(client), "user.change_password", "user", fmt.Sprint(u.ID)))
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
	Revoked    bool
}

// CreateToken issues a bearer token for user and returns it (shown once).
func (s *Service) CreateToken(ctx context.Context, actor audit.Actor, userID int64, name string) (string, error) {
	tok := "ebz_" + RandomToken(32)
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		if err := tx.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			userID, name, hashToken(tok), db.FormatTime(s.Now()), by).Scan(&id); err != nil {
			return err
		}
		e := audit.For(actor, "token.create", "api_token", fmt.Sprint(id))
		e.Detail = fmt.Sprintf("user=%d name=%s", userID, name)
		return audit.Log(ctx, tx, e)
	})
	return tok, err
}

// RevokeToken revokes a token.
func (s *Service) RevokeToken(ctx context.Context, actor audit.Actor, id int64) error {
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
	q := `SELECT t.id, t.user_id, u.username, t.name, t.created_at, t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id`
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
		var created, used, revoked string
		if err := rows.Scan(&t.ID, &t.UserID, &t.Username, &t.Name, &created, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt, t.LastUsedAt, t.Revoked = db.ParseTime(created), db.ParseTime(used), revoked != ""
		out = append(out, t)
	}
	return out, rows.Err()
}

// UserByToken resolves a bearer token to its (active) user.
func (s *Service) UserByToken(ctx context.Context, tok string) (*User, int64, error) {
	var id, userID int64
	var used string
	err := s.DB.QueryRow(ctx, `SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = ? AND revoked_at = ''`, hashToken(tok)).Scan(&id, &userID, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, db.ErrNotFound
	}
	if err != nil {
		return nil, 0, err
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	if !u.Active {
		return nil, 0, db.ErrNotFound
	}
	if now := s.Now(); now.Sub(db.ParseTime(used)) > time.Minute {
		s.DB.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, db.FormatTime(now), id)
	}
	return u, id, nil
}
