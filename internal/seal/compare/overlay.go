package compare

import (
	"image"
	"image/color"
	"math"
)

// Overlay colours: the registered imprint is printed in blue, the aligned
// candidate in red (like two inks on paper: overlap is dark), ink the
// registered seal does not have is orange, and cells whose strokes moved or
// grew are boxed in orange.
var (
	refFilter  = [3]float64{0.10, 0.45, 1.00}
	candFilter = [3]float64{1.00, 0.15, 0.10}
	extraColor = color.NRGBA{255, 150, 0, 255}
	flagColor  = color.NRGBA{255, 120, 0, 255}
	unkColor   = color.NRGBA{200, 200, 200, 255}
)

// overlay renders the region of interest at twice the working scale.
func (s *scoring) overlay() *image.NRGBA {
	x0, y0, x1, y1 := s.roi[0], s.roi[1], s.roi[2], s.roi[3]
	if x1 <= x0 || y1 <= y0 {
		x0, y0, x1, y1 = 0, 0, workN, workN
	}
	const z = 2
	w, h := (x1-x0)*z, (y1-y0)*z
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	n := workN
	for oy := 0; oy < h; oy++ {
		fy := float64(y0) + (float64(oy)+0.5)/z - 0.5
		for ox := 0; ox < w; ox++ {
			fx := float64(x0) + (float64(ox)+0.5)/z - 0.5
			a := float64(s.R.bilinear(fx, fy))
			b := float64(s.C.bilinear(fx, fy))
			ix, iy := x0+ox/z, y0+oy/z
			i := iy*n + ix
			var c color.NRGBA
			switch {
			case s.extra[i]:
				c = extraColor
			case s.U[i] && a < 0.3:
				// unknown (under print): light hatch
				if (ox+oy)%6 < 2 {
					c = unkColor
				} else {
					c = color.NRGBA{245, 245, 245, 255}
				}
			default:
				var rgb [3]float64
				for k := 0; k < 3; k++ {
					rgb[k] = 255 * (1 - a*(1-refFilter[k])) * (1 - b*(1-candFilter[k]))
				}
				c = color.NRGBA{uint8(rgb[0]), uint8(rgb[1]), uint8(rgb[2]), 255}
			}
			img.SetNRGBA(ox, oy, c)
		}
	}
	for _, ce := range s.cells {
		if !ce.Flag {
			continue
		}
		drawRect(img, (ce.X0-x0)*z, (ce.Y0-y0)*z, (ce.X1-x0)*z, (ce.Y1-y0)*z, 3, flagColor)
		if ce.Measured && math.Hypot(ce.DX, ce.DY) > 0.5 {
			cx, cy := float64(ce.X0+ce.X1)/2, float64(ce.Y0+ce.Y1)/2
			arrow(img, (cx-float64(x0))*z, (cy-float64(y0))*z, ce.DX*z*10, ce.DY*z*10, flagColor)
		}
	}
	return img
}

// layer renders one imprint alone (ink through filter on white) with the same
// geometry as the overlay, for toggling and flicker.
func (s *scoring) layer(p *plane, filter [3]float64) *image.NRGBA {
	x0, y0, x1, y1 := s.roi[0], s.roi[1], s.roi[2], s.roi[3]
	if x1 <= x0 || y1 <= y0 {
		x0, y0, x1, y1 = 0, 0, workN, workN
	}
	const z = 2
	w, h := (x1-x0)*z, (y1-y0)*z
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for oy := 0; oy < h; oy++ {
		fy := float64(y0) + (float64(oy)+0.5)/z - 0.5
		for ox := 0; ox < w; ox++ {
			fx := float64(x0) + (float64(ox)+0.5)/z - 0.5
			a := float64(p.bilinear(fx, fy))
			if a > 1 {
				a = 1
			}
			img.SetNRGBA(ox, oy, color.NRGBA{uint8(255 * (1 - a*(1-filter[0]))), uint8(255 * (1 - a*(1-filter[1]))), uint8(255 * (1 - a*(1-filter[2]))), 255})
		}
	}
	return img
}

func drawRect(img *image.NRGBA, x0, y0, x1, y1, t int, c color.NRGBA) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if x-x0 < t || x1-1-x < t || y-y0 < t || y1-1-y < t {
				if image.Pt(x, y).In(img.Rect) {
					img.SetNRGBA(x, y, c)
				}
			}
		}
	}
}

// arrow draws a line from (x, y) by (dx, dy) (the exaggerated direction in
// which the candidate's strokes moved).
func arrow(img *image.NRGBA, x, y, dx, dy float64, c color.NRGBA) {
	l := math.Hypot(dx, dy)
	for t := 0.0; t <= l; t += 0.5 {
		px, py := x+dx*t/l, y+dy*t/l
		for oy := -1; oy <= 1; oy++ {
			for ox := -1; ox <= 1; ox++ {
				p := image.Pt(int(px)+ox, int(py)+oy)
				if p.In(img.Rect) {
					img.SetNRGBA(p.X, p.Y, c)
				}
			}
		}
	}
}
