package fee

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"ebazhao/internal/platform/db"
)

// A Charge is a fee another subsystem recorded as due — a certified copy of
// an archived application, say — which a receipt at the same office collects.
// The issue form opened with ?ref=kind:id carries it, prefilled, and the
// receipt marks it paid in its own transaction.
type Charge struct {
	Ref       string // kind:id (a source's Pending gives only the id)
	Label     string // what is charged, e.g. 申請書影本 115-000012
	Item      string // the fee item
	Qty       int
	PayerName string
	PayerIDNo string
}

// A ChargeSource keeps one kind of charge.
type ChargeSource interface {
	// Pending lists at most limit charges due at officeID, oldest first.
	Pending(ctx context.Context, officeID int64, limit int) ([]Charge, error)
	// Due returns charge id if it is due at officeID, or an *InputError saying
	// why it is not.
	Due(ctx context.Context, officeID, id int64) (*Charge, error)
	// Settle marks charge id of officeID paid by receipt number, inside the
	// receipt's transaction; an error rolls the receipt back.
	Settle(ctx context.Context, tx *db.Tx, officeID, id int64, number string) error
}

// dueCharge resolves a reference for the office.
func (s *Service) dueCharge(ctx context.Context, officeID int64, ref string) (ChargeSource, int64, *Charge, error) {
	kind, idText, _ := strings.Cut(strings.TrimSpace(ref), ":")
	src, ok := s.Charges[kind]
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil || id <= 0 {
		return nil, 0, nil, &InputError{Field: "ref", Message: "待收規費的參照「" + ref + "」不正確"}
	}
	c, err := src.Due(ctx, officeID, id)
	if err != nil {
		return nil, 0, nil, err
	}
	c.Ref = fmt.Sprintf("%s:%d", kind, id)
	return src, id, c, nil
}

// collect makes req collect the charge at ref: the receipt must carry the
// charge's item in the charge's quantity, and it settles the charge in its
// own transaction, so the two commit together or neither does.
func (s *Service) collect(ctx context.Context, officeID int64, ref string, req *IssueRequest) (*Charge, error) {
	src, id, c, err := s.dueCharge(ctx, officeID, ref)
	if err != nil {
		return nil, err
	}
	v, err := s.VersionOn(ctx, s.today())
	if err != nil {
		return c, err
	}
	want, ok := v.Find(c.Item)
	if !ok {
		return c, &InputError{Field: "ref", Message: "收費標準查無「" + c.Item + "」，無法收取" + c.Label}
	}
	found := false
	for _, it := range req.Items {
		qty := 1 // a blank quantity is one
		if it.Qty != nil {
			qty = *it.Qty
		}
		if got, ok := v.Find(it.Item); ok && got.Code == want.Code && qty == c.Qty {
			found = true
		}
	}
	if !found {
		return c, &InputError{Field: "item", Message: fmt.Sprintf("收取%s須含規費項目「%s」%d 件", c.Label, want.Name, c.Qty)}
	}
	req.Settle = func(ctx context.Context, tx *db.Tx, _ int64, number string) error {
		return src.Settle(ctx, tx, officeID, id, number)
	}
	return c, nil
}

// pendingShown is how many pending charges the issue form lists: a fee never
// collected (the citizen left) stays pending, and the list must not grow with
// the years.
const pendingShown = 30

// pendingCharges lists every source's charges due at the office, for the
// issue form's side list; kinds in a fixed order, at most pendingShown.
func (s *Service) pendingCharges(ctx context.Context, officeID int64) ([]Charge, error) {
	kinds := make([]string, 0, len(s.Charges))
	for k := range s.Charges {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var out []Charge
	for _, k := range kinds {
		if len(out) >= pendingShown {
			break
		}
		cs, err := s.Charges[k].Pending(ctx, officeID, pendingShown-len(out))
		if err != nil {
			return nil, fmt.Errorf("fee: pending %s charges: %w", k, err)
		}
		for _, c := range cs {
			c.Ref = k + ":" + c.Ref
			out = append(out, c)
		}
	}
	return out, nil
}
