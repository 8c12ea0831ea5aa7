package app

import (
	"context"
	"errors"
	"fmt"

	"ebazhao/internal/archive"
	"ebazhao/internal/fee"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/seal"
)

// archiveCopyCharges lets the fee issue form collect a certified copy's fee
// (/fees?ref=archive_copy:ID, linked from the copy page): only at the office
// that issued the copy, only once.
type archiveCopyCharges struct{ svc *archive.Service }

func (a archiveCopyCharges) Pending(ctx context.Context, officeID int64, limit int) ([]fee.Charge, error) {
	cs, err := a.svc.PendingCharges(ctx, officeID)
	if err != nil {
		return nil, err
	}
	cs = cs[:min(len(cs), limit)]
	out := make([]fee.Charge, 0, len(cs))
	for _, c := range cs {
		out = append(out, fee.Charge{Ref: fmt.Sprint(c.CopyID), Label: "申請書影本 " + c.CopyNo, Item: c.FeeItem, Qty: c.Quantity, PayerName: c.Payer})
	}
	return out, nil
}

func (a archiveCopyCharges) Due(ctx context.Context, officeID, id int64) (*fee.Charge, error) {
	c, err := a.svc.Copy(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, &fee.InputError{Field: "ref", Message: "查無此申請書影本"}
	}
	if err != nil {
		return nil, err
	}
	label := "申請書影本 " + c.No
	switch {
	case c.OfficeID != officeID:
		return nil, &fee.InputError{Field: "ref", Message: label + "由" + c.OfficeName + "核發，規費應由該所收取"}
	case c.FeeStatus == "paid":
		return nil, &fee.InputError{Field: "ref", Message: label + "的規費已收取（收據 " + c.ReceiptRef + "）"}
	case c.FeeStatus != "pending":
		return nil, &fee.InputError{Field: "ref", Message: label + "免收規費"}
	}
	return &fee.Charge{Label: label, Item: c.FeeItem, Qty: c.Quantity, PayerName: c.ApplicantName, PayerIDNo: c.ApplicantIDNo}, nil
}

func (a archiveCopyCharges) Settle(ctx context.Context, tx *db.Tx, officeID, id int64, number string) error {
	var office int64
	if err := tx.QueryRow(ctx, `SELECT office_id FROM archive_copies WHERE id = ?`, id).Scan(&office); err != nil {
		return err
	}
	if office != officeID {
		return &fee.InputError{Field: "ref", Message: "此申請書影本非本所核發，不能在本所收費"}
	}
	err := archive.MarkCharged(ctx, tx, id, number, "paid")
	var na *archive.ErrNotAllowed
	if errors.As(err, &na) {
		return &fee.InputError{Field: "ref", Message: na.Msg}
	}
	return err
}

// sealCertificateCharges lets the fee issue form collect a seal
// certificate's fee (/fees?ref=seal_certificate:ID): only at the issuing
// office, only once, never for a revoked certificate.
type sealCertificateCharges struct {
	store   *seal.Store
	persons *person.Store
}

func (s sealCertificateCharges) charge(ctx context.Context, c *seal.Certificate) fee.Charge {
	ch := fee.Charge{Ref: fmt.Sprint(c.ID), Label: "印鑑證明 " + c.Number, Item: c.FeeItem, Qty: c.Copies, PayerName: c.AgentName}
	if c.Applicant != "agent" { // the holder applied in person
		ch.PayerIDNo = c.PersonIDNo
		if p, err := s.persons.ByIDNo(ctx, c.PersonIDNo); err == nil {
			ch.PayerName = p.Name
		}
	}
	return ch
}

func (s sealCertificateCharges) Pending(ctx context.Context, officeID int64, limit int) ([]fee.Charge, error) {
	cs, err := s.store.DueFees(ctx, officeID)
	if err != nil {
		return nil, err
	}
	var out []fee.Charge
	for _, c := range cs {
		if c.Status == "issued" && len(out) < limit {
			out = append(out, s.charge(ctx, c))
		}
	}
	return out, nil
}

func (s sealCertificateCharges) Due(ctx context.Context, officeID, id int64) (*fee.Charge, error) {
	c, err := s.store.Certificate(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, &fee.InputError{Field: "ref", Message: "查無此印鑑證明"}
	}
	if err != nil {
		return nil, err
	}
	label := "印鑑證明 " + c.Number
	switch {
	case c.OfficeID != officeID:
		return nil, &fee.InputError{Field: "ref", Message: label + "由" + c.OfficeName + "核發，規費應由該所收取"}
	case c.Status != "issued":
		return nil, &fee.InputError{Field: "ref", Message: label + "已撤銷，不收規費"}
	case c.FeeStatus == "paid":
		return nil, &fee.InputError{Field: "ref", Message: label + "的規費已收取（收據 " + c.FeeRef + "）"}
	case c.FeeStatus != "due":
		return nil, &fee.InputError{Field: "ref", Message: label + "免收規費"}
	}
	ch := s.charge(ctx, c)
	return &ch, nil
}

func (s sealCertificateCharges) Settle(ctx context.Context, tx *db.Tx, officeID, id int64, number string) error {
	var office int64
	var status string
	if err := tx.QueryRow(ctx, `SELECT office_id, status FROM seal_certificates WHERE id = ?`, id).Scan(&office, &status); err != nil {
		return err
	}
	if office != officeID || status != "issued" {
		return &fee.InputError{Field: "ref", Message: "此印鑑證明非本所核發或已撤銷，不能收費"}
	}
	err := s.store.MarkFeePaid(ctx, tx, id, number)
	var ue *seal.UserError
	if errors.As(err, &ue) {
		return &fee.InputError{Field: "ref", Message: ue.Msg}
	}
	return err
}
