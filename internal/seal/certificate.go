package seal

import (
	"errors"
	"fmt"
	"image"
	"net/http"
	"strconv"
	"time"

	"ebazhao/internal/person"
	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/platform/web"
	"ebazhao/internal/seal/compare"
)

// certificatePDF prints the certificate: one A4 page per copy with the
// registered imprint, number, date, office and purpose.
func (h *Handlers) certificatePDF(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.loadCertificate(r, id)
	if err != nil {
		return err
	}
	if c.Status != "issued" {
		return web.Conflict("此印鑑證明已註銷，不能列印")
	}
	// a certificate is printed only while the registration it certifies is in force
	cur, err := h.Store.Current(ctx, c.PersonIDNo)
	if err != nil && !errors.Is(err, ErrNotRegistered) {
		return err
	}
	if cur == nil || cur.ID != c.EventID {
		h.Kit.Audit(r, "seal.certificate.print", "seal_certificate", fmt.Sprint(c.ID), c.PersonIDNo, "denied", "registration no longer in force")
		return web.Conflict("此印鑑證明所證明的印鑑已變更或註銷，不能再列印；請重新比對後核發")
	}
	v, err := h.vault()
	if err != nil {
		return err
	}
	p, err := h.person(ctx, c.PersonIDNo)
	if err != nil {
		return err
	}
	ev, err := h.Store.Event(ctx, c.EventID)
	if err != nil {
		return err
	}
	b, err := v.Get(ctx, ev.ImprintRef)
	if err != nil {
		return err
	}
	img, err := compare.DecodeBytes(b)
	if err != nil {
		return err
	}
	mask, err := compare.InkMask(img)
	if err != nil {
		return err
	}
	out, err := CertificatePDF(h.Fonts, c, p, ev, mask)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "seal.certificate.print", "seal_certificate", fmt.Sprint(c.ID), p.IDNo, "ok", "copies="+strconv.Itoa(c.Copies))
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Cache-Control", "no-store, private")
	w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=seal-certificate-%s.pdf", c.Number))
	_, err = w.Write(out)
	return err
}

// CertificatePDF draws a seal certificate.
func CertificatePDF(fonts *pdf.Fonts, c *Certificate, p *person.Person, ev *Event, imprint *image.Alpha) ([]byte, error) {
	d, err := fonts.New(pdf.A4, pdf.Portrait)
	if err != nil {
		return nil, err
	}
	d.SetInfo("印鑑證明 "+c.Number, "印鑑證明", c.OfficeName, c.IssuedAt)
	for k := 1; k <= c.Copies; k++ {
		d.AddPage()
		if err := d.SetFont(pdf.Kai, 26); err != nil {
			return nil, err
		}
		if err := d.TextSpread(70, 32, 70, "印鑑證明"); err != nil {
			return nil, err
		}
		d.SetFont(pdf.Sung, 10)
		d.TextRight(190, 22, fmt.Sprintf("證明書號：%s（第 %d／%d 份）", c.Number, k, c.Copies))
		d.SetFont(pdf.Sung, 12)
		rows := [][2]string{
			{"姓名", p.Name},
			{"統一編號", p.IDNo},
			{"出生日期", rocLong(p.BirthDate)},
			{"戶籍地址", p.AddrHousehold},
			{"印鑑登記日期", rocdate.FormatLong(ev.Date) + "（" + ev.KindLabel() + "，" + ev.OfficeName + "）"},
			{"用途", c.Purpose},
			{"申請人", applicantLabel(c)},
		}
		y := 50.0
		d.SetLineWidth(0.3)
		for _, row := range rows {
			d.Rect(20, y, 40, 11)
			d.Rect(60, y, 130, 11)
			d.Text(23, y+7.5, row[0])
			d.Text(63, y+7.5, row[1])
			y += 11
		}
		// the registered imprint in a 60 mm box
		d.Rect(20, y, 40, 70)
		d.Rect(60, y, 130, 70)
		d.Text(23, y+7.5, "印鑑")
		drawMask(d, imprint, 95, y+5, 60)
		y += 80
		d.Paragraph(20, y, 170, 6.5, "上開印鑑確係本人登記之印鑑，特此證明。本證明僅供上列用途使用，塗改無效。")
		y += 22
		d.Text(20, y, "核發機關："+c.OfficeName)
		d.Text(20, y+9, "核發日期："+rocdate.FormatLong(c.IssuedAt))
		d.Text(20, y+18, "承辦人："+c.IssuedByName)
		d.SetFont(pdf.Sung, 8)
		d.Text(20, 285, "本證明由戶政 e把罩系統核發；印鑑影像經數位比對並由承辦人核對。")
	}
	return d.Bytes()
}

func rocLong(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return rocdate.FormatLong(t)
}

func applicantLabel(c *Certificate) string {
	if c.Applicant == "agent" {
		return "代理人 " + c.AgentName
	}
	return "本人"
}

// drawMask prints an ink mask as horizontal runs of filled rectangles, fitted
// into a box of side mm with its top-left corner at (x, y).
func drawMask(d *pdf.Doc, m *image.Alpha, x, y, side float64) {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return
	}
	// at most 0.12 mm per cell
	cells := int(side / 0.12)
	step := max(w, h) / cells
	if step < 1 {
		step = 1
	}
	scale := side / float64(max(w, h))
	ox := x + (side-float64(w)*scale)/2
	oy := y + (side-float64(h)*scale)/2
	d.SetGray(0)
	for yy := 0; yy < h; yy += step {
		run := -1
		for xx := 0; xx <= w; xx += step {
			on := false
			if xx < w {
				on = m.Pix[yy*m.Stride+xx] > 110
			}
			switch {
			case on && run < 0:
				run = xx
			case !on && run >= 0:
				d.FillRect(ox+float64(run)*scale, oy+float64(yy)*scale, float64(xx-run)*scale, float64(step)*scale+0.02)
				run = -1
			}
		}
	}
}
