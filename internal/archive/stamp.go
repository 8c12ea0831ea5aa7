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
	"os"
	"path/filepath"
	"sync"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
)

// DefaultFontDir holds Taiwan's official CNS11643 fonts (Debian fonts-cns11643-*).
const DefaultFontDir = "/usr/share/fonts/truetype/cns11643"

// CertificationText is the mark printed on every certified copy.
const CertificationText = "本影本與檔存資料相符"

// Fonts loads the Kai (stamp) and Sung (text) faces once, on first use.
type Fonts struct {
	Dir  string
	once sync.Once
	kai  *opentype.Font
	sung *opentype.Font
	err  error
}

// NewFonts returns fonts read from dir.
func NewFonts(dir string) *Fonts { return &Fonts{Dir: dir} }

func (f *Fonts) load() error {
	f.once.Do(func() {
		open := func(name string) *opentype.Font {
			if f.err != nil {
				return nil
			}
			fh, err := os.Open(filepath.Join(f.Dir, name))
			if err != nil {
				f.err = fmt.Errorf("archive: font %s: %w (install fonts-cns11643-kai and fonts-cns11643-sung)", name, err)
				return nil
			}
			// The file stays open: sfnt reads glyphs from it on demand.
			fnt, err := opentype.ParseReaderAt(fh)
			if err != nil {
				f.err = fmt.Errorf("archive: font %s: %w", name, err)
				return nil
			}
			return fnt
		}
		f.kai = open("TW-Kai-98_1.ttf")
		f.sung = open("TW-Sung-98_1.ttf")
	})
	return f.err
}

func face(f *opentype.Font, size float64) (font.Face, error) {
	return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
}

// Mark is what a certification mark says.
type Mark struct {
	Office string
	Date   string // 中華民國115年7月7日
	No     string
	Clerk  string
	Page   int
	Pages  int
}

var (
	stampRed  = color.RGBA{190, 20, 30, 255}
	watermark = color.NRGBA{190, 20, 30, 40}
)

// StampPage draws the watermark and the certification mark on a page image and
// returns it as a JPEG ready to print.
func (f *Fonts) StampPage(page image.Image, m Mark) ([]byte, error) {
	if err := f.load(); err != nil {
		return nil, err
	}
	b := page.Bounds()
	w, h := b.Dx(), b.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), page, b.Min, draw.Src)
	unit := float64(w) / 40 // text size scales with the page

	// Watermark: a faint repeated line across the whole page.
	wf, err := face(f.sung, unit*1.1)
	if err != nil {
		return nil, err
	}
	wm := "檔存申請書影本　僅供" + m.Office + "核發使用　"
	dr := &font.Drawer{Dst: dst, Src: image.NewUniform(watermark), Face: wf}
	lineH := int(unit * 6)
	for y, row := lineH, 0; y < h; y, row = y+lineH, row+1 {
		x := -int(unit*7) * (row % 4)
		for x < w {
			dr.Dot = fixed.P(x, y)
			dr.DrawString(wm)
			x = dr.Dot.X.Round()
		}
	}

	// The certification block, bottom right, framed like a stamp.
	kf, err := face(f.kai, unit*1.35)
	if err != nil {
		return nil, err
	}
	sf, err := face(f.sung, unit*0.8)
	if err != nil {
		return nil, err
	}
	lines := []string{
		m.Office,
		m.Date,
		"影本字號：" + m.No,
		"核發人員：" + m.Clerk,
		fmt.Sprintf("第 %d 頁／共 %d 頁", m.Page, m.Pages),
	}
	measure := func(fc font.Face, s string) int { return font.MeasureString(fc, s).Round() }
	boxW := measure(kf, CertificationText)
	for _, l := range lines {
		boxW = max(boxW, measure(sf, l))
	}
	pad := int(unit * 0.6)
	titleH, lineH2 := int(unit*1.8), int(unit*1.15)
	boxW += 2 * pad
	boxH := titleH + lineH2*len(lines) + 2*pad
	x0, y0 := w-boxW-int(unit), h-boxH-int(unit)
	if x0 < 0 || y0 < 0 {
		x0, y0 = max(0, x0), max(0, y0)
	}
	box := image.Rect(x0, y0, x0+boxW, y0+boxH)
	draw.Draw(dst, box, image.NewUniform(color.NRGBA{255, 255, 255, 235}), image.Point{}, draw.Over)
	border := max(2, int(unit*0.15))
	red := image.NewUniform(stampRed)
	for _, r := range []image.Rectangle{
		{box.Min, image.Pt(box.Max.X, box.Min.Y+border)}, {image.Pt(box.Min.X, box.Max.Y-border), box.Max},
		{box.Min, image.Pt(box.Min.X+border, box.Max.Y)}, {image.Pt(box.Max.X-border, box.Min.Y), box.Max},
	} {
		draw.Draw(dst, r, red, image.Point{}, draw.Src)
	}
	dr = &font.Drawer{Dst: dst, Src: red, Face: kf, Dot: fixed.P(x0+pad, y0+pad+int(unit*1.35))}
	dr.DrawString(CertificationText)
	dr.Face = sf
	for i, l := range lines {
		dr.Dot = fixed.P(x0+pad, y0+pad+titleH+lineH2*(i+1)-int(unit*0.25))
		dr.DrawString(l)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CopyPage renders page no of an issued copy with its certification mark.
func (s *Service) CopyPage(ctx context.Context, c *Copy, d *Doc, no int) ([]byte, error) {
	return s.stampedPage(ctx, c, d, no, image.Point{})
}

// stampedPage renders page no of copy c as CopyPage does; a page larger than
// bound (when bound is not zero) is first scaled down to fit it, keeping its
// aspect ratio, so that the mark keeps its proportions.
func (s *Service) stampedPage(ctx context.Context, c *Copy, d *Doc, no int, bound image.Point) ([]byte, error) {
	idx := -1
	for i, p := range c.Pages {
		if p == no {
			idx = i
		}
	}
	if idx < 0 {
		return nil, &InputError{Msg: "此影本不含該頁"}
	}
	var sha string
	for _, p := range d.Pages {
		if p.No == no {
			sha = p.SHA
		}
	}
	if sha == "" {
		return nil, &PageUnreadableError{DocID: d.ID, Page: no, Damaged: true, Err: fmt.Errorf("document %d has no stored page %d", d.ID, no)}
	}
	raw, err := blob.Get(ctx, s.Blobs, sha)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &PageUnreadableError{DocID: d.ID, Page: no, Damaged: errors.Is(err, blob.ErrCorrupt) || errors.Is(err, blob.ErrNotFound),
			Err: fmt.Errorf("read blob %s: %w", sha, err)}
	}
	img, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, &PageUnreadableError{DocID: d.ID, Page: no, Damaged: true, Err: fmt.Errorf("decode stored page %s: %w", sha, err)}
	}
	if b := img.Bounds(); bound.X > 0 && bound.Y > 0 && (b.Dx() > bound.X || b.Dy() > bound.Y) {
		f := min(float64(bound.X)/float64(b.Dx()), float64(bound.Y)/float64(b.Dy()))
		small := image.NewRGBA(image.Rect(0, 0, max(1, int(float64(b.Dx())*f+0.5)), max(1, int(float64(b.Dy())*f+0.5))))
		xdraw.CatmullRom.Scale(small, small.Bounds(), img, b, xdraw.Src, nil)
		img = small
	}
	return s.Fonts.StampPage(img, Mark{Office: c.OfficeName, Date: civil.Of(c.IssuedAt).ROCLong(), No: c.No,
		Clerk: c.IssuedBy, Page: idx + 1, Pages: len(c.Pages)})
}
