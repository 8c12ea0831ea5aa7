package idno

import "testing"

func TestValidate(t *testing.T) {
	cases := []struct {
		in   string
		kind Kind
		ok   bool
	}{
		{"A123456789", NationalID, true}, // the textbook example
		{"a123456789", NationalID, true}, // lower case is normalized
		{"Ａ１２３４５６７８９", NationalID, true}, // full-width
		{"F131104093", NationalID, true},
		{"A123456788", Unknown, false}, // wrong check digit
		{"A323456789", Unknown, false}, // second digit not 1/2/8/9/A-D
		{"A12345678", Unknown, false},  // too short
		{"1123456789", Unknown, false}, // no letter
		{"A12345678X", Unknown, false}, // letter in digits
		{"AC01234568", Unknown, false}, // old resident, wrong check
		{"AC01234567", ResidentOld, true},
		{"AA00000009", ResidentOld, true},
		{"A800000014", ResidentNew, true},
		{"A800000015", Unknown, false},
		{"", Unknown, false},
	}
	for _, c := range cases {
		k, err := Validate(c.in)
		if (err == nil) != c.ok || k != c.kind {
			t.Errorf("Validate(%q) = %v, %v; want kind %v ok %v", c.in, k, err, c.kind, c.ok)
		}
	}
}

func TestCheckDigitRoundTrip(t *testing.T) {
	for _, p := range []string{"A12345678", "Z28765432", "B80000001", "FA1234567"} {
		d, err := CheckDigit(p)
		if err != nil {
			t.Fatalf("CheckDigit(%q): %v", p, err)
		}
		if !Valid(p + string(d)) {
			t.Errorf("%s%c not valid", p, d)
		}
		// exactly one digit completes a prefix
		n := 0
		for x := byte('0'); x <= '9'; x++ {
			if Valid(p + string(x)) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d check digits valid, want 1", p, n)
		}
	}
}

func TestSex(t *testing.T) {
	if Sex("A123456789") != "男" || Sex("A234567891") != "" && Sex("A234567891") != "女" {
		t.Error("Sex wrong")
	}
}

func FuzzValidate(f *testing.F) {
	for _, s := range []string{"A123456789", "AC01234568", "A800000014", "", "ＡＢ", "A1234567890"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := Validate(s)
		if err == nil {
			n := Normalize(s)
			if len(n) != 10 || k == Unknown {
				t.Fatalf("accepted %q (normalized %q) as %v", s, n, k)
			}
			// changing the check digit must make it invalid
			last := n[9]
			other := byte('0' + (last-'0'+1)%10)
			if Valid(n[:9] + string(other)) {
				t.Fatalf("%q valid with two check digits", n)
			}
		} else if k != Unknown {
			t.Fatalf("error with kind %v", k)
		}
	})
}
