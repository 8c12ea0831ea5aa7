package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/rocdate"
)

// Cookie names.
const (
	SessionCookie = "ebz_session"
	csrfCookie    = "ebz_csrf"
	// CSRFField is the form field (and X-CSRF-Token header) carrying the token.
	CSRFField = "csrf_token"
)

// Options configure New.
type Options struct {
	Auth          *auth.Service
	DB            *db.DB
	Log           *slog.Logger
	Templates     fs.FS // *.html page templates plus layout.html
	Static        fs.FS // files served under /static/
	SecureCookies bool
	Version       string
	// AuthAttemptsPerMinute limits logins, password changes and failed API
	// tokens per client address (0: DefaultAuthAttemptsPerMinute).
	AuthAttemptsPerMinute int
	// CSRFKey keys the CSRF tokens (HMAC-SHA256 of the session). Servers that
	// share a database share it (the app derives it from the audit key); nil:
	// a random key for this process (forms do not survive a restart).
	CSRFKey []byte
}

// New builds the kit and parses every template; a broken template fails start-up.
func New(o Options) (*Kit, error) {
	k := &Kit{Auth: o.Auth, DB: o.DB, Log: o.Log, SecureCookies: o.SecureCookies, Version: o.Version,
		mux: http.NewServeMux(), static: o.Static, templates: map[string]*template.Template{},
		authLimiter: NewAttemptLimiter(o.AuthAttemptsPerMinute, 0), csrfKey: o.CSRFKey}
	if len(k.csrfKey) == 0 {
		k.csrfKey = make([]byte, 32)
		if _, err := rand.Read(k.csrfKey); err != nil {
			return nil, err
		}
	}
	k.metrics = newMetrics()
	if err := k.hashAssets(); err != nil {
		return nil, err
	}
	if err := k.parseTemplates(o.Templates); err != nil {
		return nil, err
	}
	k.mux.Handle("GET /static/", http.StripPrefix("/static/", k.staticHandler()))
	// On the main address the metrics are for the office's auditors and the
	// machine room (a session or API token with audit.view); a scraper without an
	// account gets them on --metrics-addr (MetricsHandler).
	k.API("GET /metrics", auth.AuditView, func(w http.ResponseWriter, r *http.Request) error {
		k.MetricsHandler().ServeHTTP(w, r)
		return nil
	})
	return k, nil
}

// templateDate is the day a template prints: a business date as it is, an instant
// (an issue time) as the day it was in Taipei. Anything else is a template bug.
func templateDate(d any) (civil.Date, error) {
	switch v := d.(type) {
	case civil.Date:
		return v, nil
	case *civil.Date:
		if v != nil {
			return *v, nil
		}
		return civil.Date{}, nil
	case time.Time:
		return civil.Of(v), nil
	}
	return civil.Date{}, fmt.Errorf("template: %T is not a date", d)
}

// dateFunc makes a template function of a civil.Date formatter.
func dateFunc(format func(civil.Date) string) func(any) (string, error) {
	return func(d any) (string, error) {
		day, err := templateDate(d)
		return format(day), err
	}
}

// Funcs are available in every template.
func (k *Kit) funcs() template.FuncMap {
	return template.FuncMap{
		"roc":      dateFunc(civil.Date.ROC),
		"rocShort": dateFunc(civil.Date.ROCShort),
		"rocLong":  dateFunc(civil.Date.ROCLong),
		"rocTime":  rocdate.FormatDateTime,
		"iso":      dateFunc(civil.Date.ISO),
		"asset":    k.AssetPath,
		"can":      func(u *auth.User, p string) bool { return u.Can(auth.Permission(p)) },
		"add":      func(a, b int) int { return a + b },
		"money": func(n int64) string {
			s := fmt.Sprint(n)
			neg := strings.HasPrefix(s, "-")
			s = strings.TrimPrefix(s, "-")
			for i := len(s) - 3; i > 0; i -= 3 {
				s = s[:i] + "," + s[i:]
			}
			if neg {
				s = "-" + s
			}
			return s
		},
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
	}
}

func (k *Kit) parseTemplates(fsys fs.FS) error {
	layout, err := template.New("layout.html").Funcs(k.funcs()).ParseFS(fsys, "layout.html")
	if err != nil {
		return fmt.Errorf("web: layout: %w", err)
	}
	pages, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return err
	}
	for _, p := range pages {
		if p == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(fsys, p)
		if err != nil {
			return fmt.Errorf("web: template %s: %w", p, err)
		}
		k.templates[strings.TrimSuffix(p, ".html")] = t
	}
	return nil
}

// HasTemplate reports whether a page template exists (checked at wiring time).
func (k *Kit) HasTemplate(name string) bool { _, ok := k.templates[name]; return ok }

func (k *Kit) hashAssets() error {
	k.assetSums = map[string]string{}
	if k.static == nil {
		return nil
	}
	return fs.WalkDir(k.static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(k.static, p)
		if err != nil {
			return err
		}
		s := sha256.Sum256(b)
		k.assetSums[p] = hex.EncodeToString(s[:4])
		return nil
	})
}

// AssetPath returns the cache-busting URL of a static file.
func (k *Kit) AssetPath(name string) string {
	return "/static/" + name + "?v=" + k.assetSums[name]
}

func (k *Kit) staticHandler() http.Handler {
	fsrv := http.FileServerFS(k.static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		fsrv.ServeHTTP(w, r)
	})
}

// Public registers a route anyone may reach (login page, public tips, health).
func (k *Kit) Public(pattern string, h Handler) { k.handle(pattern, "", h, false) }

// Page registers a browser route that needs a logged-in user holding perm
// (perm "" means any logged-in user).
func (k *Kit) Page(pattern string, perm auth.Permission, h Handler) { k.handle(pattern, perm, h, true) }

// API registers a JSON route (session or bearer token) that needs perm.
func (k *Kit) API(pattern string, perm auth.Permission, h Handler) { k.handle(pattern, perm, h, true) }

// HandleRaw registers a plain http.Handler (e.g. server-sent events) behind perm.
func (k *Kit) HandleRaw(pattern string, perm auth.Permission, h http.Handler) {
	k.handle(pattern, perm, func(w http.ResponseWriter, r *http.Request) error { h.ServeHTTP(w, r); return nil }, true)
}

// RouteInfo describes one registered route, for tests that check every route's
// protection and for the route list in the docs.
type RouteInfo struct {
	Pattern string          // "GET /persons/{idno}"
	Perm    auth.Permission // "" with NeedUser: any logged-in user
	Public  bool            // reachable without a staff session
}

// Routes lists every route registered so far, in registration order.
func (k *Kit) Routes() []RouteInfo { return append([]RouteInfo(nil), k.routes...) }

func (k *Kit) handle(pattern string, perm auth.Permission, h Handler, needUser bool) {
	k.routes = append(k.routes, RouteInfo{Pattern: pattern, Perm: perm, Public: !needUser})
	route := pattern
	if i := strings.IndexByte(route, ' '); i >= 0 {
		route = route[i+1:]
	}
	inner := h
	if needUser {
		inner = func(w http.ResponseWriter, r *http.Request) error {
			u := User(r)
			if u == nil {
				if IsAPI(r) {
					return &Error{Status: http.StatusUnauthorized, Msg: "需要登入或有效的 API 權杖"}
				}
				http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return nil
			}
			if Session(r) != nil && k.Auth.PasswordExpired(u) && !strings.HasPrefix(r.URL.Path, "/password") && r.URL.Path != "/logout" {
				if IsAPI(r) {
					return Forbidden("密碼已到期，請先變更密碼")
				}
				http.Redirect(w, r, "/password", http.StatusSeeOther)
				return nil
			}
			if perm != "" && !u.Can(perm) {
				k.Audit(r, "access", "route", route, "", "denied", string(perm))
				return Forbidden("您沒有執行此功能的權限（" + u.Role.Label() + "）")
			}
			return h(w, r)
		}
	}
	withCleanup := func(w http.ResponseWriter, r *http.Request) error {
		// The server removes the temporary files of an upload parsed on the
		// request it made, not on the copies middleware passes down: remove
		// them here, whatever the handler returned (a citizen's scan must not
		// stay in the temp folder).
		defer func() {
			if r.MultipartForm != nil {
				r.MultipartForm.RemoveAll()
			}
		}()
		return inner(w, r)
	}
	k.mux.Handle(pattern, k.metrics.instrument(route, k.serve(withCleanup)))
}

// Handler returns the whole HTTP handler: request ids, logging, recovery,
// authentication and CSRF around the routes.
func (k *Kit) Handler() http.Handler {
	return k.withRequestID(k.recoverer(k.crossOrigin(k.authenticate(k.csrf(k.validText(k.securityHeaders(k.mux)))))))
}

// MetricsHandler serves the Prometheus metrics (for a separate, private listener).
func (k *Kit) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(k.metrics.reg, promhttp.HandlerOpts{})
}

// crossOrigin refuses unsafe requests a browser marks as coming from another
// site (Sec-Fetch-Site, Origin): the standard library's CSRF protection, in front
// of the token check, and the only one for multipart uploads, whose bodies are
// not read before login and the route's own size limit.
func (k *Kit) crossOrigin(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k.Log.Warn("cross-origin request refused", "method", r.Method, "path", RedactPath(r.URL.Path), "client", ClientAddr(r),
			"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		k.fail(w, r, &Error{Status: http.StatusForbidden, Msg: "拒絕來自其他網站的請求；請由本系統的頁面操作"})
	}))
	return p.Handler(next)
}

func (k *Kit) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; media-src 'self' data: blob:")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		if k.SecureCookies { // served over TLS: browsers keep to HTTPS for a year
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}
func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}
func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (k *Kit) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := auth.RandomToken(6)
		w.Header().Set("X-Request-Id", id)
		ctx := context.WithValue(r.Context(), reqIDKey, id)
		rl := &requestLog{}
		ctx = context.WithValue(ctx, logKey, rl)
		start := clock.Start()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(ctx))
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/metrics" || r.URL.Path == "/healthz" {
			return
		}
		user := rl.user
		k.Log.Info("http", "request_id", id, "method", r.Method, "path", RedactPath(r.URL.Path), "status", sw.status,
			"bytes", sw.bytes, "ms", float64(start.Elapsed().Microseconds())/1000, "client", ClientAddr(r), "user", user)
	})
}

func (k *Kit) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				k.fail(w, r, fmt.Errorf("panic: %v", p))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// authenticate attaches the user from a bearer token or the session cookie.
func (k *Kit) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			// Partner-agency credentials (agy_…, package agency) are no staff
			// tokens: they reach only Public routes, whose handlers check them.
			// Like staff tokens they carry no cookies, so they skip CSRF.
			if strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")), "agy_") {
				next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, viaTokenKey, int64(0))))
				return
			}
			// Wrong tokens spend the client address's authentication attempts;
			// an address with none left is not even looked up.
			addr := ClientAddr(r)
			if k.authLimiter.Exhausted(addr) {
				k.refuseRateLimited(w, r, "api.auth", "")
				JSON(w, http.StatusTooManyRequests, map[string]string{"error": TooManyAttemptsMsg, "request_id": RequestID(r)})
				return
			}
			u, tokenID, err := k.Auth.UserByToken(ctx, strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")))
			if errors.Is(err, auth.ErrTokenExpired) {
				k.authLimiter.Allow(addr)
				k.Audit(r, "api.auth", "api_token", fmt.Sprint(tokenID), "", "denied", "expired token")
				JSON(w, http.StatusUnauthorized, map[string]string{"error": "API 權杖已逾期，請洽機房人員展延或重新核發"})
				return
			}
			if err != nil {
				k.authLimiter.Allow(addr)
				k.Audit(r, "api.auth", "api_token", "", "", "denied", "invalid token")
				JSON(w, http.StatusUnauthorized, map[string]string{"error": "API 權杖無效或已撤銷"})
				return
			}
			ctx = context.WithValue(ctx, userKey, u)
			ctx = context.WithValue(ctx, viaTokenKey, tokenID)
			noteUser(ctx, u)
			r = r.WithContext(ctx)
			// Every use of a token is audited (the stable requirement).
			k.Audit(r, "api.call", "api_token", fmt.Sprint(tokenID), "", "ok", r.Method+" "+r.URL.Path)
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(SessionCookie); err == nil {
			s, err := k.Auth.SessionByToken(ctx, c.Value)
			if err == nil {
				ctx = context.WithValue(ctx, userKey, s.User)
				ctx = context.WithValue(ctx, sessionKey, s)
				noteUser(ctx, s.User)
			} else if !errors.Is(err, db.ErrNotFound) {
				// The database is unreachable: say so, rather than pretending the
				// clerk was logged out.
				k.fail(w, r, &Error{Status: http.StatusServiceUnavailable, Msg: "系統暫時無法連線資料庫，請稍後再試；資料不會遺失", Err: err})
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/")
}

// validText refuses a request whose path, query or form fields are not valid
// UTF-8 (a clear 400, rather than bytes stored raw on SQLite and a failed
// transaction on PostgreSQL). JSON bodies are checked where they are decoded.
func (k *Kit) validText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bad := !utf8.ValidString(r.URL.Path) || !validValues(r.URL.Query())
		if !bad && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			if err := r.ParseForm(); err == nil {
				bad = !validValues(r.PostForm)
			}
		}
		if bad {
			k.fail(w, r, BadRequest("輸入含有無效的字元編碼（須為 UTF-8），請重新輸入"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func validValues(v map[string][]string) bool {
	for key, vals := range v {
		if !utf8.ValidString(key) {
			return false
		}
		for _, s := range vals {
			if !utf8.ValidString(s) {
				return false
			}
		}
	}
	return true
}

// csrf checks the form token of every unsafe request from a browser. The token
// is bound to the session: an HMAC under the server's CSRF key of the session's
// id, so a token read from one session (another clerk's page, a copy of a
// form) is worth nothing in another, and it dies with its session. A browser
// without a session (the login form, a rating terminal) gets a random cookie
// and the token is the HMAC of that cookie. Bearer-token requests carry no
// cookies and are exempt.
func (k *Kit) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(viaTokenKey) != nil || strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		anon := ""
		if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
			anon = c.Value
		} else {
			anon = auth.RandomToken(32)
			http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: anon, Path: "/", HttpOnly: true,
				Secure: k.SecureCookies, SameSite: http.SameSiteStrictMode})
		}
		tok := k.csrfToken(Session(r), anon)
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			sent := r.Header.Get("X-CSRF-Token")
			if sent == "" && isMultipart(r) {
				// Reading an upload here would buffer it to temporary files for
				// anyone, before login and before the route's size limit. An
				// upload's origin is checked by crossOrigin; its body is read
				// only by its handler, after login and permission.
				break
			}
			if sent == "" {
				sent = r.PostFormValue(CSRFField)
			}
			if sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(tok)) != 1 {
				k.Log.Warn("csrf rejected", "path", RedactPath(r.URL.Path), "client", ClientAddr(r), "session", Session(r) != nil)
				k.fail(w, r, &Error{Status: http.StatusForbidden, Msg: "表單已過期或來源不明（CSRF 驗證失敗），請重新整理頁面後再送出"})
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), csrfKey, tok)))
	})
}

// csrfToken is the form token of session s, or of a browser without a session
// holding the cookie anon.
func (k *Kit) csrfToken(s *auth.Session, anon string) string {
	m := hmac.New(sha256.New, k.csrfKey)
	if s != nil {
		m.Write([]byte("ebazhao/csrf/session\x00" + s.ID))
	} else {
		m.Write([]byte("ebazhao/csrf/anonymous\x00" + anon))
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// SessionCSRF is the form token of the session whose cookie value is
// sessionToken (for tests and tools that drive the handler without a page).
func (k *Kit) SessionCSRF(ctx context.Context, sessionToken string) (string, error) {
	s, err := k.Auth.SessionByToken(ctx, sessionToken)
	if err != nil {
		return "", err
	}
	return k.csrfToken(s, ""), nil
}

// SetSessionCookie sets the session cookie after login.
func (k *Kit) SetSessionCookie(w http.ResponseWriter, tok string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: tok, Path: "/", HttpOnly: true, Secure: k.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(k.Auth.Policy.SessionMaxAge.Seconds())})
}

// ClearSessionCookie removes it at logout.
func (k *Kit) ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: k.SecureCookies, SameSite: http.SameSiteLaxMode})
}

type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ebazhao_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "ebazhao_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"route", "method"})
	m.reg.MustRegister(m.requests, m.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry exposes the metrics registry so subsystems can add their own.
func (k *Kit) Registry() *prometheus.Registry { return k.metrics.reg }

func (m *metrics) instrument(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := clock.Start()
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		next.ServeHTTP(sw, r)
		st := sw.status
		if st == 0 {
			st = http.StatusOK
		}
		m.requests.WithLabelValues(route, r.Method, fmt.Sprint(st)).Inc()
		m.latency.WithLabelValues(route, r.Method).Observe(start.Elapsed().Seconds())
	})
}

// idLike matches national and resident ID numbers inside a path.
var idLike = regexp.MustCompile(`(?i)\b([A-Z])[0-9A-D][0-9]{8}\b`)

// RedactPath masks ID numbers in a URL path: logs carry no personal data (the
// audit trail, not the log, records who looked at whom).
func RedactPath(p string) string { return idLike.ReplaceAllString(p, "${1}*********") }

func encodeFlash(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
func decodeFlash(s string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return string(b), err
}

func urlQueryEscape(s string) string {
	r := strings.NewReplacer("%", "%25", "&", "%26", "?", "%3F", "#", "%23", " ", "%20", "+", "%2B")
	return r.Replace(s)
}

// SafeNext keeps a post-login (or post-form) redirect on this site: it returns
// next when next is a same-origin absolute path, and "/" otherwise. Browsers
// forgive a great deal in a Location header — they drop tabs and line breaks
// anywhere, trim control characters and spaces, read a backslash as a slash —
// so that "/\t/evil.example" becomes "//evil.example", another site. SafeNext
// forgives nothing: no control character, whitespace or backslash anywhere
// (nor percent-encoded in the path); one leading slash, never two, even once
// the path is decoded; no scheme, no host. The path comes back cleaned.
func SafeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || !plainURLText(next) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	// The decoded path too: "/%2F%2Fevil.example" is "//evil.example" to
	// whatever decodes it next.
	if !strings.HasPrefix(u.Path, "/") || !plainURLText(u.Path) || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	clean := &url.URL{Path: path.Clean(u.Path), RawQuery: u.RawQuery}
	out := clean.String()
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") || strings.HasPrefix(out, "/\\") {
		return "/"
	}
	return out
}

// plainURLText reports whether s has no control character, no whitespace and
// no backslash: nothing a browser strips or reinterprets.
func plainURLText(s string) bool {
	for _, r := range s {
		if r == '\\' || r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}
