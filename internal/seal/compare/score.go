package compare

import "math"

// Scoring parameters (working canvas pixels; the seal is ~200 px across).
const (
	extraTolerance = 2.0  // ink this close to registered ink is spread, not extra
	coverRadius    = 1.5  // registered ink this close to candidate ink is reproduced
	gridN          = 5    // cells per side for local measures
	patchSearch    = 4    // ± pixels of local shift searched
	extraScale     = 0.04 // extra ink share that costs one unit
	cellScale      = 0.35 // worst-cell extra share that costs one unit
	shiftScale     = 0.25 // residual local shift (% of seal size) that costs one unit, squared
	maxSpreadAdj   = 1.5  // at most this much paste spread (px) widens the tolerances
)

type cell struct {
	X0, Y0, X1, Y1 int
	RefInk, Extra  int
	Covered        int
	// local fit (field.go): residual shift after the global similarity,
	// as the cost it adds (E, px), the stroke offset residual (px)
	DX, DY, E     float64
	off           float64
	w             float64
	hxx, hyy, hxy float64
	Measured      bool
	Flag          bool
}

type scoring struct {
	f      Features
	score  float64
	zExtra float64 // the extra-ink part of the score's exponent
	reason string
	R, C   *plane
	U      []bool
	extra  []bool
	roi    [4]int
	cells  []cell
}

func score(r *Reference, c *imprint, t similarity) *scoring {
	n := workN
	ref := r.im
	rm := r.maps
	R := ref.ink
	x0, y0, x1, y1 := rm.x0, rm.y0, rm.x1, rm.y1
	size := float64(max(x1-x0, y1-y0))
	roi := rect{x0, y0, x1, y1}.grow(int(size*0.1), n)
	// everything below looks at the region of interest only, plus the
	// local search and blur margins
	work := roi.grow(patchSearch+4, n)
	C := warpRect(c.ink, t, n, work)
	CU := warpRect(c.unknown, t, n, work)
	U := make([]bool, n*n)
	for y := work.y0; y < work.y1; y++ {
		for x := work.x0; x < work.x1; x++ {
			i := y*n + x
			U[i] = ref.unknown.P[i] > 0.5 || CU.P[i] > 0.5
		}
	}
	Rb := rm.ink
	Cb := binary(blurIn(C, 0.8, work), outlineThreshold)
	for i := range Cb {
		if U[i] {
			Cb[i] = false
		}
	}
	s := &scoring{R: R, C: C, U: U, extra: make([]bool, n*n)}
	if x1 <= x0 {
		return s
	}
	s.roi = [4]int{roi.x0, roi.y0, roi.x1, roi.y1}
	cw, chh := float64(x1-x0)/gridN, float64(y1-y0)/gridN
	s.cells = make([]cell, gridN*gridN)
	for j := 0; j < gridN; j++ {
		for i := 0; i < gridN; i++ {
			s.cells[j*gridN+i] = cell{X0: x0 + int(float64(i)*cw), Y0: y0 + int(float64(j)*chh),
				X1: x0 + int(float64(i+1)*cw), Y1: y0 + int(float64(j+1)*chh)}
		}
	}
	cellOf := func(x, y int) *cell {
		i := int(float64(x-x0) / cw)
		j := int(float64(y-y0) / chh)
		i, j = max(0, min(gridN-1, i)), max(0, min(gridN-1, j))
		return &s.cells[j*gridN+i]
	}
	refInk := 0
	for y := s.roi[1]; y < s.roi[3]; y++ {
		for x := s.roi[0]; x < s.roi[2]; x++ {
			if i := y*n + x; Rb[i] && !U[i] {
				refInk++
				cellOf(x, y).RefInk++
			}
		}
	}
	f := &s.f
	f.RefInk = refInk
	if refInk == 0 {
		return s
	}
	spread := s.measureField(rm, Cb, U)
	// the paste spread widens the tolerances: bolder strokes everywhere are
	// not extra ink, thinner ones still cover the registered strokes
	extraTol := float32(extraTolerance + max(0, min(maxSpreadAdj, -spread)))
	coverR := float32(coverRadius + max(0, min(maxSpreadAdj, spread)))
	dtC := edtRect(Cb, n, roi.grow(4, n))
	var candInk, covered, extra int
	for y := s.roi[1]; y < s.roi[3]; y++ {
		for x := s.roi[0]; x < s.roi[2]; x++ {
			i := y*n + x
			if U[i] {
				continue
			}
			if Rb[i] && dtC.P[i] <= coverR {
				covered++
				cellOf(x, y).Covered++
			}
			if Cb[i] {
				candInk++
				if rm.dist.P[i] > extraTol {
					extra++
					s.extra[i] = true
					cellOf(x, y).Extra++
				}
			}
		}
	}
	f.CandInk = candInk
	f.Coverage = float64(covered) / float64(refInk)
	f.Extra = float64(extra) / float64(refInk)
	cellArea := cw * chh
	for k := range s.cells {
		ce := &s.cells[k]
		v := float64(ce.Extra) / math.Max(float64(ce.RefInk), 0.1*cellArea)
		f.WorstCell = max(f.WorstCell, v)
	}
	shift, stroke, measured := s.fieldStats()
	f.Displacement = shift / size * 100
	f.Stroke = stroke / size * 100
	f.Spread = spread / size * 100
	f.Cells = measured
	zShift := (f.Displacement / shiftScale) * (f.Displacement / shiftScale)
	zExtra := f.Extra/extraScale + f.WorstCell/cellScale
	s.zExtra = zExtra
	z := zShift + zExtra
	s.score = math.Exp(-z * math.Ln2) // z = 1 → 0.5
	for k := range s.cells {
		ce := &s.cells[k]
		v := float64(ce.Extra) / math.Max(float64(ce.RefInk), 0.1*cellArea)
		ce.Flag = v > cellScale*0.6 || (ce.Measured && ce.E/size*100 > shiftScale*1.5)
	}
	if zExtra >= zShift {
		s.reason = "申請書印文有登記印鑑所無之筆畫或印框（橘色標示處）"
	} else {
		s.reason = "申請書印文局部筆畫位置與登記印鑑不一致（橘框標示處），疑為重刻"
	}
	f.Coverage = round(f.Coverage, 4)
	f.Extra = round(f.Extra, 4)
	f.WorstCell = round(f.WorstCell, 4)
	f.Displacement = round(f.Displacement, 3)
	f.Stroke = round(f.Stroke, 3)
	f.Spread = round(f.Spread, 3)
	return s
}
