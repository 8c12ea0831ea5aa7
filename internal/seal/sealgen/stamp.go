package sealgen

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
)

// Impression describes one stamping of a seal and its scan.
type Impression struct {
	DPI      float64 // scan resolution
	AngleDeg float64 // rotation, counter-clockwise as displayed
	Scale    float64 // size factor (paper and scanner), 1 ± 0.02
	ShiftMM  [2]float64
	Spread   float64 // ink spread (+) or thinning (−), mm per edge
	Pressure float64 // 0: even; 1: strong gradient (one side faint or missing)
	Faint    float64 // overall lack of ink 0..1
	Dropout  float64 // speckle dropout 0..1
	Lines    bool    // printed form lines and text beneath the seal
	Blur     float64 // scan blur σ, pixels
	Noise    float64 // scan noise σ, grey levels
	JPEG     int     // JPEG quality (0: PNG)
	CanvasMM float64 // side of the scanned area (0: 2.2 × seal)
}

// vermilion seal paste as a filter on white paper
var inkFilter = [3]float64{0.86, 0.16, 0.20}

// Stamp renders a scanned impression of m and returns the encoded file bytes
// (PNG or JPEG) and the decoded picture.
func Stamp(fs *Fonts, m *Mask, imp Impression, rng *rand.Rand) ([]byte, image.Image) {
	if imp.Scale == 0 {
		imp.Scale = 1
	}
	canvasMM := imp.CanvasMM
	if canvasMM == 0 {
		canvasMM = m.MM * 2.2
	}
	pxmm := imp.DPI / 25.4
	n := int(canvasMM * pxmm)
	// paper and print
	paper := [3]float64{245 + rng.Float64()*8, 241 + rng.Float64()*8, 228 + rng.Float64()*14}
	rgb := make([][3]float64, n*n)
	for i := range rgb {
		rgb[i] = paper
	}
	if imp.Lines {
		printForm(fs, rgb, n, pxmm, rng)
	}
	// seal ink: soft mask after spread/thinning, at face resolution
	face := append([]float32(nil), m.A...)
	thicken(face, m.W, m.H, imp.Spread*PxPerMM)
	// pressure: a linear gradient in a random direction plus low-frequency wobble
	dir := rng.Float64() * 2 * math.Pi
	gx, gy := math.Cos(dir), math.Sin(dir)
	wob := lowNoise(rng, 6)
	drop := lowNoise(rng, 40)
	dropFine := lowNoise(rng, 90)
	th := imp.AngleDeg * math.Pi / 180
	// displayed counter-clockwise rotation = −θ in image coordinates (y down)
	ct, st := math.Cos(-th), math.Sin(-th)
	cx := float64(n)/2 + imp.ShiftMM[0]*pxmm
	cy := float64(n)/2 + imp.ShiftMM[1]*pxmm
	k := PxPerMM / (pxmm * imp.Scale) // face px per scan px
	ss := 3                           // supersampling per axis
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var acc float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					px := float64(x) + (float64(sx)+0.5)/float64(ss) - cx
					py := float64(y) + (float64(sy)+0.5)/float64(ss) - cy
					// inverse rotation into face coordinates
					fx := (ct*px+st*py)*k + float64(m.W)/2
					fy := (-st*px+ct*py)*k + float64(m.H)/2
					acc += float64(sampleMask(face, m.W, m.H, fx, fy))
				}
			}
			a := acc / float64(ss*ss)
			if a <= 0.001 {
				continue
			}
			// position in the seal, −1..1
			u := (float64(x) - cx) / (m.MM * pxmm / 2)
			v := (float64(y) - cy) / (m.MM * pxmm / 2)
			p := 1 - imp.Faint - imp.Pressure*0.5*(1+gx*u+gy*v) + 0.15*wob(u, v)
			// dropout: speckles where paste did not transfer
			if imp.Dropout > 0 {
				dn := 0.6*drop(u, v) + 0.4*dropFine(u, v)
				if dn < -1+2*imp.Dropout*0.6 {
					p -= 0.8
				}
			}
			d := a * clamp01(p*1.6)
			for c := 0; c < 3; c++ {
				rgb[y*n+x][c] *= 1 - d*(1-inkFilter[c])
			}
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	pix := make([]float64, 3*n*n)
	for i, c := range rgb {
		pix[3*i], pix[3*i+1], pix[3*i+2] = c[0], c[1], c[2]
	}
	if imp.Blur > 0 {
		for c := 0; c < 3; c++ {
			ch := make([]float32, n*n)
			for i := range ch {
				ch[i] = float32(pix[3*i+c])
			}
			blurInPlace(ch, n, n, imp.Blur)
			for i := range ch {
				pix[3*i+c] = float64(ch[i])
			}
		}
	}
	for i := 0; i < n*n; i++ {
		e := rng.NormFloat64() * imp.Noise
		for c := 0; c < 3; c++ {
			v := pix[3*i+c] + e + rng.NormFloat64()*imp.Noise*0.3
			img.Pix[4*i+c] = uint8(math.Max(0, math.Min(255, math.Round(v))))
		}
		img.Pix[4*i+3] = 255
	}
	var buf bytes.Buffer
	if imp.JPEG > 0 {
		jpeg.Encode(&buf, img, &jpeg.Options{Quality: imp.JPEG})
		out, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
		if err == nil {
			return buf.Bytes(), out
		}
	}
	buf.Reset()
	png.Encode(&buf, img)
	return buf.Bytes(), img
}

func sampleMask(a []float32, w, h int, x, y float64) float32 {
	x -= 0.5
	y -= 0.5
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	if x0 < -1 || y0 < -1 || x0 >= w || y0 >= h {
		return 0
	}
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	at := func(xx, yy int) float32 {
		if xx < 0 || yy < 0 || xx >= w || yy >= h {
			return 0
		}
		return a[yy*w+xx]
	}
	return (at(x0, y0)*(1-fx)+at(x0+1, y0)*fx)*(1-fy) + (at(x0, y0+1)*(1-fx)+at(x0+1, y0+1)*fx)*fy
}

// lowNoise returns a smooth random field on [−1,1]² with about freq/2 bumps
// per side, values roughly in [−1, 1].
func lowNoise(rng *rand.Rand, freq int) func(u, v float64) float64 {
	const terms = 6
	type wave struct{ kx, ky, ph, amp float64 }
	ws := make([]wave, terms)
	for i := range ws {
		a := rng.Float64() * 2 * math.Pi
		f := float64(freq) * (0.5 + rng.Float64())
		ws[i] = wave{f * math.Cos(a), f * math.Sin(a), rng.Float64() * 2 * math.Pi, 1 / math.Sqrt(terms/2)}
	}
	return func(u, v float64) float64 {
		var s float64
		for _, w := range ws {
			s += w.amp * math.Sin(w.kx*u+w.ky*v+w.ph)
		}
		return s / 2
	}
}

// printForm draws black form lines and printed labels, as on an application
// form, across the area where the seal will be.
func printForm(fs *Fonts, rgb [][3]float64, n int, pxmm float64, rng *rand.Rand) {
	dark := func(x, y int, a float64) {
		if x < 0 || y < 0 || x >= n || y >= n || a <= 0 {
			return
		}
		a = clamp01(a)
		for c := 0; c < 3; c++ {
			rgb[y*n+x][c] *= 1 - 0.88*a
		}
	}
	// a table: two horizontal and one vertical line
	lw := math.Max(1, 0.25*pxmm)
	for _, fy := range []float64{0.2 + rng.Float64()*0.15, 0.7 + rng.Float64()*0.15} {
		y0 := fy * float64(n)
		for y := int(y0); y < int(y0+lw); y++ {
			for x := 0; x < n; x++ {
				dark(x, y, 1)
			}
		}
	}
	x0 := (0.25 + rng.Float64()*0.5) * float64(n)
	for x := int(x0); x < int(x0+lw); x++ {
		for y := 0; y < n; y++ {
			dark(x, y, 1)
		}
	}
	// printed labels (Sung, about 3.5 mm)
	labels := []string{"申請人簽章", "印鑑", "代理人", "身分證統一編號"}
	lbl := labels[rng.IntN(len(labels))]
	size := 3.5 * pxmm
	ty := (0.35 + rng.Float64()*0.3) * float64(n)
	tx := rng.Float64() * float64(n) * 0.3
	for _, r := range lbl {
		g, err := fs.glyph(Sung, r)
		if err != nil {
			continue
		}
		for y := 0; y < int(size); y++ {
			for x := 0; x < int(size); x++ {
				gx := float64(x) / size * float64(g.w)
				gy := float64(y) / size * float64(g.h)
				dark(int(tx)+x, int(ty)+y, float64(g.sample(gx, gy)))
			}
		}
		tx += size * 1.1
	}
}
