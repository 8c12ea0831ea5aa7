package pdf

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// pdfText runs pdftotext (poppler-utils) on b with the layout kept.
func pdfText(t testing.TB, b []byte) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

func pdfInfo(t testing.TB, b []byte) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", in).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	return string(out)
}

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
	info := pdfInfo(t, b)
	if !strings.Contains(info, "(A5)") || !regexp.MustCompile(`Pages:\s+1\n`).MatchString(info) {
		t.Errorf("pdfinfo: want one A5 page:\n%s", info)
	}
	text := pdfText(t, b)
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
	if info := pdfInfo(t, b); !strings.Contains(info, "842 x 595 pts (A4)") {
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
