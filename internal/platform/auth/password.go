package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters (RFC 9106 second recommendation, memory-constrained).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash of pw.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the encoded hash.
func CheckPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// ErrWeakPassword is wrapped by CheckStrength errors.
var ErrWeakPassword = errors.New("密碼強度不足")

// CheckStrength applies the policy: at least minLen characters with letters and digits.
func CheckStrength(pw string, minLen int) error {
	if len([]rune(pw)) < minLen {
		return fmt.Errorf("%w：至少需 %d 個字元", ErrWeakPassword, minLen)
	}
	var letter, digit bool
	for _, r := range pw {
		letter = letter || unicode.IsLetter(r)
		digit = digit || unicode.IsDigit(r)
	}
	if !letter || !digit {
		return fmt.Errorf("%w：需同時包含英文字母與數字", ErrWeakPassword)
	}
	return nil
}

// guessedFirst are the letters of the passwords guessed first — the top of
// every breached-password list, keyboard runs, this system's own names and
// roles — so that "password1", "abcd1234", "qwerty2026" or "cashier21" are
// refused whatever digits and signs surround them.
var guessedFirst = map[string]bool{
	"password": true, "passw": true, "passwd": true, "pass": true, "pw": true, "qwerty": true, "qwert": true, "asdf": true,
	"asdfgh": true, "zxcv": true, "zxcvbn": true, "qaz": true, "qazwsx": true, "wsx": true, "qwe": true, "abc": true,
	"abcd": true, "abcde": true, "abcdef": true, "iloveyou": true, "letmein": true, "welcome": true, "admin": true,
	"administrator": true, "root": true, "login": true, "changeme": true, "secret": true, "test": true, "demo": true,
	"user": true, "guest": true, "default": true, "monkey": true, "dragon": true, "master": true, "hello": true,
	"taiwan": true, "taipei": true, "taichung": true, "ebazhao": true, "clerk": true, "cashier": true,
	"supervisor": true, "scanner": true, "office": true, "a": true, "aa": true, "aaa": true, "x": true, "q": true,
}

// CheckStrengthFor is CheckStrength and more for username's new password: it
// may not contain the username, nor be a password guessed first with digits
// and signs around it (作業規範: 密碼應定期更換並避免易猜).
func CheckStrengthFor(pw, username string, minLen int) error {
	if err := CheckStrength(pw, minLen); err != nil {
		return err
	}
	lower := strings.ToLower(pw)
	if u := strings.ToLower(strings.TrimSpace(username)); len(u) >= 3 && strings.Contains(lower, u) {
		return fmt.Errorf("%w：不可包含帳號名稱", ErrWeakPassword)
	}
	letters := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, lower)
	if guessedFirst[letters] || guessedFirst[strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })] {
		return fmt.Errorf("%w：過於常見，容易被猜中（如 password1、abcd1234），請改用較長且不常見的組合", ErrWeakPassword)
	}
	return nil
}

// RandomToken returns n random bytes, URL-safe base64 encoded.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the OS random source does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// OneTimePassword returns an initial password an admin hands to a new user.
func OneTimePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	// guarantee the policy: a letter and a digit
	return string(b[:10]) + "a7"
}
