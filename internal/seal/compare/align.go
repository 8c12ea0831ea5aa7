package compare

import (
	"math"
	"sort"
)

// Working geometry: both imprints are resampled so that their ink has a
// radius of gyration of workRG pixels, centred on an n×n canvas.
const (
	workN  = 384
	workRG = 80.0
	lowFM  = 3 // 128×128 for Fourier–Mellin
	lowTr  = 6 // 64×64 for quarter-turn and translation search
	fmA    = 180
	fmR    = 64
	fmR0   = 2.0
	fmR1   = 56.0
)

// coarse is an alignment hypothesis with its low-resolution agreement.
type coarse struct {
	T   similarity
	NCC float64
}

// coarseRef is the registered imprint's side of the coarse alignment,
// computed once per reference.
type coarseRef struct {
	lp  []complex128 // transform of the log-polar magnitude spectrum
	low *plane       // low-resolution canvas for translation and correlation
	ft  []complex128 // its transform
}

func newCoarseRef(ref *plane) *coarseRef {
	n := workN / lowFM
	f := newFFT2(n, n)
	lr := logPolar(magnitude(f, boxDown(ref, lowFM)), n, fmA, fmR, fmR0, fmR1)
	normalize(lr)
	a := toComplex64(lr)
	newFFT2(fmR, fmA).run(a, false)
	m := workN / lowTr
	r2 := boxDown(ref, lowTr)
	fr := toComplex(r2.P)
	newFFT2(m, m).run(fr, false)
	return &coarseRef{lp: a, low: r2, ft: fr}
}

// coarseAlign estimates rotation (any angle), scale within ±maxLogK and
// translation of cand onto ref (both workN canvases) by Fourier–Mellin on the
// magnitude spectra, then tests each rotation peak at its four quarter turns
// (square seals look alike at every quarter turn) and finds the translation
// by phase correlation. It returns hypotheses best first.
func coarseAlign(ref *coarseRef, cand *plane, maxLogK float64) []coarse {
	n := workN / lowFM
	f := newFFT2(n, n)
	lc := logPolar(magnitude(f, boxDown(cand, lowFM)), n, fmA, fmR, fmR0, fmR1)
	normalize(lc)
	flp := newFFT2(fmR, fmA)
	a, b := ref.lp, toComplex64(lc)
	flp.run(b, false)
	surf := phaseCorrelate(flp, b, a) // peak d: lc(x) = lr(x - d)
	dlog := math.Log(fmR1/fmR0) / float64(fmR-1)
	maxBins := int(math.Ceil(maxLogK/dlog)) + 1
	type pk struct {
		a, r int
		v    float64
	}
	var peaks []pk
	for ai := 0; ai < fmA; ai++ {
		for ri := -maxBins; ri <= maxBins; ri++ {
			rr := (ri + fmR) % fmR
			peaks = append(peaks, pk{ai, rr, surf[ai*fmR+rr]})
		}
	}
	sort.Slice(peaks, func(i, j int) bool { return peaks[i].v > peaks[j].v })
	var chosen []pk
	for _, p := range peaks {
		ok := true
		for _, c := range chosen {
			d := (p.a - c.a + fmA) % fmA
			if d < 6 || d > fmA-6 {
				ok = false
				break
			}
		}
		if ok {
			chosen = append(chosen, p)
			if len(chosen) == 3 {
				break
			}
		}
	}
	// translation search at lower resolution
	m := workN / lowTr
	r2, c2 := ref.low, boxDown(cand, lowTr)
	ft := newFFT2(m, m)
	fr := ref.ft
	var hyps []coarse
	for _, p := range chosen {
		fa, fr0 := subpixel(surf, fmR, fmA, p.r, p.a)
		rot := -math.Pi * wrap(fr0, fmA) / fmA
		logk := wrap(fa, fmR) * dlog
		logk = math.Max(-maxLogK, math.Min(maxLogK, logk))
		ks := []float64{logk}
		if maxLogK > 0.05 && math.Abs(logk) > 0.02 {
			// the prior scale too (different resolutions, normalised by the
			// spread of ink): the spectrum's scale is unreliable on faint,
			// partial imprints
			ks = append(ks, 0)
		}
		for q := 0; q < 4*len(ks); q++ {
			th := normAngle(rot + float64(q%4)*math.Pi/2)
			t := similarity{Theta: th, LogK: ks[q/4]}
			w := warpInto(c2, t, m, m)
			fw := toComplex(w.P)
			ft.run(fw, false)
			s := phaseCorrelate(ft, fr, fw) // ref(x) = w(x - d)
			bi := 0
			for i, v := range s {
				if v > s[bi] {
					bi = i
				}
			}
			px, py := subpixel(s, m, m, bi%m, bi/m)
			t.Tx, t.Ty = wrap(px, m), wrap(py, m)
			ncc := nccPlanes(r2, warpInto(c2, t, m, m))
			t.Tx *= lowTr
			t.Ty *= lowTr
			hyps = append(hyps, coarse{T: t, NCC: ncc})
		}
	}
	sort.Slice(hyps, func(i, j int) bool { return hyps[i].NCC > hyps[j].NCC })
	return hyps
}

func normAngle(a float64) float64 {
	for a > math.Pi {
		a -= 2 * math.Pi
	}
	for a <= -math.Pi {
		a += 2 * math.Pi
	}
	return a
}

func normalize(v []float64) {
	var s, ss float64
	for _, x := range v {
		s += x
	}
	mean := s / float64(len(v))
	for i := range v {
		v[i] -= mean
		ss += v[i] * v[i]
	}
	if ss > 0 {
		k := 1 / math.Sqrt(ss)
		for i := range v {
			v[i] *= k
		}
	}
}

func nccPlanes(a, b *plane) float64 {
	var sa, sb, saa, sbb, sab float64
	n := float64(len(a.P))
	for i := range a.P {
		x, y := float64(a.P[i]), float64(b.P[i])
		sa += x
		sb += y
		saa += x * x
		sbb += y * y
		sab += x * y
	}
	va, vb := saa-sa*sa/n, sbb-sb*sb/n
	if va <= 0 || vb <= 0 {
		return 0
	}
	return (sab - sa*sb/n) / math.Sqrt(va*vb)
}

// outline is the outline of a binary ink mask: its distance map and a
// sample of its points (relative to the canvas centre).
type outline struct {
	dt  *plane
	pts [][2]float64
}

const outlineThreshold = 0.35

// outlinePoints caps the outline points the chamfer distance samples.
const outlinePoints = 1200

func newOutline(mask []bool, n int) *outline {
	e := edges(mask, n, n)
	// the chamfer truncates distances at 10 px: farther is far
	return &outline{dt: edtRect(e, n, maskBounds(e, n).grow(12, n)), pts: samplePoints(e, n, n, outlinePoints)}
}

// chamfer is the truncated symmetric chamfer distance between the ink
// outlines of two canvases, as a function of the similarity.
type chamfer struct {
	ref, cand *outline
	tau       float64
}

func newChamfer(ref, cand *outline) *chamfer { return &chamfer{ref: ref, cand: cand, tau: 4} }

// sampled is the chamfer distance on one outline point in stride, picked
// in a scrambled order: a regular pick from a raster-ordered outline aliases
// with straight strokes and leaves a bumpy cost.
func (c *chamfer) sampled(stride int) *chamfer {
	pick := func(o *outline) *outline {
		n := len(o.pts)
		p := make([][2]float64, 0, n/stride+1)
		for i := 0; i < n/stride; i++ {
			p = append(p, o.pts[(i*7919)%n])
		}
		return &outline{dt: o.dt, pts: p}
	}
	return &chamfer{ref: pick(c.ref), cand: pick(c.cand), tau: c.tau}
}

// fineSteps are the pattern search's first and last steps (rotation in
// radians, log scale, x, y).
var fineSteps = [2][4]float64{{1.5 * math.Pi / 180, 0.01, 2, 2}, {0.02 * math.Pi / 180, 0.0005, 0.03, 0.03}}

// align finds the similarity mapping the candidate canvas onto the
// registered one. Coarse hypotheses (Fourier–Mellin rotation and scale, the
// four quarter turns, translation by phase correlation) are ranked by their
// low-resolution correlation. That ranking is not reliable on worn or
// speckled imprints (a rotation peak off by ten degrees puts the right
// quarter turn fourth or sixth), so the best few get a quick chamfer descent
// from a wide basin on a sample of the outlines; the best two of those are
// refined precisely. It returns the transform and its chamfer cost.
func align(ref *refMaps, C *plane, maxLogK float64) (similarity, float64) {
	hyps := coarseAlign(ref.coarse, C, maxLogK)
	ch := newChamfer(ref.outline, newOutline(binary(blurIn(C, 0.8, planeBounds(C).grow(3, C.W)), outlineThreshold), C.W))
	bounds := func(h similarity) (float64, float64) {
		// genuine impressions differ in scale by a few per cent at most; the
		// spectrum's estimate across resolutions is only a start
		if maxLogK <= 0.05 {
			return -0.05, 0.05
		}
		return h.LogK - 0.05, h.LogK + 0.05
	}
	type trial struct {
		t      similarity
		lo, hi float64
		cost   float64
	}
	var trials []trial
	quick := ch.sampled(quickStride)
	quick.tau = 10
	for i, h := range hyps {
		if i >= quickHyps {
			break
		}
		lo, hi := bounds(h.T)
		t, cost := quick.refine(h.T, lo, hi, quickSteps)
		trials = append(trials, trial{t, lo, hi, cost})
	}
	sort.SliceStable(trials, func(i, j int) bool { return trials[i].cost < trials[j].cost })
	var best similarity
	bestCost := math.Inf(1)
	for i, tr := range trials {
		if i >= 2 {
			break
		}
		ch.tau = 10 // wide basin first, then precise
		t, _ := ch.refine(tr.t, tr.lo, tr.hi, fineSteps)
		ch.tau = 4
		t, cost := ch.refine(t, tr.lo, tr.hi, fineSteps)
		if cost < bestCost {
			best, bestCost = t, cost
		}
	}
	return best, bestCost
}

// The quick descent: how many coarse hypotheses, every how many outline
// points, and its steps.
const (
	quickHyps   = 8
	quickStride = 2
)

var quickSteps = [2][4]float64{{1.5 * math.Pi / 180, 0.01, 2, 2}, {0.2 * math.Pi / 180, 0.003, 0.4, 0.4}}

func samplePoints(m []bool, w, h, limit int) [][2]float64 {
	n := 0
	for _, v := range m {
		if v {
			n++
		}
	}
	step := 1
	if n > limit {
		step = (n + limit - 1) / limit
	}
	pts := make([][2]float64, 0, n/step+1)
	k := 0
	for i, v := range m {
		if !v {
			continue
		}
		if k%step == 0 {
			pts = append(pts, [2]float64{float64(i%w) - float64(w)/2, float64(i/w) - float64(h)/2})
		}
		k++
	}
	return pts
}

func (c *chamfer) cost(t similarity) float64 {
	return c.dir(c.cand.pts, c.ref.dt, t) + c.dir(c.ref.pts, c.cand.dt, t.inverse())
}

func (c *chamfer) dir(pts [][2]float64, dt *plane, t similarity) float64 {
	if len(pts) == 0 {
		return c.tau * c.tau
	}
	k := math.Exp(t.LogK)
	co, si := math.Cos(t.Theta)*k, math.Sin(t.Theta)*k
	hx, hy := float64(dt.W)/2, float64(dt.H)/2
	tau := float32(c.tau)
	w := dt.W
	xmax, ymax := float64(dt.W-1), float64(dt.H-1)
	var s float64
	for _, p := range pts {
		x := co*p[0] - si*p[1] + t.Tx + hx
		y := si*p[0] + co*p[1] + t.Ty + hy
		d := tau
		if x >= 0 && y >= 0 && x < xmax && y < ymax {
			// bilinear, inlined: this is the alignment's inner loop
			x0, y0 := int(x), int(y)
			fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
			i := y0*w + x0
			r0 := dt.P[i : i+2]
			r1 := dt.P[i+w : i+w+2]
			v := (r0[0]*(1-fx)+r0[1]*fx)*(1-fy) + (r1[0]*(1-fx)+r1[1]*fx)*fy
			d = min(v, tau)
		}
		s += float64(d * d)
	}
	return s / float64(len(pts))
}

// refine minimises the chamfer cost by pattern search over rotation, scale
// (within [loK, hiK]) and translation: rigid plus scale, never a warp, so a
// re-carved seal cannot be explained away.
func (c *chamfer) refine(t similarity, loK, hiK float64, sched [2][4]float64) (similarity, float64) {
	t.LogK = max(loK, min(hiK, t.LogK))
	best := c.cost(t)
	steps, minSteps := sched[0], sched[1]
	for iter := 0; iter < 200; iter++ {
		improved := false
		for i := 0; i < 4; i++ {
			for _, sgn := range [2]float64{1, -1} {
				cand := t
				switch i {
				case 0:
					cand.Theta += sgn * steps[i]
				case 1:
					cand.LogK += sgn * steps[i]
					if cand.LogK < loK || cand.LogK > hiK {
						continue
					}
				case 2:
					cand.Tx += sgn * steps[i]
				case 3:
					cand.Ty += sgn * steps[i]
				}
				if v := c.cost(cand); v < best {
					best, t, improved = v, cand, true
					break
				}
			}
		}
		if !improved {
			done := true
			for i := range steps {
				if steps[i] > minSteps[i] {
					steps[i] /= 2
					done = false
				}
			}
			if done {
				break
			}
		}
	}
	t.Theta = normAngle(t.Theta)
	return t, best
}
