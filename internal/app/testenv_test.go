package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"ebazhao/internal/app"
	"ebazhao/internal/demo"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// env is a running ebazhao with demo data behind an httptest server.
type env struct {
	t   *testing.T
	DB  *db.DB
	App *app.App
	Srv *httptest.Server
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, nil, io.Discard)
}

// newEnvWith is newEnv with the configuration changed by configure (if not
// nil) and the log written to logs.
func newEnvWith(t *testing.T, configure func(*app.Config), logs io.Writer) *env {
	t.Helper()
	d := dbtest.New(t)
	ctx := context.Background()
	// The tests log in dozens of times from 127.0.0.1 within seconds; the limit
	// per client address has its own test (TestAuthAttemptsLimitedPerAddress).
	cfg := app.Config{Demo: true, Policy: auth.DefaultPolicy(), DataDir: t.TempDir(), AuthRate: 100000}
	if configure != nil {
		configure(&cfg)
	}
	a, err := app.New(ctx, cfg, d, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, d, "demo", 40); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, DB: d, App: a, Srv: srv}
}

// client is a browser-like HTTP client with cookies that does not follow redirects.
type client struct {
	e    *env
	http *http.Client
	csrf string
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (c *client) get(path string) (int, string) {
	c.e.t.Helper()
	resp, err := c.http.Get(c.e.Srv.URL + path)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp.StatusCode, string(b)
}

// post sends a form; withCSRF adds the token read from the last page.
func (c *client) post(path string, form url.Values, withCSRF bool) (int, string, *http.Response) {
	c.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if withCSRF {
		if c.csrf == "" {
			c.get("/login")
		}
		form.Set("csrf_token", c.csrf)
	}
	resp, err := c.http.PostForm(c.e.Srv.URL+path, form)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

func (c *client) login(user, pw string) int {
	c.e.t.Helper()
	c.get("/login")
	st, _, _ := c.post("/login", url.Values{"username": {user}, "password": {pw}}, true)
	return st
}

func (e *env) loggedIn(user string) *client {
	e.t.Helper()
	c := e.client()
	if st := c.login(user, "demo"); st != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d", user, st)
	}
	c.get("/") // the form token is the session's (bound to it), not the login page's
	return c
}

func contains(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

// copyNo is the printed number of the office's n-th certified copy this ROC
// year (numbers are per year, by Taipei's day on the application's clock).
func (e *env) copyNo(n int) string {
	return fmt.Sprintf("%03d-%06d", civil.Of(e.DB.Now()).ROCYear(), n)
}
