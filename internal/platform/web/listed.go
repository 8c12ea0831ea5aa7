package web

import (
	"fmt"
	"net/http"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
)

// ActionListed is the audit action of one person shown in a search result or a
// listing: one entry per person, so that "who has seen my record" finds it.
const ActionListed = "person.listed"

// ActionBulkRead is the audit entry (outcome denied) of a search refused because
// its user has been shown more people than ListedPerHour allows; supervisors see
// it among the day's refusals on their home page.
const ActionBulkRead = "security.bulk_read"

// DefaultListedPerHour is how many people one account may be shown by searches
// and listings in an hour. A counter clerk serves a few dozen citizens an hour
// and sees a screenful of names for each; paging through the register is not a
// counter's work.
const DefaultListedPerHour = 600

// AuditListed records that r's user is being shown the people idNos (in a search
// result or a listing) and refuses — with a 429 and an audited denial — when that
// would take the account past its hourly budget. Call it before writing the
// result; on an error write nothing.
func (k *Kit) AuditListed(r *http.Request, action string, idNos []string, detail string) error {
	seen := map[string]bool{}
	var people []string
	for _, id := range idNos {
		if id != "" && !seen[id] {
			seen[id] = true
			people = append(people, id)
		}
	}
	if len(people) == 0 {
		return nil
	}
	actor := Actor(r)
	budget := k.ListedPerHour
	if budget == 0 {
		budget = DefaultListedPerHour
	}
	ctx := r.Context()
	var refused bool
	err := k.DB.InTx(ctx, func(tx *db.Tx) error {
		var shown int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE user_id = ? AND action = ? AND at >= ?`,
			actor.UserID, ActionListed, db.FormatTime(tx.Now().Add(-time.Hour))).Scan(&shown); err != nil {
			return err
		}
		if budget > 0 && shown+len(people) > budget {
			refused = true
			e := audit.For(actor, ActionBulkRead, "person", "")
			e.Outcome, e.Detail = audit.Denied, fmt.Sprintf("%s：本小時已顯示 %d 人，再顯示 %d 人將超過上限 %d（%s）", action, shown, len(people), budget, detail)
			return audit.Log(ctx, tx, e)
		}
		for _, id := range people {
			e := audit.For(actor, ActionListed, "person", id)
			e.PersonIDNo, e.Detail = id, action+" "+detail
			if err := audit.Log(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if refused {
		k.Log.Warn("bulk read refused", "action", action, "user", actor.Username, "people", len(people), "budget", budget)
		return &Error{Status: http.StatusTooManyRequests,
			Msg: fmt.Sprintf("一小時內查詢顯示的民眾已達上限（%d 人），本次查詢未顯示；已記錄並通知主管。如為業務需要，請洽主管。", budget)}
	}
	return nil
}
