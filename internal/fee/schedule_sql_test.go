package fee

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"ebazhao/internal/platform/dbtest"
)

var update = flag.Bool("update", false, "rewrite ../migrations/0031_fee_schedule.sql from schedule.json")

const scheduleMigration = "../migrations/0031_fee_schedule.sql"

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// scheduleSQL writes the statutory schedule as the seed migration.
func scheduleSQL(s *Schedule) string {
	var b strings.Builder
	b.WriteString("-- The statutory fee schedule and its history, generated from internal/fee/schedule.json\n")
	b.WriteString("-- by `go test ./internal/fee -run TestScheduleMigration -update`. Do not edit by hand.\n")
	for _, v := range s.Versions {
		eff := v.Effective.ISO()
		fmt.Fprintf(&b, "\n-- %s %s\n", eff, v.Basis)
		fmt.Fprintf(&b, "INSERT INTO fee_versions (effective_from, basis, note, source, created_at) VALUES (%s, %s, %s, 'seed', %s);\n",
			sqlString(eff), sqlString(v.Basis), sqlString(v.Note), sqlString(eff+"T00:00:00.000000Z"))
		for i, it := range v.Items {
			aliases, _ := json.Marshal(nonNil(it.Aliases))
			exemptions, _ := json.Marshal(nonNilEx(it.Exemptions))
			fmt.Fprintf(&b, "INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)\n"+
				"    SELECT id, %d, %s, %s, %s, %d, %d, %d, %s, %s, %s, %s FROM fee_versions WHERE effective_from = %s AND withdrawn_at = '';\n",
				i+1, sqlString(it.Code), sqlString(it.Name), sqlString(it.Measure), it.Amount, it.FurtherFrom, it.FurtherAmount,
				sqlString(it.Article), sqlString(it.Note), sqlString(string(aliases)), sqlString(string(exemptions)), sqlString(eff))
		}
	}
	return b.String()
}

// The seed migration is generated from schedule.json and must stay in step.
func TestScheduleMigration(t *testing.T) {
	s, err := Statutory()
	if err != nil {
		t.Fatal(err)
	}
	want := scheduleSQL(s)
	if *update {
		if err := os.WriteFile(scheduleMigration, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(scheduleMigration)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s is out of date: run go test ./internal/fee -run TestScheduleMigration -update", scheduleMigration)
	}
}

// A migrated database holds exactly the embedded schedule.
func TestDatabaseScheduleEqualsEmbedded(t *testing.T) {
	d := dbtest.New(t)
	svc := NewService(d, nil)
	got, err := svc.Schedule(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want, err := Statutory()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Versions) != len(want.Versions) {
		t.Fatalf("%d versions in the database, %d embedded", len(got.Versions), len(want.Versions))
	}
	for i, w := range want.Versions {
		g := got.Versions[i]
		if !g.Effective.Equal(w.Effective) || g.Basis != w.Basis || g.Note != w.Note || g.Source != "seed" {
			t.Errorf("version %d: got %s %q, want %s %q", i, g.Effective.ISO(), g.Basis, w.Effective.ISO(), w.Basis)
		}
		if len(g.Items) != len(w.Items) {
			t.Fatalf("version %s: %d items, want %d", w.Effective.ISO(), len(g.Items), len(w.Items))
		}
		for j := range w.Items {
			gi, wi := g.Items[j], w.Items[j]
			gi.ID = 0
			if gi.Aliases == nil {
				gi.Aliases = []string{}
			}
			if wi.Aliases == nil {
				wi.Aliases = []string{}
			}
			if gi.Exemptions == nil {
				gi.Exemptions = []Exemption{}
			}
			if wi.Exemptions == nil {
				wi.Exemptions = []Exemption{}
			}
			if !reflect.DeepEqual(gi, wi) {
				t.Errorf("version %s item %d:\n got %+v\nwant %+v", w.Effective.ISO(), j, gi, wi)
			}
		}
	}
}
