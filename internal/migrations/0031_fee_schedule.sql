-- The statutory fee schedule and its history, generated from internal/fee/schedule.json
-- by `go test ./internal/fee -run TestScheduleMigration -update`. Do not edit by hand.

-- 2005-07-01 戶政規費收費標準（94.06.24 訂定發布，94.07.01 施行）
INSERT INTO fee_versions (effective_from, basis, note, source, created_at) VALUES ('2005-07-01', '戶政規費收費標準（94.06.24 訂定發布，94.07.01 施行）', '重建之最早版本：謄本、閱覽、英文謄本為 100.05.01 調降前金額；國民身分證補領 200 元自 89.10.01 起；戶口名簿、戶口統計資料、印鑑、自然人憑證無修正紀錄，沿用現行金額。', 'seed', '2005-07-01T00:00:00.000000Z');
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 1, '01', '閱覽戶籍資料', '次', 20, 0, 0, '戶政規費收費標準第2條第1項第1款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 2, '02', '戶籍謄本', '張', 20, 0, 0, '戶政規費收費標準第2條第1項第2款', '', '["現戶戶籍謄本","除戶戶籍謄本"]', '[{"code":"idno-reassigned","label":"統一編號重複或錯誤經重新配賦（第2條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 3, '03', '英文戶籍謄本', '張', 150, 2, 20, '戶政規費收費標準第2條第1項第3款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 4, '05', '國民身分證初領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證初領"]', '[]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 5, '06', '國民身分證換領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證換領"]', '[{"code":"idno-corrected","label":"統一編號更正（第3條第3項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第3條第3項）","percent":0}]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 6, '07', '國民身分證補領', '張', 200, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證補領"]', '[]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 7, '09', '戶口名簿(初領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 8, '10', '戶口名簿(換領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[{"code":"idno-corrected","label":"統一編號更正（第4條第2項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第4條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 9, '11', '戶口名簿(補領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 10, '22', '戶口統計資料', '張', 10, 0, 0, '戶政規費收費標準第5條', '', '[]', '[{"code":"school","label":"學校申請減半收取（第5條）","percent":50},{"code":"government","label":"政府機關申請免收（第5條）","percent":0}]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 11, '31', '印鑑登記(申請)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑登記"]', '[]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 12, '32', '印鑑登記(變更)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑變更登記"]', '[]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 13, '33', '印鑑登記(廢止)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑廢止登記"]', '[]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 14, '34', '印鑑證明', '張', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 15, '35', '自然人憑證IC卡', '張', 250, 0, 0, '內政部憑證管理中心工本費', '', '["自然人憑證"]', '[]' FROM fee_versions WHERE effective_from = '2005-07-01' AND withdrawn_at = '';

-- 2008-05-23 戶政規費收費標準第6條（97.05.13 增訂）
INSERT INTO fee_versions (effective_from, basis, note, source, created_at) VALUES ('2008-05-23', '戶政規費收費標準第6條（97.05.13 增訂）', '', 'seed', '2008-05-23T00:00:00.000000Z');
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 1, '01', '閱覽戶籍資料', '次', 20, 0, 0, '戶政規費收費標準第2條第1項第1款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 2, '02', '戶籍謄本', '張', 20, 0, 0, '戶政規費收費標準第2條第1項第2款', '', '["現戶戶籍謄本","除戶戶籍謄本"]', '[{"code":"idno-reassigned","label":"統一編號重複或錯誤經重新配賦（第2條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 3, '03', '英文戶籍謄本', '張', 150, 2, 20, '戶政規費收費標準第2條第1項第3款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 4, '05', '國民身分證初領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證初領"]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 5, '06', '國民身分證換領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證換領"]', '[{"code":"idno-corrected","label":"統一編號更正（第3條第3項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第3條第3項）","percent":0}]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 6, '07', '國民身分證補領', '張', 200, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證補領"]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 7, '09', '戶口名簿(初領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 8, '10', '戶口名簿(換領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[{"code":"idno-corrected","label":"統一編號更正（第4條第2項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第4條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 9, '11', '戶口名簿(補領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 10, '12', '結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 11, '13', '英文結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 12, '14', '離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 13, '15', '英文離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 14, '22', '戶口統計資料', '張', 10, 0, 0, '戶政規費收費標準第5條', '', '[]', '[{"code":"school","label":"學校申請減半收取（第5條）","percent":50},{"code":"government","label":"政府機關申請免收（第5條）","percent":0}]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 15, '31', '印鑑登記(申請)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑登記"]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 16, '32', '印鑑登記(變更)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑變更登記"]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 17, '33', '印鑑登記(廢止)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑廢止登記"]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 18, '34', '印鑑證明', '張', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 19, '35', '自然人憑證IC卡', '張', 250, 0, 0, '內政部憑證管理中心工本費', '', '["自然人憑證"]', '[]' FROM fee_versions WHERE effective_from = '2008-05-23' AND withdrawn_at = '';

-- 2009-04-01 戶政規費收費標準第2條（98.03.30 修正，98.04.01 施行）
INSERT INTO fee_versions (effective_from, basis, note, source, created_at) VALUES ('2009-04-01', '戶政規費收費標準第2條（98.03.30 修正，98.04.01 施行）', '戶籍檔案原始資料影本調整前之金額無資料，自本版起列收。', 'seed', '2009-04-01T00:00:00.000000Z');
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 1, '01', '閱覽戶籍資料', '次', 20, 0, 0, '戶政規費收費標準第2條第1項第1款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 2, '02', '戶籍謄本', '張', 20, 0, 0, '戶政規費收費標準第2條第1項第2款', '', '["現戶戶籍謄本","除戶戶籍謄本"]', '[{"code":"idno-reassigned","label":"統一編號重複或錯誤經重新配賦（第2條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 3, '03', '英文戶籍謄本', '張', 150, 2, 20, '戶政規費收費標準第2條第1項第3款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 4, '04', '戶籍檔案原始資料影本(檔存申請書影本)', '張', 10, 0, 0, '戶政規費收費標準第2條第1項第4款', '', '["戶籍檔案原始資料影本","檔存申請書影本"]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 5, '05', '國民身分證初領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證初領"]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 6, '06', '國民身分證換領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證換領"]', '[{"code":"idno-corrected","label":"統一編號更正（第3條第3項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第3條第3項）","percent":0}]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 7, '07', '國民身分證補領', '張', 200, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證補領"]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 8, '09', '戶口名簿(初領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 9, '10', '戶口名簿(換領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[{"code":"idno-corrected","label":"統一編號更正（第4條第2項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第4條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 10, '11', '戶口名簿(補領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 11, '12', '結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 12, '13', '英文結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 13, '14', '離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 14, '15', '英文離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 15, '22', '戶口統計資料', '張', 10, 0, 0, '戶政規費收費標準第5條', '', '[]', '[{"code":"school","label":"學校申請減半收取（第5條）","percent":50},{"code":"government","label":"政府機關申請免收（第5條）","percent":0}]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 16, '31', '印鑑登記(申請)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑登記"]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 17, '32', '印鑑登記(變更)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑變更登記"]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 18, '33', '印鑑登記(廢止)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑廢止登記"]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 19, '34', '印鑑證明', '張', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 20, '35', '自然人憑證IC卡', '張', 250, 0, 0, '內政部憑證管理中心工本費', '', '["自然人憑證"]', '[]' FROM fee_versions WHERE effective_from = '2009-04-01' AND withdrawn_at = '';

-- 2011-05-01 戶政規費收費標準第2條（100.04.29 修正，自公布後第三日起生效）
INSERT INTO fee_versions (effective_from, basis, note, source, created_at) VALUES ('2011-05-01', '戶政規費收費標準第2條（100.04.29 修正，自公布後第三日起生效）', '', 'seed', '2011-05-01T00:00:00.000000Z');
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 1, '01', '閱覽戶籍資料', '次', 15, 0, 0, '戶政規費收費標準第2條第1項第1款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 2, '02', '戶籍謄本', '張', 15, 0, 0, '戶政規費收費標準第2條第1項第2款', '', '["現戶戶籍謄本","除戶戶籍謄本"]', '[{"code":"idno-reassigned","label":"統一編號重複或錯誤經重新配賦（第2條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 3, '03', '英文戶籍謄本', '張', 100, 2, 15, '戶政規費收費標準第2條第1項第3款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 4, '04', '戶籍檔案原始資料影本(檔存申請書影本)', '張', 10, 0, 0, '戶政規費收費標準第2條第1項第4款', '', '["戶籍檔案原始資料影本","檔存申請書影本"]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 5, '05', '國民身分證初領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證初領"]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 6, '06', '國民身分證換領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證換領"]', '[{"code":"idno-corrected","label":"統一編號更正（第3條第3項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第3條第3項）","percent":0}]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 7, '07', '國民身分證補領', '張', 200, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證補領"]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 8, '09', '戶口名簿(初領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 9, '10', '戶口名簿(換領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[{"code":"idno-corrected","label":"統一編號更正（第4條第2項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第4條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 10, '11', '戶口名簿(補領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 11, '12', '結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 12, '13', '英文結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 13, '14', '離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 14, '15', '英文離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 15, '22', '戶口統計資料', '張', 10, 0, 0, '戶政規費收費標準第5條', '', '[]', '[{"code":"school","label":"學校申請減半收取（第5條）","percent":50},{"code":"government","label":"政府機關申請免收（第5條）","percent":0}]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 16, '31', '印鑑登記(申請)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑登記"]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 17, '32', '印鑑登記(變更)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑變更登記"]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 18, '33', '印鑑登記(廢止)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑廢止登記"]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 19, '34', '印鑑證明', '張', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 20, '35', '自然人憑證IC卡', '張', 250, 0, 0, '內政部憑證管理中心工本費', '', '["自然人憑證"]', '[]' FROM fee_versions WHERE effective_from = '2011-05-01' AND withdrawn_at = '';

-- 2011-07-01 戶政規費收費標準第7條（100.06.29 增訂）
INSERT INTO fee_versions (effective_from, basis, note, source, created_at) VALUES ('2011-07-01', '戶政規費收費標準第7條（100.06.29 增訂）', '', 'seed', '2011-07-01T00:00:00.000000Z');
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 1, '01', '閱覽戶籍資料', '次', 15, 0, 0, '戶政規費收費標準第2條第1項第1款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 2, '02', '戶籍謄本', '張', 15, 0, 0, '戶政規費收費標準第2條第1項第2款', '', '["現戶戶籍謄本","除戶戶籍謄本"]', '[{"code":"idno-reassigned","label":"統一編號重複或錯誤經重新配賦（第2條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 3, '03', '英文戶籍謄本', '張', 100, 2, 15, '戶政規費收費標準第2條第1項第3款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 4, '04', '戶籍檔案原始資料影本(檔存申請書影本)', '張', 10, 0, 0, '戶政規費收費標準第2條第1項第4款', '', '["戶籍檔案原始資料影本","檔存申請書影本"]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 5, '05', '國民身分證初領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證初領"]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 6, '06', '國民身分證換領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證換領"]', '[{"code":"idno-corrected","label":"統一編號更正（第3條第3項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第3條第3項）","percent":0}]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 7, '07', '國民身分證補領', '張', 200, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證補領"]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 8, '09', '戶口名簿(初領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 9, '10', '戶口名簿(換領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[{"code":"idno-corrected","label":"統一編號更正（第4條第2項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第4條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 10, '11', '戶口名簿(補領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 11, '12', '結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 12, '13', '英文結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 13, '14', '離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 14, '15', '英文離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 15, '21', '親等關聯資料', '張', 30, 2, 15, '戶政規費收費標準第7條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 16, '22', '戶口統計資料', '張', 10, 0, 0, '戶政規費收費標準第5條', '', '[]', '[{"code":"school","label":"學校申請減半收取（第5條）","percent":50},{"code":"government","label":"政府機關申請免收（第5條）","percent":0}]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 17, '31', '印鑑登記(申請)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑登記"]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 18, '32', '印鑑登記(變更)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑變更登記"]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 19, '33', '印鑑登記(廢止)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑廢止登記"]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 20, '34', '印鑑證明', '張', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 21, '35', '自然人憑證IC卡', '張', 250, 0, 0, '內政部憑證管理中心工本費', '', '["自然人憑證"]', '[]' FROM fee_versions WHERE effective_from = '2011-07-01' AND withdrawn_at = '';

-- 2015-04-02 戶政規費收費標準第6條（104.03.31 修正）
INSERT INTO fee_versions (effective_from, basis, note, source, created_at) VALUES ('2015-04-02', '戶政規費收費標準第6條（104.03.31 修正）', '', 'seed', '2015-04-02T00:00:00.000000Z');
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 1, '01', '閱覽戶籍資料', '次', 15, 0, 0, '戶政規費收費標準第2條第1項第1款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 2, '02', '戶籍謄本', '張', 15, 0, 0, '戶政規費收費標準第2條第1項第2款', '', '["現戶戶籍謄本","除戶戶籍謄本"]', '[{"code":"idno-reassigned","label":"統一編號重複或錯誤經重新配賦（第2條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 3, '03', '英文戶籍謄本', '張', 100, 2, 15, '戶政規費收費標準第2條第1項第3款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 4, '04', '戶籍檔案原始資料影本(檔存申請書影本)', '張', 10, 0, 0, '戶政規費收費標準第2條第1項第4款', '', '["戶籍檔案原始資料影本","檔存申請書影本"]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 5, '05', '國民身分證初領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證初領"]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 6, '06', '國民身分證換領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證換領"]', '[{"code":"idno-corrected","label":"統一編號更正（第3條第3項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第3條第3項）","percent":0}]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 7, '07', '國民身分證補領', '張', 200, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證補領"]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 8, '09', '戶口名簿(初領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 9, '10', '戶口名簿(換領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[{"code":"idno-corrected","label":"統一編號更正（第4條第2項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第4條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 10, '11', '戶口名簿(補領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 11, '12', '結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 12, '13', '英文結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 13, '14', '離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 14, '15', '英文離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 15, '18', '婚姻紀錄證明書', '張', 15, 0, 0, '戶政規費收費標準第6條第2項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 16, '19', '遷徙紀錄證明書', '張', 15, 0, 0, '戶政規費收費標準第6條第2項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 17, '20', '姓名更改紀錄證明書', '張', 15, 0, 0, '戶政規費收費標準第6條第2項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 18, '21', '親等關聯資料', '張', 30, 2, 15, '戶政規費收費標準第7條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 19, '22', '戶口統計資料', '張', 10, 0, 0, '戶政規費收費標準第5條', '', '[]', '[{"code":"school","label":"學校申請減半收取（第5條）","percent":50},{"code":"government","label":"政府機關申請免收（第5條）","percent":0}]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 20, '31', '印鑑登記(申請)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑登記"]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 21, '32', '印鑑登記(變更)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑變更登記"]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 22, '33', '印鑑登記(廢止)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑廢止登記"]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 23, '34', '印鑑證明', '張', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 24, '35', '自然人憑證IC卡', '張', 250, 0, 0, '內政部憑證管理中心工本費', '', '["自然人憑證"]', '[]' FROM fee_versions WHERE effective_from = '2015-04-02' AND withdrawn_at = '';

-- 2019-03-21 國籍規費收費標準第2條、第3條（108.03.21）
INSERT INTO fee_versions (effective_from, basis, note, source, created_at) VALUES ('2019-03-21', '國籍規費收費標準第2條、第3條（108.03.21）', '國籍證書於戶政事務所代收；本版以前之金額無資料。', 'seed', '2019-03-21T00:00:00.000000Z');
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 1, '01', '閱覽戶籍資料', '次', 15, 0, 0, '戶政規費收費標準第2條第1項第1款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 2, '02', '戶籍謄本', '張', 15, 0, 0, '戶政規費收費標準第2條第1項第2款', '', '["現戶戶籍謄本","除戶戶籍謄本"]', '[{"code":"idno-reassigned","label":"統一編號重複或錯誤經重新配賦（第2條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 3, '03', '英文戶籍謄本', '張', 100, 2, 15, '戶政規費收費標準第2條第1項第3款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 4, '04', '戶籍檔案原始資料影本(檔存申請書影本)', '張', 10, 0, 0, '戶政規費收費標準第2條第1項第4款', '', '["戶籍檔案原始資料影本","檔存申請書影本"]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 5, '05', '國民身分證初領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證初領"]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 6, '06', '國民身分證換領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證換領"]', '[{"code":"idno-corrected","label":"統一編號更正（第3條第3項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第3條第3項）","percent":0}]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 7, '07', '國民身分證補領', '張', 200, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證補領"]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 8, '09', '戶口名簿(初領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 9, '10', '戶口名簿(換領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[{"code":"idno-corrected","label":"統一編號更正（第4條第2項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第4條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 10, '11', '戶口名簿(補領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 11, '12', '結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 12, '13', '英文結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 13, '14', '離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 14, '15', '英文離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 15, '18', '婚姻紀錄證明書', '張', 15, 0, 0, '戶政規費收費標準第6條第2項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 16, '19', '遷徙紀錄證明書', '張', 15, 0, 0, '戶政規費收費標準第6條第2項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 17, '20', '姓名更改紀錄證明書', '張', 15, 0, 0, '戶政規費收費標準第6條第2項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 18, '21', '親等關聯資料', '張', 30, 2, 15, '戶政規費收費標準第7條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 19, '22', '戶口統計資料', '張', 10, 0, 0, '戶政規費收費標準第5條', '', '[]', '[{"code":"school","label":"學校申請減半收取（第5條）","percent":50},{"code":"government","label":"政府機關申請免收（第5條）","percent":0}]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 20, '31', '印鑑登記(申請)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑登記"]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 21, '32', '印鑑登記(變更)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑變更登記"]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 22, '33', '印鑑登記(廢止)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑廢止登記"]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 23, '34', '印鑑證明', '張', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 24, '35', '自然人憑證IC卡', '張', 250, 0, 0, '內政部憑證管理中心工本費', '', '["自然人憑證"]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 25, '41', '歸化國籍許可證書', '張', 1200, 0, 0, '國籍規費收費標準第2條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 26, '42', '喪失國籍許可證書', '張', 1200, 0, 0, '國籍規費收費標準第2條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 27, '43', '回復國籍許可證書', '張', 1200, 0, 0, '國籍規費收費標準第2條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 28, '44', '中華民國國籍證明', '張', 1000, 0, 0, '國籍規費收費標準第2條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 29, '45', '國籍許可證書換發', '張', 1000, 0, 0, '國籍規費收費標準第3條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 30, '46', '國籍許可證書補發', '張', 1000, 0, 0, '國籍規費收費標準第3條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 31, '47', '歸化國籍測試報名', '次', 500, 0, 0, '歸化國籍基本語言能力及國民權利義務基本常識測試（報名費）', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2019-03-21' AND withdrawn_at = '';

-- 2023-09-12 戶政規費收費標準（112.09.12 台內戶字第1120243879號令修正發布全文8條，自發布日施行）
INSERT INTO fee_versions (effective_from, basis, note, source, created_at) VALUES ('2023-09-12', '戶政規費收費標準（112.09.12 台內戶字第1120243879號令修正發布全文8條，自發布日施行）', '國民身分證相片影像電子檔本人申請亦收費；增列終止結婚證明書及戶口統計資料電子檔。', 'seed', '2023-09-12T00:00:00.000000Z');
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 1, '01', '閱覽戶籍資料', '次', 15, 0, 0, '戶政規費收費標準第2條第1項第1款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 2, '02', '戶籍謄本', '張', 15, 0, 0, '戶政規費收費標準第2條第1項第2款', '', '["現戶戶籍謄本","除戶戶籍謄本"]', '[{"code":"idno-reassigned","label":"統一編號重複或錯誤經重新配賦（第2條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 3, '03', '英文戶籍謄本', '張', 100, 2, 15, '戶政規費收費標準第2條第1項第3款', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 4, '04', '戶籍檔案原始資料影本(檔存申請書影本)', '張', 10, 0, 0, '戶政規費收費標準第2條第1項第4款', '', '["戶籍檔案原始資料影本","檔存申請書影本"]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 5, '05', '國民身分證初領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證初領"]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 6, '06', '國民身分證換領', '張', 50, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證換領"]', '[{"code":"idno-corrected","label":"統一編號更正（第3條第3項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第3條第3項）","percent":0}]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 7, '07', '國民身分證補領', '張', 200, 0, 0, '戶政規費收費標準第3條第1項', '', '["身分證補領"]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 8, '08', '國民身分證相片影像電子檔', '份', 100, 0, 0, '戶政規費收費標準第3條第2項', '', '[]', '[{"code":"low-income","label":"中低收入戶等弱勢族群免費拍照上傳數位相片（便民服務）","percent":0}]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 9, '09', '戶口名簿(初領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 10, '10', '戶口名簿(換領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[{"code":"idno-corrected","label":"統一編號更正（第4條第2項）","percent":0},{"code":"admin-change","label":"行政區域調整、門牌整編或縣市改制（第4條第2項）","percent":0}]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 11, '11', '戶口名簿(補領)', '份', 30, 0, 0, '戶政規費收費標準第4條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 12, '12', '結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 13, '13', '英文結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 14, '14', '離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 15, '15', '英文離婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 16, '16', '終止結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 17, '17', '英文終止結婚證明書', '張', 100, 0, 0, '戶政規費收費標準第6條第1項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 18, '18', '婚姻紀錄證明書', '張', 15, 0, 0, '戶政規費收費標準第6條第2項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 19, '19', '遷徙紀錄證明書', '張', 15, 0, 0, '戶政規費收費標準第6條第2項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 20, '20', '姓名更改紀錄證明書', '張', 15, 0, 0, '戶政規費收費標準第6條第2項', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 21, '21', '親等關聯資料', '張', 30, 2, 15, '戶政規費收費標準第7條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 22, '22', '戶口統計資料', '張', 10, 0, 0, '戶政規費收費標準第5條', '', '[]', '[{"code":"school","label":"學校申請減半收取（第5條）","percent":50},{"code":"government","label":"政府機關申請免收（第5條）","percent":0}]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 23, '23', '戶口統計資料電子檔(未滿50MB)', '件', 1000, 0, 0, '戶政規費收費標準第5條', '', '[]', '[{"code":"school","label":"學校申請減半收取（第5條）","percent":50},{"code":"government","label":"政府機關申請免收（第5條）","percent":0}]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 24, '24', '戶口統計資料電子檔(50MB以上未滿100MB)', '件', 1500, 0, 0, '戶政規費收費標準第5條', '', '[]', '[{"code":"school","label":"學校申請減半收取（第5條）","percent":50},{"code":"government","label":"政府機關申請免收（第5條）","percent":0}]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 25, '25', '戶口統計資料電子檔(100MB以上未滿500MB)', '件', 2500, 0, 0, '戶政規費收費標準第5條', '', '[]', '[{"code":"school","label":"學校申請減半收取（第5條）","percent":50},{"code":"government","label":"政府機關申請免收（第5條）","percent":0}]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 26, '26', '戶口統計資料電子檔(500MB以上)', '件', 3500, 0, 0, '戶政規費收費標準第5條', '', '[]', '[{"code":"school","label":"學校申請減半收取（第5條）","percent":50},{"code":"government","label":"政府機關申請免收（第5條）","percent":0}]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 27, '31', '印鑑登記(申請)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑登記"]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 28, '32', '印鑑登記(變更)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑變更登記"]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 29, '33', '印鑑登記(廢止)', '次', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '["印鑑廢止登記"]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 30, '34', '印鑑證明', '張', 20, 0, 0, '印鑑登記辦法第12條（地方收費標準）', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 31, '35', '自然人憑證IC卡', '張', 250, 0, 0, '內政部憑證管理中心工本費', '', '["自然人憑證"]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 32, '41', '歸化國籍許可證書', '張', 1200, 0, 0, '國籍規費收費標準第2條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 33, '42', '喪失國籍許可證書', '張', 1200, 0, 0, '國籍規費收費標準第2條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 34, '43', '回復國籍許可證書', '張', 1200, 0, 0, '國籍規費收費標準第2條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 35, '44', '中華民國國籍證明', '張', 1000, 0, 0, '國籍規費收費標準第2條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 36, '45', '國籍許可證書換發', '張', 1000, 0, 0, '國籍規費收費標準第3條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 37, '46', '國籍許可證書補發', '張', 1000, 0, 0, '國籍規費收費標準第3條', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions)
    SELECT id, 38, '47', '歸化國籍測試報名', '次', 500, 0, 0, '歸化國籍基本語言能力及國民權利義務基本常識測試（報名費）', '', '[]', '[]' FROM fee_versions WHERE effective_from = '2023-09-12' AND withdrawn_at = '';
