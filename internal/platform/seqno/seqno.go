// Package seqno hands out gapless numbers — document and receipt numbers that are
// unique per office, kind and ROC year.
//
// Next must be called inside the transaction that stores the numbered record: the
// increment and the record commit together or not at all, so a crash or rollback
// never leaves a hole, and the row lock makes concurrent clerks queue for it.
package seqno

import (
	"context"
	"fmt"

	"ebazhao/internal/platform/db"
)

// Scope builds the key of a number sequence, e.g. Scope("receipt", 12, 115).
func Scope(kind string, officeID int64, rocYear int) string {
	return fmt.Sprintf("%s/%d/%d", kind, officeID, rocYear)
}

// Next returns the next number of scope, starting at 1.
func Next(ctx context.Context, tx *db.Tx, scope string) (int64, error) {
	if _, err := tx.Exec(ctx, `INSERT INTO sequences (scope, last) VALUES (?, 0) ON CONFLICT (scope) DO NOTHING`, scope); err != nil {
		return 0, fmt.Errorf("seqno %s: %w", scope, err)
	}
	var n int64
	if err := tx.QueryRow(ctx, `UPDATE sequences SET last = last + 1 WHERE scope = ? RETURNING last`, scope).Scan(&n); err != nil {
		return 0, fmt.Errorf("seqno %s: %w", scope, err)
	}
	return n, nil
}

// Peek returns the last number handed out in scope (0 if none).
func Peek(ctx context.Context, q db.Querier, scope string) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, `SELECT COALESCE(MAX(last), 0) FROM sequences WHERE scope = ?`, scope).Scan(&n)
	return n, err
}
