"""The second and third answer to "is this a crisis?": possible, and no.

Safe-messaging guidance asks directly when a sign is there but not sure: a
farewell without a method ("I've said goodbye to everyone", "講再見"), giving up
("nothing matters any more", "I don't plan on seeing March", "活不到下個月").
Those are *possible* crises: the bot asks whether the borrower is safe.

Intensifier idioms are no sign at all: "this fee is killing me", "dying to get
this done", "my dad would kill me", "愁死", "饿死", "煩到死", "打死我", and a
method word in a story ("the TV drama where he 跳楼"). `without_idioms` takes
them out before the lexicon looks, so the words beside them still count; an
idiom beside another sign of despair is a possible crisis.
"""

from __future__ import annotations

import re

from bot.understanding.text import Prepared

# English, matched on folded text (lower case, apostrophes dropped).
_ENGLISH_IDIOMS = (
    r"(?:is|s|are|re|its|was|be|been|keeps?|this|that|fees?|interest|job|work|commute|rent)"
    r" (?:\w+ )?killing (?:me|us|my)",
    r"(?:would|will|wud|gonna|going to|might|d|ll) (?:\w+ )?kill (?:me|us)",
    r"kill(?:ing)? (?:my|the|our) (?:budget|wallet|bank|savings|credit|score|vibe|mood|back|feet"
    r"|battery|phone|data|ears|eyes|brain|patience)",
    r"(?:bored|scared|worried|annoyed|sick|freaked|frightened|bugged|nagged) (?:me |us )?to death",
    r"(?:app|website|site|page|screen|laptop|phone|battery|wifi|internet|connection|card reader)"
    r" (?:just |then |had |has )?died",
    r"dying (?:to|for|of (?:laughter|embarrassment|boredom|curiosity|hunger))",
    r"(?:im|i am|was) dying (?:here|of)",
    r"(?:phone|battery|car|laptop|line|link|dead) (?:is |s |was |went |just )?"
    r"(?:almost |nearly |about to be |going |gonna be |half )?dead",
    r"dead (?:tired|end|serious|broke|line|set|easy|on time|slow|cheap|simple|good|confused|certain"
    r"|sure|wrong|right|to me|in the water|on arrival|heat|last|weight|beat|keen|honest|quiet"
    r"|funny|lucky|bored|boring|nervous|scared|busy|late|straight|ahead|centre|center)",
    # "financial suicide", "you're killing me with this fee", "I'd die for a month more".
    r"(?:financial|social|career|political|credit|fashion) suicide",
    r"(?:youre|you are|ur|u r|theyre|they are|hes|shes|it is|its) (?:\w+ )?killing me",
    r"(?:would|d|id|wud|could) (?:\w+ )?die for",
    r"(?:team|side|club|we|they|us) (?:got |get |were |was |just )?(?:murdered|slaughtered|killed)"
    r"(?= \d| in| at| by| last| again)",
    r"(?:battery|batterys|phone|phones|laptop|car) (?:is |s )?(?:about to |going to |gonna )?die",
    r"(?:died|die|dying|dead) (?:of |from |with )?laugh\w*",
    r"rather die than (?:pay|call|talk|deal|go|do|sign)",
    r"(?:film|movie|show|series|episode|book|novel|drama|news|documentary)[^.!?\n]{0,40}"
    r"(?:jump\w* (?:off|from)|bridge|kill\w* (?:him|her|them)sel\w*|suicide|overdos\w*"
    r"|dies|died|gets killed|got killed|murder\w*)",
    r"deadline",
    r"over my dead body",
    r"(?:lol|lmao|haha)\w*",
    # Things, places and trades that are "dead": "my wallet is dead", "work is dead this
    # season", "the account is dead till payday", "my chinese is dead rusty".
    r"(?:wallet|purse|account|card|bank|budget|savings|work|business|trade|shop|store|season"
    r"|market|town|economy|signal|reception|wifi|internet|line|app|site|website|phone|battery"
    r"|laptop|car|engine|printer|router|tv|chat|group|plant|plants|chinese|english|cantonese"
    r"|mandarin|french|spanish|japanese|korean|german|maths|math)"
    r" (?:is |s |was |went |are |were |has gone |has been |had been |been |looks |seems )?(?:totally |completely |basically "
    r"|pretty much |practically |almost |nearly |just |kinda |kind of |so |stone |bone )?dead",
    r"dead (?:rusty|lost|quiet|cold|still|flat|low|high|cute|chuffed|hard|jealous|happy|excited|useful"
    r"|handy|rude|annoying|expensive|dear|pricey|long|short|slow|fast|quick|loud|dark|empty)",
    # "crashing to death", "freezing to death", "nagged to death": "very", not a death.
    r"(?:crash|freez|starv|bor|scar|worr|annoy|bug|nag|tickl|spamm?|ring|call|text|messag|stress"
    r"|hound|chas|pester)\w* (?:me |us )?to death",
    # A story or a show where people die: "that zombie show had everyone dead".
    r"(?:film|movie|show|series|episode|book|novel|drama|finale|season|game|zombie\w*)[^.!?\n]{0,40}"
    r"(?:dead|killed off|die off|died off|all die)",
    # Jumping for sport or charity: "jumped out of a plane for charity", skydiving.
    r"jump\w* (?:out of|from) (?:a |an |the )?(?:plane|aeroplane|airplane|helicopter|balloon)",
    r"sky ?div\w*|bungee\w*|parachut\w*|base jump\w*",
    # Dying of a feeling: "going to die of embarrassment", "died of boredom".
    r"(?:die|died|dying|going to die|gonna die) (?:of|from) (?:embarrassment|boredom|shame|laughter|hunger"
    r"|curiosity|cringe|thirst|heat|cold|jealousy|envy|stress)",
    r"(?:be|is|was) the death of me",
    r"(?:id|i would|i could|would|could) (?:\w+ )?(?:kill|murder) (?:for|a)",
    r"killing time",
    # Everyday things that share a word with a method or a place: "my pills cost 200",
    # "stuck on the bridge in traffic", "car exhaust", "fell off the roof fixing gutters",
    # "last day at this job", "gone on a business trip", "no way out of this contract",
    # "cant go on paying 400".
    r"(?:pills?|meds|medication|prescriptions?)(?: \w+){0,2} (?:cost|costs|costing|are expensive|bill|bills|price)",
    r"(?:cost|price|pay for|afford|paying for) (?:of )?(?:my |the )?(?:pills|meds|medication|prescriptions?)",
    r"(?:on|over|across) the bridge (?:in|to|into|at|on the way|this morning|traffic)",
    r"bridge (?:traffic|toll|closure|closed|was closed|is closed)",
    r"(?:car|van|bike)(?:s)? exhaust",
    r"(?:fell|fall|falling|fallen) off (?:the|a|my) (?:roof|ladder|bike|scaffold\w*)",
    r"(?:fix|fixing|repair|repairing|clean|cleaning|leak in|leaking|on) (?:the |my )?roof",
    r"(?:my |the )?(?:last|final) (?:day|week|month|shift) (?:at|of) (?:this |my |the )?"
    r"(?:job|work|office|contract|school|shop|store|factory|warehouse|company|firm|restaurant|site|cafe"
    r"|bar|bank|agency|hospital|depot|plant|mill)",
    r"(?:last|final) day (?:to|for) (?:pay|paying|payment|the payment|apply|sign)",
    r"(?:be|been) gone (?:on|for) (?:a |my )?(?:business trip|trip|holiday|holidays|vacation|work|leave)",
    r"no way out of (?:this|the|my|that) (?:contract|deal|loan|agreement|plan|subscription)",
    r"(?:cant|can not|cannot) (?:go on|keep) (?:paying|payin|doing \d|with \d)",
    r"gun (?:show|shop|range|club|licence|license)",
    # "Be done with it" about a debt or a chat: "lets end this back and forth".
    r"end (?:this|the|our) (?:back and forth|conversation|chat|discussion|argument|call|saga"
    r"|nonsense|drama|headache|mess|debt|loan|account|contract|agreement)",
)
# Chinese, on Simplified text: "very" built with 死, beatings and scoldings at
# home, crashed phones; a method word inside a story is taken out with the story.
_CHINESE_IDIOMS = (
    r"(?:愁|饿|烦|累|笑|哭|喊|压|凶|恶|激|忙|闷|热|冷|吵|气|困|急|痛|怕|攰|悶|憋|挤|晒|冻|渴|穷|懒|吓|丑|难|悔|无聊|辛苦|麻烦|紧张|担心|开心|后悔|紧张|难受|头痛|肉痛|心痛"
    # Annoyance, shame, stupidity, price: "笨死了", "丢脸死", "蠢到死", "差得要死", "贵死".
    r"|笨|蠢|傻|差|烂|衰|惨|臭|贵|慢|坑|嬲|嘈|羞|疼|头疼|头大|丢脸|丢人|丢|尴尬|肉麻|恶心|郁闷|委屈|心烦|心急)"
    r"(?:到|得|都|咁|成咁)?(?:我|人|佢|他|她)?(?:快要|快|要|就快|差啲|半|个半)?死(?:了|啦|咯|喇|人|我|佢)?",
    r"半死(?:不活)?",
    # A promise sworn on one's life: "死也会还", "死都會還".
    r"死(?:也|都)(?:会|要|得|一定|照|照样)?(?:还|给|俾|付|交|清)",
    # A life as a measure: "会要咗我条命", "再多就要我命", "救咗我条命" (not "不想要命").
    r"(?<![不唔想])要(?:了|咗|左)?我(?:的|条|半条|老)?(?:老)?命",
    r"救(?:了|咗|左)?(?:我|我的|我一|我条)?命(?:恩人)?",
    r"头(?:都|好|咁|也)?大",
    r"(?:打|骂|闹|杀|劈|斩|揍|捶)死(?:我|你|佢|他|她|人)",
    r"(?:会|就会|都会|一定)(?:打|骂|闹|杀)死",
    r"死(?:机|线|贵|咸|顶|撑|鬼|佬|仔|人头|火|心眼|磕|板|忠|党|对头|定了|约|期|账|因)",
    r"(?:电视|剧|电影|新闻|小说|动画|漫画|综艺|剧情|情节|主角|角色|演员|丧尸|游戏|tv|show|drama|movie)"
    r"[^。！？!?\n]{0,24}(?:跳楼|跳海|跳河|跳桥|自杀|跳下去|割腕|烧炭|吃药|天台|死(?:了|晒|光|哂|掉|咗|得))",
    r"(?:跳楼|跳海|跳河|跳桥|自杀|烧炭|天台)[^。！？!?\n]{0,12}(?:那集|嗰集|的剧|的戏|剧情|情节|结局|大结局|好看|好睇|狗血|太假|演得)",
    r"(?:跳楼价|跳楼大甩卖|跳楼货|跳楼大减价)",
    r"了结(?:这件事|呢件事|这笔|呢笔|此事|这个|呢个|账|帐|债|笔|件事)",
    # Settling a matter, not a life: "彻底了断这件事", "早啲了結佢" (it, the debt).
    r"(?:了结|了断|结束)(?:掉)?(?:这件事|呢件事|这笔|呢笔|这单|呢单|此事|这个|呢个|这段|呢段"
    r"|佢|它|这些|呢啲|债|账|帐|笔|件事|单|合约|合同|贷款|分期|关系|对话|话题)",
    # Oaths, not wishes: "骗你我不得好死", "死活也会转", "死都會喺三號前轉一千".
    r"不得好死",
    r"好死不死",
    r"(?:不知)?死活(?:也|都|要)?",
    r"死(?:也|都)(?:会|要|得|一定|照|照样)[^。！？，,!?\n]{0,12}?"
    r"(?:还|给|俾|畀|付|交|清|转|过|入数|供)(?![不唔])",
    # 死 as "very" or "stuck": "卡死", "信号死差", "死慢", "害死人", "当死".
    r"(?:卡|当|冻|锁|塞|堵)(?:到|得)?死(?!了我|咗我)",
    r"死(?:差|慢|难|蠢|懒|硬|重|远|长|黑|静|烂|衰|忙|贵|咸|肥|实|板|硬|撑|顶|热|冷|闷|坑|抠|悭|啰嗦|麻烦)",
    r"(?:害|坑|吓|激|闷|烦|气|累|笑|搞)死(?:人|我|你|佢)(?:咩|啦|喇|了|呀|啊)?",
    # A life as a measure, taken as well as wanted: "攞咗我條命", "拿了我半条命".
    r"(?:攞|拿|取)(?:了|咗|左)我(?:的|条|半条)?命",
    # Money that cannot hold out is hardship: "一个人的收入快撑不住了", "生意顶唔顺".
    r"(?:收入|钱|经济|生意|资金|现金流?|工资|人工|预算|家计|家用|荷包|公司|铺头|店)"
    r"[^，。！？,.!?]{0,4}(?:快|就快|都|也|已经|真系|真的)?(?:撑不住|撑唔住|顶唔顺|顶唔住|撑不下去|撑唔落去)",
    # Jumping for sport or charity.
    r"跳伞|蹦极|笨猪跳|跳水|跳绳|跳舞",
    # A refusal sworn on one's life: "我死都不会付这个违约金", "死都唔俾".
    r"死(?:也|都)(?:不|唔|冇)(?:会|肯|想)?(?:付|俾|畀|还|交|给|认|签|理)",
    # Phones and pages that die: "部手機死咗", "网页死了".
    r"(?:手机|电话|部机|电脑|app|网页|网站|系统|屏幕|wifi|网络|电池)[^。！？，,]{0,3}死(?:咗|了|左|晒|机)",
    # Medicine as a cost, a last day to pay, a signature missing, a top floor lived on:
    # "我每天要吃药，医药费太贵了", "今天是最后一天还款吗", "没有我的签名", "我住在顶楼".
    r"(?:吃药|食药|买药|药)[^。！？]{0,8}(?:医药费|药费|好贵|很贵|太贵|几贵|钱|千|百|蚊|块|元)",
    r"(?:堵|塞|卡)(?:车)?(?:在|喺)?桥上|桥上(?:堵|塞)",
    r"(?:医药费|药费)",
    r"最后(?:一天|一日|一晚|一个月|一期)[^。！？]{0,6}(?:还款|供款|缴费|交费|付款|截止|期限|到期|还|供|交|俾|畀)",
    r"(?:还款|供款|缴费|交费|付款|截止|到期)[^。！？]{0,6}最后(?:一天|一日|一晚|一个月|一期)",
    r"(?:没有|冇|未经|无)我(?:的|嘅)?(?:签名|签字|同意|授权|许可|批准|确认)",
    r"(?:住|住在|住喺|搬去|收衫|晒衫|晾衣服|快递|外卖|漏水|水压)[^。！？]{0,6}(?:顶楼|天台|顶层)"
    r"|(?:顶楼|天台|顶层)[^。！？]{0,6}(?:收衫|晒衫|啲衫|衣服|漏水|快递|外卖|水压|信号|装修)",
    # Leaving a chat: "我要走了，下次再聊", "我要走喇，拜拜".
    r"(?:我要走|我先走|要走)(?:了|喇|啦|先)?[^。！？]{0,4}(?:下次|再聊|再倾|拜拜|bye|88|开会|上班|返工|食饭|吃饭)",
    # A loan as the burden: "房贷是我最大的负担".
    r"(?:房贷|车贷|贷款|月供|利息|这笔钱|呢笔钱|债|卡数)[^。！？]{0,6}(?:负担|压力)",
    r"(?:利息|月供|这个月|今个月|呢个月|呢期|这期)[^。！？，,]{0,4}(?:撑不住|撑唔住|顶唔顺|顶唔住)",
    r"(?:撑不住|撑唔住|顶唔顺|顶唔住)[^。！？，,]{0,3}(?:利息|月供|呢个数|这个数|个价|啲利息|这个价|呢个价)",
    r"煤气(?:费|单|公司|炉|罐|表)",
)
IDIOMS = re.compile(
    "|".join([rf"(?<![a-z0-9])(?:{'|'.join(_ENGLISH_IDIOMS)})(?![a-z0-9])", *_CHINESE_IDIOMS])
)

# Farewells and giving up, said without a method: a possible crisis.
_ENGLISH_SIGNS = (
    r"(?:said|say|saying|told|tell|telling) (?:my )?(?:goodbye|goodbyes|bye) to (?:everyone|everybody|all|my|the world)",
    r"(?:said|say|saying) (?:my )?goodbyes",
    r"goodbye (?:cruel )?world",
    r"(?:dont|do not|not|no) (?:plan|planning|intend|expect|expecting|think i will|think ill) (?:on |to )?(?:see|seeing|be around|being around|make it|making it|last|still be here)",
    r"(?:wont|will not|not going to|not gonna|might not|may not|probably wont) (?:see|make it (?:to|through|past)|last (?:until|till|to|through)|be (?:here|around) (?:for|by|in|after|when|next))",
    r"(?:wont|will not) be (?:a problem|your problem|anyones problem) (?:for|much|long)",
    r"(?:wont|will not|isnt going to|not going to) be (?:a |my |your |anyones )?problem"
    r" (?:much |for )?(?:long|longer|soon|any ?more)",
    r"none of (?:it|this|that) (?:will|is going to|would) (?:be my problem|matter)",
    r"(?:gave|given|giving|give) (?:away )?my (?:dog|dogs|cat|cats|pets?|stuff|things|belongings"
    r"|possessions|guitar|car|bike) (?:away|to)",
    r"(?:sorted|sorting|put) (?:out )?(?:all )?my (?:affairs|will)(?! for)",
    r"(?:wrote|written|writing|made|updated) (?:out )?my will",
    r"(?:wont|will not|dont|do not) need (?:any of (?:it|this|them)|anything|money)"
    r"(?: (?:any ?more|after|where|soon|or anything))?",
    r"(?:life )?(?:insurance|policy)[^.!?]{0,30}beneficiar\w*",
    r"beneficiar\w*[^.!?]{0,30}(?:insurance|policy)",
    r"nothing (?:really )?matters (?:any ?more|now)",
    r"(?:doesnt|does not|dont|do not|wont) (?:really )?matter (?:any ?more|now|soon)",
    r"(?:it|none of (?:it|this)|nothing) (?:will|is going to|would) matter (?:soon|after|when)",
    r"(?:when|after|once|if) im (?:gone|not here|not around|no longer here)",
    r"(?:im|i am|ive|i have) (?:given|giving) up(?= *(?:[.!,]|$| on (?:everything|life|myself|me|it all)))",
    r"(?:i )?(?:give|gave) up on (?:everything|it all|me|myself)",
    r"(?:whats|what is) the point(?: (?:of|in) (?:anything|it all|any of (?:it|this)|trying|going on|a payment plan|this plan)(?![a-z])| *(?:[.!?,]|$|any ?more))",
    r"no point (?:in |of )?(?:anything|any of (?:it|this)|trying|paying|it all)",
    r"(?:im|i am) (?:so )?(?:done|finished) with (?:everything|it all|all of (?:it|this)|life|living)",
    r"(?:i )?(?:cant|can not|cannot) see (?:a way out|any way out|a future|any future|myself (?:being here|living|making it|lasting|getting through))",
    r"(?:my|the) (?:kids|children|family|wife|husband|mum|mom|dad|parents) (?:will|would) be (?:fine|okay|ok|better) without",
    r"(?:my|the) affairs (?:are )?in order",
    r"(?:one|1) last (?:thing|time|payment) before i (?:go|leave)",
    r"dead",
    r"kill(?:ing)? me",
    r"hopeless",
    r"no future (?:for me|left|anymore|any more)",
    r"(?:no|not any|nothing) (?:left|more) to (?:give|lose)",
    # Gone before a day, the last thing before going: "ill be gone before the next
    # payment", "its the last thing i need to sort out before i go".
    r"(?:ill|i will|i ll|id|i would) (?:already |probably |likely |long )?be (?:long )?gone"
    r" (?:before|by the time|by then|soon|long before)",
    r"(?:the |one |my )?last (?:thing|things|bit|job|task|loose end)s?[^.!?]{0,40}before i (?:go|leave)"
    r"(?! (?:to|on|out|back|away|home|into|for(?! good| ever)|abroad|shopping|travel\w*|overseas|in|at))",
    # Things left tidy for those who stay: "i have a plan and a date", "leave things tidy",
    # "the paperwork theyll need after", "close the account after my funeral".
    r"(?:have|got|made|set) a plan and a date",
    r"(?:leave|leaving|left) (?:things|everything|it all|my affairs|my stuff) (?:tidy|in order|sorted|neat"
    r"|clean|straight|easy for)",
    r"(?:they|theyll|theyd|my \w+|someone|people|the family) (?:will |ll |would |d )?need"
    r" (?:it |this |that |them |these |those )?(?:details |papers |paperwork |numbers )?"
    r"(?:after|afterwards|when im gone|once im gone)(?= *(?:[.!?,]|$))",
    r"(?:my|own) funeral",
    r"(?:close|closing|cancel|settle|sort)\w* (?:\w+ ){0,4}after the funeral",
    r"(?:dont|do not|havent|have not|wont) (?:have |got |have got )?(?:many |much |any )?"
    r"(?:months|weeks|years|days) left(?: in me)?",
    r"(?:no|not much) time left (?:for me|in me)",
    # Sorry for everything, said to whoever is there: a farewell.
    r"(?:im|i am|i m) (?:so |truly |really )?sorry for everything",
    r"tell (?:\w+ ){0,5}(?:that )?(?:im|i am) sorry",
    # A note or letter that carries what is owed: "so i can leave it in the note" (not the
    # note field of a transfer: the note must end the sentence or be for someone).
    r"(?:leave|write|put) (?:it|that|this|them|the total|the amount|the balance|what i owe|how much i owe)"
    r" (?:in|into) (?:the|my) (?:note|letter)(?= *(?:[.!?,]|$| for my| to my))",
    r"letters? (?:for|to) (?:my |the )?(?:kids|children|family|wife|husband|mum|mom|parents|son|daughter)",
)
_CHINESE_SIGNS = (
    "走了以后",
    "走了之后",
    "走咗以后",
    "走咗之后",
    "我走后",
    "我不在以后",
    "我不在之后",
    "唔喺度之后",
    "告别",
    "道别",
    "道了别",
    "道咗别",
    "告咗别",
    "讲再见",
    "说再见",
    "讲拜拜",
    "同呢个世界",
    "跟这个世界",
    "和这个世界",
    "活不到",
    "活唔到",
    "捱不到",
    "捱唔到",
    "撑不到",
    "撑唔到",
    "不打算看到",
    "唔打算见到",
    "唔打算睇到",
    "看不到明年",
    "见不到明年",
    "睇唔到",
    "不重要了",
    "唔重要喇",
    "唔重要了",
    "都不重要",
    "都唔重要",
    "没差了",
    "冇所谓喇",
    "无所谓了",
    "什么都无所谓",
    "乜都冇所谓",
    "放弃晒",
    "放弃一切",
    "认命",
    "绝望",
    "活着还有什么",
    "活下去还有什么",
    "活落去仲有咩",
    "没有以后",
    "冇以后",
    "没希望",
    "冇希望",
    "没有希望",
    "有什么用",
    "有咩用",
    "有乜用",
    "有啥用",
    "终点",
    "结局",
    "到此为止",
    "送人了",
    "送晒",
    "用不上了",
    "用唔着",
    "归宿",
    "不在了",
    "交代后事",
    "后事",
    "身后事",
)
# Chinese signs that need their context: "I" not existing (not a charge), giving up
# said as the end of a sentence (not giving up a plan).
_CHINESE_CONTEXT = (
    r"我(?:就|都)?(?:不|唔)存在",
    # Not lasting until a day: "等不到那天", "挨唔过呢个冬天" (捱 folds to 挨, 嗰 to 𠮶).
    r"(?:等|挨|捱|撑|熬|活|顶)(?:不|唔)(?:到|过)(?:那|𠮶|嗰|这|呢|下|明|今|过年|春|新年|圣诞|年|冬|夏|还完|[0-9一二三四五六七八九十廿])",
    # Affairs settled: "家里的事我都交代好了".
    r"(?:事|家|一切|所有|身边|屋企)[^。！？!?\n]{0,8}交代(?:好|清楚|妥|完)",
    # Money no longer needed: "我以后也用不上钱了".
    r"(?:以后|之后|往后|从此|今后)(?:也|都|就)?(?:再)?(?:用不上|用不到|用唔到|用唔着|不需要|唔需要)(?:再)?钱",
    # Nobody answering soon: "过几天就没人接了" (not "几天都没人接", a complaint).
    r"(?:天|日|周|星期|礼拜|之后|以后|很快|好快|就快|不久)(?:就|便)?(?:会)?(?:没人|冇人|无人|没有人)(?:接|听)",
    # Life insurance put in order: "保险受益人我改成我妈了".
    r"(?:保险|保单)(?:的)?受益人",
    # Soon it won't matter: "很快就没关系了".
    r"(?:很快|好快|就快|不久|过几天|迟早)(?:就|便)?(?:会)?(?:没关系|冇关系|无关系|不重要|唔重要|无所谓|冇所谓|不关我事|唔关我事|与我无关)",
    r"(?:已经|都)?放弃(?:了|咗)(?=\s*(?:[。！，,.!]|$))",
    # Not needed any more, said beside a detail asked for: "反正也用不着了".
    r"(?:反正|以后|之后|往后|从此|今后)(?:也|都|就|我)?(?:再)?(?:用不着|用不上|用不到|用唔到|用唔着|不需要|唔需要)"
    r"(?:再)?(?=钱|了|喇|啦|嘞|\s*[。！，,.!]|\s*$)",
    # Family spared a trouble once I am gone: "我走了家里人就少一件麻烦事".
    r"我走(?:了|咗)?(?:以后|之后|后)?[^。！？]{0,4}(?:家里人|家人|屋企人|老婆|老公|孩子|仔女|他们|佢哋|大家)"
    r"[^。！？]{0,6}(?:少|轻松|好过|冇咁|没那么)",
    r"(?:家里人|家人|屋企人|老婆|老公|孩子|仔女|爸妈|父母)[^。！？]{0,6}少(?:了)?(?:一件|一个|个|件|一份|啲|些)?"
    r"(?:麻烦|负担|累赘|包袱)",
    # Sorry passed on through someone: "帮我跟负责的人说声对不起".
    r"(?:帮我|替我|代我)(?:跟|同|和|向|对)[^。！？]{0,8}(?:说|讲)声?(?:对不起|对唔住|sorry|抱歉)",
    # What the family will need afterwards: "写在以后他们要用的材料上", "佢哋之後要用嘅文件".
    r"(?:以后|之后|到时候?|日后)(?:我)?(?:他们|佢哋|佢地|家里人|家人|屋企人|孩子|仔女)(?:要|会|需要|可能)?(?:用|处理|办|搞)",
    r"(?:他们|佢哋|佢地|家里人|家人|屋企人)(?:以后|之后|到时候?|日后)(?:要|会|需要)(?:用|处理|办|搞)",
    # A letter: "我写在信里", "今晚给孩子写几封信".
    r"(?<!投诉)(?:写|留|放)(?:在|进|喺|落)(?:封|那封|这封|我的|我封)?信(?:里|度|入面|中|上)",
    r"(?:给|俾|畀|留给)(?:啲)?(?:孩子|仔女|家人|屋企人|老婆|老公|爸妈|父母|细路)[^。！？]{0,6}写[^。！？]{0,4}信",
    r"写[^。！？]{0,6}信(?:给|俾|畀)(?:啲)?(?:孩子|仔女|家人|屋企人|老婆|老公|爸妈|父母|细路)",
    # Nobody left to pay or answer: "到時候也沒有人會還了".
    r"(?:到时候?|到那时|之后|以后|迟啲|过几天)(?:也|都|就)?(?:没有人|没人|冇人|无人)(?:会|再)?"
    r"(?:还|理|管|接|听|付|交|供)",
    # The last thing before leaving: "這是我離開前最後一件要處理的事".
    r"(?:离开|走)(?:之)?前(?:的)?(?:最后|最尾)(?:一件|一次|一笔|件|一单|单)",
    # Cards, PINs and papers left in an envelope for a relative.
    r"信封[^。！？]{0,10}留(?:给|俾|畀)|留(?:给|俾|畀)[^。！？]{0,8}信封",
    r"(?:密码|证件|存折)[^。！？]{0,14}留(?:给|俾|畀)",
    # Not bothering anyone again, said as thanks: "以後不會再打擾了".
    r"(?:以后|之后|从此|今后)(?:都|也)?(?:不会|唔会|不再|唔再)(?:再)?(?:打扰|骚扰|烦|麻烦)(?:你们|你哋|大家|任何人)?"
    r"(?=\s*(?:了|喇|啦|嘞)?\s*(?:[。！，,.!]|$))",
    # Leaving in peace once this is done: "搞掂呢單我就可以安心走".
    r"安心(?:地)?(?:走|离开|上路)",
)
SIGNS = re.compile(
    "|".join(
        [rf"(?<![a-z0-9])(?:{'|'.join(_ENGLISH_SIGNS)})(?![a-z0-9])"]
        + [re.escape(w) for w in _CHINESE_SIGNS]
        + list(_CHINESE_CONTEXT)
    )
)
# Strain beside an idiom turns the idiom into a possible sign.
_STRAIN = re.compile(
    r"(?<![a-z])(?:cant (?:cope|take|go on|handle)|no way out|alone|trapped|exhausted|"
    r"nobody (?:cares|would care)|worthless|useless|burden)(?![a-z])"
    r"|受不了|顶唔顺|撑不住|好绝望|没人在乎|冇人理|好孤独|没用|冇用|废物|负担"
)


# A denial ("I'm not suicidal or anything"): never a sure crisis, but still a
# possible one: the bot asks once, gently, rather than take it on trust.
DENIALS = re.compile(
    r"(?<![a-z])(?:im |i am |i m )?(?:not|never) (?:suicidal|going to (?:kill myself|do anything stupid))(?![a-z])"
    r"|我?(?:不是|没有|冇|唔系|并不)(?:想)?(?:自杀|轻生|想死)"
)


def without_denials(folded: str) -> tuple[str, bool]:
    """The folded text with denials blanked, and whether there was one."""
    stripped, count = DENIALS.subn(" ", folded)
    return stripped, count > 0


# "Free at last" about a debt paid off: "终于解脱了！最后一期扣完了，全部还清".
_PAID_OFF = re.compile(
    r"还清|还完|供完|清数|扣完|无债|冇债|还晒|清晒|付清|结清|(?<![a-z])paid (?:it )?off(?![a-z])"
)
_RELIEF = re.compile(r"(?:终于|总算|彻底|真正)?解脱")


def without_idioms(folded: str) -> tuple[str, bool]:
    """The folded text with intensifier idioms blanked, and whether there was one."""
    stripped, count = IDIOMS.subn(" ", folded)
    if _PAID_OFF.search(stripped):
        stripped, relief = _RELIEF.subn(" ", stripped)
        count += relief
    return stripped, count > 0


def quiet_signs(folded: str, *, idiom: bool) -> bool:
    """A farewell or giving up in `folded` (idioms already taken out), or an idiom
    (`idiom`) beside strain: a possible crisis."""
    return SIGNS.search(folded) is not None or (idiom and _STRAIN.search(folded) is not None)


# "Are you safe?" answered: clearly fine, said first in the message ("yes I'm ok",
# "I'm fine thanks", "我没事，放心", "冇事"). Anything that also carries a sign is not.
_SAFE = re.compile(
    r"^(?:(?:yes|yeah|yep|ya|yup|yea)[ ,.!]*)?(?:im|i am|i m)? ?(?:really |honestly )?"
    r"(?:ok|okay|fine|safe|alright|all right|good|doing ok(?:ay)?)"
    r"(?:[ ,.!]*(?:now|really|honestly|thanks|thank you|dont worry|no worries|i promise))*[ .!]*$"
    r"|^(?:嗯|是的|是|系|係|对|對|yes)?[，, ]*(?:我)?(?:现在|而家|真的|真係)?"
    r"(?:没事|冇事|无事|安全|还好|几好|很好|好好|没问题|冇问题)"
    r"(?:[，,。.! ]*(?:的|啦|喇|呀|了|放心|别担心|不用担心|唔使担心|谢谢|多谢|唔该))*[。.! ]*$"
)
_NOT = re.compile(
    r"(?<![a-z])(?:not|no|never|dont|isnt|arent|wasnt)(?![a-z])|不好|唔好|唔ok|不ok|不安全|唔安全"
)


def says_safe(message: Prepared) -> bool:
    """A clear "I'm safe / I'm ok": the answer that lowers a possible crisis. A
    negation, or any sign of crisis beside it, is not a clear answer."""
    folded = message.folded
    return (
        _SAFE.search(folded) is not None
        and _NOT.search(folded) is None
        and SIGNS.search(without_idioms(folded)[0]) is None
    )


# Idioms of money strain ("kill my budget", "this fee is killing me", "饿死", "愁死"):
# no crisis, but hardship noticed (R11: plans on hardship terms, and the reply says so).
_STRAIN_IDIOMS = re.compile(
    r"(?<![a-z])(?:kill(?:ing)? (?:my|our) (?:budget|wallet|bank|savings|credit)"
    r"|(?:fee|fees|interest|payments?|bills?|rent|debt|this|it)s? (?:is |are |s )?killing (?:me|us)"
    r"|dead broke)(?![a-z])"
    r"|(?:饿|愁|穷|压|烦|煩)(?:到|得|都|咁)?(?:快要|快|要)?死"
)


def strain_idiom(folded: str) -> bool:
    """An idiom of money strain: hardship worth noticing, not a crisis."""
    return _STRAIN_IDIOMS.search(folded) is not None
