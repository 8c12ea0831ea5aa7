package app_test

import (
	"context"
	"fmt"
	"image"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"ebazhao/internal/archive"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/seal"
)

// TestCertifiedCopyFeeOnTheIssueForm follows the copy page's fee link
// (/fees?ref=archive_copy:ID): the form is prefilled from the copy itself, the
// receipt must carry the copy's item in its page count, it marks the copy paid
// in the same transaction, and a copy is charged once, at its own office.
func TestCertifiedCopyFeeOnTheIssueForm(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	clerk := e.loggedIn("clerk") // 西屯
	copyURL, copyID := issuedCopy(t, e, clerk)
	ref := "/fees?ref=archive_copy:" + copyID
	_, page := clerk.get(copyURL)
	contains(t, page, `href="`+ref+`"`)

	copyStatus := func() (status, receipt string) {
		e.DB.QueryRow(ctx, `SELECT fee_status, receipt_ref FROM archive_copies WHERE id = ?`, copyID).Scan(&status, &receipt)
		return
	}
	receipts := func() int { return countRows(t, e.DB, `SELECT COUNT(*) FROM fee_receipts`) }

	// Another office's clerk cannot collect it.
	clerk2 := e.loggedIn("clerk2")
	st, body := clerk2.get(ref)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("other office's form: %d", st)
	}
	contains(t, body, "由臺中市西屯區戶政事務所核發")
	if strings.Contains(body, `name="ref"`) {
		t.Error("the other office's form carries the charge")
	}

	cashier := e.loggedIn("cashier") // 西屯
	_, body = cashier.get("/fees")
	contains(t, body, `id="fee-pending"`, `href="/fees?ref=archive_copy%3a`+copyID+`"`, "申請書影本 "+e.copyNo(1))
	st, body = cashier.get(ref)
	if st != http.StatusOK {
		t.Fatalf("prefilled form: %d", st)
	}
	contains(t, body, `name="ref" value="archive_copy:`+copyID+`"`, "申請書影本 "+e.copyNo(1), `value="`+archive.FeeItem+`"`, `value="2"`, `value="王大明"`, `value="A123456789"`)

	issue := func(qty string) (int, string, *http.Response) {
		cashier.get("/fees")
		return cashier.post("/fees/receipts", url.Values{"ref": {"archive_copy:" + copyID}, "item": {archive.FeeItem}, "qty": {qty},
			"exempt": {""}, "payment": {"cash"}, "payer_name": {"王大明"}, "idem": {auth.RandomToken(12)}}, true)
	}
	before := receipts()
	// One page paid for a two-page copy: refused, nothing stored.
	st, body, _ = issue("1")
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("wrong quantity: %d", st)
	}
	contains(t, body, "須含規費項目", "2 件")
	if n := receipts(); n != before {
		t.Errorf("%d receipts after a refused form, %d before", n, before)
	}
	if s, _ := copyStatus(); s != "pending" {
		t.Errorf("copy fee status %q after a refused form", s)
	}

	st, _, resp := issue("2")
	if st != http.StatusSeeOther {
		t.Fatalf("collect: %d", st)
	}
	status, receipt := copyStatus()
	if status != "paid" || receipt == "" {
		t.Fatalf("copy after the receipt: status %q, receipt %q", status, receipt)
	}
	if n := receipts(); n != before+1 {
		t.Errorf("%d receipts, want %d", n, before+1)
	}
	_, body = cashier.get(resp.Header.Get("Location"))
	contains(t, body, archive.FeeItem)
	_, body = clerk.get(copyURL)
	contains(t, body, "已收費（收據 "+receipt+"）")

	if _, body = cashier.get("/fees"); strings.Contains(body, "申請書影本 "+e.copyNo(1)) {
		t.Error("the paid copy is still listed as pending")
	}
	// Charged once: the link and a second form are refused.
	st, body = cashier.get(ref)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("form for a paid copy: %d", st)
	}
	contains(t, body, "規費已收取（收據 "+receipt+"）")
	if st, _, _ := issue("2"); st != http.StatusUnprocessableEntity {
		t.Fatalf("second receipt for the copy: %d", st)
	}
	if n := receipts(); n != before+1 {
		t.Errorf("%d receipts after the second attempt, want %d", n, before+1)
	}
}

// issuedCopy scans a three-page application at 西屯 and has c issue a
// certified copy of pages 1 and 3 for 王大明; it returns the copy's page and id.
func issuedCopy(t *testing.T, e *env, c *client) (copyURL, copyID string) {
	t.Helper()
	scanner := e.loggedIn("scanner")
	scanner.get("/archive/docs/new")
	fields := map[string]string{"office": fmt.Sprint(e.officeID("xitun")), "item": "birth", "reg_date": "69.5.28",
		"persons": "A123456789 王大明 當事人"}
	tiff := archive.EncodeTIFF([]*image.Gray{scanPage(11), scanPage(12), scanPage(13)})
	if st, _, _ := scanner.upload("/archive/docs", fields, "birth.tif", tiff); st != http.StatusSeeOther {
		t.Fatalf("upload: %d", st)
	}
	var docID int64
	e.DB.QueryRow(context.Background(), `SELECT MAX(id) FROM archive_docs`).Scan(&docID)
	st, _, resp := c.post(fmt.Sprintf("/archive/docs/%d/copies", docID), url.Values{"pages": {"1,3"}, "applicant_name": {"王大明"},
		"applicant_id_no": {"A123456789"}, "purpose": {"辦理繼承"}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("issue copy: %d", st)
	}
	copyURL = resp.Header.Get("Location")
	return copyURL, strings.TrimPrefix(copyURL, "/archive/copies/")
}

// TestBrowserCollectCopyFee: from the copy page the clerk follows 開立規費收據,
// sees what is collected and its amount, presses Enter and lands on the
// receipt; the copy page then shows the fee paid.
func TestBrowserCollectCopyFee(t *testing.T) {
	e := newEnv(t)
	copyURL, _ := issuedCopy(t, e, e.loggedIn("clerk"))
	ctx := browser(t)
	loginBrowser(t, ctx, e.Srv.URL, "clerk")
	do(t, ctx, chromedp.Navigate(e.Srv.URL+copyURL), chromedp.WaitVisible(chromedp.CSS(`a[href^="/fees?ref="]`)),
		chromedp.Click(chromedp.CSS(`a[href^="/fees?ref="]`)), chromedp.WaitVisible(chromedp.ID("fee-charge")),
		chromedp.WaitVisible(chromedp.CSS("#quote .quote-total")))
	shot(t, ctx, "fee-collect-copy")
	if got := text(t, ctx, "#fee-charge"); !strings.Contains(got, "申請書影本 "+e.copyNo(1)) || !strings.Contains(got, "2 件") {
		t.Errorf("charge banner: %q", got)
	}
	if got := text(t, ctx, "#quote .quote-total"); !strings.Contains(got, "20") {
		t.Errorf("quote for two pages: %q", got)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`input[name="payer_name"]`), "\n"), chromedp.WaitVisible(chromedp.CSS("[data-print-receipt]")))
	shot(t, ctx, "fee-collect-copy-receipt")
	do(t, ctx, chromedp.Navigate(e.Srv.URL+copyURL), chromedp.WaitVisible(chromedp.CSS("dl.facts")))
	if got := text(t, ctx, "dl.facts"); !strings.Contains(got, "已收費（收據 ") {
		t.Errorf("copy page after collecting: %q", got)
	}
}

// TestSealCertificateFeeOnTheIssueForm: a seal certificate issued at 西屯 is
// listed among the office's pending fees, its page links to the issue form,
// the form is prefilled with the holder as payer, and the receipt marks the
// certificate paid; 北屯 cannot collect it, nor can anyone twice.
func TestSealCertificateFeeOnTheIssueForm(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	dataDir := e.App.Config.DataDir
	if err := seal.SeedDemo(ctx, e.DB, dataDir); err != nil {
		t.Fatal(err)
	}
	clerk := e.loggedIn("clerk") // 西屯
	clerk.get("/seals/p/A123456789?purpose=核發印鑑證明")
	st, _, resp := clerk.postFile("/seals/p/A123456789/compare", "imprint", filepath.Join(dataDir, "demo", "seal", "A123456789_genuine.png"),
		map[string]string{"purpose": "核發印鑑證明"})
	if st != http.StatusSeeOther {
		t.Fatalf("compare: %d", st)
	}
	st, _, resp = clerk.post(resp.Header.Get("Location")+"/issue", url.Values{"purpose": {"不動產登記"}, "applicant": {"self"}, "copies": {"2"}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("issue certificate: %d", st)
	}
	certURL := resp.Header.Get("Location")
	certID := certURL[strings.LastIndex(certURL, "/")+1:]
	ref := "/fees?ref=seal_certificate:" + certID
	_, body := clerk.get(certURL)
	contains(t, body, `href="`+ref+`"`)
	var number string
	e.DB.QueryRow(ctx, `SELECT number FROM seal_certificates WHERE id = ?`, certID).Scan(&number)

	if st, body := e.loggedIn("clerk2").get(ref); st != http.StatusUnprocessableEntity || !strings.Contains(body, "由臺中市西屯區戶政事務所核發") {
		t.Errorf("北屯 collecting 西屯's certificate: %d", st)
	}
	cashier := e.loggedIn("cashier")
	_, body = cashier.get("/fees")
	contains(t, body, `id="fee-pending"`, "印鑑證明 "+number)
	_, body = cashier.get(ref)
	contains(t, body, `name="ref" value="seal_certificate:`+certID+`"`, `value="印鑑證明"`, `value="2"`, `value="王大明"`, `value="A123456789"`)
	issue := func() int {
		st, _, _ := cashier.post("/fees/receipts", url.Values{"ref": {"seal_certificate:" + certID}, "item": {"印鑑證明"}, "qty": {"2"},
			"exempt": {""}, "payment": {"cash"}, "idem": {auth.RandomToken(12)}}, true)
		return st
	}
	if st := issue(); st != http.StatusSeeOther {
		t.Fatalf("collect: %d", st)
	}
	var status, feeRef string
	e.DB.QueryRow(ctx, `SELECT fee_status, fee_ref FROM seal_certificates WHERE id = ?`, certID).Scan(&status, &feeRef)
	if status != "paid" || feeRef == "" {
		t.Fatalf("certificate after the receipt: %q %q", status, feeRef)
	}
	if st := issue(); st != http.StatusUnprocessableEntity {
		t.Errorf("second receipt for the certificate: %d", st)
	}
	if _, body = clerk.get(certURL); strings.Contains(body, `id="collect-fee"`) {
		t.Error("the paid certificate still offers to collect its fee")
	}
}

// TestTwoCountersCollectOneCopyAtOnce: the cashier and a clerk of the same
// office submit a receipt for the same copy at the same moment. One receipt is
// issued and marks the copy paid; the other is refused whole, its receipt
// rolled back without using up a number.
func TestTwoCountersCollectOneCopyAtOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	clerk := e.loggedIn("clerk")
	_, copyID := issuedCopy(t, e, clerk)
	cashier := e.loggedIn("cashier")
	counters := []*client{cashier, clerk}
	forms := make([]url.Values, len(counters))
	for i, c := range counters {
		c.get("/fees")
		forms[i] = url.Values{"ref": {"archive_copy:" + copyID}, "item": {archive.FeeItem}, "qty": {"2"}, "exempt": {""},
			"payment": {"cash"}, "idem": {auth.RandomToken(12)}, "csrf_token": {c.csrf}}
	}
	statuses := make([]int, len(counters))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range counters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := c.http.PostForm(e.Srv.URL+"/fees/receipts", forms[i])
			if err != nil {
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	ok, refused := 0, 0
	for _, st := range statuses {
		switch st {
		case http.StatusSeeOther:
			ok++
		case http.StatusUnprocessableEntity:
			refused++
		}
	}
	if ok != 1 || refused != 1 {
		t.Fatalf("statuses %v: want one receipt and one refusal", statuses)
	}
	var receipts, maxNo int
	e.DB.QueryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(number), 0) FROM fee_receipts`).Scan(&receipts, &maxNo)
	if receipts != 1 || maxNo != 1 {
		t.Errorf("%d receipts, highest number %d: want one receipt, number 1", receipts, maxNo)
	}
	var status string
	e.DB.QueryRow(ctx, `SELECT fee_status FROM archive_copies WHERE id = ?`, copyID).Scan(&status)
	if status != "paid" {
		t.Errorf("copy fee status %q", status)
	}
}

// TestPendingFeesListStaysShort: copies never paid for pile up over the
// years; the issue form lists the oldest 30 and says so.
func TestPendingFeesListStaysShort(t *testing.T) {
	e := newEnv(t)
	clerk := e.loggedIn("clerk")
	copyURL, _ := issuedCopy(t, e, clerk)
	var docID int64
	e.DB.QueryRow(context.Background(), `SELECT doc_id FROM archive_copies WHERE id = ?`, strings.TrimPrefix(copyURL, "/archive/copies/")).Scan(&docID)
	for i := range 31 {
		if st, _, _ := clerk.post(fmt.Sprintf("/archive/docs/%d/copies", docID), url.Values{"pages": {"1"}, "applicant_name": {"王大明"},
			"purpose": {fmt.Sprint("辦理繼承 ", i)}}, true); st != http.StatusSeeOther {
			t.Fatalf("copy %d: %d", i, st)
		}
	}
	_, body := e.loggedIn("cashier").get("/fees")
	if n := strings.Count(body, `href="/fees?ref=archive_copy%3a`); n != 30 {
		t.Errorf("the form lists %d pending copies of 32, want the oldest 30", n)
	}
	contains(t, body, "最早的 30 件", "申請書影本 "+e.copyNo(1))
	if strings.Contains(body, "申請書影本 "+e.copyNo(32)) {
		t.Error("the newest copy is listed instead of the oldest")
	}
}
