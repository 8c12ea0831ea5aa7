package notice

import (
	"context"
	"fmt"
	"strings"

	"ebazhao/internal/legal"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// The built-in templates: the wording ebazhao starts with, loaded once (by
// seed key) into doc_templates, where supervisors keep them up to date. The legal
// text follows 戶籍法 (104.01.21), 戶籍法施行細則 (104.07.10), 行政程序法第96條
// (contents of a written decision), 行政罰法第42條、第44條, 訴願法第14條、第58條.
// Everything that depends on the case — periods, deadlines, articles of the law
// version in force on the event date, amounts — is a placeholder filled from the
// legal engine, so the same text is right under the old and the new law.

// seedEffective is the day the built-in wording applies from: 戶籍法 of
// 104.01.21 (第48條之1、之2) in force 104.01.23.
var seedEffective = civil.New(2015, 1, 23)

const (
	contactLine = "承辦人：{{承辦人}}；聯絡電話：{{機關電話}}。{{附註}}"
	lateFineArt = "無正當理由未於法定期間申請者，依{{逾期罰則條文}}規定處{{逾期罰鍰範圍}}罰鍰；經催告而仍不申請者，依{{催告罰則條文}}規定處{{催告罰鍰}}罰鍰。"
	reminderAsk = "請於本催告書送達之次日起{{催告日數}}日內{{催告期限附註}}"
	remindBasis = "依戶籍法第48條第3項及戶籍法施行細則第19條第2項規定，以本催告書催告臺端於前開期限內申請。"
	directText  = "經催告屆期仍不申請者，本所將依戶籍法{{逕為登記條文}}規定逕為{{登記項目}}（戶籍法施行細則第19條第3項），並於登記後通知臺端（同條第4項）。"
	lateAccept  = "戶籍登記之申請逾期者，本所仍應受理（戶籍法第48條第2項），請儘速辦理。"
	appealText  = "受處分人如不服本處分，得自本裁處書送達之次日起30日內，依訴願法第14條第1項及第58條第1項規定，繕具訴願書並檢附本裁處書影本，經由本所向{{縣市政府}}提起訴願。"
	payText     = "請於本裁處書送達之次日起15日內，持本裁處書至本所繳納；逾期未繳納者，依行政執行法第4條第1項規定移送法務部行政執行署所屬分署強制執行。"
)

// regText describes the registration-specific parts of the seeded texts.
type regText struct {
	item      string // canonical registration name
	fact      string // what happened, for 說明
	applicant string // who applies, with the article
	bring     string // what to bring
}

var regTexts = []regText{
	{"出生登記", "臺端之子女{{登記當事人}}於{{事件發生日}}出生", "出生登記以父、母、祖父、祖母、戶長、同居人或撫養人為申請人（戶籍法第29條）",
		"出生證明書、父母之國民身分證、印章及戶口名簿"},
	{"死亡登記", "臺端之親屬{{登記當事人}}於{{事件發生日}}死亡", "死亡登記以配偶、親屬、戶長、同居人、經理殮葬之人、死亡者死亡時之房屋或土地管理人為申請人（戶籍法第36條）",
		"死亡證明書或相驗屍體證明書、申請人國民身分證、印章及死亡者之國民身分證、戶口名簿"},
	{"遷入登記", "臺端於{{事件發生日}}遷入本轄（或持我國護照、入國證明文件入境）已逾三個月", "遷徙登記以本人或戶長為申請人；全戶之遷徙登記，以戶長為申請人（戶籍法第41條）",
		"國民身分證、印章、遷入戶之戶口名簿或建物權屬證明文件"},
	{"遷出登記", "臺端於{{事件發生日}}遷出原鄉（鎮、市、區）已逾三個月", "遷徙登記以本人或戶長為申請人（戶籍法第41條）；在國內之遷出登記，應向遷入地戶政事務所為之（戶籍法第26條第6款）",
		"國民身分證、印章及戶口名簿"},
	{"住址變更登記", "臺端於{{事件發生日}}於同一鄉（鎮、市、區）內變更住址已逾三個月", "遷徙登記以本人或戶長為申請人（戶籍法第41條）",
		"國民身分證、印章、戶口名簿或建物權屬證明文件"},
	{"初設戶籍登記", "臺端經核准定居（核准或入境日：{{事件發生日}}）", "初設戶籍登記以本人或戶長為申請人，應向現住地之戶政事務所為之（戶籍法第40條、第26條第5款）",
		"定居證或入國許可證件、護照、最近二年內相片及住址證明文件"},
	{"監護登記", "受監護人{{登記當事人}}之監護事件已於{{事件發生日}}發生或確定", "監護登記以監護人為申請人（戶籍法第35條第1項）",
		"法院裁定書及確定證明書（或監護協議書）、監護人國民身分證、印章及戶口名簿"},
	{"更正登記", "臺端之戶籍登記事項有錯誤或脫漏，其更正事由於{{事件發生日}}發生或確定", "更正登記以本人為申請人；本人不為或不能申請時，以原申請人或利害關係人為申請人（戶籍法第46條）",
		"足資證明之原始證明文件（戶籍法施行細則第16條）、國民身分證、印章及戶口名簿"},
	{"收養登記", "臺端之收養事件，經法院認可之裁定已於{{事件發生日}}確定", "收養登記以收養人或被收養人為申請人（戶籍法第31條）",
		"法院認可收養裁定書及確定證明書、收養人與被收養人之國民身分證、印章及戶口名簿"},
}

func noticeRegistration(r regText) Template {
	return Template{Kind: KindNotice, Subtype: "通知申請登記", Item: r.item, Name: "通知申請" + r.item, DeadlineRule: "legal",
		Articles: []string{"戶籍法第48條"},
		Body: "主旨：" + r.fact + "，請於{{通知期限}}以前，攜帶" + r.bring + "向本所申請" + r.item + "，請查照。\n" +
			"說明：\n" +
			"一、依{{期間條文}}規定，" + r.item + "應於{{法定期間}}內申請，本件法定申請期限至{{法定期限}}止。\n" +
			"二、" + r.applicant + "。\n" +
			"三、逾期未申請者，本所將依戶籍法第48條第3項規定以書面催告；" + lateFineArt + "\n" +
			"四、" + contactLine,
	}
}

func reminderRegistration(r regText) Template {
	return Template{Kind: KindReminder, Subtype: legal.NoticeDirectRegistrationAnd, Item: r.item,
		Name: r.item + "逾期催告（催告後逕為登記及罰鍰）",
		Body: "主旨：" + r.fact + "，逾法定期間迄未申請" + r.item + "，" + reminderAsk + "，攜帶" + r.bring + "向本所申請，請查照。\n" +
			"說明：\n" +
			"一、依{{期間條文}}規定，" + r.item + "應於{{法定期間}}內申請；本件法定申請期限已於{{法定期限}}屆滿。" + r.applicant + "。\n" +
			"二、" + remindBasis + "\n" +
			"三、" + directText + birthDirectNote(r.item) + "\n" +
			"四、" + lateFineArt + "\n" +
			"五、如已申請或有正當理由未能申請者，請檢具證明文件逕向本所說明。" + contactLine,
	}
}

// birthDirectNote adds what 戶籍法第49條第2項 says about a birth the office
// registers by itself.
func birthDirectNote(item string) string {
	if item != "出生登記" {
		return ""
	}
	return "逕為出生登記時，出生登記當事人之姓氏，婚生子女以抽籤決定依父姓或母姓登記，非婚生子女依母姓登記，無依兒童依監護人之姓登記，並由本所主任代立名字（戶籍法第49條第2項）。"
}

const genericFact = "臺端有{{登記項目}}之事由（事件發生或確定日：{{事件發生日}}）"

func seedTemplates() []Template {
	var ts []Template
	add := func(key string, t Template) {
		t.SeedKey = key
		t.EffectiveFrom = seedEffective
		t.Note = "系統內建範本"
		ts = append(ts, t)
	}

	// 戶籍通知書.
	add("notice/通知申請登記/", Template{Kind: KindNotice, Subtype: "通知申請登記", Name: "通知申請戶籍登記（通用）", DeadlineRule: "legal",
		Articles: []string{"戶籍法第48條"},
		Body: "主旨：本所查悉" + genericFact + "，請於{{通知期限}}以前，攜帶相關證明文件、國民身分證、印章及戶口名簿向本所申請{{登記項目}}，請查照。\n" +
			"說明：\n" +
			"一、依{{期間條文}}規定，{{登記項目}}應於{{法定期間}}內申請，本件法定申請期限至{{法定期限}}止。\n" +
			"二、逾期未申請者，本所將依戶籍法第48條第3項規定以書面催告；" + lateFineArt + "\n" +
			"三、" + contactLine})
	for _, r := range regTexts {
		add("notice/通知申請登記/"+r.item, noticeRegistration(r))
	}
	add("notice/出境滿二年應為遷出登記/遷出登記", Template{Kind: KindNotice, Subtype: "出境滿二年應為遷出登記", Item: "遷出登記",
		Name: "出境滿二年限期辦理遷出登記", DeadlineRule: "days:30",
		Articles: []string{"戶籍法第16條第3項", "戶籍法第42條", "戶籍法施行細則第5條"},
		Body: "主旨：臺端於{{事件發生日}}出境，迄今已滿二年未入境，依戶籍法第16條第3項規定應為遷出登記，請於{{通知期限}}以前向本所辦理，請查照。\n" +
			"說明：\n" +
			"一、本所接獲入出國管理機關之出境滿二年未入境人口通報，依戶籍法施行細則第5條規定通知臺端限期辦理遷出登記。\n" +
			"二、逾期未辦理者，本所於查核臺端戶籍資料後，將依戶籍法第42條規定逕行為之，並通知臺端。\n" +
			"三、因公派駐境外之人員及其眷屬、隨我國籍遠洋漁船出海作業者，不適用出境二年應為遷出登記之規定（戶籍法第16條第3項但書）；如有上開情形或已入境者，請檢具證明文件向本所說明。\n" +
			"四、" + contactLine})
	add("notice/逕為登記後通知/", Template{Kind: KindNotice, Subtype: "逕為登記後通知", Name: "逕為登記後通知（通用）", DeadlineRule: "none",
		Articles: []string{"戶籍法第48條之2", "戶籍法施行細則第19條第4項"},
		Body: "主旨：" + genericFact + "，經本所催告屆期仍未申請，本所已於{{登記日期}}依戶籍法{{逕為登記條文}}規定逕為{{登記項目}}，特此通知，請查照。\n" +
			"說明：\n" +
			"一、依戶籍法施行細則第19條第4項規定，戶政事務所逕為登記後，應通知應為申請之人。\n" +
			"二、登記後如須換領國民身分證或戶口名簿，請攜帶印章及相片至本所辦理。\n" +
			"三、" + contactLine})
	add("notice/逕為登記後通知/出生登記", Template{Kind: KindNotice, Subtype: "逕為登記後通知", Item: "出生登記", Name: "逕為出生登記後通知", DeadlineRule: "none",
		Articles: []string{"戶籍法第48條之2第1款", "戶籍法第49條第2項", "戶籍法施行細則第19條第4項"},
		Body: "主旨：臺端之子女{{登記當事人}}於{{事件發生日}}出生，經本所催告屆期仍未申請出生登記，本所已於{{登記日期}}依戶籍法第48條之2第1款規定逕為出生登記，特此通知，請查照。\n" +
			"說明：\n" +
			"一、出生登記當事人之姓氏依戶籍法第49條第2項規定登記，名字由本所主任代立。\n" +
			"二、依戶籍法施行細則第19條第4項規定，戶政事務所逕為登記後，應通知應為申請之人。\n" +
			"三、" + contactLine})
	add("notice/依職權更正後通知/更正登記", Template{Kind: KindNotice, Subtype: "依職權更正後通知", Item: "更正登記", Name: "依職權更正登記後通知", DeadlineRule: "none",
		Articles: []string{"戶籍法第46條", "戶籍法施行細則第15條"},
		Body: "主旨：臺端之戶籍登記事項有錯誤或脫漏，本所已於{{登記日期}}依職權查明更正，特此通知，請查照。\n" +
			"說明：\n" +
			"一、依戶籍法第46條及戶籍法施行細則第15條規定，戶政事務所依職權為更正登記後，應通知本人或原申請人。\n" +
			"二、如國民身分證或戶口名簿記載事項因而變更，請於文到後攜帶相片及印章至本所換領（戶籍法第58條）。\n" +
			"三、" + contactLine})
	add("notice/換領國民身分證/", Template{Kind: KindNotice, Subtype: "換領國民身分證", Name: "通知換領國民身分證", DeadlineRule: "days:30",
		Articles: []string{"戶籍法第58條", "戶籍法第60條"},
		Body: "主旨：臺端之國民身分證記載事項已因戶籍登記而變更，請於{{通知期限}}以前攜帶最近二年內正面半身彩色相片1張、印章及原國民身分證至本所換領，請查照。\n" +
			"說明：\n" +
			"一、依戶籍法第58條第1項規定，申請戶籍登記致國民身分證記載事項變更，應同時申請換領國民身分證。\n" +
			"二、換領國民身分證得由本人親自或以書面委託他人為之；更換相片換領者，應由本人親自為之（戶籍法第60條第2項）。\n" +
			"三、" + contactLine})

	// 戶籍催告書: the five kinds (作業規範 叁.二(三)2).
	add("reminder/僅催告/", Template{Kind: KindReminder, Subtype: legal.NoticeReminderOnly, Name: "逾期催告（僅催告）",
		Body: "主旨：" + genericFact + "，逾法定期間迄未申請，" + reminderAsk + "，攜帶相關證明文件向本所申請{{登記項目}}，請查照。\n" +
			"說明：\n" +
			"一、依{{期間條文}}規定，{{登記項目}}應於{{法定期間}}內申請；本件法定申請期限已於{{法定期限}}屆滿。\n" +
			"二、" + remindBasis + "\n" +
			"三、" + lateAccept + "\n" +
			"四、如已申請或有正當理由未能申請者，請檢具證明文件逕向本所說明。" + contactLine})
	add("reminder/催告後逕為登記/", Template{Kind: KindReminder, Subtype: legal.NoticeDirectRegistration, Name: "逾期催告（催告後逕為登記）",
		Body: "主旨：" + genericFact + "，逾法定期間迄未申請，" + reminderAsk + "，攜帶相關證明文件向本所申請{{登記項目}}，請查照。\n" +
			"說明：\n" +
			"一、依{{期間條文}}規定，{{登記項目}}應於{{法定期間}}內申請；本件法定申請期限已於{{法定期限}}屆滿。\n" +
			"二、" + remindBasis + "\n" +
			"三、" + directText + "\n" +
			"四、如已申請者，請檢具證明文件逕向本所說明。" + contactLine})
	add("reminder/催告後罰鍰/", Template{Kind: KindReminder, Subtype: legal.NoticeFine, Name: "逾期催告（催告後罰鍰）",
		Body: "主旨：" + genericFact + "，逾法定期間迄未申請，" + reminderAsk + "，攜帶相關證明文件向本所申請{{登記項目}}，請查照。\n" +
			"說明：\n" +
			"一、依{{期間條文}}規定，{{登記項目}}應於{{法定期間}}內申請；本件法定申請期限已於{{法定期限}}屆滿。\n" +
			"二、" + remindBasis + "\n" +
			"三、" + lateFineArt + "\n" +
			"四、如已申請或有正當理由未能申請者，請檢具證明文件逕向本所說明。" + contactLine})
	add("reminder/催告後逕為登記及罰鍰/", Template{Kind: KindReminder, Subtype: legal.NoticeDirectRegistrationAnd, Name: "逾期催告（催告後逕為登記及罰鍰）",
		Body: "主旨：" + genericFact + "，逾法定期間迄未申請，" + reminderAsk + "，攜帶相關證明文件向本所申請{{登記項目}}，請查照。\n" +
			"說明：\n" +
			"一、依{{期間條文}}規定，{{登記項目}}應於{{法定期間}}內申請；本件法定申請期限已於{{法定期限}}屆滿。\n" +
			"二、" + remindBasis + "\n" +
			"三、" + directText + "\n" +
			"四、" + lateFineArt + "\n" +
			"五、如已申請或有正當理由未能申請者，請檢具證明文件逕向本所說明。" + contactLine})
	add("reminder/故意不實申請催告撤銷/", Template{Kind: KindReminder, Subtype: legal.NoticeFalseApplication, Name: "故意不實申請催告撤銷登記",
		Body: "主旨：臺端於{{事件發生日}}申請之{{登記項目}}，經查係故意為不實之申請，" + reminderAsk + "，向本所申請撤銷該登記，請查照。\n" +
			"說明：\n" +
			"一、經查：{{不實事項}}。\n" +
			"二、戶籍登記事項自始不存在或自始無效時，應為撤銷之登記（戶籍法第23條）；撤銷登記以本人為申請人（戶籍法第46條）。\n" +
			"三、" + remindBasis + "經催告屆期仍不申請者，本所將依戶籍法{{逕為登記條文}}規定逕為撤銷登記（戶籍法施行細則第19條第3項）。\n" +
			"四、申請人故意為不實之申請者，依{{罰則條文}}規定處{{罰鍰範圍}}罰鍰，另案裁處。\n" +
			"五、" + contactLine})
	for _, r := range regTexts {
		add("reminder/催告後逕為登記及罰鍰/"+r.item, reminderRegistration(r))
	}

	// 罰鍰裁處書 (行政程序法第96條: 主旨、事實、理由及法令依據、救濟).
	const fineLegalTail = "本件裁處所根據之事實，客觀上明白足以確認，依行政罰法第42條第6款規定，不另給予陳述意見之機會。"
	add("fine/逾期申請/", Template{Kind: KindFine, Subtype: FineLate, Name: "逾期申請戶籍登記罰鍰裁處書（通用）",
		Body: "主旨：受處分人逾法定期間申請{{登記項目}}，處{{罰鍰金額}}罰鍰。\n" +
			"事實：受處分人有{{登記項目}}之事由（事件發生或確定日：{{事件發生日}}），依法應於{{法定期間}}內申請，法定申請期限至{{法定期限}}止，遲至{{登記日期}}始行申請，逾期{{逾期日數}}日，且無正當理由。\n" +
			"理由及法令依據：\n" +
			"一、依{{期間條文}}規定，{{登記項目}}應於{{法定期間}}內申請；期日及期間之計算，依行政程序法第48條規定。\n" +
			"二、受處分人無正當理由未於法定期間申請，依{{罰則條文}}規定，處{{罰鍰範圍}}罰鍰；本件依事件發生日適用「{{適用法律}}」。\n" +
			"三、{{裁罰說明}}\n" +
			"四、" + fineLegalTail + "\n" +
			"繳納期限及方式：" + payText + "\n" +
			"救濟方法：" + appealText})
	add("fine/逾期申請/出生登記", Template{Kind: KindFine, Subtype: FineLate, Item: "出生登記", Name: "逾期申請出生登記罰鍰裁處書",
		Body: "主旨：受處分人逾法定期間申請出生登記，處{{罰鍰金額}}罰鍰。\n" +
			"事實：受處分人之子女{{登記當事人}}於{{事件發生日}}出生，依法應於出生後{{法定期間}}內申請出生登記，法定申請期限至{{法定期限}}止，受處分人遲至{{登記日期}}始行申請，逾期{{逾期日數}}日，且無正當理由。\n" +
			"理由及法令依據：\n" +
			"一、依{{期間條文}}規定，出生登記應於出生後{{法定期間}}內申請，並以父、母、祖父、祖母、戶長、同居人或撫養人為申請人（戶籍法第29條）；期日及期間之計算，依行政程序法第48條規定。\n" +
			"二、受處分人無正當理由未於法定期間申請，依{{罰則條文}}規定，處{{罰鍰範圍}}罰鍰；本件依事件發生日適用「{{適用法律}}」。\n" +
			"三、{{裁罰說明}}\n" +
			"四、" + fineLegalTail + "\n" +
			"繳納期限及方式：" + payText + "\n" +
			"救濟方法：" + appealText})
	add("fine/經催告仍不申請/", Template{Kind: KindFine, Subtype: FineReminded, Name: "經催告仍不申請戶籍登記罰鍰裁處書",
		Body: "主旨：受處分人經催告而仍不申請{{登記項目}}，處{{罰鍰金額}}罰鍰。\n" +
			"事實：受處分人有{{登記項目}}之事由（事件發生或確定日：{{事件發生日}}），法定申請期限至{{法定期限}}止，逾期未申請，經本所以{{催告書字號}}戶籍催告書催告後，仍未於催告期限內申請，迄{{登記日期}}始辦理登記。\n" +
			"理由及法令依據：\n" +
			"一、依{{期間條文}}規定，{{登記項目}}應於{{法定期間}}內申請；戶政事務所查有不於法定期間申請者，應以書面催告應為申請之人（戶籍法第48條第3項）。\n" +
			"二、經催告而仍不為申請者，依{{罰則條文}}規定，處{{罰鍰範圍}}罰鍰；本件依事件發生日適用「{{適用法律}}」。\n" +
			"三、{{裁罰說明}}\n" +
			"四、" + fineLegalTail + "\n" +
			"繳納期限及方式：" + payText + "\n" +
			"救濟方法：" + appealText})
	add("fine/故意不實申請/", Template{Kind: KindFine, Subtype: FineFalse, Name: "故意不實申請罰鍰裁處書",
		Body: "主旨：受處分人故意為不實之申請，處{{罰鍰金額}}罰鍰。\n" +
			"事實：受處分人於{{事件發生日}}申請{{登記項目}}，經查：{{不實事項}}，係故意為不實之申請（查獲方式：{{查獲方式}}）。\n" +
			"理由及法令依據：\n" +
			"一、申請人故意為不實之申請者，依{{罰則條文}}規定，處{{罰鍰範圍}}罰鍰；本件依行為日適用「{{適用法律}}」。\n" +
			"二、{{裁罰說明}}\n" +
			"三、前開不實之登記，依戶籍法第23條規定應為撤銷之登記。\n" +
			"繳納期限及方式：" + payText + "\n" +
			"救濟方法：" + appealText})

	// 一次告知單 (戶籍法施行細則第20條): one intro, a quick package per category.
	const oneIntro = "臺端於{{開立日期}}申辦{{申辦事項}}，因應備證件尚有不全或不合規定，依戶籍法施行細則第20條規定，一次告知應補正事項如下，請備齊後再行申辦{{補正期限附註}}。如有疑問，請洽承辦人{{承辦人}}（電話：{{機關電話}}）。{{附註}}"
	for _, p := range oneTimePackages {
		key := "onetime//" + p.category
		add(key, Template{Kind: KindOneTime, Item: p.category, Name: p.category + "快速開單", Body: oneIntro, Items: p.items,
			Articles: []string{"戶籍法施行細則第20條"}})
	}
	add("onetime//", Template{Kind: KindOneTime, Name: "一次告知單（預設選單）", Body: oneIntro, Items: generalItems,
		Articles: []string{"戶籍法施行細則第20條"}})

	// 戶籍通知單 (作業規範 叁.二(五)): confirm an application with the person concerned.
	const confirmAsk = "如前開申請非臺端本人所為或未曾委託他人辦理，請於接到本通知單之次日起7日內逕向本所查詢（電話：{{機關電話}}），本所將依法查明處理；如確係臺端本人申請或委託，本通知單無須回復。"
	add("confirm/補領國民身分證/", Template{Kind: KindConfirm, Subtype: confirmID, Name: "補領國民身分證通知單",
		Articles: []string{"戶籍法第57條第2項", "戶籍法第60條第1項"},
		Body: "主旨：本所於{{受理日期}}受理{{申請人}}申請補領臺端之國民身分證，特此通知，請查照。\n" +
			"說明：\n" +
			"一、國民身分證滅失或遺失者，應申請補領；補領國民身分證應由本人親自為之（戶籍法第57條第2項、第60條第1項）。\n" +
			"二、為確認申請案之真實性並維護臺端權益，特予通知。" + confirmAsk + "\n" +
			"三、" + contactLine})
	add("confirm/印鑑登記/", Template{Kind: KindConfirm, Subtype: confirmSeal, Name: "印鑑登記通知單",
		Body: "主旨：本所於{{受理日期}}受理{{申請人}}申請臺端之印鑑登記，特此通知，請查照。\n" +
			"說明：\n" +
			"一、為確認申請案之真實性並維護臺端財產權益，特予通知。" + confirmAsk + "\n" +
			"二、" + contactLine})
	add("confirm/印鑑變更/", Template{Kind: KindConfirm, Subtype: confirmSealC, Name: "印鑑變更登記通知單",
		Body: "主旨：本所於{{受理日期}}受理{{申請人}}申請臺端之印鑑變更登記，特此通知，請查照。\n" +
			"說明：\n" +
			"一、臺端原登記之印鑑已變更，為確認申請案之真實性並維護臺端財產權益，特予通知。" + confirmAsk + "\n" +
			"二、" + contactLine})
	add("confirm/委託戶籍登記/", Template{Kind: KindConfirm, Subtype: confirmProxy, Name: "委託戶籍登記通知單",
		Articles: []string{"戶籍法第47條"},
		Body: "主旨：本所於{{受理日期}}受理{{申請人}}受託代臺端申請{{登記項目}}，特此通知，請查照。\n" +
			"說明：\n" +
			"一、申請人不能親自申請登記時，得以書面委託他人為之（戶籍法第47條第1項）。\n" +
			"二、為確認委託之真實性，特予通知。" + confirmAsk + "\n" +
			"三、" + contactLine})
	return ts
}

type oneTimePackage struct {
	category string
	items    []string
}

var oneTimePackages = []oneTimePackage{
	{"出生登記", []string{
		"出生證明書正本（醫療機構或合格助產人員出具）",
		"申請人國民身分證正本及印章（或簽名）",
		"父母雙方國民身分證正本",
		"新生兒入籍之戶口名簿正本",
		"子女姓氏之父母書面約定（未約定或約定不成者，於戶政事務所抽籤決定）",
		"委託他人辦理者，應附委託書及受託人國民身分證正本",
	}},
	{"死亡登記", []string{
		"死亡證明書或相驗屍體證明書正本",
		"申請人國民身分證正本及印章（或簽名）",
		"死亡者國民身分證（由本所截角收回）及戶口名簿正本",
		"委託他人辦理者，應附委託書及受託人國民身分證正本",
		"在國外死亡者，死亡證明應經我國駐外館處驗證並附中文譯本",
	}},
	{"遷入登記", []string{
		"遷入者國民身分證正本及印章（或簽名）",
		"遷入戶之戶口名簿正本（或戶長同意書）",
		"單獨立戶者：建物所有權狀、房屋稅籍證明或租賃契約等建物權屬證明文件",
		"最近二年內正面半身彩色相片1張（換領國民身分證用）",
		"委託他人辦理者，應附委託書及受託人國民身分證正本",
	}},
	{"住址變更登記", []string{
		"國民身分證正本及印章（或簽名）",
		"戶口名簿正本",
		"新址之建物權屬證明文件或戶長同意書",
		"最近二年內正面半身彩色相片1張（換領國民身分證用）",
	}},
	{"結婚登記", []string{
		"結婚雙方當事人應親自到場辦理（戶籍法第33條、第47條第2項）",
		"結婚書約（應有二人以上證人之簽名）",
		"雙方國民身分證正本、印章及戶口名簿正本",
		"最近二年內正面半身彩色相片各1張（換領國民身分證用）",
		"外籍配偶：經我國駐外館處驗證之結婚證明文件及中文譯本、護照",
	}},
	{"離婚登記", []string{
		"兩願離婚：雙方當事人應親自到場，並附離婚協議書（應有二人以上證人之簽名）",
		"判決離婚：法院判決書及判決確定證明書（或調解、和解筆錄）",
		"國民身分證正本、印章及戶口名簿正本",
		"最近二年內正面半身彩色相片1張（換領國民身分證用）",
	}},
	{"初設戶籍登記", []string{
		"定居證或入國許可證件正本",
		"護照或其他身分證明文件",
		"最近二年內正面半身彩色相片1張",
		"現住地之建物權屬證明文件或戶長同意書",
	}},
	{"收養登記", []string{
		"法院認可收養之裁定書及確定證明書",
		"收養人及被收養人國民身分證正本、印章",
		"收養人及被收養人戶口名簿正本",
	}},
	{"監護登記", []string{
		"法院裁定書及確定證明書（或監護協議書）",
		"監護人國民身分證正本及印章",
		"受監護人之戶口名簿正本",
	}},
	{"更正登記", []string{
		"足資證明之原始證明文件（戶籍法施行細則第16條所列之文件）",
		"國民身分證正本及印章",
		"戶口名簿正本",
	}},
	{"補領國民身分證", []string{
		"應由本人親自辦理（戶籍法第60條第1項）",
		"最近二年內正面脫帽半身彩色相片1張",
		"戶口名簿正本或其他附有相片之身分證明文件（護照、駕照、健保卡等）",
		"印章或簽名",
		"規費新臺幣200元",
	}},
	{"印鑑登記", []string{
		"應由當事人親自辦理",
		"國民身分證正本",
		"擬登記之印章",
	}},
}

var generalItems = []string{
	"國民身分證正本",
	"戶口名簿正本",
	"申請人印章（或簽名）",
	"最近二年內正面半身彩色相片1張",
	"委託書及受託人國民身分證正本",
	"國外文件應經我國駐外館處驗證並附中文譯本",
	"法院裁判書及確定證明書",
	"申請書填寫不完整，請補填",
}

// OneTimeCategories lists the quick-package categories of the built-in templates.
func OneTimeCategories() []string {
	var out []string
	for _, p := range oneTimePackages {
		out = append(out, p.category)
	}
	return out
}

// ensureSeeded loads every built-in template whose seed key is not stored yet,
// once per process; a failure is retried on the next call.
func (s *Service) ensureSeeded(ctx context.Context) error {
	s.seedMu.Lock()
	defer s.seedMu.Unlock()
	if s.seeded {
		return nil
	}
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = s.seedOnce(ctx); err == nil {
			s.seeded = true
			return nil
		}
		if _, conflict := err.(*ConflictError); !conflict {
			break
		}
	}
	return fmt.Errorf("notice: load built-in templates: %w", err)
}

func (s *Service) seedOnce(ctx context.Context) error {
	have := map[string]bool{}
	rows, err := s.DB.Query(ctx, `SELECT seed_key FROM doc_templates WHERE seed_key <> ''`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		have[k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var todo []Template
	for _, t := range seedTemplates() {
		if !have[t.SeedKey] {
			todo = append(todo, t)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		for i := range todo {
			t := todo[i]
			if err := validateTemplate(&t); err != nil {
				return fmt.Errorf("built-in template %s: %w", t.SeedKey, err)
			}
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM doc_templates WHERE seed_key = ?`, t.SeedKey).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			if err := insertTemplate(ctx, tx, 0, &t, s.now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// SeedTemplates loads the built-in templates into d (idempotent).
func SeedTemplates(ctx context.Context, d *db.DB) error {
	return NewService(d).ensureSeeded(ctx)
}

// articlesLine joins articles for a sentence.
func articlesLine(arts []string) string { return strings.Join(arts, "、") }
