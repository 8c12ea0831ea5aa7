package app_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
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
