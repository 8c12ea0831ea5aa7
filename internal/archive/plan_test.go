package archive

import (
	"encoding/json"
	"strings"
	"testing"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

// planQueries cover every shape of search the clerk can make.
var planQueries = map[string]Query{
	"id":                  {IDNo: "A123456789"},
	"id+item+dates":       {IDNo: "A123456789", Item: "birth", From: civil.New(1980, 1, 1), To: civil.New(1990, 1, 1)},
	"id+office":           {IDNo: "A123456789", OfficeID: 3},
	"id+name":             {IDNo: "A123456789", Name: "王大"},
	"id+name part":        {IDNo: "A123456789", Name: "大明", NameContains: true},
	"name prefix":         {Name: "王大"},
	"name prefix+item":    {Name: "王", Item: "marriage"},
	"name prefix+office":  {Name: "王", OfficeID: 3, From: civil.New(1980, 1, 1)},
	"name part":           {Name: "大明", NameContains: true},
	"name part+office":    {Name: "大明", NameContains: true, OfficeID: 3},
	"item":                {Item: "birth"},
	"item+dates":          {Item: "birth", From: civil.New(1980, 1, 1), To: civil.New(1990, 1, 1)},
	"office":              {OfficeID: 3},
	"office+item":         {OfficeID: 3, Item: "death"},
	"office+item+dates":   {OfficeID: 3, Item: "death", From: civil.New(1980, 1, 1)},
	"office+dates":        {OfficeID: 3, To: civil.New(1990, 1, 1)},
	"dates":               {From: civil.New(1980, 1, 1), To: civil.New(1980, 2, 1)},
	"date from only":      {From: civil.New(2020, 1, 1)},
	"everything together": {IDNo: "A123456789", Name: "王", Item: "birth", OfficeID: 3, From: civil.New(1980, 1, 1), To: civil.New(1990, 1, 1)},
}

// TestSearchPlansUseIndexes checks that no search reads a whole table: on SQLite
// every step of EXPLAIN QUERY PLAN is an index SEARCH and prefix queries need no
// sort; on PostgreSQL, with sequential scans priced out, no Seq Scan remains.
func TestSearchPlansUseIndexes(t *testing.T) {
	d := dbtest.New(t)
	for name, q := range planQueries {
		if err := q.normalize(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		stmt, args := searchSQL(q)
		plan, err := explain(t, d, stmt, args)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, stmt)
		}
		if d.Engine == db.SQLite {
			for _, line := range plan {
				// SCAN a, b, m read the small ordered subquery results, not tables.
				if f := strings.Fields(line); len(f) > 1 && f[0] == "SCAN" && f[1] != "a" && f[1] != "b" && f[1] != "m" {
					t.Errorf("%s: full scan %q\nplan:\n%s", name, line, strings.Join(plan, "\n"))
				}
				if !q.NameContains && strings.Contains(line, "TEMP B-TREE FOR ORDER BY") {
					t.Errorf("%s: sorts all matches instead of reading them in index order\nplan:\n%s", name, strings.Join(plan, "\n"))
				}
			}
		} else {
			for _, line := range plan {
				if strings.Contains(line, "Seq Scan") {
					t.Errorf("%s: sequential scan\nplan:\n%s", name, strings.Join(plan, "\n"))
				}
			}
		}
	}
}

func explain(t testing.TB, d *db.DB, stmt string, args []any) ([]string, error) {
	var plan []string
	err := d.InTx(t.Context(), func(tx *db.Tx) error {
		q := "EXPLAIN QUERY PLAN " + stmt
		if d.Engine == db.Postgres {
			if _, err := tx.Exec(t.Context(), "SET LOCAL enable_seqscan = off"); err != nil {
				return err
			}
			q = "EXPLAIN " + stmt
		}
		rows, err := tx.Query(t.Context(), q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			line := vals[len(vals)-1]
			switch v := line.(type) {
			case []byte:
				plan = append(plan, string(v))
			case string:
				plan = append(plan, v)
			}
		}
		return rows.Err()
	})
	return plan, err
}

// TestNamePrefixIsFoundWholeAndEstimatedOnce generates 8,000 documents and
// checks the most common two-character name prefixes: the prefix range finds
// exactly the names that begin with them (code-point order, both engines),
// and PostgreSQL's row estimate for the range is within ten times the truth.
// Counting the prefix twice (a range and a LIKE beside it) made the estimate
// the square of the selectivity: one row for thousands at 10 million
// documents, and a plan that sorted every match.
func TestNamePrefixIsFoundWholeAndEstimatedOnce(t *testing.T) {
	f := newFixture(t)
	if _, err := (&Generator{DB: f.d, Blobs: f.svc.Blobs, Docs: 8000, Seed: 11}).Run(f.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.d.Exec(f.ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	rows, err := f.d.Query(f.ctx, `SELECT substr(name, 1, 2) AS p, COUNT(*) FROM archive_entries GROUP BY p ORDER BY COUNT(*) DESC, p LIMIT 3`)
	if err != nil {
		t.Fatal(err)
	}
	type prefix struct {
		p string
		n int
	}
	var top []prefix
	for rows.Next() {
		var x prefix
		if err := rows.Scan(&x.p, &x.n); err != nil {
			t.Fatal(err)
		}
		top = append(top, x)
	}
	rows.Close()
	if len(top) != 3 || top[2].n < 20 {
		t.Fatalf("the generated names give too few common prefixes: %v", top)
	}
	for _, x := range top {
		lo, hi := prefixRange(x.p)
		var n int
		f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM archive_entries e WHERE e.name >= ? AND e.name < ?`, lo, hi).Scan(&n)
		if n != x.n {
			t.Errorf("prefix %s: the range finds %d entries, %d begin with it", x.p, n, x.n)
		}
		if f.d.Engine != db.Postgres {
			continue
		}
		stmt, args := searchSQL(Query{Name: x.p, Limit: 50})
		var plan string
		if err := f.d.QueryRow(f.ctx, `EXPLAIN (FORMAT JSON) `+stmt, args...).Scan(&plan); err != nil {
			t.Fatal(err)
		}
		est := planRows(plan, "archive_entries")
		if est*10 < float64(x.n) || est > float64(x.n)*10 {
			t.Errorf("prefix %s: PostgreSQL estimates %.0f entries, %d match\n%s", x.p, est, x.n, plan)
		}
	}
}

// planRows is the row estimate of the scan of relation in a JSON plan (the
// index or heap scan, or the bitmap index scan under a bitmap heap scan).
func planRows(planJSON, relation string) float64 {
	type node struct {
		Type     string  `json:"Node Type"`
		Relation string  `json:"Relation Name"`
		Rows     float64 `json:"Plan Rows"`
		Plans    []node  `json:"Plans"`
	}
	var top []struct {
		Plan node `json:"Plan"`
	}
	if json.Unmarshal([]byte(planJSON), &top) != nil || len(top) == 0 {
		return -1
	}
	var find func(n node) float64
	find = func(n node) float64 {
		if n.Relation == relation {
			return n.Rows
		}
		for _, c := range n.Plans {
			if r := find(c); r >= 0 {
				return r
			}
		}
		return -1
	}
	return find(top[0].Plan)
}
