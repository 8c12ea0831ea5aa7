package form

import "testing"

func TestCatalogueSpecsValid(t *testing.T) {
	n := 0
	codes := map[string]bool{}
	cats := map[string]bool{}
	for _, c := range Categories {
		cats[c.Code] = true
	}
	if len(Categories) != 23 {
		t.Errorf("%d categories, want 23", len(Categories))
	}
	used := map[string]bool{}
	for _, sf := range Catalogue() {
		if codes[sf.Code] || !codePattern.MatchString(sf.Code) {
			t.Errorf("bad or duplicate code %s", sf.Code)
		}
		codes[sf.Code] = true
		if !cats[sf.Category] {
			t.Errorf("%s: unknown category %s", sf.Code, sf.Category)
		}
		used[sf.Category] = true
		if sf.Kind != KindTemplate {
			continue
		}
		n++
		if _, err := ParseSpec([]byte(sf.Spec.JSON())); err != nil {
			t.Errorf("%s: %v", sf.Code, err)
		}
	}
	for c := range cats {
		if !used[c] {
			t.Errorf("category %s has no form", c)
		}
	}
	if n < 30 {
		t.Errorf("only %d template forms, want at least 30", n)
	}
	t.Logf("%d forms, %d templates", len(codes), n)
}
