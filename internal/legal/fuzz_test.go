package legal

import (
	"testing"

	"ebazhao/internal/legal/calendar"
)

// FuzzPeriod checks the roll-over invariants of 行政程序法第48條第4項 for any start
// date and period: deadline ≥ raw_end, the deadline is an open office day, and no
// open day lies between raw_end and the deadline.
func FuzzPeriod(f *testing.F) {
	seeds := []struct {
		offset int
		period string
	}{
		{0, "30日"}, {5852, "30日"}, {5857, "1個月"}, {5865, "60日"}, {5886, "3個月又30日"},
		{6233, "1年"}, {6588, "30日"}, {6589, "30日"}, {6444, "30日"}, {6100, "6個月"},
		{-400, "30日"}, {7300, "2年"}, {7700, "1年6個月"}, {100, "2星期"}, {3000, "七日"},
	}
	for _, s := range seeds {
		f.Add(s.offset, s.period)
	}
	cal := calendar.Default().WithClosures([]Closure{
		{Date: d("2024-07-25"), City: "臺中市", Reason: "颱風"},
		{Date: d("2024-02-17"), City: "臺中市", Reason: "颱風（補行上班日）"},
	})
	base := d("2008-01-01")
	f.Fuzz(func(t *testing.T, offset int, period string) {
		if offset < -3000 || offset > 9000 {
			offset %= 9000
		}
		start := base.AddDays(offset)
		for _, c := range []*Calendar{calendar.Default(), cal} {
			r, err := AddPeriod(c, start, period)
			if err != nil {
				if !IsInputError(err) {
					t.Fatalf("unexpected error type %T: %v", err, err)
				}
				return
			}
			raw, dl := r.RawEnd.Date, r.Deadline.Date
			if dl.Before(raw) {
				t.Fatalf("%s + %q: deadline %s before raw end %s", start.ISO(), period, dl.ISO(), raw.ISO())
			}
			if !c.IsOpen(dl) {
				t.Fatalf("%s + %q: deadline %s is closed", start.ISO(), period, dl.ISO())
			}
			for x := raw; x.Before(dl); x = x.AddDays(1) {
				if c.IsOpen(x) {
					t.Fatalf("%s + %q: open day %s between raw end %s and deadline %s", start.ISO(), period,
						x.ISO(), raw.ISO(), dl.ISO())
				}
			}
			if r.Extended != !dl.Equal(raw) {
				t.Fatalf("extended flag %v for raw %s deadline %s", r.Extended, raw, dl)
			}
			if r.MorningOnly && (dl.Weekday() != 1 || raw.Weekday() != 6 || dl.DaysSince(raw) != 2) {
				t.Fatalf("morning_only for raw %s deadline %s", raw, dl)
			}
			if !raw.After(start) {
				t.Fatalf("raw end %s not after start %s", raw, start)
			}
		}
	})
}
