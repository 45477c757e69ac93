"""The columns of a client list file: one place for the import, the export and the template.

Each column has the header the template and exports write (Chinese: the files are for people),
the other headers people give it in hand-made lists, and for choice columns the words that may
stand in a cell. The import recognises any of them; the export writes `header` and the word
first listed for each value, so an exported file imports again.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    field: str  # the Client field (or "owner" = the owner's employee number)
    header: str
    synonyms: tuple[str, ...] = ()
    label: str = ""  # the English label of the field, shown in the mapping picker
    kind: str = "text"  # text | identifier | date | choice | reference
    # Choice columns: value -> words that mean it in a cell (the first word is written on export).
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_length: int | None = None
    example: str = ""


KIND_WORDS = {
    "individual": ("个人", "个人客户", "对私", "自然人", "个人户"),
    "corporate": ("企业", "对公", "公司", "企业客户", "对公客户", "单位", "机构"),
}
LIFECYCLE_WORDS = {
    "prospect": ("准客户", "潜在客户", "意向客户", "准"),
    "won": ("已成交客户", "已成交", "成交客户", "正式客户", "存量客户"),
    "influencer": ("影响力中心", "影响力客户"),
    "lost": ("流失客户", "流失", "已流失"),
}
GENDER_WORDS = {"male": ("男", "男性", "M"), "female": ("女", "女性", "F")}
BIRTHDAY_KIND_WORDS = {"solar": ("公历", "阳历", "新历"), "lunar": ("农历", "阴历", "旧历")}

COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        "客户名称",
        ("姓名", "客户姓名", "名称", "客户名", "户名", "企业名称", "公司名称", "单位名称"),
        _("Name"),
        max_length=100,
        example="张伟",
    ),
    Column(
        "kind", "客户类型", ("客户类别", "类型", "对公对私"), _("Kind"), "choice", KIND_WORDS, example="个人"
    ),
    Column(
        "id_number",
        "身份证号码",
        ("证件号码", "身份证号", "身份证", "证件号", "居民身份证号码"),
        _("Resident ID number"),
        "identifier",
        example="11010519491231002X",
    ),
    Column(
        "credit_code",
        "统一社会信用代码",
        ("信用代码", "社会信用代码", "统一信用代码", "组织机构代码"),
        _("Unified social credit code"),
        "identifier",
    ),
    Column(
        "mobile",
        "手机号码",
        ("手机", "手机号", "联系电话", "电话", "移动电话", "联系方式", "手机号码1"),
        _("Mobile"),
        "identifier",
        example="13800138000",
    ),
    Column("gender", "性别", (), _("Gender"), "choice", GENDER_WORDS),
    Column("birth_date", "出生日期", ("生日", "出生年月日", "出生年月"), _("Birth date"), "date"),
    Column(
        "birthday_kind",
        "生日历法",
        ("历法", "生日类型"),
        _("Birthday calendar"),
        "choice",
        BIRTHDAY_KIND_WORDS,
    ),
    Column(
        "address",
        "地址",
        ("联系地址", "住址", "通讯地址", "家庭住址", "单位地址", "详细地址", "经营地址"),
        _("Address"),
        max_length=200,
        example="北京市西城区金融大街1号",
    ),
    Column("occupation", "职业", ("工作", "职务"), _("Occupation"), max_length=50),
    Column("industry", "所属行业", ("行业",), _("Industry"), max_length=50),
    Column("size", "企业规模", ("规模",), _("Size"), max_length=20),
    Column(
        "legal_representative", "法定代表人", ("法人", "法人代表"), _("Legal representative"), max_length=50
    ),
    Column(
        "owner",
        "客户经理工号",
        ("管户经理工号", "管户人工号", "经理工号", "客户经理编号", "管户工号", "工号"),
        _("Owner's employee number"),
        "reference",
        example="AM001",
    ),
    Column(
        "lifecycle",
        "客户阶段",
        ("生命周期", "客户状态", "客户性质"),
        _("Lifecycle"),
        "choice",
        LIFECYCLE_WORDS,
        example="已成交客户",
    ),
    Column(
        "tier",
        "客户分层",
        ("重点客户", "客户层级", "是否重点客户"),
        _("Tier"),
        "reference",  # the preset's tiers by name, code or alias (ClientTier.words)
        example="重点客户",
    ),
    Column("grade", "客户等级", ("等级", "客户级别", "级别"), _("Grade"), "reference", example="三级"),
    Column("vip_level", "VIP等级", ("贵宾等级", "VIP级别", "会员等级"), _("VIP level"), "reference"),
    Column("onboarded_on", "入网日期", ("开户日期", "建档日期", "入网时间"), _("Onboarded on"), "date"),
    Column("source", "客户来源", ("来源", "获客渠道"), _("Source"), max_length=50),
    Column("remarks", "备注", ("说明", "备注信息"), _("Remarks"), max_length=2000),
)

BY_FIELD = {column.field: column for column in COLUMNS}
# The columns an error report adds; a corrected report imports again, so they are ignored.
REPORT_ROW_HEADER = "原行号"
REPORT_REASON_HEADER = "错误原因"
IGNORED_HEADERS = frozenset({REPORT_ROW_HEADER, REPORT_REASON_HEADER, "序号", "编号"})


def header_key(text: str) -> str:
    """A header as compared: half-width, no spaces, stars (required marks) or colons, upper case."""
    from amdesk.clients.identity import normalize

    return normalize(str(text)).replace("*", "").replace(":", "").replace("：", "")


HEADER_INDEX: dict[str, str] = {}
for _column in COLUMNS:
    for _text in (_column.header, *_column.synonyms):
        HEADER_INDEX.setdefault(header_key(_text), _column.field)

# Columns only an export writes, after COLUMNS: what the system keeps about a client (his number,
# AUM, completeness…) and an import does not set. An import recognises their headers and skips them.
EXPORT_EXTRA: tuple[Column, ...] = (
    Column("id", "客户编号", (), _("Client number"), "identifier"),
    Column("owner_name", "管户经理姓名", (), _("Owner's name")),
    Column("org_node", "所属机构", (), _("Org node")),
    Column("aum", "资产规模（元）", (), _("AUM")),
    Column("aum_as_of", "资产规模日期", (), _("AUM as of"), "date"),
    Column("completeness", "档案完备率（%）", (), _("Archive completeness (%)")),
    Column("is_big_account", "大客户", (), _("Big account"), "choice", {"true": ("是",), "false": ("否",)}),
    Column("tags", "标签", (), _("Tags")),
    Column("credit_rating", "信用评级", (), _("Credit rating")),
)
# The export's own columns (the client number excepted: the import reads it, see CLIENT_NUMBER).
EXPORT_ONLY_HEADERS = frozenset(header_key(column.header) for column in EXPORT_EXTRA[1:])
# Written between tags in the tags column.
TAG_SEPARATOR = "、"

# An export's client number finds the client again when the exported list comes back edited
# (its ID numbers and mobiles are masked, so they cannot). Not in the template: new clients
# have none.
CLIENT_NUMBER = Column(
    "client_no", "客户编号", ("客户号",), _("Client number (from an export)"), "identifier"
)
BY_FIELD[CLIENT_NUMBER.field] = CLIENT_NUMBER
HEADER_INDEX[header_key(CLIENT_NUMBER.header)] = CLIENT_NUMBER.field
for _text in CLIENT_NUMBER.synonyms:
    HEADER_INDEX.setdefault(header_key(_text), CLIENT_NUMBER.field)
IMPORT_COLUMNS: tuple[Column, ...] = (*COLUMNS, CLIENT_NUMBER)
