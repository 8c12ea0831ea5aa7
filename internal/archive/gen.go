package archive

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math/rand/v2"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// Sample page images for the demo, tests and benchmarks: a form-like page
// (frame, title, ruled table, text lines and a red seal) drawn with the CNS11643
// fonts when they are installed and with plain strokes otherwise.

// SamplePage draws a page of w×h pixels with a title and lines of text.
func (f *Fonts) SamplePage(w, h int, title string, lines []string, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 7))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	paper := color.RGBA{uint8(246 + rng.IntN(6)), uint8(242 + rng.IntN(6)), 232, 255}
	draw.Draw(img, img.Bounds(), image.NewUniform(paper), image.Point{}, draw.Src)
	ink := image.NewUniform(color.RGBA{30, 30, 40, 255})
	u := w / 40
	line := func(r image.Rectangle) { draw.Draw(img, r, ink, image.Point{}, draw.Src) }
	// Frame and table rules.
	m := 2 * u
	line(image.Rect(m, m, w-m, m+3))
	line(image.Rect(m, h-m-3, w-m, h-m))
	line(image.Rect(m, m, m+3, h-m))
	line(image.Rect(w-m-3, m, w-m, h-m))
	top := m + 5*u
	for y := top; y < h-m-6*u; y += 3 * u {
		line(image.Rect(m, y, w-m, y+2))
	}
	line(image.Rect(m+10*u, top, m+10*u+2, h-m-6*u))
	// A red seal imprint near the bottom.
	seal := image.NewUniform(color.RGBA{200, 30, 40, 255})
	cx, cy, r := w-m-6*u, h-m-3*u, 2*u
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			d := x*x + y*y
			if d <= r*r && d >= (r-4)*(r-4) || (x > -r/2 && x < r/2 && (y == -r/3 || y == r/3)) {
				draw.Draw(img, image.Rect(cx+x, cy+y, cx+x+1, cy+y+1), seal, image.Point{}, draw.Src)
			}
		}
	}
	if f != nil && f.load() == nil {
		tf, err1 := face(f.kai, float64(u)*1.8)
		bf, err2 := face(f.sung, float64(u)*1.1)
		if err1 == nil && err2 == nil {
			dr := &font.Drawer{Dst: img, Src: ink, Face: tf}
			tw := font.MeasureString(tf, title).Round()
			dr.Dot = fixed.P((w-tw)/2, m+3*u+u/2)
			dr.DrawString(title)
			dr.Face = bf
			for i, l := range lines {
				y := top + 3*u*(i+1) - u
				if y > h-m-6*u {
					break
				}
				dr.Dot = fixed.P(m+u, y)
				dr.DrawString(l)
			}
			return img
		}
	}
	// No fonts: strokes where the text would be.
	for i := range lines {
		y := top + 3*u*(i+1) - u - u/2
		for x := m + u; x < w-m-2*u; x += u + rng.IntN(u) {
			line(image.Rect(x, y, x+u/2+rng.IntN(u), y+u/2))
		}
	}
	line(image.Rect(w/3, m+2*u, 2*w/3, m+3*u))
	return img
}

// Gray converts an image to 8-bit gray (what a document scanner produces).
func Gray(img image.Image) *image.Gray {
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
	return g
}

// EncodePNG encodes img as PNG.
func EncodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

// EncodeTIFF writes gray pages as one multi-page, Deflate-compressed TIFF (the
// format document scanners produce for a bundle of pages).
func EncodeTIFF(pages []*image.Gray) []byte {
	le := binary.LittleEndian
	out := []byte{'I', 'I', 42, 0, 0, 0, 0, 0}
	prevNext := 4 // where the offset of the next IFD goes
	for _, p := range pages {
		b := p.Bounds()
		w, h := b.Dx(), b.Dy()
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			zw.Write(p.Pix[(y-b.Min.Y)*p.Stride : (y-b.Min.Y)*p.Stride+w])
		}
		zw.Close()
		dataOff := len(out)
		out = append(out, z.Bytes()...)
		if len(out)%2 == 1 {
			out = append(out, 0)
		}
		ifd := len(out)
		le.PutUint32(out[prevNext:], uint32(ifd))
		type entry struct {
			tag, typ uint16
			val      uint32
		}
		entries := []entry{
			{256, 4, uint32(w)}, {257, 4, uint32(h)}, {258, 3, 8}, {259, 3, 8}, {262, 3, 1},
			{273, 4, uint32(dataOff)}, {277, 3, 1}, {278, 4, uint32(h)}, {279, 4, uint32(z.Len())},
		}
		buf := make([]byte, 2+12*len(entries)+4)
		le.PutUint16(buf, uint16(len(entries)))
		for i, e := range entries {
			o := 2 + 12*i
			le.PutUint16(buf[o:], e.tag)
			le.PutUint16(buf[o+2:], e.typ)
			le.PutUint32(buf[o+4:], 1)
			if e.typ == 3 {
				le.PutUint16(buf[o+8:], uint16(e.val))
			} else {
				le.PutUint32(buf[o+8:], e.val)
			}
		}
		out = append(out, buf...)
		prevNext = len(out) - 4
	}
	return out
}
