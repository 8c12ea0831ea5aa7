package fee

import "strings"

// Chinese capital numerals (大寫數字) as written on Taiwanese receipts and
// cheques: 壹貳參肆伍陸柒捌玖, units 拾佰仟, groups 萬億兆. Conventions kept:
//
//   - 拾 always has its digit (10 → 壹拾, 110000 → 壹拾壹萬), so nothing can be
//     written in front of it;
//   - one 零 stands for any run of zeros between two written digits, also across
//     a group (1010 → 壹仟零壹拾, 100001 → 壹拾萬零壹, 100001000 → 壹億零壹仟), except
//     zeros that end a group, which its unit carries (1001000 → 壹佰萬壹仟);
//     trailing zeros are not written;
//   - amounts end in 元整 (whole dollars) and start with 新臺幣 on a receipt.

var capitalDigits = []string{"零", "壹", "貳", "參", "肆", "伍", "陸", "柒", "捌", "玖"}
var capitalUnits = []string{"", "拾", "佰", "仟"}
var capitalGroups = []string{"", "萬", "億", "兆", "京"}

// Capital writes n in capital numerals without currency: 1234 → 壹仟貳佰參拾肆.
// Negative amounts (corrections) are prefixed with 負.
func Capital(n int64) string {
	if n == 0 {
		return "零"
	}
	var b strings.Builder
	if n < 0 {
		b.WriteString("負")
		n = -n
	}
	var digits []int
	for m := n; m > 0; m /= 10 {
		digits = append(digits, int(m%10))
	}
	written, zero := false, false
	for p := len(digits) - 1; p >= 0; p-- {
		d := digits[p]
		if d == 0 {
			zero = written
		} else {
			if zero {
				b.WriteString("零")
				zero = false
			}
			b.WriteString(capitalDigits[d])
			b.WriteString(capitalUnits[p%4])
			written = true
		}
		if p%4 == 0 && p > 0 && groupHasDigit(digits, p) {
			// Zeros closing a group are carried by its unit: 1001000 → 壹佰萬壹仟.
			b.WriteString(capitalGroups[p/4])
			zero = false
		}
	}
	return b.String()
}

// groupHasDigit reports whether the four-digit group ending at position p (its
// lowest digit) holds a non-zero digit.
func groupHasDigit(digits []int, p int) bool {
	for i := p; i < p+4 && i < len(digits); i++ {
		if digits[i] != 0 {
			return true
		}
	}
	return false
}

// CapitalAmount writes an amount as printed on a receipt: 新臺幣壹佰參拾元整.
func CapitalAmount(n int64) string { return "新臺幣" + Capital(n) + "元整" }
