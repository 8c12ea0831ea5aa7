package imagebudget

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

func TestCostCountsDeepImagesTwice(t *testing.T) {
	for _, c := range []struct {
		img  image.Image
		want int64
	}{
		{image.NewGray(image.Rect(0, 0, 30, 20)), 600},
		{image.NewNRGBA(image.Rect(0, 0, 30, 20)), 600},
		{image.NewGray16(image.Rect(0, 0, 30, 20)), 1200},
		{image.NewRGBA64(image.Rect(0, 0, 30, 20)), 1200},
	} {
		var buf bytes.Buffer
		if err := png.Encode(&buf, c.img); err != nil {
			t.Fatal(err)
		}
		cfg, _, err := image.DecodeConfig(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if got := Cost(cfg); got != c.want {
			t.Errorf("%T: cost %d, want %d", c.img, got, c.want)
		}
	}
	if Cost(image.Config{ColorModel: color.GrayModel, Width: -5, Height: 10}) != 0 {
		t.Error("a negative side must not make a negative cost")
	}
}
