package fee

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/pdf/pdftest"
)

func TestVoidNeedsReasonAndApproval(t *testing.T) {
	e := newEnv(t)
	r := e.issue(e.clerk("clerk", 1), "cash", items("戶籍謄本", 2)...)
	clerk, sup := e.users["clerk"], e.users["supervisor"]

	if _, err := e.svc.RequestVoid(e.ctx, clerk, "t", r.ID, " "); !IsInputError(err) {
		t.Fatalf("no reason: %v", err)
	}
	req, err := e.svc.RequestVoid(e.ctx, clerk, "t", r.ID, "繳款人重複繳費")
	if err != nil || req.State != "pending" || req.ReceiptNumber != "115-000001" {
		t.Fatalf("request: %+v %v", req, err)
	}
	if _, err := e.svc.RequestVoid(e.ctx, e.users["clerk2"], "t", r.ID, "又一次"); !errors.Is(err, ErrVoidPending) {
		t.Fatalf("second request: %v", err)
	}
	if _, err := e.svc.ApproveVoid(e.ctx, clerk, "t", req.ID, ""); !errors.Is(err, ErrNoApproval) {
		t.Fatalf("clerk approving: %v", err)
	}
	if _, err := e.svc.ApproveVoid(e.ctx, e.users["othersup"], "t", req.ID, ""); !errors.Is(err, ErrOtherOffice) {
		t.Fatalf("other office's supervisor: %v", err)
	}
	if got := mustReceipt(t, e, r.ID); got.Status != "issued" {
		t.Fatalf("voided before approval: %s", got.Status)
	}
	v, err := e.svc.ApproveVoid(e.ctx, sup, "t", req.ID, "核准")
	if err != nil || v.Status != "voided" || v.VoidReason != "繳款人重複繳費" || v.VoidedBy != "林主任" || v.Number != 1 {
		t.Fatalf("approve: %+v %v", v, err)
	}
	// A second void, by any path, is refused.
	if _, err := e.svc.ApproveVoid(e.ctx, sup, "t", req.ID, ""); !errors.Is(err, ErrDecided) {
		t.Fatalf("approve twice: %v", err)
	}
	if _, err := e.svc.Void(e.ctx, sup, "t", r.ID, "再作廢"); !errors.Is(err, ErrAlreadyVoided) {
		t.Fatalf("void twice: %v", err)
	}
	if _, err := e.svc.RequestVoid(e.ctx, clerk, "t", r.ID, "再申請"); !errors.Is(err, ErrAlreadyVoided) {
		t.Fatalf("request after void: %v", err)
	}
	if _, err := e.svc.Reprint(e.ctx, clerk, "t", r.ID); !IsInputError(err) {
		t.Fatalf("reprint of a voided receipt: %v", err)
	}
	// Nothing deleted: the number stays used and the receipt is listed among the voids.
	next := e.issue(e.clerk("clerk", 1), "cash", items("戶籍謄本", 1)...)
	if next.Number != 2 {
		t.Fatalf("next number %d", next.Number)
	}
	day, err := e.svc.Day(e.ctx, e.office.ID, civil.Of(e.clock.Now()), 0)
	if err != nil || len(day.Voids) != 1 || day.Voids[0].Number != "115-000001" || day.Voids[0].Reason != "繳款人重複繳費" || day.Receipts != 1 || day.Total != 15 {
		t.Fatalf("day %+v %v", day, err)
	}
	b, err := e.svc.ReceiptPDF(e.ctx, mustReceipt(t, e, r.ID), 1)
	if err != nil {
		t.Fatal(err)
	}
	if text := pdftest.Text(t, b); !strings.Contains(text, "作 廢") || !strings.Contains(text, "繳款人重複繳費") {
		t.Fatalf("voided receipt not stamped:\n%s", text)
	}
	entries, err := audit.Search(e.ctx, e.d, audit.Filter{Action: "receipt.void"})
	if err != nil || len(entries) != 2 { // the request and the void
		t.Fatalf("audit: %d entries, %v", len(entries), err)
	}
}

func TestRejectVoid(t *testing.T) {
	e := newEnv(t)
	r := e.issue(e.clerk("clerk", 1), "cash", items("戶籍謄本", 1)...)
	req, err := e.svc.RequestVoid(e.ctx, e.users["clerk"], "t", r.ID, "誤開")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RejectVoid(e.ctx, e.users["supervisor"], "t", req.ID, "金額正確，無須作廢"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RejectVoid(e.ctx, e.users["supervisor"], "t", req.ID, ""); !errors.Is(err, ErrDecided) {
		t.Fatalf("reject twice: %v", err)
	}
	if got := mustReceipt(t, e, r.ID); got.Status != "issued" {
		t.Fatal("rejected request voided the receipt")
	}
	// A new request may follow a rejected one.
	if _, err := e.svc.RequestVoid(e.ctx, e.users["clerk"], "t", r.ID, "確認誤開"); err != nil {
		t.Fatal(err)
	}
	// The supervisor's own void approves the pending request with it.
	if _, err := e.svc.Void(e.ctx, e.users["supervisor"], "t", r.ID, "主管逕行作廢"); err != nil {
		t.Fatal(err)
	}
	reqs, err := e.svc.VoidRequestsOf(e.ctx, r.ID)
	if err != nil || len(reqs) != 2 || reqs[0].State != "rejected" || reqs[1].State != "approved" {
		t.Fatalf("requests %+v %v", reqs, err)
	}
	if pending, _ := e.svc.VoidRequests(e.ctx, e.office.ID, true, 0); len(pending) != 0 {
		t.Fatalf("still pending: %+v", pending)
	}
}

// Many supervisors voiding one receipt at once: exactly one transition.
func TestVoidTwiceConcurrently(t *testing.T) {
	e := newEnv(t)
	r := e.issue(e.clerk("clerk", 1), "card", items("國民身分證補領", 1)...)
	var wg sync.WaitGroup
	results := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.svc.Void(e.ctx, e.users["supervisor"], "t", r.ID, "同時作廢")
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	ok := 0
	for err := range results {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ErrAlreadyVoided):
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d voids succeeded, want exactly 1", ok)
	}
	var n int
	e.d.QueryRow(e.ctx, `SELECT COUNT(*) FROM fee_void_requests WHERE receipt_id = ? AND state = 'approved'`, r.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("%d approved requests", n)
	}
}
