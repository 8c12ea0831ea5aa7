package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/app"
	"ebazhao/internal/archive"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/rating"
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
	if st, _ := admin.get("/"); st != http.StatusSeeOther { // 91 days: the session idled out long ago
		t.Errorf("a session after 91 days: %d, want 303 to the login", st)
	}
	admin = e.loggedIn("admin")
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

// pairTerminal posts a pairing code to the handler as a terminal at addr,
// with the anonymous CSRF cookie and token of anon.
func terminalPair(e *env, anon *client, addr, code string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest("POST", "/terminal/pair", strings.NewReader(url.Values{"code": {code}, "csrf_token": {anon.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = addr + ":40000"
	u, _ := url.Parse(e.Srv.URL)
	for _, c := range anon.http.Jar.Cookies(u) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	e.App.Handler().ServeHTTP(rec, req)
	return rec
}

// TestTerminalPairingIsLimitedAndAudited (issue 17, item 10): a pairing code
// names its counter and carries eight secret digits; a wrong guess is charged
// to that counter's code, void after five; attempts are limited per address
// and per office (from every address together) with 429; every attempt —
// right, wrong or refused — is audited under the counter's office.
func TestTerminalPairingIsLimitedAndAudited(t *testing.T) {
	e := newEnvWith(t, func(c *app.Config) { c.AuthRate = 5 }, io.Discard)
	ctx := context.Background()
	xitun := e.officeID("xitun")
	counters, err := e.App.Offices.Counters(ctx, xitun)
	if err != nil || len(counters) < 3 {
		t.Fatalf("counters: %v", err)
	}
	sup := e.loggedIn("supervisor")
	codeFor := func(counter int64) string {
		sup.get("/rating/terminals")
		st, body, resp := sup.post("/rating/terminals/code", url.Values{"counter_id": {fmt.Sprint(counter)}}, true)
		loc, _ := url.Parse(resp.Header.Get("Location"))
		code := loc.Query().Get("code")
		if st != http.StatusSeeOther || !regexp.MustCompile(`^[0-9]+-[0-9]{8}$`).MatchString(code) {
			t.Fatalf("pairing code: %d %q %.200s", st, code, body)
		}
		return code
	}
	wrong := func(code string) string { // the same counter, another secret
		c, s, _ := strings.Cut(code, "-")
		return fmt.Sprintf("%s-%08d", c, (atoi(t, s)+1)%100_000_000)
	}
	anon := e.client()
	anon.get("/terminal")
	pairs := func(outcome string) int {
		es, _ := audit.Search(ctx, e.DB, audit.Filter{Action: "rating.terminal.pair", Outcome: outcome})
		return len(es)
	}

	// Two wrong guesses, then the right code: paired; each attempt audited under 西屯.
	a := codeFor(counters[0].ID)
	for i := range 2 {
		if rec := terminalPair(e, anon, fmt.Sprintf("10.0.1.%d", i+1), wrong(a)); rec.Code != http.StatusBadRequest {
			t.Fatalf("wrong code: %d", rec.Code)
		}
	}
	if rec := terminalPair(e, anon, "10.0.1.9", a); rec.Code != http.StatusSeeOther {
		t.Fatalf("right code: %d %.300s", rec.Code, rec.Body.String())
	}
	es, _ := audit.Search(ctx, e.DB, audit.Filter{Action: "rating.terminal.pair", OfficeID: xitun})
	if len(es) != 3 || es[0].Outcome != audit.OK || es[1].Detail != "wrong code (2 of 5)" || es[1].Client != "10.0.1.2" {
		t.Fatalf("audited attempts: %+v", es)
	}
	if rec := terminalPair(e, anon, "10.0.1.9", a); rec.Code != http.StatusBadRequest {
		t.Errorf("a used code again: %d", rec.Code)
	}

	// Five wrong guesses from five addresses void the code: the right one is refused after.
	b := codeFor(counters[1].ID)
	for i := range 5 {
		terminalPair(e, anon, fmt.Sprintf("10.0.2.%d", i+1), wrong(b))
	}
	if rec := terminalPair(e, anon, "10.0.2.9", b); rec.Code != http.StatusBadRequest {
		t.Errorf("the right code after five wrong guesses: %d, want 400 (void)", rec.Code)
	}
	// A new code replaces the old: only the newest of a counter works.
	c1 := codeFor(counters[2].ID)
	c2 := codeFor(counters[2].ID)
	if _, _, err := e.App.Rating.PairFrom(ctx, c1, "10.0.3.1"); !errors.Is(err, rating.ErrPairing) {
		t.Errorf("a replaced code: %v, want refused", err)
	}

	// A flood on one office from many addresses: past the office's limit, 429
	// (Retry-After), each refusal audited under the office.
	limited := pairs(audit.Denied)
	var tooMany int
	for i := range 20 {
		rec := terminalPair(e, anon, fmt.Sprintf("10.1.0.%d", i+1), wrong(c2))
		if rec.Code == http.StatusTooManyRequests {
			tooMany++
			if rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "次數過多") {
				t.Errorf("429 without Retry-After or message")
			}
		}
	}
	if tooMany < 10 {
		t.Errorf("%d of 20 attempts on one office from 20 addresses refused with 429, want at least 10", tooMany)
	}
	if got := pairs(audit.Denied) - limited; got != 20 {
		t.Errorf("%d audited refusals for 20 attempts", got)
	}
	es, _ = audit.Search(ctx, e.DB, audit.Filter{Action: "rating.terminal.pair", OfficeID: xitun, Outcome: audit.Denied})
	var officeLimited int
	for _, en := range es {
		if strings.Contains(en.Detail, "rate limited") && en.ObjectKind == "office" {
			officeLimited++
		}
	}
	if officeLimited != tooMany {
		t.Errorf("%d office-limited refusals audited under 西屯, %d answered 429", officeLimited, tooMany)
	}

	// A flood from one address (malformed or not): past --auth-rate, 429 and audited.
	before := pairs(audit.Denied)
	tooMany = 0
	for range 8 {
		if rec := terminalPair(e, anon, "10.9.9.9", "123"); rec.Code == http.StatusTooManyRequests {
			tooMany++
		}
	}
	if tooMany != 3 {
		t.Errorf("%d of 8 attempts from one address refused, want 3 (5 a minute)", tooMany)
	}
	if got := pairs(audit.Denied) - before; got != 8 {
		t.Errorf("%d audited refusals for 8 attempts from one address", got)
	}
	// Only the one right attempt paired.
	if n := pairs(audit.OK); n != 1 {
		t.Errorf("%d successful pairings audited, want 1", n)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// minimalPDF is a well-formed one-page PDF (a comment line carries text, so
// two differ).
func minimalPDF(text string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n% " + text + "\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// hugePNG is a small PNG whose header declares w×h pixels (a decompression
// bomb as far as any header check can tell).
func hugePNG(w, h uint32) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)))
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29])) // IHDR's type and data
	return b
}

// sentApplication files and sends an N加e application as c (西屯's clerk).
func sentApplication(t *testing.T, e *env, c *client, key string) int64 {
	t.Helper()
	a, err := e.App.Agency.AgencyByCode(context.Background(), "tax_taichung")
	if err != nil {
		t.Fatal(err)
	}
	c.get("/agency")
	var app struct{ ID int64 }
	req := map[string]any{"kind": "move", "person_id_no": "A123456789", "send": true,
		"fields":   map[string]string{"old_address": "臺中市西屯區福科路100號", "new_address": "臺中市南屯區公益路二段1號", "event_date": rocdate.ISO(rocdate.Today(e.DB.Now()))},
		"agencies": []map[string]any{{"agency_id": a.ID}}}
	apiJSON(t, c, "POST", "/api/v1/agency/applications", req, &app)
	return app.ID
}

// uploadScan posts a file as the signed scan of application id.
func uploadScan(t *testing.T, c *client, id int64, name string, content []byte, reason string) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", c.csrf)
	if reason != "" {
		mw.WriteField("reason", reason)
	}
	fw, _ := mw.CreateFormFile("scan", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/agency/applications/%d/scan", c.e.Srv.URL, id), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestAgencySignedScanIsCheckedAndVersioned (issue 17): the N加e signed scan
// goes through imagebudget.Check — random bytes named .pdf, a broken PDF and
// a PNG declaring 20000×20000 pixels are refused with a Chinese reason and
// store nothing — and a replacement never overwrites: it needs a reason, is
// audited as a replacement, and the earlier scan stays listed and viewable.
func TestAgencySignedScanIsCheckedAndVersioned(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.loggedIn("clerk")
	id := sentApplication(t, e, c, "scan-versions")
	c.get(fmt.Sprintf("/agency/applications/%d", id))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(i*7919 + i/13)
	}
	for name, bad := range map[string]struct {
		file []byte
		want string
	}{
		"random.pdf":  {random, "不是 PDF、JPEG、PNG"},
		"broken.pdf":  {append([]byte("%PDF-1.7\n"), random...), "PDF 檔不完整"},
		"bomb.png":    {hugePNG(20000, 20000), "影像尺寸過大（20000×20000 像素"},
		"cut.pdf":     {minimalPDF("x")[:200], "PDF 檔不完整"},
		"renamed.pdf": {[]byte("<html><script>alert(1)</script></html>"), "不是 PDF"},
	} {
		st, body := uploadScan(t, c, id, name, bad.file, "")
		if st != http.StatusBadRequest || !strings.Contains(body, bad.want) {
			t.Errorf("%s: %d, want 400 with %q\n%s", name, st, bad.want, body[strings.Index(body, "<main"):])
		}
	}
	var n int
	e.DB.QueryRow(ctx, `SELECT COUNT(*) FROM agency_application_scans WHERE application_id = ?`, id).Scan(&n)
	if n != 0 {
		t.Fatalf("refused files stored %d scans", n)
	}

	first, second := minimalPDF("first signing"), minimalPDF("second signing")
	if st, body := uploadScan(t, c, id, "signed.pdf", first, ""); st != http.StatusSeeOther {
		t.Fatalf("first scan: %d %.300s", st, body)
	}
	if st, body := uploadScan(t, c, id, "again.pdf", second, ""); st != http.StatusBadRequest || !strings.Contains(body, "更換須註明原因") {
		t.Errorf("replacement without a reason: %d %.300s", st, body)
	}
	if st, body := uploadScan(t, c, id, "again.pdf", second, "民眾補簽"); st != http.StatusSeeOther {
		t.Fatalf("replacement: %d %.300s", st, body)
	}
	if st, body := c.get(fmt.Sprintf("/agency/applications/%d/scan", id)); st != 200 || body != string(second) {
		t.Errorf("current scan is not the replacement: %d", st)
	}
	if st, body := c.get(fmt.Sprintf("/agency/applications/%d/scan?v=1", id)); st != 200 || body != string(first) {
		t.Errorf("version 1 is not the first scan: %d", st)
	}
	_, page := c.get(fmt.Sprintf("/agency/applications/%d", id))
	contains(t, page, "第 2 版（現行）", "第 1 版", "民眾補簽", "?v=1")
	es, _ := audit.Search(ctx, e.DB, audit.Filter{Action: "agency.application.scan.replace"})
	if len(es) != 1 || !strings.Contains(es[0].Detail, "version 2 replaces version 1") || !strings.Contains(es[0].Detail, "reason=民眾補簽") || es[0].PersonIDNo != "A123456789" {
		t.Errorf("replacement audit: %+v", es)
	}
	es, _ = audit.Search(ctx, e.DB, audit.Filter{Action: "agency.application.scan.view"})
	if len(es) < 2 || es[0].Detail != "version 1" {
		t.Errorf("scan views audited: %+v", es)
	}
	// Another office's clerk: refused, audited, nothing stored.
	other := e.loggedIn("clerk2")
	other.get("/agency")
	before := deniedEntries(t, e, "clerk2")
	if st, _ := uploadScan(t, other, id, "x.pdf", minimalPDF("other office"), "改"); st != http.StatusForbidden {
		t.Errorf("another office's upload: %d, want 403", st)
	}
	if deniedEntries(t, e, "clerk2") == before {
		t.Error("another office's upload refused without an audit entry")
	}
	e.DB.QueryRow(ctx, `SELECT COUNT(*) FROM agency_application_scans WHERE application_id = ?`, id).Scan(&n)
	if n != 2 {
		t.Errorf("%d scan versions, want 2", n)
	}
}

// TestArchiveRequestAndSealViewsAreScoped (issue 17, item 8): a document page
// or the scanning form naming a cross-district request (?request=) shows the
// request — the applicant's ID — only to its two offices and the city level;
// /seals/views lists the own office's views only (the city level: every
// office's). Each refusal is a 403 with an audit entry, per role and office.
func TestArchiveRequestAndSealViewsAreScoped(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	xitun, nantun, beitun := e.officeID("xitun"), e.officeID("nantun"), e.officeID("beitun")
	sys := audit.Actor{Username: "test"}
	for _, u := range []struct {
		name   string
		office int64
		role   auth.Role
	}{{"scanner-nantun", nantun, auth.Scanner}, {"clerk-nantun", nantun, auth.Clerk}, {"scanner-beitun", beitun, auth.Scanner},
		{"supervisor-beitun", beitun, auth.Supervisor}} {
		if _, _, err := e.App.Auth.CreateUser(ctx, sys, auth.NewUser{Username: u.name, DisplayName: u.name, OfficeID: u.office, Role: u.role,
			Password: "demo", MustChange: false}); err != nil {
			t.Fatal(err)
		}
	}
	// A document scanned at 西屯, and a request 西屯 files with 南屯 for an applicant.
	scanner := e.loggedIn("scanner")
	scanner.get("/archive/docs/new")
	tiff := archive.EncodeTIFF([]*image.Gray{scanPage(31)})
	code, body, resp := scanner.upload("/archive/docs", map[string]string{"office": fmt.Sprint(xitun), "item": "birth", "reg_date": "69.5.28",
		"persons": "A123456789 王大明 當事人"}, "b.tif", tiff)
	if code != http.StatusSeeOther {
		t.Fatalf("archive upload: %d %.300s", code, body)
	}
	doc, _, _ := strings.Cut(strings.TrimPrefix(resp.Header.Get("Location"), "/archive/docs/"), "?")
	clerk := e.loggedIn("clerk")
	clerk.get("/archive/requests/new")
	const applicant = "B120000008"
	code, body, resp = clerk.post("/archive/requests", url.Values{"original_office": {fmt.Sprint(nantun)}, "person_name": {"王大明"},
		"person_id_no": {"A123456789"}, "item": {"marriage"}, "approx_date": {"民國97年"}, "applicant_name": {"王小明"}, "applicant_id_no": {applicant}}, true)
	if code != http.StatusSeeOther {
		t.Fatalf("archive request: %d %.300s", code, body)
	}
	req := reqLink.FindStringSubmatch(resp.Header.Get("Location"))[1]
	docPage := "/archive/docs/" + doc + "?purpose=" + url.QueryEscape("跨區申請核發") + "&request=" + req
	for _, c := range []struct {
		user, path string
		ok         bool
	}{
		{"clerk", docPage, true},              // 西屯: the receiving office
		{"clerk-nantun", docPage, true},       // 南屯: the original office
		{"admin", docPage, true},              // the city level
		{"clerk2", docPage, false},            // 北屯: neither
		{"supervisor-beitun", docPage, false}, // 北屯, a supervisor: neither
		{"scanner-nantun", "/archive/docs/new?request=" + req, true},
		{"scanner", "/archive/docs/new?request=" + req, true},
		{"scanner-beitun", "/archive/docs/new?request=" + req, false},
		{"supervisor-beitun", "/archive/docs/new?request=" + req, false},
	} {
		cl := e.loggedIn(c.user)
		before := deniedEntries(t, e, c.user)
		st, body := cl.get(c.path)
		switch {
		case c.ok && st != http.StatusOK:
			t.Errorf("%s on %s: %d, want 200", c.user, c.path, st)
		case !c.ok && st != http.StatusForbidden:
			t.Errorf("%s on %s: %d, want 403", c.user, c.path, st)
		case !c.ok && strings.Contains(body, applicant):
			t.Errorf("%s on %s: the refusal shows the applicant's ID", c.user, c.path)
		case !c.ok && deniedEntries(t, e, c.user) == before:
			t.Errorf("%s on %s: refused without an audit entry", c.user, c.path)
		}
	}

	// Seal image views at 西屯 and at 北屯.
	for _, v := range []struct {
		user   string
		office int64
		person string
	}{{"clerk", xitun, "A123456789"}, {"clerk2", beitun, "B120000017"}} {
		u, _ := e.App.Auth.UserByName(ctx, v.user)
		en := audit.For(u.Actor("test"), "seal.image.view", "seal_event", "1")
		en.PersonIDNo = v.person
		if err := audit.Record(ctx, e.DB, en); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		user, query string
		status      int
		sees, hides []string
	}{
		{"supervisor", "", http.StatusOK, []string{"A123456789"}, []string{"B120000017"}},
		{"supervisor-beitun", "", http.StatusOK, []string{"B120000017"}, []string{"A123456789"}},
		{"supervisor-beitun", "?person=A123456789", http.StatusOK, nil, []string{"A123456789</"}},
		{"supervisor-beitun", fmt.Sprintf("?office=%d", xitun), http.StatusForbidden, nil, []string{"A123456789"}},
		{"supervisor", fmt.Sprintf("?office=%d", beitun), http.StatusForbidden, nil, []string{"B120000017"}},
		{"admin", "", http.StatusOK, []string{"A123456789", "B120000017"}, nil},
		{"admin", fmt.Sprintf("?office=%d", beitun), http.StatusOK, []string{"B120000017"}, []string{"A123456789"}},
		{"clerk", "", http.StatusForbidden, nil, []string{"A123456789"}}, // no audit.view
	} {
		cl := e.loggedIn(c.user)
		before := deniedEntries(t, e, c.user)
		st, body := cl.get("/seals/views" + c.query)
		if st != c.status {
			t.Errorf("%s /seals/views%s: %d, want %d", c.user, c.query, st, c.status)
		}
		contains(t, body, c.sees...)
		for _, h := range c.hides {
			if strings.Contains(body, h) {
				t.Errorf("%s /seals/views%s shows %s", c.user, c.query, h)
			}
		}
		if st == http.StatusForbidden && deniedEntries(t, e, c.user) == before {
			t.Errorf("%s /seals/views%s refused without an audit entry", c.user, c.query)
		}
	}
}
