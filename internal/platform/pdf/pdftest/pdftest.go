// Package pdftest reads PDFs back in tests, with the poppler-utils tools
// (pdftotext, pdfinfo, pdfimages, pdftoppm; installed by scripts/deps.sh).
// It is imported by tests only, like net/http/httptest.
//
// Every helper writes the PDF to a new temporary directory, runs one tool on
// it and fails the test if the bytes are not a PDF, the tool is missing or it
// exits with an error (its standard error is in the message). What each returns:
//
//	Text       pdftotext -layout -enc UTF-8: the text, each page ending in \f
//	Info       pdfinfo: its report (Title, Pages, Page size …)
//	Pages      pdfinfo: the number of pages
//	PageSizes  pdfinfo -f 1 -l n: each page's size as pdfinfo words it, "595 x 842 pts (A4)"
//	Images     pdfimages -list: one Image a row, in page order
//	JPEGs      pdfimages -j: the DCT (JPEG) streams as they are stored, in page order
//	Page       pdftoppm -png -singlefile: one page rendered at a resolution
//	Render     pdftoppm -png: every page rendered at a resolution
//	Run        any tool, for the rest: its standard output and its directory
package pdftest

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// input is the name the PDF is written under in its directory.
const input = "doc.pdf"

// write puts pdf in a new temporary directory as input and returns the directory.
func write(t testing.TB, pdf []byte) string {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.300s", pdf)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, input), pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// exe runs tool with args in dir and returns its standard output.
func exe(t testing.TB, dir, tool string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(tool, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			t.Fatalf("%s missing: install poppler-utils (scripts/deps.sh test)", tool)
		}
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.String()
}

// Run writes pdf to a new temporary directory and runs tool there with args
// followed by the PDF's file name. It returns what the tool printed on
// standard output and the directory, where tools that write files beside
// their input (pdftotext without an output name, say) leave them.
func Run(t testing.TB, pdf []byte, tool string, args ...string) (out, dir string) {
	t.Helper()
	dir = write(t, pdf)
	return exe(t, dir, tool, append(args, input)...), dir
}

// Text is the text of pdf in UTF-8 with its layout kept (pdftotext -layout);
// each page ends in a form feed.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	return exe(t, write(t, pdf), "pdftotext", "-layout", "-enc", "UTF-8", input, "-")
}

// Info is pdfinfo's report on pdf: Title, Author, Creator, Pages, Page size …
func Info(t testing.TB, pdf []byte) string {
	t.Helper()
	out, _ := Run(t, pdf, "pdfinfo")
	return out
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`)

// Pages is the number of pages of pdf, as pdfinfo counts them.
func Pages(t testing.TB, pdf []byte) int {
	t.Helper()
	return pages(t, Info(t, pdf))
}

func pages(t testing.TB, info string) int {
	t.Helper()
	m := pagesLine.FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo gives no page count:\n%s", info)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatalf("pdfinfo page count %q: %v", m[1], err)
	}
	return n
}

var pageSizeLine = regexp.MustCompile(`(?m)^Page\s+(\d+) size:\s+(.+?)\s*$`)

// PageSizes is the size of every page of pdf, in order, as pdfinfo words it:
// "595 x 842 pts (A4)", "842 x 595 pts (A4)" (landscape), "420 x 595 pts (A5)".
func PageSizes(t testing.TB, pdf []byte) []string {
	t.Helper()
	dir := write(t, pdf)
	n := pages(t, exe(t, dir, "pdfinfo", input))
	out := exe(t, dir, "pdfinfo", "-f", "1", "-l", strconv.Itoa(n), input)
	var sizes []string
	for _, m := range pageSizeLine.FindAllStringSubmatch(out, -1) {
		if p, _ := strconv.Atoi(m[1]); p != len(sizes)+1 {
			t.Fatalf("pdfinfo -f 1 -l %d: page %s where page %d was due:\n%s", n, m[1], len(sizes)+1, out)
		}
		sizes = append(sizes, m[2])
	}
	if len(sizes) != n {
		t.Fatalf("pdfinfo -f 1 -l %d: %d page sizes:\n%s", n, len(sizes), out)
	}
	return sizes
}

// Image is one row of pdfimages -list: one use of an image on a page (an
// image drawn on three pages is three rows with the same Object).
type Image struct {
	Page, Num     int
	Type          string // image, mask, smask, stencil
	Width, Height int    // pixels
	Color         string // gray, rgb, cmyk, index, …
	Comp, BPC     int    // components, bits per component
	Enc           string // jpeg (DCT), image (Flate and other), jpx, jbig2, ccitt
	Interp        bool
	Object, Gen   int // the image's object number and generation
}

// Images lists the images of pdf in page order (pdfimages -list).
func Images(t testing.TB, pdf []byte) []Image {
	t.Helper()
	out, _ := Run(t, pdf, "pdfimages", "-list")
	lines := strings.Split(out, "\n")
	if len(lines) < 2 || !strings.HasPrefix(strings.TrimSpace(lines[0]), "page") || !strings.HasPrefix(lines[1], "---") {
		t.Fatalf("pdfimages -list: no header:\n%s", out)
	}
	var imgs []Image
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if len(f) < 12 {
			t.Fatalf("pdfimages -list line %q: %d columns, want at least 12", l, len(f))
		}
		n := func(s string) int {
			v, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("pdfimages -list line %q: %v", l, err)
			}
			return v
		}
		imgs = append(imgs, Image{Page: n(f[0]), Num: n(f[1]), Type: f[2], Width: n(f[3]), Height: n(f[4]), Color: f[5],
			Comp: n(f[6]), BPC: n(f[7]), Enc: f[8], Interp: f[9] == "yes", Object: n(f[10]), Gen: n(f[11])})
	}
	return imgs
}

// JPEGs is every DCT-encoded image stream of pdf byte for byte as the PDF
// holds it (pdfimages -j), in page order; images in other encodings are left out.
func JPEGs(t testing.TB, pdf []byte) [][]byte {
	t.Helper()
	dir := write(t, pdf)
	exe(t, dir, "pdfimages", "-j", input, "img")
	return files(t, dir, "img-*.jpg")
}

// files reads the files of dir that match pattern, ordered by the number
// poppler puts after the last hyphen of their names (image or page number).
func files(t testing.TB, dir, pattern string) [][]byte {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	num := func(name string) int {
		base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
		v, err := strconv.Atoi(base[strings.LastIndexByte(base, '-')+1:])
		if err != nil {
			t.Fatalf("poppler output %s: no number in its name", name)
		}
		return v
	}
	sort.Slice(names, func(i, j int) bool { return num(names[i]) < num(names[j]) })
	var out [][]byte
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// Page renders page n (from 1) of pdf at dpi pixels per inch (pdftoppm):
// at 25.4 dpi a pixel is a millimetre.
func Page(t testing.TB, pdf []byte, n int, dpi float64) image.Image {
	t.Helper()
	dir := write(t, pdf)
	p := strconv.Itoa(n)
	exe(t, dir, "pdftoppm", "-r", formatDPI(dpi), "-png", "-f", p, "-l", p, "-singlefile", input, "page")
	return decodePNG(t, "page "+p, readFile(t, filepath.Join(dir, "page.png")))
}

// Render renders every page of pdf at dpi pixels per inch (pdftoppm), in order.
func Render(t testing.TB, pdf []byte, dpi float64) []image.Image {
	t.Helper()
	dir := write(t, pdf)
	exe(t, dir, "pdftoppm", "-r", formatDPI(dpi), "-png", input, "page")
	var imgs []image.Image
	for i, b := range files(t, dir, "page-*.png") {
		imgs = append(imgs, decodePNG(t, fmt.Sprint("page ", i+1), b))
	}
	if len(imgs) == 0 {
		t.Fatal("pdftoppm rendered no page")
	}
	return imgs
}

func formatDPI(dpi float64) string {
	return strconv.FormatFloat(dpi, 'f', -1, 64)
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodePNG(t testing.TB, what string, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("pdftoppm %s: %v", what, err)
	}
	return img
}
