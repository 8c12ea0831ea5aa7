package app_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/app"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/rocdate"
)

// TestCSRFTokenBoundToSession (issue 17, item 10): the form token is an HMAC of
// the session, not a cookie the browser echoes. A token read in one session —
// another user's, the same user's other browser, the login form before, a
// session since ended — is refused in another; nothing is changed.
func TestCSRFTokenBoundToSession(t *testing.T) {
	e := newEnv(t)
	a, b := e.loggedIn("clerk"), e.loggedIn("supervisor")
	same := e.loggedIn("clerk")
	a.get("/persons/new")
	b.get("/persons/new")
	same.get("/persons/new")
	if a.csrf == "" || a.csrf == b.csrf || a.csrf == same.csrf {
		t.Fatalf("tokens not per session: a %q b %q same user %q", a.csrf, b.csrf, same.csrf)
	}
	anon := e.client()
	anon.get("/login")
	stolen := []struct{ name, tok string }{{"another user's session", a.csrf}, {"the same user's other browser", same.csrf}, {"the login form", anon.csrf}}
	for i, s := range stolen {
		id := []string{"B120000008", "B120000017", "B120000026"}[i]
		b.csrf = s.tok
		st, _, _ := b.post("/persons", url.Values{"id_no": {id}, "name": {"測試"}}, true)
		if st != http.StatusForbidden {
			t.Errorf("token of %s in the supervisor's session: %d, want 403", s.name, st)
		}
		if _, err := e.App.Persons.ByIDNo(context.Background(), id); err == nil {
			t.Errorf("token of %s created a person", s.name)
		}
	}
	// Its own token works; after logout and a new login the old one is dead.
	b.get("/persons/new")
	old := b.csrf
	if st, _, _ := b.post("/persons", url.Values{"id_no": {"B120000008"}, "name": {"測試"}}, true); st != http.StatusSeeOther {
		t.Fatalf("own token: %d", st)
	}
	if st, _, _ := b.post("/logout", nil, true); st != http.StatusSeeOther {
		t.Fatalf("logout: %d", st)
	}
	b.login("supervisor", "demo")
	b.csrf = old
	if st, _, _ := b.post("/persons", url.Values{"id_no": {"B120000017"}, "name": {"測試"}}, true); st != http.StatusForbidden {
		t.Errorf("the ended session's token in the new session: %d, want 403", st)
	}
	// The refusal of a signed-in user is audited.
	if n := deniedEntries(t, e, "supervisor"); n < 4 {
		t.Errorf("%d audited refusals of the supervisor, want at least 4", n)
	}
}

// TestAPITokensExpireAndRenew (issue 17, item 10): a token works for
// --token-max-age (90 days) from when it is minted; past it the API answers
// 401 and the refusal is audited; the expiry is shown where tokens are minted
// and listed; only who may manage the token renews it (audited, refusals
// too); a token revoked by deactivating its user stays dead when the user is
// reactivated, and cannot be renewed.
func TestAPITokensExpireAndRenew(t *testing.T) {
	clk := &clock.Clock{}
	clk.Set(clock.System().Now())
	e := newEnvWith(t, func(c *app.Config) {
		c.Clock = clk
		c.Policy.PasswordMaxAge = 0 // the staff log in again after months without a forced change
	}, io.Discard)
	ctx := context.Background()
	if e.App.Auth.Policy.TokenLife() != 90*24*time.Hour {
		t.Fatalf("default token life %s, want 90 days", e.App.Auth.Policy.TokenLife())
	}

	// Minted on the admin's page: the expiry is on the one-time page.
	admin := e.loggedIn("admin")
	admin.get("/admin/tokens")
	clerkID := e.userID("clerk")
	st, body, _ := admin.post("/admin/tokens", url.Values{"user_id": {fmt.Sprint(clerkID)}, "name": {"介接"}}, true)
	want := rocdate.FormatDateTime(clk.Now().Add(90 * 24 * time.Hour))
	if st != http.StatusOK || !strings.Contains(body, "有效至 "+want) {
		t.Fatalf("mint: %d, want the expiry %s on the page\n%.500s", st, want, body)
	}
	tok := shownSecret.FindStringSubmatch(body)[1]
	toks, err := e.App.Auth.Tokens(ctx, 0)
	if err != nil || len(toks) == 0 {
		t.Fatal(err)
	}
	id := toks[0].ID
	if st, _ := e.api("GET", "/api/v1/me", tok, nil); st != http.StatusOK {
		t.Fatalf("fresh token: %d", st)
	}
	_, body = admin.get("/admin/tokens")
	contains(t, body, "有效至", rocdate.FormatDateTime(toks[0].ExpiresAt), ">有效<")

	// A day past its life: 401, audited with the token's id.
	clk.Advance(91 * 24 * time.Hour)
	st, m := e.api("GET", "/api/v1/me", tok, nil)
	if st != http.StatusUnauthorized || !strings.Contains(fmt.Sprint(m["error"]), "逾期") {
		t.Fatalf("expired token: %d %v", st, m)
	}
	es, _ := audit.Search(ctx, e.DB, audit.Filter{Action: "api.auth", Outcome: audit.Denied})
	if len(es) == 0 || es[0].ObjectID != fmt.Sprint(id) || es[0].Detail != "expired token" {
		t.Fatalf("expired token's refusal not audited with its id: %+v", es)
	}

	// Renewing is the admin's (token.manage): a supervisor and a clerk are
	// refused and audited; the admin renews, audited, and the token works again.
	admin = e.loggedIn("admin") // the old session idled out
	_, body = admin.get("/admin/tokens")
	contains(t, body, "已逾期", "展延")
	for _, who := range []string{"supervisor", "clerk"} {
		c := e.loggedIn(who)
		c.get("/")
		before := deniedEntries(t, e, who)
		if st, _, _ := c.post(fmt.Sprintf("/admin/tokens/%d/renew", id), nil, true); st != http.StatusForbidden {
			t.Errorf("renew as %s: %d, want 403", who, st)
		}
		if deniedEntries(t, e, who) == before {
			t.Errorf("renew as %s refused without an audit entry", who)
		}
	}
	if st, _ := e.api("GET", "/api/v1/me", tok, nil); st != http.StatusUnauthorized {
		t.Fatalf("a refused renewal renewed: %d", st)
	}
	if st, _, _ := admin.post("/admin/tokens/999999/renew", nil, true); st != http.StatusNotFound {
		t.Errorf("renew of no token: %d, want 404", st)
	}
	st, _, resp := admin.post(fmt.Sprintf("/admin/tokens/%d/renew", id), url.Values{"reason": {"介接續用"}}, true)
	if st != http.StatusSeeOther || !strings.Contains(flashText(resp), "已展延") {
		t.Fatalf("renew as admin: %d", st)
	}
	if st, _ := e.api("GET", "/api/v1/me", tok, nil); st != http.StatusOK {
		t.Fatalf("renewed token: %d", st)
	}
	es, _ = audit.Search(ctx, e.DB, audit.Filter{Action: "token.renew"})
	var ok, denied int
	for _, en := range es {
		if en.Outcome == audit.Denied {
			denied++
		} else if en.ObjectID == fmt.Sprint(id) && strings.Contains(en.Detail, "reason=介接續用") {
			ok++
		}
	}
	if ok != 1 {
		t.Errorf("%d audited renewals with the reason, want 1: %+v", ok, es)
	}

	// Deactivated, then reactivated: the old token stays dead and is not renewed.
	admin.get(fmt.Sprintf("/admin/users/%d", clerkID))
	clerk, _ := e.App.Auth.UserByID(ctx, clerkID)
	edit := url.Values{"office_id": {fmt.Sprint(clerk.OfficeID)}, "role": {"clerk"}, "display_name": {clerk.DisplayName}}
	if st, body, _ := admin.post(fmt.Sprintf("/admin/users/%d", clerkID), edit, true); st != http.StatusSeeOther {
		t.Fatalf("deactivate: %d %.300s", st, body)
	}
	edit.Set("active", "on")
	if st, body, _ := admin.post(fmt.Sprintf("/admin/users/%d", clerkID), edit, true); st != http.StatusSeeOther {
		t.Fatalf("reactivate: %d %.300s", st, body)
	}
	if u, _ := e.App.Auth.UserByID(ctx, clerkID); !u.Active {
		t.Fatal("not reactivated")
	}
	if st, _ := e.api("GET", "/api/v1/me", tok, nil); st != http.StatusUnauthorized {
		t.Errorf("a deactivated-then-reactivated user's old token: %d, want 401", st)
	}
	before := deniedEntries(t, e, "admin")
	if st, _, _ := admin.post(fmt.Sprintf("/admin/tokens/%d/renew", id), nil, true); st != http.StatusForbidden {
		t.Errorf("renew of a token revoked by deactivation: %d, want 403", st)
	}
	if deniedEntries(t, e, "admin") == before {
		t.Error("the refused renewal is not audited")
	}
	if st, _ := e.api("GET", "/api/v1/me", tok, nil); st != http.StatusUnauthorized {
		t.Errorf("the refused renewal revived the token: %d", st)
	}
}

// flashText is the decoded flash message a response sets.
func flashText(resp *http.Response) string {
	v := flashCookie(resp)
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return v
	}
	return string(b)
}
