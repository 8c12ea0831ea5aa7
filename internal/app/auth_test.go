package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
)

func TestLoginAndHome(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("clerk")
	st, body := c.get("/")
	if st != 200 {
		t.Fatalf("home: %d", st)
	}
	contains(t, body, "王小明", "臺中市西屯區戶政事務所", "櫃檯人員", "民眾資料")
}

func TestWrongPasswordLocksAfterFive(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for i := 1; i <= 4; i++ {
		if st := c.login("clerk", "wrong"); st != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d", i, st)
		}
	}
	c.get("/login")
	st, body, _ := c.post("/login", url.Values{"username": {"clerk"}, "password": {"wrong"}}, true)
	if st != http.StatusUnauthorized || !strings.Contains(body, "鎖定") {
		t.Fatalf("5th failure: %d, lockout message missing", st)
	}
	// The right password is refused while locked.
	if st := c.login("clerk", "demo"); st != http.StatusUnauthorized {
		t.Fatalf("locked account logged in: %d", st)
	}
	// Every attempt is audited; the lockout is named.
	es, err := audit.Search(context.Background(), e.DB, audit.Filter{Action: "login", Outcome: audit.Denied})
	if err != nil || len(es) != 6 {
		t.Fatalf("denied login entries = %d, %v", len(es), err)
	}
	// An admin's reset unlocks.
	u, _ := e.App.Auth.UserByName(context.Background(), "clerk")
	pw, err := e.App.Auth.ResetPassword(context.Background(), audit.Actor{Username: "admin"}, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st := c.login("clerk", pw); st != http.StatusSeeOther {
		t.Fatalf("after reset: %d", st)
	}
	// …and the one-time password must be changed first.
	st, _ = c.get("/")
	if st != http.StatusSeeOther {
		t.Fatalf("must-change user reached home: %d", st)
	}
}

func TestCSRFRequired(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("clerk")
	// A state-changing request without the token is refused and changes nothing.
	st, _, _ := c.post("/persons", url.Values{"id_no": {"B120000008"}, "name": {"測試"}}, false)
	if st != http.StatusForbidden {
		t.Fatalf("POST without CSRF: %d", st)
	}
	if _, err := e.App.Persons.ByIDNo(context.Background(), "B120000008"); err == nil {
		t.Fatal("person created without CSRF token")
	}
	// Login itself needs it too.
	st, _, _ = e.client().post("/login", url.Values{"username": {"clerk"}, "password": {"demo"}}, false)
	if st != http.StatusForbidden {
		t.Fatalf("login without CSRF: %d", st)
	}
	// With the token it works.
	c.get("/persons/new")
	st, _, _ = c.post("/persons", url.Values{"id_no": {"B120000008"}, "name": {"測試"}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("POST with CSRF: %d", st)
	}
}

func TestClerkCannotReachAdminOrOtherOffice(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	clerk := e.loggedIn("clerk")
	for _, path := range []string{"/admin/users", "/admin/offices", "/admin/audit", "/admin/tokens"} {
		if st, _ := clerk.get(path); st != http.StatusForbidden {
			t.Errorf("clerk GET %s: %d, want 403", path, st)
		}
	}
	// A person registered by 西屯區 cannot be changed by 北屯區's clerk.
	clerk2 := e.loggedIn("clerk2")
	if st, _ := clerk2.get("/persons/A123456789/edit"); st != http.StatusForbidden {
		t.Errorf("clerk2 edit form of 西屯 person: %d", st)
	}
	st, _, _ := clerk2.post("/persons/A123456789", url.Values{"name": {"竄改"}}, true)
	if st != http.StatusForbidden {
		t.Errorf("clerk2 update of 西屯 person: %d", st)
	}
	p, _ := e.App.Persons.ByIDNo(ctx, "A123456789")
	if p.Name != "王大明" {
		t.Errorf("name changed to %q", p.Name)
	}
	// …but may read it (persons are shared city-wide).
	if st, _ := clerk2.get("/persons/A123456789"); st != 200 {
		t.Errorf("clerk2 read: %d", st)
	}
	// A supervisor manages only the own office.
	sup := e.loggedIn("supervisor")
	beitun, _ := (&office.Store{DB: e.DB}).ByCode(ctx, "beitun")
	if st, _ := sup.get(fmt.Sprintf("/admin/offices/%d", beitun.ID)); st != http.StatusForbidden {
		t.Errorf("supervisor of 西屯 opened 北屯's office page: %d", st)
	}
	u2, _ := e.App.Auth.UserByName(ctx, "clerk2")
	if st, _ := sup.get(fmt.Sprintf("/admin/users/%d", u2.ID)); st != http.StatusForbidden {
		t.Errorf("supervisor of 西屯 opened a 北屯 user: %d", st)
	}
	// Denials are audited.
	es, _ := audit.Search(ctx, e.DB, audit.Filter{Outcome: audit.Denied})
	if len(es) < 5 {
		t.Errorf("denied accesses audited: %d", len(es))
	}
}

func TestPersonViewIsAudited(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("clerk")
	st, body := c.get("/persons/A123456789")
	if st != 200 {
		t.Fatalf("person page: %d", st)
	}
	contains(t, body, "王大明", "戶籍地址", "指定送達地址", "現住地址", "事務(營業)所地址")
	es, _ := audit.Search(context.Background(), e.DB, audit.Filter{Action: "person.view", PersonIDNo: "A123456789"})
	if len(es) != 1 || es[0].Username != "clerk" {
		t.Fatalf("person.view audit entries: %+v", es)
	}
}

func TestBadPersonInputIsExplained(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("clerk")
	c.get("/persons/new")
	cases := map[string]url.Values{
		"檢查碼不符":   {"id_no": {"A123456788"}, "name": {"甲"}},
		"姓名不可空白":  {"id_no": {"B120000008"}, "name": {" "}},
		"沒有30日":   {"id_no": {"B120000008"}, "name": {"乙"}, "birth_date": {"80.2.30"}},
		"第1碼應為英文": {"id_no": {"1234567890"}, "name": {"丙"}},
	}
	for want, form := range cases {
		st, body, _ := c.post("/persons", form, true)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
			t.Errorf("%v: status %d, message %q missing", form, st, want)
		}
	}
	n, _ := e.App.Persons.Count(context.Background())
	if n != 40 {
		t.Errorf("persons = %d after rejected input, want 40", n)
	}
}

func TestAPITokenActsAsUserAndIsAudited(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u, _ := e.App.Auth.UserByName(ctx, "clerk")
	tok, err := e.App.Auth.CreateToken(ctx, audit.Actor{Username: "test"}, u.ID, "t")
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, token string) (int, map[string]any) {
		req, _ := http.NewRequest(method, e.Srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	st, me := call("GET", "/api/v1/me", tok)
	if st != 200 || me["username"] != "clerk" {
		t.Fatalf("/api/v1/me: %d %v", st, me)
	}
	if st, _ := call("GET", "/api/v1/persons/A123456789", tok); st != 200 {
		t.Fatalf("person via token: %d", st)
	}
	if st, m := call("GET", "/api/v1/me", "ebz_wrong"); st != 401 || m["error"] == nil {
		t.Fatalf("bad token: %d %v", st, m)
	}
	if st, _ := call("GET", "/api/v1/me", ""); st != 401 {
		t.Fatalf("no token: %d", st)
	}
	es, _ := audit.Search(ctx, e.DB, audit.Filter{Action: "api.call"})
	if len(es) != 2 {
		t.Fatalf("api.call audit entries = %d, want 2", len(es))
	}
	// Revoked tokens stop working.
	toks, _ := e.App.Auth.Tokens(ctx, 0)
	if err := e.App.Auth.RevokeToken(ctx, audit.Actor{Username: "test"}, toks[0].ID); err != nil {
		t.Fatal(err)
	}
	if st, _ := call("GET", "/api/v1/me", tok); st != 401 {
		t.Fatalf("revoked token: %d", st)
	}
	// A clerk's token cannot do admin things.
	if !u.Can(auth.PersonRead) || u.Can(auth.UserManage) {
		t.Fatal("role table changed")
	}
}

func TestHealthzAndOpenAPI(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if st, body := c.get("/healthz"); st != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("healthz: %d %s", st, body)
	}
	st, body := c.get("/api/openapi.json")
	var doc map[string]any
	if st != 200 || json.Unmarshal([]byte(body), &doc) != nil || doc["paths"].(map[string]any)["/api/v1/persons"] == nil {
		t.Fatalf("openapi: %d", st)
	}
	// Metrics name routes and volumes: not for anyone on the network (issue 17, item 10).
	if st, _ := c.get("/metrics"); st == 200 {
		t.Fatalf("anonymous metrics: %d", st)
	}
	if st, _ := e.loggedIn("clerk").get("/metrics"); st != http.StatusForbidden {
		t.Fatalf("a clerk's metrics: %d", st)
	}
	if st, body := e.loggedIn("supervisor").get("/metrics"); st != 200 || !strings.Contains(body, "ebazhao_http_requests_total") {
		t.Fatalf("metrics: %d", st)
	}
}
