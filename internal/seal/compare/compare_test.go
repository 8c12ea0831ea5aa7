package compare_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"ebazhao/internal/seal/compare"
	"ebazhao/internal/seal/sealgen"
)

var (
	fontsOnce sync.Once
	fonts     *sealgen.Fonts
	fontsErr  error
)

func testFonts(t testing.TB) *sealgen.Fonts {
	fontsOnce.Do(func() { fonts, fontsErr = sealgen.OpenFonts("") })
	if fontsErr != nil {
		t.Fatalf("CNS11643 fonts are required (apt-get install fonts-cns11643-kai fonts-cns11643-sung): %v", fontsErr)
	}
	return fonts
}

// person returns a reproducible seal owner, their seal face and registered imprint.
func person(t testing.TB, seed uint64) (sealgen.Person, *sealgen.Mask, image.Image, *rand.Rand) {
	p, m, ref, _, rng := personCard(t, seed)
	return p, m, ref, rng
}

func personCard(t testing.TB, seed uint64) (sealgen.Person, *sealgen.Mask, image.Image, sealgen.Impression, *rand.Rand) {
	fs := testFonts(t)
	rng := rand.New(rand.NewPCG(seed, 99))
	p := sealgen.NewPerson(rng)
	m, err := fs.Render(p.Design)
	if err != nil {
		t.Fatal(err)
	}
	card := sealgen.CardImpression(rng)
	_, ref := sealgen.Stamp(fs, m, card, rng)
	return p, m, ref, card, rng
}

func angleDiff(a, b float64) float64 {
	d := math.Mod(a-b+540, 360) - 180
	return math.Abs(d)
}

func TestGenuineImpressionsMatchWithPoseRecovered(t *testing.T) {
	fs := testFonts(t)
	for seed := uint64(1); seed <= 3; seed++ {
		_, m, ref, card, rng := personCard(t, seed)
		imp := sealgen.ApplicationImpression(rng)
		imp.Pressure, imp.Faint = 0.2, 0.05 // a decent impression
		_, cand := sealgen.Stamp(fs, m, imp, rng)
		res, err := compare.Compare(ref, cand, compare.Options{Overlay: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict != compare.Match || !res.Match {
			t.Errorf("seed %d: genuine judged %s (score %.3f, %+v)", seed, res.Verdict, res.Score, res.Features)
		}
		want := imp.AngleDeg - card.AngleDeg
		if d := angleDiff(res.AngleDeg, want); d > 0.5 {
			t.Errorf("seed %d: angle %.2f, stamped at %.2f relative to the card", seed, res.AngleDeg, want)
		}
		wantScale := imp.Scale * imp.DPI / card.DPI // a 600 dpi card halves it
		if math.Abs(res.Scale/wantScale-1) > 0.015 {
			t.Errorf("seed %d: scale %.4f, want %.4f", seed, res.Scale, wantScale)
		}
		if res.Overlay == nil || res.Overlay.Bounds().Dx() < 100 {
			t.Errorf("seed %d: no overlay", seed)
		}
	}
}

func TestForgeriesAreRejected(t *testing.T) {
	fs := testFonts(t)
	for seed := uint64(1); seed <= 2; seed++ {
		p, _, ref, rng := person(t, seed)
		for _, lv := range sealgen.ForgeryLevels {
			d := sealgen.Forge(rng, p, lv)
			fm, err := fs.Render(d)
			if err != nil {
				t.Fatal(err)
			}
			imp := sealgen.ApplicationImpression(rng)
			imp.Pressure, imp.Faint = 0.1, 0
			_, cand := sealgen.Stamp(fs, fm, imp, rng)
			res, err := compare.Compare(ref, cand, compare.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Match || res.Verdict == compare.Match {
				t.Errorf("seed %d: %s forgery accepted (score %.3f, %+v)", seed, lv, res.Score, res.Features)
			}
			if res.Verdict == compare.Mismatch && res.Reason == "" {
				t.Errorf("seed %d: mismatch without a reason", seed)
			}
		}
	}
}

func blank(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(color.RGBA{246, 243, 235, 255}), image.Point{}, draw.Src)
	return img
}

func TestBadCandidatesArePoorNotMatches(t *testing.T) {
	fs := testFonts(t)
	_, m, ref, rng := person(t, 7)
	imp := sealgen.ApplicationImpression(rng)
	imp.Pressure, imp.Faint, imp.Dropout = 0.1, 0, 0
	_, good := sealgen.Stamp(fs, m, imp, rng)

	// black-and-white photocopy of a genuine imprint
	gray := image.NewGray(good.Bounds())
	draw.Draw(gray, gray.Rect, good, good.Bounds().Min, draw.Src)

	// two genuine imprints side by side
	b := good.Bounds()
	two := blank(b.Dx()*2+40, b.Dy())
	draw.Draw(two, b, good, b.Min, draw.Src)
	draw.Draw(two, b.Add(image.Pt(b.Dx()+40, 0)), good, b.Min, draw.Src)

	// a very faint, half-missing imprint
	faintImp := imp
	faintImp.Faint, faintImp.Pressure = 0.45, 1.0
	_, faint := sealgen.Stamp(fs, m, faintImp, rng)

	cases := []struct {
		name string
		img  image.Image
		want []compare.Verdict
	}{
		{"blank paper", blank(400, 400), []compare.Verdict{compare.Poor}},
		{"photocopy", gray, []compare.Verdict{compare.Poor}},
		{"two seals", two, []compare.Verdict{compare.Poor}},
		{"faint and partial", faint, []compare.Verdict{compare.Poor, compare.Match}},
	}
	r, err := compare.Prepare(ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		res := r.Compare(c.img, compare.Options{})
		ok := false
		for _, v := range c.want {
			ok = ok || res.Verdict == v
		}
		if !ok {
			t.Errorf("%s: verdict %s (score %.3f, %+v), want one of %v", c.name, res.Verdict, res.Score, res.Features, c.want)
		}
		if res.Verdict == compare.Poor && res.Reason == "" {
			t.Errorf("%s: poor without a reason", c.name)
		}
		if res.Verdict != compare.Match && res.Match {
			t.Errorf("%s: match flag without verdict match", c.name)
		}
	}
}

func TestReferenceWithoutSealIsAnError(t *testing.T) {
	_, err := compare.Prepare(blank(300, 300))
	if !errors.Is(err, compare.ErrNoSeal) {
		t.Fatalf("err = %v, want ErrNoSeal", err)
	}
}

func TestDecodeRejectsHugeTruncatedAndForeignFiles(t *testing.T) {
	// a PNG header declaring 100000×100000 pixels
	var buf bytes.Buffer
	png.Encode(&buf, blank(40, 40))
	b := buf.Bytes()
	huge := append([]byte{}, b...)
	// IHDR width/height live at bytes 16..24; the CRC no longer matches, which
	// DecodeConfig does not check, so the size check must catch it.
	putU32(huge[16:], 100000)
	putU32(huge[20:], 100000)
	// The probe's bomb: 80 megapixels at 16 bits (1.9 GB and 17 s to decode);
	// and 3000 × 3000 at 16 bits, 9 megapixels that cost 18 (imagebudget.Cost).
	deep := func(w, h uint32) []byte {
		var buf bytes.Buffer
		png.Encode(&buf, image.NewGray16(image.Rect(0, 0, 40, 40)))
		d := buf.Bytes()
		putU32(d[16:], w)
		putU32(d[20:], h)
		return d
	}
	cases := map[string][]byte{
		"huge":         huge,
		"80 MP 16-bit": deep(10000, 8000),
		"9 MP 16-bit":  deep(3000, 3000),
		"truncated":    b[:len(b)/2],
		"text":         []byte("ref,cand\na.png,b.png\n"),
		"tiny":         encodePNG(blank(5, 5)),
	}
	for name, data := range cases {
		if _, err := compare.DecodeBytes(data); !errors.Is(err, compare.ErrImage) {
			t.Errorf("%s: err = %v, want ErrImage", name, err)
		}
	}
	if _, err := compare.DecodeBytes(b); err != nil {
		t.Errorf("valid PNG: %v", err)
	}
}

func putU32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}

func encodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

func FuzzDecodeBytes(f *testing.F) {
	f.Add(encodePNG(blank(30, 30)))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte{0xff, 0xd8, 0xff, 0xe0})
	f.Fuzz(func(t *testing.T, b []byte) {
		img, err := compare.DecodeBytes(b)
		if err == nil && img == nil {
			t.Fatal("nil image without error")
		}
		if err != nil && !errors.Is(err, compare.ErrImage) {
			t.Fatalf("error not wrapping ErrImage: %v", err)
		}
	})
}

func BenchmarkCompare(b *testing.B) {
	fs := testFonts(b)
	_, m, ref, rng := person(b, 3)
	_, cand := sealgen.Stamp(fs, m, sealgen.ApplicationImpression(rng), rng)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := compare.Compare(ref, cand, compare.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// Each degradation of a genuine impression, at the limit of the benchmark's
// range, must still match: paste spread and thinning are uniform, missing ink
// and print on top are not evidence against the seal.
func TestDegradedGenuineImpressionsMatch(t *testing.T) {
	fs := testFonts(t)
	_, m, ref, _, rng := personCard(t, 21)
	r, err := compare.Prepare(ref)
	if err != nil {
		t.Fatal(err)
	}
	base := sealgen.ApplicationImpression(rng)
	base.Pressure, base.Faint, base.Dropout, base.Lines, base.JPEG, base.Spread = 0.1, 0, 0.1, false, 0, 0
	cases := []struct {
		name string
		mod  func(*sealgen.Impression)
	}{
		{"ink spread +0.10 mm", func(i *sealgen.Impression) { i.Spread = 0.10 }},
		{"thin paste −0.06 mm", func(i *sealgen.Impression) { i.Spread = -0.06 }},
		{"one-sided pressure", func(i *sealgen.Impression) { i.Pressure = 0.6 }},
		{"speckle dropout", func(i *sealgen.Impression) { i.Dropout = 0.5 }},
		{"form lines and labels", func(i *sealgen.Impression) { i.Lines = true }},
		{"JPEG quality 65 and blur", func(i *sealgen.Impression) { i.JPEG, i.Blur = 65, 1 }},
		{"upside down, 2 % larger", func(i *sealgen.Impression) { i.AngleDeg, i.Scale = 180, 1.02 }},
	}
	for _, c := range cases {
		imp := base
		c.mod(&imp)
		_, cand := sealgen.Stamp(fs, m, imp, rng)
		res := r.Compare(cand, compare.Options{})
		if res.Verdict != compare.Match {
			t.Errorf("%s: %s (score %.3f, %s, %+v)", c.name, res.Verdict, res.Score, res.Reason, res.Features)
		}
	}
}

// A re-carving is found by what no rigid motion explains: its characters'
// residual shifts are several times a genuine impression's, even when it adds
// almost no ink beyond the tolerance.
func TestRecarvingsShowResidualShifts(t *testing.T) {
	fs := testFonts(t)
	for seed := uint64(30); seed < 33; seed++ {
		p, m, ref, _, rng := personCard(t, seed)
		r, err := compare.Prepare(ref)
		if err != nil {
			t.Fatal(err)
		}
		imp := sealgen.ApplicationImpression(rng)
		imp.Pressure, imp.Faint, imp.Lines = 0.2, 0.05, false
		_, gen := sealgen.Stamp(fs, m, imp, rng)
		fm, err := fs.Render(sealgen.Forge(rng, p, sealgen.Recarve))
		if err != nil {
			t.Fatal(err)
		}
		_, rc := sealgen.Stamp(fs, fm, imp, rng)
		g, f := r.Compare(gen, compare.Options{}), r.Compare(rc, compare.Options{Overlay: true})
		if g.Features.Displacement > 0.2 || f.Features.Displacement < 2*g.Features.Displacement || f.Features.Displacement < 0.25 {
			t.Errorf("seed %d: residual shift genuine %.3f %%, re-carved %.3f %%", seed, g.Features.Displacement, f.Features.Displacement)
		}
		if f.Verdict != compare.Mismatch || f.Reason == "" {
			t.Errorf("seed %d: re-carving %s %q", seed, f.Verdict, f.Reason)
		}
		if f.Overlay == nil || f.RefLayer == nil || f.CandLayer == nil || f.RefLayer.Bounds() != f.Overlay.Bounds() {
			t.Errorf("seed %d: overlay layers missing or misframed", seed)
		}
	}
}
