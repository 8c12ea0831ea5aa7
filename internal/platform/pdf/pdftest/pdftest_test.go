package pdftest_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/pdf/pdftest"
)

const pages = 11 // more than 9, so that poppler's numbered output files sort by number, not by name

// shade is the gray of the picture on page p (1…pages).
func shade(p int) uint8 { return uint8(20 * p) }

// document is an A5 portrait PDF of 11 pages: on each page its number and a
// name with a plane-2 character as text, and a 40×30 mm JPEG of its own gray at (20, 60) mm; page 2 also carries a
// 64×48 PNG, embedded as a Flate image.
func document(t *testing.T) (b []byte, jpegs [][]byte) {
	t.Helper()
	d, err := pdf.NewFonts("").New(pdf.A5, pdf.Portrait)
	if err != nil {
		t.Fatal(err)
	}
	for p := 1; p <= pages; p++ {
		d.AddPage()
		if err := d.Text(20, 20, fmt.Sprintf("第 %d 頁", p)); err != nil {
			t.Fatal(err)
		}
		if err := d.Text(20, 30, "𡍼大明"); err != nil {
			t.Fatal(err)
		}
		pic := image.NewRGBA(image.Rect(0, 0, 160, 120))
		draw.Draw(pic, pic.Bounds(), image.NewUniform(color.Gray{Y: shade(p)}), image.Point{}, draw.Src)
		var j bytes.Buffer
		if err := jpeg.Encode(&j, pic, &jpeg.Options{Quality: 90}); err != nil {
			t.Fatal(err)
		}
		if err := d.Image(j.Bytes(), 20, 60, 40, 30); err != nil {
			t.Fatal(err)
		}
		jpegs = append(jpegs, j.Bytes())
		if p == 2 {
			var g bytes.Buffer
			if err := png.Encode(&g, image.NewGray(image.Rect(0, 0, 64, 48))); err != nil {
				t.Fatal(err)
			}
			if err := d.Image(g.Bytes(), 20, 120, 32, 24); err != nil {
				t.Fatal(err)
			}
		}
	}
	d.SetInfo("測試文件", "pdftest", "ebazhao", time.Date(2025, 7, 7, 9, 0, 0, 0, time.UTC))
	if b, err = d.Bytes(); err != nil {
		t.Fatal(err)
	}
	return b, jpegs
}

func TestReadBack(t *testing.T) {
	b, jpegs := document(t)

	text := pdftest.Text(t, b)
	if n := strings.Count(text, "\f"); n != pages {
		t.Errorf("%d form feeds in the text, want one after each of %d pages:\n%s", n, pages, text)
	}
	for i, page := range strings.Split(strings.TrimSuffix(text, "\f"), "\f") {
		for _, want := range []string{fmt.Sprintf("第 %d 頁", i+1), "𡍼大明"} {
			if !strings.Contains(page, want) {
				t.Errorf("page %d of the text lacks %q:\n%s", i+1, want, page)
			}
		}
	}

	if info := pdftest.Info(t, b); !strings.Contains(info, "測試文件") || !strings.Contains(info, "(A5)") {
		t.Errorf("pdfinfo lacks the title or the A5 size:\n%s", info)
	}
	if n := pdftest.Pages(t, b); n != pages {
		t.Errorf("Pages = %d, want %d", n, pages)
	}
	sizes := pdftest.PageSizes(t, b)
	if len(sizes) != pages {
		t.Fatalf("PageSizes: %q, want %d", sizes, pages)
	}
	for i, s := range sizes {
		if s != "420 x 595 pts (A5)" {
			t.Errorf("page %d size %q, want A5 portrait", i+1, s)
		}
	}

	imgs := pdftest.Images(t, b)
	if len(imgs) != pages+1 {
		t.Fatalf("Images: %+v, want %d", imgs, pages+1)
	}
	var jpegRows []pdftest.Image
	for i, im := range imgs {
		if i > 0 && im.Page < imgs[i-1].Page {
			t.Errorf("Images out of page order: %+v", imgs)
		}
		if im.Enc == "jpeg" {
			jpegRows = append(jpegRows, im)
			continue
		}
		if want := (pdftest.Image{Page: 2, Num: im.Num, Type: "image", Width: 64, Height: 48, Color: "gray", Comp: 1, BPC: 8, Enc: "image",
			Interp: false, Object: im.Object, Gen: 0}); im != want || im.Object == 0 {
			t.Errorf("PNG row %+v, want %+v", im, want)
		}
	}
	for i, im := range jpegRows {
		if im.Page != i+1 || im.Type != "image" || im.Width != 160 || im.Height != 120 || im.Comp != 3 || im.Color != "rgb" {
			t.Errorf("JPEG row %d: %+v, want the 160×120 RGB picture of page %d", i, im, i+1)
		}
	}

	got := pdftest.JPEGs(t, b)
	if len(got) != pages {
		t.Fatalf("JPEGs: %d, want the %d JPEGs and not the PNG", len(got), pages)
	}
	for i := range got {
		if !bytes.Equal(got[i], jpegs[i]) {
			t.Errorf("JPEG %d is not the stream drawn on page %d", i, i+1)
		}
	}

	// At 25.4 dpi a pixel is a millimetre: A5 is 148×210 pixels and the
	// picture covers x 20…60, y 60…90.
	gray := func(m image.Image, x, y int) int {
		r, _, _, _ := color.GrayModel.Convert(m.At(x, y)).RGBA()
		return int(r >> 8)
	}
	near := func(got int, want uint8) bool { return got > int(want)-10 && got < int(want)+10 }
	page3 := pdftest.Page(t, b, 3, 25.4)
	if sz := page3.Bounds().Size(); sz.X < 147 || sz.X > 149 || sz.Y < 209 || sz.Y > 211 {
		t.Errorf("page 3 at 25.4 dpi is %v pixels, want 148×210", sz)
	}
	if g := gray(page3, 40, 75); !near(g, shade(3)) {
		t.Errorf("page 3 picture gray %d, want about %d", g, shade(3))
	}
	if g := gray(page3, 100, 75); g < 250 {
		t.Errorf("page 3 beside the picture gray %d, want white", g)
	}
	all := pdftest.Render(t, b, 25.4)
	if len(all) != pages {
		t.Fatalf("Render: %d pages, want %d", len(all), pages)
	}
	for i, m := range all {
		if g := gray(m, 40, 75); !near(g, shade(i+1)) {
			t.Errorf("rendered page %d picture gray %d, want about %d (pages out of order?)", i+1, g, shade(i+1))
		}
	}

	// Run passes the PDF last and runs in the PDF's folder, where pdftotext
	// without an output name leaves doc.txt.
	out, dir := pdftest.Run(t, b, "pdftotext", "-f", "5", "-l", "5", "-enc", "UTF-8")
	if out != "" {
		t.Errorf("pdftotext to a file printed %q", out)
	}
	if txt, err := os.ReadFile(filepath.Join(dir, "doc.txt")); err != nil || !strings.Contains(string(txt), "第 5 頁") || strings.Contains(string(txt), "第 4 頁") {
		t.Errorf("doc.txt of page 5: %v %q", err, txt)
	}
}

// fatalTB records the first Fatal of a helper and stops its goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatal(args ...any) {
	f.msg = fmt.Sprint(args...)
	runtime.Goexit()
}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fails runs fn with a fatalTB and returns what it failed with ("" if it did not).
func fails(t *testing.T, fn func(testing.TB)) string {
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f.msg
}

func TestFailures(t *testing.T) {
	for _, c := range []struct {
		name string
		fn   func(testing.TB)
		want string
	}{
		{"not a PDF", func(tb testing.TB) { pdftest.Text(tb, []byte("<!doctype html><p>伺服器錯誤")) }, "not a PDF: <!doctype html><p>伺服器錯誤"},
		{"broken PDF", func(tb testing.TB) { pdftest.Info(tb, []byte("%PDF-1.7\nnot really")) }, "pdfinfo doc.pdf: exit status"},
		{"missing tool", func(tb testing.TB) { pdftest.Run(tb, []byte("%PDF-1.7\n"), "pdf-no-such-tool") }, "pdf-no-such-tool missing: install poppler-utils"},
	} {
		if got := fails(t, c.fn); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: failed with %q, want %q…", c.name, got, c.want)
		}
	}
}
