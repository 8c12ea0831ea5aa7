// Package imagebudget prices an image before any pixel is decoded.
//
// Every upload path that decodes images (seal imprints and cards, archive
// pages) reads the header first (image.DecodeConfig) and compares Cost against
// a budget per image and per request, so a small file that declares an enormous
// or deep image (a decompression bomb: 622 KB of PNG for 80 megapixels at 16
// bits, 1.9 GB and 17 s to decode) is refused at the price of its header.
package imagebudget

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // Check reads JPEG headers
	_ "image/png"  // and PNG headers
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Cost is what decoding an image of configuration c costs, in 8-bit pixels:
// width × height, twice for 16 bits a sample (decoded as 8 bytes a pixel
// instead of 4).
func Cost(c image.Config) int64 {
	px := int64(max(c.Width, 0)) * int64(max(c.Height, 0))
	switch c.ColorModel {
	case color.RGBA64Model, color.NRGBA64Model, color.Gray16Model, color.Alpha16Model:
		return 2 * px
	}
	return px
}

// Formats Check tells apart by content (never by file name or declared type).
const (
	PNG  = "png"
	JPEG = "jpeg"
	TIFF = "tiff"
	PDF  = "pdf"
)

// Sniff names the format of b from its first bytes ("" if none of the above).
func Sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return TIFF
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return PDF
	}
	return ""
}

// Limits bound one uploaded file that Check accepts.
type Limits struct {
	Formats   []string // accepted formats (PNG, JPEG, PDF…); nil: PNG, JPEG and PDF
	MaxBytes  int64    // size of the file
	MaxPixels int64    // Cost of the image (images only)
	MaxPages  int      // pages of a PDF (0: no bound)
}

// Rejection is a file Check refuses; Reason is the message for the user
// (Chinese), Err the precise cause for the log.
type Rejection struct {
	Reason string
	Err    error
}

func (e *Rejection) Error() string { return e.Reason }
func (e *Rejection) Unwrap() error { return e.Err }

var (
	pdfPage     = regexp.MustCompile(`/Type\s*/Page\b`)
	pdfVersion  = regexp.MustCompile(`^%PDF-[12]\.[0-9]`)
	formatNames = map[string]string{PNG: "PNG", JPEG: "JPEG", TIFF: "TIFF", PDF: "PDF"}
)

// Check is the one validation of an uploaded image or PDF that is stored as
// it is (an N加e signed application, say): the format is read from the
// content, the size and, for an image, the pixels its header declares are
// within the limits — a decompression bomb is refused at the price of its
// header, no pixel is decoded — and the file is whole (an image's end marker;
// a PDF's header, page objects, cross-reference pointer and end marker). It
// returns the format, or a *Rejection.
func Check(b []byte, l Limits) (string, error) {
	formats := l.Formats
	if formats == nil {
		formats = []string{PDF, JPEG, PNG}
	}
	var names []string
	for _, f := range formats {
		names = append(names, formatNames[f])
	}
	accepted := strings.Join(names, "、")
	if len(b) == 0 {
		return "", &Rejection{Reason: "檔案是空的（0 位元組）"}
	}
	if l.MaxBytes > 0 && int64(len(b)) > l.MaxBytes {
		return "", &Rejection{Reason: fmt.Sprintf("檔案過大（%.1f MB，上限 %d MB）", float64(len(b))/(1<<20), l.MaxBytes>>20)}
	}
	format := Sniff(b)
	if format == "" || !slices.Contains(formats, format) {
		return "", &Rejection{Reason: "檔案內容不是 " + accepted + "（不論副檔名），請上傳掃描檔",
			Err: fmt.Errorf("content sniffed as %q (%s)", format, http.DetectContentType(b))}
	}
	if format == PDF {
		return format, checkPDF(b, l)
	}
	c, f, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return "", &Rejection{Reason: "影像檔已損毀或格式錯誤，無法讀取", Err: err}
	}
	if f != format {
		return "", &Rejection{Reason: "影像檔格式與內容不符", Err: fmt.Errorf("sniffed %s, decoder %s", format, f)}
	}
	if c.Width <= 0 || c.Height <= 0 {
		return "", &Rejection{Reason: "影像尺寸無效"}
	}
	if l.MaxPixels > 0 && Cost(c) > l.MaxPixels {
		return "", &Rejection{Reason: fmt.Sprintf("影像尺寸過大（%d×%d 像素，上限 %d 萬像素）", c.Width, c.Height, l.MaxPixels/10000),
			Err: fmt.Errorf("cost %d over %d", Cost(c), l.MaxPixels)}
	}
	tail := bytes.TrimRight(b[max(0, len(b)-64):], "\x00\r\n ")
	switch {
	case format == JPEG && !bytes.HasSuffix(tail, []byte{0xFF, 0xD9}),
		format == PNG && !bytes.Contains(tail, []byte("IEND")):
		return "", &Rejection{Reason: "影像檔不完整（檔尾缺漏），請重新掃描或上傳", Err: errors.New("no end marker")}
	}
	return format, nil
}

// checkPDF checks a PDF's structure without rendering it: the server never
// draws a stored PDF, the browser of who opens it does.
func checkPDF(b []byte, l Limits) error {
	if !pdfVersion.Match(b) {
		return &Rejection{Reason: "PDF 檔頭無效，檔案已損毀", Err: errors.New("no %PDF-n.n header")}
	}
	tail := b[max(0, len(b)-1024):]
	if !bytes.Contains(tail, []byte("%%EOF")) || !bytes.Contains(tail, []byte("startxref")) {
		return &Rejection{Reason: "PDF 檔不完整（缺少檔尾），請重新掃描或上傳", Err: errors.New("no startxref/%%EOF in the last 1 KB")}
	}
	if bytes.Contains(b, []byte("/Encrypt")) {
		return &Rejection{Reason: "PDF 檔已加密，請上傳未加密的掃描檔", Err: errors.New("/Encrypt")}
	}
	n := len(pdfPage.FindAllIndex(b, -1))
	if n == 0 {
		// Page objects inside compressed object streams are not seen here:
		// such a PDF still declares its page tree's count.
		if m := pdfCount.FindSubmatch(b); m != nil {
			n, _ = strconv.Atoi(string(m[1]))
		}
	}
	if n == 0 {
		return &Rejection{Reason: "PDF 檔沒有任何頁面", Err: errors.New("no page object")}
	}
	if l.MaxPages > 0 && n > l.MaxPages {
		return &Rejection{Reason: fmt.Sprintf("PDF 頁數過多（%d 頁，上限 %d 頁）", n, l.MaxPages)}
	}
	return nil
}

var pdfCount = regexp.MustCompile(`/Type\s*/Pages\b[^>]*?/Count\s+(\d+)`)
