package rocdate

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	want := Date(2024, 7, 7)
	for _, s := range []string{"113.7.7", "113/07/07", "113-7-7", "1130707", "民國113年7月7日", "113年7月7日", "2024-07-07", "20240707", "１１３．７．７", " 113.07.07 ", "西元2024年7月7日"} {
		got, err := Parse(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("Parse(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if d, err := Parse("990917"); err != nil || !d.Equal(Date(2010, 9, 17)) {
		t.Errorf("Parse(990917) = %v, %v", d, err)
	}
	if d, err := Parse("1.1.1"); err != nil || !d.Equal(Date(1912, 1, 1)) {
		t.Errorf("Parse(1.1.1) = %v, %v", d, err)
	}
}

func TestParseInvalid(t *testing.T) {
	for _, s := range []string{"", "abc", "113.2.30", "112.2.29", "113.13.1", "113.0.1", "0.1.1", "11307", "113.7", "113.7.7.7", "113年7月", "2023-02-29", "12345678901", "民國", "113..7"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
	if _, err := Parse("113.2.29"); err != nil {
		t.Errorf("113.2.29 is a leap day: %v", err)
	}
}

func TestFormat(t *testing.T) {
	d := Date(2024, 7, 7)
	if Format(d) != "113年7月7日" || FormatLong(d) != "民國113年7月7日" || FormatShort(d) != "113.07.07" || ISO(d) != "2024-07-07" {
		t.Errorf("formats: %s %s %s %s", Format(d), FormatLong(d), FormatShort(d), ISO(d))
	}
	if Format(time.Time{}) != "" {
		t.Error("zero date should format empty")
	}
	// 23:30 UTC is already the next day in Taipei.
	if got := Today(time.Date(2024, 7, 6, 23, 30, 0, 0, time.UTC)); !got.Equal(d) {
		t.Errorf("Today = %v", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"113.7.7", "1130707", "民國113年7月7日", "2024-07-07", "0.0.0", "999.99.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			return
		}
		// Whatever parses must round-trip through every printed form.
		for _, out := range []string{Format(d), FormatLong(d), FormatShort(d), ISO(d)} {
			d2, err := Parse(out)
			if err != nil || !d2.Equal(d) {
				t.Fatalf("Parse(%q)=%v; reparse of %q = %v, %v", s, d, out, d2, err)
			}
		}
	})
}

// An instant prints as the day it is in Taipei, whatever zone it carries: the
// 印鑑證明 issued at 00:30 on 115.12.08 Taipei (16:30 UTC the day before, 06:30
// in Honolulu) says 115年12月8日 on its page and its PDF alike; a civil date
// (00:00 UTC) stays itself.
func TestFormatReadsInstantsAsTaipeisDay(t *testing.T) {
	honolulu := time.FixedZone("HST", -10*3600)
	issued := time.Date(2026, 12, 8, 0, 30, 0, 0, Taipei)
	for _, in := range []time.Time{issued, issued.UTC(), issued.In(honolulu)} {
		if Format(in) != "115年12月8日" || FormatShort(in) != "115.12.08" || FormatLong(in) != "民國115年12月8日" || ISO(in) != "2026-12-08" || Year(in) != 115 {
			t.Errorf("%s: %s %s %s %s %d", in, Format(in), FormatShort(in), FormatLong(in), ISO(in), Year(in))
		}
		if !Truncate(in).Equal(Date(2026, 12, 8)) {
			t.Errorf("Truncate(%s) = %s", in, Truncate(in))
		}
	}
	// New Year's night: 00:05 on 1 January in Taipei is still 31 December in UTC.
	ny := time.Date(2027, 1, 1, 0, 5, 0, 0, Taipei).UTC()
	if Year(ny) != 116 || ISO(ny) != "2027-01-01" {
		t.Errorf("new year: %d %s", Year(ny), ISO(ny))
	}
	for _, d := range []time.Time{Date(1912, 1, 1), Date(1945, 8, 15), Date(2024, 2, 29), Date(2910, 12, 31)} {
		if back, err := ParseISO(ISO(d)); err != nil || !back.Equal(d) {
			t.Errorf("civil date %s reads back as %s (%v)", d, back, err)
		}
	}
}
