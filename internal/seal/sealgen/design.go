// Package sealgen renders synthetic seals (印章) from Taiwan's CNS11643 Kai and
// Sung typefaces and stamps them as scanned imprints, with the degradations of
// real impressions and forgeries at several levels. Real seal imprints are
// private; this generator makes the comparison benchmark reproducible.
package sealgen

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Face is a typeface a seal is carved in.
type Face string

// Typefaces of the CNS11643 fonts.
const (
	Kai  Face = "kai"  // 楷書
	Sung Face = "sung" // 宋體（仿宋印體）
)

// DefaultFontDir is where Debian installs the CNS11643 fonts.
const DefaultFontDir = "/usr/share/fonts/truetype/cns11643"

var fontFiles = map[Face]string{Kai: "TW-Kai-98_1.ttf", Sung: "TW-Sung-98_1.ttf"}

// Fonts rasterises glyphs of the two faces, caching each glyph's tight mask.
// It is safe for concurrent use.
type Fonts struct {
	mu    sync.Mutex
	faces map[Face]font.Face
	files []*os.File
	cache map[glyphKey]*glyph
}

type glyphKey struct {
	face Face
	r    rune
}

// glyph is a tight grey mask of a character (0..1).
type glyph struct {
	w, h int
	a    []float32
}

const glyphEm = 256

// OpenFonts opens the Kai and Sung fonts in dir (DefaultFontDir if empty).
func OpenFonts(dir string) (*Fonts, error) {
	if dir == "" {
		dir = DefaultFontDir
	}
	fs := &Fonts{faces: map[Face]font.Face{}, cache: map[glyphKey]*glyph{}}
	for face, name := range fontFiles {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			fs.Close()
			return nil, fmt.Errorf("sealgen: %w (install fonts-cns11643-kai and fonts-cns11643-sung)", err)
		}
		fs.files = append(fs.files, f)
		ft, err := opentype.ParseReaderAt(f)
		if err != nil {
			fs.Close()
			return nil, fmt.Errorf("sealgen: parse %s: %w", name, err)
		}
		ff, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: glyphEm, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			fs.Close()
			return nil, err
		}
		fs.faces[face] = ff
	}
	return fs, nil
}

// Close releases the font files.
func (fs *Fonts) Close() error {
	for _, f := range fs.files {
		f.Close()
	}
	return nil
}

func (fs *Fonts) glyph(face Face, r rune) (*glyph, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	k := glyphKey{face, r}
	if g, ok := fs.cache[k]; ok {
		return g, nil
	}
	ff := fs.faces[face]
	if ff == nil {
		return nil, fmt.Errorf("sealgen: unknown face %q", face)
	}
	if _, ok := ff.GlyphAdvance(r); !ok {
		return nil, fmt.Errorf("sealgen: %q has no glyph in %s", r, face)
	}
	size := glyphEm * 3 / 2
	dst := image.NewAlpha(image.Rect(0, 0, size, size))
	d := font.Drawer{Dst: dst, Src: image.Opaque, Face: ff, Dot: fixed.P(glyphEm/8, glyphEm)}
	d.DrawString(string(r))
	x0, y0, x1, y1 := size, size, 0, 0
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			if dst.Pix[y*dst.Stride+x] > 60 {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x+1), max(y1, y+1)
			}
		}
	}
	if x1 <= x0 {
		return nil, fmt.Errorf("sealgen: %q renders empty in %s", r, face)
	}
	g := &glyph{w: x1 - x0, h: y1 - y0, a: make([]float32, (x1-x0)*(y1-y0))}
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			g.a[(y-y0)*g.w+x-x0] = float32(dst.Pix[y*dst.Stride+x]) / 255
		}
	}
	fs.cache[k] = g
	return g, nil
}

func (g *glyph) sample(x, y float64) float32 {
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	at := func(xx, yy int) float32 {
		if xx < 0 || yy < 0 || xx >= g.w || yy >= g.h {
			return 0
		}
		return g.a[yy*g.w+xx]
	}
	return (at(x0, y0)*(1-fx)+at(x0+1, y0)*fx)*(1-fy) + (at(x0, y0+1)*(1-fx)+at(x0+1, y0+1)*fx)*fy
}

// CharAdjust is a re-carver's deviation for one character.
type CharAdjust struct {
	DX, DY float64 // shift, fraction of the seal's side
	Scale  float64 // size factor (0: 1)
	Stroke float64 // extra stroke thickening, mm (negative: thinner)
}

// Design is a seal face: four characters in a 2×2 grid read in the
// traditional order (right column top to bottom, then left column), in a
// square frame.
type Design struct {
	Text    []rune  // reading order, e.g. 王小明印 or 林之印 + one more
	Face    Face    // typeface
	SizeMM  float64 // outer side of the frame
	Border  float64 // frame thickness, mm
	Stroke  float64 // stroke thickening, mm (carved strokes are bolder than print)
	Gap     float64 // space between frame and characters, mm
	Fill    float64 // how far each character fills its cell (0.8–0.95)
	Adjust  []CharAdjust
	Corners float64 // corner radius of the frame, mm
}

// PxPerMM is the resolution seal faces are rendered at.
const PxPerMM = 24.0

// Mask is a rendered seal face (1 = raised, inks).
type Mask struct {
	W, H int
	A    []float32
	MM   float64 // side in mm
}

// Render draws the design at PxPerMM.
func (fs *Fonts) Render(d Design) (*Mask, error) {
	if len(d.Text) != 4 {
		return nil, fmt.Errorf("sealgen: a square seal needs 4 characters, got %d", len(d.Text))
	}
	n := int(math.Round(d.SizeMM * PxPerMM))
	m := &Mask{W: n, H: n, A: make([]float32, n*n), MM: d.SizeMM}
	inner := d.Border + d.Gap
	cellMM := (d.SizeMM - 2*inner) / 2
	// cells: index 0 right-top, 1 right-bottom, 2 left-top, 3 left-bottom
	for i, r := range d.Text {
		g, err := fs.glyph(d.Face, r)
		if err != nil {
			return nil, err
		}
		adj := CharAdjust{Scale: 1}
		if i < len(d.Adjust) {
			adj = d.Adjust[i]
			if adj.Scale == 0 {
				adj.Scale = 1
			}
		}
		col := 1 - i/2
		row := i % 2
		cx := inner + (float64(col)+0.5)*cellMM + adj.DX*d.SizeMM
		cy := inner + (float64(row)+0.5)*cellMM + adj.DY*d.SizeMM
		half := cellMM * d.Fill * adj.Scale / 2
		stroke := d.Stroke + adj.Stroke
		// the glyph box is stretched to fill the cell, as carvers do
		layer := make([]float32, n*n)
		x0, x1 := int((cx-half-0.5)*PxPerMM), int((cx+half+0.5)*PxPerMM)
		y0, y1 := int((cy-half-0.5)*PxPerMM), int((cy+half+0.5)*PxPerMM)
		sx := float64(g.w) / (2 * half * PxPerMM)
		sy := float64(g.h) / (2 * half * PxPerMM)
		for y := max(y0, 0); y < min(y1, n); y++ {
			for x := max(x0, 0); x < min(x1, n); x++ {
				gx := (float64(x)+0.5-(cx-half)*PxPerMM)*sx - 0.5
				gy := (float64(y)+0.5-(cy-half)*PxPerMM)*sy - 0.5
				layer[y*n+x] = g.sample(gx, gy)
			}
		}
		thicken(layer, n, n, stroke*PxPerMM)
		for k, v := range layer {
			if v > m.A[k] {
				m.A[k] = v
			}
		}
	}
	// frame
	b := d.Border * PxPerMM
	rad := d.Corners * PxPerMM
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			outer := roundedInside(px, py, 0, float64(n), rad)
			in := roundedInside(px, py, b, float64(n)-b, math.Max(rad-b, 0))
			v := clamp01(outer) * (1 - clamp01(in))
			if float32(v) > m.A[y*n+x] {
				m.A[y*n+x] = float32(v)
			}
		}
	}
	return m, nil
}

// roundedInside is a soft inside-test of a rounded square [lo,hi]² (1 inside).
func roundedInside(x, y, lo, hi, r float64) float64 {
	dx := math.Max(math.Max(lo+r-x, x-(hi-r)), 0)
	dy := math.Max(math.Max(lo+r-y, y-(hi-r)), 0)
	var d float64
	if dx > 0 && dy > 0 {
		d = math.Hypot(dx, dy) - r
	} else {
		d = math.Max(math.Max(lo-x, x-hi), math.Max(lo-y, y-hi))
	}
	return 0.5 - d
}

func clamp01(v float64) float64 { return math.Max(0, math.Min(1, v)) }

// thicken grows (delta > 0) or thins (delta < 0) the strokes of a grey mask by
// about delta pixels: Gaussian blur, then a shifted threshold. The blur also
// rounds corners the way a carving knife does.
func thicken(a []float32, w, h int, delta float64) {
	sigma := math.Max(1.2, math.Abs(delta)*0.8)
	blurInPlace(a, w, h, sigma)
	// the edge of a blurred straight step sits at 0.5; moving it by delta
	// needs the threshold Φ(-delta/σ)
	t := 0.5 * math.Erfc(delta/(sigma*math.Sqrt2))
	t = math.Max(0.02, math.Min(0.98, t))
	// a soft edge about one pixel wide that stays 0 on bare areas and 1 on solid ones
	ew := math.Min(math.Min(t, 1-t), 0.5/(sigma*0.4+0.5))
	for i, v := range a {
		x := (float64(v)-t)/(2*ew) + 0.5
		a[i] = float32(clamp01(x))
	}
}

func blurInPlace(a []float32, w, h int, sigma float64) {
	r := int(math.Ceil(sigma * 3))
	k := make([]float32, 2*r+1)
	var sum float32
	for i := range k {
		d := float64(i - r)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float32, len(a))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var acc float32
			for i, kv := range k {
				xx := x + i - r
				if xx >= 0 && xx < w {
					acc += a[y*w+xx] * kv
				}
			}
			tmp[y*w+x] = acc
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var acc float32
			for i, kv := range k {
				yy := y + i - r
				if yy >= 0 && yy < h {
					acc += tmp[yy*w+x] * kv
				}
			}
			a[y*w+x] = acc
		}
	}
}

// Image returns the mask as a black-on-white picture (for documentation).
func (m *Mask) Image() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, m.W, m.H))
	draw.Draw(img, img.Rect, image.White, image.Point{}, draw.Src)
	for i, v := range m.A {
		img.Pix[i] = uint8(255 * (1 - clamp01(float64(v))))
	}
	return img
}
