// Package rocdate parses and formats dates in the Republic of China (民國) calendar,
// the way clerks type them and documents print them.
//
// A date is carried as a time.Time at 00:00 UTC holding the civil (Gregorian) day;
// only the calendar day matters. ROC year = Gregorian year − 1911. Every
// formatter reads its argument as Taipei's calendar day, so an instant (an issue
// time, the clock's now) prints as the day it was in Taipei, whatever its zone,
// and a civil date (00:00 UTC, 08:00 in Taipei) prints as itself.
package rocdate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// yearOffset is the difference between a Gregorian year and its ROC year.
const yearOffset = 1911

// Taipei is the time zone every office works in.
var Taipei = mustLoadTaipei()

func mustLoadTaipei() *time.Location {
	loc, err := time.LoadLocation("Asia/Taipei")
	if err != nil {
		// No tzdata on the machine: Taiwan has had no DST since 1979, so a fixed zone is exact.
		return time.FixedZone("Asia/Taipei", 8*3600)
	}
	return loc
}

// ErrInvalid is wrapped by every parse error.
var ErrInvalid = errors.New("日期格式錯誤")

// Date returns the civil day y-m-d (Gregorian) as a date value.
func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Truncate returns the civil day of t as seen in Taipei.
func Truncate(t time.Time) time.Time {
	t = t.In(Taipei)
	return Date(t.Year(), t.Month(), t.Day())
}

// Today returns the current civil day in Taipei.
func Today(now time.Time) time.Time { return Truncate(now) }

// Parse reads a date as clerks type it:
//
//	113.7.7   113/07/07   113-7-7   1130707   0990917   民國113年7月7日   113年7月7日
//	2024-07-07   20240707
//
// Full-width digits and punctuation are accepted. The day must exist.
func Parse(s string) (time.Time, error) {
	orig := s
	s = normalize(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("%w：未填寫日期", ErrInvalid)
	}
	roc := true
	if strings.HasPrefix(s, "民國") {
		s = strings.TrimPrefix(s, "民國")
	} else if strings.HasPrefix(s, "西元") {
		s = strings.TrimPrefix(s, "西元")
		roc = false
	}
	var parts []string
	switch {
	case strings.ContainsAny(s, "年月日"):
		s = strings.TrimSuffix(s, "日")
		parts = strings.FieldsFunc(s, func(r rune) bool { return r == '年' || r == '月' })
	case strings.ContainsAny(s, ".-/"):
		parts = strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '-' || r == '/' })
	default:
		if !allDigits(s) {
			return time.Time{}, fmt.Errorf("%w：「%s」", ErrInvalid, orig)
		}
		switch len(s) {
		case 6, 7: // ROC compact: YYMMDD or YYYMMDD
			parts = []string{s[:len(s)-4], s[len(s)-4 : len(s)-2], s[len(s)-2:]}
		case 8: // Gregorian compact
			parts = []string{s[:4], s[4:6], s[6:]}
			roc = false
		default:
			return time.Time{}, fmt.Errorf("%w：「%s」應為7位數字（如1130707）", ErrInvalid, orig)
		}
	}
	if len(parts) != 3 {
		return time.Time{}, fmt.Errorf("%w：「%s」需有年、月、日", ErrInvalid, orig)
	}
	nums := make([]int, 3)
	for i, p := range parts {
		if !allDigits(p) || len(p) > 4 {
			return time.Time{}, fmt.Errorf("%w：「%s」", ErrInvalid, orig)
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return time.Time{}, fmt.Errorf("%w：「%s」", ErrInvalid, orig)
		}
		nums[i] = n
	}
	y, m, d := nums[0], nums[1], nums[2]
	// A four-digit year written with separators is Gregorian (2024-07-07).
	if roc && len(parts[0]) == 4 {
		roc = false
	}
	if roc {
		if y < 1 {
			return time.Time{}, fmt.Errorf("%w：民國年份須大於0", ErrInvalid)
		}
		y += yearOffset
	}
	// ROC years have at most three digits (民國999年 = 2910); beyond that a
	// printed ROC year would read back as a Gregorian one.
	if y < 1912 || y > yearOffset+999 {
		return time.Time{}, fmt.Errorf("%w：年份超出範圍", ErrInvalid)
	}
	if m < 1 || m > 12 {
		return time.Time{}, fmt.Errorf("%w：月份須為1至12", ErrInvalid)
	}
	t := Date(y, time.Month(m), d)
	if d < 1 || t.Day() != d {
		return time.Time{}, fmt.Errorf("%w：%d年%d月沒有%d日", ErrInvalid, y-yearOffset, m, d)
	}
	return t, nil
}

// ParseISO reads YYYY-MM-DD only (the API's format).
func ParseISO(s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%w：「%s」應為 YYYY-MM-DD", ErrInvalid, s)
	}
	return t, nil
}

// day returns the Taipei calendar day of t (a civil date stays itself).
func day(t time.Time) time.Time { return t.In(Taipei) }

// Year returns the ROC year of t's day in Taipei.
func Year(t time.Time) int { return day(t).Year() - yearOffset }

// Format renders t as 113年7月7日.
func Format(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = day(t)
	return fmt.Sprintf("%d年%d月%d日", Year(t), int(t.Month()), t.Day())
}

// FormatLong renders t as 民國113年7月7日, as printed on documents.
func FormatLong(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return "民國" + Format(t)
}

// FormatShort renders t as 113.07.07, for tables and input fields.
func FormatShort(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = day(t)
	return fmt.Sprintf("%d.%02d.%02d", Year(t), int(t.Month()), t.Day())
}

// ISO renders t as YYYY-MM-DD.
func ISO(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return day(t).Format("2006-01-02")
}

// FormatDateTime renders an instant in Taipei as 113.07.07 14:03:09.
func FormatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	l := t.In(Taipei)
	return fmt.Sprintf("%d.%02d.%02d %02d:%02d:%02d", l.Year()-yearOffset, int(l.Month()), l.Day(), l.Hour(), l.Minute(), l.Second())
}

func normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '．' || r == '。':
			r = '.'
		case r == '／':
			r = '/'
		case r == '－' || r == '–':
			r = '-'
		case unicode.IsSpace(r):
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
