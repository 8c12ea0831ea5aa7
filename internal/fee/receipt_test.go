package fee

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/pdf/pdftest"
)

func TestIssueReceipt(t *testing.T) {
	e := newEnv(t)
	var woke []int64
	e.svc.OnIssue = func(_ context.Context, r *Receipt) error { woke = append(woke, r.ID); return nil }
	r := e.issue(e.clerk("clerk", 3), "easycard", items("戶籍謄本", 3, "英文戶籍謄本", 2, "印鑑證明", 1)...)
	if r.Number != 1 || r.RocYear != 115 || r.Total != 45+115+20 || r.Payment != "easycard" || r.Status != "issued" {
		t.Fatalf("receipt %+v", r)
	}
	if r.CounterID != e.counters[2].ID || r.CounterName != "3號櫃檯" || r.ClerkName != "王小明" || r.Copies != 1 {
		t.Fatalf("counter/clerk %+v", r)
	}
	if len(r.Lines) != 3 || r.Lines[1].Item != "英文戶籍謄本" || r.Lines[1].Amount != 115 || r.Lines[1].Unit != 100 {
		t.Fatalf("lines %+v", r.Lines)
	}
	if r.NumberText() != "115-000001" || r.TotalWords() != "新臺幣壹佰捌拾元整" {
		t.Fatalf("%s %s", r.NumberText(), r.TotalWords())
	}
	if len(woke) != 1 || woke[0] != r.ID {
		t.Fatalf("OnIssue called with %v", woke)
	}
	entries, err := audit.Search(e.ctx, e.d, audit.Filter{Action: "receipt.issue"})
	if err != nil || len(entries) != 1 || entries[0].ObjectID != "1" || !strings.Contains(entries[0].Detail, "115-000001") {
		t.Fatalf("audit %+v %v", entries, err)
	}
	r2 := e.issue(e.clerk("clerk2", 1), "cash", items("戶籍謄本", 1)...)
	if r2.Number != 2 {
		t.Fatalf("second receipt number %d", r2.Number)
	}
	// Another office numbers on its own.
	r3 := e.issue(e.clerk("other", 0), "cash", items("戶籍謄本", 1)...)
	if r3.Number != 1 || r3.OfficeID != e.other.ID || r3.CounterID != 0 {
		t.Fatalf("other office %+v", r3)
	}
}

func TestIssueValidation(t *testing.T) {
	e := newEnv(t)
	c := e.clerk("clerk", 1)
	cases := []struct {
		name string
		req  IssueRequest
		want string
	}{
		{"no items", IssueRequest{}, "請至少輸入一個規費項目"},
		{"unknown item", IssueRequest{Items: items("護照", 1)}, "查無規費項目「護照」"},
		{"qty zero", IssueRequest{Items: items("戶籍謄本", 0)}, "數量須為1至999"},
		{"bad payment", IssueRequest{Items: items("戶籍謄本", 1), Payment: "bitcoin"}, "繳費方式"},
		{"future", IssueRequest{Items: items("戶籍謄本", 1), Date: "2026-11-26"}, "不得晚於今日"},
		{"last year", IssueRequest{Items: items("戶籍謄本", 1), Date: "2025-12-31"}, "本年度"},
		{"bad payer id", IssueRequest{Items: items("戶籍謄本", 1), PayerIDNo: "A123456788"}, "統一編號"},
		{"other office counter", IssueRequest{Items: items("戶籍謄本", 1), CounterID: 5}, "櫃檯"},
		{"no such counter number", IssueRequest{Items: items("戶籍謄本", 1), Counter: qty(99)}, "櫃檯"},
	}
	for _, tc := range cases {
		_, _, err := e.svc.Issue(e.ctx, c, tc.req)
		if err == nil || !UserError(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want a user error containing %q", tc.name, err, tc.want)
		}
	}
	if n := numbers(t, e.d, e.office.ID, 115); len(n) != 0 {
		t.Fatalf("refused requests used numbers %v", n)
	}
	// Back-dated entry (補登) on an open earlier day of the year is accepted;
	// the counter may be given by number.
	r, _, err := e.svc.Issue(e.ctx, c, IssueRequest{Items: items("戶籍謄本", 1), Date: "115.11.24", Counter: qty(2), PayerIDNo: "a123456789", PayerName: "王大明"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Date.ISO() != "2026-11-24" || r.CounterID != e.counters[1].ID || r.PayerIDNo != "A123456789" || r.Number != 1 {
		t.Fatalf("%+v", r)
	}
}

func TestIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	c := e.clerk("clerk", 1)
	req := IssueRequest{Items: items("戶籍謄本", 2), Payment: "cash", IdempotencyKey: "form-7f3a"}
	first, replayed, err := e.svc.Issue(e.ctx, c, req)
	if err != nil || replayed {
		t.Fatal(err, replayed)
	}
	again, replayed, err := e.svc.Issue(e.ctx, c, req)
	if err != nil || !replayed || again.ID != first.ID || again.Number != first.Number {
		t.Fatalf("second submit: %+v replayed=%v err=%v", again, replayed, err)
	}
	// The same key with different content is refused, not answered with the old receipt.
	other := req
	other.Items = items("戶籍謄本", 3)
	if _, _, err := e.svc.Issue(e.ctx, c, other); !errors.Is(err, ErrIdemMismatch) {
		t.Fatalf("changed body: %v", err)
	}
	// Another clerk's key space is separate.
	if r, replayed, err := e.svc.Issue(e.ctx, e.clerk("clerk2", 2), req); err != nil || replayed || r.Number != 2 {
		t.Fatalf("other clerk: %+v %v %v", r, replayed, err)
	}
	// A double click: many identical submissions at once give one receipt.
	req.IdempotencyKey = "double-click"
	var wg sync.WaitGroup
	ids := make(chan int64, 8)
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, _, err := e.svc.Issue(e.ctx, c, req)
			if err != nil {
				errs <- err
				return
			}
			ids <- r.ID
		}()
	}
	wg.Wait()
	close(ids)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for id := range ids {
		seen[id] = true
	}
	if len(seen) != 1 {
		t.Fatalf("8 identical submissions made %d receipts", len(seen))
	}
	assertGapless(t, e.d, e.office.ID, 115, 3)
}

func TestReprint(t *testing.T) {
	e := newEnv(t)
	r := e.issue(e.clerk("clerk", 1), "cash", items("戶籍謄本", 1)...)
	for want := 2; want <= 3; want++ {
		n, err := e.svc.Reprint(e.ctx, e.users["clerk"], "test", r.ID)
		if err != nil || n != want {
			t.Fatalf("reprint = %d, %v; want %d", n, err, want)
		}
	}
	if _, err := e.svc.Reprint(e.ctx, e.users["other"], "test", r.ID); !errors.Is(err, ErrOtherOffice) {
		t.Fatalf("other office reprint: %v", err)
	}
	prints, err := e.svc.Prints(e.ctx, r.ID)
	if err != nil || len(prints) != 3 || prints[2].CopyNo != 3 {
		t.Fatalf("prints %+v %v", prints, err)
	}
	day, err := e.svc.Day(e.ctx, e.office.ID, civil.Of(e.clock.Now()), 0)
	if err != nil || day.Reprints != 2 {
		t.Fatalf("reprints counted %d, %v", day.Reprints, err)
	}
	b, err := e.svc.ReceiptPDF(e.ctx, mustReceipt(t, e, r.ID), 3)
	if err != nil {
		t.Fatal(err)
	}
	if text := pdftest.Text(t, b); !strings.Contains(text, "補印") || !strings.Contains(text, "第2次補印") {
		t.Fatalf("reprint not marked:\n%s", text)
	}
	b, err = e.svc.ReceiptPDF(e.ctx, mustReceipt(t, e, r.ID), 1)
	if err != nil {
		t.Fatal(err)
	}
	if text := pdftest.Text(t, b); strings.Contains(text, "補印") {
		t.Fatalf("original marked as reprint:\n%s", text)
	}
	if _, err := e.svc.ReceiptPDF(e.ctx, mustReceipt(t, e, r.ID), 4); !IsInputError(err) {
		t.Fatalf("copy that was never printed: %v", err)
	}
}

func mustReceipt(t testing.TB, e *env, id int64) *Receipt {
	t.Helper()
	r, err := e.svc.Receipt(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The A5 receipt reads like an official receipt: office, title, number, ROC
// date, items, total in figures and in capital numerals, payment and clerk.
func TestReceiptPDF(t *testing.T) {
	e := newEnv(t)
	r, _, err := e.svc.Issue(e.ctx, e.clerk("clerk", 3), IssueRequest{Payment: "mobile", PayerName: "𡍼大明", PayerIDNo: "A123456789",
		Items: []QuoteItem{{Item: "戶籍謄本", Qty: qty(3)}, {Item: "英文戶籍謄本", Qty: qty(2)}, {Item: "國民身分證換領", Qty: qty(1), Exempt: "admin-change"},
			{Item: "自然人憑證IC卡", Qty: qty(1)}, {Item: "歸化國籍許可證書", Qty: qty(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 45+115+0+250+1200 {
		t.Fatalf("total %d", r.Total)
	}
	b, err := e.svc.ReceiptPDF(e.ctx, r, 1)
	if err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("EBAZHAO_FEE_PDF_OUT"); out != "" {
		os.WriteFile(out, b, 0o644)
	}
	text := pdftest.Text(t, b)
	for _, want := range []string{"臺中市西屯區戶政事務所", "規", "據", "收據號碼：115-000001", "日期：中華民國115年11月25日",
		"戶籍謄本", "3 張", "45", "英文戶籍謄本", "115", "國民身分證換領", "減免：行政區域調整", "自然人憑證IC卡", "250",
		"歸化國籍許可證書", "1,200", "NT$ 1,610", "大寫金額：新臺幣壹仟陸佰壹拾元整", "行動支付", "經收人：王小明", "3號櫃檯",
		"𡍼大明（A123****89）", "戶政規費收費標準"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt text lacks %q", want)
		}
	}
	if regexp.MustCompile(`A123456789`).MatchString(text) {
		t.Error("full ID printed")
	}
	if t.Failed() {
		t.Log(text)
	}
	if info := pdftest.Info(t, b); !strings.Contains(info, "(A5)") {
		t.Errorf("not an A5 page:\n%s", info)
	}
}

// An application with many items continues on a second A5 sheet.
func TestLongReceiptPDF(t *testing.T) {
	e := newEnv(t)
	v, err := e.svc.VersionOn(e.ctx, e.svc.today())
	if err != nil {
		t.Fatal(err)
	}
	var its []QuoteItem
	for _, it := range v.Items {
		its = append(its, QuoteItem{Item: it.Name, Qty: qty(2)})
	}
	r := e.issue(e.clerk("clerk", 1), "cash", its...)
	b, err := e.svc.ReceiptPDF(e.ctx, r, 1)
	if err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("EBAZHAO_FEE_PDF_OUT"); out != "" {
		os.WriteFile(strings.Replace(out, ".pdf", "-long.pdf", 1), b, 0o644)
	}
	text := pdftest.Text(t, b)
	if !strings.Contains(text, "（續）") || !strings.Contains(text, "\f") {
		t.Fatal("no continuation sheet")
	}
	for _, it := range v.Items {
		name := []rune(it.Name)
		if len(name) > 12 { // long names wrap within the item column
			name = name[:12]
		}
		if !strings.Contains(text, string(name)) {
			t.Errorf("item %s missing", it.Name)
		}
	}
	if !strings.Contains(text, CapitalAmount(r.Total)) {
		t.Errorf("total in words missing: %s", CapitalAmount(r.Total))
	}
}
