package match

import "testing"

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"台中市":         "臺中市",
		"ＩＣ卡":         "ic卡",
		" 戶籍　登記 ":     "戶籍登記",
		"印鑑證明（委任）":    "印鑑證明委任",
		"E-mail 電子信箱": "email電子信箱",
		"身分証":         "身分證",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScoreOrder(t *testing.T) {
	name := func(s string) Field { return Field{Text: Normalize(s), Weight: 4} }
	terms := Terms("戶籍登記")
	exact := Score(Terms("戶籍登記申請書"), name("戶籍登記申請書"))
	prefix := Score(terms, name("戶籍登記申請書"))
	inside := Score(terms, name("初設戶籍登記申請書"))
	spread := Score(Terms("戶登申"), name("戶籍登記申請書"))
	none := Score(Terms("護照"), name("戶籍登記申請書"))
	if !(exact > prefix && prefix > inside && inside > spread && spread > 0 && none == 0) {
		t.Errorf("exact %d > prefix %d > inside %d > spread %d > none %d does not hold", exact, prefix, inside, spread, none)
	}
	// Every term must match; a name beats a keyword.
	if Score(Terms("戶籍 護照"), name("戶籍登記申請書")) != 0 {
		t.Error("a query term matching nothing still scored")
	}
	kw := Score(terms, Field{Text: Normalize("戶籍登記"), Weight: 3})
	if kw >= Score(terms, name("戶籍登記")) {
		t.Error("keyword weighs as much as the name")
	}
	if Score(nil, name("x")) != 0 || Score(Terms("戶"), name("")) != 0 {
		t.Error("empty query or empty field scored")
	}
}
