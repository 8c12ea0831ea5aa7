package archive

import (
	"context"
	"time"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// DayRow is one office's figure on one day.
type DayRow struct {
	Day    civil.Date
	Office string
	Docs   int64
	Pages  int64
}

// AgeRow counts requests of one status by age.
type AgeRow struct {
	Status  string
	Label   string
	Under1d int64
	Under2d int64
	Under7d int64
	Older   int64
	Overdue int64
	Total   int64
}

// Report is the archive report of a period (報表查詢列印).
type Report struct {
	From, To civil.Date
	Scanned  []DayRow // pages scanned per office and day
	Copies   []DayRow // copies issued per office and day (Docs = copies, Pages = pages)
	Requests []AgeRow // open requests by status and age
}

// Report computes the figures of [from, to].
func (s *Service) Report(ctx context.Context, from, to civil.Date) (*Report, error) {
	r := &Report{From: from, To: to}
	load := func(q string) ([]DayRow, error) {
		rows, err := s.DB.Query(ctx, q, from, to)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []DayRow
		for rows.Next() {
			var d DayRow
			if err := rows.Scan(&d.Day, &d.Office, &d.Docs, &d.Pages); err != nil {
				return nil, err
			}
			out = append(out, d)
		}
		return out, rows.Err()
	}
	var err error
	if r.Scanned, err = load(`SELECT d.scanned_day, o.name, COUNT(*), SUM(d.page_count) FROM archive_docs d JOIN offices o ON o.id = d.scanned_office
		WHERE d.scanned_day >= ? AND d.scanned_day <= ? GROUP BY d.scanned_day, o.name ORDER BY d.scanned_day DESC, o.name`); err != nil {
		return nil, err
	}
	if r.Copies, err = load(`SELECT c.issued_day, o.name, COUNT(*), SUM(c.page_count) FROM archive_copies c JOIN offices o ON o.id = c.office_id
		WHERE c.issued_day >= ? AND c.issued_day <= ? GROUP BY c.issued_day, o.name ORDER BY c.issued_day DESC, o.name`); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, `SELECT status, filed_at, due_at FROM archive_requests WHERE status <> ?`, StatusArchived)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.Now()
	by := map[string]*AgeRow{}
	for rows.Next() {
		var st, filed, due string
		if err := rows.Scan(&st, &filed, &due); err != nil {
			return nil, err
		}
		a := by[st]
		if a == nil {
			a = &AgeRow{Status: st, Label: StatusLabel(st)}
			by[st] = a
		}
		age := now.Sub(db.ParseTime(filed))
		switch {
		case age < 24*time.Hour:
			a.Under1d++
		case age < 48*time.Hour:
			a.Under2d++
		case age < 7*24*time.Hour:
			a.Under7d++
		default:
			a.Older++
		}
		if (st == StatusFiled || st == StatusAccepted) && now.After(db.ParseTime(due)) {
			a.Overdue++
		}
		a.Total++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, st := range []string{StatusFiled, StatusAccepted, StatusFulfilled, StatusIssued, StatusRejected, StatusCancelled} {
		if a := by[st]; a != nil {
			r.Requests = append(r.Requests, *a)
		}
	}
	return r, nil
}
