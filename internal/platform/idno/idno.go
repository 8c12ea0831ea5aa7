// Package idno validates Taiwan's personal identifiers: the national ID
// (國民身分證統一編號) and the resident certificate number (居留證統一證號),
// in its pre-2021 form (two letters) and its 2021 form (letter + 8 or 9).
package idno

import (
	"errors"
	"fmt"
	"strings"
)

// Kind tells which identifier a number is.
type Kind int

const (
	Unknown     Kind = iota
	NationalID       // 國民身分證統一編號: A123456789
	ResidentOld      // 舊式居留證統一證號: AB12345678 (before 2021)
	ResidentNew      // 新式居留證統一證號: A800000014 (2021 form)
)

func (k Kind) String() string {
	switch k {
	case NationalID:
		return "國民身分證統一編號"
	case ResidentOld:
		return "居留證統一證號（舊式）"
	case ResidentNew:
		return "居留證統一證號（新式）"
	}
	return "未知"
}

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("統一編號錯誤")

// letterCode maps the leading letter (area of first registration) to its two-digit code.
var letterCode = map[byte]int{
	'A': 10, 'B': 11, 'C': 12, 'D': 13, 'E': 14, 'F': 15, 'G': 16, 'H': 17, 'I': 34,
	'J': 18, 'K': 19, 'L': 20, 'M': 21, 'N': 22, 'O': 35, 'P': 23, 'Q': 24, 'R': 25,
	'S': 26, 'T': 27, 'U': 28, 'V': 29, 'W': 32, 'X': 30, 'Y': 31, 'Z': 33,
}

// Normalize upper-cases and trims the input and turns full-width characters into ASCII.
func Normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= 'ａ' && r <= 'ｚ':
			r = 'A' + (r - 'ａ')
		case r >= 'Ａ' && r <= 'Ｚ':
			r = 'A' + (r - 'Ａ')
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r >= 'a' && r <= 'z':
			r = r - 'a' + 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Validate checks s (after Normalize) and returns its kind, or an error whose
// message tells the clerk what is wrong in Chinese.
func Validate(s string) (Kind, error) {
	s = Normalize(s)
	if len(s) != 10 {
		return Unknown, fmt.Errorf("%w：應為10碼（1個英文字母加9位數字），輸入為%d碼", ErrInvalid, len([]rune(s)))
	}
	code, ok := letterCode[s[0]]
	if !ok {
		return Unknown, fmt.Errorf("%w：第1碼應為英文字母", ErrInvalid)
	}
	var second int
	kind := Unknown
	switch c := s[1]; {
	case c == '1' || c == '2':
		kind, second = NationalID, int(c-'0')
	case c == '8' || c == '9':
		kind, second = ResidentNew, int(c-'0')
	case c >= 'A' && c <= 'D':
		kind, second = ResidentOld, letterCode[c]%10
	default:
		return Unknown, fmt.Errorf("%w：第2碼應為1（男）、2（女），居留證為8、9或A至D", ErrInvalid)
	}
	digits := make([]int, 10)
	digits[1] = second
	for i := 2; i < 10; i++ {
		if s[i] < '0' || s[i] > '9' {
			return Unknown, fmt.Errorf("%w：第3至10碼應為數字", ErrInvalid)
		}
		digits[i] = int(s[i] - '0')
	}
	sum := code/10 + (code%10)*9
	for i := 1; i <= 8; i++ {
		sum += digits[i] * (9 - i)
	}
	sum += digits[9]
	if sum%10 != 0 {
		return Unknown, fmt.Errorf("%w：檢查碼不符，請再核對「%s」", ErrInvalid, s)
	}
	return kind, nil
}

// Valid reports whether s is a valid identifier of any kind.
func Valid(s string) bool {
	_, err := Validate(s)
	return err == nil
}

// CheckDigit returns the digit that completes the first nine characters of an
// identifier (used by the demo data generator).
func CheckDigit(first9 string) (byte, error) {
	for d := byte('0'); d <= '9'; d++ {
		if Valid(first9 + string(d)) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("%w：無法計算「%s」的檢查碼", ErrInvalid, first9)
}

// Sex returns "男" or "女" from a national ID's second digit ("" for other kinds).
func Sex(id string) string {
	id = Normalize(id)
	if k, err := Validate(id); err != nil || k != NationalID {
		return ""
	}
	if id[1] == '1' {
		return "男"
	}
	return "女"
}
