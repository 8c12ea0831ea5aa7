package app_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ebazhao/internal/seal"
)

// postFile sends a multipart form with one file, like the browser's upload.
func (c *client) postFile(path, field, file string, fields map[string]string) (int, string, *http.Response) {
	c.e.t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		c.e.t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile(field, filepath.Base(file))
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.Srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

var imgEvent = regexp.MustCompile(`/seals/img/event/(\d+)/imprint`)

func TestSealCertificateAtAnotherOffice(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	dataDir := e.App.Config.DataDir
	if err := seal.SeedDemo(ctx, e.DB, dataDir); err != nil {
		t.Fatal(err)
	}
	if err := seal.SeedDemo(ctx, e.DB, dataDir); err != nil { // idempotent
		t.Fatal(err)
	}
	var events int
	e.DB.QueryRow(ctx, `SELECT COUNT(*) FROM seal_events WHERE person_id_no = 'A123456789'`).Scan(&events)
	if events != 2 {
		t.Fatalf("A123456789 has %d seal events, want 2 (register, change)", events)
	}
	st, err := os.Stat(filepath.Join(dataDir, seal.KeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}

	// clerk2 works at 北屯區; A123456789 is registered at 西屯區
	c := e.loggedIn("clerk2")
	code, body := c.get("/seals/p/A123456789?purpose=核發印鑑證明")
	if code != 200 {
		t.Fatalf("seal page: %d %s", code, body)
	}
	contains(t, body, "目前登記印鑑", "變更", "登記", "歷次印鑑登記")
	m := imgEvent.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no imprint image on the page")
	}
	resp, err := c.http.Get(e.Srv.URL + "/seals/img/event/" + m[1] + "/imprint?purpose=核發印鑑證明")
	if err != nil {
		t.Fatal(err)
	}
	img, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "no-store") || !bytes.HasPrefix(img, []byte("\x89PNG")) {
		t.Fatalf("image: %d %q %d bytes", resp.StatusCode, resp.Header.Get("Cache-Control"), len(img))
	}
	var n int
	e.DB.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'seal.image.view' AND username = 'clerk2' AND person_id_no = 'A123456789' AND detail LIKE '%purpose=核發印鑑證明%'`).Scan(&n)
	if n != 1 {
		t.Errorf("image views audited with purpose: %d, want 1", n)
	}
	// the stored blobs are ciphertext, never the PNG
	var ref string
	e.DB.QueryRow(ctx, `SELECT imprint_blob FROM seal_events WHERE id = ?`, m[1]).Scan(&ref)
	raw, err := os.ReadFile(filepath.Join(dataDir, "blobs", ref[:2], ref[2:4], ref))
	if err != nil || bytes.Contains(raw, []byte("PNG")) {
		t.Fatalf("blob at rest: err %v, plaintext PNG marker present: %v", err, bytes.Contains(raw, []byte("PNG")))
	}

	samples := filepath.Join(dataDir, "demo", "seal")
	code, _, resp2 := c.postFile("/seals/p/A123456789/compare", "imprint", filepath.Join(samples, "A123456789_genuine.png"), map[string]string{"purpose": "核發印鑑證明"})
	if code != http.StatusSeeOther {
		t.Fatalf("compare: %d", code)
	}
	cmpURL := resp2.Header.Get("Location")
	code, body = c.get(cmpURL)
	if code != 200 {
		t.Fatalf("comparison page %d", code)
	}
	contains(t, body, "相符", "疊合", "閃爍比對", "/overlay?purpose=")
	code, _, resp3 := c.post(cmpURL+"/issue", map[string][]string{"purpose": {"不動產登記"}, "applicant": {"self"}, "copies": {"2"}}, true)
	if code != http.StatusSeeOther {
		t.Fatalf("issue: %d", code)
	}
	certURL := resp3.Header.Get("Location")
	code, body = c.get(certURL)
	if code != 200 {
		t.Fatalf("certificate page: %d", code)
	}
	contains(t, body, "不動產登記", "40 元", "待收", "beitun")
	resp, err = c.http.Get(e.Srv.URL + certURL + "/pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdfBytes, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.HasPrefix(pdfBytes, []byte("%PDF")) {
		t.Fatalf("pdf: %d %d bytes", resp.StatusCode, len(pdfBytes))
	}
	// issuing twice from one comparison is refused
	if code, _, _ := c.post(cmpURL+"/issue", map[string][]string{"purpose": {"銀行貸款"}, "applicant": {"self"}, "copies": {"1"}}, true); code != http.StatusConflict {
		t.Errorf("second issue: %d, want 409", code)
	}

	// a re-carved seal is not a match, and cannot be issued without a reason
	c.get("/seals/p/A123456789")
	code, _, resp4 := c.postFile("/seals/p/A123456789/compare", "imprint", filepath.Join(samples, "A123456789_recarved.png"), nil)
	if code != http.StatusSeeOther {
		t.Fatalf("compare recarved: %d", code)
	}
	code, body = c.get(resp4.Header.Get("Location"))
	if code != 200 {
		t.Fatalf("re-carved comparison page: %d", code)
	}
	if strings.Contains(body, `sc-score sc-match`) {
		t.Errorf("re-carved seal judged a match")
	}
	if code, _, _ := c.post(resp4.Header.Get("Location")+"/issue", map[string][]string{"purpose": {"銀行貸款"}, "applicant": {"self"}, "copies": {"1"}}, true); code != http.StatusBadRequest && code != http.StatusConflict {
		t.Errorf("issue on a non-match without override: %d", code)
	}
}

func TestSealImagesNeedABrowserSession(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := seal.SeedDemo(ctx, e.DB, e.App.Config.DataDir); err != nil {
		t.Fatal(err)
	}
	var id int64
	e.DB.QueryRow(ctx, `SELECT id FROM seal_events WHERE person_id_no = 'A123456789' ORDER BY id DESC LIMIT 1`).Scan(&id)
	// anonymous: redirected to login
	resp, err := e.client().http.Get(e.Srv.URL + "/seals/img/event/" + itoa(id) + "/imprint")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous image fetch: %d", resp.StatusCode)
	}
	// a cashier has no seal permission
	c := e.loggedIn("cashier")
	if code, _ := c.get("/seals/img/event/" + itoa(id) + "/imprint"); code != http.StatusForbidden {
		t.Errorf("cashier image fetch: %d", code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
