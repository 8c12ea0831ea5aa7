package sealgen

import (
	"bytes"
	"crypto/sha256"
	"image"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

var (
	fontsOnce sync.Once
	testFS    *Fonts
	fontsErr  error
)

func fonts(t testing.TB) *Fonts {
	fontsOnce.Do(func() { testFS, fontsErr = OpenFonts("") })
	if fontsErr != nil {
		t.Fatalf("CNS11643 fonts are required (apt-get install fonts-cns11643-kai fonts-cns11643-sung): %v", fontsErr)
	}
	return testFS
}

type digest struct {
	name  string
	level Level
	sum   [32]byte
}

func generate(t *testing.T, cfg Config) []digest {
	var out []digest
	err := Generate(fonts(t), cfg, func(it Item) error {
		out = append(out, digest{it.Name, it.Level, sha256.Sum256(it.Data)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateIsDeterministicPerSeedAndPrefixStable(t *testing.T) {
	a := generate(t, Config{Persons: 2, Seed: 11})
	b := generate(t, Config{Persons: 2, Seed: 11})
	if len(a) != 14 { // per person: card, 2 genuine, surname, typeface, 2 re-carved
		t.Fatalf("%d items, want 14", len(a))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("item %d differs between two runs with the same seed: %s vs %s", i, a[i].name, b[i].name)
		}
	}
	// a smaller set is a prefix of a larger one
	one := generate(t, Config{Persons: 1, Seed: 11})
	for i := range one {
		if one[i] != a[i] {
			t.Fatalf("person 0 differs when generated alone (item %d)", i)
		}
	}
	// another seed, other images
	c := generate(t, Config{Persons: 1, Seed: 12})
	same := 0
	for i := range c {
		if c[i].sum == a[i].sum {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d identical images under another seed", same)
	}
	wantLevels := []Level{"", Genuine, Genuine, Surname, Typeface, Recarve, Recarve}
	for i, lv := range wantLevels {
		if a[i].level != lv {
			t.Errorf("item %d (%s): level %q, want %q", i, a[i].name, a[i].level, lv)
		}
	}
}

// maskDiff is the share of the union of two masks' ink where they disagree
// (both rendered at the same size).
func maskDiff(a, b *Mask) float64 {
	if a.W != b.W || a.H != b.H {
		return 1
	}
	var diff, union float64
	for i := range a.A {
		x, y := a.A[i] > 0.5, b.A[i] > 0.5
		if x || y {
			union++
		}
		if x != y {
			diff++
		}
	}
	return diff / union
}

func TestForgeryLevelsDifferFromTheGenuineDesign(t *testing.T) {
	fs := fonts(t)
	for seed := uint64(1); seed <= 6; seed++ {
		rng := rand.New(rand.NewPCG(seed, 3))
		p := NewPerson(rng)
		genuine, err := fs.Render(p.Design)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := fs.Render(p.Design)
		if d := maskDiff(genuine, again); d != 0 {
			t.Fatalf("seed %d: rendering is not reproducible (%.4f)", seed, d)
		}
		for _, lv := range ForgeryLevels {
			d := Forge(rng, p, lv)
			switch lv {
			case Surname:
				if d.Text[0] != p.Design.Text[0] || string(d.Text) == string(p.Design.Text) {
					t.Errorf("seed %d: surname forgery %q of %q", seed, string(d.Text), string(p.Design.Text))
				}
			case Typeface:
				if d.Face == p.Design.Face || string(d.Text) != string(p.Design.Text) || d.SizeMM != p.Design.SizeMM {
					t.Errorf("seed %d: typeface forgery %+v of %+v", seed, d, p.Design)
				}
			case Recarve:
				if d.Face != p.Design.Face || string(d.Text) != string(p.Design.Text) || len(d.Adjust) != 4 {
					t.Fatalf("seed %d: re-carving %+v", seed, d)
				}
				for i, a := range d.Adjust {
					shift := math.Hypot(a.DX, a.DY)
					size := math.Abs(a.Scale - 1)
					stroke := math.Abs(a.Stroke)
					if shift < 0.006-1e-9 || shift > 0.015+1e-9 || size < 0.02-1e-9 || size > 0.05+1e-9 || stroke < 0.03-1e-9 || stroke > 0.08+1e-9 {
						t.Errorf("seed %d char %d: adjustment %+v outside the documented ranges", seed, i, a)
					}
				}
				if r := d.Border / p.Design.Border; r < 0.85-1e-9 || r > 1.15+1e-9 {
					t.Errorf("seed %d: frame ×%.3f", seed, r)
				}
			}
			m, err := fs.Render(d)
			if err != nil {
				t.Fatal(err)
			}
			// a forgery's face differs visibly from the genuine one; a
			// re-carving least, yet clearly more than not at all
			min := map[Level]float64{Surname: 0.25, Typeface: 0.25, Recarve: 0.05}[lv]
			if diff := maskDiff(genuine, m); diff < min {
				t.Errorf("seed %d: %s face differs by only %.3f of the ink (want ≥ %.2f)", seed, lv, diff, min)
			}
		}
	}
}

func TestStampScansAtTheRequestedResolutionAndFormat(t *testing.T) {
	fs := fonts(t)
	rng := rand.New(rand.NewPCG(9, 9))
	p := NewPerson(rng)
	m, err := fs.Render(p.Design)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		dpi     float64
		jpeg    int
		isJPEG  bool
		canvas  float64
		wantPix int
	}{
		{300, 0, false, 40, 472}, // int(40 mm × 300 / 25.4)
		{600, 0, false, 30, 708},
		{300, 80, true, 40, 472},
	} {
		imp := ApplicationImpression(rng)
		imp.DPI, imp.JPEG, imp.CanvasMM = c.dpi, c.jpeg, c.canvas
		data, img := Stamp(fs, m, imp, rng)
		if got := img.Bounds().Dx(); got != c.wantPix {
			t.Errorf("%v dpi: %d px wide, want %d", c.dpi, got, c.wantPix)
		}
		if isJ := bytes.HasPrefix(data, []byte{0xff, 0xd8}); isJ != c.isJPEG {
			t.Errorf("JPEG %d: file is JPEG %v", c.jpeg, isJ)
		}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width != c.wantPix {
			t.Errorf("file does not decode to the picture: %v %+v", err, cfg)
		}
		// the seal is red on paper: some pixels are clearly vermilion
		red := 0
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y += 2 {
			for x := b.Min.X; x < b.Max.X; x += 2 {
				r, g, bl, _ := img.At(x, y).RGBA()
				if r > 2*g && r > 2*bl && r > 0x6000 {
					red++
				}
			}
		}
		if red < 200 {
			t.Errorf("%v dpi: only %d red pixels", c.dpi, red)
		}
	}
}

func TestRenderRejectsBadDesigns(t *testing.T) {
	fs := fonts(t)
	if _, err := fs.Render(Design{Text: []rune("王小明"), Face: Kai, SizeMM: 15, Fill: 0.9}); err == nil {
		t.Error("three characters accepted for a 2×2 seal")
	}
	if _, err := fs.Render(Design{Text: []rune("王小明印"), Face: "gothic", SizeMM: 15, Fill: 0.9}); err == nil {
		t.Error("unknown face accepted")
	}
}
