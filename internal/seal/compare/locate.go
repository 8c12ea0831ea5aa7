package compare

import "math"

// region is a seal located in an ink map, in full-resolution pixels.
type region struct {
	X0, Y0, X1, Y1 int     // bounding box (exclusive max)
	Mass           float64 // total ink
}

// locateResult says where the seal ink is.
type locateResult struct {
	Seal   region
	Others int // further separate seal-sized ink clusters
}

// locate finds the main cluster of seal ink. Small red specks are ignored;
// clusters of comparable mass far apart are reported as Others.
func locate(ink *plane) (locateResult, bool) {
	long := ink.W
	if ink.H > long {
		long = ink.H
	}
	m := (long + 191) / 192
	if m < 1 {
		m = 1
	}
	low := boxDown(ink, m)
	w, h := low.W, low.H
	on := make([]bool, w*h)
	for i, v := range low.P {
		on[i] = v > 0.06
	}
	// close small gaps (faint stamps break into pieces)
	r := 2
	dil := make([]bool, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if !on[y*w+x] {
				continue
			}
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					xx, yy := x+dx, y+dy
					if xx >= 0 && yy >= 0 && xx < w && yy < h {
						dil[yy*w+xx] = true
					}
				}
			}
		}
	}
	label := make([]int32, w*h)
	var comps []region
	stack := make([]int, 0, 256)
	for i := range dil {
		if !dil[i] || label[i] != 0 {
			continue
		}
		id := int32(len(comps) + 1)
		c := region{X0: math.MaxInt, Y0: math.MaxInt, X1: -1, Y1: -1}
		stack = append(stack[:0], i)
		label[i] = id
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%w, j/w
			if on[j] {
				c.Mass += float64(low.P[j]) * float64(m*m)
				c.X0, c.Y0 = min(c.X0, x), min(c.Y0, y)
				c.X1, c.Y1 = max(c.X1, x+1), max(c.Y1, y+1)
			}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx < 0 || yy < 0 || xx >= w || yy >= h {
						continue
					}
					k := yy*w + xx
					if dil[k] && label[k] == 0 {
						label[k] = id
						stack = append(stack, k)
					}
				}
			}
		}
		if c.X1 > 0 {
			comps = append(comps, c)
		}
	}
	if len(comps) == 0 {
		return locateResult{}, false
	}
	// biggest cluster, then merge clusters close to it (pieces of a faint stamp)
	best := 0
	for i, c := range comps {
		if c.Mass > comps[best].Mass {
			best = i
		}
	}
	seal := comps[best]
	used := make([]bool, len(comps))
	used[best] = true
	for changed := true; changed; {
		changed = false
		size := max(seal.X1-seal.X0, seal.Y1-seal.Y0)
		gap := size / 3
		for i, c := range comps {
			if used[i] || c.Mass < seal.Mass*0.002 {
				continue
			}
			if c.X0 <= seal.X1+gap && c.X1 >= seal.X0-gap && c.Y0 <= seal.Y1+gap && c.Y1 >= seal.Y0-gap {
				// a piece may join only if the union stays seal-shaped
				nx0, ny0, nx1, ny1 := min(seal.X0, c.X0), min(seal.Y0, c.Y0), max(seal.X1, c.X1), max(seal.Y1, c.Y1)
				if float64(max(nx1-nx0, ny1-ny0)) > 1.8*float64(size) && c.Mass > seal.Mass*0.25 {
					continue
				}
				seal.X0, seal.Y0, seal.X1, seal.Y1 = nx0, ny0, nx1, ny1
				seal.Mass += c.Mass
				used[i] = true
				changed = true
			}
		}
	}
	others := 0
	for i, c := range comps {
		if !used[i] && c.Mass > seal.Mass*0.3 {
			others++
		}
	}
	seal.X0, seal.Y0 = seal.X0*m, seal.Y0*m
	seal.X1, seal.Y1 = min(seal.X1*m, ink.W), min(seal.Y1*m, ink.H)
	return locateResult{Seal: seal, Others: others}, true
}

// crop copies a rectangle of p.
func crop(p *plane, x0, y0, x1, y1 int) *plane {
	x0, y0 = max(x0, 0), max(y0, 0)
	x1, y1 = min(x1, p.W), min(y1, p.H)
	out := newPlane(x1-x0, y1-y0)
	for y := y0; y < y1; y++ {
		copy(out.P[(y-y0)*out.W:(y-y0+1)*out.W], p.P[y*p.W+x0:y*p.W+x1])
	}
	return out
}

// moments returns the ink centroid and radius of gyration.
func moments(p *plane) (cx, cy, rg, mass float64) {
	var sx, sy, sxx, syy float64
	for y := 0; y < p.H; y++ {
		row := p.P[y*p.W : (y+1)*p.W]
		for x, v := range row {
			if v < 0.2 {
				continue
			}
			w := float64(v)
			mass += w
			sx += w * float64(x)
			sy += w * float64(y)
			sxx += w * float64(x) * float64(x)
			syy += w * float64(y) * float64(y)
		}
	}
	if mass == 0 {
		return float64(p.W) / 2, float64(p.H) / 2, 0, 0
	}
	cx, cy = sx/mass, sy/mass
	v := sxx/mass - cx*cx + syy/mass - cy*cy
	if v < 0 {
		v = 0
	}
	return cx, cy, math.Sqrt(v), mass
}
