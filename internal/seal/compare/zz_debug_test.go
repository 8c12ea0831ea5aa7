package compare

import (
	"fmt"
	"math"
	"os"
	"testing"
)

func TestZZDebugAlign(t *testing.T) {
	a, b := os.Getenv("ZZREF"), os.Getenv("ZZCAND")
	if a == "" {
		return
	}
	ri, _ := Load(a)
	ci, _ := Load(b)
	r, _ := Prepare(ri)
	ref := r.im
	c := measure(ci)
	ratio := c.rg / ref.rg
	maxLogK := 0.05
	s := ref.scale
	if ratio < 0.75 || ratio > 1.33 {
		s = workRG / c.rg
		maxLogK = 0.3
	}
	c.place(s)
	fmt.Printf("ratio %.3f s %.4f refscale %.4f\n", ratio, s, ref.scale)
	hyps := coarseAlign(ref.ink, c.ink, maxLogK)
	ch := newChamfer(r.maps.outline, newOutline(binary(blur(c.ink, 0.8), outlineThreshold), c.ink.W))
	for _, h := range hyps {
		ch.tau = 10
		c0 := ch.cost(h.T)
		t, c1 := ch.refine(h.T, h.T.LogK-0.05, h.T.LogK+0.05, fineSteps)
		ch.tau = 4
		t, c2 := ch.refine(t, h.T.LogK-0.05, h.T.LogK+0.05, fineSteps)
		sc := score(r, c, t)
		fmt.Printf("ang %7.2f logk %6.3f ncc %.3f cost0 %.2f cost10 %.2f cost4 %.2f -> ang %7.2f scale %.4f score %.3f cov %.2f extra %.3f disp %.3f\n", h.T.Theta*180/math.Pi, h.T.LogK, h.NCC, c0, c1, c2, t.Theta*180/math.Pi, ref.scale/(s*math.Exp(t.LogK)), sc.score, sc.f.Coverage, sc.f.Extra, sc.f.Displacement)
	}
}
