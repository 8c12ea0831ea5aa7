package seal

import (
	"sort"
	"time"

	"ebazhao/internal/platform/rocdate"
)

// CurrentOn is the one rule of whether a person's seal is in force: it
// returns the registration (登記 or 變更) in force at the end of day, or nil.
//
// The events are taken in effective-date order, ties in record order (id),
// whatever order they are given in: a registration starts one, a change
// replaces the one in force (a change with none in force starts nothing), and
// a cancellation (註銷) ends it on its own date. Events dated after day do not
// count yet. Only events in force are passed: a backdated event awaiting a
// supervisor's approval is not in seal_events.
//
// The seal page, the registration form, the API's "registered", the visit
// workbench, comparisons and certificates all ask this function (through
// Store.Current or the history they already read).
func CurrentOn(events []*Event, day time.Time) *Event {
	last := rocdate.ISO(day)
	var cur *Event
	for _, e := range inEffectiveOrder(events) {
		if rocdate.ISO(e.Date) > last {
			break
		}
		switch e.Kind {
		case Register:
			cur = e
		case Change:
			if cur != nil {
				cur = e
			}
		case Cancel:
			cur = nil
		}
	}
	return cur
}

// lastEvent is the latest event in effective order, nil for none: a new
// event may not be dated before it.
func lastEvent(events []*Event) *Event {
	o := inEffectiveOrder(events)
	if len(o) == 0 {
		return nil
	}
	return o[len(o)-1]
}

// inEffectiveOrder returns the events by effective date, ties by record order.
func inEffectiveOrder(events []*Event) []*Event {
	o := append([]*Event(nil), events...)
	sort.SliceStable(o, func(i, j int) bool {
		di, dj := rocdate.ISO(o[i].Date), rocdate.ISO(o[j].Date)
		if di != dj {
			return di < dj
		}
		return o[i].ID < o[j].ID
	})
	return o
}

// Contradicted returns an event recorded after the registration in force
// (cur) yet dated before it, or nil. Such a history was written out of order
// — the rules of AddEvent make it impossible now, but older records may hold
// one, e.g. a cancellation recorded after a registration and dated before it
// — and its meaning is doubtful: no certificate is issued on cur until an
// event of today (a change or a cancellation) settles it.
func Contradicted(events []*Event, cur *Event) *Event {
	if cur == nil {
		return nil
	}
	for _, e := range inEffectiveOrder(events) {
		if e.ID > cur.ID && rocdate.ISO(e.Date) < rocdate.ISO(cur.Date) {
			return e
		}
	}
	return nil
}
