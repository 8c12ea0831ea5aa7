package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ebazhao/internal/platform/pdf/pdftest"
	"ebazhao/internal/platform/rocdate"
)

func (c *client) ftPost(path string, form url.Values) (int, []byte, http.Header) {
	c.e.t.Helper()
	form.Set("csrf_token", c.csrf)
	resp, err := c.http.PostForm(c.e.Srv.URL+path, form)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

func TestFormsClerkPrintsFilledHouseholdApplication(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("clerk")
	st, body := c.get("/forms?q=戶籍登記")
	if st != 200 {
		t.Fatalf("search status %d", st)
	}
	contains(t, body, "戶籍登記申請書", "相關便民資訊")
	// Enter in the search box opens the best match.
	resp, err := c.http.Get(e.Srv.URL + "/forms?q=" + url.QueryEscape("戶籍登記申") + "&open=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); loc != "/forms/household-application" {
		t.Fatalf("open best match: Location %q", loc)
	}
	st, body = c.get("/forms/household-application")
	if st != 200 {
		t.Fatalf("form page %d", st)
	}
	contains(t, body, "列印填妥表單", "person_a", "現行第 1 版")
	st, pdf, hdr := c.ftPost("/forms/household-application/print", url.Values{"mode": {"filled"}, "person_a": {"A123456789"},
		"case_item": {"遷入"}, "case_new_address": {"臺中市北屯區崇德路一段1號"}})
	if st != 200 || hdr.Get("Content-Type") != "application/pdf" {
		t.Fatalf("print status %d %s: %.300s", st, hdr.Get("Content-Type"), pdf)
	}
	txt := pdftest.Text(t, pdf)
	for _, w := range []string{"戶 籍 登 記 申 請 書", "王大明", "民國69年5月20日", "臺中市西屯區福科路100號", "臺中市北屯區崇德路一段1號", "☑遷入", "臺中市西屯區戶政事務所"} {
		if !strings.Contains(txt, w) {
			t.Errorf("printed form lacks %q", w)
		}
	}
	var n int
	e.DB.QueryRow(t.Context(), `SELECT COALESCE(SUM(n), 0) FROM form_print_stats WHERE mode = 'filled'`).Scan(&n)
	if n != 1 {
		t.Errorf("filled prints counted = %d, want 1", n)
	}
	var audited int
	e.DB.QueryRow(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = 'form.print' AND person_id_no = 'A123456789'`).Scan(&audited)
	if audited != 1 {
		t.Errorf("pre-filled print audited %d times, want 1", audited)
	}
	// An unknown person is a clear message on the form page, not a PDF.
	st, b, _ := c.ftPost("/forms/household-application/print", url.Values{"mode": {"filled"}, "person_a": {"A123456780"}})
	if st != http.StatusBadRequest || !strings.Contains(string(b), "統一編號") {
		t.Errorf("bad ID: status %d", st)
	}
}

func TestTipsPublicWithoutLoginAndNoStaffData(t *testing.T) {
	e := newEnv(t)
	anon := e.client()
	for _, p := range []string{"/tips", "/tips/birth", "/tips/birth/birth-nhi", "/tips?q=健保"} {
		st, body := anon.get(p)
		if st != 200 {
			t.Fatalf("%s: status %d", p, st)
		}
		for _, leak := range []string{"登出", "system", "維護", "王小明", "/tips/manage", "A123456789"} {
			if strings.Contains(body, leak) {
				t.Errorf("%s shows %q to the public", p, leak)
			}
		}
	}
	_, body := anon.get("/tips/birth")
	contains(t, body, "新生兒全民健康保險加保", "0800-030-598", "臺中市生育津貼", "第3胎3萬元")
	// Staff pages stay behind the login.
	for _, p := range []string{"/tips/counter", "/tips/manage", "/forms", "/forms/household-application"} {
		resp, err := anon.http.Get(e.Srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("%s without login: status %d %s", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, _ := anon.http.Get(e.Srv.URL + "/api/v1/tips/for-registration/birth")
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("tips API without login: %d", resp.StatusCode)
	}
	st, _, _ := anon.post("/tips/counter/sheet", url.Values{"kind": {"birth"}}, true)
	if st != http.StatusSeeOther && st != http.StatusForbidden && st != http.StatusUnauthorized {
		t.Errorf("sheet without login: %d", st)
	}
}

func TestTipsSheetForNewbornParent(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("clerk")
	st, body := c.get("/tips/counter?kind=birth")
	if st != 200 {
		t.Fatalf("counter page %d", st)
	}
	contains(t, body, "列印貼心小叮嚀", "新生兒全民健康保險加保及健保卡")
	st, pdf, _ := c.ftPost("/tips/counter/sheet", url.Values{"kind": {"birth"}, "idno": {"A123456789"}, "registered": {"出生登記"}})
	if st != 200 {
		t.Fatalf("sheet status %d: %.300s", st, pdf)
	}
	txt := pdftest.Text(t, pdf)
	for _, w := range []string{"戶 政 貼 心 小 叮 嚀", "王大明 君您好", "出生登記", "新生兒全民健康保險加保及健保卡", "臺中市生育津貼", "0800-030-598"} {
		if !strings.Contains(txt, w) {
			t.Errorf("sheet lacks %q", w)
		}
	}
	if strings.Count(txt, "\f") > 1 {
		t.Errorf("sheet has %d pages, want 1", strings.Count(txt, "\f"))
	}
	// The API gives the right tips after a registration kind.
	resp, err := c.http.Get(e.Srv.URL + "/api/v1/tips/for-registration/death")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Category struct{ Code string }
		Items    []struct{ Title string }
	}
	json.NewDecoder(resp.Body).Decode(&out)
	if out.Category.Code != "death" || len(out.Items) < 5 {
		t.Errorf("tips for death: %+v", out)
	}
}

// Forms and tips are the city's masters: the city level (機房) maintains them,
// neither a clerk nor an office's supervisor (issue 17, item 2).
func TestFormsMaintenanceOnlyByTheCity(t *testing.T) {
	e := newEnv(t)
	clerk := e.loggedIn("clerk")
	clerk.get("/forms")
	st, _, _ := clerk.post("/forms/household-application/retire", url.Values{}, true)
	if st != http.StatusForbidden {
		t.Errorf("clerk retires a form: status %d", st)
	}
	for _, p := range []string{"/forms/household-application/versions/new", "/forms/new", "/tips/manage"} {
		if st, _ := e.loggedIn("supervisor").get(p); st != http.StatusForbidden {
			t.Errorf("office supervisor on %s: %d", p, st)
		}
	}
	sup := e.loggedIn("admin")
	st, body := sup.get("/forms/household-application/versions/new")
	if st != 200 {
		t.Fatalf("new version page %d", st)
	}
	contains(t, body, "範本定義", "a.name")
	st, body, _ = sup.post("/forms/household-application/versions", url.Values{"effective_from": {"100.1.1"}, "note": {"x"}, "spec": {`{"title":"x","blocks":[{"kind":"text","text":"y"}]}`}}, true)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "生效日期不可早於今天") {
		t.Errorf("back-dated version: status %d", st)
	}
}

func (c *client) ftGet(path string) (int, []byte, http.Header) {
	c.e.t.Helper()
	resp, err := c.http.Get(c.e.Srv.URL + path)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

func (c *client) ftJSON(method, path string, v any) (int, []byte, http.Header) {
	c.e.t.Helper()
	b, _ := json.Marshal(v)
	req, _ := http.NewRequest(method, c.e.Srv.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out, resp.Header
}

func TestFormsAPI(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("clerk")
	c.get("/forms")
	st, b, _ := c.ftGet("/api/v1/forms?q=" + url.QueryEscape("印鑑證明"))
	var list struct{ Forms []struct{ Code string } }
	json.Unmarshal(b, &list)
	if st != 200 || len(list.Forms) == 0 || list.Forms[0].Code != "seal-certificate-application" {
		t.Fatalf("search API %d: %s", st, b)
	}
	st, b, _ = c.ftGet("/api/v1/forms/consent-minor?date=113.7.7")
	var f struct {
		InForce *struct {
			No   int
			Spec struct{ Title string }
		} `json:"in_force"`
	}
	json.Unmarshal(b, &f)
	if st != 200 || f.InForce == nil || f.InForce.Spec.Title != "同意書" {
		t.Fatalf("form API %d: %s", st, b)
	}
	st, pdf, _ := c.ftJSON("POST", "/api/v1/forms/consent-minor/print", map[string]any{"mode": "filled",
		"people": map[string]string{"a": "A123456789"}, "case": map[string]string{"matter": "改名", "applicant": "陳小姐"}})
	if st != 200 {
		t.Fatalf("print API %d: %s", st, pdf)
	}
	txt := pdftest.Text(t, pdf)
	contains(t, strings.NewReplacer(" ", "", "\n", "").Replace(txt), "本人王大明為未成年子女", "同意由陳小姐代為申請辦理改名")
	st, b, _ = c.ftJSON("POST", "/api/v1/forms/consent-minor/print", map[string]any{"mode": "filled", "people": map[string]string{"c": "A123456789"}})
	if st != 400 || !strings.Contains(string(b), "沒有人員") {
		t.Errorf("unknown role: %d %s", st, b)
	}
	st, b, _ = c.ftGet("/api/v1/search?q=" + url.QueryEscape("護照"))
	if st != 200 || !strings.Contains(string(b), "passport-application") || !strings.Contains(string(b), "passport-identity") {
		t.Errorf("combined search %d: %s", st, b)
	}
	st, b, _ = c.ftJSON("POST", "/api/v1/forms/consent-minor/versions", map[string]any{"effective_from": "2099-01-01"})
	if st != http.StatusForbidden {
		t.Errorf("clerk adds a version: %d %s", st, b)
	}
	st, b, _ = c.ftGet("/api/v1/forms/stats")
	if st != 200 || !strings.Contains(string(b), `"consent-minor"`) {
		t.Errorf("stats API %d: %s", st, b)
	}
}

func TestFormsCityUploadsFileAndMaintains(t *testing.T) {
	e := newEnv(t)
	sup := e.loggedIn("admin")
	for _, p := range []string{"/forms/new", "/forms/household-application/edit", "/forms/passport-application/versions/new", "/forms/stats", "/tips/manage", "/tips/manage/new", "/tips/manage/birth-nhi"} {
		if st, body := sup.get(p); st != 200 {
			t.Errorf("%s: status %d %.200s", p, st, body)
		}
	}
	// Upload the official PDF of a file form.
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", sup.csrf)
	today := rocdate.Today(e.DB.Now())
	mw.WriteField("effective_from", rocdate.ISO(today)) // in force at once: clerk2 prints it below
	mw.WriteField("note", "外交部 最新版")
	fw, _ := mw.CreateFormFile("file", "passport.pdf")
	fw.Write(pdf)
	mw.Close()
	req, _ := http.NewRequest("POST", e.Srv.URL+"/forms/passport-application/versions", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := sup.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: status %d", resp.StatusCode)
	}
	clerk := e.loggedIn("clerk2")
	clerk.get("/forms/passport-application")
	st, got, hdr := clerk.ftPost("/forms/passport-application/print", url.Values{"mode": {"file"}})
	if st != 200 || !bytes.Equal(got, pdf) || hdr.Get("Content-Type") != "application/pdf" {
		t.Fatalf("print uploaded file: %d %q", st, got)
	}
	var n int
	e.DB.QueryRow(t.Context(), `SELECT COALESCE(SUM(n), 0) FROM form_print_stats WHERE mode = 'file'`).Scan(&n)
	if n != 1 {
		t.Errorf("file prints counted %d", n)
	}
	// A tip gets a new version through the maintenance page.
	st, body, _ := sup.post("/tips/manage/birth-nhi", url.Values{"title": {"新生兒全民健康保險加保及健保卡"}, "agency": {"衛生福利部中央健康保險署"},
		"action": {"辦理出生登記時同時加保。"}, "phone": {"0800-030-598"}, "effective_from": {rocdate.FormatShort(today.AddDate(0, 0, 1))}, "last_checked": {rocdate.FormatShort(today)}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("tip version: %d %.300s", st, body)
	}
	_, body = sup.get("/tips/manage/birth-nhi")
	contains(t, body, "第 2 版（未生效）")
}
