package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"ebazhao/internal/admin"
	"ebazhao/internal/agency"
	"ebazhao/internal/archive"
	"ebazhao/internal/calc"
	"ebazhao/internal/fee"
	"ebazhao/internal/form"
	"ebazhao/internal/migrations"
	"ebazhao/internal/notice"
	"ebazhao/internal/office"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/platform/web"
	"ebazhao/internal/rating"
	"ebazhao/internal/seal"
	"ebazhao/internal/visit"
	webassets "ebazhao/web"
)

// Version is set at build time (-ldflags "-X ebazhao/internal/app.Version=…").
var Version = "dev"

// App is a running ebazhao: database, services and HTTP handler.
type App struct {
	Config  Config
	DB      *db.DB
	Log     *slog.Logger
	Auth    *auth.Service
	Kit     *web.Kit
	Offices *office.Store
	Persons *person.Store
	Legal   *calc.Store
	Rating  *rating.Service
	Agency  *agency.Service // N加e: the SFTP endpoint and the daily file job run from it
	openapi []byte
}

// OpenDB opens and migrates the configured database, and gives it the audit
// key (EBAZHAO_AUDIT_KEY or DATA/keys/audit.key, created on first start).
func OpenDB(ctx context.Context, c Config) (*db.DB, error) {
	d, err := db.Open(ctx, c.DBURL, c.DataDir)
	if err != nil {
		return nil, err
	}
	d.Clock = c.Clock
	ms, err := migrations.All()
	if err != nil {
		d.Close()
		return nil, err
	}
	if _, err := d.Migrate(ctx, ms); err != nil {
		d.Close()
		return nil, err
	}
	// The audit trail's key travels on the handle, like the clock (see package audit).
	if d.AuditKey, err = audit.OpenKey(ctx, d, c.DataDir); err != nil {
		d.Close()
		return nil, err
	}
	if c.DBReplica != "" {
		if err := d.AttachReplica(ctx, c.DBReplica); err != nil {
			d.Close()
			return nil, err
		}
	}
	return d, nil
}

// New builds the application on an open, migrated database.
func New(ctx context.Context, c Config, d *db.DB, log *slog.Logger) (*App, error) {
	if err := c.CheckBlobs(ctx); err != nil { // --blobs / EBAZHAO_BLOBS
		return nil, err
	}
	if c.Clock != nil {
		d.Clock = c.Clock
	}
	if c.Policy.MaxFailures == 0 {
		c.Policy = auth.DefaultPolicy()
	}
	log = slog.New(web.RedactingHandler(log.Handler())) // no ID numbers in any log line
	a := &App{Config: c, DB: d, Log: log, Auth: auth.New(d, c.Policy), Offices: &office.Store{DB: d}, Persons: &person.Store{DB: d}, Legal: &calc.Store{DB: d}, Rating: rating.New(d)}
	tmpl, _ := fs.Sub(webassets.FS, "templates")
	static, _ := fs.Sub(webassets.FS, "static")
	// CSRF tokens are keyed by a key derived from the audit key: every server
	// on the database shares it, and forms survive a restart.
	// Without an audit key (nothing can be audited then) a random key serves.
	csrfKey, err := audit.DerivedKey(d, "ebazhao/web/csrf/v1")
	if err != nil {
		log.Warn("no audit key to derive the CSRF key from: a random key for this process", "err", err)
	}
	kit, err := web.New(web.Options{Auth: a.Auth, DB: d, Log: log, Templates: tmpl, Static: static,
		SecureCookies: c.TLSCert != "", Version: Version, AuthAttemptsPerMinute: c.AuthRate, CSRFKey: csrfKey})
	if err != nil {
		return nil, err
	}
	a.Kit = kit
	kit.ListedPerHour = c.ListedPerHour
	kit.Nav = []web.NavItem{
		{Key: "visits", Label: "臨櫃服務", Href: "/visits", Perm: auth.PersonRead, Keys: "Alt+V"},
		{Key: "persons", Label: "民眾資料", Href: "/persons", Perm: auth.PersonRead, Keys: "Alt+P"},
		{Key: "calc", Label: "計算工具", Href: "/calc", Perm: auth.CalcUse, Keys: "Alt+C"},
		{Key: "documents", Label: "行政文書", Href: "/documents", Perm: auth.DocumentIssue, Keys: "Alt+N"},
		{Key: "fine-approvals", Label: "罰鍰裁處書核准", Href: "/fine-drafts", Perm: auth.FineApprove},
		{Key: "fees", Label: "規費收據", Href: "/fees", Perm: auth.FeeCollect, Keys: "Alt+F"},
		{Key: "fees-settlement", Label: "出納日結", Href: "/fees/settlement", Perm: auth.FeeSettle},
		{Key: "rating", Label: "服務評分", Href: "/rating", Perm: auth.RatingView, Keys: "Alt+S"},
		{Key: "seals", Label: "印鑑比對", Href: "/seals", Perm: auth.SealCompare, Keys: "Alt+G"},
		{Key: "archive", Label: "申請書影像", Href: "/archive", Perm: auth.ArchiveRead, Keys: "Alt+A"},
		{Key: "forms", Label: "各項表單", Href: "/forms", Perm: auth.FormRead, Keys: "Alt+R"},
		{Key: "tips", Label: "便民資訊", Href: "/tips/counter", Perm: auth.TipRead, Keys: "Alt+T"},
		{Key: "agency", Label: "N加e跨機關", Href: "/agency", Perm: auth.AgencyFile, Keys: "Alt+K"},
		{Key: "admin", Label: "系統管理", Href: "/admin", Perm: auth.UserManage, Keys: "Alt+M"},
		{Key: "audit", Label: "稽核紀錄", Href: "/admin/audit", Perm: auth.AuditView},
	}
	if err := a.Offices.SeedTaichung(ctx); err != nil {
		return nil, fmt.Errorf("seed offices: %w", err)
	}
	if err := agency.SeedRegister(ctx, d, d.Now()); err != nil {
		return nil, fmt.Errorf("seed agency register: %w", err)
	}
	if err := a.ensureAdmin(ctx); err != nil {
		return nil, err
	}
	a.routes()
	if a.openapi, err = buildOpenAPI(); err != nil {
		return nil, err
	}
	return a, nil
}

// ensureAdmin creates a first admin with a one-time password when no user exists,
// so a fresh non-demo installation can be entered.
func (a *App) ensureAdmin(ctx context.Context) error {
	var n int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return err
	}
	if n > 0 || a.Config.Demo {
		return nil
	}
	o, err := a.Offices.ByCode(ctx, "xitun")
	if err != nil {
		return err
	}
	_, pw, err := a.Auth.CreateUser(ctx, audit.Actor{Username: "system"}, auth.NewUser{Username: "admin", DisplayName: "系統管理員", OfficeID: o.ID, Role: auth.Admin})
	if err != nil {
		return err
	}
	// The password goes to the operator's terminal once, never to the log
	// (which is kept, shipped and read by others).
	a.Log.Warn("created the first administrator 'admin'; its one-time password was printed on the standard error once and must be changed at first login", "username", "admin")
	fmt.Fprintf(os.Stderr, "\n  First start: administrator account 'admin', one-time password: %s\n\n", pw)
	return nil
}

func (a *App) routes() {
	k := a.Kit
	k.Public("GET /healthz", a.healthz)
	k.Public("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", "application/json")
		_, err := w.Write(a.openapi)
		return err
	})
	k.Public("GET /login", a.loginForm)
	k.Public("POST /login", a.login)
	k.Page("POST /logout", "", a.logout)
	k.Page("GET /password", "", a.passwordForm)
	k.Page("POST /password", "", a.changePassword)
	k.Page("POST /counter", "", a.selectCounter)
	k.Page("GET /{$}", "", a.home)
	k.API("GET /api/v1/me", "", a.apiMe)
	(&person.Handlers{Kit: k, Store: a.Persons}).Routes()
	(&admin.Handlers{Kit: k, Auth: a.Auth, Offices: a.Offices}).Routes()
	archives := archive.Mount(k, a.DB, a.Config.DataDir)
	seals := seal.Mount(k, a.DB, a.Config.DataDir, a.Log) // seal registry, comparison, certificates
	(&calc.Handlers{Kit: k, Store: a.Legal, CityOf: a.cityOf}).Routes()
	(&notice.Handlers{Kit: k, OnIssued: func(ctx context.Context, d notice.Issued) error {
		_, err := a.Rating.Open(ctx, d.OfficeID, d.CounterID, d.UserID, rating.TriggerNotice, fmt.Sprint(d.DocumentID))
		return err
	}}).Routes() // documents; a one-time notice wakes its counter's rating terminal
	(&rating.Handlers{Kit: k, Svc: a.Rating, Offices: a.Offices}).Routes()
	a.Agency = agency.Mount(k, a.DB, a.Config.DataDir, a.Log)
	fees := fee.Mount(k, a.DB, a.Offices, func(ctx context.Context, r *fee.Receipt) error { // each receipt wakes its counter's rating terminal
		_, err := a.Rating.Open(ctx, r.OfficeID, r.CounterID, r.ClerkID, rating.TriggerReceipt, fmt.Sprint(r.ID))
		return err
	})
	fees.Charges = map[string]fee.ChargeSource{ // fees other subsystems record as due
		"archive_copy":     archiveCopyCharges{archives},
		"seal_certificate": sealCertificateCharges{seals.Store, a.Persons},
	}
	// One fee service and one set of CNS11643 fonts (tens of MB) for the whole application.
	form.Mount(k, form.Deps{Offices: a.Offices, Persons: a.Persons, DataDir: a.Config.DataDir, Fonts: fees.Fonts})                                          // forms library and citizen tips
	visit.Mount(k, visit.Deps{DB: a.DB, Persons: a.Persons, Offices: a.Offices, Agency: a.Agency, Rating: a.Rating, Fees: fees, DataDir: a.Config.DataDir}) // counter workbench: one visit, every subsystem
}

// Handler is the HTTP handler of the whole application.
func (a *App) Handler() http.Handler { return a.Kit.Handler() }

func (a *App) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	var one int
	if err := a.DB.QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil {
		return web.JSON(w, http.StatusServiceUnavailable, map[string]string{"status": "error", "database": err.Error()})
	}
	return web.JSON(w, http.StatusOK, map[string]string{"status": "ok", "database": string(a.DB.Engine), "version": Version})
}

func (a *App) loginForm(w http.ResponseWriter, r *http.Request) error {
	if web.User(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return a.Kit.Render(w, r, "login", "登入", map[string]any{"Next": web.SafeNext(r.URL.Query().Get("next")), "Demo": a.Config.Demo})
}

func (a *App) login(w http.ResponseWriter, r *http.Request) error {
	username, password := strings.TrimSpace(r.PostFormValue("username")), r.PostFormValue("password")
	next := web.SafeNext(r.PostFormValue("next"))
	if !a.Kit.LimitAuth(w, r, "login", username) {
		w.WriteHeader(http.StatusTooManyRequests)
		return a.Kit.Render(w, r, "login", "登入", map[string]any{"Next": next, "Username": username, "Error": web.TooManyAttemptsMsg, "Demo": a.Config.Demo})
	}
	u, err := a.Auth.Authenticate(r.Context(), username, password, web.ClientAddr(r))
	if err != nil {
		if errors.Is(err, auth.ErrBadCredentials) || errors.Is(err, auth.ErrLocked) || errors.Is(err, auth.ErrInactive) {
			w.WriteHeader(http.StatusUnauthorized)
			return a.Kit.Render(w, r, "login", "登入", map[string]any{"Next": next, "Username": username, "Error": err.Error(), "Demo": a.Config.Demo})
		}
		return err
	}
	tok, err := a.Auth.CreateSession(r.Context(), u, web.ClientAddr(r))
	if err != nil {
		return err
	}
	a.Kit.SetSessionCookie(w, tok)
	if a.Auth.PasswordExpired(u) {
		http.Redirect(w, r, "/password", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (a *App) logout(w http.ResponseWriter, r *http.Request) error {
	if s := web.Session(r); s != nil {
		a.Auth.DeleteSession(r.Context(), s.ID)
		a.Kit.Audit(r, "logout", "user", fmt.Sprint(s.User.ID), "", "ok", "")
	}
	a.Kit.ClearSessionCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (a *App) passwordForm(w http.ResponseWriter, r *http.Request) error {
	return a.Kit.Render(w, r, "password", "變更密碼", map[string]any{"Expired": a.Auth.PasswordExpired(web.User(r)), "MinLen": a.Auth.Policy.MinPasswordLen})
}

func (a *App) changePassword(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	oldPW, newPW, confirm := r.PostFormValue("old_password"), r.PostFormValue("new_password"), r.PostFormValue("confirm_password")
	if !a.Kit.LimitAuth(w, r, "user.change_password", "") {
		w.WriteHeader(http.StatusTooManyRequests)
		return a.Kit.Render(w, r, "password", "變更密碼", map[string]any{"Expired": a.Auth.PasswordExpired(u), "MinLen": a.Auth.Policy.MinPasswordLen, "Error": web.TooManyAttemptsMsg})
	}
	keep := "" // this browser stays logged in; every other session of the user ends
	if s := web.Session(r); s != nil {
		keep = s.ID
	}
	var err error
	if newPW != confirm {
		err = errors.New("兩次輸入的新密碼不一致")
	} else {
		err = a.Auth.ChangePassword(r.Context(), u, keep, oldPW, newPW, web.ClientAddr(r))
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if err != nil {
		w.WriteHeader(http.StatusUnprocessableEntity)
		return a.Kit.Render(w, r, "password", "變更密碼", map[string]any{"Expired": a.Auth.PasswordExpired(u), "MinLen": a.Auth.Policy.MinPasswordLen, "Error": err.Error()})
	}
	return web.Redirect(w, r, "/", "密碼已變更")
}

func (a *App) selectCounter(w http.ResponseWriter, r *http.Request) error {
	s := web.Session(r)
	if s == nil { // an API token has no session to hold a counter
		return web.BadRequest("工作櫃檯須於登入的工作階段中設定（API 權杖不適用）")
	}
	var id int64
	fmt.Sscan(r.PostFormValue("counter_id"), &id)
	if id != 0 {
		c, err := a.Offices.CounterByID(r.Context(), id)
		if err != nil || c.OfficeID != s.User.OfficeID {
			return web.BadRequest("請選擇本所的櫃檯")
		}
	}
	if err := a.Auth.SetSessionCounter(r.Context(), s.ID, id); err != nil {
		return err
	}
	return web.Redirect(w, r, "/", "已設定工作櫃檯")
}

// HomeCount is one figure on a user's home page.
type HomeCount struct {
	Label string
	Value int64
	Href  string
}

func (a *App) home(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	ctx := r.Context()
	start, end := dayBounds(a.DB.Now())
	var counts []HomeCount
	count := func(label, href, q string, args ...any) {
		var n int64
		if err := a.DB.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			a.Log.Error("home count", "label", label, "err", err)
			return
		}
		counts = append(counts, HomeCount{Label: label, Value: n, Href: href})
	}
	count("今日本人查閱民眾資料", "", `SELECT COUNT(*) FROM audit_log WHERE user_id = ? AND action = 'person.view' AND at >= ? AND at < ?`, u.ID, start, end)
	if u.Can(auth.AuditView) {
		count("今日本所登入次數", "/admin/audit?action=login", `SELECT COUNT(*) FROM audit_log WHERE office_id = ? AND action = 'login' AND outcome = 'ok' AND at >= ? AND at < ?`, u.OfficeID, start, end)
		count("今日本所拒絕存取", "/admin/audit?outcome=denied", `SELECT COUNT(*) FROM audit_log WHERE office_id = ? AND outcome = 'denied' AND at >= ? AND at < ?`, u.OfficeID, start, end)
	}
	if u.Can(auth.FineApprove) {
		count("待核准罰鍰裁處書", "/fine-drafts", `SELECT COUNT(*) FROM fine_drafts WHERE office_id = ? AND status = 'pending'`, u.OfficeID)
	}
	if u.Can(auth.CityWide) {
		count("全市民眾資料筆數", "/persons", `SELECT COUNT(*) FROM persons`)
	}
	var counters []office.Counter
	if s := web.Session(r); s != nil {
		counters, _ = a.Offices.Counters(ctx, u.OfficeID)
	}
	return a.Kit.Render(w, r, "home", "首頁", map[string]any{"Counts": counts, "Counters": counters, "Role": u.Role.Label()})
}

// dayBounds returns the UTC timestamps bounding the Taipei day of t.
func dayBounds(t time.Time) (string, string) {
	loc := rocdate.Taipei
	l := t.In(loc)
	s := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	return db.FormatTime(s), db.FormatTime(s.Add(24 * time.Hour))
}

func (a *App) apiMe(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	perms := u.Role.Permissions()
	sort.Slice(perms, func(i, j int) bool { return perms[i] < perms[j] })
	return web.JSON(w, http.StatusOK, map[string]any{"username": u.Username, "display_name": u.DisplayName, "role": u.Role,
		"office_id": u.OfficeID, "office": u.OfficeName, "permissions": perms})
}

// buildOpenAPI merges the per-subsystem path fragments in web/openapi/.
func buildOpenAPI() ([]byte, error) {
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "ebazhao 戶政 e把罩 API", "version": Version,
			"description": "JSON API of ebazhao. Authenticate with `Authorization: Bearer <token>` (`ebazhao token create --user NAME`). Dates are ISO YYYY-MM-DD. Errors are {\"error\": \"…\"} with a Chinese message."},
		"components": map[string]any{"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
		"security":   []any{map[string]any{"bearer": []any{}}},
	}
	paths, schemas := map[string]any{}, map[string]any{}
	files, err := fs.Glob(webassets.FS, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := fs.ReadFile(webassets.FS, f)
		if err != nil {
			return nil, err
		}
		var frag struct {
			Paths      map[string]any `json:"paths"`
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(b, &frag); err != nil {
			return nil, fmt.Errorf("openapi fragment %s: %w", f, err)
		}
		for p, v := range frag.Paths {
			paths[p] = v
		}
		for n, v := range frag.Components.Schemas {
			schemas[n] = v
		}
	}
	doc["paths"] = paths
	doc["components"].(map[string]any)["schemas"] = schemas
	return json.MarshalIndent(doc, "", "  ")
}

// cityOf returns the city of an office (its closures apply to the calendar).
func (a *App) cityOf(r *http.Request, officeID int64) string {
	o, err := a.Offices.ByID(r.Context(), officeID)
	if err != nil {
		return "臺中市"
	}
	return o.City
}
