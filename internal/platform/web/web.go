// Package web is ebazhao's small web kit: handlers that return errors, one error
// page, sessions and bearer tokens, CSRF, permission checks on every route,
// template rendering with a shared layout, JSON helpers, request logging and
// Prometheus metrics.
package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"syscall"
	"unicode/utf8"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/db"
)

// Error is an error with an HTTP status and a message for the user (Chinese).
// Err, if set, is the precise cause for the log.
type Error struct {
	Status int
	Msg    string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Msg, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Msg)
}
func (e *Error) Unwrap() error { return e.Err }

// BadRequest is invalid input; msg tells the user what to fix.
func BadRequest(msg string) error { return &Error{Status: http.StatusBadRequest, Msg: msg} }

// Invalid wraps a validation error whose text is already a user message.
func Invalid(err error) error {
	return &Error{Status: http.StatusBadRequest, Msg: err.Error(), Err: err}
}

// NotFound is a missing object.
func NotFound(msg string) error { return &Error{Status: http.StatusNotFound, Msg: msg} }

// Forbidden is a permission failure.
func Forbidden(msg string) error { return &Error{Status: http.StatusForbidden, Msg: msg} }

// Conflict is a state conflict (e.g. voiding twice).
func Conflict(msg string) error { return &Error{Status: http.StatusConflict, Msg: msg} }

// Handler is an HTTP handler that returns an error instead of writing one.
type Handler func(w http.ResponseWriter, r *http.Request) error

// NavItem is one entry of the main navigation, shown to users holding Perm.
type NavItem struct {
	Key   string
	Label string
	Href  string
	Perm  auth.Permission
	Keys  string // keyboard shortcut shown on screen, e.g. "Alt+P"
}

// Kit holds what every handler needs. Build it with New.
type Kit struct {
	Auth          *auth.Service
	DB            *db.DB
	Log           *slog.Logger
	SecureCookies bool
	Version       string
	Nav           []NavItem
	// ListedPerHour bounds the people one account is shown by searches and
	// listings in an hour (AuditListed); 0: DefaultListedPerHour, -1: no bound.
	ListedPerHour int
	templates     map[string]*template.Template
	metrics       *metrics
	mux           *http.ServeMux
	assetSums     map[string]string
	static        fs.FS
	routes        []RouteInfo
	authLimiter   *AttemptLimiter
	csrfKey       []byte
}

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
	csrfKey
	reqIDKey
	viaTokenKey
	logKey
)

// requestLog is what the request log line learns from inner handlers: the
// authenticated user is known only below the request-id middleware.
type requestLog struct {
	user          string
	deniedAudited bool // a handler audited its refusal: the error path need not
}

// noteUser records u as the request's user for its log line.
func noteUser(ctx context.Context, u *auth.User) {
	if l, ok := ctx.Value(logKey).(*requestLog); ok && u != nil {
		l.user = u.Username
	}
}

// User returns the authenticated user of r (nil if none).
func User(r *http.Request) *auth.User {
	u, _ := r.Context().Value(userKey).(*auth.User)
	return u
}

// Session returns r's browser session (nil for API tokens).
func Session(r *http.Request) *auth.Session {
	s, _ := r.Context().Value(sessionKey).(*auth.Session)
	return s
}

// CSRFToken returns the form token for r.
func CSRFToken(r *http.Request) string {
	s, _ := r.Context().Value(csrfKey).(string)
	return s
}

// RequestID returns r's request id.
func RequestID(r *http.Request) string {
	s, _ := r.Context().Value(reqIDKey).(string)
	return s
}

// ClientAddr is the remote address for audit entries.
func ClientAddr(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

// Actor returns the audit actor for r's user.
func Actor(r *http.Request) audit.Actor {
	u := User(r)
	if u == nil {
		return audit.Actor{Client: ClientAddr(r)}
	}
	a := u.Actor(ClientAddr(r))
	if r.Context().Value(viaTokenKey) != nil {
		a.Client += " (api-token)"
	}
	return a
}

// Audit records an entry for r's user in its own transaction (views, denials).
func (k *Kit) Audit(r *http.Request, action, kind, id, personIDNo, outcome, detail string) {
	e := audit.For(Actor(r), action, kind, id)
	e.PersonIDNo, e.Outcome, e.Detail = personIDNo, outcome, detail
	if l, ok := r.Context().Value(logKey).(*requestLog); ok && outcome == audit.Denied {
		l.deniedAudited = true
	}
	if err := audit.Record(r.Context(), k.DB, e); err != nil {
		k.Log.Error("audit record failed", "err", err, "action", action, "request_id", RequestID(r))
	}
}

// IsAPI reports whether r is a JSON API request.
func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// JSON writes v as JSON with status.
func JSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// DecodeJSON reads a JSON request body into v (at most 8 MiB).
func DecodeJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 8<<20))
	if err != nil {
		return &Error{Status: http.StatusBadRequest, Msg: "JSON 內容過大或讀取失敗", Err: err}
	}
	if !utf8.Valid(body) {
		return BadRequest("JSON 含有無效的字元編碼（須為 UTF-8）")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return &Error{Status: http.StatusBadRequest, Msg: "JSON 格式錯誤：" + err.Error(), Err: err}
	}
	return nil
}

// serve turns a Handler into an http.Handler with the one error path.
func (k *Kit) serve(h Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			k.fail(w, r, err)
		}
	})
}

func (k *Kit) fail(w http.ResponseWriter, r *http.Request, err error) {
	var we *Error
	if !errors.As(err, &we) {
		var refusal *auth.Refusal
		switch {
		case errors.As(err, &refusal): // the account rules refused (and audited) a change
			we = &Error{Status: http.StatusForbidden, Msg: refusal.Msg, Err: errors.New(refusal.Reason)}
		case errors.Is(err, db.ErrNotFound):
			we = &Error{Status: http.StatusNotFound, Msg: "查無資料", Err: err}
		case errors.Is(err, context.Canceled):
			return
		default:
			we = &Error{Status: http.StatusInternalServerError, Msg: "系統發生錯誤，請稍後再試；若持續發生請洽機房人員（代碼 " + RequestID(r) + "）", Err: err}
		}
	}
	lvl := slog.LevelInfo
	if we.Status >= 500 {
		lvl = slog.LevelError
	}
	if sw, ok := w.(*statusWriter); ok && sw.status != 0 {
		// The response has begun (a PDF half sent to a client that went
		// away): its status cannot change any more; say so in the log only.
		if errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) {
			lvl = slog.LevelInfo // the browser cancelled, nothing broke here
		}
		k.Log.Log(r.Context(), lvl, "request failed after the response began", "request_id", RequestID(r), "method", r.Method,
			"path", RedactPath(r.URL.Path), "status", sw.status, "bytes", sw.bytes, "err", we.Err)
		return
	}
	k.Log.Log(r.Context(), lvl, "request failed", "request_id", RequestID(r), "method", r.Method, "path", RedactPath(r.URL.Path),
		"status", we.Status, "msg", we.Msg, "err", we.Err)
	// Every refusal of a signed-in user is audited, whether or not the handler
	// that refused remembered to (anonymous ones are only logged: a flood of
	// them must not fill the audit trail).
	if l, ok := r.Context().Value(logKey).(*requestLog); we.Status == http.StatusForbidden && User(r) != nil && (!ok || !l.deniedAudited) {
		k.Audit(r, "access", "route", r.Method+" "+r.URL.Path, "", audit.Denied, we.Msg)
	}
	if IsAPI(r) || strings.Contains(r.Header.Get("Accept"), "application/json") {
		JSON(w, we.Status, map[string]any{"error": we.Msg, "request_id": RequestID(r)})
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("HX-Retarget", "#flash")
		w.Header().Set("HX-Reswap", "innerHTML")
		w.WriteHeader(we.Status)
		fmt.Fprintf(w, `<div class="alert alert-error" role="alert">%s</div>`, template.HTMLEscapeString(we.Msg))
		return
	}
	w.WriteHeader(we.Status)
	k.renderStatus(w, r, "error", "錯誤", map[string]any{"Status": we.Status, "Message": we.Msg})
}

// Page is what every page template receives.
type Page struct {
	Title   string
	User    *auth.User
	Session *auth.Session
	CSRF    string
	Nav     []NavItem
	Active  string
	Flash   string
	Error   string
	Version string
	Today   string
	Asset   func(string) string
	Data    any
}

// Render renders the named page template inside the layout.
func (k *Kit) Render(w http.ResponseWriter, r *http.Request, name, title string, data any) error {
	return k.renderStatus(w, r, name, title, data)
}

func (k *Kit) renderStatus(w http.ResponseWriter, r *http.Request, name, title string, data any) error {
	t, ok := k.templates[name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	u := User(r)
	p := Page{Title: title, User: u, Session: Session(r), CSRF: CSRFToken(r), Version: k.Version,
		Today: k.DB.Clock.Today().ROC(), Asset: k.AssetPath, Data: data}
	if c, err := r.Cookie("ebz_flash"); err == nil {
		p.Flash = c.Value
		http.SetCookie(w, &http.Cookie{Name: "ebz_flash", Path: "/", MaxAge: -1})
		if b, err := decodeFlash(c.Value); err == nil {
			p.Flash = b
		}
	}
	for _, n := range k.Nav {
		if u != nil && u.Can(n.Perm) {
			p.Nav = append(p.Nav, n)
		}
	}
	p.Active = strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)[0]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	_, err := w.Write([]byte(buf.String()))
	return err
}

// RenderFragment renders a template block without the layout (htmx swaps).
func (k *Kit) RenderFragment(w http.ResponseWriter, r *http.Request, name, block string, data any) error {
	t, ok := k.templates[name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return t.ExecuteTemplate(w, block, Page{User: User(r), CSRF: CSRFToken(r), Asset: k.AssetPath, Data: data})
}

// Redirect sends the browser to url after a POST, with an optional flash message.
func Redirect(w http.ResponseWriter, r *http.Request, url, flash string) error {
	if flash != "" {
		http.SetCookie(w, &http.Cookie{Name: "ebz_flash", Value: encodeFlash(flash), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", url)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}
