// Package admin serves the system administration pages: staff accounts, offices
// and counters, API tokens and the audit trail browser.
package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
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

func assignableRoles(u *auth.User) []auth.Role {
	if u.Can(auth.CityWide) {
		return auth.Roles
	}
	return []auth.Role{auth.Clerk, auth.Scanner, auth.Cashier}
}

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

func (h *Handlers) checkAssign(u *auth.User, officeID int64, role auth.Role) error {
	if !u.CanActOnOffice(officeID) {
		return web.Forbidden("您只能管理本所的使用者")
	}
	for _, r := range assignableRoles(u) {
		if r == role {
			return nil
		}
	}
	return web.Forbidden("您不能指派「" + role.Label() + "」角色")
}

func (h *Handlers) createUser(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	officeID, _ := strconv.ParseInt(r.PostFormValue("office_id"), 10, 64)
	role := auth.Role(r.PostFormValue("role"))
	if err := h.checkAssign(u, officeID, role); err != nil {
		return err
	}
	_, pw, err := h.Auth.CreateUser(r.Context(), web.Actor(r), auth.NewUser{Username: r.PostFormValue("username"),
		DisplayName: r.PostFormValue("display_name"), OfficeID: officeID, Role: role})
	if err != nil {
		if errors.Is(err, auth.ErrUsernameTaken) || !strings.Contains(err.Error(), "SQL") {
			return web.Invalid(err)
		}
		return err
	}
	return web.Redirect(w, r, "/admin/users", fmt.Sprintf("已建立帳號 %s，一次性密碼：%s（首次登入須變更）", r.PostFormValue("username"), pw))
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
	return h.Kit.Render(w, r, "admin_user", "使用者 "+target.Username, map[string]any{"Target": target, "Offices": offices, "Roles": assignableRoles(web.User(r))})
}

func (h *Handlers) updateUser(w http.ResponseWriter, r *http.Request) error {
	target, err := h.loadUser(r)
	if err != nil {
		return err
	}
	officeID, _ := strconv.ParseInt(r.PostFormValue("office_id"), 10, 64)
	role := auth.Role(r.PostFormValue("role"))
	if err := h.checkAssign(web.User(r), officeID, role); err != nil {
		return err
	}
	target.DisplayName = strings.TrimSpace(r.PostFormValue("display_name"))
	target.OfficeID, target.Role = officeID, role
	target.Active = r.PostFormValue("active") == "on"
	if target.ID == web.User(r).ID && !target.Active {
		return web.BadRequest("不能停用自己的帳號")
	}
	if err := h.Auth.UpdateUser(r.Context(), web.Actor(r), target); err != nil {
		return err
	}
	return web.Redirect(w, r, "/admin/users", "已儲存 "+target.Username)
}

func (h *Handlers) resetPassword(w http.ResponseWriter, r *http.Request) error {
	target, err := h.loadUser(r)
	if err != nil {
		return err
	}
	pw, err := h.Auth.ResetPassword(r.Context(), web.Actor(r), target.ID)
	if err != nil {
		return err
	}
	return web.Redirect(w, r, "/admin/users", fmt.Sprintf("已重設 %s 的密碼並解除鎖定，一次性密碼：%s", target.Username, pw))
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
	return h.Kit.Render(w, r, "admin_tokens", "API 權杖", map[string]any{"Tokens": toks, "Users": users})
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
	return web.Redirect(w, r, "/admin/tokens", "已核發權杖（僅顯示這一次，請妥善保存）："+tok)
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
		day, err := rocdate.Parse(d)
		if err != nil {
			return web.Invalid(err)
		}
		start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, rocdate.Taipei)
		f.From, f.To = start, start.Add(24*time.Hour)
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
