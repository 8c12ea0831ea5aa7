package sealgen

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
)

// Level is the kind of a candidate imprint in the benchmark.
type Level string

// Levels: genuine impressions and three forgery levels, easiest first.
const (
	Genuine  Level = "genuine"  // the same seal stamped again
	Surname  Level = "surname"  // another person's seal with the same surname
	Typeface Level = "typeface" // the same text re-carved in the other typeface
	Recarve  Level = "recarve"  // the same text re-carved in the same typeface, small deviations
)

// ForgeryLevels in order of difficulty.
var ForgeryLevels = []Level{Surname, Typeface, Recarve}

var surnames = []rune("陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏孫戴")
var givenChars = []rune("志明美玲淑芬家豪怡君俊宏建國文雅惠婷冠宇承翰佳穎宗柏欣雯宜蓁子涵思妤品妍信德正義秀英麗華春福順金玉嘉偉哲維銘凱傑瑞琪慧萍")

// Person is one seal owner of the benchmark.
type Person struct {
	Name   []rune
	Design Design
}

// randomName makes a name with the given surname: three characters (+印) or
// two characters (+之印).
func randomName(rng *rand.Rand, surname rune) []rune {
	if rng.Float64() < 0.75 {
		a := givenChars[rng.IntN(len(givenChars))]
		b := givenChars[rng.IntN(len(givenChars))]
		for b == a {
			b = givenChars[rng.IntN(len(givenChars))]
		}
		return []rune{surname, a, b}
	}
	return []rune{surname, givenChars[rng.IntN(len(givenChars))]}
}

func sealText(name []rune) []rune {
	if len(name) == 2 {
		return append(append([]rune{}, name...), '之', '印')
	}
	return append(append([]rune{}, name...), '印')
}

func randomDesign(rng *rand.Rand, name []rune) Design {
	face := Kai
	if rng.IntN(2) == 1 {
		face = Sung
	}
	return Design{
		Text:    sealText(name),
		Face:    face,
		SizeMM:  14 + rng.Float64()*6,
		Border:  0.5 + rng.Float64()*0.6,
		Stroke:  0.05 + rng.Float64()*0.12,
		Gap:     0.3 + rng.Float64()*0.5,
		Fill:    0.86 + rng.Float64()*0.09,
		Corners: rng.Float64() * 1.5,
	}
}

// NewPerson draws a person and their seal.
func NewPerson(rng *rand.Rand) Person {
	name := randomName(rng, surnames[rng.IntN(len(surnames))])
	return Person{Name: name, Design: randomDesign(rng, name)}
}

// Forge returns the design of a forgery of p's seal at the given level.
func Forge(rng *rand.Rand, p Person, level Level) Design {
	d := p.Design
	d.Adjust = nil
	switch level {
	case Surname:
		var name []rune
		for {
			name = randomName(rng, p.Name[0])
			if string(name) != string(p.Name) {
				break
			}
		}
		d = randomDesign(rng, name)
	case Typeface:
		if d.Face == Kai {
			d.Face = Sung
		} else {
			d.Face = Kai
		}
	case Recarve:
		// A careful forger traces the imprint and carves it anew: every
		// character lands slightly elsewhere, slightly bigger or smaller,
		// with slightly different stroke weight; the frame is redone too.
		d.Adjust = make([]CharAdjust, 4)
		for i := range d.Adjust {
			a := rng.Float64() * 2 * math.Pi
			m := 0.006 + rng.Float64()*0.009 // 0.6–1.5 % of the side
			s := 0.02 + rng.Float64()*0.03   // 2–5 % size change
			if rng.IntN(2) == 0 {
				s = -s
			}
			w := 0.03 + rng.Float64()*0.05 // 0.03–0.08 mm stroke change
			if rng.IntN(2) == 0 {
				w = -w
			}
			d.Adjust[i] = CharAdjust{DX: m * math.Cos(a), DY: m * math.Sin(a), Scale: 1 + s, Stroke: w}
		}
		d.Border *= 0.85 + rng.Float64()*0.3
	}
	return d
}

// CardImpression is a seal card (印鑑條) scan: stamped with care on a blank
// card, scanned upright.
func CardImpression(rng *rand.Rand) Impression {
	dpi := 300.0
	if rng.Float64() < 0.25 {
		dpi = 600
	}
	return Impression{DPI: dpi, AngleDeg: (rng.Float64()*2 - 1) * 3, Scale: 1,
		ShiftMM:  [2]float64{(rng.Float64()*2 - 1) * 2, (rng.Float64()*2 - 1) * 2},
		Spread:   -0.03 + rng.Float64()*0.08,
		Pressure: rng.Float64() * 0.2, Faint: rng.Float64() * 0.1, Dropout: rng.Float64() * 0.15,
		Blur: 0.4, Noise: 1.5}
}

// ApplicationImpression is a seal stamped on an application form and scanned:
// any rotation, shift, ±2 % scale, spread or thinning, uneven pressure,
// speckle dropout, form lines beneath, blur and JPEG.
func ApplicationImpression(rng *rand.Rand) Impression {
	imp := Impression{DPI: 300, AngleDeg: rng.Float64()*360 - 180, Scale: 0.98 + rng.Float64()*0.04,
		ShiftMM:  [2]float64{(rng.Float64()*2 - 1) * 3, (rng.Float64()*2 - 1) * 3},
		Spread:   -0.06 + rng.Float64()*0.16,
		Pressure: rng.Float64() * 0.6, Faint: rng.Float64() * 0.25, Dropout: rng.Float64() * 0.5,
		Lines: rng.Float64() < 0.7, Blur: 0.3 + rng.Float64()*0.7, Noise: 1.5 + rng.Float64()*2.5}
	if rng.Float64() < 0.6 {
		imp.JPEG = 65 + rng.IntN(28)
	}
	return imp
}

// Item is one generated image.
type Item struct {
	Person int
	Level  Level // "" for the registered imprint
	Index  int
	Name   string // file name
	Data   []byte // encoded PNG or JPEG
	Image  image.Image
	Imp    Impression
}

// Config sizes a benchmark set.
type Config struct {
	Persons  int
	Seed     uint64
	Genuine  int // genuine candidates per person (default 2)
	Recarved int // re-carved forgeries per person (default 2)
}

// Generate renders the benchmark set person by person and hands every image
// to emit: first the registered imprint, then the candidates. Each person's
// images depend only on (Seed, person index), so a smaller set is a prefix of
// a larger one.
func Generate(fs *Fonts, cfg Config, emit func(Item) error) error {
	if cfg.Genuine == 0 {
		cfg.Genuine = 2
	}
	if cfg.Recarved == 0 {
		cfg.Recarved = 2
	}
	for i := 0; i < cfg.Persons; i++ {
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(i)))
		p := NewPerson(rng)
		mask, err := fs.Render(p.Design)
		if err != nil {
			return err
		}
		ext := func(imp Impression) string {
			if imp.JPEG > 0 {
				return "jpg"
			}
			return "png"
		}
		put := func(level Level, k int, m *Mask, imp Impression) error {
			data, img := Stamp(fs, m, imp, rng)
			name := fmt.Sprintf("p%04d_ref.%s", i, ext(imp))
			if level != "" {
				name = fmt.Sprintf("p%04d_%s%d.%s", i, level, k, ext(imp))
			}
			return emit(Item{Person: i, Level: level, Index: k, Name: name, Data: data, Image: img, Imp: imp})
		}
		if err := put("", 0, mask, CardImpression(rng)); err != nil {
			return err
		}
		for k := 0; k < cfg.Genuine; k++ {
			if err := put(Genuine, k, mask, ApplicationImpression(rng)); err != nil {
				return err
			}
		}
		for _, lv := range ForgeryLevels {
			count := 1
			if lv == Recarve {
				count = cfg.Recarved
			}
			for k := 0; k < count; k++ {
				fm, err := fs.Render(Forge(rng, p, lv))
				if err != nil {
					return err
				}
				if err := put(lv, k, fm, ApplicationImpression(rng)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// DesignFor draws a seal design for a name (two characters get 之印, three
// get 印, longer names keep their first four characters).
func DesignFor(rng *rand.Rand, name []rune) Design {
	if len(name) > 3 {
		d := randomDesign(rng, name[:3])
		d.Text = append([]rune{}, name[:4]...)
		return d
	}
	if len(name) < 2 {
		name = append(append([]rune{}, name...), '氏')
	}
	return randomDesign(rng, name)
}
