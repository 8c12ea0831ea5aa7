package fee

import "testing"

func TestCapital(t *testing.T) {
	cases := []struct {
		n    int64
		want string
	}{
		{0, "零"},
		{1, "壹"},
		{10, "壹拾"},
		{15, "壹拾伍"},
		{20, "貳拾"},
		{100, "壹佰"},
		{101, "壹佰零壹"},
		{110, "壹佰壹拾"},
		{130, "壹佰參拾"},
		{250, "貳佰伍拾"},
		{1000, "壹仟"},
		{1010, "壹仟零壹拾"},
		{1200, "壹仟貳佰"},
		{3500, "參仟伍佰"},
		{10000, "壹萬"},
		{10010, "壹萬零壹拾"},
		{10100, "壹萬零壹佰"},
		{100001, "壹拾萬零壹"},
		{110000, "壹拾壹萬"},
		{1001000, "壹佰萬壹仟"},
		{1010000, "壹佰零壹萬"},
		{1234567, "壹佰貳拾參萬肆仟伍佰陸拾柒"},
		{10000100, "壹仟萬零壹佰"},
		{100000000, "壹億"},
		{100001000, "壹億零壹仟"},
		{100010000, "壹億零壹萬"},
		{987654321, "玖億捌仟柒佰陸拾伍萬肆仟參佰貳拾壹"},
		{1000000000000, "壹兆"},
		{-130, "負壹佰參拾"},
		{9223372036854775807, "玖佰貳拾貳京參仟參佰柒拾貳兆零參佰陸拾捌億伍仟肆佰柒拾柒萬伍仟捌佰零柒"},
	}
	for _, c := range cases {
		if got := Capital(c.n); got != c.want {
			t.Errorf("Capital(%d) = %s, want %s", c.n, got, c.want)
		}
	}
}

func TestCapitalAmount(t *testing.T) {
	for n, want := range map[int64]string{0: "新臺幣零元整", 15: "新臺幣壹拾伍元整", 130: "新臺幣壹佰參拾元整", 100001: "新臺幣壹拾萬零壹元整"} {
		if got := CapitalAmount(n); got != want {
			t.Errorf("CapitalAmount(%d) = %s, want %s", n, got, want)
		}
	}
}

func FuzzCapital(f *testing.F) {
	for _, n := range []int64{0, 10, 1010, 100001, 1234567} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		if n < 0 {
			n = -n
		}
		if n < 0 {
			return
		}
		s := Capital(n)
		if n != 0 && parseCapital(s) != n {
			t.Fatalf("Capital(%d) = %s reads back as %d", n, s, parseCapital(s))
		}
	})
}

// parseCapital reads capital numerals back (for the fuzz test).
func parseCapital(s string) int64 {
	digit := map[rune]int64{'零': 0, '壹': 1, '貳': 2, '參': 3, '肆': 4, '伍': 5, '陸': 6, '柒': 7, '捌': 8, '玖': 9}
	unit := map[rune]int64{'拾': 10, '佰': 100, '仟': 1000}
	group := map[rune]int64{'萬': 1e4, '億': 1e8, '兆': 1e12, '京': 1e16}
	var total, section, d int64
	for _, r := range s {
		switch {
		case r == '零':
			d = 0
		case digit[r] > 0:
			d = digit[r]
		case unit[r] > 0:
			section += d * unit[r]
			d = 0
		case group[r] > 0:
			section += d
			// Groups are written high to low; add the section at its scale.
			total += section * group[r]
			section, d = 0, 0
		}
	}
	return total + section + d
}
