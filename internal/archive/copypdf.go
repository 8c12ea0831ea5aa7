package archive

import (
	"context"
	"fmt"
	"image"

	"ebazhao/internal/platform/pdf"
)

// The printed copy: A4 portrait pages with a margin every printer can print
// to, each stamped page at no more than print resolution.
const (
	copyMarginMM = 10.0
	copyPrintDPI = 300.0
)

// PageUnreadableError is a stored page of a document that cannot be read or
// decoded, so no copy of it can be printed. Error is the precise cause for the
// log; Message is what the clerk is told.
type PageUnreadableError struct {
	DocID   int64
	Page    int  // the document's page number
	Damaged bool // missing, failing its checksum or not an image: only a restore helps
	Err     error
}

func (e *PageUnreadableError) Error() string {
	return fmt.Sprintf("archive: document %d page %d cannot be read: %v", e.DocID, e.Page, e.Err)
}

func (e *PageUnreadableError) Unwrap() error { return e.Err }

// Message is the refusal shown to the clerk.
func (e *PageUnreadableError) Message() string {
	if e.Damaged {
		return fmt.Sprintf("影像編號 %d 第 %d 頁的影像檔毀損或遺失，無法列印影本；請通知機房人員自備份還原", e.DocID, e.Page)
	}
	return fmt.Sprintf("影像編號 %d 第 %d 頁的影像檔暫時無法讀取，未能列印影本；請稍後再試，若持續發生請洽機房人員", e.DocID, e.Page)
}

// CopyPDF renders an issued copy as an A4 PDF to print: one portrait page per
// page of the copy, in the copy's order, each the stamped page image of
// CopyPage (the certification mark, office, date, copy number, clerk and page
// i/n are in the image) fitted within the margins with its aspect ratio kept.
// The stamped JPEGs are embedded as they are. Pages are rendered one at a
// time, and one larger than 300 dpi at its printed size is scaled down to
// that first, so a large scan costs no more than a page of print.
//
// A page that cannot be read refuses the whole copy with a
// *PageUnreadableError: a certified copy is never printed with a page missing.
func (s *Service) CopyPDF(ctx context.Context, c *Copy, d *Doc) ([]byte, error) {
	if c.DocID != d.ID {
		return nil, fmt.Errorf("archive: copy %d is of document %d, not %d", c.ID, c.DocID, d.ID)
	}
	if len(c.Pages) == 0 {
		return nil, &InputError{Msg: "此影本沒有任何頁次"}
	}
	doc := pdf.NewWithoutFonts(pdf.A4, pdf.Portrait)
	doc.SetInfo("檔存申請書影本 "+c.No, fmt.Sprintf("影像編號 %d 第 %s 頁", d.ID, joinInts(c.Pages)), c.OfficeName, s.Now())
	pw, ph := doc.Size()
	box := pdf.Box{X: copyMarginMM, Y: copyMarginMM, W: pw - 2*copyMarginMM, H: ph - 2*copyMarginMM}
	px := func(mm float64) int { return int(mm / 25.4 * copyPrintDPI) }
	bound := image.Pt(px(box.W), px(box.H))
	for _, no := range c.Pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		jpg, err := s.stampedPage(ctx, c, d, no, bound)
		if err != nil {
			return nil, err
		}
		doc.AddPage()
		if _, err := doc.ImageFit(jpg, box); err != nil {
			return nil, fmt.Errorf("archive: copy %s page %d: %w", c.No, no, err)
		}
	}
	return doc.Bytes()
}
