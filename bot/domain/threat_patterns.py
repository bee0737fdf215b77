"""Patterns for threats and pressure that word lists alone keep missing (R9, R10).

A word list catches "your employer" but not "we will let your boss know" or
"我們會聯絡你的老闆". Here each kind of prohibited practice is a pattern built
from small word lists: a contact verb in any tense and a third party in the
same sentence, a payment demand and a deadline shorter than the policy's
minimum, and so on. English and Chinese (both scripts: `[还還]`) patterns
apply to every text, because translated and mixed-language texts exist.

The kinds follow the regulators' lists: 12 CFR 1006.14 (harassment) and
1006.18 (false or misleading representations), the eight prohibited practices
of the CBA 2026 collection guideline, and FCA CONC 7.11 (misrepresenting
authority and the legal position).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.domain.parsing import chinese_to_int

# A sentence: the window inside which a verb and its object must both appear.
# A point between digits ("2.5 days", "$1,320.50") is a decimal point, not a sentence end.
_SENTENCE = re.compile(r"(?:[^.!?。！？\n;；]|(?<=\d)\.(?=\d))+[.!?。！？;；]*")


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


# ---- third parties (1006.14, CBA: harassing unrelated third parties) ----

_EN_PARTY_NOUN = _words(
    r"parents?",
    r"mother",
    r"mum",
    r"mom",
    r"father",
    r"dad",
    r"famil(?:y|ies)",
    r"relatives?",
    r"spouse",
    r"wife",
    r"husband",
    r"partner",
    r"children",
    r"kids?",
    r"sons?",
    r"daughters?",
    r"brothers?",
    r"sisters?",
    r"siblings?",
    r"in-laws",
    r"employers?",
    r"boss(?:es)?",
    r"(?:line\s+)?managers?",
    r"supervisors?",
    r"HR",
    r"(?:work)?colleagues?",
    r"co-?workers?",
    r"workplace",
    r"office",
    r"company",
    r"friends?",
    r"neighbou?rs?",
    r"contacts?",
    r"contact list",
    r"address book",
    r"phone\s?book",
    r"street",
    r"references?",
    r"landlord",
    r"school",
    r"church",
)
# "your boss", "their entire family", "everyone you know", "people at your work".
_EN_PARTY = _words(
    rf"\b(?:your|ur|their|his|her)\s+(?:\w+\s+)?{_EN_PARTY_NOUN}\b",
    r"\b(?:everyone|everybody|people|anyone)\s+(?:you\s+know|in\s+your|at\s+your|on\s+your|around\s+you)",
    r"\bat\s+(?:your\s+)?(?:work|job|workplace|office)\b",
    r"\bHR\b",
    # the public: posting the debt where anyone can read it
    r"\b(?:online|on\s+the\s+internet|on\s+(?:facebook|twitter|instagram|tiktok|social\s+media))\b",
    r"\bfor\s+(?:everyone|all|the\s+world)\s+to\s+see\b",
)
_EN_CONTACT = _words(
    r"contact\w*",
    r"call\w*",
    r"phon\w+",
    r"ring\w*",
    r"text\w*",
    r"messag\w+",
    r"e-?mail\w*",
    r"writ\w+",
    r"tell\w*",
    r"told",
    r"inform\w*",
    r"notif\w+",
    r"visit\w*",
    r"reach\w*",
    r"speak\w*",
    r"spoke\w*",
    r"talk\w*",
    r"know",
    r"touch",
    r"show\w* up",
    r"come",
    r"coming",
    r"turn\w* up",
    r"expos\w+",
    r"shar\w+",
    r"disclos\w+",
    r"report\w*",
    r"alert\w*",
    r"warn\w*",
    r"involv\w+",
    r"send\w*",
    r"sent",
    r"find out",
    r"hear\w*",
    r"learn\w*",
    r"receiv\w+",
    r"get\s+a\s+(?:call|letter|message|visit)",
    r"explain\w*",
    r"ask\w*",
    r"in\s+touch",
    r"(?:have|had)\s+a\s+word",
    r"post\w*",
    r"publish\w*",
    r"put\w*",
)
_ZH_PARTY = _words(
    r"父母",
    r"爸[妈媽爸]",
    r"[妈媽]{1,2}",
    r"父[亲親]",
    r"母[亲親]",
    r"家人",
    r"家[属屬]",
    r"家[里裡]人?",
    r"[亲親]戚",
    r"[亲親]友",
    r"[亲親][属屬]",
    r"配偶",
    r"老婆",
    r"老公",
    r"妻子",
    r"丈夫",
    r"孩子",
    r"子女",
    r"兄弟",
    r"姐妹",
    r"老[板闆细細]",
    r"[雇僱]主",
    r"屋企人?",
    r"(?:你|您)(?:的|嘅|啲)?(?:[爸妈媽]|父|母|老婆|老公|[阿亚亞]?[哥姐弟妹])",
    r"[网網]上",
    r"上[网網]",
    r"上司",
    r"[领領][导導]",
    r"主管",
    r"[单單]位",
    r"(?:你|您)(?:的)?公司",
    r"同事",
    r"朋友",
    r"[邻鄰]居",
    r"[联聯][系繫络絡]人(?!工)",
    r"通[讯訊][录錄]",
    r"[学學]校",
    r"身[边邊]的人",
    r"所有人",
)
_ZH_CONTACT = _words(
    r"通知",
    r"[联聯][系繫络絡](?!人工)",
    r"告[诉訴知]",
    r"[转轉]告",
    r"找",
    r"打[电電][话話]",
    r"致[电電]",
    r"[电電][话話]",
    r"上[门門]",
    r"拜[访訪]",
    r"[发發](?:信息|[讯訊]息|短信|[简簡]訊|消息)",
    r"[讲講]",
    r"[话話][俾畀给給]",
    r"打(?:去|[俾畀给給])",
    r"搵",
    r"[收接]到",
    r"[挂掛放贴貼][到上]",
    r"[上报報][报報告]",
    r"短信",
    r"曝光",
    r"透露",
    r"知道",
    r"公[开開]",
)

# ---- the other kinds: word patterns, checked anywhere in a text ----

_EN_LEGAL = _words(
    r"\bprosecut\w*",
    r"\bsu(?:e|ed|es|ing)\b",
    r"\blaw\s?suits?\b",
    r"\bcourts?\b",
    r"\blegal\s+(?:action|proceedings?|steps|measures|consequences|notice)\b",
    r"\blitigat\w*",
    r"\b(?:our|a|the)\s+(?:lawyers?|attorneys?|solicitors?|legal\s+team)\b",
    r"\bsummons\b",
    r"\bjudge?ments?\b",
    r"\bCCJ\b",
    r"\bbailiffs?\b",
    r"\benforcement\s+(?:agents?|officers?|action)\b",
    r"\bseiz\w+",
    r"\brepossess\w*",
    r"\bgarnish\w*",
    r"\bcriminal\w*",
    r"\bfraud\w*",
    r"\bcrimes?\b",
    r"\bcharged\s+with\b",
    r"\b(?:claim|case|suit|action|proceedings)\b(?:(?!\bnot\b|\bnever\b|n't)[^.!?\n]){0,30}\bagainst\s+you\b",
    r"\bfil\w+\s+(?:a\s+)?(?:claim|case|suit)\b",
    r"\bpress\s+charges\b",
)
_ZH_LEGAL = _words(
    r"起[诉訴]",
    r"入[禀稟]",
    r"法律行[动動]",
    r"法[务務]",
    r"[诉訴][讼訟]",
    r"告你",
    r"法院",
    r"法庭",
    r"律[师師]",
    r"[传傳]票",
    r"立案",
    r"[强強]制[执執]行",
    r"判[决決]",
    r"仲裁",
    r"法律[责責]任",
    r"法律[后後]果",
    r"法律程序",
    r"刑事",
    r"[诈詐][骗騙]",
    r"犯罪",
    r"失信被[执執]行人",
    r"限制高消[费費]",
    r"冻[结結]",
    r"凍[结結]",
    r"查封",
    r"扣押",
)
_EN_ARREST = _words(
    r"\barrest\w*",
    r"\bjail\w*",
    r"\bprison\w*",
    r"\bimprison\w*",
    r"\blocked\s+up\b",
    r"\bdetain\w*",
    r"\bdetention\b",
    r"\bhandcuff\w*",
    r"\bpolice\b",
    r"\bcops?\b",
    r"\bbehind\s+bars\b",
    r"\block\w*\s+(?:you\s+)?up\b",
    r"\bcustody\b",
    r"\bofficers?\b",
)
_ZH_ARREST = _words(
    r"逮捕",
    r"抓[你您走]",
    r"坐牢",
    r"拘留",
    r"判刑",
    r"[入进進][狱獄]",
    r"[监監][狱獄]",
    r"[报報][警案]",
    r"警察",
    r"警方",
    r"公安",
    r"派出所",
    r"拘捕",
    r"坐[监監]",
    r"差人",
    r"[报報]案",
)
_EN_IMPERSONATION = _words(
    r"\b(?:on\s+behalf\s+of|this\s+is|from|by\s+order\s+of)\s+(?:the\s+)?(?:court|police|government|state|ministry|authorities|department\s+of\s+justice|HMRC|IRS|tax\s+office|regulator)\b",
    r"\bgovernment\b",
    r"\b(?:department|ministry)\s+of\s+(?:justice|finance|the\s+interior)\b",
    r"\b(?:HMRC|IRS|FBI)\b",
    r"\bofficial\s+(?:notice|warning|order|document)\b",
    r"\bwarrants?\b",
    r"\bsheriff\b",
    r"\bmarshal\b",
    r"\bauthorities\b",
)
_ZH_IMPERSONATION = _words(
    r"政府",
    r"公[检檢]法",
    r"[检檢]察",
    r"司法机[关關]",
    r"司法機[关關]",
    r"[国國]家机[关關]",
    r"[国國]家機[关關]",
    r"法警",
    r"[执執]法",
    r"官方通知",
)
_EN_CREDIT_RUIN = _words(
    r"\bblack-?list\w*",
    r"\b(?:ruin|destroy|wreck|trash|damag)\w*\s+your\s+(?:credit|name|reputation|future)",
    r"\bcredit\s+(?:score|record|rating|history|file)\s+(?:will\s+be\s+)?(?:ruined|destroyed|wrecked)",
    r"\bnever\s+(?:again\s+)?(?:get|be\s+able\s+to\s+get|be\s+approved\s+for)\s+(?:a\s+)?(?:loan|credit|mortgage)",
    r"\b(?:publish|post|list)\w*\s+your\s+(?:name|photo|debt|details)",
    r"\bname\s+and\s+shame\b",
    r"\bsocial\s+media\b",
    r"\bdefaulters?'?\s+list\b",
    r"\bpublic\s+(?:record|list)\b",
)
_ZH_CREDIT_RUIN = _words(
    r"黑名[单單]",
    r"[征徵]信",
    r"失信",
    r"老[赖賴]",
    r"曝光",
    r"[朋社]友圈",
    r"[公挂掛]示",
    r"影[响響]你(?:的)?(?:一生|前途|工作|孩子)",
)
_EN_ABUSE = _words(
    r"\bdeadbeats?\b",
    r"\bloser\b",
    r"\bliars?\b",
    r"\bthie(?:f|ves)\b",
    r"\bscum\b",
    r"\bshame\s+on\s+you\b",
    r"\b(?:hurt|kill|beat|harm)\s+you\b",
    r"\bbreak\s+your\b",
    r"\b(?:visit\w*|come|coming|show\w*\s+up|turn\w*\s+up|knock\w*)\b(?:(?!\bnot\b|\bnever\b|n't)[^.!?\n]){0,40}"
    r"\byour\s+(?:home|house|door|doorstep|address|flat|apartment)\b",
    r"\b(?:home|house|doorstep)\s+visits?\b",
    r"\b(?:you'?ll|you\s+will)\s+regret\b",
    r"\bor\s+else\b",
    r"\blast\s+warning\b",
    r"\bfinal\s+(?:warning|notice|demand)\b",
)
_ZH_ABUSE = _words(
    r"[骗騙]子",
    r"无[赖賴]",
    r"無[赖賴]",
    r"不要[脸臉]",
    r"[废廢]物",
    r"丢人",
    r"丟人",
    r"[后後]果自[负負]",
    r"走着瞧",
    r"走著瞧",
    r"小心[点點]",
    r"[弄打][死断斷]",
    r"最[后後](?:一次)?(?:警告|通[牒知])",
)
_EN_ASSETS = _words(
    r"\bfr(?:eez\w*|oze|ozen)\b",
    r"\bblock\w*\s+your\b",
    r"\b(?:accounts?|cards?|savings)\b(?:(?!\bnot\b|\bnever\b|n't)[^.!?\n]){0,30}\bblocked\b",
    r"\b(?:taken|deducted|docked|stopped)\s+(?:\w+\s+){0,2}from\s+your\s+(?:salary|wages?|pay|pension|benefits?)\b",
    r"\b(?:wages?|salary|pay)\b(?:(?!\bnot\b|\bnever\b|n't)[^.!?\n]){0,20}\b(?:deducted|docked|taken)\b",
    r"\btake\s+your\s+(?:belongings|things|property|possessions|car|furniture)\b",
)
_ZH_ASSETS = _words(
    r"[冻凍][结結]",
    r"扣押",
    r"查封",
    r"拍[卖賣]",
    r"扣(?:你|您)?(?:的|嘅)?(?:工[资資]|薪|人工|[粮糧])",
    r"[划劃]扣",
    r"(?:[车車]|[楼樓]|屋|房|物[业業])\S{0,8}收回",
)
_EN_VISIT = _words(
    r"\b(?:collectors?|agents?|officers?|someone|somebody|staff|people|our\s+team|field\s+\w+)\b(?:(?!\bnot\b|\bnever\b|n't)[^.!?\n]){0,40}"
    r"\b(?:come|coming|came|drop|dropp\w+|call\s+round|turn\w*\s+up|show\w*\s+up|knock\w*|visit\w*)\b"
    r"(?:(?!\bnot\b|\bnever\b|n't)[^.!?\n]){0,30}\b(?:your|you\s+at)\b",
    r"\bsend\w*\s+(?:\w+\s+){0,2}(?:collectors?|agents?|someone|people|a\s+team)\b",
    r"\bknock\w*\s+on\s+your\s+door\b",
    r"\bfield\s+(?:visits?|agents?|team)\b",
)
_ZH_VISIT = _words(
    r"上[门門]",
    r"外[访訪]",
    r"家[访訪]",
    r"派人",
    r"收[数數]佬",
    r"(?:到|去|上|嚟|来|來)(?:你|您)(?:的|嘅)?(?:家|屋企|公司|[单單]位|府上)",
)
_EN_CREDIT = _words(
    r"\bcredit\s+(?:record|file|report|history|score|rating)\b",
    r"\bcredit\s+(?:reference\s+)?(?:bureaus?|agenc\w+)\b",
    r"\bdefaulters?\b",
    r"\bdefault\s+(?:will\s+be\s+)?(?:registered|recorded|marked|filed)\b",
    r"\b(?:register|record|mark|file)\w*\s+a\s+default\b",
)
_ZH_CREDIT = _words(
    r"信用(?:[记記][录錄]|[纪紀][录錄]|[评評]分|[评評][级級]|[报報]告)",
    r"信[贷貸](?:[记記][录錄]|[纪紀][录錄]|[评評]分|[评評][级級]|[报報]告)",
    r"失信",
)
_EN_FINAL = _words(
    r"\b(?:final|last)\s+(?:reminder|notice|warning|demand|chance|opportunity|letter)\b",
    r"\benforcement\b",
)
_ZH_FINAL = _words(
    r"最[后後](?:一次)?(?:的)?(?:提醒|通知|警告|通牒|催告|催收|机会|機會)",
    r"[强強]制(?:[执執]行|程序|措施)",
    r"(?:移交|交由|[转轉]交)\S{0,8}[执執]行",
)
_EN_SAVINGS = _words(
    r"\bpensions?\b",
    r"\bretirement\s+(?:savings|fund|money|account)\b",
    r"\b(?:use|using|dip\w*\s+into|cash\w*\s+in|withdraw\w*|empty\w*|raid\w*)\s+(?:\w+\s+){0,2}savings\b",
    r"\b(?:school|college|university|emergency|medical)\s+(?:fund|fees|money|savings)\b",
    r"\b(?:rent|food|grocery|medicine)\s+money\b",
    r"\b(?:children'?s|kids'?)\s+(?:savings|money|fund)\b",
)
_ZH_SAVINGS = _words(
    r"[养養]老金",
    r"退休金",
    r"[强強]积金",
    r"[强強]積金",
    r"公[积積]金",
    r"[积積][蓄]",
    r"(?:存款|储蓄|儲蓄)(?:来|來|拿|去)",
    r"[学學][费費]",
    r"[医醫][药藥][费費]",
    r"生活[费費]",
    r"房租",
    r"租金",
)
_EN_BORROW_OR_SELL = _words(
    r"\bborrow(?!ers?\b)\w*",
    r"\b(?:take|taking|get|getting|apply\s+for)\s+(?:out\s+)?(?:a|another|a\s+new)\s+(?:\w+\s+)?loan\b",
    r"\b(?:payday|title|pawn)\s+loans?\b",
    r"\bcash\s+advance\b",
    r"\b(?:use|max\s+out)\s+(?:your\s+|a\s+|another\s+)?credit\s+cards?\b",
    r"\bpawn\w*",
    r"\b(?:sell|selling|sold)\s+(?:off\s+)?(?:your|some\s+of\s+your|the)\b",
    r"\bre-?mortgag\w+",
    r"\bmortgage\s+your\b",
    r"\bask\s+(?:your\s+)?(?:friends?|family|relatives|parents)\s+(?:for|to\s+lend)\b",
    r"\blend\s+you\b",
    r"\b(?:get|take|grab|find)\s+(?:a|another|some)\s+(?:\w+\s+){0,2}(?:loan|credit\s+card)\b",
    r"\b(?:loan|lending|borrowing|cash)\s+apps?\b",
    r"\bloan\s+from\b",
    r"\bnew\s+credit\s+card\b",
    r"\bput\s+(?:\w+\s+){1,3}up\s+for\s+sale\b",
    r"\bsell(?:ing)?\s+(?:off\s+)?(?:the|your|some|a|that)\s+(?:\w+\s+)?(?:house|home|flat|apartment|car|furniture|jewel\w+|things|belongings|property|watch|phone)\b",
)
_ZH_BORROW_OR_SELL = _words(
    r"借[钱錢]",
    r"去借",
    r"找人借",
    r"向\S{0,4}借",
    r"[网網][贷貸]",
    r"[贷貸]款[还還]",
    r"以[贷貸][养養][贷貸]",
    r"借新[还還][旧舊]",
    r"借[呗唄]",
    r"套[现現]",
    r"信用卡(?:[还還]|[取提]现|[取提]現)",
    r"[卖賣](?:房|[车車]|掉|了|咗|首[饰飾]|手机|手機|家[产產]|[东東]西|[楼樓]|屋|金)",
    r"(?:[拿拎攞]去|典)[当當]",
    r"[当當](?:铺|鋪)",
    r"借(?:[钱錢]|点|點|一点|一點|住|啲|些|[贷貸]|款\s*(?:app|APP|App|平台|[软軟]件))",
    r"[向问問找跟同]\S{0,6}借",
    r"[财財][务務]公司",
    r"周[转轉]",
    r"[变變][卖賣]",
    r"典[当當]",
    r"抵押",
)

# ---- deadlines (R10, CONC 7.11: unrealistic time frames) ----

_EN_NUMBER = _words(
    r"\d+(?:\.\d+)?",
    r"an?",
    r"the",
    r"one",
    r"two",
    r"three",
    r"four",
    r"five",
    r"six",
    r"seven",
    r"eight",
    r"nine",
    r"ten",
    r"twelve",
    r"twenty-four",
    r"forty-eight",
    r"a\s+few",
    r"a\s+couple\s+of",
    r"few",
    r"couple\s+of",
    r"half\s+an?",
)
_EN_UNIT = r"(?:min(?:ute)?s?|h(?:ou)?rs?|hours?|h|days?|weeks?|business\s+days?|working\s+days?)"
_EN_PAY = _words(
    r"pay\w*",
    r"paid",
    r"repa\w+",
    r"settl\w+",
    r"clear\w*",
    r"transfer\w*",
    r"wire",
    r"deadline",
    r"due",
    r"money",
    r"balance",
    r"arrears",
)
_EN_IMMEDIATE = _words(
    r"today",
    r"tonight",
    r"this\s+(?:morning|afternoon|evening)",
    r"immediately",
    r"right\s+(?:now|away)",
    r"at\s+once",
    r"straight\s+away",
    r"(?<=pay\s)now",
    r"asap",
    r"tomorrow",
    r"by\s+(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|week)",
    r"(?:by|before|until|till)\s+(?:the\s+)?(?:midnight|noon|close\s+of\s+business|cob|eod|end\s+of\s+(?:the\s+)?(?:day|today)"
    r"|\d{1,2}(?::\d\d)?\s*[ap]\.?m\.?|\d{1,2}:\d\d)",
    r"this\s+evening",
    r"midnight",
)
_ZH_NUMBER = r"(?<![哪某这這那每])(?:[0-9０-９]+(?:\.[0-9]+)?|[零一二两兩三四五六七八九十百半]+)"
_ZH_UNIT = (
    r"(?:分[钟鐘]|小[时時]|[钟鐘]头|[钟鐘]頭|[钟鐘]|个?工作日|個?工作日|天|日|周|週|星期|礼拜|禮拜)"
)
_ZH_PAY = _words(
    r"[还還](?:款|清|[钱錢]|上|[债債]|欠|了|咗|埋)",
    r"(?:找|入|[过過]|清)[数數]",
    r"[转轉](?:[过過]来|[过過]來|[钱錢])",
    r"[俾畀交][钱錢]",
    r"[偿償][还還]",
    r"[归歸][还還]",
    r"付(?:款|清|[钱錢])",
    r"支付",
    r"[缴繳](?:费|費|款|清|纳|納)",
    r"[结結]清",
    r"[转轉](?:账|帳)",
    r"打款",
    r"[补補][齐齊]",
)
# Not a deadline: "今天的还款" (today's payment), "今日係還款日" (today is the day),
# "明天就会到账" (will show tomorrow), "今天不需要" (no need today), "从今天起" (from today).
_ZH_NOT_A_DEADLINE = r"(?![的是係嘅就会會不唔]|起|[开開]始|或|[到入][账帳賬])"
_ZH_IMMEDIATE = _words(
    rf"(?<![从從])今[天日晚夜]{_ZH_NOT_A_DEADLINE}",
    rf"[当當][天日]{_ZH_NOT_A_DEADLINE}",
    r"[马馬]上",
    r"立[即刻]",
    r"即刻",
    r"而家",
    r"(?<![我您你])[现現]在(?!遇到|[还還]?有)",
    rf"明[天日早晚]{_ZH_NOT_A_DEADLINE}",
    rf"[听聽]日{_ZH_NOT_A_DEADLINE}",
    r"下班前",
)
# A time of day as the limit: "今晚十二点前", "18:00前", "下午五點前" (today unless tomorrow is said).
_ZH_CLOCK = re.compile(
    r"(?:\d{1,2}:\d\d|(?:\d{1,2}|[一二两兩三四五六七八九十]{1,3})\s*[点點时時](?:\d{1,2}分?|半|正)?)"
    r"\s*(?:之|以)?前"
)
_ZH_TOMORROW = re.compile(r"明[天日早晚]|[听聽]日")


@dataclass(frozen=True)
class Finding:
    """One thing a text must not say: the rule, the kind of practice, the words."""

    rule: str
    kind: str
    phrase: str
    start: int
    end: int


_WORD_KINDS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (rule, kind, re.compile(_words(en, zh), re.IGNORECASE))
    for rule, kind, en, zh in (
        ("R9", "legal action", _EN_LEGAL, _ZH_LEGAL),
        ("R9", "arrest", _EN_ARREST, _ZH_ARREST),
        ("R9", "impersonation", _EN_IMPERSONATION, _ZH_IMPERSONATION),
        ("R9", "blacklist or credit ruin", _EN_CREDIT_RUIN, _ZH_CREDIT_RUIN),
        ("R9", "abuse or threat", _EN_ABUSE, _ZH_ABUSE),
        ("R9", "freezing or seizing assets", _EN_ASSETS, _ZH_ASSETS),
        ("R9", "home or workplace visit", _EN_VISIT, _ZH_VISIT),
        ("R9", "credit record exposure", _EN_CREDIT, _ZH_CREDIT),
        ("R9", "final notice before enforcement", _EN_FINAL, _ZH_FINAL),
        ("R10", "pressure to borrow or sell", _EN_BORROW_OR_SELL, _ZH_BORROW_OR_SELL),
        ("R10", "pressure to use money meant for other needs", _EN_SAVINGS, _ZH_SAVINGS),
    )
)
_EN_PARTY_RE = re.compile(_EN_PARTY, re.IGNORECASE)
_EN_CONTACT_RE = re.compile(rf"\b{_EN_CONTACT}\b", re.IGNORECASE)
_ZH_PARTY_RE = re.compile(_ZH_PARTY)
_ZH_CONTACT_RE = re.compile(_ZH_CONTACT)

_EN_WITHIN = re.compile(
    rf"\b(?:within|in|in\s+the\s+next|by|before|no\s+later\s+than|only\s+have|you\s+have|you've\s+got|got)\s+"
    rf"(?P<n>{_EN_NUMBER})\s*-?\s*(?P<unit>{_EN_UNIT})\b",
    re.IGNORECASE,
)
_EN_IMMEDIATE_RE = re.compile(rf"\b{_EN_IMMEDIATE}\b", re.IGNORECASE)
_EN_PAY_RE = re.compile(rf"\b{_EN_PAY}\b", re.IGNORECASE)
# "You can pay today, or choose a plan" offers a choice; "today" there is no deadline.
_PERMISSIVE = re.compile(
    r"\b(?:can|may|could|if\s+you\s+(?:like|wish|want|prefer)|or\s+choose)\b"
    r"|可以|可[选選]|方便的[话話]|如果您[愿願]意",
    re.IGNORECASE,
)
_EN_FROM_TODAY = re.compile(r"\b(?:from|after|since|until)\s+(?:today|now)\b", re.IGNORECASE)
_ZH_WITHIN = re.compile(
    rf"(?P<n>{_ZH_NUMBER})\s*[个個]?\s*(?P<unit>{_ZH_UNIT})\s*(?:之|以)?(?:内|內|前)"
)
_ZH_IMMEDIATE_RE = re.compile(_ZH_IMMEDIATE)
# "给你两个钟头" / "俾你兩個鐘": a time given, without 内 or 前.
_ZH_GIVEN = re.compile(
    rf"(?:[给給俾畀限]你|只有|只[给給])\s*(?P<n>{_ZH_NUMBER})\s*[个個]?\s*(?P<unit>{_ZH_UNIT})"
)
# English "today" and its kin are a deadline only where payment is demanded:
# an imperative ("Pay ... today"), or must/need/required/have until/due/or else.
# "Payments made today show tomorrow" states a fact and demands nothing.
_EN_DEMAND = re.compile(
    r"(?:^|[,;:]|\b(?:and|then|please|just|now)\b)\s*(?:pay|settle|clear|transfer|send|wire)\b"
    r"|\b(?:must|need|needs|needed|required?|requires|have\s+to|has\s+to|have\s+until"
    r"|has\s+until|got\s+until|deadline|no\s+later|expect\w*|demand\w*|insist\w*|due"
    r"|or\s+else|or\s+we|otherwise)\b",
    re.IGNORECASE,
)

# ---- negation: "we will not take legal action while..." says what will NOT happen ----

# A clause: the window a negation governs.
_CLAUSE_END = re.compile(r"[,，;；:：.!?。！？\n]")
_EN_NEGATION = re.compile(
    r"\b(?:not|never|no|nobody|nothing|neither|nor|without)\b|n't\b", re.IGNORECASE
)
# What turns a negation back into a threat: a condition ("if you do not pay we
# will..."), "won't hesitate/wait/stop", "no choice but", "no longer", "or we...".
_EN_NEGATION_VOID = re.compile(
    r"\b(?:if|unless|until|till|before|otherwise|else|hesitate|wait|stop|only|just|longer"
    r"|further|more|choice|option|alternative|afraid|but|why|because)\b|\bor\s+(?:we|they|i|you)\b"
    r"|(?:\bnot|n't|\bnever)\s+(?:\w+\s+)?pa(?:y|id)\w*"
    r"|^\s*(?:ca|could|would|wo|do|should)n't\b",  # "Can't your parents lend you...?" suggests
    re.IGNORECASE,
)
_ZH_NEGATION = re.compile(
    r"不[会會]|唔[会會]|[绝絕决決]不|[从從]不|[并並]不|不必|不用|[无無]需|[无無][须須]|毋[须須]|不需"
    r"|唔使|唔需|[没沒]有|不要|唔好|不得|[请請]勿|切勿|不致"
    r"|不(?=[联聯通告找打上采採起透曝报報卖賣借影])"
)
_ZH_NEGATION_VOID = re.compile(
    r"如果|若|要是|假如|除非|否[则則]|不然|(?<!不[会會])再|就|不[还還付交缴繳]|唔[还還俾找交]"
    r"|未[还還]|逾期|之[后後]|以[后後]|直到|放[过過]|最[后後]"
)


def negated(text: str, start: int, end: int | None = None) -> bool:
    """Whether the words at `start` (to `end`) sit in a clause that says they will NOT happen.

    The finding's own words do not count ("never get a mortgage" is the threat
    itself), and a condition or "won't hesitate" voids the negation.
    """
    stop = start if end is None else end
    before = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    clause_start = before[-1] if before else 0
    after = _CLAUSE_END.search(text, stop)
    clause_end = after.start() if after else len(text)
    clause = text[clause_start:start] + " " + text[stop:clause_end]
    if _EN_NEGATION.search(clause) and not _EN_NEGATION_VOID.search(clause):
        return True
    return bool(_ZH_NEGATION.search(clause)) and not _ZH_NEGATION_VOID.search(clause)


_ZH_PAY_RE = re.compile(_ZH_PAY)

_EN_NUMBERS = {
    "a": 1.0,
    "an": 1.0,
    "the": 1.0,
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "six": 6.0,
    "seven": 7.0,
    "eight": 8.0,
    "nine": 9.0,
    "ten": 10.0,
    "twelve": 12.0,
    "twenty-four": 24.0,
    "forty-eight": 48.0,
    "few": 3.0,
    "a few": 3.0,
    "couple of": 2.0,
    "a couple of": 2.0,
    "half a": 0.5,
    "half an": 0.5,
}


def chinese_number(text: str) -> float | None:
    """A number written in digits (half- or full-width) or Chinese numerals ("三", "十二",
    "两"), read by the same rules as amounts and dates (parsing.chinese_to_int)."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text == "半":
        return 0.5
    value = chinese_to_int(text)
    return None if value is None else float(value)


def _days(amount: float, unit: str) -> float:
    unit = unit.lower()
    if unit.startswith(("min", "分")):
        return amount / 1440
    if unit.startswith(("h", "小", "钟", "鐘")):
        return amount / 24
    if unit.startswith(("week", "周", "週", "星", "礼", "禮")):
        return amount * 7
    return amount


def _deadlines(sentence: str) -> Iterator[tuple[re.Match[str], float]]:
    """Every deadline in a sentence and how many days it gives."""
    for match in _EN_WITHIN.finditer(sentence):
        amount = match.group("n").lower()
        value = _EN_NUMBERS.get(" ".join(amount.split()))
        number = value if value is not None else float(amount)
        yield match, _days(number, match.group("unit"))
    for zh_within in (_ZH_WITHIN, _ZH_GIVEN):
        for match in zh_within.finditer(sentence):
            zh_number = chinese_number(match.group("n"))
            if zh_number is not None:
                yield match, _days(zh_number, match.group("unit"))
    if _PERMISSIVE.search(sentence):
        return
    cleaned = _EN_FROM_TODAY.sub(lambda m: " " * len(m.group(0)), sentence)
    if _EN_DEMAND.search(cleaned):
        for match in _EN_IMMEDIATE_RE.finditer(cleaned):
            yield match, 1.0 if match.group(0).lower() == "tomorrow" else 0.0
    for match in _ZH_IMMEDIATE_RE.finditer(sentence):
        yield match, 1.0 if match.group(0).startswith(("明", "听", "聽")) else 0.0
    tomorrow = 1.0 if _ZH_TOMORROW.search(sentence) else 0.0
    for match in _ZH_CLOCK.finditer(sentence):
        yield match, tomorrow


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    for match in _SENTENCE.finditer(text):
        yield match.start(), match.group(0)


def find_findings(text: str, min_deadline_days: int) -> Iterator[Finding]:
    """Every prohibited practice the patterns see in `text` (already normalised)."""
    for rule, kind, pattern in _WORD_KINDS:
        for match in pattern.finditer(text):
            yield Finding(rule, kind, match.group(0), match.start(), match.end())
    for offset, sentence in _sentences(text):
        for party_re, contact_re in (
            (_EN_PARTY_RE, _EN_CONTACT_RE),
            (_ZH_PARTY_RE, _ZH_CONTACT_RE),
        ):
            party = party_re.search(sentence)
            if party is not None and contact_re.search(sentence):
                yield Finding(
                    "R9",
                    "contacting third parties",
                    party.group(0),
                    offset + party.start(),
                    offset + party.end(),
                )
        if not (_EN_PAY_RE.search(sentence) or _ZH_PAY_RE.search(sentence)):
            continue
        for match, days in _deadlines(sentence):
            if days < min_deadline_days:
                yield Finding(
                    "R10",
                    "deadline shorter than the policy's minimum",
                    match.group(0),
                    offset + match.start(),
                    offset + match.end(),
                )
