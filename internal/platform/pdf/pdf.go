// Package pdf draws printable documents — A4 documents and A5 receipts — with
// Taiwan's official CNS11643 typefaces (全字庫正宋體 and 正楷體).
//
// The fonts are read from the system (Debian fonts-cns11643-sung and -kai install
// them in DefaultFontDir; EBAZHAO_FONT_DIR overrides it). Each face has three
// files: the base font for the Basic Multilingual Plane, the Ext-B font for the
// rare characters of plane 2 (names such as 𡍼) and the Plus font for plane 15.
// Text is split into runs by plane and each run is drawn with the file that holds
// it, so a name with a rare character prints like any other.
//
// A Fonts value parses each font file once, on first use, and is shared by every
// document; a Doc is one document being drawn and is not safe for concurrent use.
// Coordinates are millimetres from the top-left corner of the page.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/signintech/gopdf"
)

// DefaultFontDir is where Debian installs the CNS11643 fonts.
const DefaultFontDir = "/usr/share/fonts/truetype/cns11643"

// FontDirEnv names the environment variable that overrides DefaultFontDir.
const FontDirEnv = "EBAZHAO_FONT_DIR"

// Face is a typeface.
type Face string

// The two official typefaces.
const (
	Sung Face = "sung" // 全字庫正宋體: body text, tables, figures
	Kai  Face = "kai"  // 全字庫正楷體: titles and formal headings
)

// plane selects the font file of a face that covers a Unicode plane.
type plane int

const (
	planeBase plane = iota // BMP
	planeExtB              // plane 2 (CJK Ext-B … Ext-F)
	planePlus              // plane 15 (CNS11643 characters without a Unicode code point)
)

var fontFiles = map[Face][3]string{
	Sung: {"TW-Sung-98_1.ttf", "TW-Sung-Ext-B-98_1.ttf", "TW-Sung-Plus-98_1.ttf"},
	Kai:  {"TW-Kai-98_1.ttf", "TW-Kai-Ext-B-98_1.ttf", "TW-Kai-Plus-98_1.ttf"},
}

func planeOf(r rune) plane {
	switch {
	case r >= 0x20000 && r < 0x30000:
		return planeExtB
	case r >= 0xF0000 && r < 0x100000:
		return planePlus
	}
	return planeBase
}

// Missing is drawn for a character no font file holds (〓, as household
// registration printouts do).
const Missing = '〓'

// ErrFontsMissing is wrapped when a font file cannot be read.
var ErrFontsMissing = errors.New("pdf: CNS11643 font not found")

// Fonts loads font files lazily and shares them between documents.
type Fonts struct {
	dir string

	mu     sync.Mutex
	loaded map[string]*gopdf.FontContainer
	errs   map[string]error
}

// NewFonts returns the font set in dir; an empty dir means $EBAZHAO_FONT_DIR or
// DefaultFontDir. Nothing is read until a document needs a font.
func NewFonts(dir string) *Fonts {
	if dir == "" {
		dir = os.Getenv(FontDirEnv)
	}
	if dir == "" {
		dir = DefaultFontDir
	}
	return &Fonts{dir: dir, loaded: map[string]*gopdf.FontContainer{}, errs: map[string]error{}}
}

var shared = struct {
	sync.Mutex
	sets map[string]*Fonts
}{sets: map[string]*Fonts{}}

// Shared returns the process-wide font set in dir (empty: as NewFonts), so
// that every subsystem printing with the same files parses each of them once:
// a parsed face takes tens of MB.
func Shared(dir string) *Fonts {
	f := NewFonts(dir)
	shared.Lock()
	defer shared.Unlock()
	if s, ok := shared.sets[f.dir]; ok {
		return s
	}
	shared.sets[f.dir] = f
	return f
}

// Dir is the folder the fonts are read from.
func (f *Fonts) Dir() string { return f.dir }

// Check reports a clear error when the base files of both faces are missing,
// so a server can say so at start-up instead of at the first printout.
func (f *Fonts) Check() error {
	for _, face := range []Face{Sung, Kai} {
		p := filepath.Join(f.dir, fontFiles[face][planeBase])
		if _, err := os.Stat(p); err != nil {
			return f.missing(p, err)
		}
	}
	return nil
}

func (f *Fonts) missing(path string, err error) error {
	return fmt.Errorf("%w: %s (%v); install the Debian packages fonts-cns11643-sung and fonts-cns11643-kai or set %s to the folder holding %s",
		ErrFontsMissing, path, err, FontDirEnv, fontFiles[Sung][planeBase]+", "+fontFiles[Kai][planeBase])
}

// family is the font's name inside a document, e.g. "sung0".
func family(face Face, p plane) string { return fmt.Sprintf("%s%d", face, p) }

// container returns the parsed font of face for plane p, parsing it once.
func (f *Fonts) container(face Face, p plane) (*gopdf.FontContainer, error) {
	files, ok := fontFiles[face]
	if !ok {
		return nil, fmt.Errorf("pdf: unknown face %q", face)
	}
	key := family(face, p)
	f.mu.Lock()
	defer f.mu.Unlock()
	if c, ok := f.loaded[key]; ok {
		return c, nil
	}
	if err, ok := f.errs[key]; ok {
		return nil, err
	}
	path := filepath.Join(f.dir, files[p])
	data, err := os.ReadFile(path)
	if err != nil {
		err = f.missing(path, err)
		f.errs[key] = err
		return nil, err
	}
	c := &gopdf.FontContainer{}
	opt := gopdf.TtfOption{OnGlyphNotFoundSubstitute: func(rune) rune { return Missing }}
	if err := c.AddTTFFontDataWithOption(key, data, opt); err != nil {
		err = fmt.Errorf("pdf: parse %s: %w", path, err)
		f.errs[key] = err
		return nil, err
	}
	f.loaded[key] = c
	return c, nil
}

// Orientation of a page.
type Orientation int

const (
	Portrait Orientation = iota
	Landscape
)

// PageSize is a paper size.
type PageSize int

// The paper sizes ebazhao prints on.
const (
	A4 PageSize = iota // documents
	A5                 // receipts
)

// MM returns the width and height in millimetres (portrait): the PostScript
// sizes of ISO A4 (595×842 pt) and A5 (420×595 pt), which print drivers and PDF
// readers recognize by name.
func (s PageSize) MM() (w, h float64) {
	const mmPerPt = 25.4 / 72
	if s == A5 {
		return 420 * mmPerPt, 595 * mmPerPt
	}
	return 595 * mmPerPt, 842 * mmPerPt
}

func (s PageSize) String() string {
	if s == A5 {
		return "A5"
	}
	return "A4"
}

// Doc is a document being drawn.
type Doc struct {
	fonts      *Fonts // nil: a document without text (NewWithoutFonts)
	gp         *gopdf.GoPdf
	w, h       float64
	face       Face
	size       float64
	added      map[string]bool
	pages      int
	imageBytes int // bytes of the images embedded so far, to size the output
	finished   bool
}

func newDoc(f *Fonts, size PageSize, o Orientation) *Doc {
	w, h := size.MM()
	if o == Landscape {
		w, h = h, w
	}
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{Unit: gopdf.UnitMM, PageSize: gopdf.Rect{W: w, H: h}})
	gp.SetCompressLevel(6)
	return &Doc{fonts: f, gp: gp, w: w, h: h, added: map[string]bool{}}
}

// New starts a document whose pages are size in orientation o.
func (f *Fonts) New(size PageSize, o Orientation) (*Doc, error) {
	d := newDoc(f, size, o)
	if err := d.SetFont(Sung, 11); err != nil {
		return nil, err
	}
	return d, nil
}

// ErrNoFonts is returned when text is drawn on a document made without fonts.
var ErrNoFonts = errors.New("pdf: text on a document made without fonts")

// NewWithoutFonts starts a document of images and lines only (a certified copy
// of scanned pages): no font file is read or embedded, and drawing text on it
// returns ErrNoFonts.
func NewWithoutFonts(size PageSize, o Orientation) *Doc { return newDoc(nil, size, o) }

// Size returns the page width and height in millimetres.
func (d *Doc) Size() (w, h float64) { return d.w, d.h }

// AddPage starts a new page.
func (d *Doc) AddPage() {
	d.gp.AddPage()
	d.pages++
}

// SetInfo fills the document properties.
func (d *Doc) SetInfo(title, subject, author string, created time.Time) {
	d.gp.SetInfo(gopdf.PdfInfo{Title: title, Subject: subject, Author: author, Creator: "ebazhao", Producer: "ebazhao (gopdf)", CreationDate: created})
}

// use makes the font of face for plane p current at the document's size.
func (d *Doc) use(face Face, p plane) error {
	if d.fonts == nil {
		return ErrNoFonts
	}
	key := family(face, p)
	if !d.added[key] {
		c, err := d.fonts.container(face, p)
		if err != nil {
			return err
		}
		if err := d.gp.AddTTFFontFromFontContainer(key, c); err != nil {
			return fmt.Errorf("pdf: add font %s: %w", key, err)
		}
		d.added[key] = true
	}
	return d.gp.SetFont(key, "", d.size)
}

// SetFont selects the face and size (points) for the text that follows.
func (d *Doc) SetFont(face Face, pt float64) error {
	d.face, d.size = face, pt
	return d.use(face, planeBase)
}

// FontSize is the current size in points.
func (d *Doc) FontSize() float64 { return d.size }

type run struct {
	p    plane
	text string
}

// runs splits s into stretches drawn from the same font file.
func runs(s string) []run {
	var out []run
	var b strings.Builder
	cur := planeBase
	for i, r := range s {
		p := planeOf(r)
		if i > 0 && p != cur && b.Len() > 0 {
			out = append(out, run{cur, b.String()})
			b.Reset()
		}
		cur = p
		b.WriteRune(r)
	}
	if b.Len() > 0 {
		out = append(out, run{cur, b.String()})
	}
	return out
}

// Width returns the width of s in millimetres at the current font.
func (d *Doc) Width(s string) (float64, error) {
	var total float64
	for _, r := range runs(s) {
		if err := d.use(d.face, r.p); err != nil {
			return 0, err
		}
		w, err := d.gp.MeasureTextWidth(r.text)
		if err != nil {
			return 0, fmt.Errorf("pdf: measure %q: %w", r.text, err)
		}
		total += w
	}
	return total, d.use(d.face, planeBase)
}

// Text draws s starting at x with its baseline at y.
func (d *Doc) Text(x, y float64, s string) error {
	if d.pages == 0 {
		return errors.New("pdf: Text before AddPage")
	}
	for _, r := range runs(s) {
		if err := d.use(d.face, r.p); err != nil {
			return err
		}
		w, err := d.gp.MeasureTextWidth(r.text)
		if err != nil {
			return fmt.Errorf("pdf: measure %q: %w", r.text, err)
		}
		d.gp.SetXY(x, y)
		if err := d.gp.Text(r.text); err != nil {
			return fmt.Errorf("pdf: text %q: %w", r.text, err)
		}
		x += w
	}
	return d.use(d.face, planeBase)
}

// TextRight draws s so that it ends at x.
func (d *Doc) TextRight(x, y float64, s string) error {
	w, err := d.Width(s)
	if err != nil {
		return err
	}
	return d.Text(x-w, y, s)
}

// TextCenter draws s centred on x.
func (d *Doc) TextCenter(x, y float64, s string) error {
	w, err := d.Width(s)
	if err != nil {
		return err
	}
	return d.Text(x-w/2, y, s)
}

// TextSpread draws s with its characters spread evenly from x to x+width (for
// short headings such as 「規 費 收 據」).
func (d *Doc) TextSpread(x, y, width float64, s string) error {
	chars := []rune(s)
	if len(chars) < 2 {
		return d.TextCenter(x+width/2, y, s)
	}
	var widths []float64
	var sum float64
	for _, c := range chars {
		w, err := d.Width(string(c))
		if err != nil {
			return err
		}
		widths = append(widths, w)
		sum += w
	}
	gap := (width - sum) / float64(len(chars)-1)
	for i, c := range chars {
		if err := d.Text(x, y, string(c)); err != nil {
			return err
		}
		x += widths[i] + gap
	}
	return nil
}

// Wrap breaks s into lines no wider than width (mm). CJK text breaks between any
// two characters; a run of Latin letters or digits is kept together when it fits.
func (d *Doc) Wrap(s string, width float64) ([]string, error) {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		var line []rune
		var lineW float64
		for _, tok := range tokens(para) {
			w, err := d.Width(tok)
			if err != nil {
				return nil, err
			}
			if lineW+w > width && len(line) > 0 {
				lines = append(lines, strings.TrimRight(string(line), " "))
				line, lineW = nil, 0
				if strings.TrimSpace(tok) == "" {
					continue
				}
			}
			if w > width { // one token wider than the line: break it by character
				for _, c := range tok {
					cw, err := d.Width(string(c))
					if err != nil {
						return nil, err
					}
					if lineW+cw > width && len(line) > 0 {
						lines = append(lines, string(line))
						line, lineW = nil, 0
					}
					line = append(line, c)
					lineW += cw
				}
				continue
			}
			line = append(line, []rune(tok)...)
			lineW += w
		}
		lines = append(lines, strings.TrimRight(string(line), " "))
	}
	return lines, nil
}

// tokens splits text into breakable units: each CJK character alone, runs of
// other non-space characters together, spaces alone.
func tokens(s string) []string {
	var out []string
	var word []rune
	flush := func() {
		if len(word) > 0 {
			out = append(out, string(word))
			word = nil
		}
	}
	for _, r := range s {
		switch {
		case r == ' ':
			flush()
			out = append(out, " ")
		case r >= 0x2E80: // CJK and full-width forms
			flush()
			out = append(out, string(r))
		default:
			word = append(word, r)
		}
	}
	flush()
	return out
}

// Paragraph draws s wrapped to width from (x, y) with lineHeight between
// baselines and returns the baseline of the last line.
func (d *Doc) Paragraph(x, y, width, lineHeight float64, s string) (float64, error) {
	lines, err := d.Wrap(s, width)
	if err != nil {
		return y, err
	}
	for i, l := range lines {
		if i > 0 {
			y += lineHeight
		}
		if err := d.Text(x, y, l); err != nil {
			return y, err
		}
	}
	return y, nil
}

// SetLineWidth sets the stroke width in millimetres.
func (d *Doc) SetLineWidth(mm float64) { d.gp.SetLineWidth(mm) }

// SetDash draws the following lines dashed (on and off in mm); zero resets.
func (d *Doc) SetDash(on, off float64) {
	if on <= 0 {
		d.gp.SetLineType("")
		return
	}
	d.gp.SetCustomLineType([]float64{on, off}, 0)
}

// SetGray sets text, line and fill colour to a gray level (0 black … 1 white).
func (d *Doc) SetGray(level float64) {
	v := uint8(level * 255)
	d.gp.SetTextColor(v, v, v)
	d.gp.SetStrokeColor(v, v, v)
	d.gp.SetFillColor(v, v, v)
}

// Line draws a straight line.
func (d *Doc) Line(x1, y1, x2, y2 float64) { d.gp.Line(x1, y1, x2, y2) }

// Rect draws a rectangle outline.
func (d *Doc) Rect(x, y, w, h float64) { d.gp.RectFromUpperLeftWithStyle(x, y, w, h, "D") }

// FillRect draws a filled rectangle in the current colour.
func (d *Doc) FillRect(x, y, w, h float64) { d.gp.RectFromUpperLeftWithStyle(x, y, w, h, "F") }

// Bytes finishes the document and returns the PDF.
func (d *Doc) Bytes() ([]byte, error) {
	if d.finished {
		return nil, errors.New("pdf: document already finished")
	}
	if d.pages == 0 {
		return nil, errors.New("pdf: document has no page")
	}
	d.finished = true
	var buf bytes.Buffer
	buf.Grow(d.imageBytes + 64<<10)
	if _, err := d.gp.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("pdf: write: %w", err)
	}
	if len(d.added) == 0 { // no font, no ToUnicode map to mend
		return buf.Bytes(), nil
	}
	return fixToUnicode(buf.Bytes())
}

// WriteTo finishes the document and writes the PDF to w.
func (d *Doc) WriteTo(w io.Writer) (int64, error) {
	b, err := d.Bytes()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}
