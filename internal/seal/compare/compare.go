// Package compare aligns a seal imprint (印文) on an application with the
// registered imprint (印鑑) and scores their similarity. It has no web or
// storage dependencies: it takes two images and returns a Result.
//
// The pipeline:
//
//  1. Ink isolation. Seal paste is a red filter; each pixel's red chroma
//     (after dividing by the paper white) is its ink density. Black print and
//     form lines are not ink, and pixels dark enough to hide the red channel
//     are unknown, not missing ink. For alignment the hidden ink is filled in
//     from its surroundings; the scores keep it unknown.
//  2. Location. The biggest cluster of ink is the seal; faint pieces close to it
//     join it; a second seal-sized cluster makes the imprint ambiguous.
//  3. Normalisation. Each imprint is centred on its ink centroid. If the two
//     imprints have a similar spread of ink they are assumed scanned at the same
//     resolution and keep their relative scale (a genuine re-impression differs by
//     at most a few per cent); otherwise the candidate is rescaled by the ratio
//     of the spreads (a 300 dpi application against a 600 dpi seal card).
//  4. Coarse alignment: Fourier–Mellin (phase correlation of the log-polar
//     magnitude spectra) gives rotation modulo 180° and scale; each rotation
//     peak is tried at its four quarter turns and placed by phase correlation.
//     The best few get a quick chamfer descent from a wide basin.
//  5. Refinement: rotation, scale and shift (never a warp) minimising the
//     truncated symmetric chamfer distance between the ink outlines.
//  6. Scoring. A genuine re-impression is the same rigid face: it mostly loses
//     ink (faint, partial, speckled) and its strokes are uniformly bolder or
//     thinner (paste spread). A re-carved seal adds ink where the registered
//     seal has none and moves, resizes and re-weights its characters. The
//     score combines extra ink beyond a spread-adjusted tolerance (overall
//     and in the worst cell of a grid) with the residual local shift of the
//     strokes: every grid cell's shift is measured one-sidedly (where the
//     candidate's outline lies in the registered imprint's signed distance
//     map), the similarity that best explains all shifts is removed, and
//     what is left — weighted by how well each cell constrains it, trimmed
//     of the worst cell or two — is what no rigid motion explains. The ink
//     quality grades the imprint first: too faint or partial gives the
//     verdict Poor (stamp again) instead of a guess.
package compare

import (
	"errors"
	"fmt"
	"image"
	"math"
	"time"

	"ebazhao/internal/platform/clock"
)

// Verdict is the decision at the threshold.
type Verdict string

// Verdicts.
const (
	Match    Verdict = "match"    // 相符
	Mismatch Verdict = "mismatch" // 不符
	Poor     Verdict = "poor"     // 印文不清，請重新用印
)

// Label is the verdict in Chinese.
func (v Verdict) Label() string {
	switch v {
	case Match:
		return "相符"
	case Mismatch:
		return "不符"
	case Poor:
		return "印文不清，請重新用印"
	}
	return string(v)
}

// DefaultThreshold is the score at or above which an imprint matches.
const DefaultThreshold = 0.5

// MinCoverage is the share of the registered ink that the candidate must
// reproduce for a match; below it the imprint is too faint or partial.
const MinCoverage = 0.6

// MinInkRatio is the least ink, relative to the registered imprint at the
// same scale, an imprint needs to be compared at all.
const MinInkRatio = 0.3

// faintInkRatio: below it an imprint with low coverage is taken as faint or
// partial rather than different.
const faintInkRatio = 0.7

// Options tune a comparison.
type Options struct {
	Threshold float64 // 0: DefaultThreshold
	Overlay   bool    // render Result.Overlay
}

// Features are the measurements behind the score.
type Features struct {
	Coverage     float64 `json:"coverage"`       // share of registered ink reproduced (ink quality)
	Extra        float64 `json:"extra"`          // ink beyond tolerance, relative to the registered ink
	WorstCell    float64 `json:"worst_cell"`     // extra ink in the worst grid cell, relative to that cell's ink
	Displacement float64 `json:"displacement"`   // residual local shift of the strokes after the rigid fit (trimmed RMS over the cells), % of seal size
	Stroke       float64 `json:"stroke"`         // RMS of the cells' stroke-width offsets about the common spread, % of seal size
	Spread       float64 `json:"spread"`         // common stroke offset (+: candidate thinner, −: bolder), % of seal size
	Cells        int     `json:"cells"`          // grid cells with enough outline to measure a local shift
	InkRatio     float64 `json:"ink_ratio"`      // candidate's ink over the registered imprint's, at the same scale (ink quality, before alignment)
	ChamferCost  float64 `json:"chamfer_cost"`   // alignment cost (px²)
	RefInk       int     `json:"ref_ink"`        // ink pixels of the registered imprint at working scale
	CandInk      int     `json:"cand_ink"`       // ink pixels of the candidate at working scale
	OtherSeals   int     `json:"other_seals"`    // further seal-sized ink clusters in the candidate
	DarkPrintPct float64 `json:"dark_print_pct"` // share of the candidate seal area under dark print
}

// Result of a comparison.
type Result struct {
	Score    float64 `json:"score"` // 0..1, higher is more alike
	Verdict  Verdict `json:"verdict"`
	Match    bool    `json:"match"`
	AngleDeg float64 `json:"angle_deg"` // rotation of the candidate relative to the registered imprint, counter-clockwise as displayed
	Scale    float64 `json:"scale"`     // candidate size / registered size, in pixels
	// CenterX, CenterY: where the registered imprint's centre lies in the
	// candidate image (pixels).
	CenterX  float64  `json:"center_x"`
	CenterY  float64  `json:"center_y"`
	Reason   string   `json:"reason,omitempty"` // why, in Chinese, when not a match
	Features Features `json:"features"`
	Elapsed  time.Duration
	// Overlay shows the registered imprint (blue) and the aligned candidate
	// (red), overlap dark, extra ink marked orange and suspicious cells boxed.
	Overlay *image.NRGBA `json:"-"`
	// RefLayer and CandLayer show each imprint alone in the overlay's frame.
	RefLayer, CandLayer *image.NRGBA `json:"-"`
}

// ErrNoSeal: the reference image holds no recognisable seal ink.
var ErrNoSeal = errors.New("參考印鑑影像中找不到紅色印文")

// Reference is a registered imprint prepared for many comparisons.
type Reference struct {
	im   *imprint
	maps *refMaps
}

// imprint is one seal image normalised onto the working canvas.
type imprint struct {
	ink, unknown *plane
	cx, cy       float64 // ink centroid in crop pixels
	cx0, cy0     float64 // crop origin in image pixels
	rg           float64 // radius of gyration in image pixels
	scale        float64 // canvas pixels per image pixel
	mass         float64
	others       int
	darkPct      float64
	found        bool
}

// Prepare isolates and normalises a registered imprint.
func Prepare(img image.Image) (*Reference, error) {
	im := measure(img)
	if !im.found || im.rg < 4 || im.mass < 150 {
		return nil, ErrNoSeal
	}
	im.place(workRG / im.rg)
	return &Reference{im: im, maps: newRefMaps(im.ink)}, nil
}

// measure isolates ink, finds the seal and its moments (no canvas yet).
func measure(img image.Image) *imprint {
	m := extractInk(img)
	loc, ok := locate(m.Ink)
	im := &imprint{}
	if !ok {
		im.darkPct = float64(m.Dark) / float64(m.Ink.W*m.Ink.H)
		return im
	}
	s := loc.Seal
	pad := max(s.X1-s.X0, s.Y1-s.Y0) / 6
	x0, y0, x1, y1 := max(s.X0-pad, 0), max(s.Y0-pad, 0), min(s.X1+pad, m.Ink.W), min(s.Y1+pad, m.Ink.H)
	ink := crop(m.Ink, x0, y0, x1, y1)
	unk := crop(m.Unknown, x0, y0, x1, y1)
	cx, cy, rg, mass := moments(ink)
	var dark float64
	for _, v := range unk.P {
		dark += float64(v)
	}
	*im = imprint{ink: ink, unknown: unk, cx: cx, cy: cy, rg: rg, mass: mass, others: loc.Others,
		darkPct: dark / float64(len(unk.P)), found: true}
	im.cx0, im.cy0 = float64(x0), float64(y0)
	return im
}

// place resamples the cropped ink onto the working canvas at scale s.
func (im *imprint) place(s float64) {
	im.scale = s
	im.ink = view(im.ink, im.cx, im.cy, s, workN)
	im.unknown = view(im.unknown, im.cx, im.cy, s, workN)
	inpaint(im.ink, im.unknown)
}

// inpaint fills the ink hidden under print with the average of the visible
// ink around it (normalised convolution). Alignment then sees the seal, not
// the gaps the form lines cut into it — straight gaps are strong features of
// a spectrum and an outline. The scores keep treating those pixels as
// unknown.
func inpaint(ink, unknown *plane) {
	hidden := false
	for _, u := range unknown.P {
		if u > 0.3 {
			hidden = true
			break
		}
	}
	if !hidden {
		return
	}
	// only near the seal
	r := planeBounds(ink).grow(8, ink.W)
	w := newPlane(ink.W, ink.H)
	iw := newPlane(ink.W, ink.H)
	for i, u := range unknown.P {
		v := 1 - min(u, 1)
		w.P[i] = v
		iw.P[i] = ink.P[i] * v
	}
	bw, biw := blurIn(w, 2, r), blurIn(iw, 2, r)
	for i, u := range unknown.P {
		if u <= 0.3 || i%ink.W < r.x0 || i%ink.W >= r.x1 || i/ink.W < r.y0 || i/ink.W >= r.y1 {
			continue
		}
		f := float32(0)
		if bw.P[i] > 0.05 {
			f = biw.P[i] / bw.P[i]
		}
		a := min(u, 1)
		ink.P[i] = ink.P[i]*(1-a) + f*a
	}
}

// InkMask returns the seal ink of an image, cropped to the seal, as an alpha
// mask (255 = full ink): for printing the registered imprint.
func InkMask(img image.Image) (*image.Alpha, error) {
	im := measure(img)
	if !im.found {
		return nil, ErrNoSeal
	}
	a := image.NewAlpha(image.Rect(0, 0, im.ink.W, im.ink.H))
	for i, v := range im.ink.P {
		if v > 1 {
			v = 1
		}
		a.Pix[i] = uint8(v * 255)
	}
	return a, nil
}

// Compare is Prepare(ref) followed by Reference.Compare.
func Compare(ref, cand image.Image, opt Options) (*Result, error) {
	start := clock.Start()
	r, err := Prepare(ref)
	if err != nil {
		return nil, err
	}
	res := r.Compare(cand, opt)
	res.Elapsed = start.Elapsed()
	return res, nil
}

// Compare scores a candidate imprint against the registered one. Problems
// with the candidate (no seal, two seals, a photocopy) are verdicts, not
// errors: the clerk asks for a new imprint.
func (r *Reference) Compare(cand image.Image, opt Options) *Result {
	start := clock.Start()
	thr := opt.Threshold
	if thr <= 0 {
		thr = DefaultThreshold
	}
	res := &Result{Verdict: Poor, Scale: 1}
	defer func() { res.Elapsed = start.Elapsed() }()
	c := measure(cand)
	ref := r.im
	res.Features.OtherSeals = c.others
	res.Features.DarkPrintPct = round(c.darkPct*100, 1)
	if !c.found || c.mass < ref.mass*0.03 || c.rg < 2 {
		if c.darkPct > 0.02 {
			res.Reason = "找不到紅色印文：影像似為黑白影印或掃描，請以彩色掃描正本"
		} else {
			res.Reason = "找不到印文，請確認用印位置後重新掃描"
		}
		return res
	}
	if c.others > 0 {
		res.Reason = fmt.Sprintf("影像中有 %d 個印文，請只框選申請書上待比對的印文", c.others+1)
		return res
	}
	// Same resolution unless the spreads of ink disagree a lot.
	ratio := c.rg / ref.rg
	maxLogK := 0.05
	s := ref.scale
	if ratio < 0.75 || ratio > 1.33 {
		s = workRG / c.rg
		maxLogK = 0.3
	}
	c.place(s)
	best, bestCost := align(r.maps, c.ink, maxLogK)
	res.AngleDeg = round(best.Theta*180/math.Pi, 2)
	res.Scale = round(ref.scale/(s*math.Exp(best.LogK)), 4)
	inv := best.inverse()
	px, py := inv.apply(0, 0)
	res.CenterX = round(c.cx+c.cx0+px/s, 1)
	res.CenterY = round(c.cy+c.cy0+py/s, 1)
	sc := score(r, c, best)
	sc.f.ChamferCost = round(bestCost, 3)
	sc.f.InkRatio = round(inkMass(c.ink)/inkMass(ref.ink), 3)
	sc.f.OtherSeals = res.Features.OtherSeals
	sc.f.DarkPrintPct = res.Features.DarkPrintPct
	res.Features = sc.f
	res.Score = round(sc.score, 4)
	switch {
	case sc.f.InkRatio < MinInkRatio:
		// Graded before any comparison: far less ink than the registered
		// imprint holds is too faint or partial to align and judge.
		res.Verdict = Poor
		res.Reason = fmt.Sprintf("印文過淡或不完整（印泥量僅登記印鑑的 %.0f%%），請重新用印", sc.f.InkRatio*100)
	case sc.f.Coverage < MinCoverage && (sc.zExtra < 1 || sc.f.InkRatio < faintInkRatio):
		// Too little of the registered seal is visible to judge, and either
		// what is visible does not contradict it (no ink where the registered
		// seal has none) or the imprint is plainly faint or partial, too
		// little to align with confidence: ask for a new impression, do not
		// guess.
		res.Verdict = Poor
		res.Reason = fmt.Sprintf("印文過淡或不完整（僅見登記印鑑的 %.0f%%），請重新用印", sc.f.Coverage*100)
	case res.Score >= thr:
		res.Verdict = Match
	default:
		res.Verdict = Mismatch
		res.Reason = sc.reason
	}
	res.Match = res.Verdict == Match
	if opt.Overlay {
		res.Overlay = sc.overlay()
		res.RefLayer = sc.layer(sc.R, refFilter)
		res.CandLayer = sc.layer(sc.C, candFilter)
	}
	return res
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// inkMass is the total ink density of a canvas.
func inkMass(p *plane) float64 {
	var s float64
	for _, v := range p.P {
		s += float64(min(v, 1))
	}
	return max(s, 1e-9)
}
