package demo

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"ebazhao/internal/legal/calendar"
	"ebazhao/internal/office"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
)

// CityPeople is the population the city-scale rates below are for (Taichung).
const CityPeople = 2_820_000

// City-scale yearly volumes (the seed's figures for Taichung where it gives them:
// ~7,250 visits a day, ~1.1 million receipts a year, ~910,000 seal cards).
const (
	CityReceiptsPerYear  = 1_100_000
	CityDocumentsPerYear = 80_000  // notices, reminders, fine decisions, one-time notices
	CityVisitsPerDay     = 7_250   // rating windows; about 6 in 10 visitors press a key
	CityAgencyAppsPerDay = 300     // N加e consolidated applications
	CitySealCards        = 910_000 // registrations standing (history adds changes and cancellations)
	CountersPerOffice    = 13      // ~370 counters over 29 offices
)

// History is the generated past that subsystems fill with their rows: the
// offices' working days (from the government office calendar), the offices and
// a staff of generated clerks per office, and how big the place is.
type History struct {
	Days    []civil.Date // office days, oldest first
	Offices []*office.Office
	Staff   map[int64][]Staff // by office id
	People  int               // generated persons 1..People exist (ScaleIDNo)
	Factor  float64           // people / CityPeople: 1 is Taichung
	Today   civil.Date        // the history ends the day before
	Log     io.Writer
}

// Staff is a generated counter clerk.
type Staff struct {
	UserID    int64
	Username  string
	Name      string
	OfficeID  int64
	CounterID int64
}

// PerDay spreads a city-scale yearly volume over the office days of a year,
// scaled to the history's size, for one office (offices are equally busy).
func (h *History) PerDay(cityPerYear int) float64 {
	return float64(cityPerYear) * h.Factor / float64(openDaysPerYear) / float64(len(h.Offices))
}

const openDaysPerYear = 248

// Count draws how many events happen on one office day with the given mean
// (a Poisson-like spread, at least 0).
func Count(rng *rand.Rand, mean float64) int {
	n := int(math.Round(mean + rng.NormFloat64()*math.Sqrt(mean)))
	return max(n, 0)
}

// Person is the i-th generated person drawn at random (1..People).
func (h *History) Person(rng *rand.Rand) (idNo, name string) {
	i := 1 + rng.IntN(max(h.People, 1))
	id, name, _, _, _, _ := ScalePerson(i, h.Offices)
	return id, name
}

// At is a timestamp on day at a random time between 08:00 and 17:00 Taipei.
func At(rng *rand.Rand, day civil.Date) time.Time {
	return day.Start().Add(time.Duration(8+rng.IntN(9))*time.Hour + time.Duration(rng.IntN(60))*time.Minute + time.Duration(rng.IntN(60))*time.Second)
}

// NewHistory prepares the history of the last `years` years up to yesterday:
// the office days and a generated staff with counters for every office.
func NewHistory(ctx context.Context, d *db.DB, people int, years int, today civil.Date, log io.Writer) (*History, error) {
	offices, err := (&office.Store{DB: d}).All(ctx)
	if err != nil {
		return nil, err
	}
	if len(offices) == 0 {
		return nil, fmt.Errorf("demo: no offices")
	}
	cal := calendar.Default()
	h := &History{Offices: offices, Staff: map[int64][]Staff{}, People: people, Factor: float64(people) / CityPeople, Today: today, Log: log}
	for day := today.AddDate(-years, 0, 0); day.Before(today); day = day.AddDays(1) {
		if cal.Covers(day.Year()) && cal.IsOpen(day) {
			h.Days = append(h.Days, day)
		}
	}
	if err := h.generateStaff(ctx, d); err != nil {
		return nil, err
	}
	return h, nil
}

// generateStaff makes sure every office has CountersPerOffice counters, each
// with a generated clerk account. The accounts cannot log in (no password
// hash matches '!'): they exist so generated receipts and documents have an
// issuer at their own office, as real ones do.
func (h *History) generateStaff(ctx context.Context, d *db.DB) error {
	now := db.FormatTime(h.Today.Midnight().Add(10 * time.Hour)) // generated staff exist from the generated day
	return d.InTx(ctx, func(tx *db.Tx) error {
		for _, o := range h.Offices {
			for n := 1; n <= CountersPerOffice; n++ {
				if _, err := tx.Exec(ctx, `INSERT INTO counters (office_id, kind, number, name, active) VALUES (?, 'counter', ?, ?, ?) ON CONFLICT (office_id, kind, number) DO NOTHING`,
					o.ID, n, fmt.Sprintf("%d號櫃檯", n), true); err != nil {
					return err
				}
				var counterID int64
				if err := tx.QueryRow(ctx, `SELECT id FROM counters WHERE office_id = ? AND kind = 'counter' AND number = ?`, o.ID, n).Scan(&counterID); err != nil {
					return err
				}
				username := fmt.Sprintf("gen-%s-%02d", o.Code, n)
				rng := rand.New(rand.NewPCG(uint64(o.ID), uint64(n)))
				name := surnames[rng.IntN(len(surnames)-1)] + append(givenM, givenF...)[rng.IntN(len(givenM)+len(givenF))]
				if _, err := tx.Exec(ctx, `INSERT INTO users (username, display_name, office_id, role, password_hash, must_change, password_changed_at, active, created_at, updated_at)
					VALUES (?, ?, ?, 'clerk', '!', ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`, username, name, o.ID, false, now, false, now, now); err != nil {
					return err
				}
				s := Staff{Username: username, OfficeID: o.ID, CounterID: counterID}
				if err := tx.QueryRow(ctx, `SELECT id, display_name FROM users WHERE username = ?`, username).Scan(&s.UserID, &s.Name); err != nil {
					return err
				}
				h.Staff[o.ID] = append(h.Staff[o.ID], s)
			}
		}
		return nil
	})
}

// SealCards is how many generated people have a registered seal: the city's
// share (demo.CitySealCards of CityPeople) of people.
func SealCards(people int) int {
	return max(min(int(float64(CitySealCards)*float64(people)/CityPeople), people), 1)
}

// SealHolder is the generated person number of the k-th seal card (0 ≤ k <
// SealCards): holders stride through all people.
func SealHolder(k, people int) int { return 1 + k*max(people/SealCards(people), 1) }

// Logf reports progress when the history has a log.
func (h *History) Logf(format string, args ...any) {
	if h.Log != nil {
		fmt.Fprintf(h.Log, format+"\n", args...)
	}
}

// EachDay calls gen for every office day of h after last (an ISO date; ""
// for all), in order, with a random source seeded by the day and salt, so a
// resumed run makes the same days an uninterrupted one would. gen returns
// how many rows of what it made; progress is logged every 20 days.
func (h *History) EachDay(last string, salt uint64, what string, gen func(day civil.Date, rng *rand.Rand) (int, error)) error {
	start, made := clock.Start(), 0
	for di, day := range h.Days {
		iso := day.ISO()
		if iso <= last {
			continue
		}
		n, err := gen(day, rand.New(rand.NewPCG(uint64(day.Midnight().Unix()), salt)))
		if err != nil {
			return fmt.Errorf("%s of %s: %w", what, iso, err)
		}
		made += n
		if di%20 == 0 || di == len(h.Days)-1 {
			h.Logf("%s: %s, %d made (%.0f/s)", what, iso, made, float64(made)/start.Elapsed().Seconds())
		}
	}
	return nil
}
