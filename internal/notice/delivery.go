package notice

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/legal"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// Service records (送達): what came back on the 送達證書 of a document, with the day
// service took effect (legal.Service) and, for a 催告書, the last day of the
// reminder period counted from the day after (戶籍法施行細則第19條第2項;
// 行政程序法第48條).

// ServiceInput is what the clerk copies from the returned 送達證書.
type ServiceInput struct {
	Method     string // 臨櫃交付 | 郵務送達 | 寄存送達 | 公示送達
	Date       string // as typed (ROC or ISO)
	Abroad     bool
	ReceivedBy string
	Note       string
}

// ServiceRecord is one recorded service of a document.
type ServiceRecord struct {
	ID           int64
	DocumentID   int64
	OfficeID     int64
	Method       string
	ServedOn     civil.Date
	Abroad       bool
	EffectiveOn  civil.Date
	DeadlineOn   civil.Date // a reminder's 催告期限; zero otherwise
	ReceivedBy   string
	Note         string
	RecordedBy   string
	RecordedAt   time.Time
	Steps        []string
	Articles     []string
	MorningOnly  bool
	CalendarNote string
}

// Lapsed reports whether a reminder's period ended before day.
func (r *ServiceRecord) Lapsed(day civil.Date) bool {
	return !r.DeadlineOn.IsZero() && day.After(r.DeadlineOn)
}

// RecordService records how document id was served. Only staff of the issuing
// office record it (the returned certificate comes back there); a refusal is
// audited.
func (s *Service) RecordService(ctx context.Context, clerk Clerk, id int64, in ServiceInput) (*ServiceRecord, error) {
	doc, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if clerk.OfficeID != doc.OfficeID {
		msg := "本文書由" + doc.OfficeName + "開立，送達紀錄由該所登錄"
		s.auditDenied(ctx, clerk, "document.service", doc, msg)
		return nil, &ForbiddenError{Message: msg}
	}
	if doc.Cancelled() {
		return nil, &ConflictError{Message: "本文書已作廢，不登錄送達"}
	}
	if doc.Kind == KindOneTime {
		return nil, fieldErr("method", "一次告知單當場交付，無須登錄送達")
	}
	day, err := parseDate("date", "送達日期", in.Date)
	if err != nil {
		return nil, err
	}
	if day.IsZero() {
		return nil, fieldErr("date", "請輸入送達日期（交付、收領、寄存或公告之日）")
	}
	today := s.Today()
	if day.After(today) {
		return nil, fieldErr("date", "送達日期%s不得晚於今天%s", day.ROC(), today.ROC())
	}
	if day.Before(doc.IssuedOn) {
		return nil, fieldErr("date", "送達日期%s早於發文日期%s", day.ROC(), doc.IssuedOn.ROC())
	}
	in.ReceivedBy, in.Note = strings.TrimSpace(in.ReceivedBy), strings.TrimSpace(in.Note)
	if len([]rune(in.ReceivedBy)) > 60 || len([]rune(in.Note)) > 300 {
		return nil, fieldErr("note", "收領人（60字）或備註（300字）過長")
	}
	sv, err := legal.Service(legal.ServiceRequest{Method: strings.TrimSpace(in.Method), Date: day, Abroad: in.Abroad})
	if err != nil {
		return nil, err
	}
	rec := &ServiceRecord{DocumentID: id, OfficeID: doc.OfficeID, Method: sv.Method, ServedOn: day, Abroad: in.Abroad, EffectiveOn: sv.EffectiveDate,
		ReceivedBy: in.ReceivedBy, Note: in.Note, Steps: sv.Steps, Articles: sv.Articles}
	if doc.Kind == KindReminder && doc.Content.Facts.ReminderDays > 0 {
		off, err := s.Offices.ByID(ctx, doc.OfficeID)
		if err != nil {
			return nil, err
		}
		opts, err := s.Legal.Options(ctx, off.ID, off.City)
		if err != nil {
			return nil, err
		}
		rd, err := legal.ReminderDeadline(opts, legal.ReminderDeadlineRequest{ServedDate: legal.D(sv.EffectiveDate), MinDays: doc.Content.Facts.ReminderDays})
		if err != nil {
			return nil, err
		}
		rec.DeadlineOn = rd.EarliestDeadline.Date
		rec.MorningOnly = rd.MorningOnly
		rec.Steps = append(rec.Steps, rd.Steps...)
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO document_services (document_id, office_id, method, served_on, abroad, effective_on, deadline_on,
			received_by, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			id, doc.OfficeID, rec.Method, rec.ServedOn, rec.Abroad, rec.EffectiveOn, rec.DeadlineOn, rec.ReceivedBy, rec.Note,
			clerk.UserID, db.FormatTime(now)).Scan(&rec.ID); err != nil {
			return err
		}
		e := audit.For(clerk.Audit, "document.service", "document", strconv.FormatInt(id, 10))
		e.PersonIDNo = doc.RecipientIDNo
		e.Detail = fmt.Sprintf("%s %s %s，生效%s", doc.DocNo, rec.Method, rec.ServedOn.ROC(), rec.EffectiveOn.ROC())
		if !rec.DeadlineOn.IsZero() {
			e.Detail += "，催告期限" + rec.DeadlineOn.ROC()
		}
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	rec.RecordedBy, rec.RecordedAt = clerk.Name, now
	return rec, nil
}

// Services lists the recorded services of document id, latest first.
func (s *Service) Services(ctx context.Context, id int64) ([]*ServiceRecord, error) {
	rows, err := s.DB.Query(ctx, `SELECT v.id, v.document_id, v.office_id, v.method, v.served_on, v.abroad, v.effective_on, v.deadline_on,
		v.received_by, v.note, u.display_name, v.recorded_at FROM document_services v JOIN users u ON u.id = v.recorded_by
		WHERE v.document_id = ? ORDER BY v.id DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ServiceRecord
	for rows.Next() {
		var r ServiceRecord
		var at string
		if err := rows.Scan(&r.ID, &r.DocumentID, &r.OfficeID, &r.Method, &r.ServedOn, &r.Abroad, &r.EffectiveOn, &r.DeadlineOn,
			&r.ReceivedBy, &r.Note, &r.RecordedBy, &at); err != nil {
			return nil, err
		}
		r.RecordedAt = db.ParseTime(at)
		out = append(out, &r)
	}
	return out, rows.Err()
}

// LatestService is the current service of document id, or nil.
func (s *Service) LatestService(ctx context.Context, id int64) (*ServiceRecord, error) {
	list, err := s.Services(ctx, id)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// docNoPattern is what a 文號 looks like: 中市北屯戶催字第1130000003號.
var docNoPattern = regexp.MustCompile(`^\S{2,40}字第[0-9０-９]{1,15}號$`)

// reminderBasis checks the reminder a 「經催告仍不申請」 fine rests on (戶籍法第79條
// 後段): a 催告書 of this office to the same person, on the same registration,
// served (a recorded service) and whose period ended before the registration was
// applied for or made; or another authority's, recorded with its number, the day
// it was served and its period. It returns the wording for the decision.
func (s *Service) reminderBasis(ctx context.Context, officeID int64, in Input, dt inputDates, issue civil.Date) (string, []string, error) {
	reg := dt.Registration
	ref := strings.TrimSpace(in.ReminderRef)
	if ref == "" {
		return "", nil, fieldErr("reminder_ref", "經催告仍不申請之罰鍰（戶籍法第79條後段），須填寫本所已送達之催告書文號，或他機關催告書之文號及送達日")
	}
	var deadline civil.Date
	var text string
	var steps []string
	var doc *Document
	if docs, err := s.List(ctx, Filter{OfficeID: officeID, Kind: KindReminder, DocNo: ref, Limit: 1}); err != nil {
		return "", nil, err
	} else if len(docs) == 1 {
		if doc, err = s.Get(ctx, docs[0].ID); err != nil {
			return "", nil, err
		}
	}
	switch {
	case doc != nil:
		if doc.Cancelled() {
			return "", nil, fieldErr("reminder_ref", "催告書%s已作廢，不得據以裁處", ref)
		}
		if doc.RecipientIDNo != "" && doc.RecipientIDNo != in.Recipient.IDNo {
			return "", nil, fieldErr("reminder_ref", "催告書%s之受催告人（%s）非本件受處分人", ref, doc.RecipientName)
		}
		if doc.Item != in.Item {
			return "", nil, fieldErr("reminder_ref", "催告書%s催告之登記項目為%s，與本件%s不同", ref, doc.Item, in.Item)
		}
		sv, err := s.LatestService(ctx, doc.ID)
		if err != nil {
			return "", nil, err
		}
		if sv == nil || sv.DeadlineOn.IsZero() {
			return "", nil, fieldErr("reminder_ref", "催告書%s尚未登錄送達，催告期限無從起算，不得依戶籍法第79條後段裁處；請先依送達證書登錄送達", ref)
		}
		deadline = sv.DeadlineOn
		text = doc.IssuedOn.ROC() + doc.DocNo
		steps = append(steps, fmt.Sprintf("本所催告書%s於%s以%s送達，%s發生送達效力，催告期限至%s止。", doc.DocNo, sv.ServedOn.ROC(), sv.Method, sv.EffectiveOn.ROC(), deadline.ROC()))
	case docNoPattern.MatchString(ref):
		served := dt.ReminderServed
		if served.IsZero() {
			return "", nil, fieldErr("reminder_served", "催告書%s非本所文書：請填寫其送達生效日（依送達證書），以計算催告期限", ref)
		}
		days := in.ReminderDays
		if days == 0 {
			days = legal.MinReminderDays
		}
		rd, err := legal.ReminderDeadline(legal.Options{}, legal.ReminderDeadlineRequest{ServedDate: legal.D(served), MinDays: days})
		if err != nil {
			return "", nil, fieldErr("reminder_days", "%v", err)
		}
		deadline = rd.EarliestDeadline.Date
		text = ref
		steps = append(steps, fmt.Sprintf("他機關催告書%s於%s送達，催告期限%d日，至%s止。", ref, served.ROC(), days, deadline.ROC()))
	default:
		return "", nil, fieldErr("reminder_ref", "「%s」不是本所之催告書文號，亦非文號格式（如：中市北屯戶催字第1130000003號）；經催告仍不申請之罰鍰須有合法送達之催告書", ref)
	}
	if !reg.After(deadline) {
		return "", nil, fieldErr("registration_date", "登記日期%s在催告期限%s以內，受催告人已於催告期限內申請，不得依戶籍法第79條後段處罰", reg.ROC(), deadline.ROC())
	}
	if !issue.After(deadline) {
		return "", nil, fieldErr("reminder_ref", "催告期限至%s始屆滿，屆滿前不得以經催告仍不申請裁處", deadline.ROC())
	}
	steps = append(steps, fmt.Sprintf("受催告人逾催告期限（%s）仍未申請，迄%s始辦理登記，依戶籍法第79條後段處罰。", deadline.ROC(), reg.ROC()))
	return text, steps, nil
}
