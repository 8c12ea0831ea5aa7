package visit

import (
	"context"
	"net/url"

	"ebazhao/internal/agency"
	"ebazhao/internal/form"
	"ebazhao/internal/notice"
	"ebazhao/internal/platform/auth"
)

// Entry is one command of the palette (Ctrl+K / F2): a panel of the visit
// screen, a page pre-filled for the person, or a visit command.
type Entry struct {
	Group string // what kind of action, shown beside the label
	Label string
	Words string // more words it is found by (codes, other names)
	Keys  string // its shortcut, if any
	Href  string // open this page …
	Panel string // … or this panel of the visit screen …
	Kind  string // … or make this the visit's registration …
	Cmd   string // … or run this visit command (end, new)
}

// palette lists every action reachable from the visit, each pre-filled.
func (h *Handlers) palette(ctx context.Context, u *auth.User, s *Screen) ([]Entry, error) {
	id := s.Person.IDNo
	var out []Entry
	add := func(e Entry) { out = append(out, e) }
	if s.Visit.Open() {
		for _, k := range Kinds {
			add(Entry{Group: "本次辦理", Label: k.Label, Words: "登記 kind " + k.Code + " " + k.Key, Kind: k.Code})
		}
	}
	if s.Can.Fees && s.Visit.Open() {
		add(Entry{Group: "規費", Label: "收取規費、開立收據", Words: "收費 收據 fee receipt 規費", Keys: "Alt+F", Panel: "fees"})
	}
	if s.Can.Agency && s.Visit.Open() {
		for _, k := range agency.Kinds {
			add(Entry{Group: "N加e 通報", Label: k.Name, Words: "跨機關 通報 nplus agency " + k.Code + " " + k.Hint, Keys: keyIf(k.Code == s.Kind.Agency, "Alt+K"),
				Panel: "agency?kind=" + k.Code})
		}
	}
	if s.Can.Agency {
		add(Entry{Group: "N加e 通報", Label: "歷次通報與辦理情形", Words: "agency status 狀態", Href: "/agency/persons/" + id})
	}
	if s.Can.Tips && s.Visit.Open() {
		cats, err := h.Tips.Categories(ctx, h.Tips.Today())
		if err != nil {
			return nil, err
		}
		for _, c := range cats {
			add(Entry{Group: "貼心小叮嚀", Label: c.Name, Words: "小叮嚀 便民資訊 tips " + c.Code, Keys: keyIf(c.Code == s.Kind.Tips, "Alt+T"),
				Panel: "tips?cat=" + c.Code})
		}
	}
	if s.Can.Docs {
		for _, k := range notice.Kinds() {
			add(Entry{Group: "行政文書", Label: "開立" + k.Label, Words: "文書 document " + string(k.Kind),
				Href: "/documents/new?kind=" + string(k.Kind) + "&id_no=" + id})
		}
		add(Entry{Group: "行政文書", Label: "歷次行政文書", Words: "文書 history 歷史", Href: "/persons/" + id + "/documents"})
	}
	if s.Can.Calc {
		for _, c := range calcOrder {
			add(Entry{Group: "計算", Label: calcTitles[c], Words: "計算 calc " + c, Href: calcHref(c, h.now())})
		}
	}
	if s.Can.Seal {
		add(Entry{Group: "印鑑", Label: "印鑑比對、核發印鑑證明", Words: "印鑑 seal 比對 證明", Keys: "Alt+G", Href: "/seals/p/" + id})
	}
	if s.Can.Archive {
		add(Entry{Group: "申請書影像", Label: "查詢本人申請書影像", Words: "檔案 影像 archive 影本", Keys: "Alt+A", Href: archiveHref(id)})
		q := url.Values{"applicant_name": {s.Person.Name}, "applicant_id_no": {id}, "applicant_phone": {s.Person.Phone},
			"person_id_no": {id}, "person_name": {s.Person.Name}}
		add(Entry{Group: "申請書影像", Label: "提出跨區調閱申請", Words: "調閱 跨區 request archive", Href: "/archive/requests/new?" + q.Encode()})
	}
	add(Entry{Group: "民眾", Label: "民眾資料", Words: "person 個人 基本資料", Keys: "Alt+P", Href: "/persons/" + id})
	if s.Can.Persons {
		add(Entry{Group: "民眾", Label: "修改民眾資料（地址、電話）", Words: "person edit 地址 電話 修改", Href: "/persons/" + id + "/edit"})
	}
	if s.Can.Forms {
		forms, err := h.Forms.List(ctx, form.Filter{OfficeID: u.OfficeID})
		if err != nil {
			return nil, err
		}
		for _, f := range forms {
			add(Entry{Group: "表單 · " + f.CategoryName, Label: f.Name, Words: "表單 form " + f.Code + " " + f.Keywords, Panel: "forms/" + f.Code})
		}
	}
	if s.Visit.Open() {
		add(Entry{Group: "臨櫃服務", Label: "結束本次服務", Words: "end 結束 完成 下一位", Keys: "Alt+X", Cmd: "end"})
	}
	add(Entry{Group: "臨櫃服務", Label: "服務下一位民眾", Words: "new next 新 下一位 開始", Href: "/visits?new=1"})
	return out, nil
}

func keyIf(ok bool, keys string) string {
	if ok {
		return keys
	}
	return ""
}
