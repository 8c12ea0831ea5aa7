package app_test

import (
	"context"
	"net/http"
	"testing"

	"ebazhao/internal/platform/web"
)

// A listing shows only what the role may see, and every person it shows is
// audited (issue 17, item 8): a clerk's request for every office's documents is
// refused and audited; a person search audits each person it returned; paging
// through the register stops at the account's hourly budget with a 429 and a
// denial a supervisor sees among the day's refusals.
func TestListingsAreScopedAuditedAndBounded(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := e.DB.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	clerk := e.token("clerk")
	for _, office := range []string{"all", "1"} {
		before := count(`SELECT COUNT(*) FROM audit_log WHERE action = 'document.list' AND outcome = 'denied'`)
		if st, _ := e.api("GET", "/api/v1/documents?office="+office, clerk, nil); st != http.StatusForbidden {
			t.Errorf("clerk lists documents of office=%s: %d, want 403", office, st)
		}
		if count(`SELECT COUNT(*) FROM audit_log WHERE action = 'document.list' AND outcome = 'denied'`) != before+1 {
			t.Errorf("refusal of office=%s not audited", office)
		}
	}
	if st, _ := e.api("GET", "/api/v1/documents?office=all", e.token("admin"), nil); st != http.StatusOK {
		t.Errorf("機房 admin lists every office: %d", st)
	}

	st, res := e.api("GET", "/api/v1/persons?q=王", clerk, nil)
	people, _ := res["persons"].([]any)
	if st != http.StatusOK || len(people) == 0 {
		t.Fatalf("search: %d %v", st, res)
	}
	for _, p := range people {
		id := p.(map[string]any)["id_no"].(string)
		if n := count(`SELECT COUNT(*) FROM audit_log WHERE action = ? AND person_id_no = ?`, web.ActionListed, id); n != 1 {
			t.Errorf("%s was shown but has %d listing entries", id, n)
		}
	}

	// A budget one short of showing the same people again: the repeat is refused.
	shown := count(`SELECT COUNT(*) FROM audit_log WHERE action = ?`, web.ActionListed)
	e.App.Kit.ListedPerHour = shown + len(people) - 1
	st, res = e.api("GET", "/api/v1/persons?q=王", clerk, nil)
	if st != http.StatusTooManyRequests {
		t.Fatalf("search past the budget: %d %v", st, res)
	}
	if count(`SELECT COUNT(*) FROM audit_log WHERE action = ?`, web.ActionListed) != shown {
		t.Error("a refused search still listed people")
	}
	if count(`SELECT COUNT(*) FROM audit_log WHERE action = ? AND outcome = 'denied'`, web.ActionBulkRead) != 1 {
		t.Error("the refusal is not audited as a bulk read")
	}
	sup := e.loggedIn("supervisor")
	_, body := sup.get("/")
	contains(t, body, "今日本所拒絕存取")
}

// A bearer token has no session to hold a counter: a clear 400, not a 500.
func TestCounterWithATokenIsABadRequest(t *testing.T) {
	e := newEnv(t)
	if st, res := e.api("POST", "/counter", e.token("clerk"), nil); st != http.StatusBadRequest {
		t.Errorf("POST /counter with a token: %d %v", st, res)
	}
}
