// Package admin serves the system administration pages: staff accounts, offices
// and counters, API tokens and the audit trail browser.
package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/platform/web"
)

// Handlers serves /admin.
type Handlers struct {
	Kit     *web.Kit
	Auth    *auth.Service
	Offices *office.Store
}

// Routes registers the admin routes. Supervisors manage their own office's
// users; admins (機房人員) manage every office.
func (h *Handlers) Routes() {
	k := h.Kit
	k.Page("GET /admin", auth.UserManage, h.index)
	k.Page("GET /admin/users", auth.UserManage, h.users)
	k.Page("POST /admin/users", auth.UserManage, h.createUser)
	k.Page("GET /admin/users/{id}", auth.UserManage, h.editUser)
	k.Page("POST /admin/users/{id}", auth.UserManage, h.updateUser)
	k.Page("POST /admin/users/{id}/reset", auth.UserManage, h.resetPassword)
	k.Page("GET /admin/offices", auth.OfficeManage, h.offices)
	k.Page("POST /admin/offices", auth.OfficeManage, h.createOffice)
	k.Page("GET /admin/offices/{id}", auth.UserManage, h.showOffice)
	k.Page("POST /admin/offices/{id}", auth.OfficeManage, h.updateOffice)
	k.Page("POST /admin/offices/{id}/counters", auth.UserManage, h.addCounter)
	k.Page("GET /admin/tokens", auth.TokenManage, h.tokens)
	k.Page("POST /admin/tokens", auth.TokenManage, h.createToken)
	k.Page("POST /admin/tokens/{id}/revoke", auth.TokenManage, h.revokeToken)
	k.Page("POST /admin/tokens/{id}/renew", auth.TokenManage, h.renewToken)
	k.Page("GET /admin/audit", auth.AuditView, h.auditBrowser)
}

func (h *Handlers) index(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	return nil
}

// scopeOffice is the office a non-admin is limited to (0: all).
func scopeOffice(u *auth.User) int64 {
	if u.Can(auth.CityWide) {
		return 0
	}
	return u.OfficeID
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.NotFound("查無資料")
	}
	return id, nil
}

func (h *Handlers) users(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	users, err := h.Auth.Users(r.Context(), scopeOffice(u))
	if err != nil {
		return err
	}
	offices, err := h.visibleOffices(r)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "admin_users", "使用者管理", map[string]any{"Users": users, "Offices": offices, "Roles": assignableRoles(u)})
}

// assignableRoles are the roles u may give (the rules are auth's, manage.go).
func assignableRoles(u *auth.User) []auth.Role { return u.Role.ManageableRoles() }

func (h *Handlers) visibleOffices(r *http.Request) ([]*office.Office, error) {
	all, err := h.Offices.All(r.Context())
	if err != nil {
		return nil, err
	}
	u := web.User(r)
	if u.Can(auth.CityWide) {
		return all, nil
	}
	var out []*office.Office
	for _, o := range all {
		if o.ID == u.OfficeID {
			out = append(out, o)
		}
	}
	return out, nil
}

// The account rules — who may create, edit, reset or give a token to whom — are
// enforced and their refusals audited by the auth service; a refusal comes back
// as an *auth.Refusal, which the web kit answers with 403.

func (h *Handlers) createUser(w http.ResponseWriter, r *http.Request) error {
	officeID, _ := strconv.ParseInt(r.PostFormValue("office_id"), 10, 64)
	role := auth.Role(r.PostFormValue("role"))
	username := strings.TrimSpace(r.PostFormValue("username"))
	_, pw, err := h.Auth.CreateUser(r.Context(), web.Actor(r), auth.NewUser{Username: username,
		DisplayName: r.PostFormValue("display_name"), OfficeID: officeID, Role: role})
	if err != nil {
		var refusal *auth.Refusal
		if errors.As(err, &refusal) {
			return err
		}
		if errors.Is(err, auth.ErrUsernameTaken) || errors.Is(err, auth.ErrInvalidAccount) {
			return web.Invalid(err)
		}
		return err
	}
	return h.showSecret(w, r, secret{Title: "已建立帳號 " + username, Label: "一次性密碼", Value: pw,
		Note: "請當面交付使用者；首次登入須變更密碼。", Back: "/admin/users"})
}

// secret is a one-time password or token just made.
type secret struct {
	Title, Label, Value, Note, Back string
}

// showSecret answers the POST that made a secret with a page showing it: once,
// here, never in a cookie, a redirect or a log, and never cached.
func (h *Handlers) showSecret(w http.ResponseWriter, r *http.Request, s secret) error {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	return h.Kit.Render(w, r, "admin_secret", s.Title, s)
}

func (h *Handlers) loadUser(r *http.Request) (*auth.User, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	target, err := h.Auth.UserByID(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無此使用者")
	}
	if err != nil {
		return nil, err
	}
	if !web.User(r).CanActOnOffice(target.OfficeID) {
		h.Kit.Audit(r, "user.view", "user", fmt.Sprint(id), "", audit.Denied, "other office")
		return nil, web.Forbidden("您只能管理本所的使用者")
	}
	return target, nil
}

func (h *Handlers) editUser(w http.ResponseWriter, r *http.Request) error {
	target, err := h.loadUser(r)
	if err != nil {
		return err
	}
	offices, err := h.visibleOffices(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	return h.Kit.Render(w, r, "admin_user", "使用者 "+target.Username, map[string]any{"Target": target, "Offices": offices,
		"Roles": assignableRoles(u), "CanManage": u.MayManage(target)})
}

func (h *Handlers) updateUser(w http.ResponseWriter, r *http.Request) error {
	target, err := h.loadUser(r)
	if err != nil {
		return err
	}
	upd := *target
	upd.OfficeID, _ = strconv.ParseInt(r.PostFormValue("office_id"), 10, 64)
	upd.Role = auth.Role(r.PostFormValue("role"))
	upd.DisplayName = strings.TrimSpace(r.PostFormValue("display_name"))
	upd.Active = r.PostFormValue("active") == "on"
	if err := h.Auth.UpdateUser(r.Context(), web.Actor(r), &upd); err != nil {
		if errors.Is(err, auth.ErrStale) {
			return web.Conflict(err.Error())
		}
		if errors.Is(err, auth.ErrInvalidAccount) {
			return web.Invalid(err)
		}
		return err
	}
	return web.Redirect(w, r, "/admin/users", "已儲存 "+upd.Username)
}

func (h *Handlers) resetPassword(w http.ResponseWriter, r *http.Request) error {
	target, err := h.loadUser(r)
	if err != nil {
		return err
	}
	pw, err := h.Auth.ResetPassword(r.Context(), web.Actor(r), target.ID)
	if err != nil {
		if errors.Is(err, auth.ErrStale) {
			return web.Conflict(err.Error())
		}
		if errors.Is(err, auth.ErrInvalidAccount) {
			return web.Invalid(err)
		}
		return err
	}
	return h.showSecret(w, r, secret{Title: "已重設 " + target.Username + " 的密碼", Label: "一次性密碼", Value: pw,
		Note: "帳號已解除鎖定，其所有登入工作階段已結束、API 權杖已撤銷；首次登入須變更密碼。", Back: fmt.Sprintf("/admin/users/%d", target.ID)})
}

func (h *Handlers) offices(w http.ResponseWriter, r *http.Request) error {
	all, err := h.Offices.All(r.Context())
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "admin_offices", "戶所管理", map[string]any{"Offices": all})
}

func (h *Handlers) createOffice(w http.ResponseWriter, r *http.Request) error {
	o := &office.Office{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), City: r.PostFormValue("city"),
		District: r.PostFormValue("district"), Address: r.PostFormValue("address"), Phone: r.PostFormValue("phone")}
	if err := h.Offices.Create(r.Context(), web.Actor(r), o); err != nil {
		return web.Invalid(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/admin/offices/%d", o.ID), "已新增 "+o.Name)
}

func (h *Handlers) loadOffice(r *http.Request) (*office.Office, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	if !web.User(r).CanActOnOffice(id) {
		h.Kit.Audit(r, "office.view", "office", fmt.Sprint(id), "", audit.Denied, "other office")
		return nil, web.Forbidden("您只能管理本所")
	}
	o, err := h.Offices.ByID(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無此戶所")
	}
	return o, err
}

func (h *Handlers) showOffice(w http.ResponseWriter, r *http.Request) error {
	o, err := h.loadOffice(r)
	if err != nil {
		return err
	}
	counters, err := h.Offices.Counters(r.Context(), o.ID)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "admin_office", o.Name, map[string]any{"Office": o, "Counters": counters})
}

func (h *Handlers) updateOffice(w http.ResponseWriter, r *http.Request) error {
	o, err := h.loadOffice(r)
	if err != nil {
		return err
	}
	o.Name, o.Address, o.Phone = r.PostFormValue("name"), r.PostFormValue("address"), r.PostFormValue("phone")
	o.Active = r.PostFormValue("active") == "on"
	if err := h.Offices.Update(r.Context(), web.Actor(r), o); err != nil {
		return web.Invalid(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/admin/offices/%d", o.ID), "已儲存")
}

func (h *Handlers) addCounter(w http.ResponseWriter, r *http.Request) error {
	o, err := h.loadOffice(r)
	if err != nil {
		return err
	}
	if _, err := h.Offices.AddCounter(r.Context(), web.Actor(r), o.ID, r.PostFormValue("kind"), r.PostFormValue("name")); err != nil {
		return web.Invalid(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/admin/offices/%d", o.ID), "已新增")
}

func (h *Handlers) tokens(w http.ResponseWriter, r *http.Request) error {
	toks, err := h.Auth.Tokens(r.Context(), 0)
	if err != nil {
		return err
	}
	users, err := h.Auth.Users(r.Context(), 0)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "admin_tokens", "API 權杖", map[string]any{"Tokens": toks, "Users": users,
		"LifeDays": int(h.Auth.Policy.TokenLife().Hours() / 24)})
}

func (h *Handlers) createToken(w http.ResponseWriter, r *http.Request) error {
	uid, _ := strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	target, err := h.Auth.UserByID(r.Context(), uid)
	if err != nil {
		return web.BadRequest("請選擇使用者")
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" {
		name = "api"
	}
	tok, err := h.Auth.CreateToken(r.Context(), web.Actor(r), target.ID, name)
	if err != nil {
		return err
	}
	expires := rocdate.FormatDateTime(h.Auth.Now().Add(h.Auth.Policy.TokenLife()))
	return h.showSecret(w, r, secret{Title: "已核發 API 權杖", Label: target.Username + " 的權杖（" + name + "）", Value: tok,
		Note: "有效至 " + expires + "（逾期後須由機房人員展延）。系統只保存權杖的雜湊值，離開此頁後無法再查看，請立即妥善保存。", Back: "/admin/tokens"})
}

func (h *Handlers) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.Auth.RevokeToken(r.Context(), web.Actor(r), id); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return web.Conflict("此權杖不存在或已撤銷")
		}
		return err
	}
	return web.Redirect(w, r, "/admin/tokens", "已撤銷權杖")
}

func (h *Handlers) renewToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	until, err := h.Auth.RenewToken(r.Context(), web.Actor(r), id, r.PostFormValue("reason"))
	if err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return web.NotFound("此權杖不存在")
		}
		return err
	}
	return web.Redirect(w, r, "/admin/tokens", "已展延權杖，有效至 "+rocdate.FormatDateTime(until))
}

func (h *Handlers) auditBrowser(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	u := web.User(r)
	f := audit.Filter{Action: q.Get("action"), PersonIDNo: strings.ToUpper(strings.TrimSpace(q.Get("person"))), Outcome: q.Get("outcome"), Limit: 100}
	f.OfficeID = scopeOffice(u)
	if f.OfficeID == 0 {
		f.OfficeID, _ = strconv.ParseInt(q.Get("office"), 10, 64)
	}
	f.BeforeSeq, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	if name := strings.TrimSpace(q.Get("user")); name != "" {
		if target, err := h.Auth.UserByName(r.Context(), name); err == nil {
			f.UserID = target.ID
		} else {
			f.UserID = -1
		}
	}
	if d := q.Get("date"); d != "" {
		day, err := civil.Parse(d)
		if err != nil {
			return web.Invalid(err)
		}
		f.From, f.To = day.Start(), day.AddDays(1).Start() // the Taipei day's instants
	}
	entries, err := audit.Search(r.Context(), h.Kit.DB.Reader(), f)
	if err != nil {
		return err
	}
	var next int64
	if len(entries) == f.Limit {
		next = entries[len(entries)-1].Seq
	}
	offices, _ := h.visibleOffices(r)
	return h.Kit.Render(w, r, "admin_audit", "稽核紀錄", map[string]any{"Entries": entries, "Q": q, "Next": next, "Offices": offices})
}
