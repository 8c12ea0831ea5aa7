package db_test

import (
	"context"
	"strings"
	"testing"

	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

// TestOpenRefusesTextOutOfCodePointOrder: prefix searches read index ranges
// whose bounds hold only in code-point order, so a PostgreSQL database that
// sorts text another way (an ICU zh-TW collation here) is refused at open with
// the remedy, while a "C" database opens. It runs in both test passes.
func TestOpenRefusesTextOutOfCodePointOrder(t *testing.T) {
	ctx := context.Background()
	c, err := dbtest.StartCluster()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	d, err := db.Open(ctx, c.URL, "")
	if err != nil {
		t.Fatalf("a C database: %v", err)
	}
	defer d.Close()
	if _, err := d.Exec(ctx, `CREATE DATABASE zh TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'zh-TW' LOCALE 'C.UTF-8'`); err != nil {
		t.Fatal(err)
	}
	zh, err := db.Open(ctx, strings.Replace(c.URL, "/postgres?", "/zh?", 1), "")
	if err == nil {
		zh.Close()
		t.Fatal("a database sorting text by zh-TW was opened")
	}
	if !strings.Contains(err.Error(), "code-point order") || !strings.Contains(err.Error(), "LC_COLLATE 'C'") {
		t.Errorf("the refusal does not say why or what to do: %v", err)
	}
}
