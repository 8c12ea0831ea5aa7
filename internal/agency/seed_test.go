package agency

import (
	"strings"
	"testing"
)

// TestSeedRegisterHoldsTheCitysAgencies checks the shipped register: the
// seed's 71 agencies (單位), unique valid codes and names, every category
// used, and every row valid as an administrator would have to enter it.
func TestSeedRegisterHoldsTheCitysAgencies(t *testing.T) {
	if n := SeedAgencyCount(); n != 71 || len(seedAgencies) != 71 {
		t.Errorf("register seed holds %d agencies, the seed has 71", n)
	}
	cats := map[string]bool{}
	for _, c := range SeedCategories {
		if cats[c.Code] {
			t.Errorf("category %s twice", c.Code)
		}
		cats[c.Code] = true
	}
	codes, names := map[string]bool{}, map[string]bool{}
	per := map[string]int{}
	for _, sa := range seedAgencies {
		if codes[sa.code] {
			t.Errorf("agency code %s twice", sa.code)
		}
		codes[sa.code] = true
		if names[sa.name] {
			t.Errorf("agency name %s twice", sa.name)
		}
		names[sa.name] = true
		if !cats[sa.category] {
			t.Errorf("%s: unknown category %q", sa.code, sa.category)
		}
		per[sa.category]++
		if len(sa.kinds) == 0 {
			t.Errorf("%s accepts no change kind", sa.code)
		}
		a := &Agency{Code: sa.code, CategoryID: 1, Name: sa.name, AccountLabel: sa.accountLabel, AccountRequired: sa.accountRequired,
			Delivery: sa.delivery, Encoding: sa.encoding, AgreedDays: 7, Kinds: sa.kinds}
		if err := a.validate(); err != nil {
			t.Errorf("%s: %v", sa.code, err)
		}
		if a.Name != sa.name || strings.ContainsAny(sa.name, " \t") {
			t.Errorf("%s: name %q has spaces", sa.code, sa.name)
		}
	}
	for _, c := range SeedCategories {
		if per[c.Code] == 0 {
			t.Errorf("category %s (%s) has no agency", c.Code, c.Name)
		}
	}
	// Utilities identify the citizen's account: they need its number.
	for _, cat := range []string{"power", "water", "gas", "telecom"} {
		for _, sa := range seedAgencies {
			if sa.category == cat && (!sa.accountRequired || sa.accountLabel == "") {
				t.Errorf("%s: a utility without a required account number", sa.code)
			}
		}
	}
}

// TestSeedRegisterInTheDatabase checks what SeedRegister wrote: every seed
// agency, active, in its category, every category non-empty.
func TestSeedRegisterInTheDatabase(t *testing.T) {
	f := newFixture(t)
	if n := f.count(`SELECT COUNT(*) FROM agencies WHERE active = ?`, true); n != 71 {
		t.Errorf("%d active agencies after the seed, want 71", n)
	}
	for _, c := range SeedCategories {
		want := 0
		for _, sa := range seedAgencies {
			if sa.category == c.Code {
				want++
			}
		}
		got := f.count(`SELECT COUNT(*) FROM agencies a JOIN agency_categories c ON c.id = a.category_id WHERE c.code = ?`, c.Code)
		if got != want || got == 0 {
			t.Errorf("category %s: %d agencies in the database, %d in the seed", c.Code, got, want)
		}
	}
	list, err := f.s.Agencies(f.ctx, AgencyFilter{ActiveOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range list {
		seen[a.Code] = true
	}
	for _, sa := range seedAgencies {
		if !seen[sa.code] {
			t.Errorf("%s missing from the register list", sa.code)
		}
	}
}
