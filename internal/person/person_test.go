package person_test

import (
	"context"
	"testing"

	"ebazhao/internal/demo"
	"ebazhao/internal/office"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func seeded(t testing.TB, n int) (*db.DB, *person.Store) {
	t.Helper()
	ctx := context.Background()
	d := dbtest.New(t)
	os := &office.Store{DB: d}
	if err := os.SeedTaichung(ctx); err != nil {
		t.Fatal(err)
	}
	o, _ := os.ByCode(ctx, "xitun")
	s := &person.Store{DB: d}
	for _, p := range demo.People(n, o.ID, o.ID) {
		if err := s.Create(ctx, audit.Actor{Username: "t", OfficeID: o.ID}, p); err != nil {
			t.Fatal(err)
		}
	}
	return d, s
}

func TestSearch(t *testing.T) {
	_, s := seeded(t, 200)
	ctx := context.Background()
	extra := &person.Person{IDNo: "A234567893", Name: "𡍼明志", OfficeID: 1} // a rare surname outside the BMP
	if err := s.Create(ctx, audit.Actor{OfficeID: 1}, extra); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		q       string
		atLeast int
		check   func(*person.Person) bool
	}{
		{"A123456789", 1, func(p *person.Person) bool { return p.IDNo == "A123456789" }},
		{"a12345", 1, func(p *person.Person) bool { return p.IDNo[:6] == "A12345" }},
		{"王", 1, func(p *person.Person) bool { return []rune(p.Name)[0] == '王' }},
		{"王大", 1, func(p *person.Person) bool { return p.Name[:len("王大")] == "王大" }},
		{"𡍼", 1, func(p *person.Person) bool { return []rune(p.Name)[0] == '𡍼' }},
		{"%", 0, func(p *person.Person) bool { return false }}, // a wildcard is a literal, matching nobody
		{"_", 0, func(p *person.Person) bool { return false }},
	}
	for _, c := range cases {
		got, err := s.Search(ctx, c.q, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) < c.atLeast || (c.atLeast == 0 && len(got) != 0) {
			t.Errorf("Search(%q) = %d results", c.q, len(got))
		}
		for _, p := range got {
			if !c.check(p) {
				t.Errorf("Search(%q) returned %s %s", c.q, p.IDNo, p.Name)
			}
		}
	}
}

func TestValidateAndDuplicates(t *testing.T) {
	_, s := seeded(t, 1)
	ctx := context.Background()
	bad := []*person.Person{
		{IDNo: "A123456788", Name: "甲"},
		{IDNo: "B120000008", Name: ""},
		{IDNo: "B120000008", Name: "乙", Sex: "X"},
		{IDNo: "B120000008", Name: "乙", Email: "not-an-email"},
	}
	for _, p := range bad {
		if err := s.Create(ctx, audit.Actor{OfficeID: 1}, p); err == nil {
			t.Errorf("accepted %+v", p)
		}
	}
	dup := &person.Person{IDNo: "a123456789", Name: "重複", OfficeID: 1}
	if err := s.Create(ctx, audit.Actor{OfficeID: 1}, dup); err != person.ErrDuplicate {
		t.Errorf("duplicate: %v", err)
	}
	ok := &person.Person{IDNo: "B120000008", Name: " 林 美玲 ", OfficeID: 1}
	if err := s.Create(ctx, audit.Actor{OfficeID: 1}, ok); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ByIDNo(ctx, "b120000008")
	if got.Name != "林 美玲" || got.Sex != "男" {
		t.Errorf("stored %q sex %q", got.Name, got.Sex)
	}
}

// bulk inserts n generated people in one transaction (benchmarks need volume, not audit).
func bulk(b *testing.B, n int) *person.Store {
	d, s := seeded(b, 0)
	ctx := context.Background()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		for _, p := range demo.People(n, 1, 1)[1:] { // the first is already in
			if _, err := tx.Exec(ctx, `INSERT INTO persons (id_no, name, sex, birth_date, addr_household, office_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, 1, '', '')`, p.IDNo, p.Name, p.Sex, p.BirthDate.Format("2006-01-02"), p.AddrHousehold); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkSearch measures the counter's person lookup on 100,000 people.
func BenchmarkSearch(b *testing.B) {
	s := bulk(b, 100_000)
	ctx := context.Background()
	qs := []string{"A123456789", "王", "林美", "B1", "陳志明"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Search(ctx, qs[i%len(qs)], 50); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkByIDNo(b *testing.B) {
	s := bulk(b, 100_000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.ByIDNo(ctx, "A123456789"); err != nil {
			b.Fatal(err)
		}
	}
}
