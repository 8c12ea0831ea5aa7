package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/seal"
)

// dueSealCertificate issues a seal certificate for idNo at the clerk's office
// through the seal subsystem, leaving its fee due (as the seal counter does).
func dueSealCertificate(t *testing.T, e *env, idNo string, copies int) *seal.Certificate {
	t.Helper()
	ctx := context.Background()
	clerk, err := e.App.Auth.UserByName(ctx, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	o, _ := e.App.Offices.ByID(ctx, clerk.OfficeID)
	actor := audit.Actor{UserID: clerk.ID, Username: clerk.Username, OfficeID: clerk.OfficeID}
	st := &seal.Store{DB: e.DB}
	if _, err := st.Current(ctx, idNo); err != nil {
		ev := &seal.Event{PersonIDNo: idNo, Kind: seal.Register, Date: st.Today(), OfficeID: clerk.OfficeID,
			ClerkID: clerk.ID, ClerkName: clerk.DisplayName, ImprintRef: "test-imprint", Source: "test"}
		if err := st.AddEvent(ctx, actor, ev); err != nil {
			t.Fatal(err)
		}
	}
	cur, err := st.Current(ctx, idNo)
	if err != nil {
		t.Fatal(err)
	}
	c := &seal.Comparison{PersonIDNo: idNo, EventID: cur.ID, OfficeID: clerk.OfficeID, UserID: clerk.ID, Purpose: "核發印鑑證明",
		CandRef: "c", OverlayRef: "o", RefLayerRef: "r", CandLayerRef: "l", Score: 0.97, Verdict: "match"}
	if err := st.AddComparison(ctx, actor, c); err != nil {
		t.Fatal(err)
	}
	cert, err := st.Issue(ctx, actor, seal.IssueRequest{ComparisonID: c.ID, Purpose: "不動產登記", Applicant: "self", Copies: copies,
		OfficeID: clerk.OfficeID, OfficeCode: o.Code, UserName: clerk.DisplayName})
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

var visitPath = regexp.MustCompile(`^/visits/(\d+)$`)

// startVisit starts a visit over HTTP and returns its path.
func startVisit(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	c.get("/visits?new=1")
	st, body, resp := c.post("/visits", form, true)
	if st != http.StatusSeeOther {
		t.Fatalf("start visit: %d %s", st, body)
	}
	loc := resp.Header.Get("Location")
	if !visitPath.MatchString(loc) {
		t.Fatalf("start visit went to %q", loc)
	}
	return loc
}

func TestVisitMoveInOverHTTP(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	term, counter := pairTerminal(t, e, 0)
	_ = term
	cert := dueSealCertificate(t, e, "A123456789", 2)
	clerk := e.loggedIn("clerk")

	// The start page offers the counter while the session has none.
	st, body := clerk.get("/visits")
	if st != 200 {
		t.Fatalf("start page: %d", st)
	}
	contains(t, body, `id="visit-q"`, `id="visit-counter"`, "1 遷徙（遷入、住址變更）")
	// A bad ID number is refused with a message, nothing is started.
	st, body, _ = clerk.post("/visits", url.Values{"q": {"A123456788"}}, true)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "統一編號") {
		t.Fatalf("bad id: %d", st)
	}
	v := startVisit(t, clerk, url.Values{"q": {"a123456789"}, "kind": {"move"}, "counter_id": {fmtInt(counter.ID)}})
	st, body = clerk.get(v)
	if st != 200 {
		t.Fatalf("visit screen: %d", st)
	}
	contains(t, body, "王大明", "A123456789", "臺中市西屯區福科路100號", "建議辦理：遷徙", "N加e 跨機關通報（遷徙）",
		"貼心小叮嚀：遷徙", "收取規費（一張收據）", "印鑑證明規費待收", cert.Number, "待收 40 元", `role="listbox"`, "開立戶籍催告書",
		`id="pal-q"`, counter.Name)
	// Scanning the same card again resumes the visit.
	if again := startVisit(t, clerk, url.Values{"q": {"A123456789"}}); again != v {
		t.Fatalf("same person started %s, want %s", again, v)
	}

	// N加e: the move kind, old address and today filled in; agencies by number.
	st, body = clerk.get(v + "/agency?kind=move")
	if st != 200 {
		t.Fatalf("agency panel: %d", st)
	}
	contains(t, body, `id="af-new_address"`, `value="臺中市西屯區福科路100號"`, `id="agency-pick"`)
	if !regexp.MustCompile(`id="af-new_address"[^>]*data-autofocus`).MatchString(body) {
		t.Error("focus is not on the new address")
	}
	key := regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`).FindStringSubmatch(body)[1]
	form := url.Values{"idempotency_key": {key}, "kind": {"move"}, "f_old_address": {"臺中市西屯區福科路100號"},
		"f_new_address": {"臺中市北屯區崇德路三段1號"}, "f_event_date": {"114.1.2"}, "pick": {"99"}}
	_, body, _ = clerk.post(v+"/agency", form, true)
	contains(t, body, "沒有編號 99 的機關", `id="agency-error"`)
	form.Set("pick", "1 2")
	st, body, _ = clerk.post(v+"/agency", form, true)
	if st != 200 || !strings.Contains(body, `id="agency-send"`) {
		t.Fatalf("agency create: %d %s", st, body)
	}
	send := regexp.MustCompile(`hx-post="(/visits/\d+/agency/\d+/send)"`).FindStringSubmatch(body)[1]
	st, body, _ = clerk.post(send, nil, true)
	if st != 200 || !strings.Contains(body, `id="agency-sent"`) || strings.Count(body, "已送出，待機關取件") != 2 {
		t.Fatalf("agency send: %d %s", st, body)
	}

	// Fees: the due seal certificate is ticked; two typed items; one receipt.
	st, body = clerk.get(v + "/fees")
	if st != 200 {
		t.Fatalf("fee panel: %d", st)
	}
	contains(t, body, "印鑑證明 "+cert.Number, `value="seal:`)
	idem := regexp.MustCompile(`name="idem" value="([^"]+)"`).FindStringSubmatch(body)[1]
	ff := url.Values{"idem": {idem}, "charge": {"seal:" + fmtInt(cert.ID)}, "item": {"02", "國民身分證換領", "", ""}, "qty": {"2", "", "", ""}, "payment": {"cash"}}
	_, qbody, _ := clerk.post(v+"/fees/quote", ff, true)
	contains(t, qbody, "120 元")
	st, body, _ = clerk.post(v+"/fees", ff, true)
	if st != 200 || !strings.Contains(body, `id="receipt-done"`) {
		t.Fatalf("issue: %d %s", st, body)
	}
	contains(t, body, "合計 <span class=\"total\" id=\"receipt-total\">120</span>", "服務評分機已啟動", "印鑑證明", "戶籍謄本", "國民身分證換領")
	number := regexp.MustCompile(`id="receipt-no">([0-9-]+)<`).FindStringSubmatch(body)[1]
	var feeStatus, feeRef string
	if err := e.DB.QueryRow(ctx, `SELECT fee_status, fee_ref FROM seal_certificates WHERE id = ?`, cert.ID).Scan(&feeStatus, &feeRef); err != nil {
		t.Fatal(err)
	}
	if feeStatus != "paid" || feeRef != number {
		t.Errorf("certificate fee %s %q, want paid %q", feeStatus, feeRef, number)
	}
	var windows int
	e.DB.QueryRow(ctx, `SELECT COUNT(*) FROM rating_windows WHERE counter_id = ? AND trigger_kind = 'receipt'`, counter.ID).Scan(&windows)
	if windows != 1 {
		t.Errorf("%d rating windows opened, want 1", windows)
	}
	// The same form again is a replay: the same receipt, nothing new.
	_, body, _ = clerk.post(v+"/fees", ff, true)
	contains(t, body, "此收據先前已開立", number)
	var receipts int
	e.DB.QueryRow(ctx, `SELECT COUNT(*) FROM fee_receipts`).Scan(&receipts)
	if receipts != 1 {
		t.Fatalf("%d receipts after a replay", receipts)
	}
	// A charge paid meanwhile: nothing is issued, no number is used.
	ff.Set("idem", "another-form-key-000001")
	_, body, _ = clerk.post(v+"/fees", ff, true)
	contains(t, body, `id="fee-error"`, "已由他人收取")
	e.DB.QueryRow(ctx, `SELECT COUNT(*) FROM fee_receipts`).Scan(&receipts)
	if receipts != 1 {
		t.Fatalf("%d receipts after a failed settle", receipts)
	}

	// The screen shows what was done, ticked.
	_, body = clerk.get(v + "/side")
	contains(t, body, "N加e 通報送出", "收取規費", number, "沒有待收規費")
	if strings.Count(body, `class="done"`) != 2 {
		t.Errorf("want 2 steps done (N加e, fees):\n%s", body)
	}
	// JSON for the same visit.
	st, body = clerk.get("/api/v1/visits/" + strings.TrimPrefix(v, "/visits/"))
	if st != 200 {
		t.Fatalf("api: %d %s", st, body)
	}
	var j struct {
		Status   string `json:"status"`
		Activity []struct {
			Action string `json:"action"`
		} `json:"activity"`
		Receipts []struct {
			Number string `json:"number"`
		} `json:"receipts"`
	}
	if err := json.Unmarshal([]byte(body), &j); err != nil {
		t.Fatal(err)
	}
	if j.Status != "open" || len(j.Receipts) != 1 || j.Receipts[0].Number != number || len(j.Activity) < 4 {
		t.Errorf("api visit %+v", j)
	}

	// Only its clerk opens a visit.
	if st, _ := e.loggedIn("supervisor").get(v); st != http.StatusForbidden {
		t.Errorf("another user opened the visit: %d", st)
	}
	// The supervisor's view counts it.
	sup := e.loggedIn("supervisor")
	st, body = sup.get("/visits/office")
	if st != 200 {
		t.Fatalf("office view: %d", st)
	}
	contains(t, body, `hx-trigger="every 12s"`, "王大明", "A******789", `id="t-receipts">1<`, "120")
	if st, _ := clerk.get("/visits/office"); st != http.StatusForbidden {
		t.Errorf("clerk saw the office view: %d", st)
	}
	// End: the visit is read-only afterwards.
	st, _, resp := clerk.post(v+"/end", nil, true)
	if st != http.StatusSeeOther || resp.Header.Get("Location") != "/visits?new=1" {
		t.Fatalf("end: %d %s", st, resp.Header.Get("Location"))
	}
	_, body = clerk.get(v)
	contains(t, body, "服務已結束", "結束臨櫃服務")
	if st, _, _ := clerk.post(v+"/fees", ff, true); st != http.StatusConflict {
		t.Errorf("fees after the end: %d", st)
	}
	// With no open visit, /visits is the start form again.
	if st, body := clerk.get("/visits"); st != 200 || !strings.Contains(body, `id="visit-q"`) {
		t.Errorf("start page after the end: %d", st)
	}
}

func TestVisitStartByName(t *testing.T) {
	e := newEnv(t)
	clerk := e.loggedIn("clerk")
	clerk.get("/visits")
	st, body, _ := clerk.post("/visits", url.Values{"q": {"王"}}, true)
	if st != 200 || !strings.Contains(body, "A123456789") || !strings.Contains(body, "姓名以「王」開頭") {
		t.Fatalf("name search: %d", st)
	}
	st, body, _ = clerk.post("/visits", url.Values{"q": {"查無此人"}}, true)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "查無姓名") {
		t.Fatalf("unknown name: %d", st)
	}
	c, _ := idno.CheckDigit("F13110409")
	unknown := "F13110409" + string(c)
	st, body, _ = clerk.post("/visits", url.Values{"q": {unknown}}, true)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "/persons/new?id_no="+unknown) {
		t.Fatalf("unknown id: %d %s", st, body)
	}
}

// TestVisitBirthSuggestsFollowUps: after a birth registration the screen
// suggests the birth-subsidy calculator (pre-filled), the newborn's health
// insurance N加e notification (the parent as applicant) and the 出生 tips;
// a form of the library prints pre-filled for the person.
func TestVisitBirthSuggestsFollowUps(t *testing.T) {
	e := newEnv(t)
	clerk := e.loggedIn("clerk")
	v := startVisit(t, clerk, url.Values{"q": {"A123456789"}})
	_, body := clerk.get(v)
	contains(t, body, "選擇「本次辦理」後列出更多建議", `<option value="">（請選擇）</option>`)
	st, _, resp := clerk.post(v+"/kind", url.Values{"kind": {"birth"}}, true)
	if st != http.StatusSeeOther || resp.Header.Get("Location") != v {
		t.Fatalf("set kind: %d", st)
	}
	_, body = clerk.get(v)
	contains(t, body, "建議辦理：出生", "生育津貼試算", "/calc/birth-subsidy?application_date=", "newborn_registered_in_taichung=on",
		"新生兒健保卡 N加e 通報", "貼心小叮嚀：出生", `hx-get="/visits/`+strings.TrimPrefix(v, "/visits/")+`/agency?kind=birth"`)
	_, body = clerk.get(v + "/agency?kind=birth")
	contains(t, body, `id="af-child_name"`, `id="af-applicant_name" name="applicant_name" value="王大明"`, `value="父"`)
	if !regexp.MustCompile(`id="af-child_name"[^>]*data-autofocus`).MatchString(body) {
		t.Error("focus is not on the newborn's name")
	}
	_, body = clerk.get(v + "/tips?cat=birth")
	contains(t, body, `name="kind" value="birth"`, `name="registered" value="出生登記"`, `name="idno" value="A123456789"`)
	// A form from the palette: printed for the person by the forms subsystem.
	_, body = clerk.get(v)
	m := regexp.MustCompile(`data-panel="forms/([^"]+)"`).FindAllStringSubmatch(body, -1)
	var forms int
	e.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM forms WHERE retired_at = ''`).Scan(&forms)
	if forms < 20 || len(m) != forms {
		t.Fatalf("palette lists %d forms of %d", len(m), forms)
	}
	var filled bool
	for _, f := range m[:20] {
		st, fb := clerk.get(v + "/forms/" + f[1])
		if st != 200 || !strings.Contains(fb, `action="/forms/`+f[1]+`/print"`) {
			t.Fatalf("form panel %s: %d", f[1], st)
		}
		if strings.Contains(fb, `name="person_a" value="A123456789"`) {
			filled = true
			st, _, resp := clerk.post("/forms/"+f[1]+"/print", url.Values{"mode": {"filled"}, "person_a": {"A123456789"}}, true)
			if st != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
				t.Fatalf("filled print of %s: %d %s", f[1], st, resp.Header.Get("Content-Type"))
			}
			break
		}
	}
	if !filled {
		t.Error("no form among the first 20 prints pre-filled for the person")
	}
	_, body = clerk.get(v + "/side")
	contains(t, body, "列印表單")
}
