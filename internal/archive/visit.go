package archive

import (
	"context"
	"fmt"

	"ebazhao/internal/platform/db"
)

// The two queries the counter workbench (package visit) asks about one citizen.

// PendingChargesFor lists officeID's copies issued to the applicant idNo whose
// fee is not collected yet: what the citizen at the counter still owes here.
func (s *Service) PendingChargesFor(ctx context.Context, officeID int64, idNo string) ([]Charge, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, copy_no, copy_year, fee_item, quantity, applicant_name, issued_at FROM archive_copies
		WHERE office_id = ? AND fee_status = 'pending' AND applicant_id_no = ? ORDER BY id`, officeID, idNo)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Charge
	for rows.Next() {
		var c Charge
		var no int64
		var year int
		var at string
		if err := rows.Scan(&c.CopyID, &no, &year, &c.FeeItem, &c.Quantity, &c.Payer, &at); err != nil {
			return nil, err
		}
		c.CopyNo, c.IssuedAt = fmt.Sprintf("%d-%06d", year, no), db.ParseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// RequestsFor lists the cross-district requests officeID filed for idNo (as the
// person concerned or as the applicant) that are not archived or cancelled yet,
// newest first.
func (s *Service) RequestsFor(ctx context.Context, officeID int64, idNo string, limit int) ([]*Request, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	rows, err := s.DB.Query(ctx, `SELECT `+reqCols+reqFrom+` WHERE r.receiving_office_id = ? AND r.status NOT IN (?, ?)
		AND (r.person_id_no = ? OR r.applicant_id_no = ?) ORDER BY r.filed_at DESC LIMIT ?`,
		officeID, StatusArchived, StatusCancelled, idNo, idNo, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.Now()
	var out []*Request
	for rows.Next() {
		r, err := scanRequest(rows, now)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
