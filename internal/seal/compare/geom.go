package compare

import "math"

// boxDown averages m×m blocks (m >= 1); partial blocks at the right and
// bottom edges average what they hold.
func boxDown(p *plane, m int) *plane {
	if m <= 1 {
		return p
	}
	w, h := (p.W+m-1)/m, (p.H+m-1)/m
	out := newPlane(w, h)
	for y := 0; y < p.H; y++ {
		o := out.P[(y/m)*w : (y/m+1)*w]
		row := p.P[y*p.W : (y+1)*p.W]
		for x, v := range row {
			o[x/m] += v
		}
	}
	for oy := 0; oy < h; oy++ {
		bh := min(m, p.H-oy*m)
		for ox := 0; ox < w; ox++ {
			bw := min(m, p.W-ox*m)
			out.P[oy*w+ox] /= float32(bw * bh)
		}
	}
	return out
}

// similarity maps a point: q = k·R(θ)·p + t.
type similarity struct {
	Theta, LogK, Tx, Ty float64
}

func (s similarity) apply(x, y float64) (float64, float64) {
	k := math.Exp(s.LogK)
	c, sn := math.Cos(s.Theta)*k, math.Sin(s.Theta)*k
	return c*x - sn*y + s.Tx, sn*x + c*y + s.Ty
}

func (s similarity) inverse() similarity {
	k := math.Exp(-s.LogK)
	c, sn := math.Cos(-s.Theta)*k, math.Sin(-s.Theta)*k
	// p = k⁻¹R(-θ)(q - t)
	return similarity{Theta: -s.Theta, LogK: -s.LogK, Tx: -(c*s.Tx - sn*s.Ty), Ty: -(sn*s.Tx + c*s.Ty)}
}

// view resamples src into an n×n canvas: canvas pixel q shows src at
// c + (q - n/2)/scale, with box prefiltering when shrinking.
func view(src *plane, cx, cy, scale float64, n int) *plane {
	m := int(1 / scale)
	if m >= 2 {
		src = boxDown(src, m)
		cx, cy = (cx+0.5)/float64(m)-0.5, (cy+0.5)/float64(m)-0.5
		scale *= float64(m)
	}
	out := newPlane(n, n)
	half := float64(n) / 2
	for y := 0; y < n; y++ {
		sy := cy + (float64(y)-half)/scale
		for x := 0; x < n; x++ {
			out.P[y*n+x] = src.bilinear(cx+(float64(x)-half)/scale, sy)
		}
	}
	return out
}

// warpInto renders src into a w×h canvas through t, which maps src canvas
// coordinates (relative to src centre) to destination coordinates (relative to
// the destination centre).
func warpInto(src *plane, t similarity, w, h int) *plane {
	inv := t.inverse()
	out := newPlane(w, h)
	hx, hy := float64(w)/2, float64(h)/2
	sx, sy := float64(src.W)/2, float64(src.H)/2
	k := math.Exp(inv.LogK)
	c, s := math.Cos(inv.Theta)*k, math.Sin(inv.Theta)*k
	for y := 0; y < h; y++ {
		qy := float64(y) - hy
		for x := 0; x < w; x++ {
			qx := float64(x) - hx
			px := c*qx - s*qy + inv.Tx
			py := s*qx + c*qy + inv.Ty
			out.P[y*w+x] = src.bilinear(px+sx, py+sy)
		}
	}
	return out
}

// blurIn is blur computed inside r only (0 outside it).
func blurIn(p *plane, sigma float64, r rect) *plane {
	if sigma <= 0 {
		return p
	}
	rad := int(math.Ceil(sigma * 3))
	k := make([]float32, 2*rad+1)
	var sum float32
	for i := range k {
		d := float64(i - rad)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := newPlane(p.W, p.H)
	nonEmpty := make([]bool, p.H)
	for y := max(r.y0-rad, 0); y < min(r.y1+rad, p.H); y++ {
		row := p.P[y*p.W : (y+1)*p.W]
		for _, v := range row[max(r.x0-rad, 0):min(r.x1+rad, p.W)] {
			if v != 0 {
				nonEmpty[y] = true
				break
			}
		}
		if !nonEmpty[y] {
			continue
		}
		out := tmp.P[y*p.W : (y+1)*p.W]
		for x := r.x0; x < r.x1; x++ {
			var acc float32
			lo, hi := max(0, rad-x), min(2*rad+1, p.W-x+rad)
			for i := lo; i < hi; i++ {
				acc += row[x+i-rad] * k[i]
			}
			out[x] = acc
		}
	}
	out := newPlane(p.W, p.H)
	for y := r.y0; y < r.y1; y++ {
		o := out.P[y*p.W : (y+1)*p.W]
		for i, kv := range k {
			yy := y + i - rad
			if yy < 0 || yy >= p.H || !nonEmpty[yy] {
				continue
			}
			src := tmp.P[yy*p.W : (yy+1)*p.W]
			for x := r.x0; x < r.x1; x++ {
				o[x] += src[x] * kv
			}
		}
	}
	return out
}

// binary is a thresholded mask.
func binary(p *plane, t float32) []bool {
	b := make([]bool, len(p.P))
	for i, v := range p.P {
		b[i] = v > t
	}
	return b
}

// edt returns the Euclidean distance of every pixel to the nearest true pixel
// of mask (Felzenszwalb & Huttenlocher); pixels with no true pixel get a large
// value.
func edt(mask []bool, w, h int) *plane {
	const inf = 1e12
	f := make([]float64, w*h)
	for i, m := range mask {
		if m {
			f[i] = 0
		} else {
			f[i] = inf
		}
	}
	n := w
	if h > n {
		n = h
	}
	buf := make([]float64, n)
	out := make([]float64, n)
	v := make([]int, n)
	z := make([]float64, n+1)
	// columns: squared distance to the nearest true pixel in the column,
	// by a forward and a backward scan
	for x := 0; x < w; x++ {
		last := -1
		for y := 0; y < h; y++ {
			if mask[y*w+x] {
				last = y
			}
			if last >= 0 {
				d := float64(y - last)
				f[y*w+x] = d * d
			}
		}
		last = -1
		for y := h - 1; y >= 0; y-- {
			if mask[y*w+x] {
				last = y
			}
			if last >= 0 {
				d := float64(last - y)
				if d*d < f[y*w+x] {
					f[y*w+x] = d * d
				}
			}
		}
	}
	res := newPlane(w, h)
	for y := 0; y < h; y++ {
		copy(buf[:w], f[y*w:(y+1)*w])
		dt1(buf[:w], out[:w], v, z)
		for x := 0; x < w; x++ {
			d := out[x]
			if d > 1e8 {
				d = 1e8
			}
			res.P[y*w+x] = float32(math.Sqrt(d))
		}
	}
	return res
}

func dt1(f, d []float64, v []int, z []float64) {
	n := len(f)
	k := 0
	v[0] = 0
	z[0] = math.Inf(-1)
	z[1] = math.Inf(1)
	for q := 1; q < n; q++ {
		var s float64
		for {
			p := v[k]
			s = ((f[q] + float64(q*q)) - (f[p] + float64(p*p))) / float64(2*q-2*p)
			if s <= z[k] && k > 0 {
				k--
				continue
			}
			if s <= z[k] {
				// k == 0 and s <= -inf cannot happen with finite values
				break
			}
			break
		}
		k++
		v[k] = q
		z[k] = s
		z[k+1] = math.Inf(1)
	}
	k = 0
	for q := 0; q < n; q++ {
		for z[k+1] < float64(q) {
			k++
		}
		dq := float64(q - v[k])
		d[q] = dq*dq + f[v[k]]
	}
}

// edges marks mask pixels with a 4-neighbour outside the mask.
func edges(mask []bool, w, h int) []bool {
	e := make([]bool, len(mask))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			if !mask[i] {
				continue
			}
			if x == 0 || y == 0 || x == w-1 || y == h-1 || !mask[i-1] || !mask[i+1] || !mask[i-w] || !mask[i+w] {
				e[i] = true
			}
		}
	}
	return e
}

// rect is a pixel rectangle [x0, x1) × [y0, y1) of a canvas.
type rect struct{ x0, y0, x1, y1 int }

func (r rect) empty() bool { return r.x1 <= r.x0 || r.y1 <= r.y0 }

// grow widens r by m on every side, within an n×n canvas.
func (r rect) grow(m, n int) rect {
	return rect{max(r.x0-m, 0), max(r.y0-m, 0), min(r.x1+m, n), min(r.y1+m, n)}
}

// maskBounds is the bounding box of the true pixels of an n-wide mask.
func maskBounds(m []bool, n int) rect {
	r := rect{n, n, 0, 0}
	for i, v := range m {
		if v {
			x, y := i%n, i/n
			r = rect{min(r.x0, x), min(r.y0, y), max(r.x1, x+1), max(r.y1, y+1)}
		}
	}
	return r
}

// farDistance stands for "no feature nearby" outside the rectangle a
// distance map was computed on.
const farDistance = 1e4

// edtRect is edt restricted to r: exact inside r for features inside r,
// farDistance outside it.
func edtRect(mask []bool, n int, r rect) *plane {
	out := newPlane(n, n)
	for i := range out.P {
		out.P[i] = farDistance
	}
	if r.empty() {
		return out
	}
	w, h := r.x1-r.x0, r.y1-r.y0
	sub := make([]bool, w*h)
	for y := 0; y < h; y++ {
		copy(sub[y*w:(y+1)*w], mask[(y+r.y0)*n+r.x0:(y+r.y0)*n+r.x1])
	}
	d := edt(sub, w, h)
	for y := 0; y < h; y++ {
		copy(out.P[(y+r.y0)*n+r.x0:(y+r.y0)*n+r.x1], d.P[y*w:(y+1)*w])
	}
	return out
}

// warpRect is warpInto an n×n canvas, computed inside r only (0 elsewhere).
func warpRect(src *plane, t similarity, n int, r rect) *plane {
	inv := t.inverse()
	out := newPlane(n, n)
	h := float64(n) / 2
	sx, sy := float64(src.W)/2, float64(src.H)/2
	k := math.Exp(inv.LogK)
	c, s := math.Cos(inv.Theta)*k, math.Sin(inv.Theta)*k
	for y := r.y0; y < r.y1; y++ {
		qy := float64(y) - h
		for x := r.x0; x < r.x1; x++ {
			qx := float64(x) - h
			px := c*qx - s*qy + inv.Tx
			py := s*qx + c*qy + inv.Ty
			out.P[y*n+x] = src.bilinear(px+sx, py+sy)
		}
	}
	return out
}

// planeBounds is the bounding box of the non-zero pixels of a square plane.
func planeBounds(p *plane) rect {
	r := rect{p.W, p.H, 0, 0}
	for y := 0; y < p.H; y++ {
		row := p.P[y*p.W : (y+1)*p.W]
		for x, v := range row {
			if v != 0 {
				r = rect{min(r.x0, x), min(r.y0, y), max(r.x1, x+1), max(r.y1, y+1)}
			}
		}
	}
	return r
}
