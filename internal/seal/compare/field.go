package compare

import (
	"math"
	"slices"
	"sort"
)

// Local measures after the rigid alignment.
//
// A genuine re-impression is the same rigid face: after the global fit every
// part of it lies where the registered one does, and its strokes are all
// thicker or all thinner by about the same amount (the paste spread). A
// re-carved seal moves, resizes and re-weights each character a little. So
// every cell of a grid over the seal gets a local shift, measured
// one-sidedly: where do the candidate's outlines lie in the registered
// imprint's signed distance map? The candidate's missing ink (faint areas,
// dropout, print on top) says nothing about where its strokes are; the ink it
// has does.

const (
	// fieldClamp bounds the signed distance map (pixels).
	fieldClamp = 4.0
	// fieldTau truncates outline residuals (pixels): outline pieces farther
	// off (dropout holes, extra strokes) do not pull the fit.
	fieldTau = 2.0
	// fieldTrim is the share of cells, worst first, left out of the shift
	// statistic: a cell or two spoilt by print, a speck or a missing corner
	// is not a re-carving, which moves every character.
	fieldTrim = 0.1
)

// refMaps are the registered imprint's maps on the working canvas, computed
// once per reference.
type refMaps struct {
	ink     []bool // binary ink
	dist    *plane // distance to the nearest ink pixel
	sd      *plane // signed distance to the outline, holes closed, clamped (+: inside)
	outline *outline
	coarse  *coarseRef
	// bounding box of the ink
	x0, y0, x1, y1 int
}

func newRefMaps(R *plane) *refMaps {
	n := R.W
	m := &refMaps{ink: binary(blurIn(R, 0.8, planeBounds(R).grow(3, n)), outlineThreshold)}
	b := maskBounds(m.ink, n)
	m.x0, m.y0, m.x1, m.y1 = b.x0, b.y0, b.x1, b.y1
	r := b.grow(16, n)
	m.dist = edtRect(m.ink, n, r)
	m.sd = signedDistance(closeMask(m.ink, n, 1.5, r), n, fieldClamp, r)
	m.outline = newOutline(m.ink, n)
	m.coarse = newCoarseRef(R)
	return m
}

// signedDistance returns the clamped signed distance map of a mask (computed
// inside r, which holds the mask with a margin wider than clamp), the outline
// halfway between an inside and an outside pixel.
func signedDistance(m []bool, n int, clamp float32, r rect) *plane {
	out := edtRect(m, n, r)
	inv := make([]bool, len(m))
	for i, v := range m {
		inv[i] = !v
	}
	in := edtRect(inv, n, r)
	for i := range out.P {
		v := in.P[i] - out.P[i]
		if in.P[i] >= farDistance {
			v = -clamp // outside r: far from the ink
		}
		if m[i] {
			v -= 0.5
		} else {
			v += 0.5
		}
		out.P[i] = max(-clamp, min(clamp, v))
	}
	return out
}

// closeMask fills holes and gaps narrower than 2r (dilate, then erode),
// inside the rectangle b.
func closeMask(m []bool, n int, r float32, b rect) []bool {
	d := edtRect(m, n, b)
	inv := make([]bool, len(m))
	for i, v := range d.P {
		inv[i] = v > r // outside the dilated mask
	}
	e := edtRect(inv, n, b)
	out := make([]bool, len(m))
	for i, v := range e.P {
		out[i] = v > r && v < farDistance
	}
	return out
}

// measureField fits every measured cell's local shift and stroke offset and
// returns the common stroke offset of the candidate (the paste spread: the
// median signed distance at its outline; negative when the candidate's
// strokes are bolder).
// Cb: the aligned candidate's binary ink (unknown pixels removed); U: unknown.
func (s *scoring) measureField(ref *refMaps, Cb, U []bool) float64 {
	n := workN
	S := ref.sd
	const ps = patchSearch
	edge := make([]bool, len(Cb))
	var all []float32
	for y := s.roi[1]; y < s.roi[3]; y++ {
		if y <= ps || y >= n-ps-1 {
			continue
		}
		for x := s.roi[0]; x < s.roi[2]; x++ {
			i := y*n + x
			if x <= ps || x >= n-ps-1 || !Cb[i] || U[i] || U[i-1] || U[i+1] || U[i-n] || U[i+n] {
				continue
			}
			if !Cb[i-1] || !Cb[i+1] || !Cb[i-n] || !Cb[i+n] {
				edge[i] = true
				all = append(all, S.P[i])
			}
		}
	}
	if len(all) == 0 {
		return 0
	}
	spread := float64(median32(all))
	const tau2 = fieldTau * fieldTau
	var pts []int32
	var buf []float32
	for ci := range s.cells {
		c := &s.cells[ci]
		pts = pts[:0]
		for y := c.Y0; y < c.Y1; y++ {
			for x := c.X0; x < c.X1; x++ {
				if edge[y*n+x] {
					pts = append(pts, int32(y*n+x))
				}
			}
		}
		side := float64(c.X1 - c.X0 + c.Y1 - c.Y0)
		area := float64((c.X1 - c.X0) * (c.Y1 - c.Y0))
		if float64(len(pts)) < 0.5*side || float64(c.RefInk) < 0.05*area {
			continue
		}
		// the cell's own stroke offset where the global fit puts it: faint
		// parts are thinner than the rest
		buf = buf[:0]
		for _, k := range pts {
			buf = append(buf, S.P[k])
		}
		c0 := float64(median32(buf))
		var surf [2*ps + 1][2*ps + 1]float64
		bx, by, bv := 0, 0, math.Inf(1)
		for dy := -ps; dy <= ps; dy++ {
			for dx := -ps; dx <= ps; dx++ {
				off := dy*n + dx
				var sum float64
				for _, k := range pts {
					r := float64(S.P[int(k)+off]) - c0
					sum += min(r*r, tau2)
				}
				v := sum / float64(len(pts))
				surf[dy+ps][dx+ps] = v
				if v < bv || (v == bv && dx*dx+dy*dy < bx*bx+by*by) {
					bx, by, bv = dx, dy, v
				}
			}
		}
		// curvature of the cost at the minimum (one step inside the searched
		// square): a straight stroke fixes only the shift across it
		hx, hy := max(-ps+1, min(ps-1, bx)), max(-ps+1, min(ps-1, by))
		at := func(dx, dy int) float64 { return surf[hy+dy+ps][hx+dx+ps] }
		hxx := at(-1, 0) - 2*at(0, 0) + at(1, 0)
		hyy := at(0, -1) - 2*at(0, 0) + at(0, 1)
		hxy := (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / 4
		c.hxx, c.hyy, c.hxy = psd(hxx, hyy, hxy)
		fx, fy := float64(bx), float64(by)
		if bx > -ps && bx < ps {
			l, m, r := surf[by+ps][bx+ps-1], surf[by+ps][bx+ps], surf[by+ps][bx+ps+1]
			if d := l - 2*m + r; d > 0 {
				fx += max(-0.5, min(0.5, 0.5*(l-r)/d))
			}
		}
		if by > -ps && by < ps {
			u, m, dn := surf[by+ps-1][bx+ps], surf[by+ps][bx+ps], surf[by+ps+1][bx+ps]
			if d := u - 2*m + dn; d > 0 {
				fy += max(-0.5, min(0.5, 0.5*(u-dn)/d))
			}
		}
		c.DX, c.DY, c.w, c.Measured = fx, fy, float64(len(pts)), true
		// stroke offset at the shifted outline
		buf = buf[:0]
		for _, k := range pts {
			v := S.bilinear(float64(int(k)%n)+fx, float64(int(k)/n)+fy)
			if math.Abs(float64(v)-spread) <= fieldTau {
				buf = append(buf, v)
			}
		}
		c.off = spread
		if len(buf) >= len(pts)/2 {
			c.off = float64(median32(buf))
		}
	}
	s.fitField()
	return spread
}

// fitField removes from the cell shifts the similarity (shift, rotation,
// scale) that best explains them — what is left no rigid motion explains —
// and from the stroke offsets their weighted median (the paste spread). Each
// cell counts with the curvature of its cost: along a straight stroke a shift
// is not measured and is not held against the candidate.
func (s *scoring) fitField() {
	ox, oy := float64(s.roi[0]+s.roi[2])/2, float64(s.roi[1]+s.roi[3])/2
	// minimise Σ w (d − Aθ)ᵀ H (d − Aθ), A = [1 0 x −y; 0 1 y x], θ = (tx, ty, a, b)
	var N [4][5]float64
	measured := false
	for _, c := range s.cells {
		if !c.Measured {
			continue
		}
		measured = true
		x, y := (float64(c.X0+c.X1)/2-ox)/100, (float64(c.Y0+c.Y1)/2-oy)/100
		A := [2][4]float64{{1, 0, x, -y}, {0, 1, y, x}}
		H := [2][2]float64{{c.hxx, c.hxy}, {c.hxy, c.hyy}}
		d := [2]float64{c.DX, c.DY}
		for p := 0; p < 4; p++ {
			for k := 0; k < 2; k++ {
				for l := 0; l < 2; l++ {
					h := c.w * A[k][p] * H[k][l]
					for q := 0; q < 4; q++ {
						N[p][q] += h * A[l][q]
					}
					N[p][4] += h * d[l]
				}
			}
		}
	}
	if !measured {
		return
	}
	th, _ := solve4(N)
	var offs, ws []float64
	for k := range s.cells {
		c := &s.cells[k]
		if !c.Measured {
			continue
		}
		x, y := (float64(c.X0+c.X1)/2-ox)/100, (float64(c.Y0+c.Y1)/2-oy)/100
		c.DX -= th[0] + th[2]*x - th[3]*y
		c.DY -= th[1] + th[3]*x + th[2]*y
		q := c.hxx*c.DX*c.DX + 2*c.hxy*c.DX*c.DY + c.hyy*c.DY*c.DY
		if lm := maxEigen(c.hxx, c.hyy, c.hxy); lm > 1e-9 {
			c.E = math.Sqrt(max(q, 0) / lm)
		}
		offs = append(offs, c.off)
		ws = append(ws, c.w)
	}
	m := weightedMedian(offs, ws)
	for k := range s.cells {
		if s.cells[k].Measured {
			s.cells[k].off -= m
		}
	}
}

// fieldStats returns the trimmed RMS of the cells' residual shifts and the
// RMS of their stroke offsets (pixels), and how many cells were measured.
func (s *scoring) fieldStats() (shift, stroke float64, measured int) {
	var es, os []float64
	for _, c := range s.cells {
		if c.Measured {
			es = append(es, c.E)
			os = append(os, c.off)
		}
	}
	if len(es) == 0 {
		return 0, 0, 0
	}
	sort.Float64s(es)
	keep := len(es) - int(math.Ceil(fieldTrim*float64(len(es))))
	if keep < 1 {
		keep = 1
	}
	return rms(es[:keep]), rms(os), len(es)
}

func rms(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s / float64(len(v)))
}

// psd returns the nearest positive semi-definite 2×2 symmetric matrix
// [a b; b d].
func psd(a, d, b float64) (float64, float64, float64) {
	tr, det := a+d, a*d-b*b
	disc := math.Sqrt(max(tr*tr/4-det, 0))
	l1, l2 := tr/2+disc, tr/2-disc
	if l2 >= 0 {
		return a, d, b
	}
	if l1 <= 0 {
		return 0, 0, 0
	}
	// keep the positive eigenvalue's part only
	var vx, vy float64
	switch {
	case math.Abs(b) > 1e-12:
		vx, vy = l1-d, b
	case a >= d:
		vx, vy = 1, 0
	default:
		vx, vy = 0, 1
	}
	nrm := math.Hypot(vx, vy)
	vx, vy = vx/nrm, vy/nrm
	return l1 * vx * vx, l1 * vy * vy, l1 * vx * vy
}

func maxEigen(a, d, b float64) float64 {
	tr, det := a+d, a*d-b*b
	return tr/2 + math.Sqrt(max(tr*tr/4-det, 0))
}

// solve4 solves a 4×4 linear system given as an augmented matrix (zero when
// singular).
func solve4(m [4][5]float64) ([4]float64, bool) {
	for c := 0; c < 4; c++ {
		p := c
		for r := c + 1; r < 4; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if math.Abs(m[p][c]) < 1e-12 {
			return [4]float64{}, false
		}
		m[c], m[p] = m[p], m[c]
		for r := 0; r < 4; r++ {
			if r == c {
				continue
			}
			f := m[r][c] / m[c][c]
			for k := c; k < 5; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	var x [4]float64
	for i := range x {
		x[i] = m[i][4] / m[i][i]
	}
	return x, true
}

func weightedMedian(v, w []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	var tot float64
	for _, x := range w {
		tot += x
	}
	var acc float64
	for _, i := range idx {
		acc += w[i]
		if acc >= tot/2 {
			return v[i]
		}
	}
	return v[idx[len(idx)-1]]
}

// median32 returns the median of v, reordering it.
func median32(v []float32) float32 {
	slices.Sort(v)
	return v[len(v)/2]
}
