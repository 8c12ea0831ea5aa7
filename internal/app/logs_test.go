package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"ebazhao/internal/app"
	"ebazhao/internal/demo"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/dbtest"
)

// syncBuffer is a log sink the server's goroutines can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsCarryNoPersonalData works the counter for a citizen — person page,
// name and ID searches, a document, a mistyped ID — and then reads every log
// line: the citizen's ID number and name appear nowhere, while each request
// line names the staff user who made it (the engineer at 3 a.m. needs who, not
// whom).
func TestLogsCarryNoPersonalData(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	var logs syncBuffer
	a, err := app.New(ctx, app.Config{Demo: true, Policy: auth.DefaultPolicy(), DataDir: t.TempDir()}, d,
		slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, d, "demo", 40); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	e := &env{t: t, DB: d, App: a, Srv: srv}
	c := e.loggedIn("clerk")
	const id, name = "A123456789", "王大明"
	for _, path := range []string{"/persons/" + id, "/persons?q=" + url.QueryEscape(name), "/persons?q=" + id, "/persons/A123456780", "/api/v1/persons/" + id, "/seals/p/" + id} {
		c.get(path)
	}
	// A document for the citizen through the API (a bearer token: its use is
	// logged and audited), and one with a mistyped ID, refused.
	tok := e.token("clerk")
	if st, _ := e.api("POST", "/api/v1/documents", tok, map[string]any{"kind": "onetime", "item": "出生登記", "items": []string{"出生證明書正本"},
		"recipient": map[string]any{"id_no": id}}); st != 201 {
		t.Fatalf("issue document: %d", st)
	}
	if st, _ := e.api("POST", "/api/v1/documents", tok, map[string]any{"kind": "onetime", "item": "出生登記", "recipient": map[string]any{"id_no": "A123456780"}}); st < 400 {
		t.Fatalf("a mistyped ID was accepted: %d", st)
	}
	out := logs.String()
	if !strings.Contains(out, `"path":"/persons/A*********"`) {
		t.Errorf("the person page's request line is missing or unredacted:\n%s", out)
	}
	for _, secret := range []string{id, name, url.QueryEscape(name), "A123456780"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
	var requests, withUser int
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, `"msg":"http"`) && strings.Contains(line, `"path":"/persons`) {
			requests++
			if strings.Contains(line, `"user":"clerk"`) {
				withUser++
			}
		}
	}
	if requests == 0 || withUser != requests {
		t.Errorf("%d of %d person request lines name the user clerk:\n%s", withUser, requests, out)
	}
}
