package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/pdf/pdftest"
	"ebazhao/internal/platform/web"
)

type listedImage struct{ page, w, h int }

// listImages lists the page images of b (not their masks); each must be a JPEG.
func listImages(t testing.TB, b []byte) []listedImage {
	t.Helper()
	var imgs []listedImage
	for _, im := range pdftest.Images(t, b) {
		if im.Type != "image" {
			continue
		}
		if im.Enc != "jpeg" {
			t.Errorf("image on page %d is %s, want the stamped JPEG as it is", im.Page, im.Enc)
		}
		imgs = append(imgs, listedImage{im.Page, im.Width, im.Height})
	}
	return imgs
}

func TestCopyPDFIsOneA4PagePerCopyPageStampedAsPrinted(t *testing.T) {
	f := newFixture(t)
	d := f.ingest(t, f.input(Person{IDNo: "A123456789", Name: "王大明"}), tiffOf(60, 61, 62))
	c, err := f.svc.IssueCopy(f.ctx, f.clerkB, CopyInput{DocID: d.ID, Pages: []int{1, 3}, ApplicantName: "王大明", Purpose: "辦理繼承"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.svc.CopyPDF(f.ctx, c, d)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("EBAZHAO_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "archive-copy.pdf"), b, 0o644)
	}
	info := pdftest.Info(t, b)
	for _, re := range []string{`(?m)^Pages:\s+2$`, `(?m)^Page size:\s+595 x 842 pts \(A4\)$`, `(?m)^Title:\s+檔存申請書影本 115-000001$`,
		`(?m)^Creator:\s+ebazhao$`, `(?m)^Author:\s+臺中市北屯區戶政事務所$`} {
		if !regexp.MustCompile(re).MatchString(info) {
			t.Errorf("pdfinfo lacks %s:\n%s", re, info)
		}
	}
	// Every page is A4 portrait, not just the first.
	if sizes := pdftest.PageSizes(t, b); len(sizes) != 2 || sizes[0] != "595 x 842 pts (A4)" || sizes[1] != "595 x 842 pts (A4)" {
		t.Errorf("page sizes: %q", sizes)
	}
	imgs := listImages(t, b)
	if len(imgs) != 2 || imgs[0] != (listedImage{1, 600, 840}) || imgs[1] != (listedImage{2, 600, 840}) {
		t.Fatalf("pdfimages: %+v, want one 600×840 page image on each of pages 1 and 2", imgs)
	}
	// The pages are exactly the stamped pages 1 and 3 of the copy (第 1／2 頁,
	// 第 2／2 頁), embedded without re-encoding; page 2 is not in it.
	want1, err := f.svc.CopyPage(f.ctx, c, d, 1)
	if err != nil {
		t.Fatal(err)
	}
	want3, err := f.svc.CopyPage(f.ctx, c, d, 3)
	if err != nil {
		t.Fatal(err)
	}
	got := pdftest.JPEGs(t, b)
	if len(got) != 2 || !bytes.Equal(got[0], want1) || !bytes.Equal(got[1], want3) {
		t.Fatalf("the PDF's images are not the stamped pages 1 and 3 (%d images)", len(got))
	}
	if _, err := f.svc.CopyPage(f.ctx, c, d, 2); err == nil {
		t.Fatal("page 2 is not part of the copy")
	}
	for i, j := range got {
		img, err := jpeg.Decode(bytes.NewReader(j))
		if err != nil {
			t.Fatal(err)
		}
		bd := img.Bounds()
		if red := redPixels(img, image.Rect(bd.Dx()/2, bd.Dy()*3/4, bd.Dx(), bd.Dy())); red < 200 {
			t.Errorf("PDF page %d: no certification mark (%d red pixels)", i+1, red)
		}
	}
	// The stamp is in the image; the PDF holds no font and no text.
	if bytes.Contains(b, []byte("/FontFile")) {
		t.Error("the copy embeds a font")
	}
	if text := pdftest.Text(t, b); strings.TrimSpace(strings.ReplaceAll(text, "\f", "")) != "" {
		t.Errorf("text in the copy: %q", text)
	}

	// Rendered, the page shows the scan fitted within the 10 mm margins: 600×840
	// pixels fill the 190 mm width and 266 mm of height, centred (y 15.5…281.5),
	// with the red mark at its bottom right.
	page := renderPage(t, b, 2)
	for _, p := range []image.Point{{5, 150}, {205, 150}, {105, 8}, {105, 290}} {
		if l := page.luma(p.X, p.Y); l < 253 {
			t.Errorf("margin (%d,%d) mm is not white (luma %d)", p.X, p.Y, l)
		}
	}
	if l := page.luma(105, 20); l > 250 {
		t.Errorf("no scan at the top of the page (luma %d)", l)
	}
	if red := page.red(image.Rect(105, 200, 200, 282)); red < 400 {
		t.Errorf("no certification mark at the bottom right of the printed page (%d red pixels)", red)
	}
}

// renderPage rasterizes one page of b at 4 pixels per millimetre.
func renderPage(t testing.TB, b []byte, page int) mmPage {
	t.Helper()
	return mmPage{pdftest.Page(t, b, page, 25.4*pxPerMM)}
}

// mmPage is a rendered page addressed in millimetres.
type mmPage struct{ img image.Image }

const pxPerMM = 4

func (p mmPage) size() (w, h int) {
	return p.img.Bounds().Dx() / pxPerMM, p.img.Bounds().Dy() / pxPerMM
}

// luma is the mean brightness (0…255) of the square millimetre at (x, y).
func (p mmPage) luma(x, y int) int {
	var sum uint32
	for dy := 0; dy < pxPerMM; dy++ {
		for dx := 0; dx < pxPerMM; dx++ {
			r, g, b, _ := p.img.At(x*pxPerMM+dx, y*pxPerMM+dy).RGBA()
			sum += (r + g + b) / 3 >> 8
		}
	}
	return int(sum / (pxPerMM * pxPerMM))
}

// red counts the red pixels in the rectangle r given in millimetres.
func (p mmPage) red(r image.Rectangle) int {
	return redPixels(p.img, image.Rect(r.Min.X*pxPerMM, r.Min.Y*pxPerMM, r.Max.X*pxPerMM, r.Max.Y*pxPerMM))
}

// A large scan is printed at 300 dpi: scaled to fit the page before it is
// stamped, so the mark keeps its size on paper.
func TestCopyPDFScalesALargeScanToPrintResolution(t *testing.T) {
	f := newFixture(t)
	big := image.NewGray(image.Rect(0, 0, 3000, 4200))
	draw.Draw(big, big.Bounds(), image.NewUniform(color.Gray{Y: 245}), image.Point{}, draw.Src)
	for y := 200; y < 4000; y += 150 {
		draw.Draw(big, image.Rect(150, y, 2850, y+8), image.NewUniform(color.Gray{Y: 20}), image.Point{}, draw.Src)
	}
	var pngb bytes.Buffer
	if err := png.Encode(&pngb, big); err != nil {
		t.Fatal(err)
	}
	d := f.ingest(t, f.input(Person{IDNo: "A123456789", Name: "王大明"}), pngb.Bytes())
	c, err := f.svc.IssueCopy(f.ctx, f.clerkA, CopyInput{DocID: d.ID, ApplicantName: "王大明", Purpose: "訴訟"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.svc.CopyPDF(f.ctx, c, d)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("EBAZHAO_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "archive-copy-large.pdf"), b, 0o644)
	}
	// A4 is 595 pt = 209.9 mm wide: 189.9 mm within the margins is 2242 pixels
	// at 300 dpi, and 4200 × 2242/3000 = 3139.
	if imgs := listImages(t, b); len(imgs) != 1 || imgs[0] != (listedImage{1, 2242, 3139}) {
		t.Fatalf("pdfimages: %+v, want one 2242×3139 image", imgs)
	}
	page := renderPage(t, b, 1)
	if w, h := page.size(); w < 209 || w > 211 || h < 296 || h > 298 {
		t.Fatalf("rendered page %d×%d mm, want 210×297", w, h)
	}
	dark := func(x, y int) bool { return page.luma(x, y) < 235 }
	// Fitted to the 190 mm width: the scan spans x 10…200 mm and y 16…282 mm
	// (268 mm tall, centred in 277); the margins stay white.
	for _, p := range []image.Point{{5, 150}, {205, 150}, {105, 5}, {105, 292}} {
		if dark(p.X, p.Y) {
			t.Errorf("margin (%d,%d) mm is not white", p.X, p.Y)
		}
	}
	ruled := 0
	for y := 20; y < 280; y++ {
		if dark(105, y) {
			ruled++
		}
	}
	if ruled < 10 {
		t.Errorf("the scan's ruled lines are missing from the middle of the page (%d dark mm)", ruled)
	}
	if red := page.red(image.Rect(105, 200, 200, 282)); red < 400 {
		t.Errorf("no certification mark at the bottom right of the printed page (%d red pixels)", red)
	}
	if red := page.red(image.Rect(10, 16, 105, 150)); red > 0 {
		t.Errorf("red in the top left of the page (%d pixels)", red)
	}
}

// failingStore cannot be read at the moment (a network store down).
type failingStore struct{ blob.Store }

func (failingStore) Open(context.Context, string) (io.ReadCloser, error) {
	return nil, errors.New("connection refused")
}

func TestCopyPDFRefusesWhenAPageCannotBeRead(t *testing.T) {
	f := newFixture(t)
	d := f.ingest(t, f.input(Person{IDNo: "A123456789", Name: "王大明"}), tiffOf(70, 71, 72))
	c, err := f.svc.IssueCopy(f.ctx, f.clerkA, CopyInput{DocID: d.ID, Pages: []int{1, 3}, ApplicantName: "王大明", Purpose: "訴訟"})
	if err != nil {
		t.Fatal(err)
	}
	fs := blob.NewFS(f.blobDir)
	path := fs.Path(d.Pages[2].SHA) // page 3
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	restore := func() {
		os.Remove(path)
		if err := os.WriteFile(path, orig, 0o400); err != nil {
			t.Fatal(err)
		}
	}
	check := func(name string, page int, damaged bool, want string) {
		t.Helper()
		b, err := f.svc.CopyPDF(f.ctx, c, d)
		var pu *PageUnreadableError
		if !errors.As(err, &pu) || b != nil {
			t.Fatalf("%s: %v, want a PageUnreadableError and no PDF", name, err)
		}
		if pu.DocID != d.ID || pu.Page != page || pu.Damaged != damaged || !strings.Contains(pu.Message(), want) || !strings.Contains(pu.Message(), fmt.Sprintf("第 %d 頁", page)) {
			t.Errorf("%s: %+v %q", name, pu, pu.Message())
		}
		var we *web.Error
		if !errors.As(webError(err), &we) || we.Status != http.StatusInternalServerError || we.Msg != pu.Message() {
			t.Errorf("%s: web error %v", name, webError(err))
		}
	}
	// Flipped bytes: the store's checksum refuses them.
	bad := bytes.Clone(orig)
	bad[len(bad)/2] ^= 0xFF
	os.Remove(path)
	if err := os.WriteFile(path, bad, 0o400); err != nil {
		t.Fatal(err)
	}
	check("corrupt", 3, true, "毀損或遺失")
	os.Remove(path)
	check("missing", 3, true, "毀損或遺失")
	restore()
	f.svc.Blobs = failingStore{f.svc.Blobs}
	check("store down", 1, false, "暫時無法讀取")
	f.svc.Blobs = fs
	if _, err := f.svc.CopyPDF(f.ctx, c, d); err != nil {
		t.Fatalf("after the restore: %v", err)
	}
	// The page image route says the same.
	os.Remove(path)
	_, err = f.svc.CopyPage(f.ctx, c, d, 3)
	var pu *PageUnreadableError
	if !errors.As(err, &pu) || !pu.Damaged {
		t.Fatalf("CopyPage of a missing page: %v", err)
	}
	// A copy is of one document.
	other := f.ingest(t, f.input(Person{IDNo: "A123456789", Name: "王大明"}), tiffOf(73))
	if _, err := f.svc.CopyPDF(f.ctx, c, other); err == nil {
		t.Error("a copy rendered from another document")
	}
}
