package compare

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// fft2 transforms w×h complex grids stored row by row.
type fft2 struct {
	w, h   int
	fw, fh *fourier.CmplxFFT
	a, b   []complex128
}

func newFFT2(w, h int) *fft2 {
	n := max(w, h)
	return &fft2{w: w, h: h, fw: fourier.NewCmplxFFT(w), fh: fourier.NewCmplxFFT(h), a: make([]complex128, n), b: make([]complex128, n)}
}

func (f *fft2) run(d []complex128, inverse bool) {
	for y := 0; y < f.h; y++ {
		row := d[y*f.w : (y+1)*f.w]
		if inverse {
			f.fw.Sequence(f.a[:f.w], row)
		} else {
			f.fw.Coefficients(f.a[:f.w], row)
		}
		copy(row, f.a[:f.w])
	}
	for x := 0; x < f.w; x++ {
		col := f.b[:f.h]
		for y := 0; y < f.h; y++ {
			col[y] = d[y*f.w+x]
		}
		if inverse {
			f.fh.Sequence(f.a[:f.h], col)
		} else {
			f.fh.Coefficients(f.a[:f.h], col)
		}
		for y := 0; y < f.h; y++ {
			d[y*f.w+x] = f.a[y]
		}
	}
}

func toComplex(p []float32) []complex128 {
	c := make([]complex128, len(p))
	for i, v := range p {
		c[i] = complex(float64(v), 0)
	}
	return c
}

func toComplex64(p []float64) []complex128 {
	c := make([]complex128, len(p))
	for i, v := range p {
		c[i] = complex(v, 0)
	}
	return c
}

// phaseCorrelate returns the normalised cross-power surface of a and b (both
// already transformed): its peak at d means a(x) ≈ b(x - d).
func phaseCorrelate(f *fft2, fa, fb []complex128) []float64 {
	prod := make([]complex128, len(fa))
	for i := range fa {
		p := fa[i] * cmplx.Conj(fb[i])
		m := cmplx.Abs(p)
		if m > 1e-12 {
			prod[i] = p / complex(m, 0)
		}
	}
	f.run(prod, true)
	out := make([]float64, len(prod))
	for i, v := range prod {
		out[i] = real(v)
	}
	return out
}

// subpixel refines an integer peak with a parabola along each axis.
func subpixel(s []float64, w, h, x, y int) (float64, float64) {
	at := func(xx, yy int) float64 { return s[((yy+h)%h)*w+(xx+w)%w] }
	c := at(x, y)
	fx, fy := float64(x), float64(y)
	l, r := at(x-1, y), at(x+1, y)
	if d := l - 2*c + r; d < 0 {
		fx += math.Max(-0.5, math.Min(0.5, 0.5*(l-r)/d))
	}
	u, dn := at(x, y-1), at(x, y+1)
	if d := u - 2*c + dn; d < 0 {
		fy += math.Max(-0.5, math.Min(0.5, 0.5*(u-dn)/d))
	}
	return fx, fy
}

func wrap(v float64, n int) float64 {
	if v >= float64(n)/2 {
		return v - float64(n)
	}
	return v
}

// logPolar samples the centred magnitude spectrum of an n×n transform on
// nA angles over [0, π) and nR log-spaced radii in [r0, r1].
func logPolar(mag []float64, n, nA, nR int, r0, r1 float64) []float64 {
	out := make([]float64, nA*nR)
	lr := math.Log(r1 / r0)
	half := n / 2
	at := func(u, v int) float64 { // frequency (u, v) in [-n/2, n/2)
		return mag[((v+n)%n)*n+(u+n)%n]
	}
	for a := 0; a < nA; a++ {
		phi := math.Pi * float64(a) / float64(nA)
		c, s := math.Cos(phi), math.Sin(phi)
		for r := 0; r < nR; r++ {
			rho := r0 * math.Exp(lr*float64(r)/float64(nR-1))
			x, y := rho*c, rho*s
			x0, y0 := int(math.Floor(x)), int(math.Floor(y))
			fx, fy := x-float64(x0), y-float64(y0)
			if x0 < -half || x0+1 >= half || y0 < -half || y0+1 >= half {
				continue
			}
			v := (at(x0, y0)*(1-fx)+at(x0+1, y0)*fx)*(1-fy) + (at(x0, y0+1)*(1-fx)+at(x0+1, y0+1)*fx)*fy
			out[a*nR+r] = v
		}
	}
	return out
}

// magnitude returns the high-pass filtered log magnitude spectrum of an n×n plane.
func magnitude(f *fft2, p *plane) []float64 {
	n := p.W
	c := toComplex(p.P)
	f.run(c, false)
	out := make([]float64, len(c))
	for v := 0; v < n; v++ {
		fv := float64(v)
		if v >= n/2 {
			fv -= float64(n)
		}
		for u := 0; u < n; u++ {
			fu := float64(u)
			if u >= n/2 {
				fu -= float64(n)
			}
			cc := math.Cos(math.Pi*fu/float64(n)) * math.Cos(math.Pi*fv/float64(n))
			hp := (1 - cc) * (2 - cc)
			out[v*n+u] = hp * math.Log1p(cmplx.Abs(c[v*n+u]))
		}
	}
	return out
}
