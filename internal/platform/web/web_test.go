package web

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"unicode"
)

func TestRedactPath(t *testing.T) {
	cases := map[string]string{
		"/persons/A123456789":        "/persons/A*********",
		"/persons/a123456789/edit":   "/persons/a*********/edit",
		"/api/v1/persons/AC01234567": "/api/v1/persons/A*********",
		"/admin/users/12":            "/admin/users/12",
		"/receipts/115000123":        "/receipts/115000123",
	}
	for in, want := range cases {
		if got := RedactPath(in); got != want {
			t.Errorf("RedactPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	cases := []struct{ in, want string }{
		// Same-origin paths pass, cleaned.
		{"", "/"},
		{"/", "/"},
		{"/persons?q=王", "/persons?q=王"},
		{"/persons?q=%E7%8E%8B+%E5%A4%A7", "/persons?q=%E7%8E%8B+%E5%A4%A7"},
		{"/a/../b", "/b"},
		{"/agency/overdue?office=3", "/agency/overdue?office=3"},
		{"/fees/receipts/12", "/fees/receipts/12"},
		{"/..", "/"},
		// Another site, however it is spelt.
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"https://evil.example", "/"},
		{"http:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"JavaScript:alert(1)", "/"},
		{"evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/\\/evil.example", "/"},
		{"/a\\b", "/"},
		// Characters browsers strip: /<TAB>/evil.example is //evil.example to them.
		{"/\t/evil.example", "/"},            // login?next=%2F%09%2Fevil.example, decoded
		{"/\n/evil.example", "/"},            // %0a
		{"/\r/evil.example", "/"},            // %0d
		{"/ /evil.example", "/"},             // a space
		{" //evil.example", "/"},             // a leading space browsers trim
		{"/\x00/evil.example", "/"},          // NUL
		{"/\x1f/evil.example", "/"},          // other C0 controls
		{"/\u00a0/evil.example", "/"},        // no-break space
		{"/\u2028/evil.example", "/"},        // line separator
		{"/\u200b/evil.example", "/"},        // zero-width space (format character)
		{"/persons\t?q=1", "/"},              // a tab anywhere
		{"/persons?q=\n", "/"},               // …in the query too
		{"/%2F%2Fevil.example", "/"},         // //evil.example once decoded
		{"/%2f/evil.example", "/"},           // …in lower case
		{"/%5Cevil.example", "/"},            // a backslash, encoded
		{"/%09/evil.example", "/"},           // a tab, encoded
		{"/%0a/evil.example", "/"},           // a line feed, encoded
		{"/%zz", "/"},                        // not decodable
		{"/@evil.example", "/@evil.example"}, // a path on this site, not a host
	}
	for _, c := range cases {
		if got := SafeNext(c.in); got != c.want {
			t.Errorf("SafeNext(%q) = %q, want %q", c.in, got, c.want)
		}
		// Whatever comes back is a path on this site.
		got := SafeNext(c.in)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\t\r\n ") {
			t.Errorf("SafeNext(%q) = %q leaves the site", c.in, got)
		}
	}
}

// FuzzSafeNext: no input gives a redirect a browser would take off-site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "//evil", "/\t/evil", "/%2F%2Fevil", "/\\evil", "https://evil", "/persons?q=王"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := SafeNext(in)
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") {
			t.Fatalf("SafeNext(%q) = %q", in, got)
		}
		for _, r := range got {
			if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) {
				t.Fatalf("SafeNext(%q) = %q keeps %q", in, got, r)
			}
		}
	})
}

func TestRedactingHandlerMasksEveryPlace(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(RedactingHandler(slog.NewTextHandler(&buf, nil))).With("who", "B223456789")
	log.Info("查無「A123456789」", "err", errors.New("person C123456789: not found"), "grp", slog.Group("g", "id", "D123456789"), "n", 5)
	out := buf.String()
	for _, id := range []string{"A123456789", "B223456789", "C123456789", "D123456789"} {
		if strings.Contains(out, id) {
			t.Errorf("%s not masked: %s", id, out)
		}
	}
	if !strings.Contains(out, "A*********") || !strings.Contains(out, "n=5") {
		t.Errorf("masked record lost its content: %s", out)
	}
}

// TestFailAfterTheResponseBegan: an error once the body has started (a PDF
// whose reader went away) cannot change the status or append an error page;
// it is logged, at info level when the client hung up.
func TestFailAfterTheResponseBegan(t *testing.T) {
	var buf bytes.Buffer
	k := &Kit{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	rec := httptest.NewRecorder()
	sw := &statusWriter{ResponseWriter: rec}
	sw.Write([]byte("%PDF-1.7 partial"))
	r := httptest.NewRequest("GET", "/fees/receipts/1/pdf", nil)
	k.fail(sw, r, fmt.Errorf("write tcp: %w", syscall.EPIPE))
	if rec.Code != 200 || rec.Body.String() != "%PDF-1.7 partial" {
		t.Errorf("after a broken pipe: status %d, body %q", rec.Code, rec.Body.String())
	}
	if out := buf.String(); !strings.Contains(out, "level=INFO") || !strings.Contains(out, "after the response began") {
		t.Errorf("log: %s", out)
	}
	buf.Reset()
	k.fail(sw, r, errors.New("disk read failed"))
	if out := buf.String(); !strings.Contains(out, "level=ERROR") || rec.Body.String() != "%PDF-1.7 partial" {
		t.Errorf("a server error after the response began: log %s, body %q", out, rec.Body.String())
	}
}

// Invalid UTF-8 anywhere a handler reads text is a 400 before any handler runs
// (issue 17, item 10): stored raw on SQLite, a failed transaction and a lost
// audit entry on PostgreSQL otherwise.
func TestInvalidUTF8IsABadRequest(t *testing.T) {
	var buf bytes.Buffer
	k := &Kit{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	reached := 0
	h := k.validText(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached++ }))
	for name, r := range map[string]*http.Request{
		"query": httptest.NewRequest("GET", "/persons?q=%ff%fe", nil),
		"path":  httptest.NewRequest("GET", "/persons/%c3%28", nil),
		"form": func() *http.Request {
			r := httptest.NewRequest("POST", "/persons", strings.NewReader("name=%e7%8e%8b%ff"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}(),
		"form key": func() *http.Request {
			r := httptest.NewRequest("POST", "/persons", strings.NewReader("%80=x"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}(),
	} {
		rec := httptest.NewRecorder()
		r.Header.Set("Accept", "application/json")
		h.ServeHTTP(rec, r)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "UTF-8") {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body.String())
		}
	}
	if reached != 0 {
		t.Errorf("%d invalid requests reached the handler", reached)
	}
	ok := httptest.NewRequest("GET", "/persons?q=%E7%8E%8B", nil)
	h.ServeHTTP(httptest.NewRecorder(), ok)
	if reached != 1 {
		t.Error("a valid request did not reach the handler")
	}
	var v map[string]string
	bad := httptest.NewRequest("POST", "/api/v1/persons", strings.NewReader("{\"name\":\"\xff\"}"))
	if err := DecodeJSON(bad, &v); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("JSON with invalid UTF-8: %v", err)
	}
}

// Over TLS the browser is told to keep to HTTPS; over plain HTTP (a test, a
// loopback demo) nothing is promised.
func TestHSTSOnlyUnderTLS(t *testing.T) {
	for _, secure := range []bool{false, true} {
		k := &Kit{SecureCookies: secure}
		rec := httptest.NewRecorder()
		k.securityHeaders(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if got := rec.Header().Get("Strict-Transport-Security"); (got != "") != secure {
			t.Errorf("secure=%v: HSTS %q", secure, got)
		}
	}
}
