package fee

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/web"
	webassets "ebazhao/web"
)

// server is the fee routes behind the real web kit (sessions, tokens, CSRF,
// permissions, templates).
type server struct {
	*env
	srv  *httptest.Server
	auth *auth.Service
	kit  *web.Kit
}

func newServer(t *testing.T) *server {
	t.Helper()
	e := newEnv(t)
	a := auth.New(e.d, auth.DefaultPolicy())
	tmpl, _ := fs.Sub(webassets.FS, "templates")
	static, _ := fs.Sub(webassets.FS, "static")
	k, err := web.New(web.Options{Auth: a, DB: e.d, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Templates: tmpl, Static: static, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	(&Handlers{Kit: k, Svc: e.svc, Offices: &office.Store{DB: e.d}}).Routes()
	srv := httptest.NewServer(k.Handler())
	t.Cleanup(srv.Close)
	return &server{env: e, srv: srv, auth: a, kit: k}
}

const csrfValue = "0123456789abcdef0123456789abcdef0123456789"

// browser is a logged-in session (cookie) that does not follow redirects.
type browser struct {
	s      *server
	cookie string
	csrf   string // the session's form token
}

func (s *server) browser(username string, counter int) *browser {
	s.t.Helper()
	u := s.users[username]
	tok, err := s.auth.CreateSession(s.ctx, u, "test")
	if err != nil {
		s.t.Fatal(err)
	}
	if counter > 0 {
		sess, err := s.auth.SessionByToken(s.ctx, tok)
		if err != nil {
			s.t.Fatal(err)
		}
		if err := s.auth.SetSessionCounter(s.ctx, sess.ID, s.counters[counter-1].ID); err != nil {
			s.t.Fatal(err)
		}
	}
	csrf, err := s.kit.SessionCSRF(s.ctx, tok)
	if err != nil {
		s.t.Fatal(err)
	}
	return &browser{s: s, cookie: web.SessionCookie + "=" + tok + "; ebz_csrf=" + csrfValue, csrf: csrf}
}

func (b *browser) do(method, path string, form url.Values, hdr ...string) (*http.Response, string) {
	b.s.t.Helper()
	var body io.Reader
	if form != nil {
		form.Set("csrf_token", b.csrf)
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.s.srv.URL+path, body)
	req.Header.Set("Cookie", b.cookie)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

// api calls the JSON API with a bearer token.
func (s *server) api(username, method, path string, body any, out any, hdr ...string) int {
	s.t.Helper()
	tok, err := s.auth.CreateToken(s.ctx, audit.Actor{Username: "test"}, s.users[username].ID, "test")
	if err != nil {
		s.t.Fatal(err)
	}
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.srv.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			s.t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, raw, err)
		}
	}
	return resp.StatusCode
}

func TestAPIQuoteAndReceipts(t *testing.T) {
	s := newServer(t)
	var q struct {
		Lines []struct {
			Item   string `json:"item"`
			Qty    int    `json:"qty"`
			Unit   int64  `json:"unit"`
			Amount int64  `json:"amount"`
		} `json:"lines"`
		Total int64 `json:"total"`
	}
	st := s.api("clerk", "POST", "/api/v1/fees/quote", map[string]any{"date": "2026-11-25",
		"items": []map[string]any{{"item": "英文戶籍謄本", "qty": 2}, {"item": "戶籍謄本", "qty": 3}}}, &q)
	if st != 200 || len(q.Lines) != 2 || q.Lines[0].Unit != 100 || q.Lines[0].Amount != 115 || q.Lines[1].Amount != 45 || q.Total != 160 {
		t.Fatalf("quote %d %+v", st, q)
	}
	var bad map[string]string
	if st := s.api("clerk", "POST", "/api/v1/fees/quote", map[string]any{"items": []map[string]any{{"item": "護照", "qty": 1}}}, &bad); st != 400 || !strings.Contains(bad["error"], "護照") {
		t.Fatalf("bad quote %d %v", st, bad)
	}

	body := map[string]any{"items": []map[string]any{{"item": "戶籍謄本", "qty": 2}, {"item": "印鑑證明", "qty": 1}}, "payment": "cash", "counter": 2}
	var r1, r2 ReceiptJSON
	if st := s.api("clerk", "POST", "/api/v1/receipts", body, &r1, "Idempotency-Key", "api-key-1"); st != 201 {
		t.Fatalf("issue %d %+v", st, r1)
	}
	if st := s.api("clerk", "POST", "/api/v1/receipts", body, &r2, "Idempotency-Key", "api-key-1"); st != 200 || !r2.Replayed || r2.ID != r1.ID {
		t.Fatalf("replay %d %+v", st, r2)
	}
	if r1.Number != 1 || r1.Total != 50 || r1.Counter == nil || r1.Counter.Name != "2號櫃檯" || r1.Date != "2026-11-25" || r1.Status != "issued" {
		t.Fatalf("receipt %+v", r1)
	}
	var conflict map[string]string
	body["payment"] = "card"
	if st := s.api("clerk", "POST", "/api/v1/receipts", body, &conflict, "Idempotency-Key", "api-key-1"); st != 409 {
		t.Fatalf("same key, other body: %d %v", st, conflict)
	}
	var list struct {
		Count    int           `json:"count"`
		Total    int64         `json:"total"`
		Receipts []ReceiptJSON `json:"receipts"`
	}
	if st := s.api("clerk", "GET", "/api/v1/receipts?date=2026-11-25", nil, &list); st != 200 || list.Count != 1 || list.Total != 50 || list.Receipts[0].Number != 1 {
		t.Fatalf("list %d %+v", st, list)
	}
	// Another office sees none of them and may not open them.
	if st := s.api("other", "GET", "/api/v1/receipts", nil, &list); st != 200 || list.Count != 0 {
		t.Fatalf("other office list %d %+v", st, list)
	}
	if st := s.api("other", "GET", fmt.Sprintf("/api/v1/receipts/%d", r1.ID), nil, nil); st != 403 {
		t.Fatalf("other office read: %d", st)
	}

	// Void: a clerk may only ask; a supervisor voids once.
	var e1 map[string]string
	if st := s.api("clerk", "POST", fmt.Sprintf("/api/v1/receipts/%d/void", r1.ID), map[string]string{"reason": "x"}, &e1); st != 403 {
		t.Fatalf("clerk void: %d", st)
	}
	var v ReceiptJSON
	if st := s.api("supervisor", "POST", fmt.Sprintf("/api/v1/receipts/%d/void", r1.ID), map[string]string{"reason": "誤開"}, &v); st != 200 || v.Status != "voided" {
		t.Fatalf("void %d %+v", st, v)
	}
	if st := s.api("supervisor", "POST", fmt.Sprintf("/api/v1/receipts/%d/void", r1.ID), map[string]string{"reason": "再一次"}, &e1); st != 409 || !strings.Contains(e1["error"], "不得重複作廢") {
		t.Fatalf("void twice %d %v", st, e1)
	}

	// The PDF.
	req, _ := http.NewRequest("GET", s.srv.URL+fmt.Sprintf("/api/v1/receipts/%d/pdf", r1.ID), nil)
	tok, _ := s.auth.CreateToken(s.ctx, audit.Actor{Username: "test"}, s.users["clerk"].ID, "pdf")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pdfBytes, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdfBytes, []byte("%PDF")) {
		t.Fatalf("pdf %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// Settlement and closing through the API.
	var dayJSON map[string]any
	if st := s.api("cashier", "GET", "/api/v1/fees/settlement?date=2026-11-25", nil, &dayJSON); st != 200 || dayJSON["receipts"].(float64) != 0 || len(dayJSON["voids"].([]any)) != 1 {
		t.Fatalf("settlement %d %v", st, dayJSON)
	}
	if st := s.api("clerk", "POST", "/api/v1/fees/settlement/close", map[string]any{"date": "2026-11-25", "receipts": 0, "total": 0}, nil); st != 403 {
		t.Fatalf("clerk close: %d", st)
	}
	if st := s.api("cashier", "POST", "/api/v1/fees/settlement/close", map[string]any{"date": "2026-11-25", "receipts": 1, "total": 50}, &e1); st != 409 {
		t.Fatalf("close with wrong figures: %d %v", st, e1)
	}
	if st := s.api("cashier", "POST", "/api/v1/fees/settlement/close", map[string]any{"date": "2026-11-25", "receipts": 0, "total": 0}, &dayJSON); st != 200 || dayJSON["closed"] != true {
		t.Fatalf("close %d %v", st, dayJSON)
	}
	if st := s.api("clerk", "POST", "/api/v1/receipts", body, &e1, "Idempotency-Key", "after-close"); st != 409 || !strings.Contains(e1["error"], "結帳") {
		t.Fatalf("issue after close: %d %v", st, e1)
	}
	var sum Summary
	if st := s.api("clerk", "GET", "/api/v1/fees/summary?year=115&month=11", nil, &sum); st != 200 || sum.Voids != 1 || sum.Total != 0 {
		t.Fatalf("summary %d %+v", st, sum)
	}
}

func TestAPIScheduleVersions(t *testing.T) {
	s := newServer(t)
	var v map[string]any
	if st := s.api("clerk", "GET", "/api/v1/fees/schedule?date=2010-01-01", nil, &v); st != 200 || v["effective"] != "2009-04-01" {
		t.Fatalf("schedule %d %v", st, v["effective"])
	}
	change := map[string]any{"effective": "2027-01-01", "basis": "戶政規費收費標準（測試修正）",
		"set":    []map[string]any{{"code": "02", "name": "戶籍謄本", "measure": "張", "amount": 20}},
		"remove": []string{"47"}}
	if st := s.api("clerk", "POST", "/api/v1/fees/versions", change, nil); st != 403 {
		t.Fatalf("clerk adds a version: %d", st)
	}
	// The schedule holds for the whole city: an office's supervisor may not change it (issue 17, item 2).
	if st := s.api("supervisor", "POST", "/api/v1/fees/versions", change, nil); st != 403 {
		t.Fatalf("supervisor adds a version: %d", st)
	}
	if st := s.api("admin", "POST", "/api/v1/fees/versions", change, &v); st != 201 {
		t.Fatalf("add version %d %v", st, v)
	}
	var q Quote
	s.api("clerk", "POST", "/api/v1/fees/quote", map[string]any{"date": "2027-01-01", "items": []map[string]any{{"item": "戶籍謄本", "qty": 2}}}, &q)
	if q.Total != 40 {
		t.Fatalf("new version price %d", q.Total)
	}
	s.api("clerk", "POST", "/api/v1/fees/quote", map[string]any{"date": "2026-12-31", "items": []map[string]any{{"item": "戶籍謄本", "qty": 2}}}, &q)
	if q.Total != 30 {
		t.Fatalf("old version price %d", q.Total)
	}
	var e map[string]string
	if st := s.api("clerk", "POST", "/api/v1/fees/quote", map[string]any{"date": "2027-01-01", "items": []map[string]any{{"item": "歸化國籍測試報名"}}}, &e); st != 400 || !strings.Contains(e["error"], "不在收費標準") {
		t.Fatalf("removed item %d %v", st, e)
	}
	if st := s.api("admin", "POST", "/api/v1/fees/versions", map[string]any{"effective": "2026-01-01", "basis": "追溯", "set": []any{}}, &e); st != 400 || !strings.Contains(e["error"], "不得早於今日") {
		t.Fatalf("retroactive version %d %v", st, e)
	}
}

func TestPagesIssueFlow(t *testing.T) {
	s := newServer(t)
	clerk := s.browser("clerk", 3)
	resp, page := clerk.do("GET", "/fees", nil)
	if resp.StatusCode != 200 || !strings.Contains(page, `id="issue-form"`) || !strings.Contains(page, "3號櫃檯") || !strings.Contains(page, "戶籍謄本") {
		t.Fatalf("issue form %d", resp.StatusCode)
	}
	key := between(page, `name="idem" value="`, `"`)
	if len(key) < 16 {
		t.Fatalf("no idempotency key in the form")
	}
	form := url.Values{"idem": {key}, "item": {"02", "03", ""}, "qty": {"3", "2", ""}, "exempt": {"", "", ""}, "payment": {"easycard"}}
	// The live preview.
	resp, frag := clerk.do("POST", "/fees/quote", form, "HX-Request", "true")
	if resp.StatusCode != 200 || !strings.Contains(frag, "合計 NT$ 160") || !strings.Contains(frag, "新臺幣壹佰陸拾元整") {
		t.Fatalf("quote fragment %d %s", resp.StatusCode, frag)
	}
	resp, _ = clerk.do("POST", "/fees/receipts", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/fees/receipts/1?print=1") {
		t.Fatalf("issue %d %s", resp.StatusCode, loc)
	}
	// A double click: the same form again leads to the same receipt.
	resp, _ = clerk.do("POST", "/fees/receipts", form)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != loc {
		t.Fatalf("double submit %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	assertGapless(t, s.d, s.office.ID, 115, 1)
	resp, page = clerk.do("GET", loc, nil)
	if resp.StatusCode != 200 || !strings.Contains(page, "115-000001") || !strings.Contains(page, `id="receipt-frame"`) || !strings.Contains(page, "悠遊卡") {
		t.Fatalf("receipt page %d", resp.StatusCode)
	}
	resp, pdfBody := clerk.do("GET", "/fees/receipts/1/pdf?copy=1", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(pdfBody, "%PDF") || resp.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
		t.Fatalf("pdf %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = clerk.do("POST", "/fees/receipts/1/reprint", url.Values{})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/fees/receipts/1?print=2" {
		t.Fatalf("reprint %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// An invalid form comes back with the message and the rows kept.
	bad := url.Values{"idem": {"k2"}, "item": {"護照"}, "qty": {"1"}, "exempt": {""}, "payment": {"cash"}}
	resp, page = clerk.do("POST", "/fees/receipts", bad)
	if resp.StatusCode != 422 || !strings.Contains(page, "查無規費項目「護照」") || !strings.Contains(page, `value="護照"`) {
		t.Fatalf("invalid form %d", resp.StatusCode)
	}
	// Void request by the clerk, approval by the supervisor.
	resp, _ = clerk.do("POST", "/fees/receipts/1/void", url.Values{"reason": {"誤開"}})
	if resp.StatusCode != 303 {
		t.Fatalf("void request %d", resp.StatusCode)
	}
	sup := s.browser("supervisor", 0)
	resp, page = sup.do("GET", "/fees/voids", nil)
	if resp.StatusCode != 200 || !strings.Contains(page, "115-000001") || !strings.Contains(page, "誤開") {
		t.Fatalf("voids page %d", resp.StatusCode)
	}
	reqs, _ := s.svc.VoidRequests(s.ctx, s.office.ID, true, 0)
	if len(reqs) != 1 {
		t.Fatalf("pending %d", len(reqs))
	}
	if resp, _ := clerk.do("POST", fmt.Sprintf("/fees/voids/%d/approve", reqs[0].ID), url.Values{}); resp.StatusCode != 403 {
		t.Fatalf("clerk approving: %d", resp.StatusCode)
	}
	resp, _ = sup.do("POST", fmt.Sprintf("/fees/voids/%d/approve", reqs[0].ID), url.Values{})
	if resp.StatusCode != 303 {
		t.Fatalf("approve %d", resp.StatusCode)
	}
	resp, _ = sup.do("POST", fmt.Sprintf("/fees/voids/%d/approve", reqs[0].ID), url.Values{})
	if resp.StatusCode != 409 {
		t.Fatalf("approve twice %d", resp.StatusCode)
	}
	// Lists and the receipt page after the void.
	resp, page = clerk.do("GET", "/fees/receipts?date=115.11.25", nil)
	if resp.StatusCode != 200 || !strings.Contains(page, "作廢") || !strings.Contains(page, "戶籍謄本×3") {
		t.Fatalf("receipts page %d", resp.StatusCode)
	}
	resp, page = clerk.do("GET", "/fees/receipts/1", nil)
	if resp.StatusCode != 200 || !strings.Contains(page, "誤開") {
		t.Fatalf("voided receipt page %d", resp.StatusCode)
	}
}

func TestPagesCashierAndSupervisor(t *testing.T) {
	s := newServer(t)
	s.issue(s.clerk("clerk", 1), "cash", items("戶籍謄本", 2)...)
	s.issue(s.clerk("clerk2", 2), "card", items("國民身分證補領", 1)...)
	cashier := s.browser("cashier", 0)
	resp, page := cashier.do("GET", "/fees/settlement", nil)
	if resp.StatusCode != 200 || !strings.Contains(page, "確認結帳（2 張，230 元）") || !strings.Contains(page, "新臺幣貳佰參拾元整") {
		t.Fatalf("settlement page %d", resp.StatusCode)
	}
	resp, xl := cashier.do("GET", "/fees/settlement/export.xlsx?date=2026-11-25", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("xlsx %d", resp.StatusCode)
	}
	f, err := excelize.OpenReader(strings.NewReader(xl))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue("日結摘要", "B8"); v != "230" {
		t.Fatalf("xlsx total cell %q (sheets %v)", v, f.GetSheetList())
	}
	if len(f.GetSheetList()) != 4 {
		t.Fatalf("sheets %v", f.GetSheetList())
	}
	if resp, _ := s.browser("clerk", 0).do("GET", "/fees/settlement", nil); resp.StatusCode != 403 {
		t.Fatalf("clerk at settlement: %d", resp.StatusCode)
	}
	resp, _ = cashier.do("POST", "/fees/settlement/close", url.Values{"date": {"2026-11-25"}, "receipts": {"2"}, "total": {"230"}})
	if resp.StatusCode != 303 {
		t.Fatalf("close %d", resp.StatusCode)
	}
	resp, page = cashier.do("GET", "/fees/settlement?date=2026-11-25", nil)
	if resp.StatusCode != 200 || !strings.Contains(page, "確認結帳：有效收據 2 張") {
		t.Fatalf("closed settlement %d", resp.StatusCode)
	}
	resp, page = cashier.do("GET", "/fees/reports?year=115&month=11", nil)
	if resp.StatusCode != 200 || !strings.Contains(page, "230") {
		t.Fatalf("reports %d", resp.StatusCode)
	}
	resp, xl = cashier.do("GET", "/fees/reports/export.xlsx?year=115", nil)
	if f, err := excelize.OpenReader(strings.NewReader(xl)); resp.StatusCode != 200 || err != nil {
		t.Fatalf("report xlsx %d %v", resp.StatusCode, err)
	} else if v, _ := f.GetCellValue("彙總", "F15"); v != "230" {
		t.Fatalf("report xlsx November total %q", v)
	}

	if resp, _ := s.browser("supervisor", 0).do("GET", "/fees/schedule/new", nil); resp.StatusCode != 403 {
		t.Errorf("supervisor opens the schedule form: %d", resp.StatusCode)
	}
	sup := s.browser("admin", 0) // the city's schedule is the city level's
	resp, page = sup.do("GET", "/fees/schedule", nil)
	if resp.StatusCode != 200 || !strings.Contains(page, "施行中") || !strings.Contains(page, "第1張100元，第2張起每張15元") {
		t.Fatalf("schedule %d", resp.StatusCode)
	}
	resp, page = sup.do("GET", "/fees/schedule/new", nil)
	if resp.StatusCode != 200 || !strings.Contains(page, `value="英文戶籍謄本"`) {
		t.Fatalf("new version form %d", resp.StatusCode)
	}
	// Post the form back with one change: 戶籍謄本 20 from 116.1.1, and one removal.
	sch, _ := s.svc.VersionOn(s.ctx, s.svc.today())
	form := url.Values{"effective": {"116.1.1"}, "basis": {"戶政規費收費標準（測試）"}}
	for i, it := range sch.Items {
		row := itemRow(it)
		if it.Name == "戶籍謄本" {
			row.Amount = "20"
		}
		form.Add("code", row.Code)
		form.Add("name", row.Name)
		form.Add("measure", row.Measure)
		form.Add("amount", row.Amount)
		form.Add("further_from", row.FurtherFrom)
		form.Add("further_amount", row.FurtherAmount)
		form.Add("article", row.Article)
		form.Add("aliases", row.Aliases)
		form.Add("exemptions", row.Exemptions)
		if it.Code == "47" {
			form.Add("remove", fmt.Sprint(i))
		}
	}
	resp, page = sup.do("POST", "/fees/schedule", form)
	if resp.StatusCode != 303 {
		t.Fatalf("add version %d %s", resp.StatusCode, page)
	}
	nv, err := s.svc.VersionOn(s.ctx, mustDay("2027-01-01"))
	if err != nil || len(nv.Items) != len(sch.Items)-1 {
		t.Fatalf("new version %v %d items", err, len(nv.Items))
	}
	if it, _ := nv.Find("戶籍謄本"); it.Amount != 20 {
		t.Fatalf("new amount %d", it.Amount)
	}
	if it, _ := nv.Find("國民身分證換領"); len(it.Exemptions) != 2 {
		t.Fatalf("exemptions lost: %+v", it)
	}
	if resp, _ := cashier.do("GET", "/fees/schedule/new", nil); resp.StatusCode != 403 {
		t.Fatalf("cashier at schedule form: %d", resp.StatusCode)
	}
	// The future version may be withdrawn, once.
	resp, _ = sup.do("POST", fmt.Sprintf("/fees/schedule/%d/withdraw", nv.ID), url.Values{})
	if resp.StatusCode != 303 {
		t.Fatalf("withdraw %d", resp.StatusCode)
	}
	if v, _ := s.svc.VersionOn(s.ctx, mustDay("2027-01-01")); v.ID != sch.ID {
		t.Fatalf("withdrawn version still in force")
	}
	if resp, _ = sup.do("POST", fmt.Sprintf("/fees/schedule/%d/withdraw", sch.ID), url.Values{}); resp.StatusCode != 400 {
		t.Fatalf("withdrawing the version in force: %d", resp.StatusCode)
	}
}

func mustDay(s string) civil.Date {
	d, err := ParseDay(s, clock.System().Now())
	if err != nil {
		panic(err)
	}
	return d
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	if j := strings.Index(s, b); j >= 0 {
		return s[:j]
	}
	return ""
}
