package visit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ebazhao/internal/archive"
	"ebazhao/internal/fee"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/web"
)

// The fee panel: every fee of the visit on one receipt. What other subsystems
// recorded as due for the person (seal certificates, archive copies) is listed
// ticked; items typed by code or name are added. The receipt is issued by the
// fee subsystem's Go API in one transaction that also marks what it pays for,
// and — like every receipt — wakes the counter's rating terminal.

// Charge is a fee another subsystem recorded as due for the person here.
type Charge struct {
	Key     string // seal:<certificate id> or copy:<copy id>
	Label   string
	Item    string
	Qty     int
	Checked bool
}

// FeeRow is one typed item line.
type FeeRow struct {
	Item string
	Qty  string
}

// FeesPanel is the data of the fee panel.
type FeesPanel struct {
	Visit      *Visit
	Person     *person.Person
	Items      []fee.Item
	Charges    []Charge
	Rows       []FeeRow
	Hints      []fee.Item
	Payments   []struct{ Code, Label string }
	Payment    string
	Key        string
	Quote      *fee.Quote
	QuoteError string
	Error      string
	Receipt    *fee.Receipt
	Replayed   bool
	Terminal   bool // a counter is set: the rating terminal there wakes
}

const feeRows = 4

// charges lists what is due for the person at the visit's office.
func (h *Handlers) charges(ctx context.Context, v *Visit) ([]Charge, error) {
	var out []Charge
	certs, err := h.Seals.Certificates(ctx, v.PersonIDNo)
	if err != nil {
		return nil, err
	}
	for _, c := range certs {
		if c.FeeStatus == "due" && c.Status == "issued" && c.OfficeID == v.OfficeID {
			out = append(out, Charge{Key: fmt.Sprintf("seal:%d", c.ID), Label: "印鑑證明 " + c.Number, Item: c.FeeItem, Qty: c.Copies, Checked: true})
		}
	}
	copies, err := h.Archive.PendingChargesFor(ctx, v.OfficeID, v.PersonIDNo)
	if err != nil {
		return nil, err
	}
	for _, c := range copies {
		out = append(out, Charge{Key: fmt.Sprintf("copy:%d", c.CopyID), Label: "申請書影本 " + c.CopyNo, Item: c.FeeItem, Qty: c.Quantity, Checked: true})
	}
	return out, nil
}

// resolver finds a charge of the visit's person at its office by key, whatever
// its fee status now.
func (h *Handlers) resolver(ctx context.Context, v *Visit) func(string) (Charge, error) {
	return func(key string) (Charge, error) {
		kind, idText, _ := strings.Cut(key, ":")
		id, err := strconv.ParseInt(idText, 10, 64)
		bad := web.BadRequest("勾選的待收規費不正確，請重新開啟收費畫面")
		if err != nil {
			return Charge{}, bad
		}
		switch kind {
		case "seal":
			certs, err := h.Seals.Certificates(ctx, v.PersonIDNo)
			if err != nil {
				return Charge{}, err
			}
			for _, c := range certs {
				if c.ID == id && c.OfficeID == v.OfficeID && c.Status == "issued" {
					return Charge{Key: key, Label: "印鑑證明 " + c.Number, Item: c.FeeItem, Qty: c.Copies}, nil
				}
			}
		case "copy":
			c, err := h.Archive.Copy(ctx, id)
			if err != nil && !errors.Is(err, db.ErrNotFound) {
				return Charge{}, err
			}
			if err == nil && c.OfficeID == v.OfficeID && c.ApplicantIDNo == v.PersonIDNo {
				return Charge{Key: key, Label: "申請書影本 " + c.No, Item: c.FeeItem, Qty: c.Quantity}, nil
			}
		}
		return Charge{}, bad
	}
}

func (h *Handlers) feesData(ctx context.Context, v *Visit) (*FeesPanel, error) {
	p, err := h.Persons.ByIDNo(ctx, v.PersonIDNo)
	if err != nil {
		return nil, err
	}
	ver, err := h.Fees.VersionOn(ctx, civil.Of(h.now()))
	if err != nil {
		return nil, err
	}
	d := &FeesPanel{Visit: v, Person: p, Items: ver.Items, Payments: fee.Payments, Payment: "cash", Key: auth.RandomToken(18),
		Rows: make([]FeeRow, feeRows), Terminal: v.CounterID != 0}
	if d.Charges, err = h.charges(ctx, v); err != nil {
		return nil, err
	}
	if k, ok := v.KindInfo(); ok {
		for _, name := range k.Fees {
			if it, ok := ver.Find(name); ok {
				d.Hints = append(d.Hints, *it)
			}
		}
	}
	return d, nil
}

func (h *Handlers) feesPanel(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, true)
	if err != nil {
		return err
	}
	d, err := h.feesData(r.Context(), v)
	if err != nil {
		return err
	}
	if req, err := d.request(nil); err == nil && len(req.Items) > 0 {
		d.Quote, _ = h.Fees.Quote(r.Context(), fee.QuoteRequest{Items: req.Items})
	}
	return h.Kit.RenderFragment(w, r, "visit_show", "fees", d)
}

// readForm fills d from the submitted panel; resolve finds a ticked charge
// that is not due any more.
func (d *FeesPanel) readForm(r *http.Request, resolve func(key string) (Charge, error)) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("表單格式錯誤")
	}
	f := r.PostForm
	ticked := map[string]bool{}
	for _, k := range f["charge"] {
		ticked[k] = true
	}
	for i := range d.Charges {
		d.Charges[i].Checked = ticked[d.Charges[i].Key]
		delete(ticked, d.Charges[i].Key)
	}
	// Ticked charges no longer due (collected meanwhile, or by this very form
	// a moment ago) stay in the request: a repeated form is then recognised
	// as the receipt already issued, and any other is refused when settling.
	for k := range ticked {
		c, err := resolve(k)
		if err != nil {
			return err
		}
		c.Checked = true
		d.Charges = append(d.Charges, c)
	}
	items, qtys := f["item"], f["qty"]
	d.Rows = d.Rows[:0]
	for i, it := range items {
		row := FeeRow{Item: strings.TrimSpace(it)}
		if i < len(qtys) {
			row.Qty = strings.TrimSpace(qtys[i])
		}
		d.Rows = append(d.Rows, row)
	}
	for len(d.Rows) < feeRows {
		d.Rows = append(d.Rows, FeeRow{})
	}
	if p, err := fee.ParsePayment(f.Get("payment")); err == nil {
		d.Payment = p
	}
	if k := f.Get("idem"); k != "" {
		d.Key = k
	}
	return nil
}

// request is the fee request of the ticked charges and typed rows; settle, if
// not nil, receives the charges it must mark paid.
func (d *FeesPanel) request(settle *[]Charge) (fee.IssueRequest, error) {
	req := fee.IssueRequest{Payment: d.Payment, PayerName: d.Person.Name, PayerIDNo: d.Person.IDNo,
		Note: fmt.Sprintf("臨櫃服務 %d", d.Visit.ID), IdempotencyKey: "visit-" + d.Key}
	for _, c := range d.Charges {
		if c.Checked {
			q := c.Qty
			req.Items = append(req.Items, fee.QuoteItem{Item: c.Item, Qty: &q})
			if settle != nil {
				*settle = append(*settle, c)
			}
		}
	}
	for i, row := range d.Rows {
		if row.Item == "" {
			continue
		}
		q := 1
		if row.Qty != "" {
			n, err := strconv.Atoi(toHalfWidth(row.Qty))
			if err != nil || n < 1 {
				return req, &fee.InputError{Field: "qty", Message: fmt.Sprintf("第%d列數量「%s」須為正整數", i+1, row.Qty)}
			}
			q = n
		}
		req.Items = append(req.Items, fee.QuoteItem{Item: toHalfWidth(row.Item), Qty: &q})
	}
	return req, nil
}

// toHalfWidth turns full-width digits and letters (typed with a Chinese input
// method on) into ASCII.
func toHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' {
			return r - '！' + '!'
		}
		if r == '　' {
			return ' '
		}
		return r
	}, s)
}

func (h *Handlers) feesQuote(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, true)
	if err != nil {
		return err
	}
	d, err := h.feesData(r.Context(), v)
	if err != nil {
		return err
	}
	if err := d.readForm(r, h.resolver(r.Context(), v)); err != nil {
		return err
	}
	req, err := d.request(nil)
	if err == nil && len(req.Items) > 0 {
		d.Quote, err = h.Fees.Quote(r.Context(), fee.QuoteRequest{Items: req.Items})
	}
	if err != nil {
		if !fee.IsInputError(err) {
			return err
		}
		d.QuoteError = err.Error()
	}
	return h.Kit.RenderFragment(w, r, "visit_show", "quote", d)
}

func (h *Handlers) feesIssue(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, true)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := h.feesData(ctx, v)
	if err != nil {
		return err
	}
	if err := d.readForm(r, h.resolver(r.Context(), v)); err != nil {
		return err
	}
	var settle []Charge
	req, err := d.request(&settle)
	if err == nil && len(req.Items) == 0 {
		err = &fee.InputError{Field: "items", Message: "請勾選待收規費或輸入至少一個規費項目"}
	}
	if err == nil {
		actor := web.Actor(r)
		req.Settle = func(ctx context.Context, tx *db.Tx, receiptID int64, number string) error {
			for _, c := range settle {
				kind, idText, _ := strings.Cut(c.Key, ":")
				id, _ := strconv.ParseInt(idText, 10, 64)
				var err error
				switch kind {
				case "seal":
					err = h.Seals.MarkFeePaid(ctx, tx, id, number)
				case "copy":
					err = archive.MarkCharged(ctx, tx, id, number, "paid")
				}
				if err != nil {
					return &settleError{what: c.Label, err: err}
				}
			}
			if err := linkReceipt(ctx, tx, v.ID, receiptID); err != nil {
				return err
			}
			e := audit.For(actor, "visit.collect", "receipt", fmt.Sprint(receiptID))
			e.PersonIDNo, e.Detail = v.PersonIDNo, fmt.Sprintf("收據 %s，%d 項，臨櫃服務 %d", number, len(req.Items), v.ID)
			return audit.Log(ctx, tx, e)
		}
		clerk := fee.Clerk{User: web.User(r), Client: web.ClientAddr(r)}
		if s := web.Session(r); s != nil {
			clerk.CounterID = s.CounterID
		}
		d.Receipt, d.Replayed, err = h.Fees.Issue(ctx, clerk, req)
	}
	var se *settleError
	switch {
	case err == nil:
		d.Terminal = d.Receipt.CounterID != 0
		w.Header().Set("HX-Trigger", "visit-changed")
		return h.Kit.RenderFragment(w, r, "visit_show", "fees", d)
	case errors.As(err, &se):
		d.Error = se.Error()
	case fee.UserError(err):
		d.Error = err.Error()
		if errors.Is(err, fee.ErrIdemMismatch) {
			d.Key = auth.RandomToken(18)
		}
	default:
		return err
	}
	if req, qerr := d.request(nil); qerr == nil && len(req.Items) > 0 {
		d.Quote, _ = h.Fees.Quote(ctx, fee.QuoteRequest{Items: req.Items})
	}
	return h.Kit.RenderFragment(w, r, "visit_show", "fees", d)
}

// settleError: what the receipt was to pay for changed meanwhile (collected at
// another counter); nothing was issued.
type settleError struct {
	what string
	err  error
}

func (e *settleError) Error() string {
	return "「" + e.what + "」的規費已由他人收取或已不存在，未開立收據；請重新開啟收費畫面（" + e.err.Error() + "）"
}
func (e *settleError) Unwrap() error { return e.err }
