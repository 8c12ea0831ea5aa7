package notice

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/office"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/pdf/pdftest"
	"ebazhao/internal/platform/rocdate"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "issue" {
		runChild() // a child process of TestIssueKilledMidTransactionLeavesNoHole
		return
	}
	dbtest.Main(m)
}

// fixture is a migrated database with two offices, clerks and people.
type fixture struct {
	t       testing.TB
	ctx     context.Context
	d       *db.DB
	s       *Service
	xitun   *office.Office
	beitun  *office.Office
	clerk   Clerk // 王小明, 西屯
	clerk2  Clerk // 陳櫃檯, 西屯
	super   Clerk // 林主任, 西屯 supervisor
	other   Clerk // 黃櫃檯, 北屯
	now     time.Time
	persons *person.Store
}

// day is a Taipei calendar day at 10:00.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 10, 0, 0, 0, rocdate.Taipei)
}

func setup(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	d := dbtest.New(t)
	offices := &office.Store{DB: d}
	if err := offices.SeedTaichung(ctx); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, d: d, now: day(2024, 7, 15)}
	var err error
	if f.xitun, err = offices.ByCode(ctx, "xitun"); err != nil {
		t.Fatal(err)
	}
	if f.beitun, err = offices.ByCode(ctx, "beitun"); err != nil {
		t.Fatal(err)
	}
	a := auth.New(d, auth.DefaultPolicy())
	mk := func(username, name string, role auth.Role, off *office.Office) Clerk {
		id, _, err := a.CreateUser(ctx, audit.Actor{Username: "test"}, auth.NewUser{Username: username, DisplayName: name, OfficeID: off.ID,
			Role: role, Password: "Test-password-123"})
		if err != nil {
			t.Fatal(err)
		}
		return Clerk{UserID: id, Username: username, Name: name, OfficeID: off.ID, Supervisor: role == auth.Supervisor, Approver: role.Can(auth.FineApprove),
			Audit: audit.Actor{UserID: id, Username: username, OfficeID: off.ID, Client: "test"}}
	}
	f.clerk = mk("clerk", "王小明", auth.Clerk, f.xitun)
	f.clerk2 = mk("clerk2", "陳櫃檯", auth.Clerk, f.xitun)
	f.super = mk("supervisor", "林主任", auth.Supervisor, f.xitun)
	f.other = mk("beitunclerk", "黃櫃檯", auth.Clerk, f.beitun)
	f.persons = &person.Store{DB: d}
	for _, p := range []*person.Person{
		{IDNo: "A123456789", Name: "王大明", BirthDate: rocdate.Date(1980, 5, 20), AddrHousehold: "臺中市西屯區福科路100號",
			AddrCurrent: "臺中市西屯區福科路100號", AddrService: "臺中市西屯區臺灣大道三段99號", OfficeID: f.xitun.ID},
		{IDNo: "B220000000", Name: "𡍼美玲", BirthDate: rocdate.Date(1990, 1, 2), AddrHousehold: "臺中市北屯區崇德路三段8號", OfficeID: f.beitun.ID},
	} {
		if err := f.persons.Create(ctx, audit.Actor{Username: "test"}, p); err != nil {
			t.Fatal(err)
		}
	}
	f.s = NewService(d)
	f.s.Now = func() time.Time { return f.now }
	return f
}

func (f *fixture) issue(c Clerk, in Input) *Document {
	f.t.Helper()
	if in.Kind == KindFine { // drafted by c, approved by the office's supervisor
		fd, err := f.s.DraftFine(f.ctx, c, in)
		if err != nil {
			f.t.Fatalf("draft fine: %v", err)
		}
		doc, err := f.s.ApproveFine(f.ctx, f.super, fd.ID, "")
		if err != nil {
			f.t.Fatalf("approve fine: %v", err)
		}
		return doc
	}
	doc, err := f.s.Issue(f.ctx, c, in)
	if err != nil {
		f.t.Fatalf("issue %s: %v", in.Kind, err)
	}
	return doc
}

func (f *fixture) pdf(doc *Document) []byte {
	f.t.Helper()
	b, err := f.s.PDF(f.ctx, doc, doc.Content)
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

// flat removes the spaces pdftotext puts between glyphs and lines.
func flat(s string) string {
	return strings.NewReplacer(" ", "", "\n", "", "\f", "", "　", "").Replace(s)
}

// savePNG renders the PDF's pages to PNG at 60 dpi when EBAZHAO_SCREENSHOTS names
// a folder, for a person to look at.
func savePNG(t testing.TB, name string, b []byte) {
	dir := os.Getenv("EBAZHAO_SCREENSHOTS")
	if dir == "" {
		return
	}
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, name+".pdf"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	for i, page := range pdftest.Render(t, b, 60) {
		var out bytes.Buffer
		if err := png.Encode(&out, page); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, i+1)), out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func intp(n int) *int { return &n }
