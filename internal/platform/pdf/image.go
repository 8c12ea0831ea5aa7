package pdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // image.DecodeConfig reads JPEG and PNG headers
	_ "image/png"

	"github.com/signintech/gopdf"
)

// Box is a rectangle on the page in millimetres from the top-left corner.
type Box struct{ X, Y, W, H float64 }

// imageHolder hands gopdf the caller's bytes without the copy its own holders
// make; the content hash names the image, so the same picture drawn on several
// pages is embedded once.
type imageHolder struct {
	*bytes.Reader
	id string
}

func (h imageHolder) ID() string { return h.id }

// ImageSize returns the pixel size and format ("jpeg" or "png") of an image
// Image accepts, reading only its header.
func ImageSize(data []byte) (w, h int, format string, err error) {
	c, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, 0, "", fmt.Errorf("pdf: image: %w", err)
	}
	switch format {
	case "jpeg":
		switch c.ColorModel {
		case color.YCbCrModel, color.GrayModel, color.CMYKModel:
		default:
			return 0, 0, "", fmt.Errorf("pdf: JPEG colour model %T not supported", c.ColorModel)
		}
	case "png":
	default:
		return 0, 0, "", fmt.Errorf("pdf: image format %q: JPEG or PNG only", format)
	}
	if c.Width <= 0 || c.Height <= 0 {
		return 0, 0, "", fmt.Errorf("pdf: image of %d×%d pixels", c.Width, c.Height)
	}
	return c.Width, c.Height, format, nil
}

// Image draws a JPEG or PNG image stretched to the box of w×h mm whose
// top-left corner is (x, y).
//
// A JPEG is embedded as it is (a DCTDecode stream): never decoded, never
// re-encoded, so what prints is exactly the encoded image. A PNG's compressed
// rows are embedded as they are too (with its alpha channel split into a soft
// mask). gopdf keeps the image until the document is written (about two copies
// of its bytes); the caller's slice is not retained.
func (d *Doc) Image(data []byte, x, y, w, h float64) error {
	if d.pages == 0 {
		return errors.New("pdf: Image before AddPage")
	}
	if !(w > 0 && h > 0) {
		return fmt.Errorf("pdf: image box %v×%v mm", w, h)
	}
	if _, _, _, err := ImageSize(data); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	holder := imageHolder{Reader: bytes.NewReader(data), id: hex.EncodeToString(sum[:])}
	if err := d.gp.ImageByHolder(holder, x, y, &gopdf.Rect{W: w, H: h}); err != nil {
		return fmt.Errorf("pdf: image: %w", err)
	}
	d.imageBytes += len(data)
	return nil
}

// ImageFit draws a JPEG or PNG image as large as fits in the box keeping its
// aspect ratio, centred in it, and returns where it was drawn.
func (d *Doc) ImageFit(data []byte, box Box) (Box, error) {
	pw, ph, _, err := ImageSize(data)
	if err != nil {
		return Box{}, err
	}
	placed := Fit(pw, ph, box)
	return placed, d.Image(data, placed.X, placed.Y, placed.W, placed.H)
}

// Fit is the largest rectangle of a pw×ph-pixel image's aspect ratio that
// fits in box, centred in it.
func Fit(pw, ph int, box Box) Box {
	if pw <= 0 || ph <= 0 {
		return Box{X: box.X, Y: box.Y}
	}
	w, h := box.W, box.W*float64(ph)/float64(pw)
	if h > box.H {
		w, h = box.H*float64(pw)/float64(ph), box.H
	}
	return Box{X: box.X + (box.W-w)/2, Y: box.Y + (box.H-h)/2, W: w, H: h}
}
