"""English words that are no sign (idioms) and quiet signs (farewells, giving up).

Matched on folded text (lower case, apostrophes dropped) as whole words; quiet.py
compiles them with the Chinese lists (quiet_zh.py) and says what they mean.
"""

from __future__ import annotations

# Intensifier idioms: "this fee is killing me", "dying to", "dead tired".
ENGLISH_IDIOMS = (
    r"(?:is|s|are|re|its|was|be|been|keeps?|this|that|fees?|interest|job|work|commute|rent)"
    r" (?:\w+ )?killing (?:me|us|my)",
    r"(?:would|will|wud|gonna|going to|might|d|ll) (?:\w+ )?(?:kill|murder|strangle|skin) (?:me|us)",
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
    r"rather die than (?:pay|call|talk|deal|go(?! through| on)|do|sign|put|use|take|borrow|ask|owe|sell|spend|touch|open"
    r"|get|give|beg|speak|answer|text|reply|join|switch|admit|tell)",
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
    r"(?:dead|killed off|die off|died off|all die|dies|died|dying)",
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
    # Work on a roof, not standing on one ("im on the roof of my building" is a place).
    r"(?:fix|fixing|repair|repairing|clean|cleaning|leak in|leaking|(?:work|working|leak|tiles?|hole)"
    r" on) (?:the |my )?roof",
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
    # Since round 5: "dead on" (spot on), an account or a card "is dead" with words between,
    # "im dead 😂" at a joke, dying in a game, "shell kill me if im late".
    r"(?:yep|yes|yeah|ya|thats|that is|thatd be|youre|ur|its|spot|bang) dead on",
    r"(?:account|card|wallet|loan|number|email|app|plan|policy|line)(?: \w+){1,4}"
    r" (?:is|s|was|went|has gone|has been) (?:long |totally |completely |basically )?dead",
    r"(?:im|i am|i m) (?:literally |actually |so |fully |legit |lowkey )?dead"
    r"(?= *(?:[\U0001f602\U0001f923\U0001f480\U0001f62d\U0001f606]|lol|lmao|lmfao|haha|omg|at (?:that|this|your)|that meme))",
    r"(?:game|level|boss|stage|match|fortnite|minecraft|pubg|roblox|zelda|dark souls|elden ring)[^.!?\n]{0,40}"
    r"(?:dying|died|dies|die|dead|killed)"
    r"|(?:dying|died|die|dead|killed)(?: \w+){0,3} (?:on|in|at) (?:level|stage|the boss|this boss|that boss|wave)",
    r"(?:she|he|they|you|u|mum|mom|dad|wife|husband|boss|sister|brother|gran|nan)"
    r"(?:ll| will| would|d| is gonna| s gonna| is going to) (?:\w+ )?(?:kill|murder|strangle|skin) (?:me|us)",
    # Since round 6: a life saved by a plan, a payment made "even if it kills me", a debt
    # "dead and buried", done with the lender (not with life), heat "to death".
    r"(?:would|will|could|d|ll|you|u|youd|it|itd|that|thatd|this|plan|it would) (?:\w+ )?save(?:d|s)? my life",
    r"life ?savers?",
    r"(?:even )?if it (?:kills|killed|kill) me",
    r"dead and buried",
    r"(?:me |im |i am |i m )?done with (?:you|u|you guys|u guys|you lot|you people|yall|your company"
    r"|this company|this account|this loan|this debt|the debt|the loan|paying you|this lender)"
    r"(?: (?:forever|for good|for ever|at last|finally))?",
    r"(?:melt|boil|roast|bak|sweat|cook|fry|froze|frozen)\w* (?:me |us )?to death",
    r"come back to life|back from the dead|came back to life|coming back to life",
    # Since round 7: a thing that is "dead" (a plan, an offer, an idea), "dead" as "very"
    # before a word of judgement ("dead useless"), jumping into something everyday ("jump in
    # the shower", "jump on a call"), jumping as a sport, killed or done in a game, a plan or
    # an arrangement ended.
    r"(?:plan|idea|deal|offer|option|proposal|arrangement|scheme|project|topic|thread|conversation"
    r"|promo|promotion|code|voucher|subscription|tablet|ipad|computer|pc|screen|keyboard|mouse|remote"
    r"|torch|charger|cable|earbuds|headphones|watch|camera|printer|machine|server|system|portal|link)"
    r" (?:is |s |was |went |are |were |has gone |has been |looks |seems )?(?:totally |completely "
    r"|basically |pretty much |so |well |stone )?dead",
    r"dead (?:useless|pointless|annoying|stupid|slow|awkward|common|simple|normal|dodgy|shady)",
    r"jump(?:ing|ed|s)? (?:in|into|on|onto) (?:the |a |my |this |that )?(?:shower|bath|pool|car|bus|taxi|cab"
    r"|call|meeting|zoom|queue|game|chat|bed|bandwagon|conversation|thread)",
    r"(?:cliff|high|long|ski|triple|bungee|base|trampoline|show|star) ?jump\w*|cliff div\w*|jump rope",
    r"(?<!want to )(?<!wanna )(?<!going to )(?<!gonna )(?:killed|died|dead|dying|die)(?: \w+){0,3} (?:in|on|at|playing) (?:the |this |that |a |my )?"
    r"(?:game|match|round|fortnite|minecraft|pubg|roblox|cod|call of duty|apex|valorant|warzone|zelda"
    r"|league|fifa|overwatch)",
    r"done with (?:this|the|that) (?:game|show|series|app|level|book|film|movie|season)",
    # Away for a reason: "i wont be here next month, im moving", "on holiday so i wont be around".
    r"(?:wont|will not|not going to|not gonna|wouldnt) be (?:here|around)(?: \w+){0,3}[ ,.;-]+(?:so |as |because |cause |cos )?"
    r"(?:im |i am |i m |ill be |i will be |ill |we are |were |were all )?(?:moving|relocating|emigrating|travelling"
    r"|traveling|away|abroad|overseas|on holiday|on vacation|on leave|on a trip|on business|at my|working|visiting)",
    r"(?:moving|relocating|emigrating|travelling|traveling|away|abroad|overseas|on holiday|on vacation|on leave"
    r"|on a trip|on business)[^.!?]{0,30}(?:wont|will not|not going to|not gonna) be (?:here|around)",
    r"(?:end|ending|cancel|cancelling|close|closing|stop|stopping) (?:this|the|our|my|that) (?:\w+ )?"
    r"(?:plan|arrangement|agreement|direct debit|standing order|subscription|payment plan|contract)",
    # Since round 9. "Rather die than" anything but living on ("id rather die than miss it
    # again"); killing oneself with an effort or a tool ("killing myself with google translate",
    # "worked myself to death"); you, a bot or a lender wanting me dead; "dead on my feet",
    # "dead on 500", a brain or a head that is "dead", "day of the dead", a dead man's debt;
    # "killed it" (did well); the debt ended by paying ("send the money to end this nightmare");
    # done with a bank or a platform; gone on a work trip.
    r"rather die than (?!live|living|go on|going on|go through|endure|suffer|another|keep|carry on|continue|be (?:a |an |here|alive|around|stuck|trapped|like|in |with|myself)|face|wake|exist|stay|spend"
    r"|see|put my family|let)\w+",
    r"(?:killing|killed|kill|kills) my ?self (?:with|over|on|doing|at|trying to|learning|typing|using)"
    r" (?:this |the |my |these |that |all )?(?:google translate|translat\w*|work|overtime|shifts|extra shifts"
    r"|hours|double shifts|the gym|gym|training|workouts?|cardio|revision|studying|study|exams?|homework"
    r"|paperwork|forms?|spreadsheets?|admin|typing|two jobs|three jobs|deadlines?|app|website|chores"
    r"|english|chinese|cantonese|mandarin|polish|spanish|french|german)",
    r"(?:work|working|worked|slog|slogging|slogged|run|running|ran) my ?self (?:\w+ )?to death",
    r"(?:are you|r u|youre|you are|ur|u r|is this \w+|are they|theyre) (?:\w+ )?(?:trying|tryna|out|want|wanting)"
    r" (?:to )?(?:kill me|see me dead|finish me off)",
    r"(?:bot|app|bank|lender|company|system|website|site|this \w+) (?:\w+ )?(?:wants?|want) me dead",
    r"dead on (?:(?:my|our|his|her|their) feet|the dot|target|[0-9£$€¥][0-9.,k]*)",
    r"(?:brain|brains|head|mind|legs|feet|arms|back)(?: is| s| are| re| was| were| feels?| went)?"
    r" (?:totally |completely |just |so |pretty much )?dead|brain ?dead",
    r"day of the dead|dead sea|walking dead|grateful dead|dead poets",
    r"dead (?:mans|man s|womans|persons|person s|relatives|parents|fathers|mothers|dads|mums|moms)"
    r" (?:debt|loan|account|bill|bills|estate|card|name)",
    r"(?:killed|kill|killing|smashed|nailed) it(?! (?:off|all|for good|tonight))",
    r"(?:pay|paying|send|sending|transfer|transferring|clear|clearing|settle|settling)(?: \w+){0,6} (?:to |and )"
    r"(?:end|finish|be done with) (?:this|the|my) (?:nightmare|ordeal|hassle|headache|stress|saga|chapter)",
    r"(?:me |im |i am |i m )?done with (?:this|the|your|that) (?:bank|platform|app|service|company|lender"
    r"|outfit|firm|place|website|bot)",
    # A goodbye before a trip, with the trip and its end named ("off to spain for two weeks",
    # "off on holiday till the 9th"); "goodbye everyone, im going away" keeps its sign.
    r"(?:goodbye|bye) (?:everyone|everybody|all)(?=[ ,.!]*(?:im |were |i am |we are )?(?:off|heading|going|flying)"
    r"[^.!?]{0,40}(?:holiday|vacation|trip|flight|airport|abroad|camping|festival|for (?:a|one|two|three|\d+|a few|a couple of)"
    r" (?:weeks?|days?|months?)|till|until|back on|back in|back next))",
    r"(?:be|been) gone (?:for|over) (?:the|this|a|next) (?:weekend|week|night|day|few days|couple of days)",
    # Since round 10. Somebody who "doesn't kill me" (a boss, a parent), a "dead" account or
    # card before its noun, a debt wanted "dead and gone", the worst thing "in my life", a
    # month lived on noodles, the lender and I "finished" for good after a final payment.
    r"(?:boss|mum|mom|dad|wife|husband|missus|partner|gf|bf|girlfriend|boyfriend|parents|manager|landlord"
    r"|she|he|they)(?: \w+)? (?:doesnt|does not|dont|do not|didnt|did not|wont|will not) (?:\w+ )?(?:kill|murder|skin) (?:me|us)",
    r"dead (?:account|card|loan|number|phone|line|link|battery|email|address|app|policy|plan)s?",
    r"(?:this|it|the debt|the loan|that) (?:\w+ )?dead and gone",
    r"(?:worst|best|longest|rudest|slowest) (?:\w+ ){0,2}(?:ive|i ve|i have|i d|id)? ?(?:ever )?(?:had|seen|met|heard|been"
    r" through|dealt with)? ?in my (?:whole |entire )?life",
    r"(?:live|living|survive|surviving|exist|existing) (?:on|off) (?:instant |cheap |pot )?(?:noodles|ramen|rice|beans"
    r"|toast|bread|air|pasta|cereal|tuna)",
    r"(?:then |and )?(?:were|we are|we re|you and me are|youre and im) (?:finished|done|square|even|quits)"
    r"(?: (?:forever|for good|for ever|for life))?(?= *(?:[.!,]|$))",
    # Since round 11. Going round in circles or waiting "till i die", a nightmare ended by
    # confirming a plan.
    r"(?:circles|queue|hold|waiting|wait|typing|scrolling|loading|buffering|forever)(?: \w+){0,3} (?:till|until|til) i die",
    r"(?:lets|let s|let us) (?:just )?end this (?:nightmare|ordeal|saga|mess|headache|hassle)",
    # Since round 12. Abuse reported from staff ("your agent told me id be better off dead":
    # a complaint, R15), a relative's death told as the reason ("my dads dead and mum reads
    # only chinese"), a character who dies in a story, a memorial or a funeral as a date,
    # dying of confusion, being out of here after a final payment.
    r"(?:agent|collector|staff|employee|rep|caller|guy|man|woman|lady|bloke|person|operator|advisor|adviser"
    r"|manager|someone|somebody|they|he|she)(?: on the phone| from your \w+| of yours)? (?:told|said to|asked) me"
    r" (?:that )?(?:i ?d be better off dead|id be better off dead|i should (?:just )?(?:die|kill myself|be dead)"
    r"|to (?:go )?(?:die|kill myself|drop dead)|why i (?:dont|didnt) (?:just )?(?:die|kill myself))",
    r"(?:my )?(?:dad|father|mum|mom|mother|husband|wife|brother|sister|gran|nan|grandad|grandma|grandpa|uncle|aunt"
    r"|son|daughter|partner|fiance|fiancee)s?(?: s| is| has| just| recently)* (?:dead|died|passed(?: away)?|gone)"
    r"(?! (?:and|so) (?:i|im) (?:want|going|gonna|ready) to (?:join|follow|be with))",
    r"(?:main |the )?(?:character|hero|heroine|protagonist|villain)s? (?:\w+ ){0,2}(?:dies|died|dead|killed|gets killed)",
    r"(?:day|week|morning|evening|weekend|night) (?:after|before|of) (?:the|his|her|my \w+s) (?:memorial|funeral|wake"
    r"|cremation|burial)"
    r"|(?:gran|nan|grandma|grandad|grandpa|dad|mum|mom|uncle|aunt|brother|sister|cousin|friend|colleague)s?"
    r" (?:memorial|funeral|wake|cremation|burial)",
    r"(?:die|died|dying|going to die|gonna die) (?:of|from) (?:confusion|frustration|old age|suspense|excitement)",
    r"(?:final|last) (?:payment|instalment|installment|\d+|[£$]\d+)(?: \w+){0,3},? (?:then|and then|after that) (?:im|i am|i m)"
    r" (?:out of here|off|gone|done)",
    # Since round 13. Dead ends, a phone thrown in a lake, an account holder who has already
    # died (someone else writing about the estate).
    r"dead ends",
    r"(?:throw|throwing|chuck|chucking|toss|tossing|lob|lobbing)\w* (?:it|my phone|the phone|this phone|my mobile)"
    r" (?:in|into|off|out of) (?:the |a )?(?:lake|river|sea|canal|bin|window|wall|pond)",
    r"(?:account holder|cardholder|borrower|the deceased)(?: has| had)? (?:already |recently )?(?:died|passed(?: away)?)",
    # Since round 14. A marriage or a career that is "dead", the end of one's rope, the last
    # thing done today, a pet that died.
    r"(?:marriage|relationship|career|love life|social life|sex life|job|business|band|friendship)"
    r" (?:is |s |was |has been |feels )?(?:totally |completely |basically |pretty much |well and truly )?dead",
    r"(?:at |reached )?the end of my (?:rope|tether)",
    r"(?:last|final) thing (?:im|i am|i m|ill be|i will be|i ll be) (?:doing|sorting) (?:today|tonight|this week"
    r"|before (?:bed|work|i collapse|i crash|i sleep|the weekend))",
    r"(?:cat|dog|puppy|kitten|hamster|fish|goldfish|rabbit|bunny|parrot|budgie|pet|guinea pig|tortoise)(?: \w+){0,2}"
    r" (?:died|passed|passed away|was put down|had to be put down)",
    r"(?:be|been) gone (?:for (?:a bit|a while|a few days|a week|\w+ days"
    r"|\w+ weeks) )?(?:on|for) (?:a |my |the )?(?:work |business |school |family )?(?:trip|holiday|holidays"
    r"|vacation|conference|course|leave)",
)

# Farewells and giving up, said without a method: a possible crisis.
ENGLISH_SIGNS = (
    r"(?:said|say|saying|told|tell|telling) (?:my )?(?:goodbye|goodbyes|bye) to (?:everyone|everybody|all|my|the world)",
    r"(?:said|say|saying) (?:my )?goodbyes",
    r"goodbye (?:cruel )?world",
    r"(?:dont|do not|not|no) (?:plan|planning|intend|expect|expecting|think i will|think ill) (?:on |to )?(?:see|seeing|be around|being around|make it|making it|last|still be here)",
    # Since round 11: "i dont plan on being here that long", "... by next payday" (not a move).
    r"(?:dont|do not|not|no)(?: that)?(?: im| i am| i m)? (?:plan|planning|intend|expect|expecting) (?:on |to )?(?:be|being) here"
    r" (?:that long|much longer|for long|long|by|long enough|next|for (?:the|a) (?:next|second)|past|after|until|till|til"
    r"|when|in (?:a|two|three|\d+) )"
    r"(?![^.!?]{0,40}(?:moving|relocat|emigrat|travel|holiday|vacation|abroad|away|trip|overseas|new (?:job|place|flat)))",
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
    # Said, not asked: "will it matter after the 15th if i pay late?" is a question.
    r"(?:it|none of (?:it|this)|nothing) (?:will|is going to|would) matter (?:soon|after|when)(?![^.!\n]*\?)",
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
    # A will just made, and a calm after it: the calm of a decision made ("made a will last
    # night. feel weirdly calm"); a will alone, or its lawyer's fee, is no sign.
    r"(?:made|wrote|written|writing|finished|signed|did|done|sorted)(?: out)? (?:my|a) will\b[^!?]{0,40}"
    r"(?:calm|at peace|peaceful|relieved|lighter|ready)",
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
    # Since round 5: a farewell folded into another answer (a birth date, an amount):
    # "not that itll matter after tonight", "there wont be another one", "the last thing
    # ill ever do", "thats the last youll hear from me", "take it from what i leave behind".
    r"(?:it|itll|that|thatll|this|thisll|any of (?:it|this)|none of (?:it|this)|nothing)"
    r"(?: will| is going to| would|ll|d)? (?:\w+ )?matter (?:after|past|beyond|once|by the time)(?![^.!\n]*\?)",
    r"(?:there|therell|theres)? ?(?:wont|will not|isnt going to|not going to|wont ever) be"
    r" (?:another|a next|any more|anymore|a) (?:one|birthday|birthdays)(?= *(?:[.!,]|$| for me| after))",
    r"(?:my |the )?last (?:birthday|christmas|new year)(?: ill| i will| i ll)? (?:ever )?(?:see|have|get)",
    r"(?:the |my )?(?:last|final) (?:thing|payment|bill) (?:i|ill|i will|id|i would|i ll) ever (?:do|pay|make|send|sort)",
    r"(?:the )?last (?:youll|you will|you ll|anyone will|anyonell|youd|you) (?:ever )?hear (?:from|of) me",
    r"(?:whatever|what|everything|anything|all|the stuff|the things) (?:i|ill|i will|i ll) (?:leave|left) behind",
    r"(?:im|i am|i m) not (?:staying|sticking around|hanging around)"
    r"(?= *(?:[.!,]|$| long| much longer| around| here| in this world))",
    # All over soon; a payout when I die: "itll all be over soon anyway", "the policy
    # pays out when im dead, so youll get it".
    r"(?:its|it s|itll|it will|it ll|this will|thisll|everything will|everythingll) (?:all )?(?:be )?over"
    r" (?:soon|shortly|before long)(?= *(?:[.!,]|$| anyway| so| for me))",
    r"(?:insurance|policy|life cover)[^.!?]{0,30}(?:if|when|once|after) i (?:die|am dead|m dead|pass away|go)",
    # One way out left: "i dont see a way out except one", "theres only one exit left".
    r"way out (?:except|but|apart from|other than|besides) (?:one|the one|the obvious one|a permanent one)",
    r"(?:only|just) (?:one|a permanent) (?:way out|exit)(?: left)?(?= *(?:[.!,]|$| left| for me| now))",
    # Wanting it all to stop, for good (not the messages: "stop the texts for good").
    r"(?:want|wish|need|just want) (?:it all|everything|all of it|all of this|all this) to (?:stop|end)"
    r"(?= *(?:[.!,]|$| for good| forever| now| already))",
    # Paying in the next life: "ill pay you back in the next life".
    r"(?:pay|repay|settle|clear|owe|give)\w*[^.!?]{0,25}(?:in )?(?:the |my )?(?:next|another) life"
    r"|(?:next|another) life[^.!?]{0,15}(?:pay|repay|settle)",
    # Sorry, said to family or everyone, beside a goodbye (a plain "sorry, bye" ends a chat).
    r"(?:sorry|forgive me)[ ,.]*(?:to )?(?:everyone|everybody|all of you|mum|mom|dad|my family"
    r"|my kids|my wife|my husband)[^!?]{0,12}(?:goodbye|bye|farewell|im going|i have to go|im leaving)",
    r"(?:everyone|everybody|all of you|mum|mom|dad|my family)[ ,.]*(?:im |i am )?sorry[^!?]{0,12}"
    r"(?:goodbye|bye|farewell|im going|im leaving)",
    # Since round 6. Gone by the day asked about: "by the time its due ill be gone".
    r"(?:by the time|by then|before (?:then|that|it|the))[^.!?]{0,30}(?:ill|i will|i ll|id|i would)"
    r" (?:already |probably |likely |long )?be (?:long )?gone(?= *(?:[.!,]|$))",
    r"(?:not sure|dont know if|do not know if|doubt|no idea if) (?:ill|i will|i ll|i can|id|i)"
    r" (?:even )?(?:make it|live|last|be around|be here|still be here|still be around)"
    r"(?: (?:to|till|until|through|past|for|that long|long enough))?",
    r"(?:wont|will not|not) be my (?:problem|concern|business|worry) (?:by then|anyway|after|then|soon)",
    # A goodbye meant for good: "goodbye for real this time".
    r"(?:goodbye|bye) (?:for real|for good|for ever|for the last time)"
    r"(?! (?:to|from) (?:the|this|your|these) (?:app|texts|messages|reminders|emails|calls))",
    # The last one spoken to: "youre the last person ill talk to".
    r"(?:the |my )?last (?:person|one|human|people|voice) (?:ill |i will |i ll |im going to |i |to |id )?"
    r"(?:ever )?(?:talk|speak|chat|write|hear|say)\w*",
    # Loose ends tied before going: "this account is the last loose end".
    r"(?:last|final|only|remaining) loose ends?|tying up (?:all )?(?:the |my )?loose ends",
    # A pet, passwords or papers handed on: "found a new home for my cat", "left my
    # passwords with my sister" (not a dog minded over a weekend).
    r"(?:rehom\w*|found (?:a )?(?:new )?homes? for|new (?:home|owner|owners) for) (?:my |the |our )?(?:\w+ )?"
    r"(?:dog|dogs|cat|cats|pets?|puppy|kitten|rabbit|bird|parrot|hamster)",
    r"(?:left|leaving|handed|handing|passed|signed|given|giving) (?:over )?my (?:dog|dogs|cat|cats|pets?)"
    r" (?:to|with)(?![^.!?]{0,40}(?:weekend|holiday|trip|week|night|days|while i|till i|until i))",
    r"who (?:will|would|is going to|s going to) (?:look after|feed|walk|take care of|have) my"
    r" (?:dog|dogs|cat|cats|pets?)(?! (?:while|when i(?:m| am) (?:away|at work|on)))",
    r"(?:wrote|written|writing|left|leaving|put|noted) (?:down |out )?(?:all )?(?:my |the )?"
    r"(?:passwords|pins|logins|bank details|account details|pin numbers)(?: \w+){0,3} (?:for|with|to)"
    r" (?:my |the )?(?:sister|brother|son|daughter|wife|husband|kids|children|family|mum|mom|dad"
    r"|parents|partner|friend)",
    # Papers or the life insurance left to someone for afterwards: "put my documents in a
    # folder for my sister, shell know what to do", "the life insurance goes to my daughter".
    r"(?:documents|papers|paperwork|passwords|bank details|account details|will)[^.!?]{0,40}"
    r"(?:for|to|with) (?:my )?(?:sister|brother|son|daughter|wife|husband|kids|children|family|mum|mom|dad"
    r"|parents|partner)[^.!?]{0,30}(?:know what to do|afterwards|after im|when im gone|once im gone|in case)",
    r"(?:life insurance|life cover|life policy|insurance money|payout) (?:\w+ ){0,2}(?:goes|go|will go|should go"
    r"|pays out|is going) to (?:my )?(?:daughter|son|kids|children|wife|husband|family|mum|mom|parents|partner)",
    r"(?:the )?burden of (?:me|having me|looking after me)",
    # Death asked about in the first person: "what happens to this if i die".
    r"(?:if|when|once|after) i (?:die|pass away|pass on|kick the bucket)(?! (?:of|from|laugh\w*))",
    # A burden dragging others down.
    r"(?:im|i am|i m|ive become|i have become|i feel like|feel like) (?:just |such |only |nothing but )?"
    r"(?:a |an )?(?:burden|dead weight|waste of space|drain on)",
    r"dragging (?:them|everyone|my family|my kids|my wife|my husband|everybody) down",
    # Someone close left with much to deal with after a day: "dont ring my wife, shell
    # have enough to deal with after this weekend".
    r"(?:she|he|they|my wife|my husband|my family|my mum|my mom|my kids|my partner)"
    r"(?:ll| will| is going to| s going to| are going to| re going to) have (?:enough|plenty|a lot|so much|lots)"
    r" (?:\w+ ){0,2}(?:to deal with|to sort out|to handle|on (?:her|his|their) plate)"
    r" (?:after|once|from|when|by) (?:this|next|the|that|tomorrow|tonight|friday|saturday|sunday|monday)",
    # Since round 7. An absence in the future folded into an answer: "the 5th, not that ill
    # still be around", "if im still alive by then" (not "if im still in town", "here in").
    r"not that (?:ill|i will|i ll|id|i would|i) (?:still |even )?(?:be (?:here|around|alive)|see it|make it)",
    r"(?:if|assuming|provided) (?:im|i am|i m|i) (?:still )?(?:here|around|alive|breathing)"
    r"(?= *(?:[.!,?]|$| by| then| when| that| next| to| for| after))",
    r"(?:wont|will not|not going to|not gonna) be (?:here|around|alive) to see",
    r"(?<!like )(?:i dont have|i have no|i havent got|theres no|there is no|there isnt) (?:a |any )?"
    r"(?:next month|next year|next week|future|tomorrow)(?: for me)?(?= *(?:[.!,]|$| for me| anyway| left))",
    r"(?:its all|it s all|it is all|it all|everything|everythings|all of (?:it|this)|this is all)"
    r" (?:is |s |will be |ll be )?(?:ending|going to end|gonna end|coming to an end|about to end|ends|over)"
    r" (?:soon|shortly|anyway|tonight|before long|for me)",
    # Thanks passed on through someone, with a goodbye: "tell the man on the phone thanks. bye".
    r"tell (?:\w+ ){1,8}(?:thanks|thank you|i said thanks|i appreciated|i was grateful)[^?]{0,60}"
    r"(?:bye|goodbye|farewell)(?= *(?:[.!]|$))",
    # Savings handed to a relative (not to pay the debt): "moved all my savings to my sister".
    r"(?:put|moved|transferred|transfered|gave|signed|handed|left) (?:over )?(?:all )?(?:of )?my"
    r" (?:savings|money|accounts?|bank accounts?|house|flat|car|isa|pension) (?:in|into|to|over to|with)"
    r" (?:my )?(?:brother|sister|son|daughter|mum|mom|dad|parents|wife|husband|partner|nephew|niece)s?"
    r"(?: name)?(?![^.!?]{0,30}(?:to pay|can pay|pay you|for the payment|for the loan|to cover|to clear|look after))",
    # Time itself not wanted (round 8): "more time is the last thing i want".
    r"(?:last thing i (?:want|need) is (?:more )?time|(?:more )?time is the last thing i (?:want|need))",
    # One's own headstone, a last request about the family, a dying wish.
    r"(?:on|for) (?:my |the )?(?:headstone|gravestone|tombstone)|my (?:headstone|gravestone|tombstone|coffin|urn)",
    r"(?:last|final|dying) (?:request|wish)[^.!?]{0,40}(?:family|mum|mom|dad|wife|husband|kids|children"
    r"|parents|know|find out|tell)|dying wish",
    # Since round 9. A date put on a stone ("14/02/1991, you can put that on the stone too"),
    # a message for whoever reads it and a trying said as the last word ("tell whoever reads
    # this that i tried"), no future wanted ("i dont want a future at all"), a payment taken
    # as the last act ("consider it my final payment"), sorry said to a parent and nothing
    # else ("mum, dad, im sorry"), plans that leave oneself out ("my plans dont include me").
    r"(?:put|carve|engrave|chisel|inscribe|write|add)\w* (?:that|it|this|them|the date|both dates|my name)"
    r" (?:on|onto|into) (?:the|my) (?:stone|grave|gravestone|headstone|plaque|urn|memorial)",
    r"(?:to |tell |let )?(?:whoever|anyone who|whoever it is that|the person who) (?:reads|finds|sees|gets)"
    r" (?:this|these|my)(?: \w+)?(?![^.!?]{0,40}(?:please|call me|reply|get back|at your|team|department|sort))",
    r"(?:tell|let) (?:\w+ ){0,4}(?:know )?(?:that )?i (?:really |honestly )?tried(?: my best| everything| so hard"
    r"| hard)?(?= *(?:[.!,]|$))",
    r"(?:dont|do not|never) (?:want|need) (?:a|any) (?:future|tomorrow|next year)(?: at all| any ?more| for me)?"
    r"(?= *(?:[.!,]|$))",
    r"(?:consider|count|call|treat) (?:it|this|that) (?:as )?my (?:very )?(?:last|final) (?:payment|one|instalment"
    r"|installment|bit)(?![^.!?]{0,30}(?:loan|borrow|credit|card|lender|cleared|paid off|balance|zero|\?))",
    r"^(?:mum|mom|dad|mum and dad|mom and dad|mummy|mama|papa|mummy and daddy)[ ,.]*(?:im |i am )?(?:so |really"
    r" |truly )?sorry(?: for everything)?[ .!]*$",
    r"(?:plans?|future) (?:dont|doesnt|do not|does not|wont|will not) (?:include|involve|have) me(?: in (?:it|them))?",
    # Since round 10. The account holder "gone" ("who do you contact when the holder's gone"),
    # a plan that is "a permanent one" or a permanent way out.
    r"(?:account )?(?:holder|owner|borrower|customer|cardholder)(?: s| is|s)? (?:gone|dead|no longer (?:here|around|alive"
    r"|with us))",
    r"(?:different|other|new|another) plan(?: \w+){0,2}\W+(?:a |one )?(?:permanent|final|forever) one",
    r"permanent (?:solution|way out|fix|exit|escape|end)(?! to (?:the|my|this) (?:debt|loan|arrears|payments))",
    # Since round 12: the last thing done, said as a yes ("ok fine, thats the last thing sorted").
    r"(?:thats|that s|that is|the) (?:the )?(?:last|final) (?:thing|job|task|loose end)(?: \w+){0,2} (?:done|sorted|taken care of"
    r"|ticked off|dealt with)",
    # Since round 13: one's executor paying ("put me down for the 15th, my executor can pay"),
    # a letter left for family.
    r"(?:my|the) executor(?:s)? (?:can|will|could|should|would) (?:pay|sort|settle|handle|deal)"
    r"|executor of my (?:estate|will)|my estate (?:can|will|should) (?:pay|settle|cover)",
    r"(?:left|leaving|wrote|written|writing) (?:a |my )?(?:letter|note)s? (?:for|to) (?:my )?(?:mum|mom|dad|wife|husband"
    r"|kids|children|son|daughter|family|parents|sister|brother)(?![^.!?]{0,30}(?:about the (?:debt|loan|bill)|to pay|explaining the))",
    # Since round 14: death asked about in the third person, of the borrower ("what happens
    # to a loan if the borrower dies"): worth a gentle question.
    r"what happens (?:to|with) (?:a |the |my |this )?(?:loan|debt|account|card|balance|money i owe)s? (?:if|when|once|after)"
    r" (?:the |a )?(?:borrower|account holder|cardholder|customer|person|someone|somebody)(?: who owes it)?"
    r" (?:dies|passes away|is dead|has died|passed away|kills)",
    # Since round 15: the last thing one will ever sign, family spared calls "afterwards",
    # dying that "looks cheaper" than paying, debts passing on when "you die at 24".
    r"(?:the )?last thing (?:ill|i will|i ll|i am|im|i m)(?: ever (?:going to|gonna)|(?: going to| gonna)? ever)"
    r" (?:sign|do|pay|send|agree to|say)",
    r"(?:stop|dont|do not|never) (?:call|calling|ring|ringing|contact|contacting|bother|bothering|chase|chasing)"
    r" my (?:mother|mum|mom|dad|father|wife|husband|family|parents|kids|sister|brother)(?: \w+){0,2}"
    r" (?:afterwards|after (?:that|this|today|tonight|this week|im gone|i go)|once im gone|when im gone)",
    r"dying (?:looks|seems|is|would be|sounds|feels) (?:\w+ )?(?:cheaper|easier|better|simpler|less painful) than",
    r"(?:if|when|once) (?:you|i|someone|a person) (?:die|dies|pass away|passes away) (?:at|before) (?:\d+|twenty|thirty)",
    # Since round 16: knowing how one would do it.
    r"(?:know|knew|worked out|planned|decided|figured out) (?:exactly |already )?how (?:id|i d|i would|i will|ill|i ll"
    r"|im going to|i m going to|im gonna) do it",
)
