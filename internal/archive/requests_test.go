package archive

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

func TestCrossDistrictRequestTravelsToTheOriginalOfficeAndBack(t *testing.T) {
	f := newFixture(t)
	// 北屯 receives the applicant; the document was registered at 西屯 and is not scanned.
	r, err := f.svc.FileRequest(f.ctx, f.clerkB, RequestInput{OriginalOfficeID: f.xitun, ApplicantName: "王大明", ApplicantIDNo: "A123456789",
		PersonIDNo: "A123456789", PersonName: "王大明", Item: "出生", ApproxDate: "民國74年左右"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusFiled || r.No != "115-000001" || !r.DueAt.Equal(r.FiledAt.Add(48*time.Hour)) || r.Overdue() {
		t.Fatalf("filed: %+v", r)
	}
	// Only the original office may work on it, and only the receiving office withdraw it.
	var na *ErrNotAllowed
	if err := f.svc.Act(f.ctx, f.clerkB, false, r.ID, "accept", "", 0); !errors.As(err, &na) || !strings.Contains(na.Msg, "原登記地戶所") {
		t.Fatalf("receiving office accepting: %v", err)
	}
	if err := f.svc.Act(f.ctx, f.clerkA, false, r.ID, "cancel", "", 0); !errors.As(err, &na) {
		t.Fatalf("original office cancelling: %v", err)
	}
	if err := f.svc.Act(f.ctx, f.scanner, false, r.ID, "accept", "調卷中", 0); err != nil {
		t.Fatal(err)
	}
	// The original office's queue shows it; after the due time it is overdue.
	in, _ := f.svc.Requests(f.ctx, f.xitun, Incoming, true, 50)
	if len(in) != 1 || in[0].ID != r.ID {
		t.Fatalf("incoming queue: %d", len(in))
	}
	later := f.svc.Now().Add(49 * time.Hour)
	saved := f.svc.Now
	f.svc.Now = func() time.Time { return later }
	in, _ = f.svc.Requests(f.ctx, f.xitun, Incoming, true, 50)
	c, _ := f.svc.OfficeCounts(f.ctx, f.xitun)
	if !in[0].Overdue() || c.IncomingOpen != 1 || c.IncomingOverdue != 1 {
		t.Fatalf("overdue: %v counts %+v", in[0].Overdue(), c)
	}
	f.svc.Now = saved
	// A scan for the wrong office cannot fulfil it.
	bad := f.input(Person{IDNo: "A123456789", Name: "王大明"})
	bad.OfficeID, bad.RequestID = f.beitun, r.ID
	if _, err := f.svc.Ingest(f.ctx, f.scanner, bad, tiffOf(40)); err == nil {
		t.Fatal("a document of another office fulfilled the request")
	}
	// The original office scans it against the request.
	in2 := f.input(Person{IDNo: "A123456789", Name: "王大明"})
	in2.RequestID = r.ID
	d := f.ingest(t, in2, tiffOf(41, 42))
	r, _ = f.svc.Request(f.ctx, r.ID)
	if r.Status != StatusFulfilled || r.DocID != d.ID {
		t.Fatalf("after scanning: %s doc %d", r.Status, r.DocID)
	}
	c, _ = f.svc.OfficeCounts(f.ctx, f.beitun)
	if c.ReadyToIssue != 1 {
		t.Fatalf("receiving office not told: %+v", c)
	}
	// Another office cannot issue the copy of this request.
	if _, err := f.svc.IssueCopy(f.ctx, f.clerkA, CopyInput{DocID: d.ID, ApplicantName: "王大明", Purpose: "跨區申請", RequestID: r.ID}); !errors.As(err, &na) {
		t.Fatalf("original office issuing: %v", err)
	}
	cp, err := f.svc.IssueCopy(f.ctx, f.clerkB, CopyInput{DocID: d.ID, ApplicantName: "王大明", ApplicantIDNo: "A123456789", Purpose: "跨區申請", RequestID: r.ID})
	if err != nil {
		t.Fatal(err)
	}
	if cp.OfficeID != f.beitun || cp.Quantity != 2 || cp.FeeItem != FeeItem || cp.FeeStatus != "pending" || cp.RequestID != r.ID {
		t.Fatalf("copy: %+v", cp)
	}
	if err := f.svc.Act(f.ctx, f.clerkB, false, r.ID, "archive", "申請書歸檔", 0); err != nil {
		t.Fatal(err)
	}
	r, _ = f.svc.Request(f.ctx, r.ID)
	if r.Status != StatusArchived || r.CopyID != cp.ID {
		t.Fatalf("final: %+v", r)
	}
	var trail []string
	for _, e := range r.Events {
		trail = append(trail, e.To)
	}
	if strings.Join(trail, ">") != "filed>accepted>fulfilled>issued>archived" {
		t.Fatalf("event trail %v", trail)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE object_kind = 'archive_request' AND object_id = ? AND outcome = 'ok'`, r.IDString()); n != 4 {
		t.Errorf("request audit entries: %d", n)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE object_kind = 'archive_request' AND outcome = 'denied'`); n != 2 {
		t.Errorf("denied attempts audited: %d", n)
	}
	// Nothing more can happen to an archived request.
	if err := f.svc.Act(f.ctx, f.clerkB, false, r.ID, "cancel", "x", 0); !errors.As(err, &na) {
		t.Fatalf("cancelling an archived request: %v", err)
	}
}

func TestRequestRejectedByOriginalOffice(t *testing.T) {
	f := newFixture(t)
	r, err := f.svc.FileRequest(f.ctx, f.clerkB, RequestInput{OriginalOfficeID: f.xitun, ApplicantName: "李美玲", PersonName: "李阿土", Item: "death"})
	if err != nil {
		t.Fatal(err)
	}
	var ie *InputError
	if err := f.svc.Act(f.ctx, f.scanner, false, r.ID, "reject", "", 0); !errors.As(err, &ie) {
		t.Fatalf("reject without reason: %v", err)
	}
	if err := f.svc.Act(f.ctx, f.scanner, false, r.ID, "reject", "查無該年度簿冊", 0); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Act(f.ctx, f.clerkB, false, r.ID, "archive", "", 0); err != nil {
		t.Fatal(err)
	}
	r, _ = f.svc.Request(f.ctx, r.ID)
	if r.Status != StatusArchived || r.Reason != "查無該年度簿冊" {
		t.Fatalf("%+v", r)
	}
}

func TestRequestInputChecks(t *testing.T) {
	f := newFixture(t)
	base := RequestInput{OriginalOfficeID: f.xitun, ApplicantName: "王大明", PersonName: "王大明", Item: "birth"}
	cases := []struct {
		name string
		mod  func(*RequestInput)
		want string
	}{
		{"own office", func(r *RequestInput) { r.OriginalOfficeID = f.beitun }, "原登記地為本所"},
		{"no applicant", func(r *RequestInput) { r.ApplicantName = " " }, "申請人姓名"},
		{"bad id", func(r *RequestInput) { r.PersonIDNo = "A123456788" }, "檢查碼"},
		{"unknown item", func(r *RequestInput) { r.Item = "x" }, "不存在"},
		{"unknown office", func(r *RequestInput) { r.OriginalOfficeID = 9999 }, "不存在"},
		{"dates reversed", func(r *RequestInput) { r.DateFrom, r.DateTo = civil.New(1990, 1, 1), civil.New(1980, 1, 1) }, "迄日"},
	}
	for _, c := range cases {
		in := base
		c.mod(&in)
		_, err := f.svc.FileRequest(f.ctx, f.clerkB, in)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(ie.Msg, c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestCertifiedCopiesAreNumberedStampedAndChargeable(t *testing.T) {
	f := newFixture(t)
	d := f.ingest(t, f.input(Person{IDNo: "A123456789", Name: "王大明"}), tiffOf(50, 51, 52))
	c1, err := f.svc.IssueCopy(f.ctx, f.clerkB, CopyInput{DocID: d.ID, Pages: []int{1, 3}, ApplicantName: "王大明", Purpose: "辦理繼承"})
	if err != nil {
		t.Fatal(err)
	}
	c2, err := f.svc.IssueCopy(f.ctx, f.clerkB, CopyInput{DocID: d.ID, ApplicantName: "王大明", Purpose: "辦理繼承"})
	if err != nil {
		t.Fatal(err)
	}
	c3, _ := f.svc.IssueCopy(f.ctx, f.clerkA, CopyInput{DocID: d.ID, ApplicantName: "王小明", Purpose: "訴訟"})
	if c1.No != "115-000001" || c2.No != "115-000002" || c3.No != "115-000001" {
		t.Fatalf("numbers %s %s %s: gapless per office", c1.No, c2.No, c3.No)
	}
	if c1.Quantity != 2 || c2.Quantity != 3 {
		t.Fatalf("quantities %d %d", c1.Quantity, c2.Quantity)
	}
	if _, err := f.svc.IssueCopy(f.ctx, f.clerkB, CopyInput{DocID: d.ID, ApplicantName: "王大明"}); err == nil {
		t.Fatal("a copy without a purpose")
	}
	if _, err := f.svc.IssueCopy(f.ctx, f.clerkB, CopyInput{DocID: d.ID, Pages: []int{4}, ApplicantName: "王大明", Purpose: "x"}); err == nil {
		t.Fatal("a copy of a page that does not exist")
	}
	jpg, err := f.svc.CopyPage(f.ctx, c1, d, 3)
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(jpg))
	if err != nil {
		t.Fatal(err)
	}
	if red := redPixels(img, image.Rect(img.Bounds().Dx()/2, img.Bounds().Dy()*3/4, img.Bounds().Dx(), img.Bounds().Dy())); red < 200 {
		t.Fatalf("no certification mark in the bottom right (%d red pixels)", red)
	}
	if _, err := f.svc.CopyPage(f.ctx, c1, d, 2); err == nil {
		t.Fatal("page 2 is not part of copy 1")
	}
	pending, _ := f.svc.PendingCharges(f.ctx, f.beitun)
	if len(pending) != 2 || pending[0].FeeItem != FeeItem || pending[0].Quantity != 2 {
		t.Fatalf("pending charges %+v", pending)
	}
	if err := f.d.InTx(f.ctx, func(tx *db.Tx) error { return MarkCharged(f.ctx, tx, c1.ID, "R115-000123", "paid") }); err != nil {
		t.Fatal(err)
	}
	err = f.d.InTx(f.ctx, func(tx *db.Tx) error { return MarkCharged(f.ctx, tx, c1.ID, "R115-000124", "paid") })
	var na *ErrNotAllowed
	if !errors.As(err, &na) {
		t.Fatalf("charging twice: %v", err)
	}
	pending, _ = f.svc.PendingCharges(f.ctx, f.beitun)
	if len(pending) != 1 || pending[0].CopyID != c2.ID {
		t.Fatalf("after payment: %+v", pending)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'archive.copy.issue' AND person_id_no = 'A123456789'`); n != 3 {
		t.Errorf("copy audit entries: %d", n)
	}
}

func redPixels(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr>>8 > 150 && cg>>8 < 90 && cb>>8 < 90 {
				n++
			}
		}
	}
	return n
}
