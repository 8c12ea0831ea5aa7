package archive

import (
	"strings"
	"testing"

	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/rocdate"
)

// planQueries cover every shape of search the clerk can make.
var planQueries = map[string]Query{
	"id":                  {IDNo: "A123456789"},
	"id+item+dates":       {IDNo: "A123456789", Item: "birth", From: rocdate.Date(1980, 1, 1), To: rocdate.Date(1990, 1, 1)},
	"id+office":           {IDNo: "A123456789", OfficeID: 3},
	"id+name":             {IDNo: "A123456789", Name: "王大"},
	"id+name part":        {IDNo: "A123456789", Name: "大明", NameContains: true},
	"name prefix":         {Name: "王大"},
	"name prefix+item":    {Name: "王", Item: "marriage"},
	"name prefix+office":  {Name: "王", OfficeID: 3, From: rocdate.Date(1980, 1, 1)},
	"name part":           {Name: "大明", NameContains: true},
	"name part+office":    {Name: "大明", NameContains: true, OfficeID: 3},
	"item":                {Item: "birth"},
	"item+dates":          {Item: "birth", From: rocdate.Date(1980, 1, 1), To: rocdate.Date(1990, 1, 1)},
	"office":              {OfficeID: 3},
	"office+item":         {OfficeID: 3, Item: "death"},
	"office+item+dates":   {OfficeID: 3, Item: "death", From: rocdate.Date(1980, 1, 1)},
	"office+dates":        {OfficeID: 3, To: rocdate.Date(1990, 1, 1)},
	"dates":               {From: rocdate.Date(1980, 1, 1), To: rocdate.Date(1980, 2, 1)},
	"date from only":      {From: rocdate.Date(2020, 1, 1)},
	"everything together": {IDNo: "A123456789", Name: "王", Item: "birth", OfficeID: 3, From: rocdate.Date(1980, 1, 1), To: rocdate.Date(1990, 1, 1)},
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
