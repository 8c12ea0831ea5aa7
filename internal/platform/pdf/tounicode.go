package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
)

// gopdf v0.33 writes the ToUnicode map of a character outside the BMP as five or
// six hex digits (<2137C>), which readers take as the BMP character of the first
// four (ℷ): the page prints right but copying or searching the text (pdftotext)
// gives the wrong character. fixToUnicode rewrites such entries as the UTF-16
// surrogate pair PDF requires (<D844DF7C>), corrects the stream /Length and moves
// the cross-reference offsets by the bytes inserted. A document without such
// characters is returned unchanged.

var (
	cmapStart  = []byte("/CIDInit /ProcSet findresource begin")
	cmapEnd    = []byte("endcmap")
	lengthKey  = []byte("/Length ")
	wideEntry  = regexp.MustCompile(`<([0-9A-F]{4})><([0-9A-F]{4})><([0-9A-F]{5,6})>`)
	startxrefR = regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n?$`)
)

type edit struct {
	start, end int // original byte range replaced
	with       []byte
}

func utf16Hex(r rune) string {
	if r < 0x10000 {
		return fmt.Sprintf("%04X", r)
	}
	r -= 0x10000
	return fmt.Sprintf("%04X%04X", 0xD800+(r>>10), 0xDC00+(r&0x3FF))
}

func fixToUnicode(in []byte) ([]byte, error) {
	var edits []edit
	pos := 0
	for {
		i := bytes.Index(in[pos:], cmapStart)
		if i < 0 {
			break
		}
		start := pos + i
		j := bytes.Index(in[start:], cmapEnd)
		if j < 0 {
			return nil, errors.New("pdf: unterminated ToUnicode map")
		}
		end := start + j
		pos = end
		body := in[start:end]
		matches := wideEntry.FindAllSubmatchIndex(body, -1)
		if len(matches) == 0 {
			continue
		}
		// The stream's dictionary, "<<\n/Length N\n>>\nstream\n", comes just before.
		li := bytes.LastIndex(in[:start], lengthKey)
		if li < 0 {
			return nil, errors.New("pdf: ToUnicode map without /Length")
		}
		numStart := li + len(lengthKey)
		numEnd := numStart
		for numEnd < len(in) && in[numEnd] >= '0' && in[numEnd] <= '9' {
			numEnd++
		}
		oldLen, err := strconv.Atoi(string(in[numStart:numEnd]))
		if err != nil {
			return nil, fmt.Errorf("pdf: ToUnicode /Length: %w", err)
		}
		grow := 0
		var entryEdits []edit
		for _, m := range matches {
			v, _ := strconv.ParseUint(string(body[m[6]:m[7]]), 16, 32)
			repl := []byte(utf16Hex(rune(v)))
			grow += len(repl) - (m[7] - m[6])
			entryEdits = append(entryEdits, edit{start: start + m[6], end: start + m[7], with: repl})
		}
		edits = append(edits, edit{start: numStart, end: numEnd, with: []byte(strconv.Itoa(oldLen + grow))})
		edits = append(edits, entryEdits...)
	}
	if len(edits) == 0 {
		return in, nil
	}
	sort.Slice(edits, func(a, b int) bool { return edits[a].start < edits[b].start })

	// shift tells how far an original offset moves.
	shift := func(off int) int {
		d := 0
		for _, e := range edits {
			if e.start >= off {
				break
			}
			d += len(e.with) - (e.end - e.start)
		}
		return d
	}

	m := startxrefR.FindSubmatchIndex(in)
	if m == nil {
		return nil, errors.New("pdf: no startxref")
	}
	xrefAt, _ := strconv.Atoi(string(in[m[2]:m[3]]))
	if xrefAt >= len(in) || !bytes.HasPrefix(in[xrefAt:], []byte("xref\n")) {
		return nil, errors.New("pdf: startxref does not point at the xref table")
	}
	for _, e := range edits {
		if e.end > xrefAt {
			return nil, errors.New("pdf: ToUnicode map after the xref table")
		}
	}

	var out bytes.Buffer
	out.Grow(len(in) + 64)
	last := 0
	for _, e := range edits {
		out.Write(in[last:e.start])
		out.Write(e.with)
		last = e.end
	}
	out.Write(in[last:xrefAt])

	// Rewrite the xref table: "xref\n0 N\n" then N entries of 20 bytes.
	p := xrefAt + len("xref\n")
	nl := bytes.IndexByte(in[p:], '\n')
	if nl < 0 {
		return nil, errors.New("pdf: bad xref header")
	}
	var first, count int
	if _, err := fmt.Sscanf(string(in[p:p+nl]), "%d %d", &first, &count); err != nil {
		return nil, fmt.Errorf("pdf: bad xref header: %w", err)
	}
	out.Write(in[xrefAt : p+nl+1])
	p += nl + 1
	for k := 0; k < count; k++ {
		if p+20 > len(in) {
			return nil, errors.New("pdf: truncated xref table")
		}
		entry := in[p : p+20]
		if entry[17] == 'n' {
			off, err := strconv.Atoi(string(entry[:10]))
			if err != nil {
				return nil, fmt.Errorf("pdf: bad xref entry: %w", err)
			}
			fmt.Fprintf(&out, "%010d%s", off+shift(off), entry[10:])
		} else {
			out.Write(entry)
		}
		p += 20
	}
	out.Write(in[p:m[2]])
	out.WriteString(strconv.Itoa(xrefAt + shift(xrefAt)))
	out.Write(in[m[3]:])
	return out.Bytes(), nil
}
