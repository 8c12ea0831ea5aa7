package form

import "ebazhao/internal/platform/civil"

// Builders keep the shipped templates short and readable.
func hd(t string) Block { return Block{Kind: BlockHeading, Title: t} }
func per(role string, fields ...string) Block {
	return Block{Kind: BlockPerson, Role: role, Fields: fields}
}
func perT(role, title string, fields ...string) Block {
	return Block{Kind: BlockPerson, Role: role, Title: title, Fields: fields}
}
func grid(rows ...[]Cell) Block        { return Block{Kind: BlockGrid, Rows: rows} }
func row(cells ...Cell) []Cell         { return cells }
func c(label, bind string, w int) Cell { return Cell{Label: label, Bind: bind, W: w} }
func cl(label, bind string, w, lines int) Cell {
	return Cell{Label: label, Bind: bind, W: w, Lines: lines}
}
func ct(label, text string, w int) Cell { return Cell{Label: label, Text: text, W: w} }
func chk(title, bind string, cols int, opts ...string) Block {
	return Block{Kind: BlockChecks, Title: title, Bind: bind, Columns: cols, Options: opts}
}
func txt(s string) Block { return Block{Kind: BlockText, Text: s} }
func notes(items ...string) Block {
	return Block{Kind: BlockNotes, Title: "注意事項", Items: items}
}
func sign(items ...string) Block       { return Block{Kind: BlockSign, Items: items, Date: true} }
func officeUse() Block                 { return Block{Kind: BlockOffice} }
func in(key, label, hint string) Input { return Input{Key: key, Label: label, Hint: hint} }
func opt(key, label string, multi bool, options ...string) Input {
	return Input{Key: key, Label: label, Options: options, Multi: multi}
}
func roles(a, b string) []Role {
	rs := []Role{{Key: "a", Label: a}}
	if b != "" {
		rs = append(rs, Role{Key: "b", Label: b})
	}
	return rs
}

// Notes shared by many forms.
const (
	noteDeadline = "戶籍登記應於事件發生或確定後30日內申請（戶籍法第48條第1項）；無正當理由未於法定期間申請者，處新臺幣300元以上900元以下罰鍰，經催告仍不申請者，處新臺幣900元罰鍰（戶籍法第79條）。"
	noteBring    = "申請人應攜帶國民身分證正本、印章（或親自簽名）及相關證明文件；委託他人辦理者，受委託人應另攜帶委託書及其國民身分證正本。"
	noteTrue     = "申請人應據實填寫。故意為不實之申請者，處新臺幣3,000元以上9,000元以下罰鍰（戶籍法第76條），並可能涉及刑法第214條使公務員登載不實罪。"
	noteForeign  = "證明文件在國外作成者，應經我國駐外館處驗證；外文者並應附中文譯本。"
	declaration  = "上列申請事項確屬實在，如有不實，申請人願負法律責任。"
	footerMOI    = "臺中市各區戶政事務所　直式橫書格式（103年4月起適用）"
)

var personNoPhone = []string{"name", "id_no", "birth", "sex", "addr_household"}

// Catalogue is the shipped forms library: the most used forms as templates and
// the forms other agencies design as file entries waiting for their file.
func Catalogue() []SeedForm {
	sv := straightVertical
	t := func(code, cat, name, keywords, desc string, s *Spec) SeedForm {
		if s.Footer == "" {
			s.Footer = footerMOI
		}
		return SeedForm{Code: code, Category: cat, Name: name, Keywords: keywords, Description: desc, Kind: KindTemplate,
			Effective: sv, Note: "配合新一代戶役政資訊系統改為直式橫書格式", Spec: s}
	}
	file := func(code, cat, name, keywords, desc string) SeedForm {
		return SeedForm{Code: code, Category: cat, Name: name, Keywords: keywords, Description: desc, Kind: KindFile, Effective: sv}
	}
	items := []string{"出生", "死亡", "死亡宣告", "結婚", "離婚", "遷入", "遷出", "住址變更", "分戶", "合戶", "戶長變更", "更正",
		"撤銷", "廢止", "認領", "收養", "終止收養", "監護", "輔助", "初設戶籍", "原住民身分", "其他"}
	core := []SeedForm{
		// 通用
		t("household-application", "general", "戶籍登記申請書", "通用申請書,登記申請書,申請書",
			"各項戶籍登記共用的申請書：勾選登記項目，填寫當事人與申請人資料。", &Spec{
				Title: "戶籍登記申請書", Subtitle: "（請以正楷填寫，□ 內請打 ✓）",
				Roles:  roles("當事人（申請人）", "委託代理人"),
				Inputs: []Input{opt("item", "登記項目", true, items...), in("event_date", "事件發生（確定）日期", "例：113年7月7日"), in("reason", "申請事由", ""), in("new_address", "新址／遷入地址", "遷徙登記時填寫")},
				Blocks: []Block{
					chk("申請登記項目", "case.item", 6, items...),
					grid(row(c("事件發生（確定）日期", "case.event_date", 2), c("申請事由", "case.reason", 3))),
					perT("a", "當事人（申請人）", "name", "id_no", "birth", "sex", "addr_household", "addr_current", "phone"),
					grid(row(c("新址／遷入地址", "case.new_address", 6))),
					perT("b", "委託代理人（無者免填）", "name", "id_no", "addr_household", "phone"),
					txt(declaration),
					sign("當事人（申請人）簽名或蓋章", "委託代理人簽名或蓋章"),
					notes(noteDeadline, noteBring, noteTrue),
					officeUse(),
				}}),
		t("home-service", "general", "行動不便民眾到府服務申請書", "到府服務,居家服務,行動不便,臥病",
			"當事人因重病、身心障礙或年邁行動不便無法親自到所，申請戶政人員到府辦理。", &Spec{
				Title: "行動不便民眾到府服務申請書", Roles: roles("當事人", "申請人（聯絡人）"),
				Inputs: []Input{opt("reason", "無法到所原因", false, "重病臥床", "身心障礙", "年邁行動不便", "其他"), in("service", "申請辦理事項", "例：印鑑登記、國民身分證換領"), in("wish_date", "希望服務日期時段", "")},
				Blocks: []Block{
					per("a", "name", "id_no", "birth", "addr_household", "addr_current"),
					chk("無法親自到所原因", "case.reason", 4, "重病臥床", "身心障礙", "年邁行動不便", "其他"),
					grid(row(c("申請辦理事項", "case.service", 4), c("希望服務日期時段", "case.wish_date", 2))),
					perT("b", "申請人（聯絡人）", "name", "id_no", "phone", "addr_current"),
					grid(row(cl("當事人與申請人關係", "", 3, 1), cl("附繳證明（診斷書、身心障礙證明等）", "", 3, 1))),
					sign("申請人簽名或蓋章"),
					notes("本服務以當事人確因重病、身心障礙或年邁行動不便，無法親自至戶政事務所辦理者為限，並應附相關證明。", "服務日期由戶政事務所與申請人電話聯繫後排定。", noteTrue),
					officeUse(),
				}}),

		// 出生
		t("birth-application", "birth", "出生登記申請書", "報戶口,新生兒,出生",
			"新生兒出生後 60 日內辦理出生登記。", &Spec{
				Title: "出生登記申請書", Roles: roles("申請人", "委託代理人"),
				Inputs: []Input{in("child_name", "出生者姓名", ""), opt("child_sex", "出生者性別", false, "男", "女"), in("child_birth", "出生日期時間", "例：113年7月7日10時30分"),
					in("birth_place", "出生地", "例：臺中市"), in("birth_order", "出生別", "例：長女"), in("father_name", "父姓名", ""), in("mother_name", "母姓名", ""),
					opt("surname", "子女姓氏", false, "從父姓", "從母姓"), opt("nhi", "健保依附", false, "依附父投保", "依附母投保", "暫不辦理"), in("relation", "申請人與出生者關係", "例：父")},
				Blocks: []Block{
					hd("出生者"),
					grid(row(c("姓名", "case.child_name", 2), c("性別", "case.child_sex", 1), c("出生別", "case.birth_order", 1)),
						row(c("出生日期時間", "case.child_birth", 3), c("出生地", "case.birth_place", 2)),
						row(c("父姓名", "case.father_name", 2), c("母姓名", "case.mother_name", 2))),
					chk("子女姓氏（依父母書面約定）", "case.surname", 4, "從父姓", "從母姓"),
					chk("同時申請全民健康保險加保", "case.nhi", 4, "依附父投保", "依附母投保", "暫不辦理"),
					perT("a", "申請人", "name", "id_no", "birth", "addr_household", "phone"),
					grid(row(c("申請人與出生者關係", "case.relation", 2), cl("入籍地址（出生者設籍處）", "a.addr_household", 4, 1))),
					perT("b", "委託代理人（無者免填）", "name", "id_no", "phone"),
					txt(declaration),
					sign("申請人簽名或蓋章", "委託代理人簽名或蓋章"),
					notes("出生登記至遲應於出生後60日內申請（戶籍法第48條第1項但書）；申請人為父、母、祖父、祖母、戶長、同居人或撫養人（戶籍法第29條）。",
						"應備：出生證明書、父母之國民身分證及印章、戶口名簿；父母應以書面約定子女從父姓或母姓（民法第1059條）。",
						"在國外出生者，"+noteForeign, noteTrue),
					officeUse(),
				}}),
		t("birth-surname-agreement", "birth", "子女姓氏約定書", "從姓,約定書,姓氏",
			"父母於子女出生登記前，以書面約定子女從父姓或母姓。", &Spec{
				Title: "子女姓氏約定書", Roles: roles("父", "母"),
				Inputs: []Input{in("child_name", "子女姓名", "未命名者可填「出生子女」"), in("child_birth", "子女出生日期", ""), opt("surname", "約定從姓", false, "父姓", "母姓")},
				Blocks: []Block{
					txt("立約定書人父 {a.name}、母 {b.name}，依民法第1059條第1項規定，約定於 {case.child_birth} 出生之子女 {case.child_name} 從 {case.surname}。"),
					chk("約定從姓", "case.surname", 2, "父姓", "母姓"),
					perT("a", "父", personNoPhone...),
					perT("b", "母", personNoPhone...),
					sign("父簽名或蓋章", "母簽名或蓋章"),
					notes("父母於子女出生登記前，應以書面約定子女從父姓或母姓；未約定或約定不成者，於戶政事務所抽籤決定之（民法第1059條第1項）。",
						"父母均應親自簽名或蓋章；一方未能到場者，應由到場之一方攜帶本約定書及他方之國民身分證正本辦理。"),
				}}),
		file("birth-nhi-notice", "birth", "戶政事務所通報健保署跨機關服務申請書", "新生兒健保,健保卡,加保",
			"辦理出生登記時同時申請新生兒全民健康保險加保及健保卡（衛生福利部中央健康保險署格式）。"),

		// 死亡
		t("death-application", "death", "死亡登記申請書", "除籍,往生,過世",
			"當事人死亡後 30 日內辦理死亡登記。", &Spec{
				Title: "死亡登記申請書", Roles: roles("死亡者", "申請人"),
				Inputs: []Input{in("death_date", "死亡日期時間", ""), in("death_place", "死亡地點", ""), opt("death_kind", "死亡原因種類", false, "病死或自然死", "非病死或可能為非病死"), in("relation", "申請人與死亡者關係", "例：長子")},
				Blocks: []Block{
					perT("a", "死亡者", personNoPhone...),
					grid(row(c("死亡日期時間", "case.death_date", 3), c("死亡地點", "case.death_place", 3))),
					chk("死亡原因種類", "case.death_kind", 2, "病死或自然死", "非病死或可能為非病死"),
					perT("b", "申請人", "name", "id_no", "addr_household", "phone"),
					grid(row(c("申請人與死亡者關係", "case.relation", 2), cl("附繳證件", "", 4, 1))),
					txt(declaration),
					sign("申請人簽名或蓋章"),
					notes("死亡登記應於死亡後30日內申請；申請人為配偶、親屬、戶長、同居人、經理殮葬之人、死亡者死亡時之房屋或土地管理人（戶籍法第36條）。",
						"應備：死亡證明書或相驗屍體證明書、死亡者之國民身分證及戶口名簿、申請人之國民身分證及印章。",
						"辦理死亡登記時，可同時申請「遺產稅及繼承相關資料一站式服務」等跨機關查詢。", noteTrue),
					officeUse(),
				}}),
		t("death-declaration-application", "death", "死亡宣告登記申請書", "失蹤,死亡宣告",
			"失蹤人經法院為死亡宣告裁判確定後辦理登記。", &Spec{
				Title: "死亡宣告登記申請書", Roles: roles("受死亡宣告人", "申請人"),
				Inputs: []Input{in("court", "法院裁判字號", "例：臺灣臺中地方法院113年度亡字第1號"), in("final_date", "裁判確定日期", ""), in("presumed_date", "推定死亡日期", ""), in("relation", "申請人與受死亡宣告人關係", "")},
				Blocks: []Block{
					perT("a", "受死亡宣告人", personNoPhone...),
					grid(row(c("法院裁判字號", "case.court", 4), c("裁判確定日期", "case.final_date", 2)),
						row(c("推定死亡日期", "case.presumed_date", 3), c("申請人與受死亡宣告人關係", "case.relation", 3))),
					perT("b", "申請人", "name", "id_no", "addr_household", "phone"),
					txt(declaration),
					sign("申請人簽名或蓋章"),
					notes("死亡宣告登記應於裁判確定後30日內申請，以聲請死亡宣告者或利害關係人為申請人（戶籍法第39條）。", "應備：死亡宣告裁判書及確定證明書、申請人之國民身分證及印章。", noteTrue),
					officeUse(),
				}}),

		// 結婚
		t("marriage-application", "marriage", "結婚登記申請書", "結婚,登記結婚,婚姻",
			"雙方當事人親自到場辦理結婚登記（結婚以登記為生效要件）。", &Spec{
				Title: "結婚登記申請書", Roles: roles("當事人（一）", "當事人（二）"),
				Inputs: []Input{in("marriage_date", "結婚日期", "國內結婚以登記日為結婚日"), opt("surname_a", "當事人（一）冠姓", false, "不冠姓", "冠配偶姓"), opt("surname_b", "當事人（二）冠姓", false, "不冠姓", "冠配偶姓"), in("new_address", "婚後住址（如同時遷徙）", "")},
				Blocks: []Block{
					perT("a", "當事人（一）", "name", "id_no", "birth", "addr_household", "phone"),
					chk("當事人（一）姓氏", "case.surname_a", 2, "不冠姓", "冠配偶姓"),
					perT("b", "當事人（二）", "name", "id_no", "birth", "addr_household", "phone"),
					chk("當事人（二）姓氏", "case.surname_b", 2, "不冠姓", "冠配偶姓"),
					grid(row(c("結婚日期", "case.marriage_date", 2), c("婚後住址（如同時遷徙）", "case.new_address", 4))),
					grid(row(cl("證人（一）姓名及國民身分證統一編號", "", 3, 1), cl("證人（二）姓名及國民身分證統一編號", "", 3, 1))),
					txt(declaration),
					sign("當事人（一）簽名或蓋章", "當事人（二）簽名或蓋章"),
					notes("結婚應以書面為之，有二人以上證人之簽名，並應由雙方當事人向戶政機關為結婚之登記（民法第982條）。",
						"應備：結婚書約、雙方之國民身分證、印章及戶口名簿、最近二年內正面半身彩色相片各一張（換領國民身分證用）。",
						"一方為外國人者，應另附其護照、經驗證之婚姻狀況證明文件及中文譯本。", noteTrue),
					officeUse(),
				}}),
		t("marriage-agreement", "marriage", "結婚書約", "結婚證書,書約,結婚",
			"結婚之書面，由雙方當事人及二位證人簽名。", &Spec{
				Title: "結婚書約", Roles: roles("結婚人（一）", "結婚人（二）"),
				Inputs: []Input{in("witness1", "證人（一）姓名", ""), in("witness2", "證人（二）姓名", "")},
				Blocks: []Block{
					txt("立書約人 {a.name}、{b.name} 雙方同意結婚，並依民法第982條規定，由下列證人簽名，特立此書約為憑。"),
					perT("a", "結婚人（一）", personNoPhone...),
					perT("b", "結婚人（二）", personNoPhone...),
					hd("證人"),
					grid(row(c("證人（一）姓名", "case.witness1", 2), cl("國民身分證統一編號", "", 2, 1), cl("簽名或蓋章", "", 2, 1)),
						row(cl("戶籍地址", "", 6, 1)),
						row(c("證人（二）姓名", "case.witness2", 2), cl("國民身分證統一編號", "", 2, 1), cl("簽名或蓋章", "", 2, 1)),
						row(cl("戶籍地址", "", 6, 1))),
					sign("結婚人（一）簽名或蓋章", "結婚人（二）簽名或蓋章"),
					notes("證人須年滿18歲且有行為能力；證人之簽名應由其親自為之。", "本書約應與結婚登記申請書一併提出；結婚自向戶政機關登記時生效。"),
				}}),

		// 離婚
		t("divorce-application", "divorce", "離婚登記申請書", "離婚,兩願離婚,判決離婚",
			"兩願離婚由雙方到場申請；判決、調解或和解離婚得由一方申請。", &Spec{
				Title: "離婚登記申請書", Roles: roles("當事人（一）", "當事人（二）"),
				Inputs: []Input{opt("kind", "離婚種類", false, "兩願離婚", "判決離婚", "調解離婚", "和解離婚"), in("effective", "離婚生效（確定）日期", ""), in("court", "法院文書字號", "判決、調解或和解離婚時填寫"), in("custody", "未成年子女權利義務行使負擔", "例：長子由父行使負擔")},
				Blocks: []Block{
					chk("離婚種類", "case.kind", 4, "兩願離婚", "判決離婚", "調解離婚", "和解離婚"),
					grid(row(c("離婚生效（確定）日期", "case.effective", 2), c("法院文書字號", "case.court", 4))),
					perT("a", "當事人（一）", "name", "id_no", "birth", "addr_household", "phone"),
					perT("b", "當事人（二）", "name", "id_no", "birth", "addr_household", "phone"),
					grid(row(cl("未成年子女權利義務行使負擔", "case.custody", 6, 2))),
					chk("姓氏", "", 3, "當事人（一）回復本姓", "當事人（二）回復本姓", "均未冠姓"),
					txt(declaration),
					sign("當事人（一）簽名或蓋章", "當事人（二）簽名或蓋章"),
					notes("兩願離婚應以書面為之，有二人以上證人之簽名，並應向戶政機關為離婚之登記（民法第1050條）。",
						"判決、調解或和解離婚，應於判決確定或調解、和解成立後30日內申請，並附判決書及確定證明書或調解、和解筆錄。",
						"應備：雙方之國民身分證、印章、戶口名簿、最近二年內正面半身彩色相片各一張；兩願離婚另附離婚協議書。", noteTrue),
					officeUse(),
				}}),
		t("divorce-agreement", "divorce", "離婚協議書", "兩願離婚,協議書",
			"兩願離婚之書面，由雙方及二位證人簽名。", &Spec{
				Title: "離婚協議書", Roles: roles("立協議書人（一）", "立協議書人（二）"),
				Inputs: []Input{in("children", "未成年子女姓名", "無者免填"), in("custodian", "權利義務行使負擔者", "例：父、母、父母共同"), in("other", "其他約定事項", "")},
				Blocks: []Block{
					txt("立協議書人 {a.name}、{b.name}（以下簡稱雙方）同意兩願離婚，協議條款如下："),
					txt("一、雙方自向戶政機關辦理離婚登記之日起，婚姻關係消滅。"),
					txt("二、未成年子女 {case.children} 之權利義務，由 {case.custodian} 行使或負擔。"),
					txt("三、其他約定事項：{case.other}"),
					perT("a", "立協議書人（一）", personNoPhone...),
					perT("b", "立協議書人（二）", personNoPhone...),
					hd("證人"),
					grid(row(cl("證人（一）姓名", "", 2, 1), cl("國民身分證統一編號", "", 2, 1), cl("簽名或蓋章", "", 2, 1)),
						row(cl("證人（二）姓名", "", 2, 1), cl("國民身分證統一編號", "", 2, 1), cl("簽名或蓋章", "", 2, 1))),
					sign("立協議書人（一）簽名或蓋章", "立協議書人（二）簽名或蓋章"),
					notes("兩願離婚應以書面為之，有二人以上證人之簽名，並應向戶政機關為離婚之登記（民法第1050條）。", "證人應親自簽名，並請證人知悉雙方確有離婚之真意。"),
				}}),

		// 遷徙
		t("move-in-application", "move", "遷入登記申請書", "遷戶口,搬家,遷入,戶籍遷入",
			"遷入本市或市內跨區遷徙，30 日內辦理遷入登記（一處辦理，不必先辦遷出）。", &Spec{
				Title: "遷入登記申請書", Roles: roles("遷入人（申請人）", "委託代理人"),
				Inputs: []Input{in("move_date", "遷入日期", ""), in("to_address", "遷入地址", ""), in("head", "遷入戶戶長姓名", ""), in("title_to_head", "與戶長之稱謂", "例：子"), in("members", "同遷人姓名", "無者免填")},
				Blocks: []Block{
					perT("a", "遷入人（申請人）", "name", "id_no", "birth", "sex", "phone"),
					grid(row(cl("遷出地址（原戶籍地址）", "a.addr_household", 6, 1)),
						row(c("遷入地址", "case.to_address", 6)),
						row(c("遷入日期", "case.move_date", 2), c("遷入戶戶長姓名", "case.head", 2), c("與戶長之稱謂", "case.title_to_head", 2)),
						row(cl("同遷人姓名", "case.members", 6, 2))),
					perT("b", "委託代理人（無者免填）", "name", "id_no", "phone"),
					txt(declaration),
					sign("遷入人（申請人）簽名或蓋章", "委託代理人簽名或蓋章"),
					notes(noteDeadline, "應備：遷徙人之國民身分證、印章、遷入戶之戶口名簿；遷入他人戶內者，應經戶長同意（戶長同意書或戶口名簿）。",
						"遷入無戶籍之房屋者，應附房屋所有權狀、租賃契約或其他居住證明文件。", noteTrue),
					officeUse(),
				}}),
		t("address-change-application", "move", "住址變更登記申請書", "同區遷徙,住址變更,搬家",
			"在同一戶政事務所轄區內變更住址。", &Spec{
				Title: "住址變更登記申請書", Roles: roles("申請人", "委託代理人"),
				Inputs: []Input{in("move_date", "變更日期", ""), in("to_address", "新住址", ""), in("members", "同遷人姓名", "")},
				Blocks: []Block{
					perT("a", "申請人", "name", "id_no", "birth", "phone"),
					grid(row(cl("原住址", "a.addr_household", 6, 1)), row(c("新住址", "case.to_address", 6)),
						row(c("變更日期", "case.move_date", 2), cl("同遷人姓名", "case.members", 4, 1))),
					perT("b", "委託代理人（無者免填）", "name", "id_no", "phone"),
					txt(declaration),
					sign("申請人簽名或蓋章", "委託代理人簽名或蓋章"),
					notes(noteDeadline, noteBring, noteTrue),
					officeUse(),
				}}),
		t("move-abroad-application", "move", "遷出國外登記申請書", "出境,遷出國外,出國二年",
			"出境二年以上或預定出境二年以上者辦理遷出國外登記。", &Spec{
				Title: "遷出國外登記申請書", Roles: roles("遷出人", "申請人"),
				Inputs: []Input{in("depart_date", "出境日期", ""), in("country", "前往國家（地區）", ""), in("abroad_address", "國外住址", "")},
				Blocks: []Block{
					perT("a", "遷出人", personNoPhone...),
					grid(row(c("出境日期", "case.depart_date", 2), c("前往國家（地區）", "case.country", 4)), row(c("國外住址", "case.abroad_address", 6))),
					perT("b", "申請人（非本人申請時填寫）", "name", "id_no", "addr_household", "phone"),
					txt(declaration),
					sign("申請人簽名或蓋章"),
					notes("出境二年以上，應為遷出登記（戶籍法第16條第3項）；戶政事務所亦得依入出國資料逕為遷出登記。", "遷出國外後，全民健康保險得辦理停保；返國後應辦理遷入登記。", noteTrue),
					officeUse(),
				}}),

		// 改名、改姓
		t("name-change-application", "name", "改名申請書", "改名,更改姓名,姓名變更",
			"依姓名條例申請改名（字義粗俗不雅、音譯過長或特殊原因以三次為限）。", &Spec{
				Title: "改名申請書", Subtitle: "（姓名變更登記申請書）", Roles: roles("當事人", "法定代理人"),
				Inputs: []Input{in("new_name", "新名字", ""), opt("reason", "改名原因（姓名條例第9條第1項）", false,
					"同時在一機關、學校、團體服務或肄業，姓名完全相同", "與三親等以內直系尊親屬名字完全相同", "同時在一直轄市、縣（市）設籍，出生年月日及姓名均相同",
					"與經通緝有案之人犯姓名完全相同", "被認領、撤銷認領、收養或終止收養", "字義粗俗不雅、音譯過長或有特殊原因")},
				Blocks: []Block{
					perT("a", "當事人", "name", "id_no", "birth", "addr_household", "phone"),
					grid(row(c("原名", "a.name", 3), c("新名字", "case.new_name", 3))),
					chk("改名原因（姓名條例第9條第1項）", "case.reason", 1,
						"同時在一機關、學校、團體服務或肄業，姓名完全相同", "與三親等以內直系尊親屬名字完全相同", "同時在一直轄市、縣（市）設籍，出生年月日及姓名均相同",
						"與經通緝有案之人犯姓名完全相同", "被認領、撤銷認領、收養或終止收養", "字義粗俗不雅、音譯過長或有特殊原因"),
					perT("b", "法定代理人（當事人未成年時填寫）", "name", "id_no", "phone"),
					txt(declaration),
					sign("當事人簽名或蓋章", "法定代理人簽名或蓋章"),
					notes("依「字義粗俗不雅、音譯過長或有特殊原因」申請改名，以三次為限（姓名條例第9條第2項）。",
						"未成年人改名由法定代理人申請；父母均為法定代理人者應共同申請，一方無法到場時，應附他方之同意書。",
						"改名後應換領國民身分證，並請攜帶最近二年內正面半身彩色相片一張。", noteTrue),
					officeUse(),
				}}),
		t("surname-change-agreement", "name", "子女變更姓氏約定書", "改姓,變更姓氏,從姓變更",
			"未成年子女經父母書面約定變更為父姓或母姓。", &Spec{
				Title: "子女變更姓氏約定書", Roles: roles("父", "母"),
				Inputs: []Input{in("child_name", "子女姓名", ""), in("child_id", "子女國民身分證統一編號", ""), opt("surname", "約定變更為", false, "父姓", "母姓")},
				Blocks: []Block{
					txt("立約定書人父 {a.name}、母 {b.name}，依民法第1059條第2項規定，約定未成年子女 {case.child_name}（國民身分證統一編號 {case.child_id}）變更為 {case.surname}。"),
					chk("約定變更為", "case.surname", 2, "父姓", "母姓"),
					perT("a", "父", personNoPhone...),
					perT("b", "母", personNoPhone...),
					sign("父簽名或蓋章", "母簽名或蓋章"),
					notes("子女經出生登記後，於未成年前，得由父母以書面約定變更為父姓或母姓（民法第1059條第2項）。", "子女已成年者，得變更為父姓或母姓；未成年前之約定變更及成年後之變更，各以一次為限（民法第1059條第3項、第4項）。"),
				}}),

		// 更正、撤銷、廢止
		t("correction-application", "correction", "更正登記申請書", "更正,出生日期更正,姓名更正",
			"戶籍登記事項有錯誤時，持原始證明文件申請更正。", &Spec{
				Title: "更正登記申請書", Roles: roles("當事人", "申請人"),
				Inputs: []Input{opt("item", "更正項目", false, "出生日期", "姓名", "國民身分證統一編號", "出生地", "父母姓名", "其他"), in("before", "更正前", ""), in("after", "更正後", ""), in("basis", "更正依據之證明文件", "例：出生證明書")},
				Blocks: []Block{
					perT("a", "當事人", "name", "id_no", "birth", "addr_household"),
					chk("更正項目", "case.item", 6, "出生日期", "姓名", "國民身分證統一編號", "出生地", "父母姓名", "其他"),
					grid(row(c("更正前", "case.before", 3), c("更正後", "case.after", 3)), row(c("更正依據之證明文件", "case.basis", 6))),
					perT("b", "申請人（非當事人本人申請時填寫）", "name", "id_no", "phone"),
					txt(declaration),
					sign("申請人簽名或蓋章"),
					notes("戶籍登記事項有錯誤時，應由申請人提出證明文件原本，向戶政事務所申請更正；無法提出原始證明者，依相關規定辦理（戶籍法第22條）。", noteTrue),
					officeUse(),
				}}),
		t("revocation-application", "correction", "撤銷（廢止）登記申請書", "撤銷登記,廢止登記",
			"戶籍登記事項自始不存在或無效時申請撤銷；嗣後不存在時申請廢止。", &Spec{
				Title: "撤銷（廢止）登記申請書", Roles: roles("當事人", "申請人"),
				Inputs: []Input{opt("kind", "申請種類", false, "撤銷登記", "廢止登記"), in("item", "原登記事項", "例：113年5月2日結婚登記"), in("reason", "原因", ""), in("basis", "證明文件", "")},
				Blocks: []Block{
					chk("申請種類", "case.kind", 2, "撤銷登記", "廢止登記"),
					perT("a", "當事人", "name", "id_no", "birth", "addr_household"),
					grid(row(c("原登記事項", "case.item", 6)), row(c("原因", "case.reason", 3), c("證明文件", "case.basis", 3))),
					perT("b", "申請人（非當事人本人申請時填寫）", "name", "id_no", "phone"),
					txt(declaration),
					sign("申請人簽名或蓋章"),
					notes("戶籍登記事項自始不存在或自始無效時，應為撤銷之登記；嗣後不存在時，應為廢止之登記（戶籍法第23條、第24條）。", noteTrue),
					officeUse(),
				}}),

		// 認領
		t("acknowledgment-application", "acknowledgment", "認領登記申請書", "認領,非婚生子女,生父",
			"生父認領非婚生子女後 30 日內申請。", &Spec{
				Title: "認領登記申請書", Roles: roles("認領人（生父）", "被認領人"),
				Inputs: []Input{opt("kind", "認領種類", false, "任意認領", "撫育視為認領", "判決認領", "調解或和解認領"), in("date", "認領（確定）日期", ""), in("mother", "被認領人生母姓名", "")},
				Blocks: []Block{
					chk("認領種類", "case.kind", 4, "任意認領", "撫育視為認領", "判決認領", "調解或和解認領"),
					grid(row(c("認領（確定）日期", "case.date", 2), c("被認領人生母姓名", "case.mother", 4))),
					perT("a", "認領人（生父）", "name", "id_no", "birth", "addr_household", "phone"),
					perT("b", "被認領人", "name", "id_no", "birth", "addr_household"),
					txt(declaration),
					sign("認領人簽名或蓋章", "被認領人（或其法定代理人）簽名或蓋章"),
					notes("非婚生子女經生父認領者，視為婚生子女；其經生父撫育者，視為認領（民法第1065條第1項）。",
						"認領登記以認領人為申請人；認領人不為申請時，以被認領人為申請人（戶籍法第30條），並應於30日內為之。",
						"被認領人從姓另依民法第1059條之1規定約定。", noteTrue),
					officeUse(),
				}}),

		// 收養、終止收養
		t("adoption-application", "adoption", "收養登記申請書", "收養,養子女,領養",
			"收養經法院認可裁定確定後 30 日內申請。", &Spec{
				Title: "收養登記申請書", Roles: roles("收養人", "被收養人"),
				Inputs: []Input{in("court", "法院認可裁定字號", ""), in("final_date", "裁定確定日期", ""), opt("surname", "被收養人姓氏", false, "從收養者之姓", "維持原來之姓"), in("co_adopter", "共同收養人姓名", "夫妻共同收養時填寫")},
				Blocks: []Block{
					perT("a", "收養人", "name", "id_no", "birth", "addr_household", "phone"),
					grid(row(c("共同收養人姓名", "case.co_adopter", 6))),
					perT("b", "被收養人", "name", "id_no", "birth", "addr_household"),
					grid(row(c("法院認可裁定字號", "case.court", 4), c("裁定確定日期", "case.final_date", 2))),
					chk("被收養人姓氏", "case.surname", 2, "從收養者之姓", "維持原來之姓"),
					txt(declaration),
					sign("收養人簽名或蓋章", "被收養人（或其法定代理人）簽名或蓋章"),
					notes("收養應以書面為之，並向法院聲請認可（民法第1079條第1項）；收養登記以收養人或被收養人為申請人（戶籍法第31條）。",
						"應備：法院認可收養之裁定及確定證明書、雙方之國民身分證、印章及戶口名簿。", noteDeadline, noteTrue),
					officeUse(),
				}}),
		t("adoption-termination-application", "adoption", "終止收養登記申請書", "終止收養,終止養親關係",
			"終止收養經法院認可或判決確定後 30 日內申請。", &Spec{
				Title: "終止收養登記申請書", Roles: roles("收養人", "被收養人"),
				Inputs: []Input{opt("kind", "終止種類", false, "合意終止（經法院認可）", "判決終止", "調解或和解終止"), in("court", "法院文書字號", ""), in("final_date", "確定（成立）日期", ""), in("restore_name", "回復之本姓名", "")},
				Blocks: []Block{
					chk("終止種類", "case.kind", 3, "合意終止（經法院認可）", "判決終止", "調解或和解終止"),
					grid(row(c("法院文書字號", "case.court", 4), c("確定（成立）日期", "case.final_date", 2))),
					perT("a", "收養人", "name", "id_no", "addr_household", "phone"),
					perT("b", "被收養人", "name", "id_no", "birth", "addr_household"),
					grid(row(c("被收養人回復之本姓名", "case.restore_name", 6))),
					txt(declaration),
					sign("申請人簽名或蓋章"),
					notes("養子女自收養關係終止時起，回復其本姓，並回復其與本生父母及其親屬間之權利義務（民法第1083條）。", noteDeadline, noteTrue),
					officeUse(),
				}}),

		// 監護、輔助
		t("guardianship-application", "guardianship", "監護（輔助）登記申請書", "監護,輔助,監護宣告,輔助宣告",
			"監護或輔助開始、變更或終止後 30 日內申請。", &Spec{
				Title: "監護（輔助）登記申請書", Roles: roles("監護人（輔助人）", "受監護人（受輔助人）"),
				Inputs: []Input{opt("kind", "登記種類", false, "未成年人之監護", "受監護宣告人之監護", "受輔助宣告人之輔助", "監護（輔助）變更", "監護（輔助）終止"), in("court", "法院裁定字號", ""), in("final_date", "開始（確定）日期", ""), in("co_person", "會同開具財產清冊之人", "")},
				Blocks: []Block{
					chk("登記種類", "case.kind", 3, "未成年人之監護", "受監護宣告人之監護", "受輔助宣告人之輔助", "監護（輔助）變更", "監護（輔助）終止"),
					grid(row(c("法院裁定字號", "case.court", 4), c("開始（確定）日期", "case.final_date", 2)), row(c("會同開具財產清冊之人", "case.co_person", 6))),
					perT("a", "監護人（輔助人）", "name", "id_no", "birth", "addr_household", "phone"),
					perT("b", "受監護人（受輔助人）", "name", "id_no", "birth", "addr_household"),
					txt(declaration),
					sign("監護人（輔助人）簽名或蓋章"),
					notes("監護登記以監護人為申請人，輔助登記以輔助人為申請人（戶籍法第35條）。", "應備：法院裁定書及確定證明書（或遺囑、協議等證明文件）、雙方之國民身分證及印章。", noteDeadline, noteTrue),
					officeUse(),
				}}),
		file("custody-agreement", "guardianship", "未成年子女權利義務行使負擔協議書", "監護權,親權,子女監護",
			"父母離婚或分居時，約定未成年子女權利義務由一方或雙方共同行使負擔。"),

		// 分（合）戶、戶長變更
		t("household-split-application", "household", "分（合）戶及戶長變更登記申請書", "分戶,合戶,戶長變更,換戶長",
			"同一戶內分出另立新戶、二戶合併或變更戶長。", &Spec{
				Title: "分（合）戶及戶長變更登記申請書", Roles: roles("申請人", "原戶長"),
				Inputs: []Input{opt("kind", "登記種類", false, "分戶", "合戶", "戶長變更"), in("new_head", "新戶長姓名", ""), in("members", "分出（合入）人員姓名", ""), in("reason", "原因", "")},
				Blocks: []Block{
					chk("登記種類", "case.kind", 3, "分戶", "合戶", "戶長變更"),
					perT("a", "申請人", "name", "id_no", "birth", "addr_household", "phone"),
					perT("b", "原戶長", "name", "id_no"),
					grid(row(c("新戶長姓名", "case.new_head", 2), c("分出（合入）人員姓名", "case.members", 4)), row(c("原因", "case.reason", 6))),
					txt(declaration),
					sign("申請人簽名或蓋章", "原戶長簽名或蓋章"),
					notes("分（合）戶登記以分（合）戶之當事人為申請人；戶長變更以新戶長為申請人。", noteBring, noteTrue),
					officeUse(),
				}}),

		// 初設戶籍
		t("first-registration-application", "first-registration", "初設戶籍登記申請書", "初設戶籍,定居,歸化設籍,無戶籍國民",
			"在臺灣地區無戶籍之國民取得定居證或歸化後初次設立戶籍。", &Spec{
				Title: "初設戶籍登記申請書", Roles: roles("當事人", "申請人"),
				Inputs: []Input{in("permit", "定居證（許可）字號", ""), in("entry_date", "入境日期", ""), in("origin", "原僑居地或原國籍", ""), in("address", "設籍地址", "")},
				Blocks: []Block{
					perT("a", "當事人", "name", "birth", "sex", "phone"),
					grid(row(c("定居證（許可）字號", "case.permit", 3), c("入境日期", "case.entry_date", 3)),
						row(c("原僑居地或原國籍", "case.origin", 6)), row(c("設籍地址", "case.address", 6))),
					perT("b", "申請人（非本人申請時填寫）", "name", "id_no", "phone"),
					txt(declaration),
					sign("當事人（申請人）簽名或蓋章"),
					notes("初設戶籍登記應於取得定居證或歸化許可後30日內申請。", "應備：定居證、護照或入出境證明、設籍地址之戶口名簿或居住證明、最近二年內正面半身彩色相片。", noteForeign, noteTrue),
					officeUse(),
				}}),

		// 原住民身分
		t("indigenous-application", "indigenous", "原住民身分及民族別登記申請書", "原住民,民族別,山地原住民,平地原住民",
			"取得、喪失、回復原住民身分或申請民族別登記、變更。", &Spec{
				Title: "原住民身分及民族別登記申請書", Roles: roles("當事人", "法定代理人"),
				Inputs: []Input{opt("kind", "申請種類", false, "取得原住民身分", "喪失原住民身分", "回復原住民身分", "民族別登記", "民族別變更"),
					opt("status", "原住民身分別", false, "山地原住民", "平地原住民"),
					opt("nation", "民族別", false, "阿美族", "泰雅族", "排灣族", "布農族", "卑南族", "魯凱族", "鄒族", "賽夏族", "雅美族", "邵族", "噶瑪蘭族", "太魯閣族", "撒奇萊雅族", "賽德克族", "拉阿魯哇族", "卡那卡那富族")},
				Blocks: []Block{
					chk("申請種類", "case.kind", 3, "取得原住民身分", "喪失原住民身分", "回復原住民身分", "民族別登記", "民族別變更"),
					chk("原住民身分別", "case.status", 2, "山地原住民", "平地原住民"),
					chk("民族別", "case.nation", 6, "阿美族", "泰雅族", "排灣族", "布農族", "卑南族", "魯凱族", "鄒族", "賽夏族", "雅美族", "邵族", "噶瑪蘭族", "太魯閣族", "撒奇萊雅族", "賽德克族", "拉阿魯哇族", "卡那卡那富族"),
					perT("a", "當事人", "name", "id_no", "birth", "addr_household", "phone"),
					perT("b", "法定代理人（當事人未成年時填寫）", "name", "id_no"),
					txt(declaration),
					sign("當事人簽名或蓋章", "法定代理人簽名或蓋章"),
					notes("原住民身分之取得、喪失、變更或回復，依原住民身分法規定辦理；民族別之認定依原住民民族別認定辦法辦理。", noteBring, noteTrue),
					officeUse(),
				}}),

		// 國籍
		file("naturalization-application", "nationality", "歸化國籍申請書", "歸化,外籍配偶,入籍",
			"外國人或無國籍人申請歸化中華民國國籍（內政部格式）。"),
		file("nationality-loss-application", "nationality", "喪失國籍申請書", "喪失國籍,放棄國籍",
			"申請喪失中華民國國籍（內政部格式）。"),
		file("nationality-restore-application", "nationality", "回復國籍申請書", "回復國籍",
			"喪失國籍者申請回復中華民國國籍（內政部格式）。"),

		// 國民身分證、戶口名簿
		t("idcard-application", "idcard", "國民身分證申請書", "身分證,補領身分證,換領身分證,初領身分證",
			"國民身分證初領、補領或換領。", &Spec{
				Title: "國民身分證申請書", Roles: roles("申請人", "法定代理人"),
				Inputs: []Input{opt("kind", "申請種類", false, "初領", "補領", "換領"), opt("reason", "補（換）領原因", false, "遺失", "被竊", "毀損", "記載事項變更", "其他")},
				Blocks: []Block{
					chk("申請種類", "case.kind", 3, "初領", "補領", "換領"),
					chk("補（換）領原因", "case.reason", 5, "遺失", "被竊", "毀損", "記載事項變更", "其他"),
					perT("a", "申請人", "name", "id_no", "birth", "sex", "addr_household", "phone"),
					grid(row(cl("相片黏貼處（最近二年內正面、脫帽、露耳、五官清晰之白色背景彩色相片）", "", 3, 6), cl("役別、配偶姓名等記事", "", 3, 6))),
					perT("b", "法定代理人（未滿14歲者由法定代理人申請）", "name", "id_no"),
					txt(declaration),
					sign("申請人簽名或蓋章", "法定代理人簽名或蓋章"),
					notes("初領、補領國民身分證應由本人親自申請；未滿14歲者由法定代理人申請。", "規費依國民身分證及戶口名簿規費收費標準收取。", noteTrue),
					officeUse(),
				}}),
		t("household-book-application", "idcard", "戶口名簿申請書", "戶口名簿,補發戶口名簿,換發戶口名簿",
			"戶口名簿補發或換發。", &Spec{
				Title: "戶口名簿申請書", Roles: roles("申請人", "委託代理人"),
				Inputs: []Input{opt("kind", "申請種類", false, "補發", "換發"), opt("reason", "原因", false, "遺失", "毀損", "記事欄已滿", "其他")},
				Blocks: []Block{
					chk("申請種類", "case.kind", 2, "補發", "換發"),
					chk("原因", "case.reason", 4, "遺失", "毀損", "記事欄已滿", "其他"),
					perT("a", "申請人（戶長或戶內人口）", "name", "id_no", "addr_household", "phone"),
					perT("b", "委託代理人（無者免填）", "name", "id_no"),
					txt(declaration),
					sign("申請人簽名或蓋章", "委託代理人簽名或蓋章"),
					notes("戶口名簿之補發、換發，由戶長或戶內人口申請。", noteBring),
					officeUse(),
				}}),

		// 戶籍謄本、戶籍資料
		t("transcript-application", "transcript", "戶籍謄本申請書", "謄本,戶籍謄本,全戶謄本,個人謄本",
			"申請現戶或除戶之全戶、個人戶籍謄本（全國跨區可辦）。", &Spec{
				Title: "戶籍謄本申請書", Roles: roles("申請人", "受委託人"),
				Inputs: []Input{opt("kind", "謄本種類", true, "現戶全戶", "現戶個人", "除戶全戶", "除戶個人"), opt("record", "記事", false, "完整記事", "省略記事"), in("subject", "申請對象姓名（或戶長姓名）", ""), in("copies", "份數", ""), in("purpose", "用途", "")},
				Blocks: []Block{
					chk("謄本種類", "case.kind", 4, "現戶全戶", "現戶個人", "除戶全戶", "除戶個人"),
					chk("記事", "case.record", 2, "完整記事", "省略記事"),
					grid(row(c("申請對象姓名（或戶長姓名）", "case.subject", 3), c("份數", "case.copies", 1), c("用途", "case.purpose", 2)),
						row(cl("申請對象戶籍地址", "", 6, 1))),
					perT("a", "申請人", "name", "id_no", "addr_household", "phone"),
					perT("b", "受委託人（無者免填）", "name", "id_no", "phone"),
					txt(declaration),
					sign("申請人簽名或蓋章", "受委託人簽名或蓋章"),
					notes("本人或利害關係人得申請戶籍謄本；利害關係人申請時應提出利害關係證明文件（戶籍法第65條）。", "委託他人申請者，應附委託書，受委託人應攜帶其國民身分證正本。", "規費：每張新臺幣15元。"),
					officeUse(),
				}}),
		t("archive-copy-application", "transcript", "戶籍檔存資料（申請書影像）申請書", "申請書影像,檔存資料,原始資料,日據時期",
			"申請歷年戶籍登記申請書及附繳證明文件影本（申請書影像子系統，市內各區可辦）。", &Spec{
				Title: "戶籍檔存資料（申請書影像）申請書", Roles: roles("申請人", "受委託人"),
				Inputs: []Input{in("subject", "資料當事人姓名", ""), in("item", "登記項目", "例：出生登記"), in("period", "登記年月（約略）", "例：民國75年"), in("copies", "份數", ""), in("purpose", "用途", "")},
				Blocks: []Block{
					grid(row(c("資料當事人姓名", "case.subject", 3), c("登記項目", "case.item", 3)),
						row(c("登記年月（約略）", "case.period", 2), c("份數", "case.copies", 1), c("用途", "case.purpose", 3))),
					perT("a", "申請人", "name", "id_no", "addr_household", "phone"),
					perT("b", "受委託人（無者免填）", "name", "id_no", "phone"),
					txt(declaration),
					sign("申請人簽名或蓋章"),
					notes("戶籍登記申請書及附繳證明文件影本，以本人或利害關係人申請為限。", "尚未掃描建檔之資料，由原受理戶政事務所調閱掃描後傳送，請於通知後領取。", "規費：每張新臺幣10元。"),
					officeUse(),
				}}),

		// 印鑑
		t("seal-registration-application", "seal", "印鑑登記（變更、註銷）申請書", "印鑑登記,印鑑變更,印鑑註銷,印鑑章",
			"印鑑登記、變更或註銷。", &Spec{
				Title: "印鑑登記（變更、註銷）申請書", Roles: roles("申請人", "受任人"),
				Inputs: []Input{opt("kind", "申請種類", false, "印鑑登記", "印鑑變更", "印鑑註銷"), opt("reason", "變更或註銷原因", false, "印鑑遺失", "印鑑毀損", "更換印鑑", "其他")},
				Blocks: []Block{
					chk("申請種類", "case.kind", 3, "印鑑登記", "印鑑變更", "印鑑註銷"),
					chk("變更或註銷原因", "case.reason", 4, "印鑑遺失", "印鑑毀損", "更換印鑑", "其他"),
					perT("a", "申請人", "name", "id_no", "birth", "addr_household", "phone"),
					grid(row(cl("新登記之印鑑（請蓋印）", "", 3, 5), cl("原登記之印鑑（變更、註銷時蓋印）", "", 3, 5))),
					perT("b", "受任人（委任辦理時填寫）", "name", "id_no", "phone"),
					txt(declaration),
					sign("申請人簽名", "受任人簽名"),
					notes("印鑑登記以一個為限，應由本人親自申請；委任他人辦理者，依戶政事務所辦理印鑑登記作業規定檢附委任書等文件。", "印鑑遺失申請變更登記者，原印鑑自變更登記之日起失效。", "規費依臺中市規定收取。", noteTrue),
					officeUse(),
				}}),
		t("seal-certificate-application", "seal", "印鑑證明申請書", "印鑑證明,印鑑",
			"申請印鑑證明（全市各區戶政事務所跨區核發）。", &Spec{
				Title: "印鑑證明申請書", Roles: roles("申請人", "受任人"),
				Inputs: []Input{in("copies", "申請份數", ""), opt("purpose", "用途", false, "不動產登記", "一般用途"), in("purpose_detail", "用途說明", "例：辦理貸款")},
				Blocks: []Block{
					perT("a", "申請人", "name", "id_no", "birth", "addr_household", "phone"),
					grid(row(c("申請份數", "case.copies", 2), c("用途說明", "case.purpose_detail", 4))),
					chk("用途", "case.purpose", 2, "不動產登記", "一般用途"),
					grid(row(cl("印鑑（請蓋印鑑章）", "", 3, 5), cl("申請人簽名", "", 3, 5))),
					perT("b", "受任人（委任申請時填寫）", "name", "id_no", "phone"),
					txt(declaration),
					sign("申請人簽名或蓋章", "受任人簽名或蓋章"),
					notes("本人申請應攜帶國民身分證正本及印鑑章；委任他人申請者，受任人應攜帶委任書、委任人之國民身分證正本及受任人之國民身分證正本。", "印鑑證明用於不動產登記者，應載明不動產登記用途。", "規費依臺中市規定收取。", noteTrue),
					officeUse(),
				}}),
		t("seal-certificate-proxy", "seal", "印鑑證明委任書", "委任書,代辦印鑑證明,印鑑委任",
			"委任他人代為申請印鑑證明。", &Spec{
				Title: "印鑑證明委任書", Roles: roles("委任人", "受任人"),
				Inputs: []Input{in("copies", "委任申請份數", ""), in("purpose", "用途", "例：不動產登記")},
				Blocks: []Block{
					txt("茲委任 {b.name} 代為申請本人之印鑑證明 {case.copies} 份，用途：{case.purpose}。如有不實，委任人願負法律責任。"),
					perT("a", "委任人", "name", "id_no", "birth", "addr_household", "phone"),
					grid(row(cl("委任人印鑑（請蓋印鑑章）", "", 3, 5), cl("委任人簽名", "", 3, 5))),
					perT("b", "受任人", "name", "id_no", "birth", "addr_household", "phone"),
					sign("受任人簽名或蓋章"),
					notes("委任書應由委任人加蓋已登記之印鑑；受任人應攜帶本委任書、委任人及受任人之國民身分證正本。", noteTrue),
				}}),

		// 自然人憑證 (seed 004: 自然人憑證申請表 第二十一版 113年10月製)
		{Code: "moica-application", Category: "moica", Name: "自然人憑證申請資料表", Keywords: "自然人憑證,憑證,IC卡,MOICA,讀卡機",
			Description: "年滿18歲設籍國民親自申請自然人憑證，當場發卡。", Kind: KindTemplate,
			Effective: civil.New(2024, 10, 1), Note: "內政部憑證管理中心第二十一版（113年10月製）",
			Spec: &Spec{
				Title: "自然人憑證申請資料表", Subtitle: "（全部必填，請正楷書寫）", Roles: roles("申請人", ""),
				Footer: "內政部憑證管理中心　自然人憑證申請表　第二十一版　113年10月製",
				Blocks: []Block{
					grid(row(c("姓名", "a.name", 3)),
						row(Cell{Label: "身分證字號", Bind: "a.id_no", W: 3, Boxes: 10}),
						row(c("手機號碼", "a.phone", 3)),
						row(c("E-mail 電子信箱", "a.email", 3)),
						row(ct("PIN碼 卡片預設密碼", "卡片密碼預設為持卡人民國出生○○年○○月○○日，共6碼；建議自行上網變更。PIN碼輸入錯誤連續3次將鎖卡，使用用戶代碼即可解卡並重新設定。", 3)),
						row(Cell{Label: "用戶代碼（請自行設定6至10碼）", W: 3, Boxes: 10})),
					txt("用戶代碼可混合英文、數字或特殊符號（例 %、@），英文大小寫視為不同。卡片PIN碼忘記、被鎖卡或要停（復）用時，需輸入用戶代碼。"),
					sign("申請人簽名"),
					notes("須本人攜帶國民身分證正本、IC卡工本費250元、E-mail信箱，至全國各地戶政事務所申辦。",
						"憑證有效期限為5年；到期前60日至屆滿後3年內得展期一次3年，最長使用8年。",
						"如有變更姓名、身分證字號或恢復戶籍者，攜帶變更後國民身分證正本及工本費250元重新申辦。",
						"使用前請至內政部憑證管理中心網站（moica.nat.gov.tw）下載安裝HiCOS卡片管理工具及讀卡機驅動程式。客服專線0800-080-117。"),
				}}},
		t("moica-delegation", "moica", "自然人憑證代辦事項委託書", "憑證委託,代辦,展期,用戶代碼重設",
			"除憑證申請及廢止外，其他憑證事項得委託他人至任一戶政事務所辦理。", &Spec{
				Title: "自然人憑證代辦事項委託書", Roles: roles("委託人（憑證用戶）", "受委託人"),
				Inputs: []Input{opt("items", "委託辦理事項", true, "用戶代碼重設", "憑證展期", "憑證停用", "憑證復用", "修改手機號碼", "修改憑證公佈狀態", "修改聯絡用電子信箱"), in("card_no", "憑證IC卡卡號", "")},
				Blocks: []Block{
					txt("委託人 {a.name} 茲委託 {b.name} 代為辦理下列自然人憑證事項，委託人及受委託人均已確認本委託書內容正確無誤。"),
					chk("委託辦理事項", "case.items", 4, "用戶代碼重設", "憑證展期", "憑證停用", "憑證復用", "修改手機號碼", "修改憑證公佈狀態", "修改聯絡用電子信箱"),
					grid(row(c("憑證IC卡卡號", "case.card_no", 6))),
					perT("a", "委託人（憑證用戶）", "name", "id_no", "phone", "email"),
					perT("b", "受委託人", "name", "id_no", "phone"),
					sign("委託人親筆簽名或用印", "受委託人親筆簽名或用印"),
					notes("除【憑證申請】及【憑證廢止】外，其他各項均可委託他人至任一戶政事務所代為辦理。",
						"委託代辦除憑證IC卡停用、復用外，其餘均需攜帶委託人之IC卡。",
						"受委託人應攜帶本委託書、雙方之國民身分證正本（及委託人之IC卡）至註冊窗口辦理。"),
				}}),
		file("moica-application-official", "moica", "自然人憑證申請表及說明事項（官方版）", "自然人憑證,用戶約定條款",
			"內政部憑證管理中心之申請表及用戶約定條款全文。"),

		// 護照人別確認
		file("passport-application", "passport", "普通護照申請書", "護照,人別確認,首次申請護照",
			"首次申請護照者，得持本申請書至任一戶政事務所辦理人別確認（外交部領事事務局格式）。"),

		// 跨機關服務
		file("n-plus-e-application", "cross-agency", "跨機關便民服務申請書（N加e）", "N加e,跨機關,通報,異動通報",
			"戶籍異動後勾選應通知之機關，一次申請、電子通報（由跨機關通報功能列印）。"),

		// 委託、同意、切結
		t("consent-minor", "consent", "同意書（未成年子女）", "同意書,法定代理人同意,未成年,改名同意",
			"父母之一方無法到場時，由他方填寫同意書，由到場之一方代為申請未成年子女之登記（例如改名）。", &Spec{
				Title: "同意書", Roles: roles("同意人（法定代理人）", "未成年子女"),
				Inputs: []Input{in("applicant", "到場申請之法定代理人姓名", ""), in("matter", "同意辦理事項", "例：改名（新名字○○）")},
				Blocks: []Block{
					txt("本人 {a.name} 為未成年子女 {b.name}（國民身分證統一編號 {b.id_no}）之法定代理人，同意由 {case.applicant} 代為申請辦理 {case.matter}。"),
					perT("a", "同意人（法定代理人）", "name", "id_no", "birth", "addr_household", "phone"),
					perT("b", "未成年子女", "name", "id_no", "birth"),
					sign("同意人簽名或蓋章"),
					notes("同意人應親自簽名或蓋章，並由申請人檢附同意人之國民身分證正本（或影本）。", "父母對於未成年子女之權利義務，除法律另有規定外，由父母共同行使或負擔之（民法第1089條）。", noteTrue),
				}}),
		t("consent-general", "consent", "同意書（通用）", "同意書,戶長同意,房屋所有權人同意",
			"戶長、房屋所有權人或其他關係人同意當事人辦理登記（例如遷入）。", &Spec{
				Title: "同意書", Roles: roles("同意人", "當事人"),
				Inputs: []Input{opt("capacity", "同意人身分", false, "戶長", "房屋所有權人", "其他"), in("matter", "同意辦理事項", "例：遷入本戶"), in("address", "地址", "")},
				Blocks: []Block{
					txt("本人 {a.name} 以 {case.capacity} 之身分，同意 {b.name}（國民身分證統一編號 {b.id_no}）辦理 {case.matter}。地址：{case.address}"),
					chk("同意人身分", "case.capacity", 3, "戶長", "房屋所有權人", "其他"),
					perT("a", "同意人", "name", "id_no", "addr_household", "phone"),
					perT("b", "當事人", "name", "id_no"),
					sign("同意人簽名或蓋章"),
					notes("同意人應親自簽名或蓋章，並由當事人檢附同意人之國民身分證正本（或影本）。", noteTrue),
				}}),
		t("delegation", "consent", "委託書", "委託書,代辦,委託他人,戶籍登記委託",
			"委託他人代為辦理戶籍登記或申請證明。", &Spec{
				Title: "委託書", Roles: roles("委託人", "受委託人"),
				Inputs: []Input{in("matter", "委託辦理事項", "例：出生登記、戶籍謄本3份"), in("relation", "雙方關係", "")},
				Blocks: []Block{
					txt("茲委託 {b.name} 代為辦理 {case.matter}。委託人與受委託人均確認委託事項屬實，如有不實，願負法律責任。"),
					perT("a", "委託人", "name", "id_no", "birth", "addr_household", "phone"),
					perT("b", "受委託人", "name", "id_no", "birth", "addr_household", "phone"),
					grid(row(c("雙方關係", "case.relation", 6))),
					sign("委託人簽名或蓋章", "受委託人簽名或蓋章"),
					notes("受委託人應攜帶本委託書、委託人之國民身分證（或印章）及受委託人之國民身分證正本。", "印鑑證明、自然人憑證另有專用委任（委託）書。", noteTrue),
				}}),
		t("affidavit", "consent", "切結書", "切結書,切結,聲明書",
			"當事人就無法提出證明之事項具結保證屬實。", &Spec{
				Title: "切結書", Roles: roles("立切結書人", ""),
				Inputs: []Input{in("content", "切結事項", "")},
				Blocks: []Block{
					txt("立切結書人 {a.name} 茲切結：{case.content}"),
					grid(row(cl("切結事項說明", "", 6, 4))),
					txt("以上所述確屬實在，如有不實，立切結書人願負一切法律責任。"),
					perT("a", "立切結書人", "name", "id_no", "birth", "addr_household", "phone"),
					sign("立切結書人簽名或蓋章"),
					notes("明知為不實之事項而使公務員登載於職務上所掌之公文書，足以生損害於公眾或他人者，依刑法第214條處罰。"),
				}}),

		// 門牌
		t("doorplate-certificate-application", "doorplate", "門牌證明申請書", "門牌,門牌證明,門牌整編,地址證明",
			"申請門牌初編、改編或整編證明。", &Spec{
				Title: "門牌證明申請書", Roles: roles("申請人", "委託代理人"),
				Inputs: []Input{in("address", "門牌地址", ""), opt("kind", "證明種類", false, "門牌初編證明", "門牌改編證明", "門牌整編證明"), in("copies", "份數", ""), in("purpose", "用途", "")},
				Blocks: []Block{
					grid(row(c("門牌地址", "case.address", 6))),
					chk("證明種類", "case.kind", 3, "門牌初編證明", "門牌改編證明", "門牌整編證明"),
					grid(row(c("份數", "case.copies", 2), c("用途", "case.purpose", 4))),
					perT("a", "申請人", "name", "id_no", "addr_household", "phone"),
					perT("b", "委託代理人（無者免填）", "name", "id_no", "phone"),
					sign("申請人簽名或蓋章"),
					notes("門牌證明依臺中市門牌相關規定核發，規費依本市規定收取。"),
					officeUse(),
				}}),
		file("doorplate-numbering-application", "doorplate", "門牌編釘申請書", "門牌編釘,新建房屋,門牌初編",
			"新建房屋或增設出入口申請門牌編釘（臺中市格式）。"),
	}
	return append(core, moreForms(t, file)...)
}
