"""Crisis first (R12): a wide lexicon, backed by the model, checked before anything else.

Recall is the point. A false alarm costs one gentle question ("Are you
safe?"); a miss can cost a life. So the lexicon names methods and places
("pills", "bridge", "燒炭", "天台") and the quiet ways people say it ("I won't
be around", "冇咗我大家會好啲"), not only the word "suicide", and the model
adds what no list foresees. Negation is deliberately ignored: "I don't want
to die" is still worth a gentle question.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.understanding.labels import CrisisLevel
from bot.understanding.quiet import quiet_signs, without_denials, without_idioms
from bot.understanding.text import Prepared, prepare

# English, matched on folded text (lower case, apostrophes dropped).
_ENGLISH = (
    r"suicid\w*",
    r"kill(?:ing)? my ?self",
    r"kms",
    r"(?:end|ending|take|taking) (?:my|my own) life",
    r"(?:want|wanna|going|gonna|wish|rather|ready|like) (?:to )?die",
    r"(?:dont|do not|never) want to (?:live|be alive|be here|exist|wake up|go on)",
    r"(?:no|what is the|whats the) (?:reason|point) (?:to|in|of)? ?(?:live|living|going on|being alive)",
    r"nothing (?:left )?to live for",
    r"(?:tired of|done with|give up on|giving up on) (?:living|life)",
    r"life (?:is|isnt|s) (?:not )?(?:worth|pointless|meaningless)",
    r"lifes pointless",
    r"(?:better off|happier|easier) (?:dead|without me|if i (?:was|were|wasnt|werent) (?:gone|here|around))",
    r"(?:thinking|think) (?:about|of) jumping",
    r"overdos\w*",
    r"hang (?:my ?self)",
    r"(?:hurt|harm|cut|cutting|hurting|harming) (?:my ?self|my wrists?)",
    r"self.?harm",
    r"disappear (?:forever|for good|and never)",
    r"(?:sleep|sleeping) (?:forever|and never wake)",
    r"never wake up",
    r"(?:want|wish) (?:it all|everything|this|all of this|it) to (?:end|stop) forever",
    r"(?:want|wish) it all to end",
    r"(?:better|easier|happier) without me",
    r"(?:going|gonna) to jump",
    r"(?:wanna|want to) live any ?more",
    # Finality, giving things away, being found: the quiet ways of saying it.
    r"giv(?:en|ing|e) away (?:my|all my) (?:stuff|things|belongings|possessions)",
    r"(?:stockpil|sav|hoard|collect)\w* (?:up )?(?:my |some |all my )?(?:meds|medication|pills|tablets|sleeping pills)",
    r"(?:stop|quit) existing",
    r"(?:walk|swim|go) into the (?:sea|ocean|river|lake)",
    r"slit\w*",
    r"rather (?:be )?dead",
    r"(?:better off|happier|richer) with (?:the |my )?(?:insurance|life insurance)",
    r"(?:top|roof) (?:of|floor of) (?:the|a) (?:car park|parking|building|multi.?storey|tower)",
    # Strong forms of what moved to _ENGLISH_MAYBE: a method with its verb, a wish.
    r"(?:rather|better off|wish i was|wish i were|id be better) dead",
    r"(?:wont|will not|wouldnt|not going to|not gonna) be alive",
    r"(?:no one|nobody|noone) (?:would|will|d|even|is going to) (?:even )?(?:miss|notice) (?:me|if i|im gone|when i)",
    r"jump(?:ing)? (?:off|from) (?:a |the |my |our )?(?:bridge|roof|building|balcony|cliff|tower|window|ledge|car park|multi.?storey|flyover)",
    r"jump(?:ing)? in front of",
    r"(?:bought|buy|buying|got|have|tied|tie|tying) (?:a |some |the )?rope",
    r"(?:bought|buy|buying|got|have|holding|loaded|load) (?:a |my |the )?gun",
    r"(?:goodbye|bye) (?:cruel )?(?:world|forever)",
    r"(?:took|taken|take|taking|swallow\w*) (?:all )?(?:my |the |a bunch of |a lot of |loads of |lots of |a handful of )?(?:pills|tablets|sleeping pills)",
    r"find me (?:dead|hanging)",
    r"(?:end|ending) (?:it all|everything)(?![a-z0-9])(?! (?:with|by|on|at|before|after|tomorrow|today|next|this))",
)
# Chinese, matched on Simplified text (Traditional is folded to it first).
_CHINESE = (
    "自杀",
    "轻生",
    "寻死",
    "想死",
    "去死",
    "死了算",
    "不如死",
    "死给",
    "死俾",
    "死了就",
    "死了你们",
    "死了大家",
    "一了百了",
    "不想活",
    "唔想活",
    "不活了",
    "活不下去",
    "活唔落去",
    "再活落去",
    "活着没",
    "活着好累",
    "活着太累",
    "活着累",
    "活得好攰",
    "活住冇",
    "活着有什么意思",
    "活下去的意义",
    "活下去的意思",
    "生存冇意",
    "冇意思再生存",
    "生不如死",
    "活够了",
    "跳楼",
    "跳河",
    "跳海",
    "跳桥",
    "跳落去",
    "跳落嚟",
    "安眠药",
    "农药",
    "吃了很多药",
    "食咗好多药",
    "药都准备",
    "药准备",
    "烧炭",
    "买好炭",
    "买了炭",
    "割腕",
    "割脉",
    "界手",
    "自残",
    "伤害自己",
    "结束生命",
    "结束自己",
    "结束一切",
    "结束这一切",
    "一睡不醒",
    "永远睡",
    "永远瞓",
    "不想再醒",
    "唔想再醒",
    "不要再醒",
    "遗书",
    "唔喺度就好",
    "永远停",
    "活著",
    "唔想再活",
    "不想再活",
    # Finality, giving things away, methods, "rather die": 宁可死, 最后一个月.
    "宁可死",
    "宁愿死",
    "宁愿去死",
    "百草枯",
    "盐酸",
    "攒药",
    "存药",
    "储药",
    "走上绝路",
    "绝路",
    "买咗条绳",
    "停车场顶",
    "长眠",
    "活不过",
    "过唔到今年",
    "鎅手",
    "𠝹手",
    "死咗算",
    "开煤气",
    "买咗条绳",
    "买了绳子",
)
# Words that are a sign of crisis only sometimes: a place, a thing that can be a method,
# a goodbye, strain. "my pills cost a lot", "stuck on the bridge", "fell off the roof",
# "it's my last day at work", "没有我的签名", "好的再见了", "煤气费", "最后一天还款",
# "今天要吃药", a bare 死. Alone they make a crisis *possible* (the bot asks whether the
# borrower is safe), never sure: round 3 and 4's hard negatives were full of them.
_ENGLISH_MAYBE = (
    r"(?:be|am|im|was|were|rather|better off|wish i was|wish i were) dead(?! tired| battery| phone)",
    r"(?:wont|will not|not going to|not gonna|wouldnt) be (?:around|here|alive)",
    r"jump(?:ing)? (?:off|from|in front|out)",
    r"bridge",
    r"(?:on|off) the roof",
    r"edge of",
    r"in front of a (?:train|bus|car|truck)",
    r"pills?",
    r"rope",
    r"gun",
    r"wrists?",
    r"(?:cant|can not|cannot) (?:go on|keep going|take (?:it|this) any ?more|do this any ?more)",
    r"(?:goodbye|bye) (?:everyone|all|world|forever)",
    r"(?:saying|my|this is my) goodbye",
    r"(?:my|a|this is|its) (?:last|final) message",
    r"(?:a |my )?(?:suicide )?note (?:for|to) my",
    r"letters? to my (?:kids|children|family|wife|husband|mum|mom)",
    r"(?:a |the )?burden (?:to|on) (?:everyone|my family|them)",
    r"drive (?:my car )?(?:into|off)",
    r"looking up ways",
    r"(?:see the |no )?point (?:in|of) (?:going on|carrying on|living|trying)",
    r"(?:wasnt|werent|not) (?:here|around) any ?more",
    r"just (?:wasnt|werent) here",
    r"into a (?:wall|tree|river)",
    r"(?:my|this is my|its my) (?:last|final) (?:day|week|month|night|time|message|goodbye)",
    r"(?:the|my) end (?:for|of) me",
    r"(?:this is|its) the end(?![a-z0-9])(?! of)",
    r"wont need (?:it|them|anything) (?:anymore|any more|soon|where)",
    r"find me (?:dead|hanging|in|on|at)",
    r"(?:not|no longer) (?:be )?(?:a )?(?:problem|burden|bother) (?:for|to) anyone",
    r"checking out(?! (?:your|the|my|a|an|this|that|some|these|those|options|plans))",
    r"(?:train )?tracks",
    r"exhaust",
    r"no way out",
    r"insurance (?:money|payout|pay out)",
    r"not wake up",
    r"(?:problem|burden|bother) (?:for|to) anyone",
    r"(?:a |some )?rope",
    r"(?:tell|say to) my (?:kids|children|family|wife|husband|mum|mom|parents) (?:im|i am) sorry",
    r"(?:life )?insurance (?:would|will|could) (?:cover|pay)",
    r"(?:end|ending) (?:it|it all|things|everything|this)(?![a-z0-9])(?! (?:with|by|on|at|before|after|tomorrow|today|next|this))",
    r"if i (?:was|were|wasnt|werent) (?:gone|here)",
    r"(?:wont|will not|not going to|not gonna|wouldnt) be (?:around|here)",
)
_CHINESE_MAYBE = (
    "要死",
    "好死",
    "死咗",
    "逼死",
    "跳下去",
    "天台",
    "楼顶",
    "桥边",
    "桥上",
    "河边",
    "吃药",
    "食药",
    "刀就",
    "把刀",
    "了结",
    "了断",
    "结束我",
    "条命",
    "解脱",
    "睡不醒",
    "瞓唔起",
    "消失",
    "最后一条",
    "最后一则",
    "再见了",
    "再见各位",
    "累赘",
    "的负担",
    "嘅负担",
    "没有我",
    "冇咗我",
    "冇左我",
    "没了我",
    "撑不下去",
    "撑唔落去",
    "撑不住",
    "顶唔顺",
    "顶唔住",
    "坚持不下去",
    "撑唔住",
    "打算走了",
    "我要走了",
    "撞墙",
    "撞埋墙",
    "没意义了",
    "冇意义",
    "海边",
    "我要走",
    "不想继续了",
    "给孩子的信",
    "写俾仔女",
    "给家人的信",
    "最后一个月",
    "最后一天",
    "最后一晚",
    "烦到任何人",
    "麻烦任何人",
    "拖累",
    "铁轨",
    "路轨",
    "煤气",
    "漂白水",
    "药都",
    "好多药",
    "很多药",
    "行落去",
    "跳下来",
    "没别的路",
    "冇第二条路",
    "冇路可走",
    "无路可走",
    "手腕",
    "绳子",
    "条绳",
    "保险金",
)
# 死 alone, except where it only means "very" ("笑死", "累死了", "烦死") or a crashed
# phone ("死机"): a possible sign (the wishes built with it, 想死, 去死, 死了算, are sure).
# Saying sorry to one's children or family out of nowhere is a farewell.
_FAREWELL = re.compile(
    r"(?:跟|同|和|对)(?:孩子|仔女|家人|屋企人|老婆|老公|爸妈|父母).{0,4}(?:说|讲)?声?(?:对不起|对唔住|sorry)"
)
_NO_MORE_TROUBLE = re.compile(
    r"(?:不会|唔会|不再).{0,8}(?:麻烦|烦到|拖累)(?:任何人|大家|家人|人|了)"
)
# Paying with one's life: "只能拿命来还", "用命來還", "pay it with my life".
_LIFE_AS_PAYMENT = re.compile(
    r"(?:用|拿|以|赔上|搭上|赌上)(?:我的|我条|条|这条|呢条)?(?:老)?命(?:来|去)?(?:还|抵|偿|赔|填)"
    r"|(?<![a-z])(?:pay|repay|settle) (?:it|this|that|them|the debt|the rest|what i owe)?"
    r" ?(?:back )?with my (?:life|own life)(?![a-z])"
)
# Standing a long time at a height: "昨晚在頂樓站了很久" (a top floor alone is where people live).
_HEIGHTS = re.compile(
    r"(?:顶楼|顶层|楼顶|天台|桥上|桥边)[^。！？]{0,6}(?:站|坐|企|待|徘徊|望落|望下)"
    r"|(?:站|坐|企|待|徘徊)(?:了|咗)?(?:在|喺)(?:顶楼|顶层)"
)
# Jumping from somewhere, said as one's own act: "再逼我我就从楼上跳下去", "想跳落去".
_JUMP = re.compile(
    r"(?:楼上|楼顶|顶楼|天台|桥上|阳台|窗口|窗|这里|呢度|高处)[^。！？]{0,4}跳(?:下去|落去|下来|落嚟)"
    r"|(?:想|就|要|会|宁愿)(?:从[^。！？]{0,6})?跳(?:下去|落去)"
)
# 死 said alone, as the whole message ("死", "死吧", "我死了"): nothing beside it makes it
# an idiom, so it is taken at its word.
_DEATH_ALONE = re.compile(r"^[\W_]*我?死(?:吧|了|啦|咗|左)?[\W_]*$")
_DEATH = re.compile(r"(?<![笑累攰烦气忙热冷饿吵闷痛怕急困悶煩氣熱餓])死(?![机機线線贵貴])")


def _lexicon(english: tuple[str, ...], chinese: tuple[str, ...]) -> re.Pattern[str]:
    """English as whole words, even glued to Chinese ("我想kms"): anchored on Latin
    letters and digits rather than `\\b`, for which a Chinese character is a letter."""
    return re.compile(
        "|".join(
            [rf"(?<![a-z0-9])(?:{'|'.join(english)})(?![a-z0-9])"] + [re.escape(w) for w in chinese]
        )
    )


_LEXICON = _lexicon(_ENGLISH, _CHINESE)
_MAYBE = _lexicon(_ENGLISH_MAYBE, _CHINESE_MAYBE)
# The model's crisis probability above which a message counts as crisis even
# when no lexicon entry matched. Low on purpose: see the module docstring.
MODEL_THRESHOLD = 0.2
# One or two characters ("我", "i") say too little for the model to judge;
# the lexicon still reads them ("死").
MODEL_MIN_CHARS = 3


# "die ... tonight/now/today" on one line, as two searches: as one pattern ("die.*now")
# every "die" scanned to the end of the line, and "die die die ..." cost the square of
# its length. The first "die" of a line is enough: a time word after a later one is
# after the first too.
_DIE = re.compile(r"(?<![a-z0-9])die(?![a-z0-9])")
_SOON = re.compile(r"(?<![a-z0-9])(?:tonight|now|today)(?![a-z0-9])")


def _dying_soon(folded: str) -> bool:
    for line in folded.split("\n"):
        die = _DIE.search(line)
        if die is not None and _SOON.search(line, die.end()) is not None:
            return True
    return False


def _sure_words(folded: str) -> bool:
    return _dying_soon(folded) or any(
        p.search(folded)
        for p in (
            _LEXICON,
            _DEATH_ALONE,
            _FAREWELL,
            _NO_MORE_TROUBLE,
            _LIFE_AS_PAYMENT,
            _HEIGHTS,
            _JUMP,
        )
    )


def _maybe_words(folded: str) -> bool:
    return _MAYBE.search(folded) is not None or _DEATH.search(folded) is not None


def crisis_words(message: Prepared) -> bool:
    """True when the lexicon alone finds a sure sign of crisis (idioms taken out first:
    "this fee is killing me" and "饿死了" are no sign)."""
    return _sure_words(without_denials(without_idioms(message.folded)[0])[0])


def words_level(message: Prepared) -> CrisisLevel:
    """What the words alone say: sure (a method, a place, a wish to die), possible
    (a farewell, giving up, an idiom beside strain) or nothing."""
    folded, idiom = without_idioms(message.folded)
    folded, denial = without_denials(folded)
    if _sure_words(folded):
        return CrisisLevel.SURE
    if denial or _maybe_words(folded) or quiet_signs(folded, idiom=idiom):
        return CrisisLevel.POSSIBLE
    return CrisisLevel.NONE


def without_idioms_prepared(message: Prepared) -> Prepared:
    """The message as the model should read it for crisis: idioms taken out."""
    folded, idiom = without_idioms(message.folded)
    return prepare(folded) if idiom else message


def model_says_crisis(message: Prepared, probability: float) -> bool:
    """The model's crisis probability for the message, judged against the threshold."""
    return (
        probability >= MODEL_THRESHOLD and len(message.folded.replace(" ", "")) >= MODEL_MIN_CHARS
    )


def crisis_level(message: Prepared, probability: Callable[[Prepared], float]) -> CrisisLevel:
    """Sure, possible or no crisis: the words first, then the model's crisis
    `probability` on the message without its idioms. The words alone decide a sure
    crisis; the model alone can only make one possible (the bot asks whether the
    borrower is safe), so what it learned from quiet farewells ("I can't see a
    future") never stops a plan outright on "I can't see myself paying that"."""
    level = words_level(message)
    if level is not CrisisLevel.NONE:
        return level
    probe = without_idioms_prepared(message)
    chance = probability(probe)
    if not model_says_crisis(probe, chance):
        return CrisisLevel.NONE
    return CrisisLevel.POSSIBLE
