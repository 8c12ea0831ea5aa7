package auth

import (
	"context"
	"fmt"

	"ebazhao/internal/platform/audit"
)

// Who may manage whose account. The rules live here, in the service, so that
// every way in — the admin pages, the API, a future one — is held to them:
//
//   - an account is managed (created, edited, moved, promoted or demoted,
//     deactivated, its password reset, an API token minted or revoked for it)
//     only by a role above its own, and only within the manager's scope: a
//     supervisor manages the accounts of the own office, the admin (機房人員,
//     city.wide) those of every office;
//   - nobody gives a role equal to or above the own;
//   - supervisors and admins are managed by the admin alone. The admin is the
//     top of the ladder — nobody is above it to manage it — so admins manage
//     each other;
//   - nobody changes the own role or deactivates the own account.
//
// The machine's operator — the command line (`ebazhao token create`), the first
// start, the demo seed — acts with an audit.Actor that names no user (UserID 0)
// and is not held to these rules. Every staff actor carries its user id, and
// the service re-reads that user from the database: a session's stale copy
// decides nothing.

// rank orders the roles for account management.
func (r Role) rank() int {
	switch r {
	case Admin:
		return 3
	case Supervisor:
		return 2
	case Clerk, Scanner, Cashier:
		return 1
	}
	return 0
}

// CanManage reports whether a holder of role r may manage an account of role t
// (or give an account role t): a role above t, or the admin.
func (r Role) CanManage(t Role) bool {
	if !r.Can(UserManage) || !t.Valid() {
		return false
	}
	return r == Admin || r.rank() > t.rank()
}

// ManageableRoles lists the roles r may give, in display order.
func (r Role) ManageableRoles() []Role {
	var out []Role
	for _, t := range Roles {
		if r.CanManage(t) {
			out = append(out, t)
		}
	}
	return out
}

// Refusal is a change the account rules refuse. Msg is for the user (Chinese);
// Reason is the precise cause written to the audit trail. The web layer answers
// a Refusal with 403.
type Refusal struct {
	Msg    string
	Reason string
}

func (e *Refusal) Error() string { return e.Msg }

// manageRefusal is why m may not manage an account of role and office, or nil.
func (m *User) manageRefusal(role Role, officeID int64) *Refusal {
	switch {
	case !m.Active:
		return &Refusal{"您的帳號已停用", "manager inactive"}
	case !m.Can(UserManage):
		return &Refusal{"您沒有管理使用者的權限（" + m.Role.Label() + "）", fmt.Sprintf("role %s lacks %s", m.Role, UserManage)}
	case !m.CanActOnOffice(officeID):
		return &Refusal{"您只能管理本所的使用者", fmt.Sprintf("office %d outside the manager's office %d", officeID, m.OfficeID)}
	case !m.Role.CanManage(role):
		return &Refusal{fmt.Sprintf("您不能管理或指派「%s」角色的帳號：只能管理職級低於您的帳號，主管人員與機房人員僅由機房人員管理", role.Label()),
			fmt.Sprintf("role %s may not manage role %s", m.Role, role)}
	}
	return nil
}

// MayManage reports whether m may manage target's account as it stands (for
// pages: whether to offer the edit and reset forms).
func (m *User) MayManage(target *User) bool {
	return m != nil && target != nil && m.manageRefusal(target.Role, target.OfficeID) == nil
}

// tokenRefusal is why m may not mint or revoke an API token of target, or nil.
func (m *User) tokenRefusal(target *User) *Refusal {
	switch {
	case !m.Active:
		return &Refusal{"您的帳號已停用", "manager inactive"}
	case !m.Can(TokenManage):
		return &Refusal{"您沒有管理 API 權杖的權限（" + m.Role.Label() + "）", fmt.Sprintf("role %s lacks %s", m.Role, TokenManage)}
	case m.ID == target.ID:
		return nil
	}
	return m.manageRefusal(target.Role, target.OfficeID)
}

// manager resolves the acting user of actor from the database; nil for the
// machine's operator (an actor without a user id).
func (s *Service) manager(ctx context.Context, actor audit.Actor) (*User, error) {
	if actor.UserID == 0 {
		return nil, nil
	}
	m, err := s.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, fmt.Errorf("auth: the acting user %d: %w", actor.UserID, err)
	}
	return m, nil
}

// refuse records a refused change in the audit trail (outcome denied) and
// returns the refusal.
func (s *Service) refuse(ctx context.Context, actor audit.Actor, action, kind, id string, ref *Refusal) error {
	e := audit.For(actor, action, kind, id)
	e.Outcome, e.Detail = audit.Denied, ref.Reason
	if err := audit.Record(ctx, s.DB, e); err != nil {
		return fmt.Errorf("auth: audit the refusal of %s on %s %s (%s): %w", action, kind, id, ref.Reason, err)
	}
	return ref
}
