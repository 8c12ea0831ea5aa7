package app_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"ebazhao/internal/agency"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/rocdate"
)

var (
	idemField = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)
	tokenRE   = regexp.MustCompile(`<code id="token-value">(agy_[^<]+)</code>`)
)

// agencyID finds an agency's id on the counter form (its checkbox).
func agencyID(t *testing.T, form, code string) string {
	t.Helper()
	m := regexp.MustCompile(`name="agency" value="(\d+)" id="ag-` + code + `"`).FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("agency %s not offered on the form", code)
	}
	return m[1]
}

// partnerCall is an agency's HTTP call with its own credential.
func partnerCall(t *testing.T, e *env, tok, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.Srv.URL+path, rd)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: status %d, body is not JSON: %v", method, path, resp.StatusCode, err)
	}
	return resp.StatusCode, out
}

// TestAgencyMoveReachesThreeAgencies is the "done when": a move filed
// at the counter for a demo person reaches three agencies; two pull it over the
// API and acknowledge it, one downloads the daily file over SFTP; the person's
// page shows each status and the statistics count it.
func TestAgencyMoveReachesThreeAgencies(t *testing.T) {
	e := newEnv(t)
	svc := e.App.Agency
	clerk := e.loggedIn("clerk")

	st, form := clerk.get("/agency/new?idno=A123456789&kind=move")
	if st != 200 {
		t.Fatalf("counter form: %d", st)
	}
	contains(t, form, "王大明", "臺中市西屯區福科路100號", "台灣電力公司台中區營業處")
	key := idemField.FindStringSubmatch(form)[1]
	tax, nhi, power := agencyID(t, form, "tax_taichung"), agencyID(t, form, "nhi_central"), agencyID(t, form, "taipower_taichung")
	vals := url.Values{"idempotency_key": {key}, "person_id_no": {"A123456789"}, "kind": {"move"},
		"f_old_address": {"臺中市西屯區福科路100號"}, "f_new_address": {"臺中市北屯區崇德路三段1號"}, "f_event_date": {"今天"},
		"agency": {tax, nhi, power}}
	// A bad date and a missing account number come back to the form with the typed values.
	st, body, _ := clerk.post("/agency/applications", vals, true)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "遷入登記日期") || !strings.Contains(body, "臺中市北屯區崇德路三段1號") {
		t.Fatalf("bad date: %d", st)
	}
	vals.Set("f_event_date", civil.Of(e.DB.Now()).ISO())
	st, body, _ = clerk.post("/agency/applications", vals, true)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "請填寫「台灣電力公司台中區營業處」的電號") {
		t.Fatalf("missing account: %d", st)
	}
	vals.Set("account_"+power, "07-1234-5678")
	st, _, resp := clerk.post("/agency/applications", vals, true)
	if st != http.StatusSeeOther {
		t.Fatalf("create: %d", st)
	}
	appURL := resp.Header.Get("Location")
	// The same form submitted again (double click, retry) is the same application.
	if _, _, resp2 := clerk.post("/agency/applications", vals, true); resp2.Header.Get("Location") != appURL {
		t.Errorf("resubmission went to %s, want %s", resp2.Header.Get("Location"), appURL)
	}
	var n int
	e.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM agency_applications`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d applications after a resubmission", n)
	}
	_, page := clerk.get(appURL)
	contains(t, page, "待簽名送出", "列印申請書（PDF）", "民眾已簽名，送出通報")
	pdfResp, err := clerk.http.Get(e.Srv.URL + appURL + "/pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdfBytes, _ := io.ReadAll(pdfResp.Body)
	pdfResp.Body.Close()
	if pdfResp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdfBytes, []byte("%PDF")) {
		t.Fatalf("PDF: %s %d bytes", pdfResp.Header.Get("Content-Type"), len(pdfBytes))
	}
	// Another office's clerk may look but not send.
	other := e.loggedIn("clerk2")
	other.get(appURL)
	if st, _, _ := other.post(appURL+"/send", nil, true); st != http.StatusForbidden {
		t.Errorf("another office sent: %d", st)
	}
	if st, _, _ := clerk.post(appURL+"/send", nil, true); st != http.StatusSeeOther {
		t.Fatalf("send: %d", st)
	}
	_, page = clerk.get(appURL)
	contains(t, page, "已送出", "已送出，待機關取件")

	// Partner credentials reach every office's citizens: an office supervisor may
	// not mint them; the city level (機房) issues them to the two API agencies and
	// a key to the file agency.
	if office := e.loggedIn("supervisor"); true {
		office.get("/agency")
		if st, _, _ := office.post("/agency/register/"+tax+"/tokens", url.Values{"name": {"介接"}}, true); st != http.StatusForbidden {
			t.Fatalf("an office supervisor mints a partner token: %d", st)
		}
	}
	sup := e.loggedIn("admin")
	tokens := map[string]string{}
	for _, id := range []string{tax, nhi} {
		sup.get("/agency/register/" + id)
		st, body, _ := sup.post("/agency/register/"+id+"/tokens", url.Values{"name": {"介接"}}, true)
		m := tokenRE.FindStringSubmatch(body)
		if st != 200 || m == nil {
			t.Fatalf("token for %s: %d", id, st)
		}
		tokens[id] = m[1]
	}
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(priv)
	sup.get("/agency/register/" + power)
	if st, _, _ := sup.post("/agency/register/"+power+"/keys", url.Values{"public_key": {string(ssh.MarshalAuthorizedKey(signer.PublicKey()))}}, true); st != http.StatusSeeOther {
		t.Fatalf("register key: %d", st)
	}

	// Partner API: wrong or missing credentials get JSON 401s; staff routes refuse agency credentials.
	if st, out := partnerCall(t, e, "", "GET", "/api/v1/partner/items", nil); st != 401 || out["error"] == nil {
		t.Errorf("no credential: %d %v", st, out)
	}
	if st, _ := partnerCall(t, e, "agy_not-a-real-token", "GET", "/api/v1/partner/items", nil); st != 401 {
		t.Errorf("bad credential: %d", st)
	}
	if st, _ := partnerCall(t, e, tokens[tax], "GET", "/api/v1/agency/persons/A123456789/items", nil); st != 401 {
		t.Errorf("agency credential on the staff API: %d, want 401", st)
	}
	for _, id := range []string{tax, nhi} {
		tok := tokens[id]
		st, out := partnerCall(t, e, tok, "GET", "/api/v1/partner/items?after=0&limit=10", nil)
		items, _ := out["items"].([]any)
		if st != 200 || len(items) != 1 {
			t.Fatalf("pull: %d %v", st, out)
		}
		it := items[0].(map[string]any)
		fields := it["fields"].(map[string]any)
		if it["seq"].(float64) != 1 || fields["new_address"] != "臺中市北屯區崇德路三段1號" || it["id_no"] != "A123456789" {
			t.Errorf("item: %v", it)
		}
		// The POST needs no CSRF token: agency credentials carry no cookies.
		if st, out := partnerCall(t, e, tok, "POST", "/api/v1/partner/items/1/ack", map[string]string{"result": "applied"}); st != 200 || out["duplicate"] != false {
			t.Fatalf("ack: %d %v", st, out)
		}
		if st, out := partnerCall(t, e, tok, "POST", "/api/v1/partner/items/1/ack", map[string]string{"result": "applied"}); st != 200 || out["duplicate"] != true {
			t.Errorf("duplicate ack: %d %v", st, out)
		}
		if st, _ := partnerCall(t, e, tok, "POST", "/api/v1/partner/items/1/ack", map[string]string{"result": "rejected", "reason": "x"}); st != http.StatusConflict {
			t.Errorf("conflicting ack: %d", st)
		}
		if st, _ := partnerCall(t, e, tok, "POST", "/api/v1/partner/items/2/ack", map[string]string{"result": "applied"}); st != http.StatusNotFound {
			t.Errorf("ack of a missing item: %d", st)
		}
		if st, out := partnerCall(t, e, tok, "GET", "/api/v1/partner/me", nil); st != 200 || out["unacknowledged"].(float64) != 0 {
			t.Errorf("me: %d %v", st, out)
		}
	}

	// The next day the daily file is made and the file agency downloads it over SFTP.
	tomorrow := e.DB.Now().Add(24 * time.Hour)
	svc.Now = func() time.Time { return tomorrow }
	defer func() { svc.Now = nil }()
	if sum, err := svc.GenerateDue(context.Background()); err != nil || len(sum.Errs) > 0 {
		t.Fatal(err, sum.Errs)
	}
	srv, err := svc.SFTPServer()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.ServeListener(ctx, ln)
	conn, err := ssh.Dial("tcp", ln.Addr().String(), &ssh.ClientConfig{User: "taipower_taichung", Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: ssh.FixedHostKey(srv.HostKey.PublicKey()), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sc, err := sftp.NewClient(conn)
	if err != nil {
		t.Fatal(err)
	}
	name := "taipower_taichung_" + rocdate.Today(e.DB.Now()).Format("20060102") + ".csv" // the file of the day before the job ran, by Taipei's calendar
	f, err := sc.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Contains(data, []byte("07-1234-5678")) {
		t.Errorf("daily file lacks the account number")
	}
	sc.Close()

	// The person's page (fragment) shows each agency's status.
	var status string
	for i := 0; i < 50; i++ {
		_, status = clerk.get("/agency/persons/A123456789/status")
		if strings.Contains(status, "機關已下載（SFTP）") {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	contains(t, status, "臺中市政府地方稅務局", "衛生福利部中央健康保險署中區業務組", "台灣電力公司台中區營業處", "機關已完成更新", "機關已下載（SFTP）")
	if c := strings.Count(status, "機關已完成更新"); c != 2 {
		t.Errorf("%d agencies shown as applied, want 2", c)
	}

	// Statistics count one application (份數) and three items (件數).
	// From yesterday: the default period (this month) would lose the day if the
	// clock crossed a month's end during the test.
	since := rocdate.ISO(rocdate.Today(e.DB.Now()).AddDate(0, 0, -1))
	st, statsBody := clerk.get("/api/v1/agency/stats?group=agency&from=" + since)
	var stats struct {
		Total agency.StatsRow `json:"total"`
		Rows  []agency.StatsRow
	}
	if err := json.Unmarshal([]byte(statsBody), &stats); err != nil || st != 200 {
		t.Fatalf("stats: %d %v %s", st, err, statsBody)
	}
	if stats.Total.Applications != 1 || stats.Total.Items != 3 || stats.Total.Applied != 2 || stats.Total.Delivered != 3 || len(stats.Rows) != 3 {
		t.Errorf("stats total %+v rows %d", stats.Total, len(stats.Rows))
	}
	st, page = clerk.get("/agency/stats?group=category&from=" + since)
	if st != 200 {
		t.Fatalf("stats by category: %d", st)
	}
	contains(t, page, "地方稅務", "健保", "電力")
	xr, err := clerk.http.Get(e.Srv.URL + "/agency/stats.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	xb, _ := io.ReadAll(xr.Body)
	xr.Body.Close()
	if xr.StatusCode != 200 || !bytes.HasPrefix(xb, []byte("PK")) {
		t.Errorf("xlsx export: %d %d bytes", xr.StatusCode, len(xb))
	}
	// Every step left an audit trail.
	for _, action := range []string{"agency.application.create", "agency.application.send", "agency.api.pull", "agency.api.ack", "agency.sftp.download", "agency.token.create"} {
		var c int
		e.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = ?`, action).Scan(&c)
		if c == 0 {
			t.Errorf("no audit entry %s", action)
		}
	}
}

func TestAgencyPagesByRole(t *testing.T) {
	e := newEnv(t)
	clerk := e.loggedIn("clerk")
	st, body := clerk.get("/agency")
	if st != 200 {
		t.Fatalf("index: %d", st)
	}
	contains(t, body, "N加e 跨機關通報", "開始通報")
	if st, _ := clerk.get("/agency/register"); st != http.StatusForbidden {
		t.Errorf("clerk on the register: %d", st)
	}
	if st, _ := clerk.get("/agency/new?idno=B999999999"); st != http.StatusNotFound {
		t.Errorf("unknown person: %d", st)
	}
	if st, _ := e.loggedIn("supervisor").get("/agency/register"); st != http.StatusForbidden {
		t.Errorf("an office supervisor on the city's register: %d", st)
	}
	sup := e.loggedIn("admin")
	st, body = sup.get("/agency/register")
	if st != 200 {
		t.Fatalf("register: %d", st)
	}
	contains(t, body, "交通部公路局臺中區監理所", "臺中市政府地方稅務局民權分局", "臺中市中山地政事務所", "財政部中區國稅局",
		"衛生福利部中央健康保險署中區業務組", "勞動部勞工保險局臺中辦事處", "台灣自來水公司第四區管理處", "欣林天然氣股份有限公司", "中華電信")
	// An administrator's edit is validated and kept.
	st, form := sup.get("/agency/register/new")
	if st != 200 {
		t.Fatal(st)
	}
	catID := regexp.MustCompile(`<option value="(\d+)"[^>]*>監理</option>`).FindStringSubmatch(form)[1]
	if st, body, _ := sup.post("/agency/register", url.Values{"code": {"Bad Code"}, "name": {"x"}, "category_id": {catID}, "delivery": {"api"}, "encoding": {"utf-8"}, "agreed_days": {"7"}}, true); st != http.StatusUnprocessableEntity || !strings.Contains(body, "機關代碼") {
		t.Errorf("bad code: %d", st)
	}
	st, _, resp := sup.post("/agency/register", url.Values{"code": {"mvdo_test"}, "name": {"測試監理站"}, "category_id": {catID}, "delivery": {"sftp"},
		"encoding": {"big5"}, "agreed_days": {"5"}, "active": {"on"}, "kind_move": {"1"}, "field_move": {"new_address", "event_date"}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("create agency: %d", st)
	}
	_, edit := sup.get(resp.Header.Get("Location"))
	contains(t, edit, "測試監理站", "mvdo_test")
	a, err := e.App.Agency.AgencyByCode(context.Background(), "mvdo_test")
	if err != nil || a.Encoding != "big5" || a.AgreedDays != 5 || strings.Join(a.Kinds["move"], ",") != "new_address,event_date" {
		t.Errorf("stored agency %+v %v", a, err)
	}
	if st, _ := sup.get("/agency/overdue"); st != 200 {
		t.Errorf("overdue: %d", st)
	}
	// The OpenAPI document describes the partner API.
	_, doc := clerk.get("/api/openapi.json")
	contains(t, doc, "/api/v1/partner/items", "/api/v1/partner/acks", "PartnerItem")
}

func TestAgencyStaffAPIIsIdempotent(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("clerk")
	_, body := c.get("/api/v1/agency/agencies?kind=move")
	var list struct {
		Agencies []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"agencies"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Agencies) < 40 {
		t.Fatalf("agencies: %v %d", err, len(list.Agencies))
	}
	var tax int64
	for _, a := range list.Agencies {
		if a.Code == "tax_taichung" {
			tax = a.ID
		}
	}
	post := func(key string) (int, map[string]any, http.Header) {
		b, _ := json.Marshal(map[string]any{"kind": "move", "person_id_no": "A123456789", "send": true,
			"fields":   map[string]string{"old_address": "臺中市西屯區福科路100號", "new_address": "臺中市南屯區公益路二段1號", "event_date": civil.Of(e.DB.Now()).ISO()},
			"agencies": []map[string]any{{"agency_id": tax}}})
		req, _ := http.NewRequest("POST", e.Srv.URL+"/api/v1/agency/applications", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", c.csrf)
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out, resp.Header
	}
	if st, out, _ := post(""); st != 400 || !strings.Contains(fmt.Sprint(out["error"]), "Idempotency-Key") {
		t.Errorf("without a key: %d %v", st, out)
	}
	st, first, _ := post("api-retry-key-0000001")
	if st != 201 || first["status"] != "sent" {
		t.Fatalf("create: %d %v", st, first)
	}
	st, again, h := post("api-retry-key-0000001")
	if st != 200 || again["id"] != first["id"] || h.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay: %d %v", st, again)
	}
	var n int
	e.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM agency_items WHERE seq IS NOT NULL`).Scan(&n)
	if n != 1 {
		t.Errorf("%d released items after a replayed request, want 1", n)
	}
}

func TestAgencySignedScanUpload(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("clerk")
	a, err := e.App.Agency.AgencyByCode(context.Background(), "tax_taichung")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"kind": "move", "person_id_no": "A123456789", "send": true,
		"fields":   map[string]string{"old_address": "臺中市西屯區福科路100號", "new_address": "臺中市南屯區公益路二段1號", "event_date": civil.Of(e.DB.Now()).ISO()},
		"agencies": []map[string]any{{"agency_id": a.ID}}})
	c.get("/agency")
	req, _ := http.NewRequest("POST", e.Srv.URL+"/api/v1/agency/applications", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	req.Header.Set("Idempotency-Key", "scan-test-key-000001")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var app struct{ ID int64 }
	json.NewDecoder(resp.Body).Decode(&app)
	resp.Body.Close()
	upload := func(content []byte) int {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf_token", c.csrf)
		fw, _ := mw.CreateFormFile("scan", "signed.pdf")
		fw.Write(content)
		mw.Close()
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/agency/applications/%d/scan", e.Srv.URL, app.ID), &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := upload([]byte("just some text, not a scan")); st != http.StatusBadRequest {
		t.Errorf("text upload: %d", st)
	}
	scan := minimalPDF("signed application scan")
	if st := upload(scan); st != http.StatusSeeOther {
		t.Fatalf("pdf upload: %d", st)
	}
	st, body := c.get(fmt.Sprintf("/agency/applications/%d/scan", app.ID))
	if st != 200 || body != string(scan) {
		t.Errorf("scan view: %d %q", st, body)
	}
}
