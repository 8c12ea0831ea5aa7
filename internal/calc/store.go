// Package calc serves the legal calculators (period, deadline, fine, reminder,
// conception, residence, birth subsidy, certificate) to clerks and the API, and
// keeps what the legal engine takes from the database: office closures, calendar
// years loaded from the government's CSV, and each office's 裁罰基準.
package calc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"ebazhao/internal/legal"
	"ebazhao/internal/legal/calendar"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// Store reads and writes the legal engine's database-held inputs.
type Store struct{ DB *db.DB }

// Closure is a recorded office closure.
type Closure struct {
	ID     int64
	City   string
	Day    civil.Date
	Reason string
}

// Closures lists closures, newest first.
func (s *Store) Closures(ctx context.Context) ([]Closure, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, city, day, reason FROM calendar_closures ORDER BY day DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Closure
	for rows.Next() {
		var c Closure
		if err := rows.Scan(&c.ID, &c.City, &c.Day, &c.Reason); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddClosure records that the offices of city were closed on day.
func (s *Store) AddClosure(ctx context.Context, actor audit.Actor, city string, day civil.Date, reason string) error {
	city, reason = strings.TrimSpace(city), strings.TrimSpace(reason)
	if city == "" || reason == "" {
		return fmt.Errorf("請填寫縣市與停止上班原因")
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO calendar_closures (city, day, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
			city, day, reason, nullID(actor.UserID), db.FormatTime(tx.Now()))
		if db.IsUniqueViolation(err) {
			return fmt.Errorf("%s %s 已登錄停止上班", city, day.ROC())
		}
		if err != nil {
			return err
		}
		e := audit.For(actor, "calendar.closure.add", "closure", day.ISO())
		e.Detail = city + " " + reason
		return audit.Log(ctx, tx, e)
	})
}

// LoadYears stores a government calendar CSV after checking that it parses; the
// years it holds replace the embedded ones from now on.
func (s *Store) LoadYears(ctx context.Context, actor audit.Actor, name string, csv []byte) ([]int, error) {
	days, err := calendar.LoadDGPA(bytes.NewReader(csv))
	if err != nil {
		return nil, err
	}
	if _, err := calendar.Default().WithYears(days); err != nil {
		return nil, err
	}
	years := map[int]bool{}
	for _, d := range days {
		years[d.Date.Year()] = true
	}
	var list []int
	for y := range years {
		list = append(list, y)
	}
	sort.Ints(list)
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, y := range list {
			if _, err := tx.Exec(ctx, `INSERT INTO calendar_years (year, source_name, csv, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?)`,
				y, name, string(csv), nullID(actor.UserID), db.FormatTime(tx.Now())); err != nil {
				return err
			}
		}
		e := audit.For(actor, "calendar.load", "calendar", fmt.Sprint(list))
		e.Detail = name
		return audit.Log(ctx, tx, e)
	})
	return list, err
}

// Calendar returns the office calendar for city: embedded data, years loaded
// since (the latest load of each year wins) and the city's closures. Its
// Version changes whenever any of those do, so a document keeps the version it
// was computed with.
func (s *Store) Calendar(ctx context.Context, city string) (*legal.Calendar, error) {
	cal := calendar.Default()
	rows, err := s.DB.Query(ctx, `SELECT y.csv FROM calendar_years y WHERE y.id = (SELECT MAX(id) FROM calendar_years z WHERE z.year = y.year) ORDER BY y.year`)
	if err != nil {
		return nil, err
	}
	var csvs []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, err
		}
		csvs = append(csvs, c)
	}
	rows.Close()
	seen := map[string]bool{}
	for _, c := range csvs {
		if seen[c] { // one CSV may hold several years
			continue
		}
		seen[c] = true
		days, err := calendar.LoadDGPA(strings.NewReader(c))
		if err != nil {
			return nil, fmt.Errorf("stored calendar CSV no longer parses: %w", err)
		}
		if cal, err = cal.WithYears(days); err != nil {
			return nil, err
		}
	}
	closures, err := s.Closures(ctx)
	if err != nil {
		return nil, err
	}
	cs := make([]calendar.Closure, 0, len(closures))
	for _, c := range closures {
		cs = append(cs, calendar.Closure{Date: c.Day, City: c.City, Reason: c.Reason})
	}
	return cal.ForCity(city, cs), nil
}

// FineStandards returns the office's adopted 裁罰基準.
func (s *Store) FineStandards(ctx context.Context, officeID int64) ([]legal.FineStandard, error) {
	rows, err := s.DB.Query(ctx, `SELECT body FROM fine_standards WHERE office_id = ? ORDER BY effective, id`, officeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []legal.FineStandard
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var fs legal.FineStandard
		if err := json.Unmarshal([]byte(body), &fs); err != nil {
			return nil, err
		}
		out = append(out, fs)
	}
	return out, rows.Err()
}

// AddFineStandard validates and records an office's 裁罰基準.
func (s *Store) AddFineStandard(ctx context.Context, actor audit.Actor, officeID int64, fs legal.FineStandard) error {
	if err := legal.ValidateFineStandard(fs); err != nil {
		return err
	}
	body, _ := json.Marshal(fs)
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO fine_standards (office_id, name, law, effective, body, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			officeID, fs.Name, fs.Law, fs.From.Date, string(body), nullID(actor.UserID), db.FormatTime(tx.Now())).Scan(&id); err != nil {
			return err
		}
		e := audit.For(actor, "fine_standard.add", "fine_standard", fmt.Sprint(id))
		e.Detail = fs.Name
		return audit.Log(ctx, tx, e)
	})
}

// Options builds the legal engine's options for an office in city.
func (s *Store) Options(ctx context.Context, officeID int64, city string) (legal.Options, error) {
	cal, err := s.Calendar(ctx, city)
	if err != nil {
		return legal.Options{}, err
	}
	fs, err := s.FineStandards(ctx, officeID)
	if err != nil {
		return legal.Options{}, err
	}
	return legal.Options{Calendar: cal, FineStandards: fs, Today: civil.Of(s.DB.Now())}, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
