package app_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/office"
)

// pairTerminal pairs a new browser-less terminal client with counter #n of 西屯.
func pairTerminal(t *testing.T, e *env, n int) (*client, office.Counter) {
	t.Helper()
	ctx := context.Background()
	o, _ := e.App.Offices.ByCode(ctx, "xitun")
	cs, _ := e.App.Offices.Counters(ctx, o.ID)
	sup := e.loggedIn("supervisor")
	sup.get("/rating/terminals")
	st, _, resp := sup.post("/rating/terminals/code", url.Values{"counter_id": {fmtInt(cs[n].ID)}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("pairing code: %d", st)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	code := loc.Query().Get("code")
	term := e.client()
	term.get("/terminal")
	if st, _, _ := term.post("/terminal/pair", url.Values{"code": {code}}, true); st != http.StatusSeeOther {
		t.Fatalf("pair: %d", st)
	}
	if st, body := term.get("/terminal"); st != 200 || !strings.Contains(body, cs[n].Name) {
		t.Fatalf("terminal page: %d", st)
	}
	return term, cs[n]
}

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }

// stream reads server-sent events from path into a channel of "event data" lines.
func stream(t *testing.T, c *client, path string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", c.e.Srv.URL+path, nil)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("stream %s: %d", path, resp.StatusCode)
	}
	out := make(chan string, 32)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				out <- event + " " + strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return out
}

func waitFor(t *testing.T, ch <-chan string, prefix string) string {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case s := <-ch:
			if strings.HasPrefix(s, prefix) {
				return s
			}
		case <-deadline:
			t.Fatalf("no %q event within 5 s", prefix)
		}
	}
}

func TestTerminalWakesAndAlarmReachesSupervisorStream(t *testing.T) {
	e := newEnv(t)
	term, counter := pairTerminal(t, e, 0)
	sup := e.loggedIn("supervisor")
	alarms := stream(t, sup, "/rating/alerts/events")
	waitFor(t, alarms, `alerts {"latest":"","new":false,"open":0}`)
	events := stream(t, term, "/terminal/events")
	clerk, _ := e.App.Auth.UserByName(context.Background(), "clerk")
	w, err := e.App.Rating.Open(context.Background(), counter.OfficeID, counter.ID, clerk.ID, "receipt", "T-1")
	if err != nil {
		t.Fatal(err)
	}
	ev := waitFor(t, events, "open ")
	if !strings.Contains(ev, `"window_id":`+fmtInt(w.ID)) {
		t.Fatalf("open event %s", ev)
	}
	st, body, _ := term.post("/terminal/rate", url.Values{"window_id": {fmtInt(w.ID)}, "level": {"1"}}, true)
	if st != 200 || !strings.Contains(body, "謝謝") {
		t.Fatalf("rate: %d %s", st, body)
	}
	waitFor(t, events, "close ")
	a := waitFor(t, alarms, "alerts ")
	if !strings.Contains(a, `"open":1`) || !strings.Contains(a, "非常不滿意") || !strings.Contains(a, "王小明") || !strings.Contains(a, `"new":true`) {
		t.Fatalf("alarm event %s", a)
	}
	// The same window cannot be rated twice, and a staff session cannot rate at all.
	if st, _, _ := term.post("/terminal/rate", url.Values{"window_id": {fmtInt(w.ID)}, "level": {"5"}}, true); st != http.StatusConflict {
		t.Fatalf("second rating: %d", st)
	}
	staff := e.loggedIn("clerk")
	staff.get("/")
	if st, _, _ := staff.post("/terminal/rate", url.Values{"window_id": {fmtInt(w.ID)}, "level": {"5"}}, true); st != http.StatusForbidden {
		t.Fatalf("staff rating: %d", st)
	}
	// Statistics show it.
	if st, body := sup.get("/rating?group=clerk"); st != 200 || !strings.Contains(body, "王小明") {
		t.Fatalf("stats page: %d", st)
	}
	if st, _ := e.loggedIn("clerk").get("/rating"); st != http.StatusForbidden {
		t.Fatalf("clerk saw statistics: %d", st)
	}
}
