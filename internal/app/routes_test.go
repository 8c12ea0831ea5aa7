package app_test

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"ebazhao/internal/demo"
	"ebazhao/internal/platform/auth"
)

// publicRoutes are the only routes reachable without a staff session. A new
// public route must be added here on purpose.
var publicRoutes = map[string]string{
	"GET /healthz":                "load balancer health check",
	"GET /api/openapi.json":       "API description",
	"GET /login":                  "login form",
	"POST /login":                 "login",
	"GET /terminal":               "rating terminal (acts only with its pairing cookie)",
	"POST /terminal/pair":         "rating terminal pairing with a supervisor's code",
	"GET /terminal/events":        "rating terminal stream (pairing cookie)",
	"POST /terminal/rate":         "rating press (pairing cookie, open window)",
	"GET /tips":                   "public citizen tips (便民資訊 on the public site)",
	"GET /tips/{category}":        "public citizen tips",
	"GET /tips/{category}/{item}": "public citizen tips",
	// N加e partner agencies: each handler checks the agency's own agy_ credential.
	"GET /api/v1/partner/me":               "partner agency: itself (agency credential)",
	"GET /api/v1/partner/items":            "partner agency: pull its items (agency credential)",
	"POST /api/v1/partner/items/{seq}/ack": "partner agency: acknowledge an item (agency credential)",
	"POST /api/v1/partner/acks":            "partner agency: acknowledge items (agency credential)",
	"GET /api/v1/partner/signing-key":      "public key verifying the daily files' signatures",
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

func concrete(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.ReplaceAll(path, "{$}", "")
	return method, pathParam.ReplaceAllString(path, "1")
}

func TestEveryRouteIsProtected(t *testing.T) {
	e := newEnv(t)
	routes := e.App.Kit.Routes()
	if len(routes) < 20 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	var public []string
	for _, r := range routes {
		if r.Public {
			public = append(public, r.Pattern)
			if publicRoutes[r.Pattern] == "" {
				t.Errorf("route %q is public but not in the allowlist", r.Pattern)
			}
		}
	}
	sort.Strings(public)
	anon := e.client()
	anon.get("/login") // a CSRF cookie, so POSTs reach the permission check
	clients := map[string]*client{}
	for _, a := range demo.Accounts {
		clients[a.Username] = e.loggedIn(a.Username)
	}
	for _, r := range routes {
		if r.Public {
			continue
		}
		method, path := concrete(r.Pattern)
		// Without a session: a page sends the browser to the login, the API answers 401.
		st := request(t, anon, method, path)
		if strings.HasPrefix(path, "/api/") {
			if st != http.StatusUnauthorized {
				t.Errorf("%s without a session: %d, want 401", r.Pattern, st)
			}
		} else if st != http.StatusSeeOther {
			t.Errorf("%s without a session: %d, want 303 to /login", r.Pattern, st)
		}
		if r.Perm == "" {
			continue
		}
		// With a role lacking the permission: 403.
		for _, a := range demo.Accounts {
			if a.Role.Can(r.Perm) {
				continue
			}
			if st := request(t, clients[a.Username], method, path); st != http.StatusForbidden {
				t.Errorf("%s as %s (%s lacks %s): %d, want 403", r.Pattern, a.Username, a.Role, r.Perm, st)
			}
			break
		}
	}
	// Every permission used by a route exists in the role table of some role.
	for _, r := range routes {
		if r.Perm != "" && !auth.Admin.Can(r.Perm) {
			t.Errorf("%s needs %s, which even the admin lacks", r.Pattern, r.Perm)
		}
	}
}

func request(t *testing.T, c *client, method, path string) int {
	t.Helper()
	if method == http.MethodGet {
		st, _ := c.get(path)
		return st
	}
	if c.csrf == "" {
		c.get("/login")
	}
	req, _ := http.NewRequest(method, c.e.Srv.URL+path, strings.NewReader("csrf_token="+c.csrf))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
