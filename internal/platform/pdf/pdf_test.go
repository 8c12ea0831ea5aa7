package pdf

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/platform/pdf/pdftest"
)

func TestA5WithRareCharacters(t *testing.T) {
	fonts := NewFonts("")
	if err := fonts.Check(); err != nil {
		t.Fatal(err)
	}
	d, err := fonts.New(A5, Portrait)
	if err != nil {
		t.Fatal(err)
	}
	d.SetInfo("測試", "規費收據", "ebazhao", time.Date(2025, 7, 7, 9, 0, 0, 0, time.UTC))
	d.AddPage()
	if err := d.SetFont(Kai, 18); err != nil {
		t.Fatal(err)
	}
	if err := d.TextCenter(74, 20, "臺中市西屯區戶政事務所"); err != nil {
		t.Fatal(err)
	}
	if err := d.SetFont(Sung, 11); err != nil {
		t.Fatal(err)
	}
	// 𡍼 (U+2137C) and 𪜶 (U+2A736) are in plane 2; the rest in the BMP.
	for i, s := range []string{"繳款人：𡍼大明", "合計：新臺幣壹佰參拾元整", "備註：𪜶們的戶籍謄本 3 張", "ABC 123"} {
		if err := d.Text(15, 40+float64(i)*8, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.TextRight(133, 90, "NT$130"); err != nil {
		t.Fatal(err)
	}
	d.Rect(10, 10, 128, 190)
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	info := pdftest.Info(t, b)
	if !strings.Contains(info, "(A5)") || !regexp.MustCompile(`Pages:\s+1\n`).MatchString(info) {
		t.Errorf("pdfinfo: want one A5 page:\n%s", info)
	}
	text := pdftest.Text(t, b)
	for _, want := range []string{"臺中市西屯區戶政事務所", "繳款人：𡍼大明", "合計：新臺幣壹佰參拾元整", "𪜶們的戶籍謄本 3 張", "ABC 123", "NT$130"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, text)
		}
	}
	if _, err := d.Bytes(); err == nil {
		t.Error("Bytes twice: want an error")
	}
}

func TestA4Landscape(t *testing.T) {
	d, err := NewFonts("").New(A4, Landscape)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := d.Size(); w < 296.5 || w > 297.5 || h < 209.5 || h > 210.5 {
		t.Fatalf("size %v×%v", w, h)
	}
	d.AddPage()
	if err := d.Text(20, 20, "戶籍謄本"); err != nil {
		t.Fatal(err)
	}
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if info := pdftest.Info(t, b); !strings.Contains(info, "842 x 595 pts (A4)") {
		t.Errorf("want A4 landscape:\n%s", info)
	}
}

func TestWrap(t *testing.T) {
	d, err := NewFonts("").New(A4, Portrait)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SetFont(Sung, 10); err != nil {
		t.Fatal(err)
	}
	w, err := d.Width("戶")
	if err != nil || w <= 0 {
		t.Fatalf("width %v %v", w, err)
	}
	lines, err := d.Wrap("戶政規費收費標準第二條 English words stay whole", w*8.5)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 3 || lines[0] != "戶政規費收費標準" {
		t.Fatalf("lines %q", lines)
	}
	for _, l := range lines {
		if strings.Contains(l, "Eng") && !strings.Contains(l, "English") {
			t.Errorf("a word was split: %q", lines)
		}
	}
}

func TestMissingFontsAreExplained(t *testing.T) {
	f := NewFonts(t.TempDir())
	err := f.Check()
	if !errors.Is(err, ErrFontsMissing) || !strings.Contains(err.Error(), "fonts-cns11643-sung") || !strings.Contains(err.Error(), FontDirEnv) {
		t.Fatalf("Check: %v", err)
	}
	if _, err := f.New(A5, Portrait); !errors.Is(err, ErrFontsMissing) {
		t.Fatalf("New: %v", err)
	}
}

func TestFontDirFromEnvironment(t *testing.T) {
	t.Setenv(FontDirEnv, "/nowhere")
	if got := NewFonts("").Dir(); got != "/nowhere" {
		t.Fatalf("Dir = %q", got)
	}
}

// Documents drawn at once share the parsed fonts; run with -race.
func TestConcurrentDocuments(t *testing.T) {
	fonts := NewFonts("")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			d, err := fonts.New(A5, Portrait)
			if err != nil {
				errs <- err
				return
			}
			d.AddPage()
			if err := d.Text(10, 20, strings.Repeat("戶政𡍼", i+1)); err != nil {
				errs <- err
				return
			}
			b, err := d.Bytes()
			if err == nil && !bytes.HasPrefix(b, []byte("%PDF-")) {
				err = errors.New("not a PDF")
			}
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestUTF16Hex(t *testing.T) {
	for r, want := range map[rune]string{'戶': "6236", 0x2137C: "D844DF7C", 0xF0000: "DB80DC00"} {
		if got := utf16Hex(r); got != want {
			t.Errorf("utf16Hex(%U) = %s, want %s", r, got, want)
		}
	}
}

func BenchmarkA5Receipt(b *testing.B) {
	fonts := NewFonts("")
	if _, err := fonts.container(Sung, planeBase); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := fonts.New(A5, Portrait)
		if err != nil {
			b.Fatal(err)
		}
		d.AddPage()
		for j := 0; j < 12; j++ {
			if err := d.Text(10, 20+float64(j)*8, "戶籍謄本 3 張 45 元 新臺幣肆拾伍元整"); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := d.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

// testPicture is a w×h picture with coloured blocks, so that its JPEG is not trivial.
func testPicture(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(m, m.Bounds(), image.NewUniform(color.RGBA{240, 238, 230, 255}), image.Point{}, draw.Src)
	for i := 0; i < 8; i++ {
		r := image.Rect(w*i/10, h*i/10, w*i/10+w/5, h*i/10+h/8)
		draw.Draw(m, r, image.NewUniform(color.RGBA{uint8(30 * i), 40, uint8(200 - 20*i), 255}), image.Point{}, draw.Src)
	}
	return m
}

func jpegOf(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImageBesideTextOnA4(t *testing.T) {
	d, err := NewFonts("").New(A4, Portrait)
	if err != nil {
		t.Fatal(err)
	}
	jpg := jpegOf(t, testPicture(240, 320))
	d.AddPage()
	if err := d.Image(jpg, 20, 30, 60, 80); err != nil {
		t.Fatal(err)
	}
	if err := d.Text(90, 40, "檔存申請書影本 第 1 頁"); err != nil {
		t.Fatal(err)
	}
	if err := d.Text(90, 50, "核發人員：王大明"); err != nil {
		t.Fatal(err)
	}
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if info := pdftest.Info(t, b); !strings.Contains(info, "595 x 842 pts (A4)") || !regexp.MustCompile(`Pages:\s+1\n`).MatchString(info) {
		t.Errorf("want one A4 page:\n%s", info)
	}
	imgs := pdftest.Images(t, b)
	if len(imgs) != 1 || imgs[0].Page != 1 || imgs[0].Width != 240 || imgs[0].Height != 320 || imgs[0].Enc != "jpeg" || imgs[0].Color != "rgb" {
		t.Fatalf("pdfimages: %+v, want one 240×320 RGB JPEG on page 1", imgs)
	}
	// The JPEG is embedded as it came: the stream pdfimages writes out is the same bytes.
	if got := pdftest.JPEGs(t, b); len(got) != 1 || !bytes.Equal(got[0], jpg) {
		t.Fatalf("embedded JPEG differs from the one drawn (%d extracted)", len(got))
	}
	text := pdftest.Text(t, b)
	for _, want := range []string{"檔存申請書影本 第 1 頁", "核發人員：王大明"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, text)
		}
	}
}

// The image lands where it was asked: render the page and look for its colours.
func TestImageFitIsCentredAndKeepsItsAspect(t *testing.T) {
	d := NewWithoutFonts(A4, Portrait)
	pic := image.NewRGBA(image.Rect(0, 0, 300, 400))
	draw.Draw(pic, pic.Bounds(), image.NewUniform(color.RGBA{200, 0, 0, 255}), image.Point{}, draw.Src)
	d.AddPage()
	placed, err := d.ImageFit(jpegOf(t, pic), Box{X: 10, Y: 20, W: 100, H: 100})
	if err != nil {
		t.Fatal(err)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if !near(placed.X, 22.5) || !near(placed.Y, 20) || !near(placed.W, 75) || !near(placed.H, 100) {
		t.Fatalf("placed %+v, want {22.5 20 75 100}", placed)
	}
	if err := d.Text(10, 10, "x"); !errors.Is(err, ErrNoFonts) {
		t.Fatalf("text without fonts: %v", err)
	}
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("/FontFile")) {
		t.Error("a document without fonts embeds a font")
	}
	page := pdftest.Page(t, b, 1, 25.4) // 1 px = 1 mm at 25.4 dpi
	red := func(x, y int) bool {
		r, g, _, _ := page.At(x, y).RGBA()
		return r>>8 > 150 && g>>8 < 80
	}
	for _, p := range []image.Point{{24, 22}, {95, 22}, {24, 118}, {95, 118}, {60, 70}} {
		if !red(p.X, p.Y) {
			t.Errorf("(%d,%d) mm should be inside the image", p.X, p.Y)
		}
	}
	for _, p := range []image.Point{{15, 70}, {105, 70}, {60, 15}, {60, 125}} {
		if red(p.X, p.Y) {
			t.Errorf("(%d,%d) mm should be outside the image", p.X, p.Y)
		}
	}
}

func TestImageOnSeveralPagesIsEmbeddedOnce(t *testing.T) {
	d := NewWithoutFonts(A4, Portrait)
	jpg := jpegOf(t, testPicture(120, 90))
	var gray bytes.Buffer
	g := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range g.Pix {
		g.Pix[i] = uint8(i)
	}
	if err := png.Encode(&gray, g); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		d.AddPage()
		if err := d.Image(jpg, 10, 10, 120, 90); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Image(gray.Bytes(), 10, 120, 64, 48); err != nil {
		t.Fatal(err)
	}
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	imgs := pdftest.Images(t, b)
	if len(imgs) != 4 {
		t.Fatalf("pdfimages: %+v, want 4 uses", imgs)
	}
	for i, im := range imgs[:3] {
		if im.Page != i+1 || im.Object != imgs[0].Object || im.Width != 120 || im.Height != 90 {
			t.Errorf("use %d: %+v, want the same 120×90 object on page %d", i, im, i+1)
		}
	}
	if im := imgs[3]; im.Page != 3 || im.Width != 64 || im.Height != 48 || im.Color != "gray" || im.Enc != "image" {
		t.Errorf("PNG: %+v, want a 64×48 gray image on page 3", im)
	}
	if n := bytes.Count(b, []byte("/Subtype /Image")); n != 2 {
		t.Errorf("%d image objects, want 2", n)
	}
}

func TestImageRefusesWhatItCannotEmbed(t *testing.T) {
	d := NewWithoutFonts(A5, Portrait)
	jpg := jpegOf(t, testPicture(40, 30))
	if err := d.Image(jpg, 0, 0, 40, 30); err == nil {
		t.Error("an image before the first page")
	}
	d.AddPage()
	var gf bytes.Buffer
	if err := gif.Encode(&gf, testPicture(40, 30), nil); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		data []byte
		w, h float64
	}{
		"gif":       {gf.Bytes(), 40, 30},
		"garbage":   {[]byte("not an image at all"), 40, 30},
		"truncated": {jpg[:20], 40, 30},
		"empty box": {jpg, 0, 30},
		"nan box":   {jpg, math.NaN(), 30},
	} {
		if err := d.Image(c.data, 5, 5, c.w, c.h); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := d.Image(jpg, 5, 5, 40, 30); err != nil {
		t.Fatalf("a good JPEG after refusals: %v", err)
	}
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if imgs := pdftest.Images(t, b); len(imgs) != 1 || imgs[0].Width != 40 {
		t.Fatalf("pdfimages: %+v, want only the good image", imgs)
	}
}

// TestSharedFontsParseOnce: every subsystem asks for the shared set, so a face
// is parsed once per process (six separate sets with both faces parsed held
// 527 MB of heap, one shared set 88 MB); another folder is another set.
func TestSharedFontsParseOnce(t *testing.T) {
	a, b := Shared(""), Shared(DefaultFontDir)
	if os.Getenv(FontDirEnv) == "" && a != b {
		t.Error("the default folder gave two font sets")
	}
	if Shared("") != a {
		t.Error("two calls gave two font sets")
	}
	other := Shared(t.TempDir())
	if other == a || other.Dir() == a.Dir() {
		t.Errorf("another folder shares the default set (%s)", other.Dir())
	}
	if err := other.Check(); !errors.Is(err, ErrFontsMissing) {
		t.Errorf("an empty folder's set: %v", err)
	}
}
