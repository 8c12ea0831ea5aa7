package notice

import (
	"errors"
	"strings"
	"testing"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/pdf/pdftest"
)

func (f *fixture) denied(action string) int {
	f.t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND outcome = ?`, action, audit.Denied).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *fixture) count(table string) int {
	f.t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// 作業規範 肆.一 (issue 17 item 11): a clerk drafts a 罰鍰裁處書; only a supervisor of
// the same office, not the drafter, approves it, and only then is it numbered.
func TestFineIsDraftedThenApprovedBySupervisorOfTheOffice(t *testing.T) {
	f := setup(t)
	in := Input{Kind: KindFine, Subtype: FineLate, Item: "死亡登記", Subject: "王老先生", EventDate: "113.1.10", RegistrationDate: "113.2.20",
		Recipient: Recipient{IDNo: "A123456789"}}
	// Issuing it directly is refused, and stores nothing.
	if _, err := f.s.Issue(f.ctx, f.clerk, in); !errors.Is(err, ErrForbidden) {
		t.Fatalf("direct issue of a fine: %v", err)
	}
	if n := f.count("documents"); n != 0 {
		t.Fatalf("%d documents after a refused issue", n)
	}
	d, err := f.s.DraftFine(f.ctx, f.clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Pending() || d.Amount != 300 || d.DocumentID != 0 || f.count("documents") != 0 {
		t.Fatalf("draft: %+v, %d documents", d, f.count("documents"))
	}
	if n, _ := f.s.PendingFineDrafts(f.ctx, f.xitun.ID); n != 1 {
		t.Errorf("pending at 西屯: %d", n)
	}
	if n, _ := f.s.PendingFineDrafts(f.ctx, f.beitun.ID); n != 0 {
		t.Errorf("pending at 北屯: %d", n)
	}
	// The draft prints as a preview only: marked 草稿, without a number or 送達證書.
	b, err := f.s.DraftPDF(f.ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	savePNG(t, "fine-draft", b)
	text := flat(pdftest.Text(t, b))
	for _, want := range []string{"草稿", "未經主管核准，不得送達", "（草稿，未編號）"} {
		if !strings.Contains(text, want) {
			t.Errorf("draft PDF lacks %q", want)
		}
	}
	if strings.Contains(text, "戶罰字第") || strings.Contains(text, "應受送達人") {
		t.Error("draft PDF carries a number or a 送達證書")
	}

	// Refused, each audited: the clerk, a clerk of the office, another office's
	// supervisor, the drafter as supervisor of his own draft.
	a := auth.New(f.d, auth.DefaultPolicy())
	mk := func(username string, role auth.Role, officeID int64) Clerk {
		id, _, err := a.CreateUser(f.ctx, audit.Actor{Username: "test"}, auth.NewUser{Username: username, DisplayName: username, OfficeID: officeID,
			Role: role, Password: "Test-password-123"})
		if err != nil {
			t.Fatal(err)
		}
		return Clerk{UserID: id, Username: username, Name: username, OfficeID: officeID, Supervisor: role == auth.Supervisor, Approver: role.Can(auth.FineApprove),
			Audit: audit.Actor{UserID: id, Username: username, OfficeID: officeID, Client: "test"}}
	}
	beitunSup := mk("beitunsup", auth.Supervisor, f.beitun.ID)
	for _, who := range []struct {
		name string
		c    Clerk
		want string
	}{
		{"the drafting clerk", f.clerk, "承辦人不得自行核准"},
		{"another clerk of 西屯", f.clerk2, "承辦人不得自行核准"},
		{"北屯's supervisor", beitunSup, "僅該所主管"},
	} {
		before := f.denied("document.fine.approve")
		if _, err := f.s.ApproveFine(f.ctx, who.c, d.ID, ""); !errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), who.want) {
			t.Errorf("%s approving: %v", who.name, err)
		}
		if f.denied("document.fine.approve") != before+1 {
			t.Errorf("%s approving: refusal not audited", who.name)
		}
		if _, err := f.s.RejectFine(f.ctx, who.c, d.ID, "不同意"); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s rejecting: %v", who.name, err)
		}
	}
	if f.count("documents") != 0 {
		t.Fatal("a refused approval numbered the fine")
	}
	supDraft, err := f.s.DraftFine(f.ctx, f.super, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.ApproveFine(f.ctx, f.super, supDraft.ID, ""); !errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), "擬稿人不得核准") {
		t.Errorf("self-approval: %v", err)
	}

	// The supervisor of 西屯 approves: numbered now, dated the day of approval,
	// the drafter its 承辦人, the approver recorded; a second decision is refused.
	f.now = f.now.AddDate(0, 0, 2)
	doc, err := f.s.ApproveFine(f.ctx, f.super, d.ID, "同意")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.DocNo, "中市西屯戶罰字第113") || doc.IssuerName != "王小明" || doc.ApproverName != "林主任" || doc.ApprovedAt.IsZero() ||
		doc.Content.Facts.IssueDate.ISO() != "2024-07-17" || doc.Amount != 300 {
		t.Errorf("approved: %s issuer %s approver %s at %v issue %s amount %d", doc.DocNo, doc.IssuerName, doc.ApproverName, doc.ApprovedAt, doc.Content.Facts.IssueDate, doc.Amount)
	}
	d, _ = f.s.FineDraft(f.ctx, d.ID)
	if d.Status != DraftApproved || d.DocumentID != doc.ID || d.DeciderName != "林主任" {
		t.Errorf("draft after approval: %+v", d)
	}
	if _, err := f.s.ApproveFine(f.ctx, f.super, d.ID, ""); err == nil {
		t.Error("approved twice")
	}
	var approvals int
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'document.fine.approve' AND outcome = 'ok'`).Scan(&approvals)
	if approvals != 1 {
		t.Errorf("%d approvals audited", approvals)
	}
	// An approved fine decision is not amended: cancelled and drafted again.
	if _, err := f.s.Amend(f.ctx, f.clerk, doc.ID, in, "改金額"); err == nil || !strings.Contains(err.Error(), "不得修改") {
		t.Errorf("amending an approved fine: %v", err)
	}

	// Rejected: never numbered.
	d2, err := f.s.DraftFine(f.ctx, f.clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.RejectFine(f.ctx, f.super, d2.ID, ""); err == nil {
		t.Error("rejected without a reason")
	}
	if d2, err = f.s.RejectFine(f.ctx, f.super, d2.ID, "事實欄請補正死亡者姓名"); err != nil || d2.Status != DraftRejected {
		t.Fatalf("reject: %v %+v", err, d2)
	}
	if f.count("documents") != 1 {
		t.Errorf("%d documents after a rejection", f.count("documents"))
	}
}
