package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ebazhao/internal/notice"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/pdf/pdftest"
	"ebazhao/internal/platform/rocdate"
)

// noticeDocCount counts stored documents.
func noticeDocCount(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM documents`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var noticeDocLink = regexp.MustCompile(`/documents/(\d+)`)

var noticeDraftLink = regexp.MustCompile(`/fine-drafts/(\d+)`)

// noticeDraftFine drafts a late-registration fine through the form as user and
// returns the draft's path.
func noticeDraftFine(t *testing.T, c *client) string {
	t.Helper()
	c.get("/documents/new?kind=fine")
	form := url.Values{"kind": {"fine"}, "subtype": {"逾期申請"}, "item": {"死亡登記"}, "event_date": {"113.1.10"},
		"registration_date": {"113.2.20"}, "recipient_id_no": {"A123456789"}, "recipient_address_kind": {"household"}, "delivery": {"mail"}}
	st, body, resp := c.post("/documents/new", form, true)
	if st != http.StatusSeeOther {
		t.Fatalf("draft fine: status %d\n%s", st, body)
	}
	loc := resp.Header.Get("Location")
	if !noticeDraftLink.MatchString(loc) {
		t.Fatalf("draft fine redirected to %q", loc)
	}
	return loc
}

// noticeIssueFine drafts a late-registration fine through the form as user, has
// the office's supervisor approve it, and returns the numbered document's path.
func noticeIssueFine(t *testing.T, c *client) string {
	t.Helper()
	draft := noticeDraftFine(t, c)
	sup := c.e.loggedIn("supervisor")
	sup.get(draft)
	st, body, resp := sup.post(draft+"/approve", url.Values{"note": {"同意"}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("approve fine: status %d\n%.500s", st, body)
	}
	loc := resp.Header.Get("Location")
	if !noticeDocLink.MatchString(loc) || noticeDraftLink.MatchString(loc) {
		t.Fatalf("approve fine redirected to %q", loc)
	}
	return loc
}

func TestDocumentsHTTPIssueReadAmendAndPermissions(t *testing.T) {
	e := newEnv(t)
	clerk := e.loggedIn("clerk")

	st, page := clerk.get("/documents/new?kind=fine")
	if st != http.StatusOK {
		t.Fatalf("issue form: %d", st)
	}
	contains(t, page, "開立罰鍰裁處書", "受處分人", "違規態樣", "帶入內容")

	// The preview fills the text from the template and the legal engine.
	_, preview, _ := clerk.post("/documents/preview", url.Values{"kind": {"fine"}, "subtype": {"逾期申請"}, "item": {"死亡登記"},
		"event_date": {"113.1.10"}, "registration_date": {"113.2.20"}, "recipient_id_no": {"A123456789"}}, true)
	contains(t, preview, "王大明", "戶籍法第79條前段", "逾期5日", "新臺幣300元", "民國113年2月15日", `name="text_basis"`)

	path := noticeIssueFine(t, clerk)
	st, show := clerk.get(path)
	if st != http.StatusOK {
		t.Fatalf("show: %d", st)
	}
	contains(t, show, "中市西屯戶罰字第", "新臺幣300元", "列印 PDF", "修改")

	st, pdf := clerk.get(path + "/pdf")
	if st != http.StatusOK || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("pdf: %d %q", st, pdf[:min(20, len(pdf))])
	}

	// Another office's clerk reads it (history is city-wide) but cannot amend.
	other := e.loggedIn("clerk2")
	st, show2 := other.get(path)
	if st != http.StatusOK || strings.Contains(show2, `href="`+path+`/edit"`) {
		t.Fatalf("other office: status %d, edit link shown: %v", st, strings.Contains(show2, path+"/edit"))
	}
	contains(t, show2, "僅原承辦人得修改")
	if st, _ := other.get(path + "/edit"); st != http.StatusForbidden {
		t.Errorf("other office GET edit: %d, want 403", st)
	}
	before := noticeDocVersion(t, e, path)
	st, _, _ = other.post(path+"/edit", url.Values{"kind": {"fine"}, "subtype": {"逾期申請"}, "item": {"死亡登記"}, "event_date": {"113.1.10"},
		"registration_date": {"113.2.20"}, "recipient_id_no": {"A123456789"}, "reason": {"試圖修改"}}, true)
	if st != http.StatusForbidden {
		t.Errorf("other office POST edit: %d, want 403", st)
	}
	// The supervisor of the same office may not amend either; only the issuer.
	sup := e.loggedIn("supervisor")
	if st, _ := sup.get(path + "/edit"); st != http.StatusForbidden {
		t.Errorf("supervisor GET edit: %d, want 403", st)
	}
	if after := noticeDocVersion(t, e, path); after != before {
		t.Fatalf("refused amendments changed the version %d → %d", before, after)
	}
	// Not even the issuer amends an approved fine decision: it is cancelled and drafted again.
	st, body, _ := clerk.post(path+"/edit", url.Values{"kind": {"fine"}, "subtype": {"逾期申請"}, "item": {"死亡登記"}, "event_date": {"113.1.10"},
		"registration_date": {"113.2.20"}, "recipient_id_no": {"A123456789"}, "recipient_address_kind": {"service"},
		"recipient_address": {"臺中市西屯區臺灣大道三段99號"}, "reason": {"改寄指定送達地址"}}, true)
	if st != http.StatusConflict || !strings.Contains(body, "不得修改") {
		t.Fatalf("issuer amend of an approved fine: %d\n%.300s", st, body)
	}
	if v := noticeDocVersion(t, e, path); v != before {
		t.Errorf("version after a refused amendment %d, want %d", v, before)
	}

	// The person's history lists it, for any clerk.
	_, hist := other.get("/persons/A123456789/documents")
	contains(t, hist, "歷次行政文書", "罰鍰裁處書", "臺中市西屯區戶政事務所")
}

func noticeDocVersion(t *testing.T, e *env, path string) int {
	t.Helper()
	id := noticeDocLink.FindStringSubmatch(path)[1]
	var v int
	if err := e.DB.QueryRow(context.Background(), `SELECT version FROM documents WHERE id = ?`, id).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func noticeAPI(t *testing.T, c *client, method, path string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, c.e.Srv.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	json.Unmarshal(raw, &m)
	return resp.StatusCode, m
}

func TestDocumentsAPIBadInputIsChineseAndStoresNothing(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("clerk")
	c.get("/documents")
	cases := []struct {
		name string
		in   map[string]any
		want string
	}{
		{"malformed date", map[string]any{"kind": "fine", "subtype": "逾期申請", "item": "死亡登記", "event_date": "113.13.40", "registration_date": "113.2.20",
			"recipient": map[string]any{"id_no": "A123456789"}}, "事件發生日「113.13.40」格式錯誤"},
		{"unknown registration", map[string]any{"kind": "fine", "subtype": "逾期申請", "item": "飛行登記", "event_date": "113.1.10", "registration_date": "113.2.20",
			"recipient": map[string]any{"id_no": "A123456789"}}, "登記項目「飛行登記」不明"},
		{"event after registration", map[string]any{"kind": "fine", "subtype": "逾期申請", "item": "死亡登記", "event_date": "113.3.1", "registration_date": "113.2.20",
			"recipient": map[string]any{"id_no": "A123456789"}}, "不得晚於登記日期"},
		{"unknown person", map[string]any{"kind": "notice", "item": "死亡登記", "event_date": "113.7.1",
			"recipient": map[string]any{"id_no": "F123456784"}}, "查無民眾資料"},
		{"bad check digit", map[string]any{"kind": "notice", "item": "死亡登記", "event_date": "113.7.1",
			"recipient": map[string]any{"id_no": "A123456788"}}, "統一編號"},
		{"amount outside range", map[string]any{"kind": "fine", "subtype": "逾期申請", "item": "死亡登記", "event_date": "113.1.10", "registration_date": "113.2.20",
			"amount": 1200, "amount_reason": "情節重大", "recipient": map[string]any{"id_no": "A123456789"}}, "超出法定範圍"},
		{"reminded without a reminder", map[string]any{"kind": "fine", "subtype": "經催告仍不申請", "item": "死亡登記", "event_date": "113.1.10", "registration_date": "113.5.20",
			"recipient": map[string]any{"id_no": "A123456789"}}, "須填寫本所已送達之催告書文號"},
	}
	for _, tc := range cases {
		before := noticeDocCount(t, e)
		st, m := noticeAPI(t, c, "POST", "/api/v1/documents", tc.in)
		msg, _ := m["error"].(string)
		if st != http.StatusBadRequest || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: status %d, error %q, want 400 with %q", tc.name, st, msg, tc.want)
		}
		if after := noticeDocCount(t, e); after != before {
			t.Errorf("%s: %d documents stored by a refused request", tc.name, after-before)
		}
	}
	var seq int
	e.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM sequences WHERE scope LIKE 'doc.%'`).Scan(&seq)
	if seq != 0 {
		t.Errorf("refused requests took %d document number sequences", seq)
	}

	// A good fine through the API: 202, a draft without a number, with the
	// computed fine, awaiting the supervisor (作業規範 肆.一).
	st, m := noticeAPI(t, c, "POST", "/api/v1/documents", map[string]any{"kind": "fine", "subtype": "逾期申請", "item": "死亡登記",
		"event_date": "2024-01-10", "registration_date": "2024-02-20", "recipient": map[string]any{"id_no": "A123456789"}})
	if st != http.StatusAccepted || m["amount"] != float64(300) || m["status"] != "pending" || m["doc_no"] != nil {
		t.Fatalf("api draft: %d %v", st, m)
	}
	if n := noticeDocCount(t, e); n != 0 {
		t.Fatalf("a drafted fine stored %d documents", n)
	}
	// Another kind is issued and numbered at once: 201.
	st, m = noticeAPI(t, c, "POST", "/api/v1/documents", map[string]any{"kind": "notice", "item": "死亡登記",
		"event_date": civil.Of(e.DB.Now()).AddDays(-3).ISO(), "recipient": map[string]any{"id_no": "A123456789"}})
	if st != http.StatusCreated || !strings.HasSuffix(fmt.Sprint(m["doc_no"]), fmt.Sprintf("%03d0000001號", civil.Of(e.DB.Now()).ROCYear())) {
		t.Fatalf("api issue: %d %v", st, m)
	}
	st, list := noticeAPI(t, c, "GET", "/api/v1/documents?person=A123456789", nil)
	if docs, _ := list["documents"].([]any); st != http.StatusOK || len(docs) != 1 {
		t.Errorf("api list by person: %d %v", st, list)
	}
}

// noticeFetchPDF downloads a PDF in the browser (with its session) and returns it.
func noticeFetchPDF(t *testing.T, ctx context.Context, path string) []byte {
	t.Helper()
	js := `fetch(` + fmt.Sprintf("%q", path) + `).then(r => { if (!r.ok || r.headers.get('content-type') !== 'application/pdf') throw new Error('status ' + r.status + ' ' + r.headers.get('content-type')); return r.arrayBuffer(); })
	  .then(b => { let s = ''; const u = new Uint8Array(b); for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); return btoa(s); })`
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch %s: %v", path, err)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// noticePDFText is the text of a notice PDF with the spaces, line breaks and
// page breaks pdftotext puts between glyphs removed.
func noticePDFText(t *testing.T, b []byte) string {
	t.Helper()
	return strings.NewReplacer(" ", "", "\n", "", "\f", "").Replace(pdftest.Text(t, b))
}

func TestBrowserClerkIssuesOneTimeNoticeFromQuickPackageAndOpensPDF(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "clerk"), chromedp.SendKeys(chromedp.ID("password"), "demo\n"),
		chromedp.WaitVisible(chromedp.ID("home-q")))
	start := clock.Start()
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/documents/new?kind=onetime&package="+url.QueryEscape("出生登記")),
		chromedp.WaitVisible(chromedp.ID("recipient_id_no")))
	// The quick package checks its items; the clerk types the applicant's ID.
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name=items]:checked').length`))
	if err != nil || checked < 5 {
		t.Fatalf("quick package checked %d items (%v)", checked, err)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.ID("recipient_id_no"), "A123456789\t"),
		chromedp.WaitVisible(chromedp.ID("text")))
	// The recipient is filled from the register.
	noticeWaitValue(t, ctx, "#recipient_name", "王大明")
	shot(t, ctx, "notice-onetime-form")
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("text")), chromedp.Click(chromedp.ID("save")), chromedp.WaitVisible(chromedp.ID("print")))
	elapsed := start.Elapsed()
	shot(t, ctx, "notice-onetime-issued")
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	m := noticeDocLink.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("after saving at %s", loc)
	}
	main := text(t, ctx, "main")
	for _, w := range []string{"已開立一次告知單", fmt.Sprintf("中市西屯戶告字第%03d0000001號", civil.Of(e.DB.Now()).ROCYear()), "出生證明書正本"} {
		if !strings.Contains(main, w) {
			t.Errorf("issued page lacks %q", w)
		}
	}
	pdf := noticeFetchPDF(t, ctx, "/documents/"+m[1]+"/pdf")
	got := noticePDFText(t, pdf)
	for _, w := range []string{"戶籍登記一次告知單", "收執聯", "存根聯", "王大明", "出生登記", "戶籍法施行細則第20條", "出生證明書正本", "申請人簽章"} {
		if !strings.Contains(got, w) {
			t.Errorf("one-time notice PDF lacks %q", w)
		}
	}
	t.Logf("one-time notice issued in %v of browser time", elapsed.Round(time.Millisecond))
}

func noticeWaitValue(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	deadline := clock.After(10 * time.Second)
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(`+fmt.Sprintf("%q", sel)+`) || {}).value || ''`))
		if err == nil && v == want {
			return
		}
		if clock.Passed(deadline) {
			t.Fatalf("%s value %q, want %q (%v)", sel, v, want, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestBrowserIssueFormScreenshot(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "clerk"), chromedp.SendKeys(chromedp.ID("password"), "demo\n"),
		chromedp.WaitVisible(chromedp.ID("home-q")),
		chromedp.Navigate(e.Srv.URL+"/documents/new?kind=fine"), chromedp.WaitVisible(chromedp.ID("recipient_id_no")),
		chromedp.SendKeys(chromedp.ID("recipient_id_no"), "A123456789\t"))
	noticeWaitValue(t, ctx, "#recipient_name", "王大明")
	do(t, ctx,
		chromedp.SetValue(chromedp.ID("item"), "死亡登記"),
		chromedp.SendKeys(chromedp.ID("event_date"), "113.1.10\t"),
		chromedp.SendKeys(chromedp.ID("registration_date"), "113.2.20\t"),
		chromedp.Click(chromedp.CSS(`button[accesskey=i]`)),
		chromedp.WaitVisible(chromedp.ID("text")))
	noticeWaitText(t, ctx, "#preview", "新臺幣300元")
	shot(t, ctx, "notice-fine-form")
	pv := text(t, ctx, "#preview")
	for _, w := range []string{"民國113年2月15日", "逾期5日", "戶籍法第79條前段", "行政罰法第42條第6款"} {
		if !strings.Contains(pv, w) && !strings.Contains(noticeTextarea(t, ctx), w) {
			t.Errorf("fine preview lacks %q", w)
		}
	}
	do(t, ctx, chromedp.Click(chromedp.ID("save")), chromedp.WaitVisible(chromedp.ID("draft-pdf")))
	shot(t, ctx, "notice-fine-drafted")

	// A reminder: the kind is left to the law; the preview says which and why.
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/documents/new?kind=reminder&id_no=A123456789"), chromedp.WaitVisible(chromedp.ID("recipient_name")),
		chromedp.SetValue(chromedp.ID("item"), "出生登記"),
		chromedp.SendKeys(chromedp.ID("event_date"), "113.3.1\t"))
	noticeWaitText(t, ctx, "#preview", "催告後逕為登記及罰鍰")
	shot(t, ctx, "notice-reminder-form")
	do(t, ctx, chromedp.Click(chromedp.ID("save")), chromedp.WaitVisible(chromedp.ID("print")))
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/persons/A123456789/documents"), chromedp.WaitVisible(chromedp.ID("doc-history")))
	shot(t, ctx, "notice-history")
	hist := text(t, ctx, "#doc-history")
	// The fine is a draft awaiting the supervisor: not yet in the history.
	for _, w := range []string{"戶籍催告書", "催告後逕為登記及罰鍰"} {
		if !strings.Contains(hist, w) {
			t.Errorf("history lacks %q", w)
		}
	}
}

func noticeTextarea(t *testing.T, ctx context.Context) string {
	v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('#text') || {}).value || ''`))
	return v
}

func noticeWaitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	deadline := clock.After(10 * time.Second)
	for {
		v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(`+fmt.Sprintf("%q", sel)+`) || {}).innerText || ''`))
		if strings.Contains(v, want) || strings.Contains(noticeTextarea(t, ctx), want) {
			return
		}
		if clock.Passed(deadline) {
			t.Fatalf("%s lacks %q: %q", sel, want, v)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestDocumentsPagesTemplatesReportsAndDemo(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := notice.SeedDemo(ctx, e.DB); err != nil {
			t.Fatal(err)
		}
	}
	if n := noticeDocCount(t, e); n != 5 {
		t.Fatalf("demo documents: %d, want 5 (idempotent)", n)
	}
	clerk := e.loggedIn("clerk")
	for _, k := range []string{"notice", "reminder", "fine", "onetime", "confirm"} {
		st, page := clerk.get("/documents/new?kind=" + k + "&id_no=A123456789")
		if st != http.StatusOK || !strings.Contains(page, `name="kind" value="`+k+`"`) || !strings.Contains(page, "王大明") {
			t.Errorf("issue form %s: status %d", k, st)
		}
	}
	_, idx := clerk.get("/documents")
	contains(t, idx, "開立戶籍催告書", "中市西屯戶催字第", "王大明")
	_, hist := clerk.get("/persons/A123456789/documents")
	contains(t, hist, "歷次行政文書（5件", "戶籍通知單", "一次告知單")
	st, frag := clerk.get("/documents/recipient?recipient_id_no=A123456789&recipient_address_kind=current")
	if st != http.StatusOK {
		t.Fatalf("recipient fragment: %d", st)
	}
	contains(t, frag, `value="王大明"`, "資料取自民眾資料檔", `value="臺中市西屯區福科路100號"`)
	_, items := clerk.get("/documents/onetime-items?item=" + url.QueryEscape("補領國民身分證"))
	contains(t, items, "應由本人親自辦理（戶籍法第60條第1項）", "預設選單")

	// Templates: clerks read them, only supervisors revise them.
	_, list := clerk.get("/document-templates")
	contains(t, list, "逾期催告（催告後逕為登記及罰鍰）", "系統內建")
	if st, _ := clerk.get("/document-templates/new?from=1"); st != http.StatusForbidden {
		t.Errorf("clerk opened the template editor: %d", st)
	}
	sup := e.loggedIn("supervisor")
	st, form := sup.get("/document-templates/new?from=1")
	if st != http.StatusOK {
		t.Fatalf("supervisor template form: %d", st)
	}
	contains(t, form, "儲存為新版本", "可用欄位")
	var kind, subtype, item, body string
	e.DB.QueryRow(ctx, `SELECT kind, subtype, item, body FROM doc_templates WHERE id = 1`).Scan(&kind, &subtype, &item, &body)
	st, _, resp := sup.post("/document-templates", url.Values{"kind": {kind}, "subtype": {subtype}, "item": {item}, "name": {"通知申請戶籍登記（修訂）"},
		"body": {body + "\n（修訂版）"}, "effective_from": {"113.1.1"}, "deadline_rule": {"legal"}, "note": {"測試修訂"}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("save template: %d", st)
	}
	_, shown := sup.get(resp.Header.Get("Location"))
	contains(t, shown, "通知申請戶籍登記（修訂）", "第2版", "測試修訂")
	st, bad, _ := sup.post("/document-templates", url.Values{"kind": {kind}, "subtype": {subtype}, "item": {item}, "name": {"壞範本"},
		"body": {"主旨：{{不存在}}"}, "effective_from": {"113.1.1"}}, true)
	if st != http.StatusUnprocessableEntity || !strings.Contains(bad, "未知欄位") {
		t.Errorf("bad template: %d", st)
	}

	// Reports and the XLSX export.
	_, rep := sup.get("/documents/reports")
	contains(t, rep, "行政文書統計", "罰鍰裁處書", "王小明", "匯出 Excel")
	resp2, err := sup.http.Get(e.Srv.URL + "/documents/reports.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	xb, _ := io.ReadAll(resp2.Body)
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusOK || !bytes.HasPrefix(xb, []byte("PK")) || !strings.Contains(resp2.Header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("xlsx: %d %s", resp2.StatusCode, resp2.Header.Get("Content-Type"))
	}

	// The OpenAPI document describes the endpoints.
	_, api := clerk.get("/api/openapi.json")
	contains(t, api, `"/api/v1/documents"`, `"/api/v1/documents/{id}/cancel"`, `"DocumentInput"`, `"/api/v1/document-templates"`)
}

// Issue 17 item 11: the clerk drafts, the supervisor sees the queue on the home
// page and approves; only then is the decision numbered and printable.
func TestFineApprovalQueueHTTP(t *testing.T) {
	e := newEnv(t)
	clerk := e.loggedIn("clerk")
	draft := noticeDraftFine(t, clerk)
	st, page := clerk.get(draft)
	if st != http.StatusOK {
		t.Fatalf("draft page: %d", st)
	}
	contains(t, page, "待主管核准", "無文號，不得送達", "草稿預覽")
	if strings.Contains(page, "核准並編號") {
		t.Error("the clerk is offered the approval")
	}
	if st, pdf := clerk.get(draft + "/pdf"); st != http.StatusOK || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("draft pdf: %d", st)
	} else if txt := noticePDFText(t, []byte(pdf)); !strings.Contains(txt, "未經主管核准，不得送達") || strings.Contains(txt, "戶罰字第") {
		t.Errorf("draft pdf is not marked as a draft or carries a number")
	}
	// The clerk may not approve: 403, audited, nothing numbered.
	denied := e.deniedCount("access")
	if st, _, _ := clerk.post(draft+"/approve", url.Values{"note": {"自己核准"}}, true); st != http.StatusForbidden {
		t.Errorf("clerk approving: %d", st)
	}
	if e.deniedCount("access") != denied+1 {
		t.Error("the clerk's approval was refused without an audit entry")
	}
	if n := noticeDocCount(t, e); n != 0 {
		t.Fatalf("%d documents before approval", n)
	}
	// The supervisor's home page shows the queue; the queue lists the draft.
	sup := e.loggedIn("supervisor")
	_, home := sup.get("/")
	contains(t, home, "待核准罰鍰裁處書", `href="/fine-drafts"`)
	st, queue := sup.get("/fine-drafts")
	if st != http.StatusOK {
		t.Fatalf("queue: %d", st)
	}
	contains(t, queue, "罰鍰裁處書核准", "王大明", "新臺幣300元", "核准並編號")
	if st, _ := clerk.get("/fine-drafts"); st != http.StatusForbidden {
		t.Errorf("clerk opening the queue: %d", st)
	}
	path := noticeIssueFine(t, clerk)
	st, show := clerk.get(path)
	if st != http.StatusOK {
		t.Fatalf("approved document: %d", st)
	}
	contains(t, show, "中市西屯戶罰字第", "列印 PDF")
	if st, pdf := clerk.get(path + "/pdf"); st != http.StatusOK || !strings.Contains(noticePDFText(t, []byte(pdf)), "中市西屯戶罰字第") {
		t.Errorf("approved pdf: %d", st)
	}
	var approver string
	e.DB.QueryRow(context.Background(), `SELECT u.username FROM documents d JOIN users u ON u.id = d.approved_by WHERE d.id = ?`,
		noticeDocLink.FindStringSubmatch(path)[1]).Scan(&approver)
	if approver != "supervisor" {
		t.Errorf("approved_by %q", approver)
	}
}

// Issue 19: the 送達證書 coming back is recorded; the effective day and the
// reminder's last day are computed (行政程序法第74條; 戶籍法施行細則第19條).
func TestReminderServiceRecordedHTTP(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("clerk")
	today := rocdate.Today(e.DB.Now())
	var doc struct {
		ID    int64  `json:"id"`
		DocNo string `json:"doc_no"`
	}
	apiJSON(t, c, "POST", "/api/v1/documents", map[string]any{"kind": "reminder", "item": "出生登記", "event_date": rocdate.ISO(today.AddDate(0, -5, 0)),
		"delivery": "mail", "recipient": map[string]any{"id_no": "A123456789"}}, &doc)
	path := fmt.Sprintf("/documents/%d", doc.ID)
	_, page := c.get(path)
	contains(t, page, "送達紀錄", "尚未登錄送達", "登錄送達")
	st, body, _ := c.post(path+"/service", url.Values{"method": {"寄存送達"}, "date": {rocdate.FormatShort(today)}, "received_by": {""}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("record service: %d %.300s", st, body)
	}
	_, page = c.get(path)
	contains(t, page, "寄存送達", civilROC(today.AddDate(0, 0, 10)))
	if st, _, _ := c.post(path+"/service", url.Values{"method": {"電報"}, "date": {rocdate.FormatShort(today)}}, true); st != http.StatusBadRequest && st != http.StatusUnprocessableEntity {
		t.Errorf("unknown method: %d", st)
	}
}

func civilROC(t time.Time) string { return rocdate.Format(t) }
