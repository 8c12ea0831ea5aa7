package app

import (
	"context"
	"errors"

	"ebazhao/internal/archive"
	"ebazhao/internal/fee"
	"ebazhao/internal/platform/db"
)

// archiveCopyCharges lets the fee issue form collect a certified copy's fee
// (/fees?ref=archive_copy:ID, linked from the copy page): only at the office
// that issued the copy, only once.
type archiveCopyCharges struct{ svc *archive.Service }

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
