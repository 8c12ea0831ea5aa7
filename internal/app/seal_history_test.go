package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/seal"
)

// bearer sends a request with an API token (no session, no CSRF), as a
// program acting for a clerk would.
func bearer(t *testing.T, e *env, tok, method, path, ctype string, body io.Reader) (int, string, *http.Response) {
	t.Helper()
	req, _ := http.NewRequest(method, e.Srv.URL+path, body)
	req.Header.Set("Authorization", "Bearer "+tok)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

// imprintForm is a multipart body with the file as field imprint.
func imprintForm(t *testing.T, file string, fields map[string]string) (string, *bytes.Buffer) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("imprint", filepath.Base(file))
	fw.Write(data)
	mw.Close()
	return mw.FormDataContentType(), &body
}

var comparisonPath = regexp.MustCompile(`^/seals/comparisons/\d+$`)

// The history of a seal decides whether it can be certified, at every office
// and through every route: a registration, a future-dated one refused, a
// backdated cancellation that waits for a supervisor and then ends the seal on
// its own date; from then on no office issues (or prints) a certificate on it
// — not the web form, not a program with an API token, not from the visit
// workbench — and the API says registered:false.
func TestSealHistoryDecidesCertificates(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	dataDir := e.App.Config.DataDir
	if err := seal.SeedDemo(ctx, e.DB, dataDir); err != nil { // sample imprints under demo/seal
		t.Fatal(err)
	}
	imprint := filepath.Join(dataDir, "demo", "seal", "A123456789_genuine.png")
	var p string
	if err := e.DB.QueryRow(ctx, `SELECT id_no FROM persons WHERE id_no NOT IN (SELECT person_id_no FROM seal_events) ORDER BY id LIMIT 1`).Scan(&p); err != nil {
		t.Fatal(err)
	}
	today := rocdate.Today(e.DB.Now())
	roc := rocdate.FormatShort
	events := func() int {
		var n int
		e.DB.QueryRow(ctx, `SELECT COUNT(*) FROM seal_events WHERE person_id_no = ?`, p).Scan(&n)
		return n
	}
	registered := func(tok string) bool {
		t.Helper()
		st, body, _ := bearer(t, e, tok, "GET", "/api/v1/persons/"+p+"/seal", "", nil)
		var h struct {
			Registered *bool `json:"registered"`
			Events     []struct {
				Kind string `json:"kind"`
			} `json:"events"`
		}
		if err := json.Unmarshal([]byte(body), &h); st != 200 || err != nil || h.Registered == nil {
			t.Fatalf("seal API: %d %v %.300s", st, err, body)
		}
		return *h.Registered
	}
	scanner, supervisor := e.loggedIn("scanner"), e.loggedIn("supervisor")
	clerk, clerk2 := e.loggedIn("clerk"), e.loggedIn("clerk2") // 西屯, 北屯
	tok2 := e.token("clerk2")
	record := func(kind string, day time.Time, reason string) (int, string, *http.Response) {
		t.Helper()
		if st, body := scanner.get("/seals/p/" + p + "/register"); st != 200 || !strings.Contains(body, `name="reason"`) {
			t.Fatalf("registration form: %d, no reason field", st)
		}
		return scanner.postFile("/seals/p/"+p+"/events", "imprint", imprint, map[string]string{"kind": kind, "date": roc(day), "reason": reason})
	}
	approveWaiting := func() {
		t.Helper()
		st, body := supervisor.get("/seals/approvals")
		m := regexp.MustCompile(`/seals/approvals/(\d+)/approve`).FindStringSubmatch(body)
		if st != 200 || m == nil {
			t.Fatalf("approvals page: %d, no request to approve\n%.500s", st, body)
		}
		if st, body, _ := supervisor.post("/seals/approvals/"+m[1]+"/approve", url.Values{"note": {"核對申請書無誤"}}, true); st != http.StatusSeeOther {
			t.Fatalf("approve: %d %.300s", st, body)
		}
	}

	// 1. The registration (登記), made ten days ago and recorded today: 補登,
	// so it needs a reason and waits for the supervisor.
	regDay := today.AddDate(0, 0, -10)
	if st, body, _ := record(seal.Register, regDay, ""); st != http.StatusBadRequest || !strings.Contains(body, "補登理由") {
		t.Fatalf("backdated registration without a reason: %d %.300s", st, body)
	}
	if st, _, _ := record(seal.Register, regDay, "民眾 10 日前臨櫃申請，系統故障未登錄"); st != http.StatusSeeOther {
		t.Fatalf("backdated registration: %d", st)
	}
	if events() != 0 || registered(tok2) {
		t.Fatal("a registration waiting for approval took effect")
	}
	approveWaiting()
	if events() != 1 || !registered(tok2) {
		t.Fatal("the approved registration is not in force")
	}

	// 2. A registration dated in the future is refused, nothing recorded.
	for _, day := range []time.Time{today.AddDate(0, 0, 1), today.AddDate(5, 0, 0)} {
		if st, body, _ := record(seal.Register, day, "x"); st != http.StatusBadRequest || !strings.Contains(body, "晚於今日") {
			t.Errorf("registration dated %s: %d %.300s", roc(day), st, body)
		}
	}
	// nor a cancellation dated before the registration
	if st, body, _ := record(seal.Cancel, regDay.AddDate(0, 0, -3), "x"); st != http.StatusBadRequest || !strings.Contains(body, "早於此人前一筆印鑑登記") {
		t.Errorf("cancellation before the registration: %d %.300s", st, body)
	}
	if events() != 1 {
		t.Fatalf("%d events after refused ones, want 1", events())
	}

	// While in force, 北屯 certifies it: compared, issued, printed.
	compare := func(c *client) (int, string) {
		t.Helper()
		c.get("/seals/p/" + p + "?purpose=核發印鑑證明")
		st, _, resp := c.postFile("/seals/p/"+p+"/compare", "imprint", imprint, map[string]string{"purpose": "核發印鑑證明"})
		return st, resp.Header.Get("Location")
	}
	issueForm := url.Values{"purpose": {"不動產登記"}, "applicant": {"self"}, "copies": {"1"}}
	st, cmp := compare(clerk2)
	if st != http.StatusSeeOther || !comparisonPath.MatchString(cmp) {
		t.Fatalf("compare at 北屯: %d %s", st, cmp)
	}
	clerk2.get(cmp)
	st, _, resp := clerk2.post(cmp+"/issue", issueForm, true)
	if st != http.StatusSeeOther {
		t.Fatalf("certificate at 北屯 while the seal is in force: %d", st)
	}
	certURL := resp.Header.Get("Location")
	if st, _ := clerk2.get(certURL + "/pdf"); st != 200 {
		t.Fatalf("certificate pdf: %d", st)
	}
	// comparisons made now, to try issuing on later: 西屯's and 北屯's
	_, cmpXitun := compare(clerk)
	_, cmpBeitun := compare(clerk2)

	// 3. The cancellation (註銷), effective yesterday, recorded today: it waits.
	cancelDay := today.AddDate(0, 0, -1)
	if st, body, _ := record(seal.Cancel, cancelDay, "民眾昨日申請註銷，今日補登"); st != http.StatusSeeOther {
		t.Fatalf("backdated cancellation: %d %.300s", st, body)
	}
	if events() != 1 || !registered(tok2) {
		t.Fatal("the cancellation took effect before its approval")
	}
	_, body := clerk2.get("/seals/p/" + p)
	contains(t, body, "目前登記印鑑", `id="seal-pending"`, "待主管核准的補登：印鑑註銷")
	// while it waits, no certificate (it could end the seal before the day of issue)
	clerk2.get(cmpBeitun)
	if st, body, _ := clerk2.post(cmpBeitun+"/issue", issueForm, true); st != http.StatusBadRequest || !strings.Contains(body, "待主管核准") {
		t.Errorf("certificate while the cancellation waits: %d %.300s", st, body)
	}
	// the visit workbench shows it among the person's open matters
	v := startVisit(t, clerk2, url.Values{"q": {p}, "kind": {"seal"}})
	var vj struct {
		Pending []struct{ Kind, Label string } `json:"pending"`
	}
	if st, body, _ := bearer(t, e, tok2, "GET", "/api/v1/visits/"+strings.TrimPrefix(v, "/visits/"), "", nil); st != 200 || json.Unmarshal([]byte(body), &vj) != nil {
		t.Fatalf("visit API: %d %.300s", st, body)
	}
	if len(vj.Pending) == 0 || vj.Pending[0].Kind != "seal" || !strings.Contains(vj.Pending[0].Label, "註銷補登待主管核准") {
		t.Errorf("visit pending: %+v", vj.Pending)
	}
	approveWaiting()
	var n int
	e.DB.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'seal.request.approve' AND username = 'supervisor' AND person_id_no = ?`, p).Scan(&n)
	if n != 2 {
		t.Errorf("%d approvals audited, want 2", n)
	}

	// 4. The seal is not in force: the API, the seal page, the visit workbench.
	if registered(tok2) {
		t.Error(`the API says "registered": true after the cancellation`)
	}
	for _, c := range []*client{clerk, clerk2} {
		_, body := c.get("/seals/p/" + p)
		contains(t, body, `id="seal-none"`, "（已註銷）", "不能核發印鑑證明")
		if strings.Contains(body, "目前登記印鑑") || strings.Contains(body, `action="/seals/p/`+p+`/compare"`) {
			t.Error("the seal page still offers the cancelled seal")
		}
	}
	_, body = clerk2.get(v)
	contains(t, body, "目前未登記印鑑（或已註銷），不能核發印鑑證明", "目前沒有有效的登記印鑑，不能核發印鑑證明")

	// No certificate at either office, through any route.
	certs := func() int {
		var n int
		e.DB.QueryRow(ctx, `SELECT COUNT(*) FROM seal_certificates WHERE person_id_no = ?`, p).Scan(&n)
		return n
	}
	for _, c := range []*client{clerk, clerk2} {
		if st, _ := compare(c); st != http.StatusConflict {
			t.Errorf("a new comparison on the cancelled seal: %d, want 409", st)
		}
	}
	for _, tc := range []struct {
		c   *client
		cmp string
	}{{clerk, cmpXitun}, {clerk2, cmpBeitun}} {
		_, body := tc.c.get(tc.cmp)
		contains(t, body, `id="not-certifiable"`, "沒有有效的登記印鑑")
		if strings.Contains(body, `id="issue"`) {
			t.Errorf("%s offers to issue on the cancelled seal", tc.cmp)
		}
		if st, body, _ := tc.c.post(tc.cmp+"/issue", issueForm, true); st != http.StatusBadRequest || !strings.Contains(body, "沒有有效的登記印鑑") {
			t.Errorf("web form issue on %s: %d %.300s", tc.cmp, st, body)
		}
	}
	// a program with 北屯's clerk's API token: the same routes, the same answer
	ct, mp := imprintForm(t, imprint, map[string]string{"purpose": "核發印鑑證明"})
	if st, _, _ := bearer(t, e, tok2, "POST", "/seals/p/"+p+"/compare", ct, mp); st != http.StatusConflict {
		t.Errorf("API-token compare on the cancelled seal: %d, want 409", st)
	}
	if st, body, _ := bearer(t, e, tok2, "POST", cmpBeitun+"/issue", "application/x-www-form-urlencoded", strings.NewReader(issueForm.Encode())); st != http.StatusBadRequest || !strings.Contains(body, "沒有有效的登記印鑑") {
		t.Errorf("API-token issue on the cancelled seal: %d %.300s", st, body)
	}
	// the certificate issued while in force is not printed again
	if st, body := clerk2.get(certURL + "/pdf"); st != http.StatusConflict || !strings.Contains(body, "已變更或註銷") {
		t.Errorf("printing a certificate of the cancelled seal: %d %.300s", st, body)
	}
	if certs() != 1 {
		t.Errorf("%d certificates, want the 1 issued while in force", certs())
	}
	var denied int
	e.DB.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'seal.certificate.issue' AND outcome = 'denied' AND person_id_no = ?`, p).Scan(&denied)
	if denied < 3 {
		t.Errorf("%d refused issues audited, want at least 3", denied)
	}
	// the history shows both events as approved backdated entries, newest first
	_, body = clerk.get("/seals/p/" + p)
	if i, j := strings.Index(body, "註銷<br><small"), strings.Index(body, "登記<br><small"); i < 0 || j < 0 || i > j {
		t.Errorf("history rows: cancellation at %d, registration at %d", i, j)
	}
}
