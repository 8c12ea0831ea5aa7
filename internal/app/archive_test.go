package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ebazhao/internal/archive"
	"ebazhao/internal/platform/pdf/pdftest"
)

// scanPage is a small page that passes the quality checks; seed varies it.
func scanPage(seed int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 620, 877))
	draw.Draw(g, g.Bounds(), image.NewUniform(color.Gray{Y: 240}), image.Point{}, draw.Src)
	for y := 80; y < 820; y += 45 {
		draw.Draw(g, image.Rect(50, y, 570, y+3), image.NewUniform(color.Gray{Y: 30}), image.Point{}, draw.Src)
	}
	draw.Draw(g, image.Rect(60+seed%300, 120, 200+seed%300, 140), image.NewUniform(color.Gray{Y: 10}), image.Point{}, draw.Src)
	g.Pix[0] = uint8(seed)
	return g
}

// upload posts a multipart scan with its index fields.
func (c *client) upload(path string, fields map[string]string, name string, file []byte) (int, string, *http.Response) {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(file)
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

func (c *client) getBytes(path string) (int, string, []byte) {
	c.e.t.Helper()
	resp, err := c.http.Get(c.e.Srv.URL + path)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

func (e *env) officeID(code string) int64 {
	var id int64
	if err := e.DB.QueryRow(context.Background(), `SELECT id FROM offices WHERE code = ?`, code).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func (e *env) auditCount(action, personID string) int {
	var n int
	e.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = ? AND person_id_no = ?`, action, personID).Scan(&n)
	return n
}

var docLink = regexp.MustCompile(`/archive/docs/(\d+)\?purpose=`)

func TestArchiveScanAtOneOfficeFindAndCertifyAtAnother(t *testing.T) {
	e := newEnv(t)
	xitun := e.officeID("xitun")
	scanner := e.loggedIn("scanner")
	scanner.get("/archive/docs/new")
	tiff := archive.EncodeTIFF([]*image.Gray{scanPage(1), scanPage(2), scanPage(3)})
	fields := map[string]string{"office": fmt.Sprint(xitun), "item": "birth", "reg_date": "69.5.28", "volume": "69-05", "page_ref": "118",
		"persons": "A123456789 王大明 當事人\n王志明 父"}
	st, _, resp := scanner.upload("/archive/docs", fields, "birth.tif", tiff)
	if st != http.StatusSeeOther {
		t.Fatalf("upload: status %d", st)
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "/archive/docs/") {
		t.Fatalf("redirect to %q", loc)
	}
	// The same file again is refused as a duplicate, with a link to the first.
	scanner.get("/archive/docs/new")
	st, body, _ := scanner.upload("/archive/docs", fields, "birth.tif", tiff)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("duplicate upload: status %d", st)
	}
	contains(t, body, "已建檔為影像編號")
	// A broken file: a clear reason, nothing stored.
	st, body, _ = scanner.upload("/archive/docs", fields, "broken.tif", tiff[:400])
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("broken upload: status %d", st)
	}
	contains(t, body, "無法建檔", "TIFF")
	// A clerk may not scan.
	clerk := e.loggedIn("clerk")
	clerk.get("/archive")
	if st, _, _ := clerk.upload("/archive/docs", fields, "x.tif", tiff); st != http.StatusForbidden {
		t.Fatalf("clerk upload: status %d", st)
	}

	// A clerk at 北屯 finds it by the person's ID.
	c2 := e.loggedIn("clerk2")
	st, body = c2.get("/archive?id_no=A123456789&purpose=" + url.QueryEscape("民眾申請核發影本"))
	if st != http.StatusOK {
		t.Fatalf("search: %d", st)
	}
	contains(t, body, "王大明", "出生", "臺中市西屯區戶政事務所", "data:image/jpeg;base64,")
	m := docLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no document link in the results")
	}
	docID := m[1]
	if n := e.auditCount("archive.search", "A123456789"); n != 1 {
		t.Errorf("search audit entries: %d", n)
	}
	// Without a purpose the document does not open.
	_, body = c2.get("/archive/docs/" + docID)
	contains(t, body, "須註明目的")
	if strings.Contains(body, "page-img") {
		t.Fatal("images shown without a purpose")
	}
	if st, _, _ := c2.getBytes("/archive/docs/" + docID + "/pages/1"); st != http.StatusBadRequest {
		t.Fatalf("page without purpose: %d", st)
	}
	_, body = c2.get("/archive/docs/" + docID + "?purpose=" + url.QueryEscape("民眾申請核發影本"))
	contains(t, body, "page-img", "第 1 頁／共 3 頁", "王志明")
	if n := e.auditCount("archive.view", "A123456789"); n != 1 {
		t.Errorf("view audit entries: %d", n)
	}
	st, ct, img := c2.getBytes("/archive/docs/" + docID + "/pages/2?purpose=x")
	if st != http.StatusOK || ct != "image/png" || archive.Sniff(img) != archive.FormatPNG {
		t.Fatalf("page image: %d %s", st, ct)
	}
	if n := e.auditCount("archive.page.view", "A123456789"); n != 1 {
		t.Errorf("page view audit entries: %d", n)
	}
	// A certified copy of pages 1 and 3.
	st, _, resp = c2.post("/archive/docs/"+docID+"/copies", url.Values{"pages": {"1,3"}, "applicant_name": {"王大明"},
		"applicant_id_no": {"A123456789"}, "purpose": {"辦理繼承"}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("issue copy: %d", st)
	}
	copyURL := resp.Header.Get("Location")
	_, body = c2.get(copyURL)
	contains(t, body, e.copyNo(1), "臺中市北屯區戶政事務所", archive.FeeItem, "待收費", "列印影本")
	st, ct, jpg := c2.getBytes(copyURL + "/pages/3")
	if st != http.StatusOK || ct != "image/jpeg" || len(jpg) < 1000 {
		t.Fatalf("copy page: %d %s %d bytes", st, ct, len(jpg))
	}
	if st, _, _ := c2.getBytes(copyURL + "/pages/2"); st == http.StatusOK {
		t.Fatal("a page not in the copy was printed")
	}
	if n := e.auditCount("archive.copy.print", "A123456789"); n != 1 {
		t.Errorf("copy print audit entries: %d", n)
	}
	// The copy belongs to 北屯: 西屯's clerk cannot reprint it.
	if st, _, _ := clerk.getBytes(copyURL + "/pages/1"); st != http.StatusForbidden {
		t.Fatalf("other office printing the copy: %d", st)
	}
	// The whole copy as one A4 PDF: pages 1 and 3 stamped, nothing else.
	resp, err := c2.http.Get(e.Srv.URL + copyURL + "/pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdfb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" ||
		resp.Header.Get("Content-Disposition") != `inline; filename="archive-copy-`+e.copyNo(1)+`.pdf"` {
		t.Fatalf("copy PDF: %d %q %q %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), pdfb)
	}
	info := pdftest.Info(t, pdfb)
	if !regexp.MustCompile(`(?m)^Pages:\s+2$`).MatchString(info) || !strings.Contains(info, "595 x 842 pts (A4)") || !strings.Contains(info, "檔存申請書影本 "+e.copyNo(1)) {
		t.Fatalf("copy PDF info:\n%s", info)
	}
	var listed []string
	for _, im := range pdftest.Images(t, pdfb) {
		if im.Type == "image" {
			listed = append(listed, fmt.Sprintf("%d:%dx%d:%s", im.Page, im.Width, im.Height, im.Enc))
		}
	}
	if strings.Join(listed, " ") != "1:620x877:jpeg 2:620x877:jpeg" {
		t.Fatalf("copy PDF images: %v, want one stamped 620×877 JPEG on each of 2 pages", listed)
	}
	_, _, jpg1 := c2.getBytes(copyURL + "/pages/1")
	if got := pdftest.JPEGs(t, pdfb); len(got) != 2 || !bytes.Equal(got[0], jpg1) || !bytes.Equal(got[1], jpg) {
		t.Fatalf("the PDF's pages are not the stamped pages 1 and 3 of the copy (%d images)", len(got))
	}
	printedPDF := func() int {
		var n int
		e.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'archive.copy.print' AND person_id_no = ?
			AND outcome = 'ok' AND detail LIKE ?`, "A123456789", "copy="+e.copyNo(1)+" pages=1,3 format=pdf%").Scan(&n)
		return n
	}
	if n := printedPDF(); n != 1 {
		t.Errorf("copy PDF audit entries: %d", n)
	}
	// 西屯's clerk can neither print it as a PDF; that leaves no print entry.
	if st, _, _ := clerk.getBytes(copyURL + "/pdf"); st != http.StatusForbidden {
		t.Fatalf("other office printing the copy PDF: %d", st)
	}
	if n := printedPDF(); n != 1 {
		t.Errorf("copy PDF audit entries after the refusal: %d", n)
	}
	// API search by a token-less session works too and returns JSON.
	st, ct, js := c2.getBytes("/api/v1/archive/docs?name=" + url.QueryEscape("王大"))
	if st != http.StatusOK || !strings.Contains(ct, "json") || !strings.Contains(string(js), `"item_label":"出生"`) {
		t.Fatalf("api search: %d %s %s", st, ct, js)
	}
}

var reqLink = regexp.MustCompile(`/archive/requests/(\d+)`)

func TestArchiveCrossDistrictRequestOverHTTP(t *testing.T) {
	e := newEnv(t)
	xitun := e.officeID("xitun")
	c2 := e.loggedIn("clerk2")
	c2.get("/archive/requests/new")
	st, _, resp := c2.post("/archive/requests", url.Values{"original_office": {fmt.Sprint(xitun)}, "person_name": {"王大明"},
		"person_id_no": {"A123456789"}, "item": {"marriage"}, "approx_date": {"民國97年"}, "applicant_name": {"王大明"}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("file request: %d", st)
	}
	loc := resp.Header.Get("Location")
	id := reqLink.FindStringSubmatch(loc)[1]
	// 北屯 cannot act for 西屯.
	_, body := c2.get(loc)
	contains(t, body, "待原所處理", "臺中市西屯區戶政事務所")
	if strings.Contains(body, "受理調卷") {
		t.Error("the receiving office is offered the original office's action")
	}
	st, _, _ = c2.post(loc+"/act", url.Values{"action": {"accept"}}, true)
	if st != http.StatusForbidden {
		t.Fatalf("receiving office accepting: %d", st)
	}
	// 西屯 sees it in its queue, scans it against the request.
	scanner := e.loggedIn("scanner")
	_, body = scanner.get("/archive/requests")
	contains(t, body, "王大明", "待原所處理")
	_, body = scanner.get("/archive/docs/new?request=" + id)
	contains(t, body, "回傳跨區申請案", "A123456789 王大明 當事人")
	tiff := archive.EncodeTIFF([]*image.Gray{scanPage(9), scanPage(10)})
	st, _, _ = scanner.upload("/archive/docs", map[string]string{"office": fmt.Sprint(xitun), "item": "marriage", "reg_date": "97.10.10",
		"persons": "A123456789 王大明 當事人", "request": id}, "m.tif", tiff)
	if st != http.StatusSeeOther {
		t.Fatalf("scan for request: %d", st)
	}
	// 北屯 is told, opens it and issues the copy against the request.
	_, body = c2.get("/archive")
	contains(t, body, "待本所核發")
	_, body = c2.get(loc)
	contains(t, body, "已建檔回傳", "開啟影像並核發影本")
	var docID int64
	e.DB.QueryRow(context.Background(), `SELECT doc_id FROM archive_requests WHERE id = ?`, id).Scan(&docID)
	_, body = c2.get(fmt.Sprintf("/archive/docs/%d?purpose=x&request=%s", docID, id))
	contains(t, body, `name="request" value="`+id+`"`)
	st, _, _ = c2.post(fmt.Sprintf("/archive/docs/%d/copies", docID), url.Values{"applicant_name": {"王大明"}, "purpose": {"跨區申請"}, "request": {id}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("issue for request: %d", st)
	}
	st, _, _ = c2.post(loc+"/act", url.Values{"action": {"archive"}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("archive: %d", st)
	}
	_, body = c2.get(loc)
	contains(t, body, "已歸檔", "已核發", "已建檔回傳")
	// The reports count it.
	_, body = c2.get("/archive/reports")
	contains(t, body, "各所每日掃描建檔", "臺中市西屯區戶政事務所", "各所每日核發影本", "臺中市北屯區戶政事務所")
}

func TestBrowserArchivePages(t *testing.T) {
	e := newEnv(t)
	if err := archive.SeedDemo(context.Background(), e.DB, e.App.Config.DataDir); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	u := e.Srv.URL
	do(t, ctx, chromedp.Navigate(u+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "clerk2"), chromedp.SendKeys(chromedp.ID("password"), "demo"),
		chromedp.Submit(chromedp.ID("password")), chromedp.WaitVisible(chromedp.CSS("nav.sidenav")))
	do(t, ctx, chromedp.Navigate(u+"/archive?id_no=A123456789"), chromedp.WaitVisible(chromedp.CSS("table.hits")))
	shot(t, ctx, "archive-search")
	if s := text(t, ctx, "table.hits"); !strings.Contains(s, "王大明") || !strings.Contains(s, "出生") {
		t.Fatalf("results: %s", s)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("table.hits tbody tr:last-child a.button")), chromedp.WaitVisible(chromedp.CSS("#viewer[data-ready]")))
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-act="next"]`)))
	if s := text(t, ctx, "#page-label"); !strings.Contains(s, "第 2 頁") {
		t.Fatalf("paging: %s", s)
	}
	shot(t, ctx, "archive-viewer")
	do(t, ctx, chromedp.SendKeys(chromedp.ID("applicant_name"), "王大明"), chromedp.Submit(chromedp.ID("applicant_name")),
		chromedp.WaitVisible(chromedp.CSS("figure.copy-page img")))
	shot(t, ctx, "archive-copy")
	do(t, ctx, chromedp.Navigate(u+"/archive/requests?box=outgoing"), chromedp.WaitVisible(chromedp.CSS("table.grid")))
	shot(t, ctx, "archive-requests")
	do(t, ctx, chromedp.Click(chromedp.CSS("table.grid tbody a")), chromedp.WaitVisible(chromedp.CSS("table.small")))
	if s := text(t, ctx, "main"); !strings.Contains(s, "待原所處理") || !strings.Contains(s, "黃金龍") {
		t.Fatalf("request page: %s", s)
	}
	shot(t, ctx, "archive-request")
	do(t, ctx, chromedp.Navigate(u+"/archive/reports"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if s := text(t, ctx, "main"); !strings.Contains(s, "各所每日掃描建檔") || !strings.Contains(s, "待原所處理") {
		t.Fatalf("reports: %s", s)
	}
	shot(t, ctx, "archive-reports")
	// The scanning staff of the original office: the queue and the upload form.
	sctx := browser(t)
	do(t, sctx, chromedp.Navigate(u+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "scanner"), chromedp.SendKeys(chromedp.ID("password"), "demo"),
		chromedp.Submit(chromedp.ID("password")), chromedp.WaitVisible(chromedp.CSS("nav.sidenav")))
	do(t, sctx, chromedp.Navigate(u+"/archive/requests"), chromedp.WaitVisible(chromedp.CSS("table.grid")))
	if s := text(t, sctx, "table.grid"); !strings.Contains(s, "黃金龍") {
		t.Fatalf("incoming queue: %s", s)
	}
	do(t, sctx, chromedp.Click(chromedp.CSS("table.grid tbody a")), chromedp.WaitVisible(chromedp.CSS("table.small")),
		chromedp.Click(chromedp.CSS(`a[href^="/archive/docs/new?request="]`)), chromedp.WaitVisible(chromedp.ID("upload-form")))
	shot(t, sctx, "archive-upload")
	if dir := os.Getenv("EBAZHAO_SCREENSHOTS"); dir != "" {
		c := e.loggedIn("clerk2")
		var copyID int64
		e.DB.QueryRow(context.Background(), `SELECT MAX(id) FROM archive_copies`).Scan(&copyID)
		_, _, jpg := c.getBytes(fmt.Sprintf("/archive/copies/%d/pages/1", copyID))
		os.WriteFile(dir+"/archive-copy-page1.jpg", jpg, 0o644)
	}
}
