package archive

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/idno"
)

// Query is a search of the archive (作業規範 叁.七(二)): any combination of
// person ID, name (prefix, or any part), item, date range and original office.
type Query struct {
	IDNo         string
	Name         string
	NameContains bool // match any part of the name, not only its beginning
	Item         string
	From, To     civil.Date
	OfficeID     int64
	Limit        int
	Offset       int
}

// Empty reports whether q has no criterion.
func (q Query) Empty() bool {
	return q.IDNo == "" && q.Name == "" && q.Item == "" && q.From.IsZero() && q.To.IsZero() && q.OfficeID == 0
}

// Hit is one document found.
type Hit struct {
	DocID      int64
	OfficeID   int64
	OfficeName string
	Item       string
	ItemLabel  string
	RegDate    civil.Date
	Volume     string
	PageRef    string
	PageCount  int
	Version    int
	Persons    []Person
	ThumbSHA   string // first page's thumbnail
}

// Result is a page of hits; More tells whether another page follows.
type Result struct {
	Hits []Hit
	More bool
}

// normalize checks q and fills the defaults; errors are *InputError.
func (q *Query) normalize() error {
	q.IDNo = idno.Normalize(q.IDNo)
	q.Name = strings.TrimSpace(q.Name)
	q.Item = strings.TrimSpace(q.Item)
	if q.IDNo != "" {
		if _, err := idno.Validate(q.IDNo); err != nil {
			return &InputError{Msg: "統一編號" + strings.TrimPrefix(err.Error(), "統一編號")}
		}
	}
	if q.NameContains && q.Name != "" && utf8.RuneCountInString(q.Name) < 2 {
		return &InputError{Msg: "以部分姓名查詢時請至少輸入2個字"}
	}
	if utf8.RuneCountInString(q.Name) > 60 {
		return &InputError{Msg: "姓名過長"}
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return &InputError{Msg: "日期區間的迄日早於起日"}
	}
	if q.Empty() {
		return &InputError{Msg: "請至少輸入一個查詢條件"}
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	if q.Offset < 0 || q.Offset > 10000 {
		return &InputError{Msg: "查詢結果過多，請縮小查詢條件"}
	}
	return nil
}

// prefixRange returns the half-open range [lo, hi) of exactly the strings
// starting with p in code-point order — SQLite's BINARY collation and
// PostgreSQL's "C", which db.Open requires: an index range scan on both
// engines, and a single condition the planners estimate well. (A LIKE beside
// it made PostgreSQL count the restriction twice: at 10 million documents it
// judged a two-character prefix to be one row and sorted every match.) The
// last character is stepped to the next code point, skipping the surrogates
// and carrying past the largest one.
func prefixRange(p string) (string, string) {
	r := []rune(p)
	for i := len(r) - 1; i >= 0; i-- {
		switch r[i] {
		case utf8.MaxRune:
			continue // carry: drop it, step the one before
		case 0xD7FF:
			r[i] = 0xE000
		default:
			r[i]++
		}
		return p, string(r[:i+1])
	}
	return p, p + string(utf8.MaxRune) // only U+10FFFF: no name is made of it
}

// searchSQL builds the statement of q (normalized); its plan uses an index for
// every combination of criteria (see TestSearchPlansUseIndexes).
func searchSQL(q Query) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if q.IDNo == "" && q.Name == "" {
		add("d.current = ?", true)
		if q.OfficeID != 0 {
			add("d.office_id = ?", q.OfficeID)
		}
		if q.Item != "" {
			add("d.item = ?", q.Item)
		}
		if !q.From.IsZero() {
			add("d.reg_date >= ?", q.From)
		}
		if !q.To.IsZero() {
			add("d.reg_date <= ?", q.To)
		}
		args = append(args, q.Limit+1, q.Offset)
		return `SELECT d.id FROM archive_docs d WHERE ` + strings.Join(where, " AND ") +
			` ORDER BY d.reg_date DESC, d.id DESC LIMIT ? OFFSET ?`, args
	}
	filters := func(alias string) {
		if q.OfficeID != 0 {
			add(alias+".office_id = ?", q.OfficeID)
		}
		if q.Item != "" {
			add(alias+".item = ?", q.Item)
		}
		if !q.From.IsZero() {
			add(alias+".reg_date >= ?", q.From)
		}
		if !q.To.IsZero() {
			add(alias+".reg_date <= ?", q.To)
		}
	}
	if q.IDNo != "" {
		add("e.id_no = ?", q.IDNo)
		if q.Name != "" {
			if q.NameContains {
				add(`e.name LIKE ? ESCAPE '\'`, "%"+escapeLike(q.Name)+"%")
			} else {
				lo, hi := prefixRange(q.Name)
				add(`e.name >= ? AND e.name < ?`, lo, hi)
			}
		}
		filters("e")
		args = append(args, q.Limit+1, q.Offset)
		return `SELECT e.doc_id FROM archive_entries e WHERE ` + strings.Join(where, " AND ") +
			` ORDER BY e.reg_date DESC, e.id DESC LIMIT ? OFFSET ?`, args
	}
	lo, hi := prefixRange(q.Name)
	if !q.NameContains {
		add(`e.name >= ? AND e.name < ?`, lo, hi)
		filters("e")
		args = append(args, q.Limit+1, q.Offset)
		return `SELECT e.doc_id FROM archive_entries e WHERE ` + strings.Join(where, " AND ") +
			` ORDER BY e.name, e.reg_date, e.id LIMIT ? OFFSET ?`, args
	}
	// Any part of the name: the name begins with it, or one of its suffixes does.
	// Each branch reads its index in order and stops after enough rows; the
	// merge sorts at most twice a page (ordered by the matching part).
	add(`e.name >= ? AND e.name < ?`, lo, hi)
	filters("e")
	first := strings.Join(where, " AND ")
	n := q.Offset + q.Limit + 1
	args = append(args, n)
	where = nil
	add(`k.name_key >= ? AND k.name_key < ?`, lo, hi)
	filters("e")
	second := strings.Join(where, " AND ")
	args = append(args, n, q.Limit+1, q.Offset)
	return `SELECT doc_id FROM (SELECT * FROM (SELECT e.doc_id, e.name AS k, e.id FROM archive_entries e WHERE ` + first +
		` ORDER BY e.name, e.reg_date, e.id LIMIT ?) a UNION ALL SELECT * FROM (SELECT e.doc_id, k.name_key AS k, e.id FROM archive_name_keys k` +
		` JOIN archive_entries e ON e.id = k.entry_id WHERE ` + second + ` ORDER BY k.name_key, k.entry_id LIMIT ?) b) m ORDER BY k, id LIMIT ? OFFSET ?`, args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Search runs q and returns one page of documents.
func (s *Service) Search(ctx context.Context, q Query) (*Result, error) {
	if err := q.normalize(); err != nil {
		return nil, err
	}
	if q.Item != "" {
		it, err := s.ItemByText(ctx, s.DB, q.Item)
		if err != nil {
			return nil, err
		}
		q.Item = it.Code
	}
	stmt, args := searchSQL(q)
	rows, err := s.DB.Query(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("archive search: %w", err)
	}
	var ids []int64
	seen := map[int64]bool{}
	n := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		n++
		if n > q.Limit {
			break
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	res := &Result{More: n > q.Limit}
	if res.Hits, err = s.hits(ctx, ids); err != nil {
		return nil, err
	}
	return res, nil
}

// hits loads the documents ids in that order, with persons and first thumbnails.
func (s *Service) hits(ctx context.Context, ids []int64) ([]Hit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	byID := map[int64]*Hit{}
	rows, err := s.DB.Query(ctx, `SELECT d.id, d.office_id, o.name, d.item, COALESCE(it.label, d.item), d.reg_date, d.volume, d.page_ref,
		d.page_count, d.version FROM archive_docs d JOIN offices o ON o.id = d.office_id LEFT JOIN archive_items it ON it.code = d.item
		WHERE d.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.DocID, &h.OfficeID, &h.OfficeName, &h.Item, &h.ItemLabel, &h.RegDate, &h.Volume, &h.PageRef, &h.PageCount, &h.Version); err != nil {
			rows.Close()
			return nil, err
		}
		byID[h.DocID] = &h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.DB.Query(ctx, `SELECT doc_id, id_no, name, role FROM archive_entries WHERE doc_id IN (`+in+`) ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var p Person
		if err := rows.Scan(&id, &p.IDNo, &p.Name, &p.Role); err != nil {
			rows.Close()
			return nil, err
		}
		if h := byID[id]; h != nil {
			h.Persons = append(h.Persons, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.DB.Query(ctx, `SELECT doc_id, thumb_sha256 FROM archive_pages WHERE doc_id IN (`+in+`) AND page_no = 1`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var sha string
		if err := rows.Scan(&id, &sha); err != nil {
			rows.Close()
			return nil, err
		}
		if h := byID[id]; h != nil {
			h.ThumbSHA = sha
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Hit, 0, len(ids))
	for _, id := range ids {
		if h := byID[id]; h != nil {
			out = append(out, *h)
		}
	}
	return out, nil
}
