// Package imagebudget prices an image before any pixel is decoded.
//
// Every upload path that decodes images (seal imprints and cards, archive
// pages) reads the header first (image.DecodeConfig) and compares Cost against
// a budget per image and per request, so a small file that declares an enormous
// or deep image (a decompression bomb: 622 KB of PNG for 80 megapixels at 16
// bits, 1.9 GB and 17 s to decode) is refused at the price of its header.
package imagebudget

import (
	"image"
	"image/color"
)

// Cost is what decoding an image of configuration c costs, in 8-bit pixels:
// width × height, twice for 16 bits a sample (decoded as 8 bytes a pixel
// instead of 4).
func Cost(c image.Config) int64 {
	px := int64(max(c.Width, 0)) * int64(max(c.Height, 0))
	switch c.ColorModel {
	case color.RGBA64Model, color.NRGBA64Model, color.Gray16Model, color.Alpha16Model:
		return 2 * px
	}
	return px
}
