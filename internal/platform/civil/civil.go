// Package civil is the business date: one day of Taipei's calendar, with no time
// and no zone. Receipts, documents, deadlines, seal events and daily files are
// dated by it.
//
// Parse it once at the edge (Parse for what a clerk types, ParseISO for the API
// and the database), carry it as a Date, and format it once for display or print
// (ROC, ROCShort, ROCLong) or storage (ISO: the database keeps dates as ISO text,
// which Value and Scan read and write). An instant becomes a Date only through
// Of, which reads it as the day it was in Taipei, so a date cannot be mixed up with
// a timestamp or a machine's zone.
package civil

import (
	"database/sql/driver"
	"fmt"
	"time"

	"ebazhao/internal/platform/rocdate"
)

// Date is a day of the calendar. The zero Date means "no date" (IsZero).
// Dates compare with == and Compare.
type Date struct {
	year  int
	month time.Month
	day   int
}

// New returns the day y-m-d (Gregorian); out-of-range values normalise as in
// time.Date (2024-02-30 is 2024-03-01).
func New(y int, m time.Month, d int) Date {
	return fromMidnight(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// Of returns the day instant t was in Taipei. A civil day carried the old way,
// as a time.Time at 00:00 UTC, is 08:00 in Taipei and so stays itself.
func Of(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	t = t.In(rocdate.Taipei)
	return Date{t.Year(), t.Month(), t.Day()}
}

// Parse reads a date as a clerk types it (113.7.7, 1130707, 民國113年7月7日,
// 2024-07-07 …; see rocdate.Parse). The error says, in Chinese, what is wrong.
func Parse(s string) (Date, error) {
	t, err := rocdate.Parse(s)
	if err != nil {
		return Date{}, err
	}
	return fromMidnight(t), nil
}

// ParseISO reads YYYY-MM-DD (the API's and the database's form).
func ParseISO(s string) (Date, error) {
	t, err := rocdate.ParseISO(s)
	if err != nil {
		return Date{}, err
	}
	return fromMidnight(t), nil
}

func fromMidnight(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// Year returns the Gregorian year; ROCYear the year of the Republic.
func (d Date) Year() int         { return d.year }
func (d Date) Month() time.Month { return d.month }
func (d Date) Day() int          { return d.day }

// ROCYear returns the year of the Republic (民國): Gregorian − 1911.
func (d Date) ROCYear() int { return d.year - 1911 }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.Midnight().Weekday() }

// AddDays returns the day n days after d (before, if n < 0).
func (d Date) AddDays(n int) Date { return d.AddDate(0, 0, n) }

// AddDate adds years, months and days as time.AddDate does (113.1.31 + 1 month
// is 113.3.2); the legal period rules that differ live in the legal package.
func (d Date) AddDate(years, months, days int) Date {
	return New(d.year+years, d.month+time.Month(months), d.day+days)
}

// DaysSince returns how many days d is after e (negative when before).
func (d Date) DaysSince(e Date) int {
	return int(d.Midnight().Sub(e.Midnight()).Hours() / 24)
}

// Compare returns -1, 0 or +1 as d is before, the same day as, or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.year != e.year:
		return cmp(d.year, e.year)
	case d.month != e.month:
		return cmp(int(d.month), int(e.month))
	default:
		return cmp(d.day, e.day)
	}
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Equal reports whether d and e are the same day (as d == e).
func (d Date) Equal(e Date) bool { return d == e }

// Before and After compare days.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }
func (d Date) After(e Date) bool  { return d.Compare(e) > 0 }

// Midnight returns d as a time.Time at 00:00 UTC: the form older code and the
// legal engine's arithmetic carry a civil day in. It is not an instant.
func (d Date) Midnight() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, time.UTC)
}

// Start returns the instant d begins in Taipei (00:00 +08:00).
func (d Date) Start() time.Time {
	return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, rocdate.Taipei)
}

// ISO renders YYYY-MM-DD ("" for the zero Date).
func (d Date) ISO() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.year, int(d.month), d.day)
}

// String is ISO.
func (d Date) String() string { return d.ISO() }

// ROC renders 113年7月7日.
func (d Date) ROC() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.ROCYear(), int(d.month), d.day)
}

// ROCLong renders 民國113年7月7日, as documents print it.
func (d Date) ROCLong() string {
	if d.IsZero() {
		return ""
	}
	return "民國" + d.ROC()
}

// ROCShort renders 113.07.07, for tables and input fields.
func (d Date) ROCShort() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d.%02d.%02d", d.ROCYear(), int(d.month), d.day)
}

// MarshalText writes ISO (JSON strings, form values); the zero Date is "".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.ISO()), nil }

// UnmarshalText reads ISO; "" is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseISO(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores d as ISO text; the zero Date is the empty text that optional
// date columns default to.
func (d Date) Value() (driver.Value, error) { return d.ISO(), nil }

// Scan reads a date column: ISO text, or a time the driver made of it.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		return d.UnmarshalText([]byte(v))
	case []byte:
		return d.UnmarshalText(v)
	case time.Time:
		*d = fromMidnight(v.UTC())
		return nil
	}
	return fmt.Errorf("civil: cannot read a date from %T", src)
}
