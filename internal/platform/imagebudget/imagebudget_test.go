package imagebudget

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

func TestCostCountsDeepImagesTwice(t *testing.T) {
	for _, c := range []struct {
		img  image.Image
		want int64
	}{
		{image.NewGray(image.Rect(0, 0, 30, 20)), 600},
		{image.NewNRGBA(image.Rect(0, 0, 30, 20)), 600},
		{image.NewGray16(image.Rect(0, 0, 30, 20)), 1200},
		{image.NewRGBA64(image.Rect(0, 0, 30, 20)), 1200},
	} {
		var buf bytes.Buffer
		if err := png.Encode(&buf, c.img); err != nil {
			t.Fatal(err)
		}
		cfg, _, err := image.DecodeConfig(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if got := Cost(cfg); got != c.want {
			t.Errorf("%T: cost %d, want %d", c.img, got, c.want)
		}
	}
	if Cost(image.Config{ColorModel: color.GrayModel, Width: -5, Height: 10}) != 0 {
		t.Error("a negative side must not make a negative cost")
	}
}

func TestCheckReadsTheContentAndPricesTheHeader(t *testing.T) {
	var small bytes.Buffer
	png.Encode(&small, image.NewGray(image.Rect(0, 0, 20, 20)))
	huge := append([]byte{}, small.Bytes()...)
	binary.BigEndian.PutUint32(huge[16:], 20000)
	binary.BigEndian.PutUint32(huge[20:], 20000)
	binary.BigEndian.PutUint32(huge[29:], crc32.ChecksumIEEE(huge[12:29]))
	pdf := []byte("%PDF-1.4\n1 0 obj\n<< /Type /Pages /Kids [2 0 R] /Count 1 >>\nendobj\n2 0 obj\n<< /Type /Page /Parent 1 0 R >>\nendobj\nstartxref\n9\n%%EOF\n")
	l := Limits{MaxBytes: 1 << 20, MaxPixels: 36_000_000, MaxPages: 2}
	for name, c := range map[string]struct {
		b      []byte
		format string
		reason string
	}{
		"png":          {small.Bytes(), PNG, ""},
		"pdf":          {pdf, PDF, ""},
		"random":       {[]byte("not an image at all, just text named scan.pdf"), "", "不是 PDF、JPEG、PNG"},
		"bomb":         {huge, "", "影像尺寸過大"},
		"truncated":    {small.Bytes()[:len(small.Bytes())-12], "", "不完整"},
		"pdf no end":   {pdf[:len(pdf)-20], "", "PDF 檔不完整"},
		"pdf no pages": {[]byte("%PDF-1.4\nstartxref\n9\n%%EOF\n"), "", "沒有任何頁面"},
		"pdf too long": {bytes.Replace(pdf, []byte("/Count 1"), []byte("/Count 3 /Type /Page /Type /Page"), 1), "", "頁數過多"},
		"encrypted":    {bytes.Replace(pdf, []byte("startxref"), []byte("/Encrypt 3 0 R\nstartxref"), 1), "", "加密"},
		"too big":      {append(small.Bytes(), make([]byte, 1<<20)...), "", "檔案過大"},
		"empty":        {nil, "", "空的"},
		"tiff refused": {[]byte("II*\x00rest"), "", "不是"},
	} {
		f, err := Check(c.b, l)
		if c.reason == "" {
			if err != nil || f != c.format {
				t.Errorf("%s: %q %v, want %s", name, f, err, c.format)
			}
			continue
		}
		var rej *Rejection
		if !errors.As(err, &rej) || !strings.Contains(rej.Reason, c.reason) {
			t.Errorf("%s: %v, want a rejection with %q", name, err, c.reason)
		}
	}
}
