package sealbench

import (
	"math"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/seal/compare"
	"ebazhao/internal/seal/sealgen"
)

func TestEER(t *testing.T) {
	cases := []struct {
		name          string
		genuine, forg []float64
		want          float64
	}{
		{"separated", []float64{0.9, 0.8, 0.7}, []float64{0.1, 0.2, 0.6}, 0},
		{"one forgery above every genuine", []float64{0.9, 0.8, 0.7, 0.6}, []float64{0.1, 0.95}, 0.5},
		{"one genuine below one forgery", []float64{0.9, 0.8, 0.7, 0.3}, []float64{0.1, 0.2, 0.4, 0.5, 0.05}, 0.25},
		{"identical", []float64{0.5, 0.5}, []float64{0.5, 0.5}, 1},
		{"empty", nil, []float64{0.2}, 0},
	}
	for _, c := range cases {
		if got := EER(c.genuine, c.forg); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: EER %.3f, want %.3f", c.name, got, c.want)
		}
	}
}

func TestSummariseCountsVerdictsPerLevel(t *testing.T) {
	o := func(lv sealgen.Level, score float64, v compare.Verdict) Outcome {
		return Outcome{Level: lv, Score: score, Verdict: v, Compare: 50 * time.Millisecond}
	}
	r := summarise([]Outcome{
		o(sealgen.Genuine, 0.9, compare.Match), o(sealgen.Genuine, 0.8, compare.Match),
		o(sealgen.Genuine, 0.4, compare.Mismatch), o(sealgen.Genuine, 0.0, compare.Poor),
		o(sealgen.Surname, 0.0, compare.Poor), o(sealgen.Surname, 0.1, compare.Mismatch),
		o(sealgen.Typeface, 0.2, compare.Mismatch),
		o(sealgen.Recarve, 0.6, compare.Match), o(sealgen.Recarve, 0.3, compare.Mismatch),
	}, compare.DefaultThreshold)
	if r.Genuine != 4 || r.FRR != 0.5 || r.FRRHard != 0.25 || r.PoorRate != 0.25 {
		t.Errorf("genuine: %d FRR %.2f hard %.2f poor %.2f", r.Genuine, r.FRR, r.FRRHard, r.PoorRate)
	}
	byLevel := map[sealgen.Level]LevelStats{}
	for _, st := range r.Levels {
		byLevel[st.Level] = st
	}
	if st := byLevel[sealgen.Surname]; st.N != 2 || st.Poor != 0.5 || st.FAR != 0 || st.EER != 0.25 {
		t.Errorf("surname %+v", st)
	}
	if st := byLevel[sealgen.Recarve]; st.N != 2 || st.FAR != 0.5 || st.EER != 0.5 {
		t.Errorf("recarve %+v", st)
	}
	if r.Overall.N != 5 || math.Abs(r.Overall.FAR-0.2) > 1e-9 {
		t.Errorf("overall %+v", r.Overall)
	}
	if r.MeanMS != 50 {
		t.Errorf("mean %.1f ms", r.MeanMS)
	}
	md := r.Markdown()
	for _, want := range []string{"| genuine | 4 |", "| recarve | 2 | 50.0 % | 50.0 % |", "mean 50.0 ms"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}
