package audit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func seed(t *testing.T, d *db.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 1; i <= n; i++ {
		e := audit.Entry{Username: "clerk", Action: "person.view", ObjectKind: "person", ObjectID: fmt.Sprint(i), PersonIDNo: "A123456789", Client: "127.0.0.1"}
		if err := audit.Record(ctx, d, e); err != nil {
			t.Fatal(err)
		}
	}
}

func TestVerifyIntact(t *testing.T) {
	d := dbtest.New(t)
	seed(t, d, 10)
	n, p, err := audit.Verify(context.Background(), d)
	if err != nil || p != nil || n != 10 {
		t.Fatalf("Verify = %d, %v, %v; want 10 intact", n, p, err)
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	cases := []struct {
		name    string
		tamper  string
		wantSeq int64
		reason  string
	}{
		{"changed detail", `UPDATE audit_log SET detail = 'x' WHERE seq = 4`, 4, "changed"},
		{"changed person", `UPDATE audit_log SET person_id_no = 'B123456789' WHERE seq = 7`, 7, "changed"},
		{"deleted middle", `DELETE FROM audit_log WHERE seq = 5`, 5, "missing"},
		{"deleted last", `DELETE FROM audit_log WHERE seq = 10`, 10, "missing"},
		{"rehashed row", `UPDATE audit_log SET hash = 'abc' WHERE seq = 3`, 3, "changed"},
		{"deleted first", `DELETE FROM audit_log WHERE seq = 1`, 1, "missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := dbtest.New(t)
			seed(t, d, 10)
			if _, err := d.Exec(context.Background(), c.tamper); err != nil {
				t.Fatal(err)
			}
			_, p, err := audit.Verify(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			if p == nil {
				t.Fatal("tampering not detected")
			}
			if p.Seq != c.wantSeq || !strings.Contains(p.Reason, c.reason) {
				t.Errorf("problem = %v; want entry %d %s", p, c.wantSeq, c.reason)
			}
		})
	}
}

func TestConcurrentAppendsStayChained(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		go func(w int) {
			var err error
			for i := 0; i < 25 && err == nil; i++ {
				err = audit.Record(ctx, d, audit.Entry{Username: fmt.Sprint("u", w), Action: "x"})
			}
			errs <- err
		}(w)
	}
	for w := 0; w < 8; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	n, p, err := audit.Verify(ctx, d)
	if err != nil || p != nil || n != 200 {
		t.Fatalf("Verify = %d, %v, %v", n, p, err)
	}
}

func TestSearch(t *testing.T) {
	d := dbtest.New(t)
	seed(t, d, 5)
	es, err := audit.Search(context.Background(), d, audit.Filter{Action: "person.", Limit: 3})
	if err != nil || len(es) != 3 || es[0].Seq != 5 {
		t.Fatalf("Search = %d entries, %v", len(es), err)
	}
}
