package form

import (
	"strings"
	"testing"

	"ebazhao/internal/form/match"
)

// seedFormCount is the seed's number of counter forms (作業規範: 戶政常用 119種
// 各式書表，整合分類成 23項).
const seedFormCount = 119

func TestCatalogueSpecsValid(t *testing.T) {
	n := 0
	codes := map[string]bool{}
	names := map[string]string{}
	cats := map[string]bool{}
	for _, c := range Categories {
		cats[c.Code] = true
	}
	if len(Categories) != 23 {
		t.Errorf("%d categories, want 23", len(Categories))
	}
	used := map[string]int{}
	for _, sf := range Catalogue() {
		if codes[sf.Code] || !codePattern.MatchString(sf.Code) {
			t.Errorf("bad or duplicate code %s", sf.Code)
		}
		codes[sf.Code] = true
		if other, dup := names[sf.Name]; dup {
			t.Errorf("%s and %s have the same name %q", other, sf.Code, sf.Name)
		}
		names[sf.Name] = sf.Code
		if !cats[sf.Category] {
			t.Errorf("%s: unknown category %s", sf.Code, sf.Category)
		}
		used[sf.Category]++
		if strings.TrimSpace(sf.Name) == "" || strings.TrimSpace(sf.Keywords) == "" || strings.TrimSpace(sf.Description) == "" {
			t.Errorf("%s: name, keywords and description are all needed to find the form", sf.Code)
		}
		if sf.Effective.IsZero() {
			t.Errorf("%s: no effective date", sf.Code)
		}
		switch sf.Kind {
		case KindFile:
			if sf.Spec != nil {
				t.Errorf("%s: a file entry carries a template", sf.Code)
			}
			continue
		case KindTemplate:
		default:
			t.Errorf("%s: kind %q", sf.Code, sf.Kind)
			continue
		}
		n++
		if sf.Spec == nil {
			t.Errorf("%s: template without a spec", sf.Code)
			continue
		}
		if _, err := ParseSpec([]byte(sf.Spec.JSON())); err != nil {
			t.Errorf("%s: %v", sf.Code, err)
		}
	}
	if len(codes) != seedFormCount {
		t.Errorf("%d forms, want the seed's %d", len(codes), seedFormCount)
	}
	for _, c := range Categories {
		if used[c.Code] == 0 {
			t.Errorf("category %s (%s) has no form", c.Code, c.Name)
		}
	}
	if n < 90 {
		t.Errorf("only %d template forms, want at least 90", n)
	}
	t.Logf("%d forms, %d templates, %d file entries", len(codes), n, len(codes)-n)
}

// TestCatalogueKeepsFirstFormsInPlace: SeedCatalogue numbers forms by their
// position, so the forms shipped first must stay first (an installation seeded
// with them keeps its order when the rest are added).
func TestCatalogueKeepsFirstFormsInPlace(t *testing.T) {
	first := []string{"household-application", "home-service", "birth-application"}
	all := Catalogue()
	for i, code := range first {
		if all[i].Code != code {
			t.Errorf("position %d is %s, want %s", i, all[i].Code, code)
		}
	}
	if last := all[46].Code; last != "doorplate-numbering-application" {
		t.Errorf("47th form is %s, want doorplate-numbering-application", last)
	}
}

// TestCatalogueSearchBestMatches: what clerks type still finds the form they
// mean among all 119 (the forms page and the browser tests rely on these).
func TestCatalogueSearchBestMatches(t *testing.T) {
	catName := map[string]string{}
	for _, c := range Categories {
		catName[c.Code] = c.Name
	}
	var forms []*Form
	for _, sf := range Catalogue() {
		forms = append(forms, &Form{Code: sf.Code, Name: sf.Name, Keywords: sf.Keywords, Description: sf.Description, CategoryName: catName[sf.Category]})
	}
	for q, want := range map[string]string{
		"戶籍登記申":   "household-application",
		"同意書 未成年": "consent-minor",
		"英文謄本":    "transcript-english-application",
		"回復本姓":    "marriage-surname-application",
		"掛失":      "idcard-loss-report",
		"訴願":      "appeal",
		"戶長同意":    "consent-household-head",
		"抽籤":      "birth-surname-lot",
	} {
		hits := Rank(match.Terms(q), forms, 30)
		if len(hits) == 0 || hits[0].Form.Code != want {
			got := "nothing"
			if len(hits) > 0 {
				got = hits[0].Form.Code
			}
			t.Errorf("%q: best match %s, want %s", q, got, want)
		}
	}
	// The combined search shows 20 forms: both passport forms must be among them.
	hits := Rank(match.Terms("護照"), forms, 20)
	found := map[string]bool{}
	for _, h := range hits {
		found[h.Form.Code] = true
	}
	for _, code := range []string{"passport-application", "passport-romanization"} {
		if !found[code] {
			t.Errorf("護照: %s not among the first 20", code)
		}
	}
}
