package notice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"ebazhao/internal/legal"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
)

// SeedDemo loads the built-in templates and issues one document of each kind to
// the demo person 王大明 (A123456789) by the demo clerk, so the person page has a
// history to show. It is idempotent: nothing is added when 王大明 has documents.
func SeedDemo(ctx context.Context, d *db.DB) error {
	s := NewService(d)
	if err := s.ensureSeeded(ctx); err != nil {
		return err
	}
	const who = "A123456789"
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM documents WHERE recipient_id_no = ?`, who).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	var c Clerk
	err := d.QueryRow(ctx, `SELECT id, username, display_name, office_id FROM users WHERE username = 'clerk'`).Scan(&c.UserID, &c.Username, &c.Name, &c.OfficeID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // no demo accounts: nothing to show
	}
	if err != nil {
		return err
	}
	if _, err := s.Persons.ByIDNo(ctx, who); errors.Is(err, db.ErrNotFound) {
		return nil
	}
	c.Audit = audit.Actor{UserID: c.UserID, Username: c.Username, OfficeID: c.OfficeID, Client: "demo"}
	today := s.Today()
	day := func(ago int) string { return today.AddDays(-ago).ROCShort() }
	inputs := []Input{
		{Kind: KindNotice, Subtype: "通知申請登記", Item: "死亡登記", EventDate: day(5), Subject: "王老先生", Recipient: Recipient{IDNo: who}},
		{Kind: KindReminder, Subtype: legal.NoticeDirectRegistrationAnd, Item: "出生登記", EventDate: day(120), Delivery: DeliveryMail, Recipient: Recipient{IDNo: who}},
		{Kind: KindFine, Subtype: FineLate, Item: "死亡登記", EventDate: day(100), RegistrationDate: day(20), Subject: "王老太太", Recipient: Recipient{IDNo: who}},
		{Kind: KindOneTime, Item: "出生登記", Recipient: Recipient{IDNo: who}},
		{Kind: KindConfirm, Subtype: "補領國民身分證", AcceptedDate: day(1), Recipient: Recipient{IDNo: who}},
	}
	var sup Clerk
	err = d.QueryRow(ctx, `SELECT id, username, display_name, office_id FROM users WHERE role = 'supervisor' AND office_id = ? ORDER BY id LIMIT 1`, c.OfficeID).
		Scan(&sup.UserID, &sup.Username, &sup.Name, &sup.OfficeID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	sup.Approver = err == nil
	sup.Audit = audit.Actor{UserID: sup.UserID, Username: sup.Username, OfficeID: sup.OfficeID, Client: "demo"}
	for _, in := range inputs {
		if in.Kind == KindFine { // drafted by the clerk, approved by the office's supervisor
			f, err := s.DraftFine(ctx, c, in)
			if err != nil {
				return fmt.Errorf("demo %s: %w", in.Kind.Label(), err)
			}
			if sup.Approver {
				if _, err := s.ApproveFine(ctx, sup, f.ID, "示範資料"); err != nil {
					return fmt.Errorf("demo %s: %w", in.Kind.Label(), err)
				}
			}
			continue
		}
		if _, err := s.Issue(ctx, c, in); err != nil {
			return fmt.Errorf("demo %s: %w", in.Kind.Label(), err)
		}
	}
	return nil
}
