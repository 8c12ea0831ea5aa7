package archive

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"testing"
	"time"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// fixture is a migrated database with the Taichung offices, a scanner at 西屯
// (the original office of the test documents) and a clerk at 北屯.
type fixture struct {
	ctx     context.Context
	d       *db.DB
	svc     *Service
	blobDir string
	xitun   int64
	beitun  int64
	scanner audit.Actor // 西屯 scanning staff
	clerkB  audit.Actor // 北屯 clerk
	clerkA  audit.Actor // 西屯 clerk
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	d := dbtest.New(t)
	offices := &office.Store{DB: d}
	if err := offices.SeedTaichung(ctx); err != nil {
		t.Fatal(err)
	}
	x, _ := offices.ByCode(ctx, "xitun")
	b, _ := offices.ByCode(ctx, "beitun")
	a := auth.New(d, auth.DefaultPolicy())
	mk := func(name string, role auth.Role, officeID int64) audit.Actor {
		id, _, err := a.CreateUser(ctx, audit.Actor{Username: "test"}, auth.NewUser{Username: name, DisplayName: name + "員",
			OfficeID: officeID, Role: role, Password: "test-password-1"})
		if err != nil {
			t.Fatal(err)
		}
		return audit.Actor{UserID: id, Username: name, OfficeID: officeID, Client: "test"}
	}
	dir := t.TempDir()
	svc := NewService(d, blob.NewFS(dir))
	svc.Now = func() time.Time { return time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC) }
	return &fixture{ctx: ctx, d: d, svc: svc, blobDir: dir, xitun: x.ID, beitun: b.ID,
		scanner: mk("scan", auth.Scanner, x.ID), clerkB: mk("clerkb", auth.Clerk, b.ID), clerkA: mk("clerka", auth.Clerk, x.ID)}
}

// page draws a small scanned-looking page; seed makes its bytes unique.
func page(seed int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 600, 840))
	draw.Draw(g, g.Bounds(), image.NewUniform(color.Gray{Y: 245}), image.Point{}, draw.Src)
	for y := 60; y < 800; y += 40 {
		draw.Draw(g, image.Rect(40, y, 560, y+3), image.NewUniform(color.Gray{Y: 20}), image.Point{}, draw.Src)
	}
	for i := 0; i < 12; i++ {
		x := 50 + (seed*37+i*41)%480
		draw.Draw(g, image.Rect(x, 100+i*50, x+30, 118+i*50), image.NewUniform(color.Gray{Y: 40}), image.Point{}, draw.Src)
	}
	g.Pix[0] = uint8(seed) // unique bytes per seed
	g.Pix[1] = uint8(seed >> 8)
	return g
}

func tiffOf(seeds ...int) []byte {
	var pages []*image.Gray
	for _, s := range seeds {
		pages = append(pages, page(s))
	}
	return EncodeTIFF(pages)
}

func (f *fixture) input(persons ...Person) DocInput {
	return DocInput{OfficeID: f.xitun, Item: "birth", RegDate: civil.New(1985, 6, 12), Volume: "74-3", PageRef: "112",
		Persons: persons, SourceName: "scan.tif"}
}

func (f *fixture) ingest(t testing.TB, in DocInput, file []byte) *Doc {
	t.Helper()
	d, err := f.svc.Ingest(f.ctx, f.scanner, in, file)
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	return d
}

func (f *fixture) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// minimalPDF writes a valid PDF of n pages, each with a few drawn lines.
func minimalPDF(n int) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := ""
	for i := 0; i < n; i++ {
		kids += fmt.Sprintf("%d 0 R ", 4+i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, n))
	content := "4 w 50 50 m 500 780 l S 60 700 400 20 re f 60 600 300 20 re f 60 500 350 20 re f"
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	for i := 0; i < n; i++ {
		obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}
