package compare

import "math"

// boxDown averages m×m blocks (m >= 1).
func boxDown(p *plane, m int) *plane {
	if m <= 1 {
		return p
	}
	w, h := (p.W+m-1)/m, (p.H+m-1)/m
	out := newPlane(w, h)
	cnt := make([]float32, w*h)
	for y := 0; y < p.H; y++ {
		oy := (y / m) * w
		row := p.P[y*p.W : (y+1)*p.W]
		for x, v := range row {
			out.P[oy+x/m] += v
			cnt[oy+x/m]++
		}
	}
	for i := range out.P {
		out.P[i] /= cnt[i]
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

// blur is a separable Gaussian blur.
func blur(p *plane, sigma float64) *plane {
	if sigma <= 0 {
		return p
	}
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
	tmp := newPlane(p.W, p.H)
	for y := 0; y < p.H; y++ {
		row := p.P[y*p.W : (y+1)*p.W]
		empty := true
		for _, v := range row {
			if v != 0 {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		for x := 0; x < p.W; x++ {
			var acc float32
			for i, kv := range k {
				xx := x + i - r
				if xx >= 0 && xx < p.W {
					acc += row[xx] * kv
				}
			}
			tmp.P[y*p.W+x] = acc
		}
	}
	out := newPlane(p.W, p.H)
	for y := 0; y < p.H; y++ {
		for x := 0; x < p.W; x++ {
			var acc float32
			for i, kv := range k {
				yy := y + i - r
				if yy >= 0 && yy < p.H {
					acc += tmp.P[yy*p.W+x] * kv
				}
			}
			out.P[y*p.W+x] = acc
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
