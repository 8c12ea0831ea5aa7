package audit_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"ebazhao/internal/migrations"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

// plainSHA256 is the chain's hash as anyone can compute it: the attacker's
// tool, and the hash of the entries written before the chain was keyed.
func plainSHA256(seq int64, at string, userID int64, username string, officeID int64, action, objectKind, objectID,
	personIDNo, client, outcome, detail, prevHash string) string {
	h := sha256.New()
	for _, f := range []string{strconv.FormatInt(seq, 10), at, strconv.FormatInt(userID, 10), username, strconv.FormatInt(officeID, 10),
		action, objectKind, objectID, personIDNo, client, outcome, detail, prevHash} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// rehashFrom recomputes, with plain SHA-256, the hash of every entry from seq
// on and the chain head, as someone with write access to the database would
// after editing an entry.
func rehashFrom(t *testing.T, d *db.DB, from int64) {
	t.Helper()
	ctx := context.Background()
	type row struct {
		seq                                                                             int64
		at, username, action, objectKind, objectID, personIDNo, client, outcome, detail string
		userID, officeID                                                                int64
	}
	rows, err := d.Query(ctx, `SELECT seq, at, COALESCE(user_id, 0), username, COALESCE(office_id, 0), action, object_kind, object_id,
		person_id_no, client, outcome, detail FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.seq, &r.at, &r.userID, &r.username, &r.officeID, &r.action, &r.objectKind, &r.objectID,
			&r.personIDNo, &r.client, &r.outcome, &r.detail); err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	rows.Close()
	prev := ""
	for _, r := range all {
		if r.seq < from {
			if err := d.QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = ?`, r.seq).Scan(&prev); err != nil {
				t.Fatal(err)
			}
			continue
		}
		h := plainSHA256(r.seq, r.at, r.userID, r.username, r.officeID, r.action, r.objectKind, r.objectID, r.personIDNo, r.client, r.outcome, r.detail, prev)
		if _, err := d.Exec(ctx, `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?`, prev, h, r.seq); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
	if _, err := d.Exec(ctx, `UPDATE audit_head SET hash = ? WHERE id = 1`, prev); err != nil {
		t.Fatal(err)
	}
}

// An entry edited and every later hash recomputed with plain SHA-256 — which
// passed verification before the chain was keyed — is caught at the edited
// entry: its hash is not the keyed one.
func TestEditAndRehashWithSHA256IsDetected(t *testing.T) {
	for _, c := range []struct {
		name   string
		tamper string
		seq    int64
	}{
		{"changed detail", `UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 4`, 4},
		{"changed person", `UPDATE audit_log SET person_id_no = 'B123456789' WHERE seq = 7`, 7},
		{"deleted middle, renumbered", `DELETE FROM audit_log WHERE seq = 5`, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := dbtest.New(t)
			ctx := context.Background()
			seed(t, d, 10)
			if _, err := d.Exec(ctx, c.tamper); err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(c.tamper, "DELETE") { // close the gap, as a careful attacker would
				if _, err := d.Exec(ctx, `UPDATE audit_log SET seq = seq - 1 WHERE seq > 5`); err != nil {
					t.Fatal(err)
				}
				if _, err := d.Exec(ctx, `UPDATE audit_head SET seq = seq - 1 WHERE id = 1`); err != nil {
					t.Fatal(err)
				}
			}
			rehashFrom(t, d, c.seq)
			_, p, err := audit.Verify(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if p == nil || p.Seq != c.seq || !strings.Contains(p.Reason, "changed") {
				t.Fatalf("problem = %v; want entry %d changed", p, c.seq)
			}
		})
	}
}

// legacyDB returns a database migrated up to, not including, the keyed chain,
// with n entries appended the way ebazhao did before (plain SHA-256).
func legacyDB(t *testing.T, n int) (*db.DB, []db.Migration) {
	t.Helper()
	ctx := context.Background()
	url, dir := dbtest.URL(t)
	d, err := db.Open(ctx, url, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	ms, err := migrations.All()
	if err != nil {
		t.Fatal(err)
	}
	var before []db.Migration
	for _, m := range ms {
		if m.Name == "audit_keyed" {
			break
		}
		before = append(before, m)
	}
	if len(before) == len(ms) {
		t.Fatal("no audit_keyed migration")
	}
	if _, err := d.Migrate(ctx, before); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		err := d.InTx(ctx, func(tx *db.Tx) error {
			var seq int64
			var prev string
			if err := tx.QueryRow(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&seq, &prev); err != nil {
				return err
			}
			at := db.FormatTime(tx.Now())
			h := plainSHA256(seq, at, 0, "clerk", 0, "person.view", "person", fmt.Sprint(i), "A123456789", "127.0.0.1", audit.OK, "", prev)
			if _, err := tx.Exec(ctx, `INSERT INTO audit_log (seq, at, username, action, object_kind, object_id, person_id_no, client, outcome, detail, prev_hash, hash)
				VALUES (?, ?, 'clerk', 'person.view', 'person', ?, 'A123456789', '127.0.0.1', ?, '', ?, ?)`, seq, at, fmt.Sprint(i), audit.OK, prev, h); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE audit_head SET hash = ? WHERE id = 1`, h)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return d, ms
}

// A database from before the switch keeps its SHA-256 entries verifiable: the
// migration marks the next entry as the first keyed one, and the chain then
// runs on, keyed, from the old entries' last hash.
func TestOldSHA256EntriesStillVerify(t *testing.T) {
	ctx := context.Background()
	d, ms := legacyDB(t, 6)
	if _, err := d.Migrate(ctx, ms); err != nil {
		t.Fatal(err)
	}
	var keyedFrom int64
	if err := d.QueryRow(ctx, `SELECT keyed_from FROM audit_head WHERE id = 1`).Scan(&keyedFrom); err != nil || keyedFrom != 7 {
		t.Fatalf("keyed_from = %d, %v; want 7", keyedFrom, err)
	}
	n, p, err := audit.Verify(ctx, d) // old entries only, no keyed one yet
	if err != nil || p != nil || n != 6 {
		t.Fatalf("Verify after the migration = %d, %v, %v; want 6 intact", n, p, err)
	}
	seed(t, d, 4)
	n, p, err = audit.Verify(ctx, d)
	if err != nil || p != nil || n != 10 {
		t.Fatalf("Verify = %d, %v, %v; want 10 intact", n, p, err)
	}
	// The new entries are keyed: a plain SHA-256 recomputation does not give them.
	var h7 string
	d.QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = 7`).Scan(&h7)
	es, _ := audit.Search(ctx, d, audit.Filter{BeforeSeq: 8, Limit: 1})
	if e := es[0]; h7 == plainSHA256(e.Seq, db.FormatTime(e.At), e.UserID, e.Username, e.OfficeID, e.Action, e.ObjectKind, e.ObjectID, e.PersonIDNo, e.Client, e.Outcome, e.Detail, e.PrevHash) {
		t.Fatal("entry 7 is hashed with plain SHA-256")
	}

	t.Run("old entry changed", func(t *testing.T) {
		d.Exec(ctx, `UPDATE audit_log SET object_id = '99' WHERE seq = 3`)
		defer d.Exec(ctx, `UPDATE audit_log SET object_id = '3' WHERE seq = 3`)
		if _, p, _ := audit.Verify(ctx, d); p == nil || p.Seq != 3 || !strings.Contains(p.Reason, "changed") {
			t.Fatalf("problem = %v; want entry 3 changed", p)
		}
	})
	t.Run("old part rewritten", func(t *testing.T) {
		// Rewriting the old, unkeyed part breaks its link to the first keyed
		// entry, whose stored previous hash its keyed hash covers.
		d.Exec(ctx, `UPDATE audit_log SET object_id = '99' WHERE seq = 3`)
		rehashFrom(t, d, 3)
		_, p, _ := audit.Verify(ctx, d)
		if p == nil || p.Seq != 7 || !strings.Contains(p.Reason, "plain SHA-256") {
			t.Fatalf("problem = %v; want entry 7, the first keyed one, rewritten without the key", p)
		}
	})
}

func TestKeyedFromCannotBeMoved(t *testing.T) {
	for _, c := range []struct {
		name string
		set  string
		seq  int64
	}{
		{"beyond the end", `UPDATE audit_head SET keyed_from = 50`, 11},
		{"later, inside the chain", `UPDATE audit_head SET keyed_from = 6`, 1},
		{"zero", `UPDATE audit_head SET keyed_from = 0`, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := dbtest.New(t)
			ctx := context.Background()
			seed(t, d, 10)
			if _, err := d.Exec(ctx, c.set); err != nil {
				t.Fatal(err)
			}
			_, p, err := audit.Verify(ctx, d)
			if err != nil || p == nil || p.Seq != c.seq {
				t.Fatalf("Verify = %v, %v; want a problem at entry %d", p, err, c.seq)
			}
			t.Logf("detected: %v", p)
		})
	}
	t.Run("appends refuse", func(t *testing.T) {
		d := dbtest.New(t)
		seed(t, d, 3)
		d.Exec(context.Background(), `UPDATE audit_head SET keyed_from = 9`)
		if err := audit.Record(context.Background(), d, audit.Entry{Action: "x"}); err == nil || !strings.Contains(err.Error(), "altered") {
			t.Fatalf("append with keyed_from ahead of the chain: %v", err)
		}
	})
}

func otherKey(b byte) []byte {
	k := make([]byte, 32)
	for i := range k {
		k[i] = b
	}
	return k
}

func TestAppendNeedsTheChainsKey(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	seed(t, d, 3)

	t.Run("no key", func(t *testing.T) {
		t.Setenv(audit.KeyEnv, "")
		saved := d.AuditKey
		d.AuditKey = nil
		defer func() { d.AuditKey = saved }()
		if err := audit.Record(ctx, d, audit.Entry{Action: "x"}); !errors.Is(err, audit.ErrNoKey) {
			t.Fatalf("append without a key: %v", err)
		}
	})
	t.Run("another key", func(t *testing.T) {
		saved := d.AuditKey
		d.AuditKey = otherKey(7)
		defer func() { d.AuditKey = saved }()
		if err := audit.Record(ctx, d, audit.Entry{Action: "x"}); !errors.Is(err, audit.ErrWrongKey) {
			t.Fatalf("append with another key: %v", err)
		}
		_, p, err := audit.Verify(ctx, d)
		if err != nil || p == nil || p.Seq != 1 || !strings.Contains(p.Reason, "not the chain's audit key") {
			t.Fatalf("Verify with another key = %v, %v", p, err)
		}
	})
	t.Run("key id altered", func(t *testing.T) {
		d.Exec(ctx, `UPDATE audit_head SET key_id = 'ffffffffffffffff'`)
		_, p, err := audit.Verify(ctx, d)
		if err != nil || p == nil || !strings.Contains(p.Reason, "key_id was altered") {
			t.Fatalf("Verify = %v, %v", p, err)
		}
	})
	if n, _, _ := audit.Verify(ctx, d); n != 3 {
		t.Fatalf("refused appends left %d entries, want 3", n)
	}
}

func TestOpenKey(t *testing.T) {
	ctx := context.Background()
	t.Setenv(audit.KeyEnv, "")
	d := dbtest.New(t)
	dir := t.TempDir()
	k1, err := audit.OpenKey(ctx, d, dir)
	if err != nil || len(k1) != 32 {
		t.Fatalf("first start: %d-byte key, %v", len(k1), err)
	}
	st, err := os.Stat(filepath.Join(dir, audit.KeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", st.Mode(), err)
	}
	if k2, err := audit.OpenKey(ctx, d, dir); err != nil || string(k2) != string(k1) {
		t.Fatalf("second start read another key: %v", err)
	}
	d.AuditKey = k1
	seed(t, d, 2) // the chain is now keyed with k1

	// Moved to a new machine without the key file: no new key is made up.
	if _, err := audit.OpenKey(ctx, d, t.TempDir()); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("keyed chain, no key file: %v", err)
	}
	// Another installation's key is refused.
	t.Setenv(audit.KeyEnv, base64.StdEncoding.EncodeToString(otherKey(9)))
	if _, err := audit.OpenKey(ctx, d, dir); !errors.Is(err, audit.ErrWrongKey) {
		t.Fatalf("another key: %v", err)
	}
	// The environment wins over the file.
	t.Setenv(audit.KeyEnv, base64.StdEncoding.EncodeToString(k1))
	if k, err := audit.OpenKey(ctx, d, t.TempDir()); err != nil || string(k) != string(k1) {
		t.Fatalf("key from %s: %v", audit.KeyEnv, err)
	}
}
