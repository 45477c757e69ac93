from .client import Client, ClientChange, ClientOwnership, ClientSearchKey
from .contacts import Contact
from .imports import ImportJob, ImportProblem, ImportRow
from .reference import (
    ArchiveRequirement,
    BadgeColour,
    ClientGrade,
    ClientSettings,
    ClientTier,
    CreditRatingClass,
    CreditRatingItem,
    Product,
    ProductLine,
    Tag,
    VipLevel,
)
from .value import AumSnapshot, CreditRating, Holding

__all__ = [
    "ArchiveRequirement",
    "AumSnapshot",
    "BadgeColour",
    "Client",
    "ClientChange",
    "ClientGrade",
    "ClientOwnership",
    "ClientSearchKey",
    "ClientSettings",
    "ClientTier",
    "Contact",
    "CreditRating",
    "CreditRatingClass",
    "CreditRatingItem",
    "Holding",
    "ImportJob",
    "ImportProblem",
    "ImportRow",
    "Product",
    "ProductLine",
    "Tag",
    "VipLevel",
]
