// Package fee is the 戶政規費 subsystem: the fee schedule as effective-dated data,
// quotes, receipts with gapless crash-safe numbers, voids and reprints, the
// cashier's daily settlement and the monthly and yearly summaries.
//
// Where things are:
//
//	schedule.go    fee items and versions (戶政規費收費標準), the quote rules
//	schedule.json  the statutory schedule and its history, embedded
//	numerals.go    amounts in capital numerals (新臺幣壹佰參拾元整)
//	store.go       schedule versions in the database
//	receipt.go     issuing (numbering, idempotency), listing, reprints
//	void.go        void requests, supervisor approval, late corrections
//	settlement.go  the day's settlement and closing it; summaries
//	receipt_pdf.go the A5 receipt;  xlsx.go  spreadsheet exports
//	handlers*.go   pages and the JSON API
package fee

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"ebazhao/internal/platform/civil"
)

// Exemption is a reason a line is charged less (減免事由).
type Exemption struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	// Percent is the share still payable: 0 free, 50 half.
	Percent int `json:"percent"`
}

// Item is one fee item of a schedule version (規費項目).
type Item struct {
	ID      int64  `json:"-"` // fee_items row; 0 for the embedded schedule
	Code    string `json:"code"`
	Name    string `json:"name"`
	Measure string `json:"measure"` // 張, 份, 次, 件
	Amount  int64  `json:"amount"`
	// FurtherFrom, when not 0, is the copy from which FurtherAmount applies within
	// one application: "first copy 100, from the 2nd copy 15" is 2 and 15.
	FurtherFrom   int         `json:"further_from,omitempty"`
	FurtherAmount int64       `json:"further_amount,omitempty"`
	Article       string      `json:"article,omitempty"`
	Note          string      `json:"note,omitempty"`
	Aliases       []string    `json:"aliases,omitempty"`
	Exemptions    []Exemption `json:"exemptions,omitempty"`
}

// Rule describes the item's price in words: 每張15元, 第1張100元，第2張起每張15元.
func (it *Item) Rule() string {
	if it.FurtherFrom > 1 {
		first := fmt.Sprintf("第1%s", it.Measure)
		if it.FurtherFrom > 2 {
			first = fmt.Sprintf("第1至%d%s每%s", it.FurtherFrom-1, it.Measure, it.Measure)
		}
		return fmt.Sprintf("%s%d元，第%d%s起每%s%d元", first, it.Amount, it.FurtherFrom, it.Measure, it.Measure, it.FurtherAmount)
	}
	return fmt.Sprintf("每%s%d元", it.Measure, it.Amount)
}

// Exemption returns the item's exemption with code.
func (it *Item) Exemption(code string) (Exemption, bool) {
	for _, e := range it.Exemptions {
		if e.Code == code {
			return e, true
		}
	}
	return Exemption{}, false
}

// Version is the whole fee schedule in force from Effective until the next
// version takes effect (戶政規費收費標準 as amended).
type Version struct {
	ID          int64      `json:"id,omitempty"`
	Effective   civil.Date `json:"effective"`
	Basis       string     `json:"basis"`
	Note        string     `json:"note,omitempty"`
	Source      string     `json:"source,omitempty"` // seed or manual
	CreatedBy   string     `json:"created_by,omitempty"`
	CreatedAt   time.Time  `json:"-"`
	WithdrawnAt time.Time  `json:"-"`
	Items       []Item     `json:"items"`

	index map[string]int
}

// nameKey normalizes an item name or code for lookup: no spaces, half-width
// parentheses and digits, upper-case Latin letters.
func nameKey(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r >= 'ａ' && r <= 'ｚ':
			r = 'A' + (r - 'ａ')
		case r >= 'Ａ' && r <= 'Ｚ':
			r = 'A' + (r - 'Ａ')
		case r >= 'a' && r <= 'z':
			r = 'A' + (r - 'a')
		case r == ' ' || r == '\u3000' || r == '\t':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (v *Version) buildIndex() {
	v.index = map[string]int{}
	for i := range v.Items {
		it := &v.Items[i]
		for _, k := range append([]string{it.Code, it.Name}, it.Aliases...) {
			if _, taken := v.index[nameKey(k)]; !taken {
				v.index[nameKey(k)] = i
			}
		}
	}
}

// Find returns the item named (or coded, or aliased) s.
func (v *Version) Find(s string) (*Item, bool) {
	if v.index == nil { // not built yet (a version being edited): search
		k := nameKey(s)
		for i := range v.Items {
			it := &v.Items[i]
			for _, n := range append([]string{it.Code, it.Name}, it.Aliases...) {
				if nameKey(n) == k {
					return it, true
				}
			}
		}
		return nil, false
	}
	i, ok := v.index[nameKey(s)]
	if !ok {
		return nil, false
	}
	return &v.Items[i], true
}

// validate checks a version's items; messages are for the supervisor.
func (v *Version) validate() error {
	if v.Effective.IsZero() {
		return &InputError{Field: "effective", Message: "請填寫施行日期"}
	}
	if strings.TrimSpace(v.Basis) == "" {
		return &InputError{Field: "basis", Message: "請填寫法規依據（如：戶政規費收費標準 ○○年○○月○○日修正）"}
	}
	if len(v.Items) == 0 {
		return &InputError{Field: "items", Message: "收費標準至少須有一個項目"}
	}
	codes, names := map[string]bool{}, map[string]bool{}
	for i := range v.Items {
		it := &v.Items[i]
		it.Code, it.Name, it.Measure = strings.TrimSpace(it.Code), strings.TrimSpace(it.Name), strings.TrimSpace(it.Measure)
		switch {
		case it.Code == "" || it.Name == "":
			return &InputError{Field: "items", Message: fmt.Sprintf("第%d項：代碼與名稱不可空白", i+1)}
		case codes[nameKey(it.Code)]:
			return &InputError{Field: "items", Message: fmt.Sprintf("代碼「%s」重複", it.Code)}
		case names[nameKey(it.Name)]:
			return &InputError{Field: "items", Message: fmt.Sprintf("項目「%s」重複", it.Name)}
		case it.Measure == "":
			return &InputError{Field: "items", Message: fmt.Sprintf("「%s」：請填寫計費單位（張、份、次、件）", it.Name)}
		case it.Amount < 0 || it.Amount > 1_000_000:
			return &InputError{Field: "items", Message: fmt.Sprintf("「%s」：金額須為0至1,000,000元", it.Name)}
		case it.FurtherFrom == 1 || it.FurtherFrom < 0 || it.FurtherFrom > 99:
			return &InputError{Field: "items", Message: fmt.Sprintf("「%s」：續份計價須自第2份（含）以後起算", it.Name)}
		case it.FurtherFrom == 0 && it.FurtherAmount != 0:
			return &InputError{Field: "items", Message: fmt.Sprintf("「%s」：有續份金額時須填寫自第幾份起算", it.Name)}
		case it.FurtherAmount < 0 || it.FurtherAmount > 1_000_000:
			return &InputError{Field: "items", Message: fmt.Sprintf("「%s」：續份金額須為0至1,000,000元", it.Name)}
		}
		codes[nameKey(it.Code)], names[nameKey(it.Name)] = true, true
		seen := map[string]bool{}
		for _, e := range it.Exemptions {
			if e.Code == "" || e.Label == "" || e.Percent < 0 || e.Percent > 100 || seen[e.Code] {
				return &InputError{Field: "items", Message: fmt.Sprintf("「%s」：減免事由須有代碼、說明，且應繳比例為0至100%%，代碼不重複", it.Name)}
			}
			seen[e.Code] = true
		}
	}
	v.buildIndex()
	return nil
}

// InputError is invalid input; Message is a Chinese sentence for the user.
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string { return e.Message }

// IsInputError reports whether err is (or wraps) an *InputError.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// Schedule is every version, ordered by effective date.
type Schedule struct {
	Versions []*Version
}

// On returns the version in force on day (a civil date).
func (s *Schedule) On(day civil.Date) (*Version, error) {
	var in *Version
	for _, v := range s.Versions {
		if !v.WithdrawnAt.IsZero() {
			continue
		}
		if v.Effective.After(day) {
			break
		}
		in = v
	}
	if in == nil {
		first := ""
		if len(s.Versions) > 0 {
			first = "（最早之收費標準自" + s.Versions[0].Effective.ROC() + "起）"
		}
		return nil, &InputError{Field: "date", Message: day.ROC() + "無適用之規費收費標準" + first}
	}
	return in, nil
}

// explainMissing tells why name is not in the version in force on day.
func (s *Schedule) explainMissing(name string, day civil.Date) string {
	for _, v := range s.Versions {
		if !v.WithdrawnAt.IsZero() {
			continue
		}
		if it, ok := v.Find(name); ok {
			if v.Effective.After(day) {
				return fmt.Sprintf("「%s」自%s起方列入收費標準，%s尚不適用", it.Name, v.Effective.ROC(), day.ROC())
			}
			return fmt.Sprintf("「%s」於%s已不在收費標準內", it.Name, day.ROC())
		}
	}
	return fmt.Sprintf("查無規費項目「%s」", name)
}

// QuoteRequest is what the clerk (or the API) asks a price for: one application.
type QuoteRequest struct {
	Date  string      `json:"date,omitempty"` // ISO or ROC date; default today
	Items []QuoteItem `json:"items"`
}

// QuoteItem is one requested item.
type QuoteItem struct {
	Item   string `json:"item"`
	Qty    *int   `json:"qty,omitempty"`    // default 1
	Exempt string `json:"exempt,omitempty"` // exemption code, if any
}

// Line is one priced line of a quote or receipt.
type Line struct {
	Item        string `json:"item"`
	Qty         int    `json:"qty"`
	Unit        int64  `json:"unit"` // price of the line's first copy
	Amount      int64  `json:"amount"`
	Code        string `json:"code"`
	Measure     string `json:"measure"`
	Exempt      string `json:"exempt,omitempty"`
	ExemptLabel string `json:"exempt_label,omitempty"`
	Detail      string `json:"detail,omitempty"`
	ItemID      int64  `json:"-"`
	lineNo      int
}

// VersionRef names the schedule version a quote used.
type VersionRef struct {
	ID        int64      `json:"id,omitempty"`
	Effective civil.Date `json:"effective"`
	Basis     string     `json:"basis"`
}

// Quote is the priced application.
type Quote struct {
	Date       civil.Date `json:"date"`
	DateROC    string     `json:"date_roc"`
	Version    VersionRef `json:"version"`
	Lines      []Line     `json:"lines"`
	Total      int64      `json:"total"`
	TotalWords string     `json:"total_words"`
}

// MaxLines and MaxQty bound one application.
const (
	MaxLines = 40
	MaxQty   = 999
)

// ParseDay reads a quote or receipt date (ISO 2025-07-07 or ROC 114.7.7); empty
// means today.
func ParseDay(s string, now time.Time) (civil.Date, error) {
	if strings.TrimSpace(s) == "" {
		return civil.Of(now), nil
	}
	d, err := civil.Parse(s)
	if err != nil {
		return civil.Date{}, &InputError{Field: "date", Message: "日期：" + err.Error()}
	}
	return d, nil
}

// Quote prices items on day with the version in force that day.
func (s *Schedule) Quote(day civil.Date, items []QuoteItem) (*Quote, error) {
	v, err := s.On(day)
	if err != nil {
		return nil, err
	}
	return s.quoteWith(v, day, items)
}

func (s *Schedule) quoteWith(v *Version, day civil.Date, items []QuoteItem) (*Quote, error) {
	if len(items) == 0 {
		return nil, &InputError{Field: "items", Message: "請至少輸入一個規費項目"}
	}
	if len(items) > MaxLines {
		return nil, &InputError{Field: "items", Message: fmt.Sprintf("一張收據最多%d個項目", MaxLines)}
	}
	q := &Quote{Date: day, DateROC: day.ROC(),
		Version: VersionRef{ID: v.ID, Effective: v.Effective, Basis: v.Basis}}
	copies := map[string]int{} // copies of each item already priced in this application
	for i, req := range items {
		qty := 1
		if req.Qty != nil {
			qty = *req.Qty
		}
		if qty < 1 || qty > MaxQty {
			return nil, &InputError{Field: fmt.Sprintf("items[%d].qty", i), Message: fmt.Sprintf("第%d項數量須為1至%d", i+1, MaxQty)}
		}
		if strings.TrimSpace(req.Item) == "" {
			return nil, &InputError{Field: fmt.Sprintf("items[%d].item", i), Message: fmt.Sprintf("第%d項未填寫規費項目", i+1)}
		}
		it, ok := v.Find(req.Item)
		if !ok {
			return nil, &InputError{Field: fmt.Sprintf("items[%d].item", i), Message: s.explainMissing(req.Item, day)}
		}
		line := Line{Item: it.Name, Qty: qty, Code: it.Code, Measure: it.Measure, ItemID: it.ID}
		before := copies[it.Code]
		copies[it.Code] += qty
		full, further := qty, 0
		if it.FurtherFrom > 1 {
			full = max(0, min(qty, it.FurtherFrom-1-before))
			further = qty - full
		}
		line.Amount = int64(full)*it.Amount + int64(further)*it.FurtherAmount
		line.Unit = it.Amount
		if full == 0 {
			line.Unit = it.FurtherAmount
		}
		if it.FurtherFrom > 1 {
			line.Detail = it.Rule()
			if before > 0 {
				line.Detail += fmt.Sprintf("（同一申請已計%d%s）", before, it.Measure)
			}
		}
		if code := strings.TrimSpace(req.Exempt); code != "" {
			e, ok := it.Exemption(code)
			if !ok {
				return nil, &InputError{Field: fmt.Sprintf("items[%d].exempt", i), Message: fmt.Sprintf("「%s」無「%s」減免事由", it.Name, code)}
			}
			line.Exempt, line.ExemptLabel = e.Code, e.Label
			line.Amount = (line.Amount*int64(e.Percent) + 50) / 100
			if line.Detail != "" {
				line.Detail += "；"
			}
			line.Detail += "減免：" + e.Label
		}
		q.Lines = append(q.Lines, line)
		q.Total += line.Amount
	}
	q.TotalWords = CapitalAmount(q.Total)
	return q, nil
}

// versionJSON is a version as written in schedule.json: changes from the previous.
type versionJSON struct {
	Effective string   `json:"effective"`
	Basis     string   `json:"basis"`
	Note      string   `json:"note"`
	Set       []Item   `json:"set"`
	Remove    []string `json:"remove"`
}

//go:embed schedule.json
var statutoryJSON []byte

// Statutory returns the schedule embedded in the binary: 戶政規費收費標準 and its
// history (LEGAL.md §7), each version expanded to the full list of items.
func Statutory() (*Schedule, error) {
	var doc struct {
		Versions []versionJSON `json:"versions"`
	}
	if err := json.Unmarshal(statutoryJSON, &doc); err != nil {
		return nil, fmt.Errorf("fee: schedule.json: %w", err)
	}
	s := &Schedule{}
	var items []Item
	for _, vj := range doc.Versions {
		eff, err := civil.ParseISO(vj.Effective)
		if err != nil {
			return nil, fmt.Errorf("fee: schedule.json %s: %w", vj.Effective, err)
		}
		if n := len(s.Versions); n > 0 && !eff.After(s.Versions[n-1].Effective) {
			return nil, fmt.Errorf("fee: schedule.json: %s is not after the previous version", vj.Effective)
		}
		next := append([]Item(nil), items...)
		for _, code := range vj.Remove {
			found := false
			for i := range next {
				if next[i].Code == code {
					next = append(next[:i], next[i+1:]...)
					found = true
					break
				}
			}
			if !found {
				return nil, fmt.Errorf("fee: schedule.json %s: remove unknown code %s", vj.Effective, code)
			}
		}
		for _, it := range vj.Set {
			replaced := false
			for i := range next {
				if next[i].Code == it.Code {
					next[i], replaced = it, true
				}
			}
			if !replaced {
				next = append(next, it)
			}
		}
		sort.SliceStable(next, func(a, b int) bool { return next[a].Code < next[b].Code })
		v := &Version{Effective: eff, Basis: vj.Basis, Note: vj.Note, Source: "seed", Items: next}
		if err := v.validate(); err != nil {
			return nil, fmt.Errorf("fee: schedule.json %s: %w", vj.Effective, err)
		}
		s.Versions = append(s.Versions, v)
		items = next
	}
	return s, nil
}

// Calc prices a quote request given as JSON with the embedded statutory schedule
// (no database): the `ebazhao calc fees` command. Invalid input is an *InputError.
func Calc(body []byte, now time.Time) (*Quote, error) {
	var req QuoteRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, &InputError{Field: "body", Message: "輸入須為 JSON，如 {\"date\": \"2025-07-07\", \"items\": [{\"item\": \"戶籍謄本\", \"qty\": 2}]}：" + err.Error()}
	}
	day, err := ParseDay(req.Date, now)
	if err != nil {
		return nil, err
	}
	s, err := Statutory()
	if err != nil {
		return nil, err
	}
	return s.Quote(day, req.Items)
}
