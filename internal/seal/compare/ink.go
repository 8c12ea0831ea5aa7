package compare

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // accepted scan formats
	_ "image/jpeg"
	_ "image/png"
	"io"
	"os"

	"ebazhao/internal/platform/imagebudget"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Input limits. A seal card scanned at 600 dpi (about 10 × 15 cm) is about 8.4
// megapixels and an imprint far less; MaxPixels is per image, in 8-bit pixels
// (imagebudget.Cost: a 16-bit image counts twice). A comparison decodes two
// images, a registration three: at most 48 megapixels a request.
const (
	MaxPixels    = 16_000_000
	MaxFileBytes = 200 << 20
	minSide      = 24
)

// ErrImage is wrapped by every error about an unusable input image.
var ErrImage = errors.New("unusable image")

// Decode reads a PNG, JPEG, TIFF, BMP, GIF or WebP image after checking its
// declared size against MaxPixels, so a hostile header cannot exhaust memory.
func Decode(r io.Reader) (image.Image, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: read: %v", ErrImage, err)
	}
	if len(b) > MaxFileBytes {
		return nil, fmt.Errorf("%w: file larger than %d MB", ErrImage, MaxFileBytes>>20)
	}
	return DecodeBytes(b)
}

// DecodeBytes is Decode of an in-memory file.
func DecodeBytes(b []byte) (image.Image, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: not a PNG/JPEG/TIFF image (%v)", ErrImage, err)
	}
	if cfg.Width < minSide || cfg.Height < minSide {
		return nil, fmt.Errorf("%w: %dx%d pixels is too small", ErrImage, cfg.Width, cfg.Height)
	}
	if imagebudget.Cost(cfg) > MaxPixels {
		return nil, fmt.Errorf("%w: %dx%d pixels exceeds the limit of %d megapixels (16-bit images count twice)", ErrImage, cfg.Width, cfg.Height, MaxPixels/1_000_000)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: %s decode: %v", ErrImage, format, err)
	}
	return img, nil
}

// Load decodes an image file.
func Load(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// plane is a float image.
type plane struct {
	W, H int
	P    []float32
}

func newPlane(w, h int) *plane { return &plane{W: w, H: h, P: make([]float32, w*h)} }

func (p *plane) at(x, y int) float32 {
	if x < 0 || y < 0 || x >= p.W || y >= p.H {
		return 0
	}
	return p.P[y*p.W+x]
}

// bilinear samples p at (x, y) (pixel centres at integer coordinates), 0 outside.
func (p *plane) bilinear(x, y float64) float32 {
	if x < -1 || y < -1 || x > float64(p.W) || y > float64(p.H) {
		return 0
	}
	x0, y0 := int(floor(x)), int(floor(y))
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	if x0 >= 0 && y0 >= 0 && x0+1 < p.W && y0+1 < p.H {
		i := y0*p.W + x0
		a, b, c, d := p.P[i], p.P[i+1], p.P[i+p.W], p.P[i+p.W+1]
		return (a*(1-fx)+b*fx)*(1-fy) + (c*(1-fx)+d*fx)*fy
	}
	a, b := p.at(x0, y0), p.at(x0+1, y0)
	c, d := p.at(x0, y0+1), p.at(x0+1, y0+1)
	return (a*(1-fx)+b*fx)*(1-fy) + (c*(1-fx)+d*fx)*fy
}

func floor(v float64) float64 {
	i := float64(int(v))
	if v < 0 && i != v {
		return i - 1
	}
	return i
}

// inkMap separates seal ink from paper and print.
type inkMap struct {
	Ink     *plane // density of red seal ink, 0..1
	Unknown *plane // 1 where dark print hides whatever lies beneath
	Dark    int    // pixels of dark print (black text, lines)
}

// rgbSource gives fast access to 8-bit RGB of common image types.
func forEachRGB(img image.Image, f func(i int, r, g, b uint8)) {
	bnd := img.Bounds()
	w := bnd.Dx()
	switch m := img.(type) {
	case *image.YCbCr:
		for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
			for x := bnd.Min.X; x < bnd.Max.X; x++ {
				yi, ci := m.YOffset(x, y), m.COffset(x, y)
				r, g, b := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				f((y-bnd.Min.Y)*w+(x-bnd.Min.X), r, g, b)
			}
		}
	case *image.RGBA:
		for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
			row := m.Pix[m.PixOffset(bnd.Min.X, y):]
			for x := 0; x < w; x++ {
				f((y-bnd.Min.Y)*w+x, row[4*x], row[4*x+1], row[4*x+2])
			}
		}
	case *image.NRGBA:
		for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
			row := m.Pix[m.PixOffset(bnd.Min.X, y):]
			for x := 0; x < w; x++ {
				a := uint32(row[4*x+3])
				// composite on white paper
				r := uint8((uint32(row[4*x])*a + 255*(255-a)) / 255)
				g := uint8((uint32(row[4*x+1])*a + 255*(255-a)) / 255)
				b := uint8((uint32(row[4*x+2])*a + 255*(255-a)) / 255)
				f((y-bnd.Min.Y)*w+x, r, g, b)
			}
		}
	case *image.Gray:
		for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
			row := m.Pix[m.PixOffset(bnd.Min.X, y):]
			for x := 0; x < w; x++ {
				v := row[x]
				f((y-bnd.Min.Y)*w+x, v, v, v)
			}
		}
	default:
		for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
			for x := bnd.Min.X; x < bnd.Max.X; x++ {
				c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
				a := uint32(c.A)
				r := uint8((uint32(c.R)*a + 255*(255-a)) / 255)
				g := uint8((uint32(c.G)*a + 255*(255-a)) / 255)
				b := uint8((uint32(c.B)*a + 255*(255-a)) / 255)
				f((y-bnd.Min.Y)*w+(x-bnd.Min.X), r, g, b)
			}
		}
	}
}

type subImager interface {
	SubImage(r image.Rectangle) image.Image
}

// extractInk computes the seal-ink density of every pixel.
//
// Seal paste (印泥) is a red filter: it darkens green and blue much more than
// red. Each channel is first divided by the paper white (a high percentile),
// then the ink density is the red chroma 1 - max(g,b)/r mapped to 0..1.
// Black print darkens all three channels: it is not ink, and where it is dark
// enough to hide the red channel the pixel is unknown rather than empty.
func extractInk(img image.Image) *inkMap {
	bnd := img.Bounds()
	w, h := bnd.Dx(), bnd.Dy()
	// Paper white per channel: 92nd percentile of a sample of rows.
	var hr, hg, hb [256]int
	count := func(i int, r, g, b uint8) {
		hr[r]++
		hg[g]++
		hb[b]++
	}
	if si, ok := img.(subImager); ok && h > 200 {
		for y := bnd.Min.Y; y < bnd.Max.Y; y += h / 200 {
			forEachRGB(si.SubImage(image.Rect(bnd.Min.X, y, bnd.Max.X, y+1)), count)
		}
	} else {
		forEachRGB(img, count)
	}
	pr, pg, pb := percentile(&hr, 0.92), percentile(&hg, 0.92), percentile(&hb, 0.92)
	ink := newPlane(w, h)
	unk := newPlane(w, h)
	var lut [256]float32
	norm := func(p float64) [256]float32 {
		if p < 96 {
			p = 96 // a dark scan: do not amplify noise without bound
		}
		for v := range lut {
			x := float32(float64(v) / p)
			if x > 1 {
				x = 1
			}
			lut[v] = x
		}
		return lut
	}
	lr, lg, lb := norm(pr), norm(pg), norm(pb)
	dark := 0
	forEachRGB(img, func(i int, r8, g8, b8 uint8) {
		r, g, b := lr[r8], lg[g8], lb[b8]
		m := g
		if b > m {
			m = b
		}
		if r < 0.40 {
			// Too dark to see red through: black print, or print over ink.
			unk.P[i] = 1
			dark++
			return
		}
		c := 1 - m/r // red chroma: 0 for grey/black/white, ~0.75 for dense vermilion
		if c <= inkChromaLo {
			if r < 0.7 && r-m < 0.1 {
				// mid-grey print (thin black lines after blur): partly hides ink.
				unk.P[i] = (0.7 - r) / 0.3
			}
			return
		}
		v := (c - inkChromaLo) / (inkChromaHi - inkChromaLo)
		if v > 1 {
			v = 1
		}
		ink.P[i] = v
	})
	return &inkMap{Ink: ink, Unknown: unk, Dark: dark}
}

const (
	inkChromaLo = 0.13
	inkChromaHi = 0.50
)

func percentile(h *[256]int, q float64) float64 {
	total := 0
	for _, c := range h {
		total += c
	}
	target := int(q * float64(total))
	acc := 0
	for v, c := range h {
		acc += c
		if acc > target {
			return float64(v)
		}
	}
	return 255
}
