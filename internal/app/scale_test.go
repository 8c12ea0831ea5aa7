package app_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"ebazhao/internal/app"
	"ebazhao/internal/fee"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/dbtest"
)

// TestGenerateScale runs the data generator at a small size and checks what the
// subsystems promise of real data: receipt numbers gapless per office and year
// and continued by the live numbering, closed days whose settlement equals their
// receipts, documents numbered gaplessly, seal and rating rows where expected;
// and that a second run adds nothing (it resumes, it does not duplicate).
func TestGenerateScale(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	dir := t.TempDir()
	a, err := app.New(ctx, app.Config{Demo: true, Policy: auth.DefaultPolicy(), DataDir: dir}, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SeedDemo(ctx, "demo", 40, io.Discard); err != nil {
		t.Fatal(err)
	}
	today := civil.New(2026, 11, 25)
	var log strings.Builder
	opts := app.ScaleOptions{People: 28_200, Years: 1, ArchiveDocs: 3000, Today: today, Log: &log} // 1 % of Taichung
	if err := a.GenerateScale(ctx, opts); err != nil {
		t.Fatalf("generate: %v\n%s", err, log.String())
	}
	counts := func() map[string]int {
		out := map[string]int{}
		for _, tbl := range []string{"persons", "fee_receipts", "fee_receipt_lines", "fee_prints", "fee_days", "documents", "document_versions", "seal_events", "rating_windows", "ratings", "archive_docs", "users"} {
			var n int
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM `+tbl).Scan(&n); err != nil {
				t.Fatal(err)
			}
			out[tbl] = n
		}
		return out
	}
	first := counts()
	t.Logf("generated: %v", first)
	// 1 % of a city year: ~11,000 receipts, ~800 documents, ~9,100 seal cards, ~18,000 windows.
	within := func(name string, got, lo, hi int) {
		if got < lo || got > hi {
			t.Errorf("%s: %d rows, expected %d–%d", name, got, lo, hi)
		}
	}
	within("receipts", first["fee_receipts"], 9_000, 13_000)
	within("documents", first["documents"], 600, 1_100)
	within("seal events", first["seal_events"], 9_100, 11_500)
	within("rating windows", first["rating_windows"], 15_000, 21_000)
	within("archive documents", first["archive_docs"], 3000, 3100)
	if first["fee_prints"] != first["fee_receipts"] || first["document_versions"] != first["documents"] {
		t.Errorf("every receipt has its printed original and every document its first version: %v", first)
	}

	// Receipt numbers: 1..n per office and year, with the sequence at n.
	rows, err := d.Query(ctx, `SELECT r.office_id, r.roc_year, COUNT(*), MIN(r.number), MAX(r.number), s.last FROM fee_receipts r
		JOIN sequences s ON s.scope = 'receipt/' || CAST(r.office_id AS TEXT) || '/' || CAST(r.roc_year AS TEXT)
		GROUP BY r.office_id, r.roc_year, s.last`)
	if err != nil {
		t.Fatal(err)
	}
	groups := 0
	for rows.Next() {
		var office, year, n, lo, hi, last int64
		if err := rows.Scan(&office, &year, &n, &lo, &hi, &last); err != nil {
			t.Fatal(err)
		}
		groups++
		if lo != 1 || hi != n || last != n {
			t.Errorf("office %d year %d: %d receipts numbered %d–%d, sequence at %d", office, year, n, lo, hi, last)
		}
	}
	rows.Close()
	if groups < 29 {
		t.Errorf("receipt numbering checked for %d office-years, expected every office", groups)
	}
	// Documents: gapless per office, kind and year.
	var docGaps int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT office_id, kind, roc_year FROM documents GROUP BY office_id, kind, roc_year HAVING MAX(seq) <> COUNT(*) OR MIN(seq) <> 1) g`).Scan(&docGaps); err != nil {
		t.Fatal(err)
	}
	if docGaps != 0 {
		t.Errorf("%d document series with gaps", docGaps)
	}
	// Closed days: the settlement snapshot equals what the receipts add up to.
	var mismatched int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM fee_days f WHERE f.closed_at <> '' AND f.total <> COALESCE((SELECT SUM(total) FROM fee_receipts r
		WHERE r.office_id = f.office_id AND r.receipt_date = f.day AND r.status = 'issued'), 0)`).Scan(&mismatched); err != nil {
		t.Fatal(err)
	}
	if mismatched != 0 {
		t.Errorf("%d closed days whose total differs from their receipts", mismatched)
	}
	// The fee subsystem's own summary reads the generated year.
	svc := fee.NewService(d, nil)
	sm, err := svc.Summary(ctx, 0, today.ROCYear(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if sm.Receipts == 0 {
		t.Errorf("city summary of %d shows no receipts", today.ROCYear())
	}
	// A live receipt continues the generated numbering.
	clerk, err := auth.New(d, auth.DefaultPolicy()).UserByName(ctx, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	year := civil.Of(d.Now()).ROCYear()
	d.QueryRow(ctx, `SELECT COALESCE(MAX(number), 0) FROM fee_receipts WHERE office_id = ? AND roc_year = ?`, clerk.OfficeID, year).Scan(&last)
	r, _, err := svc.Issue(ctx, fee.Clerk{User: clerk, Client: "test"}, fee.IssueRequest{Items: []fee.QuoteItem{{Item: "戶籍謄本"}}, Payment: "cash", IdempotencyKey: "after-generate"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Number != last+1 {
		t.Errorf("live receipt numbered %d after generated %d", r.Number, last)
	}

	// Resume: a second run finds everything there and adds nothing.
	if err := a.GenerateScale(ctx, opts); err != nil {
		t.Fatal(err)
	}
	second := counts()
	second["fee_receipts"]--
	second["fee_receipt_lines"]--
	second["fee_prints"]--
	for k, v := range first {
		if second[k] != v && k != "fee_days" {
			t.Errorf("second run changed %s: %d → %d", k, v, second[k])
		}
	}
}
