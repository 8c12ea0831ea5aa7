package civil

import (
	"encoding/json"
	"testing"
	"time"
)

func TestOfIsTaipeisDay(t *testing.T) {
	honolulu := time.FixedZone("HST", -10*3600)
	for _, c := range []struct {
		at   time.Time
		want Date
	}{
		// 2026-12-31 23:30 in Honolulu is already 01-01 17:30 in Taipei.
		{time.Date(2026, 12, 31, 23, 30, 0, 0, honolulu), New(2027, 1, 1)},
		// 16:00 UTC is Taipei's midnight.
		{time.Date(2026, 12, 31, 15, 59, 59, 0, time.UTC), New(2026, 12, 31)},
		{time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), New(2027, 1, 1)},
		// A civil day carried as 00:00 UTC stays itself.
		{time.Date(2024, 7, 7, 0, 0, 0, 0, time.UTC), New(2024, 7, 7)},
	} {
		if got := Of(c.at); got != c.want {
			t.Errorf("Of(%v) = %v, want %v", c.at, got, c.want)
		}
	}
	if !Of(time.Time{}).IsZero() {
		t.Error("the zero instant must give the zero Date")
	}
}

func TestParseAndFormat(t *testing.T) {
	d, err := Parse("民國113年7月7日")
	if err != nil || d != New(2024, 7, 7) {
		t.Fatalf("Parse = %v, %v", d, err)
	}
	if d.ROC() != "113年7月7日" || d.ROCLong() != "民國113年7月7日" || d.ROCShort() != "113.07.07" || d.ISO() != "2024-07-07" || d.ROCYear() != 113 {
		t.Errorf("formats: %s %s %s %s %d", d.ROC(), d.ROCLong(), d.ROCShort(), d.ISO(), d.ROCYear())
	}
	if _, err := Parse("113.2.30"); err == nil {
		t.Error("113.2.30 accepted")
	}
	if _, err := ParseISO("113.2.3"); err == nil {
		t.Error("ParseISO accepted an ROC date")
	}
	var z Date
	if z.ROC() != "" || z.ISO() != "" || z.ROCShort() != "" || !z.Midnight().IsZero() {
		t.Error("the zero Date must print as nothing")
	}
}

func TestArithmeticAndOrder(t *testing.T) {
	d := New(2024, 1, 31)
	if got := d.AddDate(0, 1, 0); got != New(2024, 3, 2) {
		t.Errorf("113.1.31 + 1 month = %v (time.AddDate semantics)", got)
	}
	if got := New(2026, 12, 31).AddDays(1); got != New(2027, 1, 1) {
		t.Errorf("AddDays over the year = %v", got)
	}
	if n := New(2027, 3, 1).DaysSince(New(2027, 2, 1)); n != 28 {
		t.Errorf("DaysSince = %d", n)
	}
	if !New(2026, 12, 31).Before(New(2027, 1, 1)) || New(2027, 1, 1).Compare(New(2027, 1, 1)) != 0 || !New(2027, 2, 1).After(New(2027, 1, 31)) {
		t.Error("order")
	}
	if New(2026, 12, 8).Weekday() != time.Tuesday {
		t.Error("weekday")
	}
	if s := New(2027, 1, 1).Start(); !s.Equal(time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("Start = %v", s)
	}
}

func TestStorageAndJSON(t *testing.T) {
	d := New(2026, 12, 8)
	v, _ := d.Value()
	if v != "2026-12-08" {
		t.Errorf("Value = %v", v)
	}
	var back Date
	for _, src := range []any{"2026-12-08", []byte("2026-12-08"), time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)} {
		if err := back.Scan(src); err != nil || back != d {
			t.Errorf("Scan(%T) = %v, %v", src, back, err)
		}
	}
	if err := back.Scan(""); err != nil || !back.IsZero() {
		t.Errorf("Scan(\"\") = %v, %v", back, err)
	}
	if err := back.Scan(42); err == nil {
		t.Error("Scan(int) accepted")
	}
	b, _ := json.Marshal(struct {
		D Date `json:"d"`
		Z Date `json:"z"`
	}{D: d})
	if string(b) != `{"d":"2026-12-08","z":""}` {
		t.Errorf("JSON = %s", b)
	}
	var in struct{ D Date }
	if err := json.Unmarshal([]byte(`{"D":"2026-02-30"}`), &in); err == nil {
		t.Error("JSON accepted a day that does not exist")
	}
}
