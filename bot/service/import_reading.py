"""Read the lender's file as whatever program saved it, one row at a time.

Excel on a Chinese Windows saves "CSV" in the system's code page: GBK (GB18030)
on the mainland, Big5 (cp950) in Taiwan and Hong Kong, UTF-8 with a byte order
mark when "CSV UTF-8" is chosen, UTF-16 for "Unicode text". UTF-8 and the BOMs
are certain; GBK and Big5 share most byte pairs, so a sample is decoded both
ways and the reading whose characters are everyday Chinese wins. When neither
reading is clearly right the file is refused with one line saying how to save it
instead: guessing wrong would import garbled names.

Nothing here holds more than one row and a sample of the file in memory.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

SAMPLE_BYTES = 1 << 20
SAVE_AS_UTF8 = "in Excel choose File > Save As > 'CSV UTF-8 (Comma delimited)' and import that file"

# Characters common in names, addresses and charge descriptions, in both scripts.
# Text decoded with the wrong one of GBK/Big5 turns into rare characters, so the
# share of these tells the right reading from the wrong one.
_COMMON = frozenset(
    "的一是不了人我在有他这個个们們中来來上大为為和国國地到以说說时時要就出会會可也你对對生能"
    "而子那得于於着著下自之年过過发發后後作里裡用道行所然家种種事成方多经經么麼去法学學如都同现"
    "現当當没沒动動面起看定天分还還进進好小部其些主样樣理心她本前开開但因只从從想实實日者意无無"
    "力与與长長把机機十民第公此已工使情明性知全三又关關点點正业業外将將两兩高间間由问問很最重并"
    "物手应應向头頭文体體新己制身果加西月话話合回特代内內信表化老给給世位次度门門任常先海通教儿"
    "兒原东東声聲提立及比员員解水名真论論处處走义義各入几幾口认認条條平系气氣题題活更别別打女变"
    "變四总總何电電数數安少报報才结結反受目太量再感建务務做接必场場件计計管期市直资資命山金指许"
    "許统統区區保至队隊形社便空决決治展马馬科司五基书書非则則听聽白却卻界达達光放强強即像难難且"
    "权權思王象完设設式色路记記南品住告类類求据據程北边邊死张張该該交规規万萬取拉格望觉覺术術领"
    "領共确確传傳师師观觀清今切院让讓识識候带帶导導争爭运運笑风風步改收根干造言联聯持组組每济濟"
    "车車亲親极極林服快办辦议議往元英士证證近失转轉夫令准布始怎呢存未远遠叫台单單影具罗羅字爱愛"
    "流备備兵连連调調深商算质質团團集百需价價花党黨华華城石级級整府离離况況请請技际際约約示复復"
    "病息究线線似官火断斷精满滿支视視消越器容照须須九增研写寫称稱企八功吗嗎包片史委乎查轻輕易早"
    "曾除农農找装裝广廣显顯吧李标標谈談吃图圖念六引历歷首医醫局突专專费費号號尽盡另周较較注语語"
    "仅僅考落青随隨选選列武红紅响響虽雖推势勢参參希古众眾构構房半节節土投某案黑维維革划劃敌敵致"
    "陈陳律足态態护護七兴興派孩验驗责責营營星够夠章音跟志底站严嚴巴例防族供效续續施留讲講型料终"
    "終答紧緊黄黃绝絕奇察母京段依批群项項故按河米围圍江织織害斗双雙境客纪紀采举舉杀殺攻父苏蘇密"
    "低朝友诉訴止细細愿願千值仍男钱錢破网網热熱助倒育属屬坐帝限船脸臉职職速刻乐樂否刚剛威毛状狀"
    "率甚独獨球般普怕弹彈校苦创創假久错錯承印晚兰蘭试試股拿脑腦预預谁誰益阳陽若哪微尼继繼送急血"
    "惊驚伤傷素药藥适適波夜省初喜卫衛源食险險待述陆陸习習置居劳勞财財环環排福纳納欢歡雷警获獲模"
    "充负負云雲停木游龙龍树樹疑层層冷洲冲衝射略范範竟句室异異激汉漢村哈策演简簡卡罪判担擔州静靜"
    "退既衣您宗积積余餘痛检檢差富灵靈协協角占配征修皮挥揮胜勝降阶階审審沉坚堅善妈媽刘劉读讀啊超"
    "免压壓银銀买買皇养養伊怀懷执執副乱亂抗犯追帮幫宣佛岁歲航优優怪香著田铁鐵控税稅左右份穿艺藝"
    "背阵陣草脚腳概恶惡块塊顿頓敢守酒岛島托央户戶烈洋哥索胡款靠评評版宝寶座释釋景顾顧弟登货貨互"
    "付伯慢欧歐换換闻聞危忙核暗姐介坏壞讨討丽麗良序升监監临臨亮露永呼味野架域沙掉括舰艦鱼魚杂雜"
    "误誤湖钟鐘奔账賬帳贷貸还還欠逾滞滯纳納息卡利年月日元期貨借款額额余餘户戶号號码碼电話话址街"
    "路市区區县縣省镇鎮村楼樓室栋棟巷弄段台湾灣香港澳门門北京上海广州深圳杭州南京成都重庆慶武汉"
    "陈陳林黄黃张張李王吴吳刘劉蔡杨楊许許郑鄭谢謝郭洪曾邱廖赖賴周徐苏蘇叶葉庄莊吕呂江何萧蕭罗羅"
    "高潘简簡朱钟鐘彭游詹胡施沈余卢盧梁赵趙颜顏柯翁魏孙孫戴范方宋邓鄧杜傅侯曹薛丁卓马馬阮董唐温"
    "溫蓝藍蒋蔣石古纪紀姚连連冯馮欧歐程汤湯黄田康姜白汪邹鄒尤巫钟鐘黎涂龚龔严嚴韩韓袁金童陆陸夏"
    "柳凯凱邵明小文华華伟偉芳敏静靜丽麗强強磊军軍洋勇艳艷杰傑娟涛濤超秀霞平刚剛桂英志美玲淑惠珍"
    "雅婷怡君宏俊豪建家欣佳宇诗詩晓曉红紅梅兰蘭春玉琴云雲凤鳳"
)
_CANDIDATES = ("gb18030", "cp950", "big5hkscs")
_NAMES = {"gb18030": "GBK/GB18030", "cp950": "Big5", "big5hkscs": "Big5-HKSCS"}


class UnreadableFile(Exception):
    """The file cannot be read as text; the message is one line saying what to do."""


def _decodes(sample: bytes, encoding: str, complete: bool) -> str | None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return str(decoder.decode(sample, final=complete))
    except UnicodeDecodeError:
        return None


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"


def _everyday_share(text: str) -> tuple[float, int]:
    han = [c for c in text if _is_han(c)]
    if not han:
        return 0.0, 0
    return sum(c in _COMMON for c in han) / len(han), len(han)


def detect_encoding(sample: bytes, complete: bool) -> str:
    """The codec to read the file with, or UnreadableFile saying what to do.

    `complete` is true when the sample is the whole file (no character is cut).
    """
    if sample.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise UnreadableFile(f"this is an Excel workbook, not a CSV file: {SAVE_AS_UTF8}")
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes(sample, "utf-8", complete) is not None:
        return "utf-8"
    scored: list[tuple[float, str]] = []
    for encoding in _CANDIDATES:
        text = _decodes(sample, encoding, complete)
        if text is not None:
            share, han = _everyday_share(text)
            if han:
                scored.append((share, encoding))
    scored.sort(reverse=True)
    best = scored[0] if scored else (0.0, "")
    runner_up = max((s for s, e in scored[1:] if not _same_family(e, best[1])), default=0.0)
    if best[0] >= 0.6 and best[0] - runner_up >= 0.2:
        return best[1]
    raise UnreadableFile(f"the file is not UTF-8 and not clearly GBK or Big5 text: {SAVE_AS_UTF8}")


def _same_family(one: str, other: str) -> bool:
    """Big5 and its Hong Kong extension read the same text alike; that is no ambiguity."""
    return {one, other} <= {"cp950", "big5hkscs"}


def encoding_name(encoding: str) -> str:
    return _NAMES.get(encoding, encoding.upper().replace("-SIG", " with BOM"))


def open_text(path: Path) -> tuple[TextIO, str]:
    """Open the file for reading as text in the encoding it was saved in."""
    with path.open("rb") as raw:
        sample = raw.read(SAMPLE_BYTES + 1)
    complete = len(sample) <= SAMPLE_BYTES
    encoding = detect_encoding(sample[:SAMPLE_BYTES], complete)
    return path.open(encoding=encoding, errors="strict", newline=""), encoding


class RowError(Exception):
    """A row that cannot be read at all; reading stops there."""

    def __init__(self, line: int, field: str, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.field = field
        self.reason = reason


def is_jsonl(path: Path, stream: TextIO) -> tuple[bool, Iterator[str]]:
    """JSON Lines by name or by a first line that opens an object; the lines to read."""
    first = stream.readline()
    while first and not first.strip():
        first = stream.readline()
    lines = itertools.chain([first], stream)
    suffix = path.suffix.lower() in (".jsonl", ".ndjson")
    return suffix or first.lstrip("\ufeff \t").startswith("{"), lines


def csv_rows(
    lines: Iterator[str], columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Iterator[tuple[int, list[str | None]]]:
    """Rows as lists in `columns` order, each with the line it ends on.

    An `optional` column the header lacks reads as None; when all such columns
    come last in `columns`, a row may instead end before them (the fast path).
    """
    first = next(lines, "")
    header_line = first.lstrip("\ufeff")
    delimiter = max(",;\t", key=header_line.count)
    reader = csv.reader(itertools.chain([header_line], lines), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as exc:
        raise RowError(1, "(header)", f"is not valid CSV: {exc}") from None
    missing = [c for c in columns if c not in header and c not in optional]
    if missing:
        raise RowError(1, ", ".join(missing), "column is missing from the header")
    where = [header.index(c) if c in header else None for c in columns]
    known = list(itertools.takewhile(lambda i: i is not None, where))
    width = max(i for i in where if i is not None) + 1
    in_order = known == list(range(width)) and width == len(known)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise RowError(reader.line_num, "(line)", f"is not valid CSV: {exc}") from None
        except UnicodeDecodeError:
            raise RowError(reader.line_num + 1, "(file)", _not_in_encoding()) from None
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        if in_order and len(row) == width:
            yield reader.line_num, row  # type: ignore[misc]
        else:
            yield reader.line_num, [None if i is None else row[i] for i in where]


def jsonl_records(lines: Iterator[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Each non-empty line as an object, or as the reason it is not one."""
    number = 0
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise RowError(number + 1, "(file)", _not_in_encoding()) from None
        number += 1
        if not line.strip():
            continue
        try:
            data = json.loads(line.lstrip("\ufeff"), parse_float=Decimal)
        except json.JSONDecodeError as exc:
            yield number, f"invalid JSON: {exc.msg}"
            continue
        yield number, data if isinstance(data, dict) else "expected a JSON object"


def _not_in_encoding() -> str:
    return f"this part of the file is in another encoding than its start: {SAVE_AS_UTF8}"
