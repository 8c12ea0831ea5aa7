package notice

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/seqno"
)

// numbers returns the document numbers of an office and kind, in order.
func (f *fixture) numbers(officeID int64, kind Kind) []int64 {
	f.t.Helper()
	rows, err := f.d.Query(f.ctx, `SELECT seq FROM documents WHERE office_id = ? AND kind = ? ORDER BY seq`, officeID, string(kind))
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

func gapless(t testing.TB, what string, got []int64, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("%s: %d numbers, want %d", what, len(got), n)
	}
	for i, v := range got {
		if v != int64(i+1) {
			t.Fatalf("%s: number %d at position %d (gap or duplicate): %v", what, v, i+1, got)
		}
	}
}

// Sixteen clerks save at the same instant: every number is used once, in order.
func TestNumberingIsGaplessUnderSixteenConcurrentIssuers(t *testing.T) {
	f := setup(t)
	const issuers, each = 16, 4
	clerks := []Clerk{f.clerk, f.clerk2, f.super}
	in := Input{Kind: KindNotice, Subtype: "換領國民身分證", Recipient: Recipient{IDNo: "A123456789"}}
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, issuers*each*2)
	for i := 0; i < issuers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			for j := 0; j < each; j++ {
				if _, err := f.s.Issue(f.ctx, clerks[i%len(clerks)], in); err != nil {
					errs <- err
				}
				// Interleave another kind and another office: separate sequences.
				if j == 0 {
					other := Input{Kind: KindConfirm, Subtype: "補領國民身分證", AcceptedDate: "113.7.15", Recipient: Recipient{IDNo: "B220000000"}}
					c := clerks[i%len(clerks)]
					if i%2 == 1 {
						c = f.other
					}
					if _, err := f.s.Issue(f.ctx, c, other); err != nil {
						errs <- err
					}
				}
			}
		}(i)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent issue: %v", err)
	}
	gapless(t, "西屯 notices", f.numbers(f.xitun.ID, KindNotice), issuers*each)
	gapless(t, "西屯 confirmations", f.numbers(f.xitun.ID, KindConfirm), issuers/2)
	gapless(t, "北屯 confirmations", f.numbers(f.beitun.ID, KindConfirm), issuers/2)
	var dup int
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) - COUNT(DISTINCT doc_no) FROM documents`).Scan(&dup)
	if dup != 0 {
		t.Errorf("%d duplicate document numbers", dup)
	}
	last, _ := seqno.Peek(f.ctx, f.d, seqno.Scope("doc.notice", f.xitun.ID, 113))
	if last != issuers*each {
		t.Errorf("sequence at %d, want %d", last, issuers*each)
	}
	// Numbers follow save order: the later issued_at never has the smaller number.
	rows, _ := f.d.Query(f.ctx, `SELECT seq FROM documents WHERE office_id = ? AND kind = 'notice' ORDER BY id`, f.xitun.ID)
	var prev int64
	for rows.Next() {
		var n int64
		rows.Scan(&n)
		if n <= prev {
			t.Errorf("number %d saved after %d", n, prev)
		}
		prev = n
	}
	rows.Close()
}

// childEnv tells the test binary to act as an issuing process (see TestMain).
const childEnv = "EBAZHAO_NOTICE_CHILD"

// runChild issues documents in a loop; after the committed ones it takes the
// next number and stops inside the transaction, before the commit, until it is
// killed.
func runChild() {
	ctx := context.Background()
	d, err := db.Open(ctx, os.Getenv(childEnv+"_DB"), "")
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(3)
	}
	now, _ := time.Parse(time.RFC3339, os.Getenv(childEnv+"_NOW"))
	commits, _ := strconv.Atoi(os.Getenv(childEnv + "_COMMITS"))
	user, _ := strconv.ParseInt(os.Getenv(childEnv+"_USER"), 10, 64)
	officeID, _ := strconv.ParseInt(os.Getenv(childEnv+"_OFFICE"), 10, 64)
	s := NewService(d)
	s.Now = func() time.Time { return now }
	done := 0
	s.numbered = func() {
		if done == commits {
			fmt.Println("NUMBERED")
			os.Stdout.Sync()
			select {} // hold the transaction open until killed
		}
		done++
	}
	clerk := Clerk{UserID: user, Username: "clerk", Name: "王小明", OfficeID: officeID}
	for {
		if _, err := s.Issue(ctx, clerk, Input{Kind: KindNotice, Subtype: "換領國民身分證", Recipient: Recipient{IDNo: "A123456789"}}); err != nil {
			fmt.Println("ERROR", err)
			os.Exit(3)
		}
	}
}

// A process killed (SIGKILL) after taking a number and writing the document, but
// before the commit, leaves neither a hole nor a duplicate.
func TestIssueKilledMidTransactionLeavesNoHole(t *testing.T) {
	f := setup(t)
	url := f.d.URL
	if f.d.Engine == db.SQLite {
		url = "sqlite:" + url
	}
	for round, commits := range []int{3, 0, 2} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=issue", childEnv+"_DB="+url, childEnv+"_NOW="+f.now.Format(time.RFC3339),
			childEnv+"_COMMITS="+strconv.Itoa(commits), childEnv+"_USER="+strconv.FormatInt(f.clerk.UserID, 10),
			childEnv+"_OFFICE="+strconv.FormatInt(f.xitun.ID, 10))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil || strings.TrimSpace(line) != "NUMBERED" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child said %q (%v)", round, line, err)
		}
		if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred cleanup, no rollback by the process
			t.Fatal(err)
		}
		cmd.Wait()
		// The database is usable at once and the next number follows the committed ones.
		doc := f.issue(f.clerk, Input{Kind: KindNotice, Subtype: "換領國民身分證", Recipient: Recipient{IDNo: "A123456789"}})
		nums := f.numbers(f.xitun.ID, KindNotice)
		gapless(t, fmt.Sprintf("round %d", round), nums, len(nums))
		if doc.Seq != int64(len(nums)) {
			t.Fatalf("round %d: parent got number %d with %d documents", round, doc.Seq, len(nums))
		}
	}
	var versions, docs int
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM document_versions`).Scan(&versions)
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM documents`).Scan(&docs)
	if versions != docs || docs != 3+0+2+3 {
		t.Errorf("%d documents, %d versions after the kills, want 8 and 8", docs, versions)
	}
}
