package person

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/idno"
)

// TestSearchReadsNoMoreThanItShows checks the plans of the two search
// queries on the engine in use: the persons table is read through its index
// in result order and the read stops at the limit before the offices are
// joined, whatever join the planner picks. 300 people share the prefix 林美.
func TestSearchReadsNoMoreThanItShows(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	offices := &office.Store{DB: d}
	if err := offices.SeedTaichung(ctx); err != nil {
		t.Fatal(err)
	}
	o, err := offices.ByCode(ctx, "xitun")
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{DB: d}
	for i := range 300 {
		p := &Person{IDNo: validID(t, fmt.Sprintf("B1%07d", i)), Name: fmt.Sprintf("林美%c", '一'+rune(i)), OfficeID: o.ID}
		if err := s.Create(ctx, audit.Actor{Username: "t", OfficeID: o.ID}, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Exec(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	got, err := s.Search(ctx, "林美", 50)
	if err != nil || len(got) != 50 || got[0].Name != "林美一" {
		t.Fatalf("search 林美: %d people, err %v", len(got), err)
	}

	queries := map[string][]any{
		"by name": {searchByNameSQL, "林美", "林美\U0010ffff", 50},
		"by ID":   {searchByIDSQL, "B1", "B1\uffff", 50},
	}
	for name, q := range queries {
		plan := explain(t, d, q[0].(string), q[1:]...)
		switch d.Engine {
		case db.Postgres:
			if path := pgPathTo(plan, "persons"); !strings.Contains(path, "Limit") || strings.Contains(path[strings.Index(path, "Limit"):], "Sort") {
				t.Errorf("%s: the persons scan is not stopped by the limit before any sort (path %s):\n%s", name, path, plan)
			}
		case db.SQLite:
			// A co-routine for the subquery, a SEARCH of persons on an index, and
			// no temporary sort inside the subquery.
			if !strings.Contains(plan, "SEARCH persons USING INDEX") || strings.Contains(plan, "SCAN persons") {
				t.Errorf("%s: persons is not searched on an index:\n%s", name, plan)
			}
			if i := strings.Index(plan, "SEARCH persons"); i >= 0 && strings.Contains(plan[:i], "TEMP B-TREE") {
				t.Errorf("%s: the subquery sorts its matches:\n%s", name, plan)
			}
		}
	}
}

// validID turns 9 characters into a valid ID number by appending its check digit.
func validID(t *testing.T, first9 string) string {
	t.Helper()
	c, err := idno.CheckDigit(first9)
	if err != nil {
		t.Fatal(err)
	}
	return first9 + string(c)
}

// explain returns the engine's plan for q: PostgreSQL's as JSON, SQLite's as
// the lines of EXPLAIN QUERY PLAN.
func explain(t *testing.T, d *db.DB, q string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	if d.Engine == db.Postgres {
		// Only hash joins allowed: the plan PostgreSQL picks when it misjudges
		// a rare prefix as one row, as it did at city size. Its output is
		// unordered, so a join above an unbounded scan would need a sort.
		tx, err := d.DB.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `SET LOCAL enable_nestloop = off; SET LOCAL enable_mergejoin = off`); err != nil {
			t.Fatal(err)
		}
		var out string
		if err := tx.QueryRowContext(ctx, d.Rebind(`EXPLAIN (FORMAT JSON) `+q), args...).Scan(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	rows, err := d.Query(ctx, `EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// pgPathTo returns the node types from the top of a PostgreSQL JSON plan down
// to the scan of relation, joined by " > ".
func pgPathTo(planJSON, relation string) string {
	type node struct {
		Type     string `json:"Node Type"`
		Relation string `json:"Relation Name"`
		Plans    []node `json:"Plans"`
	}
	var top []struct {
		Plan node `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(planJSON), &top); err != nil || len(top) == 0 {
		return ""
	}
	var walk func(n node, path []string) []string
	walk = func(n node, path []string) []string {
		path = append(path, n.Type)
		if n.Relation == relation {
			return path
		}
		for _, c := range n.Plans {
			if p := walk(c, path); p != nil {
				return p
			}
		}
		return nil
	}
	return strings.Join(walk(top[0].Plan, nil), " > ")
}
