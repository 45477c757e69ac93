"""Chinese personal names: the surname for a greeting such as 王先生 or 欧阳女士."""

# The two-character surnames (复姓) still met today. A name that starts with one of them is
# greeted by both characters; any other name by its first. A rare compound surname missing here
# gets the first character only, which is how a teller would read it too without asking.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "澹台",
        "公冶",
        "太史",
        "端木",
        "申屠",
        "南宫",
        "西门",
        "闻人",
        "呼延",
        "万俟",
        "独孤",
        "东郭",
        "百里",
        "司空",
        "左丘",
        "第五",
        "濮阳",
        "淳于",
        "单于",
        "赫连",
        "拓跋",
        "谷梁",
        "宰父",
        "乐正",
        "公羊",
        "梁丘",
        "鲜于",
        "即墨",
        "羊舌",
        "微生",
        "漆雕",
        "亓官",
        "颛孙",
        "巫马",
    ]
)


def surname_of(name: str) -> str:
    """The surname of a Chinese name written in Han characters ('' for an empty name)."""
    name = (name or "").strip()
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]
