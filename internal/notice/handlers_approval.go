package notice

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/web"
)

// The approval of fine decisions (作業規範 肆.一): the supervisor's queue, a draft's
// page and its draft-marked preview, approve and reject.

func (h *Handlers) loadDraft(r *http.Request) (*FineDraft, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, web.NotFound("查無罰鍰裁處書稿「" + r.PathValue("id") + "」")
	}
	f, err := h.Service.FineDraft(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無罰鍰裁處書稿「" + r.PathValue("id") + "」")
	}
	if err != nil {
		return nil, err
	}
	if !MayViewDraft(clerkOf(r), f) {
		msg := "本罰鍰裁處書稿屬" + f.OfficeName + "，未經核准前僅該所人員得查閱"
		h.Kit.Audit(r, "document.fine.view", "fine_draft", strconv.FormatInt(f.ID, 10), f.RecipientIDNo, "denied", msg)
		return nil, web.Forbidden(msg)
	}
	return f, nil
}

func (h *Handlers) approvals(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	pending, err := h.Service.FineDrafts(r.Context(), u.OfficeID, DraftPending, 200)
	if err != nil {
		return err
	}
	all, err := h.Service.FineDrafts(r.Context(), u.OfficeID, "", 60)
	if err != nil {
		return err
	}
	var decided []*FineDraft
	for _, f := range all {
		if !f.Pending() {
			decided = append(decided, f)
		}
	}
	return h.Kit.Render(w, r, "notice_approvals", "罰鍰裁處書核准", map[string]any{"Pending": pending, "Decided": decided, "Me": u.ID})
}

func (h *Handlers) draftShow(w http.ResponseWriter, r *http.Request) error {
	f, err := h.loadDraft(r)
	if err != nil {
		return err
	}
	c := clerkOf(r)
	h.Kit.Audit(r, "document.fine.view", "fine_draft", strconv.FormatInt(f.ID, 10), f.RecipientIDNo, "ok", f.StatusLabel())
	return h.Kit.Render(w, r, "notice_draft", "罰鍰裁處書稿 "+f.RecipientName, map[string]any{"F": f, "C": f.Content,
		"CanDecide": c.Approver && c.OfficeID == f.OfficeID && c.UserID != f.DraftedBy && f.Pending(),
		"Own":       c.UserID == f.DraftedBy, "AddressLabel": AddressLabel(f.Content.Recipient.AddressKind)})
}

func (h *Handlers) draftPDF(w http.ResponseWriter, r *http.Request) error {
	f, err := h.loadDraft(r)
	if err != nil {
		return err
	}
	if f.DocumentID != 0 {
		http.Redirect(w, r, fmt.Sprintf("/documents/%d/pdf", f.DocumentID), http.StatusSeeOther)
		return nil
	}
	b, err := h.Service.DraftPDF(r.Context(), f)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "document.fine.preview", "fine_draft", strconv.FormatInt(f.ID, 10), f.RecipientIDNo, "ok", "草稿預覽")
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="fine-draft-%d.pdf"`, f.ID))
	_, err = w.Write(b)
	return err
}

func (h *Handlers) draftApprove(w http.ResponseWriter, r *http.Request) error {
	f, err := h.loadDraft(r)
	if err != nil {
		return err
	}
	doc, err := h.Service.ApproveFine(r.Context(), clerkOf(r), f.ID, r.PostFormValue("note"))
	if err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			return web.Conflict("不能核准：" + fe.Message + "；請退回此稿")
		}
		return userError(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/documents/%d", doc.ID), "已核准並編號 "+doc.DocNo)
}

func (h *Handlers) draftReject(w http.ResponseWriter, r *http.Request) error {
	f, err := h.loadDraft(r)
	if err != nil {
		return err
	}
	if _, err := h.Service.RejectFine(r.Context(), clerkOf(r), f.ID, r.PostFormValue("note")); err != nil {
		return userError(err)
	}
	return web.Redirect(w, r, "/fine-drafts", "已退回"+f.RecipientName+"之罰鍰裁處書稿")
}
