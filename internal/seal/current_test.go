package seal

import (
	"testing"
	"time"

	"ebazhao/internal/platform/rocdate"
)

func TestCurrentOn(t *testing.T) {
	d := func(y, m, dd int) time.Time { return rocdate.Date(y, time.Month(m), dd) }
	ev := func(id int64, kind string, day time.Time) *Event { return &Event{ID: id, Kind: kind, Date: day} }
	cases := []struct {
		name   string
		events []*Event
		day    time.Time
		want   int64 // the event in force, 0 for none
	}{
		{"nothing", nil, d(2026, 12, 8), 0},
		{"registered", []*Event{ev(1, Register, d(2020, 1, 1))}, d(2026, 12, 8), 1},
		{"not yet registered on the day before", []*Event{ev(1, Register, d(2020, 1, 1))}, d(2019, 12, 31), 0},
		{"registered on its own day", []*Event{ev(1, Register, d(2020, 1, 1))}, d(2020, 1, 1), 1},
		{"changed", []*Event{ev(1, Register, d(2020, 1, 1)), ev(2, Change, d(2022, 5, 5))}, d(2026, 12, 8), 2},
		{"before the change, the first", []*Event{ev(1, Register, d(2020, 1, 1)), ev(2, Change, d(2022, 5, 5))}, d(2022, 5, 4), 1},
		{"a cancellation ends it on its own date", []*Event{ev(1, Register, d(2020, 1, 1)), ev(2, Cancel, d(2026, 12, 5))}, d(2026, 12, 5), 0},
		{"in force the day before the cancellation", []*Event{ev(1, Register, d(2020, 1, 1)), ev(2, Cancel, d(2026, 12, 5))}, d(2026, 12, 4), 1},
		// effective-date order, not record order: a cancellation recorded
		// before a later registration, and one recorded after it
		{"registered again after a cancellation", []*Event{ev(1, Register, d(2020, 1, 1)), ev(2, Cancel, d(2021, 1, 1)), ev(3, Register, d(2023, 1, 1))}, d(2026, 1, 1), 3},
		{"a late-recorded cancellation dated after the registration", []*Event{ev(2, Register, d(2020, 1, 1)), ev(1, Cancel, d(2026, 12, 5))}, d(2026, 12, 8), 0},
		{"given in any order", []*Event{ev(3, Cancel, d(2026, 12, 5)), ev(1, Register, d(2020, 1, 1)), ev(2, Change, d(2024, 1, 1))}, d(2026, 12, 8), 0},
		// ties on a day are broken by record order
		{"registered and cancelled the same day", []*Event{ev(1, Register, d(2026, 12, 8)), ev(2, Cancel, d(2026, 12, 8))}, d(2026, 12, 8), 0},
		{"cancelled and registered again the same day", []*Event{ev(1, Register, d(2020, 1, 1)), ev(2, Cancel, d(2026, 12, 8)), ev(3, Register, d(2026, 12, 8))}, d(2026, 12, 8), 3},
		{"a change with nothing in force starts nothing", []*Event{ev(1, Change, d(2020, 1, 1))}, d(2026, 12, 8), 0},
		{"a future registration is not in force yet", []*Event{ev(1, Register, d(2031, 1, 1))}, d(2026, 12, 8), 0},
		{"a future cancellation does not end it yet", []*Event{ev(1, Register, d(2020, 1, 1)), ev(2, Cancel, d(2031, 1, 1))}, d(2026, 12, 8), 1},
	}
	for _, c := range cases {
		got := CurrentOn(c.events, c.day)
		var id int64
		if got != nil {
			id = got.ID
		}
		if id != c.want {
			t.Errorf("%s: event %d in force, want %d", c.name, id, c.want)
		}
	}
}

func TestBackdated(t *testing.T) {
	today := rocdate.Date(2026, 12, 8)
	for _, c := range []struct {
		day  time.Time
		want bool
	}{{rocdate.Date(2026, 12, 7), true}, {rocdate.Date(2026, 12, 8), false}, {rocdate.Date(2020, 1, 1), true}} {
		if got := Backdated(c.day, today); got != c.want {
			t.Errorf("Backdated(%s): %v", rocdate.ISO(c.day), got)
		}
	}
}
