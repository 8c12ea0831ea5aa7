// Package match ranks short catalogue entries (form names, tip titles) against
// what a clerk types: part of a name, its first characters, or a few characters
// in order (戶登申 finds 戶籍登記申請書). It is shared by the forms library and
// the citizen tips so both search the same way.
package match

import (
	"strings"
	"unicode"
)

// variants folds characters people type interchangeably.
var variants = strings.NewReplacer("台", "臺", "証", "證", "着", "著", "畫", "劃", "户", "戶")

// Normalize lowercases, folds full-width ASCII and variant characters, and drops
// spaces and punctuation, so "台中" matches "臺中" and "ＩＣ卡" matches "ic卡".
func Normalize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～':
			r = r - '！' + '!'
		case r == '　':
			continue
		}
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return variants.Replace(b.String())
}

// Terms splits a query into normalized terms (space separated).
func Terms(q string) []string {
	var out []string
	for _, f := range strings.Fields(strings.ReplaceAll(q, "　", " ")) {
		if n := Normalize(f); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// Field is one searchable text with its weight: a name counts more than a keyword.
type Field struct {
	Text   string // already normalized (use Normalize)
	Weight int    // 1 (description) … 4 (name)
}

// Score ranks fields against the query terms: 0 means no match (every term must
// match some field). Higher is better: an exact name beats a prefix, a prefix
// beats a substring, a substring beats characters in order.
func Score(terms []string, fields ...Field) int {
	if len(terms) == 0 {
		return 0
	}
	total := 0
	for _, t := range terms {
		best := 0
		for _, f := range fields {
			if s := scoreOne(t, f.Text) * f.Weight; s > best {
				best = s
			}
		}
		if best == 0 {
			return 0
		}
		total += best
	}
	return total
}

func scoreOne(term, text string) int {
	if text == "" {
		return 0
	}
	switch {
	case text == term:
		return 1000
	case strings.HasPrefix(text, term):
		return 800 + 100*len(term)/len(text)
	}
	if i := strings.Index(text, term); i >= 0 {
		pos := len([]rune(text[:i]))
		return 600 - min(pos, 50)*2 + 100*len(term)/len(text)
	}
	// Characters in order with gaps: worth less the more they are spread out.
	tr := []rune(term)
	if len(tr) < 2 {
		return 0
	}
	gaps, k, started := 0, 0, false
	for _, r := range text {
		if k == len(tr) {
			break
		}
		if r == tr[k] {
			k++
			started = true
		} else if started {
			gaps++
		}
	}
	if k < len(tr) {
		return 0
	}
	return max(300-gaps*15, 60)
}
