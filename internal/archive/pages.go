package archive

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"time"

	"ebazhao/internal/platform/imagebudget"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/tiff"
)

// Limits bound what an upload may hold; they protect the server from huge
// files, decompression bombs and PDFs with thousands of pages.
type Limits struct {
	MaxUploadBytes int64 // size of one uploaded file
	MaxPages       int   // pages in one document
	MaxPixels      int64 // one page's imagebudget.Cost (width × height, 16-bit counted twice)
	MaxFilePixels  int64 // all pages of one file together, checked before any page is decoded
	MaxSide        int   // longest side of one page, in pixels
	MinSide        int   // shortest side: smaller is not a readable scan
	ThumbWidth     int   // thumbnail width in pixels
	PDFLongSide    int   // pixels of a PDF page's long side when rasterized
	PDFTimeout     time.Duration
}

// DefaultLimits fit an A4 page at 600 dpi or an A3 page at 400 dpi (about 35 and
// 31 megapixels); a file holds at most about 140 A4 pages at 300 dpi (1.2
// gigapixels, some two minutes of decoding): a larger bundle is uploaded in parts.
func DefaultLimits() Limits {
	return Limits{MaxUploadBytes: 80 << 20, MaxPages: 300, MaxPixels: 36_000_000, MaxFilePixels: 1_200_000_000, MaxSide: 12000, MinSide: 300,
		ThumbWidth: 220, PDFLongSide: 2339, PDFTimeout: 2 * time.Minute}
}

// RejectError is a file or page that cannot be archived; its text is the
// message for the scanning staff.
type RejectError struct {
	Page   int // 1-based; 0 for the whole file
	Reason string
	Err    error // the precise cause for the log
}

func (e *RejectError) Error() string {
	if e.Page > 0 {
		return fmt.Sprintf("第%d頁：%s", e.Page, e.Reason)
	}
	return e.Reason
}
func (e *RejectError) Unwrap() error { return e.Err }

func reject(page int, reason string, err error) error {
	return &RejectError{Page: page, Reason: reason, Err: err}
}

// Source formats.
const (
	FormatPNG  = "png"
	FormatJPEG = "jpeg"
	FormatTIFF = "tiff"
	FormatPDF  = "pdf"
)

// Sniff names the format of b from its first bytes ("" if unknown).
func Sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return FormatJPEG
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return FormatTIFF
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return FormatPDF
	}
	return ""
}

// Page is one processed page, ready to store.
type Page struct {
	No     int
	Data   []byte // display image (the original PNG/JPEG, or a re-encoding)
	Format string // png or jpeg
	Width  int
	Height int
	Thumb  []byte // JPEG thumbnail
}

// Rasterizer turns a PDF into page images.
type Rasterizer interface {
	// Pages returns the page count without rendering anything.
	Pages(ctx context.Context, pdf []byte) (int, error)
	// Render writes PNG files of pages 1..n into dir and returns their paths in order.
	Render(ctx context.Context, pdf []byte, dir string, longSide int) ([]string, error)
}

// Poppler rasterizes with poppler-utils (pdfinfo, pdftoppm).
type Poppler struct{}

var pdfPagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

// Pages implements Rasterizer.
func (Poppler) Pages(ctx context.Context, pdf []byte) (int, error) {
	cmd := exec.CommandContext(ctx, "pdfinfo", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pdfinfo: %w: %s", err, bytes.TrimSpace(out))
	}
	m := pdfPagesLine.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("pdfinfo: no page count in %q", out)
	}
	return strconv.Atoi(string(m[1]))
}

// Render implements Rasterizer.
func (Poppler) Render(ctx context.Context, pdf []byte, dir string, longSide int) ([]string, error) {
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "pdftoppm", "-png", "-scale-to", strconv.Itoa(longSide), in, filepath.Join(dir, "p"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pdftoppm: %w: %s", err, bytes.TrimSpace(out))
	}
	files, err := filepath.Glob(filepath.Join(dir, "p-*.png"))
	if err != nil {
		return nil, err
	}
	// pdftoppm pads page numbers to the width of the largest one: sort numerically.
	num := func(p string) int {
		b := filepath.Base(p)
		n, _ := strconv.Atoi(b[2 : len(b)-4])
		return n
	}
	sort.Slice(files, func(i, j int) bool { return num(files[i]) < num(files[j]) })
	return files, nil
}

// Processor splits uploads into checked pages with thumbnails.
type Processor struct {
	Limits Limits
	PDF    Rasterizer // nil: PDF uploads are refused
}

// Process checks an uploaded file and returns its pages. Any problem is a
// *RejectError naming the page and the reason.
func (p *Processor) Process(ctx context.Context, b []byte) (format string, pages []Page, err error) {
	if len(b) == 0 {
		return "", nil, reject(0, "檔案是空的（0 位元組）", nil)
	}
	if p.Limits.MaxUploadBytes > 0 && int64(len(b)) > p.Limits.MaxUploadBytes {
		return "", nil, reject(0, fmt.Sprintf("檔案過大（%.1f MB，上限 %d MB）", float64(len(b))/(1<<20), p.Limits.MaxUploadBytes>>20), nil)
	}
	format = Sniff(b)
	switch format {
	case FormatPNG, FormatJPEG:
		pg, err := p.single(b, format, 1)
		if err != nil {
			return format, nil, err
		}
		return format, []Page{pg}, nil
	case FormatTIFF:
		pages, err = p.tiffPages(ctx, b)
		return format, pages, err
	case FormatPDF:
		pages, err = p.pdfPages(ctx, b)
		return format, pages, err
	}
	return "", nil, reject(0, "不支援的檔案格式：請上傳 PNG、JPEG、TIFF 或 PDF 掃描檔", nil)
}

// checkConfig refuses pages whose declared size is too large (a decompression
// bomb is refused here, before any pixel is decoded) or too small to read.
func (p *Processor) checkConfig(no int, c image.Config) error {
	l := p.Limits
	if c.Width <= 0 || c.Height <= 0 {
		return reject(no, "影像尺寸無效", nil)
	}
	if (l.MaxSide > 0 && (c.Width > l.MaxSide || c.Height > l.MaxSide)) || (l.MaxPixels > 0 && imagebudget.Cost(c) > l.MaxPixels) {
		return reject(no, fmt.Sprintf("影像尺寸過大（%d×%d 像素，上限 %d 萬像素、邊長 %d）", c.Width, c.Height, l.MaxPixels/10000, l.MaxSide), nil)
	}
	if c.Width < l.MinSide || c.Height < l.MinSide {
		return reject(no, fmt.Sprintf("影像太小（%d×%d 像素），無法辨識，請以 200 dpi 以上重新掃描", c.Width, c.Height), nil)
	}
	return nil
}

func (p *Processor) single(b []byte, format string, no int) (Page, error) {
	c, f, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return Page{}, reject(no, "影像檔已損毀或格式錯誤，無法讀取", err)
	}
	if f != format {
		return Page{}, reject(no, "影像檔格式與內容不符", fmt.Errorf("sniffed %s, decoder %s", format, f))
	}
	if err := p.checkConfig(no, c); err != nil {
		return Page{}, err
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return Page{}, reject(no, "影像檔不完整或已損毀，無法讀取", err)
	}
	pg, err := p.finish(no, img)
	if err != nil {
		return Page{}, err
	}
	pg.Data, pg.Format = b, format
	return pg, nil
}

// finish runs the quality checks and makes the thumbnail; if the page has no
// display bytes yet (TIFF, PDF) they are encoded here.
func (p *Processor) finish(no int, img image.Image) (Page, error) {
	bnd := img.Bounds()
	pg := Page{No: no, Width: bnd.Dx(), Height: bnd.Dy()}
	small := reduce(img, max(1, bnd.Dx()/(2*p.Limits.ThumbWidth)))
	lo, hi, mean := lumaRange(small)
	switch {
	case mean < 24:
		return Page{}, reject(no, "全黑頁面（掃描失敗或蓋板未闔上），請重新掃描", fmt.Errorf("mean luma %.1f", mean))
	case hi-lo < 28:
		return Page{}, reject(no, "空白頁面（未偵測到任何文字或圖像），請確認後移除或重新掃描", fmt.Errorf("luma range %d..%d", lo, hi))
	}
	tw := p.Limits.ThumbWidth
	th := max(1, int(math.Round(float64(bnd.Dy())*float64(tw)/float64(bnd.Dx()))))
	thumb := image.NewRGBA(image.Rect(0, 0, tw, th))
	xdraw.BiLinear.Scale(thumb, thumb.Bounds(), small, small.Bounds(), xdraw.Src, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, thumb, &jpeg.Options{Quality: 78}); err != nil {
		return Page{}, fmt.Errorf("thumbnail: %w", err)
	}
	pg.Thumb = buf.Bytes()
	return pg, nil
}

// encodeDisplay stores a decoded page for the browser: PNG for black-and-white
// or few-tone scans (small and sharp), JPEG for photographs and colour.
func encodeDisplay(img image.Image) ([]byte, string, error) {
	var buf bytes.Buffer
	if fewTones(img) {
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(&buf, img); err != nil {
			return nil, "", err
		}
		return buf.Bytes(), FormatPNG, nil
	}
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 88}); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), FormatJPEG, nil
}

func fewTones(img image.Image) bool {
	switch m := img.(type) {
	case *image.Paletted:
		return len(m.Palette) <= 16
	case *image.Gray:
		var seen [256]bool
		n := 0
		for _, v := range m.Pix {
			if !seen[v] {
				seen[v] = true
				if n++; n > 16 {
					return false
				}
			}
		}
		return true
	}
	return false
}

// --- TIFF, including multi-page ---

// tiffIFDs walks the chain of image file directories (one per page) and returns
// their offsets; loops, truncation and too many pages are errors.
func tiffIFDs(b []byte, maxPages int) ([]uint32, binary.ByteOrder, error) {
	if len(b) < 8 {
		return nil, nil, errors.New("short header")
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if b[0] == 'M' {
		bo = binary.BigEndian
	}
	var offs []uint32
	seen := map[uint32]bool{}
	off := bo.Uint32(b[4:8])
	for off != 0 {
		if seen[off] {
			return nil, nil, errors.New("IFD loop")
		}
		seen[off] = true
		if int64(off)+2 > int64(len(b)) {
			return nil, nil, fmt.Errorf("IFD offset %d beyond end of file", off)
		}
		n := int64(bo.Uint16(b[off:]))
		next := int64(off) + 2 + 12*n
		if next+4 > int64(len(b)) {
			return nil, nil, fmt.Errorf("IFD at %d truncated", off)
		}
		offs = append(offs, off)
		if maxPages > 0 && len(offs) > maxPages {
			return offs, bo, errTooManyPages
		}
		off = bo.Uint32(b[next:])
	}
	if len(offs) == 0 {
		return nil, nil, errors.New("no image directory")
	}
	return offs, bo, nil
}

var errTooManyPages = errors.New("too many pages")

// tiffPage reads b as if its first directory were the one at ifd: offsets in a
// TIFF are absolute, so patching the header's pointer is all a decoder needs.
type tiffPage struct {
	b     []byte
	patch [4]byte
	pos   int64
}

func newTIFFPage(b []byte, bo binary.ByteOrder, ifd uint32) *tiffPage {
	t := &tiffPage{b: b}
	bo.PutUint32(t.patch[:], ifd)
	return t
}

func (t *tiffPage) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(t.b)) {
		return 0, io.EOF
	}
	n := copy(p, t.b[off:])
	for i := 4; i < 8; i++ {
		if j := int64(i) - off; j >= 0 && j < int64(n) {
			p[j] = t.patch[i-4]
		}
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (t *tiffPage) Read(p []byte) (int, error) {
	n, err := t.ReadAt(p, t.pos)
	t.pos += int64(n)
	return n, err
}

func (p *Processor) tiffPages(ctx context.Context, b []byte) ([]Page, error) {
	ifds, bo, err := tiffIFDs(b, p.Limits.MaxPages)
	if errors.Is(err, errTooManyPages) {
		return nil, reject(0, fmt.Sprintf("頁數過多（超過 %d 頁），請分冊上傳", p.Limits.MaxPages), err)
	}
	if err != nil {
		return nil, reject(0, "TIFF 檔已損毀或不完整，無法讀取", err)
	}
	// Every page's header first: the file's total is known before any page
	// is decoded.
	var total int64
	for i, ifd := range ifds {
		no := i + 1
		c, err := tiff.DecodeConfig(newTIFFPage(b, bo, ifd))
		if err != nil {
			return nil, reject(no, "TIFF 頁面已損毀或使用不支援的壓縮方式", err)
		}
		if err := p.checkConfig(no, c); err != nil {
			return nil, err
		}
		if total += imagebudget.Cost(c); p.Limits.MaxFilePixels > 0 && total > p.Limits.MaxFilePixels {
			return nil, reject(no, fmt.Sprintf("檔案影像總量過大（至第 %d 頁已超過 %d 萬像素），請分冊上傳", no, p.Limits.MaxFilePixels/10000), nil)
		}
	}
	pages := make([]Page, 0, len(ifds))
	for i, ifd := range ifds {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		no := i + 1
		img, err := tiff.Decode(newTIFFPage(b, bo, ifd))
		if err != nil {
			return nil, reject(no, "TIFF 頁面不完整或已損毀，無法讀取", err)
		}
		pg, err := p.finish(no, img)
		if err != nil {
			return nil, err
		}
		if pg.Data, pg.Format, err = encodeDisplay(img); err != nil {
			return nil, fmt.Errorf("page %d: %w", no, err)
		}
		pages = append(pages, pg)
	}
	return pages, nil
}

// --- PDF ---

func (p *Processor) pdfPages(ctx context.Context, b []byte) ([]Page, error) {
	if p.PDF == nil {
		return nil, reject(0, "本系統未安裝 PDF 轉檔元件（poppler-utils），請改以 TIFF 或 JPEG 上傳", nil)
	}
	ctx, cancel := context.WithTimeout(ctx, p.Limits.PDFTimeout)
	defer cancel()
	n, err := p.PDF.Pages(ctx, b)
	if err != nil {
		return nil, reject(0, "PDF 檔已損毀、加密或不完整，無法讀取", err)
	}
	if n == 0 {
		return nil, reject(0, "PDF 檔沒有任何頁面", nil)
	}
	if p.Limits.MaxPages > 0 && n > p.Limits.MaxPages {
		return nil, reject(0, fmt.Sprintf("PDF 頁數過多（%d 頁，上限 %d 頁），請分冊上傳", n, p.Limits.MaxPages), nil)
	}
	dir, err := os.MkdirTemp("", "ebazhao-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	files, err := p.PDF.Render(ctx, b, dir, p.Limits.PDFLongSide)
	if err != nil {
		if ctx.Err() != nil {
			return nil, reject(0, "PDF 轉檔逾時，檔案可能過於複雜，請改以影像檔上傳", err)
		}
		return nil, reject(0, "PDF 檔無法轉為影像，可能已損毀", err)
	}
	if len(files) != n {
		return nil, reject(0, fmt.Sprintf("PDF 轉檔頁數不符（%d／%d），檔案可能已損毀", len(files), n), nil)
	}
	pages := make([]Page, 0, n)
	for i, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		no := i + 1
		c, err := png.DecodeConfig(bytes.NewReader(raw))
		if err != nil {
			return nil, reject(no, "PDF 頁面無法轉為影像", err)
		}
		if err := p.checkConfig(no, c); err != nil {
			return nil, err
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			return nil, reject(no, "PDF 頁面無法轉為影像", err)
		}
		pg, err := p.finish(no, img)
		if err != nil {
			return nil, err
		}
		if pg.Data, pg.Format, err = encodeDisplay(img); err != nil {
			return nil, fmt.Errorf("page %d: %w", no, err)
		}
		pages = append(pages, pg)
	}
	return pages, nil
}

// --- pixels ---

// reduce averages f×f blocks into one pixel (an area filter: text strokes stay
// visible in thumbnails, and a 35-megapixel page shrinks in one pass). It has
// fast paths for the image types decoders return.
func reduce(img image.Image, f int) *image.RGBA {
	b := img.Bounds()
	w, h := max(1, b.Dx()/f), max(1, b.Dy()/f)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	n := uint32(f * f)
	if b.Dx() < f || b.Dy() < f {
		xdraw.ApproxBiLinear.Scale(out, out.Bounds(), img, b, xdraw.Src, nil)
		return out
	}
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var s uint32
				for dy := 0; dy < f; dy++ {
					row := m.Pix[(y*f+dy)*m.Stride+x*f:]
					for dx := 0; dx < f; dx++ {
						s += uint32(row[dx])
					}
				}
				v := uint8(s / n)
				i := out.PixOffset(x, y)
				out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = v, v, v, 255
			}
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var sy, scb, scr uint32
				for dy := 0; dy < f; dy++ {
					py := b.Min.Y + y*f + dy
					for dx := 0; dx < f; dx++ {
						px := b.Min.X + x*f + dx
						sy += uint32(m.Y[m.YOffset(px, py)])
						ci := m.COffset(px, py)
						scb += uint32(m.Cb[ci])
						scr += uint32(m.Cr[ci])
					}
				}
				r, g, bl := color.YCbCrToRGB(uint8(sy/n), uint8(scb/n), uint8(scr/n))
				i := out.PixOffset(x, y)
				out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = r, g, bl, 255
			}
		}
	case *image.RGBA, *image.NRGBA:
		var pix []uint8
		var stride int
		if r, ok := m.(*image.RGBA); ok {
			pix, stride = r.Pix, r.Stride
		} else {
			nr := m.(*image.NRGBA)
			pix, stride = nr.Pix, nr.Stride
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var sr, sg, sb uint32
				for dy := 0; dy < f; dy++ {
					row := pix[(y*f+dy)*stride+x*f*4:]
					for dx := 0; dx < f; dx++ {
						sr += uint32(row[dx*4])
						sg += uint32(row[dx*4+1])
						sb += uint32(row[dx*4+2])
					}
				}
				i := out.PixOffset(x, y)
				out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = uint8(sr/n), uint8(sg/n), uint8(sb/n), 255
			}
		}
	case *image.Paletted:
		lut := make([][3]uint32, len(m.Palette))
		for i, c := range m.Palette {
			r, g, bl, _ := c.RGBA()
			lut[i] = [3]uint32{r >> 8, g >> 8, bl >> 8}
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var s [3]uint32
				for dy := 0; dy < f; dy++ {
					row := m.Pix[(y*f+dy)*m.Stride+x*f:]
					for dx := 0; dx < f; dx++ {
						if int(row[dx]) < len(lut) {
							c := lut[row[dx]]
							s[0], s[1], s[2] = s[0]+c[0], s[1]+c[1], s[2]+c[2]
						}
					}
				}
				i := out.PixOffset(x, y)
				out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = uint8(s[0]/n), uint8(s[1]/n), uint8(s[2]/n), 255
			}
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var sr, sg, sb uint32
				for dy := 0; dy < f; dy++ {
					for dx := 0; dx < f; dx++ {
						r, g, bl, _ := img.At(b.Min.X+x*f+dx, b.Min.Y+y*f+dy).RGBA()
						sr, sg, sb = sr+r>>8, sg+g>>8, sb+bl>>8
					}
				}
				i := out.PixOffset(x, y)
				out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = uint8(sr/n), uint8(sg/n), uint8(sb/n), 255
			}
		}
	}
	return out
}

// lumaRange returns the darkest and lightest luminance and the mean, ignoring a
// 3% margin where scanner edges and shadows live.
func lumaRange(m *image.RGBA) (lo, hi int, mean float64) {
	b := m.Bounds()
	mx, my := b.Dx()*3/100, b.Dy()*3/100
	lo, hi = 255, 0
	var sum, cnt float64
	for y := b.Min.Y + my; y < b.Max.Y-my; y++ {
		for x := b.Min.X + mx; x < b.Max.X-mx; x++ {
			i := m.PixOffset(x, y)
			l := (299*int(m.Pix[i]) + 587*int(m.Pix[i+1]) + 114*int(m.Pix[i+2])) / 1000
			lo, hi = min(lo, l), max(hi, l)
			sum += float64(l)
			cnt++
		}
	}
	if cnt == 0 {
		return 0, 0, 0
	}
	return lo, hi, sum / cnt
}
